"""`explorer run` of a 1,000-request collection against the same requests sent by a bare httpx loop.

Both are timed as whole processes started from the same interpreter (start-up, imports, the one token fetch
and the requests), one right after the other in each round, so they see the same machine state. The ratio is
bare time / explorer time: 1.0 means explorer adds nothing, 0.8 means it takes 25 % longer. One warm-up
round comes first and is not counted.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

from benchmarks.sandbox import SandboxProcess
from benchmarks.stats import Figure

BARE = Path(__file__).with_name("bare_httpx.py")
PATHS = ("/api/v1/whoami", "/v0/stores?count=10")


def write_collection(path: Path, count: int) -> list[str]:
    """A collection of `count` requests alternating whoami and the store list; returns their paths."""
    paths = [PATHS[i % len(PATHS)] for i in range(count)]
    lines = ["schema_version = 1", f'name = "Replay {count}"', ""]
    for i, rel in enumerate(paths, 1):
        lines += [
            "[[requests]]",
            f'name = "request {i:04d}"',
            'method = "GET"',
            f'url = "{{{{api_url}}}}{rel}"',
            'headers = { Accept = "application/json" }',
            "",
            "[requests.expect]",
            "status = 200",
            "",
        ]
    path.write_text("\n".join(lines), encoding="utf-8")
    return paths


def _timed(argv: list[str], env: Mapping[str, str], timeout: float) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = time.perf_counter()
    done = subprocess.run(argv, env=dict(env), capture_output=True, text=True, timeout=timeout)
    return time.perf_counter() - started, done


def measure_replay(
    explorer: str,
    sandbox: SandboxProcess,
    *,
    count: int,
    rounds: int,
    env: Mapping[str, str],
    workdir: Path,
    timeout: float = 600.0,
) -> dict[str, Figure]:
    collection = workdir / f"replay-{count}.toml"
    paths = write_collection(collection, count)
    urls_file = workdir / f"replay-{count}.urls"
    urls_file.write_text("".join(f"{sandbox.api_url()}{p}\n" for p in paths))
    report = workdir / "replay-report.json"
    # No token cache: each run starts with none, so it has to fetch exactly one.
    env = dict(env, EXPLORER_TOKEN_CACHE="off")
    figures = {
        "explorer": Figure("explorer run", "s"),
        "bare": Figure("bare httpx loop", "s"),
        "ratio": Figure("bare / explorer", "x"),
        "fetches": Figure("token fetches (report)", "count"),
        "sandbox_fetches": Figure("token fetches (sandbox)", "count"),
    }
    explorer_argv = [explorer, "--config", str(sandbox.profiles), "run", str(collection), "--report", "json"]
    explorer_argv += ["--output", str(report)]
    bare_argv = [sys.executable, str(BARE), sandbox.token_url(), str(urls_file)]
    # One round that is not counted: both fill the bytecode cache and the OS file cache.
    _timed(explorer_argv, env, timeout)
    _timed(bare_argv, env, timeout)
    for _ in range(rounds):
        before = sandbox.token_requests()
        seconds, done = _timed(explorer_argv, env, timeout)
        fetched = sandbox.token_requests() - before
        if done.returncode != 0:
            raise RuntimeError(f"explorer run failed ({done.returncode}): {done.stderr.strip()[-500:]}")
        summary = json.loads(report.read_text())
        if summary["passed"] != count:
            raise RuntimeError(f"explorer run: only {summary['passed']} of {count} requests met expectations")
        bare_seconds, bare = _timed(bare_argv, env, timeout)
        if bare.returncode != 0:
            raise RuntimeError(f"bare httpx loop failed: {bare.stderr.strip()[-500:]}")
        if json.loads(bare.stdout)["ok"] != count:
            raise RuntimeError(f"bare httpx loop: not every request answered 200: {bare.stdout.strip()}")
        figures["explorer"].add(seconds)
        figures["bare"].add(bare_seconds)
        figures["ratio"].add(bare_seconds / seconds)
        figures["fetches"].add(summary["token_fetches"])
        figures["sandbox_fetches"].add(fetched)
    figures["explorer"].notes.append(f"{count} requests, wall time of the whole process")
    return figures
