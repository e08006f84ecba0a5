"""The sandbox as its own process, so the harness and the server never compete for one interpreter lock.

    python benchmarks/sandbox_proc.py [PROFILES_FILE]

writes a profiles file for its demo tenants (when given a path), prints `READY http://127.0.0.1:PORT` once it
listens, then answers one command per line on stdin:
`tokens` prints `TOKENS N` (requests that reached a token endpoint so far), `quit` or the end of stdin stops it.
Tokens live an hour and there is no rate limit, so no run is slowed or refused by the sandbox itself.
"""

from __future__ import annotations

import sys
from pathlib import Path

from explorer.sandbox import SandboxServer, sandbox_profiles_toml


def main() -> int:
    server = SandboxServer(port=0, token_ttl=3600, rate_limit=None).start()
    try:
        if len(sys.argv) > 1:
            Path(sys.argv[1]).write_text(sandbox_profiles_toml(server), encoding="utf-8")
        print(f"READY {server.base_url}", flush=True)
        for line in sys.stdin:
            command = line.strip()
            if command == "tokens":
                print(f"TOKENS {server.token_requests}", flush=True)
            elif command == "quit":
                break
            else:
                print(f"ERROR unknown command {command!r}", flush=True)
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
