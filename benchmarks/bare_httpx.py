"""The yardstick for `explorer run`: the same requests with nothing but httpx, as its own process.

    python benchmarks/bare_httpx.py TOKEN_URL URLS_FILE

fetches one client-credentials token, then sends each URL of URLS_FILE (one a line) in order with one
`httpx.AsyncClient`, reading each body, and prints a JSON line: requests, ok (status 200), seconds.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path

import httpx

CLIENT_ID = "explorer-demo"
CLIENT_SECRET = "demo-secret"  # the sandbox's public test client


async def replay(token_url: str, urls: list[str]) -> dict[str, float | int]:
    started = time.perf_counter()
    ok = 0
    async with httpx.AsyncClient(timeout=60.0) as client:
        answer = await client.post(
            token_url,
            data={"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET},
        )
        answer.raise_for_status()
        headers = {"Authorization": f"Bearer {answer.json()['access_token']}", "Accept": "application/json"}
        for url in urls:
            response = await client.get(url, headers=headers)
            await response.aread()
            ok += response.status_code == 200
    return {"requests": len(urls), "ok": ok, "seconds": time.perf_counter() - started}


def main() -> int:
    token_url, urls_file = sys.argv[1], Path(sys.argv[2])
    urls = [line for line in urls_file.read_text().splitlines() if line]
    print(json.dumps(asyncio.run(replay(token_url, urls))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
