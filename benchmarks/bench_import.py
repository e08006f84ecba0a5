"""How long `explorer import` takes on a 1,000-request Postman collection, as a whole process.

A standalone script, not a test: `python benchmarks/bench_import.py [--requests 1000] [--runs 5]`.

It generates a Postman v2.1 collection the way real ones look (nested folders, variables, raw JSON and
urlencoded bodies, disabled headers, query objects, path variables, bearer auth with a hard-coded JWT on
some folders, an OAuth2 client-credentials folder, test scripts), writes it to a temporary directory and
times `explorer import FILE --output OUT --force` from the process's start to its exit (Python's start,
imports, parsing, the safety pass, writing the collection atomically). It reports the median and the CPU time
(user + system) of the children, so a busy machine's waiting shows, against the target of 1 s.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

TARGET_S = 1.0


def _jwt(client: str, exp: int) -> str:
    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    claims = {"azp": client, "exp": exp, "iss": "https://id.p.newstore.net/auth/realms/acme-staging"}
    return f"{part({'alg': 'RS256'})}.{part(claims)}.c2ln"


def _request(number: int) -> dict[str, Any]:
    kind = number % 4
    request: dict[str, Any] = {
        "method": ("GET", "POST", "PUT", "DELETE")[kind],
        "header": [
            {"key": "Accept", "value": "application/json"},
            {"key": "X-Debug", "value": "1", "disabled": True},
        ],
        "url": {
            "raw": f"{{{{baseUrl}}}}/v0/things/:id/items?page={number}&debug=1",
            "host": ["{{baseUrl}}"],
            "path": ["v0", "things", ":id", "items"],
            "query": [{"key": "page", "value": str(number)}, {"key": "debug", "value": "1", "disabled": True}],
            "variable": [{"key": "id", "value": f"t-{number}"}],
        },
    }
    if kind == 1:
        body = {"id": "{{$guid}}", "number": number, "lines": [{"sku": f"s-{i}", "qty": i} for i in range(5)]}
        request["body"] = {"mode": "raw", "raw": json.dumps(body, indent=2), "options": {"raw": {"language": "json"}}}
    elif kind == 2:
        request["body"] = {
            "mode": "urlencoded",
            "urlencoded": [{"key": "a", "value": f"value {number}"}, {"key": "b", "value": "{{store}}"}],
        }
    return {
        "name": f"Request {number}",
        "event": [{"listen": "test", "script": {"exec": ["pm.response.to.have.status(200);"]}}],
        "request": request,
    }


def collection(count: int) -> dict[str, Any]:
    folders: list[dict[str, Any]] = []
    per_folder = 25
    for start in range(0, count, per_folder):
        folder: dict[str, Any] = {
            "name": f"Area {start // 100}",
            "item": [
                {
                    "name": f"Group {start // per_folder}",
                    "item": [_request(n) for n in range(start, min(count, start + per_folder))],
                }
            ],
        }
        if (start // per_folder) % 3 == 0:
            folder["auth"] = {"type": "bearer", "bearer": [{"key": "token", "value": _jwt("acme-client", 1772323200)}]}
        elif (start // per_folder) % 3 == 1:
            folder["auth"] = {
                "type": "oauth2",
                "oauth2": [
                    {"key": "grant_type", "value": "client_credentials"},
                    {
                        "key": "accessTokenUrl",
                        "value": "{{authUrl}}/auth/realms/acme-staging/protocol/openid-connect/token",
                    },
                    {"key": "clientId", "value": "acme-client"},
                    {"key": "clientSecret", "value": "not-a-real-secret"},
                ],
            }
        folders.append(folder)
    return {
        "info": {
            "name": "Generated",
            "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
        },
        "variable": [
            {"key": "baseUrl", "value": "https://acme-staging.p.newstore.net"},
            {"key": "authUrl", "value": "https://id.p.newstore.net"},
            {"key": "store", "value": "store-001"},
        ],
        "item": folders,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    explorer = Path(sys.executable).parent / "explorer"
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "big.postman_collection.json"
        source.write_text(json.dumps(collection(args.requests)))
        target = Path(tmp) / "big.toml"
        walls: list[float] = []
        cpus: list[float] = []
        for _ in range(args.runs):
            before = os.times()
            started = time.perf_counter()
            done = subprocess.run(
                [str(explorer), "import", str(source), "--output", str(target), "--force"],
                capture_output=True,
                text=True,
            )
            walls.append(time.perf_counter() - started)
            after = os.times()
            cpus.append((after.children_user - before.children_user) + (after.children_system - before.children_system))
            if done.returncode != 0:
                print(done.stderr, file=sys.stderr)
                return 1
        size = source.stat().st_size / 1e6
        first_line = done.stdout.splitlines()[0] if done.stdout else ""
        wall, cpu = statistics.median(walls), statistics.median(cpus)
        verdict = "met" if wall <= TARGET_S else "NOT met"
        print(f"explorer import, {args.requests} Postman requests ({size:.1f} MB), {args.runs} runs")
        print(f"  {first_line}")
        print(f"  wall: median {wall:.3f} s (min {min(walls):.3f}, max {max(walls):.3f}); cpu: median {cpu:.3f} s")
        print(f"  target <= {TARGET_S:.1f} s: {verdict}")
        print("  load average: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
