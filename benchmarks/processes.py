"""Whole-process timings: `explorer --help` and `explorer token --raw` with a cached token.

hyperfine does the timing when it is installed (no shell in between, two warm-up runs); otherwise a loop of
`subprocess.run` calls timed with perf_counter, after one warm-up run. Python's own start (`python -c pass`) is
measured the same way, as the floor no Python command can go below.
"""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from benchmarks.sandbox import SandboxProcess
from benchmarks.stats import Figure


def time_commands(
    commands: Mapping[str, Sequence[str]], *, runs: int, env: Mapping[str, str], workdir: Path
) -> dict[str, Figure]:
    """Wall-clock seconds of each command, `runs` times, and its CPU time (user + system) as "NAME (CPU)";
    every command must exit 0. On a shared machine the wall time includes waiting for a core, the CPU time not."""
    for name, argv in commands.items():
        done = subprocess.run(argv, env=dict(env), capture_output=True, text=True, timeout=60)
        if done.returncode != 0:
            raise RuntimeError(f"{name}: `{' '.join(argv)}` failed: {done.stderr.strip()[:300]}")
    if shutil.which("hyperfine"):
        return _hyperfine(commands, runs=runs, env=env, workdir=workdir)
    return _loop(commands, runs=runs, env=env)


def _hyperfine(
    commands: Mapping[str, Sequence[str]], *, runs: int, env: Mapping[str, str], workdir: Path
) -> dict[str, Figure]:
    export = workdir / "hyperfine.json"
    argv = ["hyperfine", "-N", "--warmup", "2", "--runs", str(runs), "--style", "none", "--export-json", str(export)]
    for name, command in commands.items():
        argv += ["--command-name", name, " ".join(command)]
    subprocess.run(argv, env=dict(env), check=True, capture_output=True, timeout=600)
    figures: dict[str, Figure] = {}
    for result in json.loads(export.read_text())["results"]:
        figure = Figure(result["command"], "s", notes=["hyperfine -N, 2 warm-up runs"])
        for value in result["times"]:
            figure.add(value)
        figures[result["command"]] = figure
        cpu = Figure(f"{result['command']} (CPU)", "s", notes=["hyperfine's mean user + system time"])
        cpu.add(result["user"] + result["system"])
        figures[f"{result['command']} (CPU)"] = cpu
    return figures


def _loop(commands: Mapping[str, Sequence[str]], *, runs: int, env: Mapping[str, str]) -> dict[str, Figure]:
    figures: dict[str, Figure] = {}
    for name, argv in commands.items():
        figure = Figure(name, "s", notes=["perf_counter around subprocess.run, 1 warm-up run"])
        cpu = Figure(f"{name} (CPU)", "s", notes=["the child's user + system time (getrusage)"])
        subprocess.run(argv, env=dict(env), capture_output=True, timeout=60)
        for _ in range(runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            subprocess.run(argv, env=dict(env), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
            figure.add(time.perf_counter() - started)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.add(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        figures[name] = figure
        figures[cpu.key] = cpu
    return figures


def measure_processes(
    explorer: str, sandbox: SandboxProcess, *, runs: int, env: Mapping[str, str], workdir: Path
) -> dict[str, Figure]:
    """`explorer --help`, `explorer token --raw` (cached) and `python -c pass`; checks the cache was used."""
    config = str(sandbox.profiles)
    env = dict(env, EXPLORER_TOKEN_CACHE=str(workdir / "tokens.json"))
    # Fill the cache first: one fetch, after which every `token --raw` must be served from it.
    subprocess.run([explorer, "--config", config, "token"], env=env, check=True, capture_output=True, timeout=60)
    before = sandbox.token_requests()
    figures = time_commands(
        {
            "python -c pass": [sys.executable, "-c", "pass"],
            "explorer --help": [explorer, "--help"],
            "explorer token --raw": [explorer, "--config", config, "token", "--raw"],
        },
        runs=runs,
        env=env,
        workdir=workdir,
    )
    fetched = sandbox.token_requests() - before
    if fetched:
        figures["explorer token --raw"].notes.append(f"the cache was missed: {fetched} token fetch(es) during runs")
    else:
        figures["explorer token --raw"].notes.append("served from the token cache (no token fetch during the runs)")
    return figures
