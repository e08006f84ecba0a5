"""Run explorer's benchmark suite, print the table and write the JSON (see benchmarks/README.md).

.venv/bin/python -m benchmarks.run [--quick] [--vs-posting] [--runs N] [--json FILE]
.venv/bin/python benchmarks/run.py ...        (the same)
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar

if __package__ in (None, ""):  # run as a script: make the `benchmarks` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import tui
from benchmarks.apps import App, Explorer, Posting, TextualFloor, environment_without_terminal, posting_version
from benchmarks.machine import describe_machine, machine_line
from benchmarks.posting_env import fetch_token, posting_executable
from benchmarks.processes import measure_processes
from benchmarks.replay import measure_replay
from benchmarks.report import EXPLORER, POSTING, Results, Row, summary_lines, table, write_json
from benchmarks.sandbox import SandboxProcess
from benchmarks.stats import Target
from benchmarks.terminal import WaitTimeout

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
SIZES: dict[str, tuple[str, str]] = {
    "200kb": ("200 KB", "size_kb=200"),
    "5mb": ("5 MB", "size_mb=5"),
    "50mb": ("50 MB", "size_mb=50"),
}
T = TypeVar("T")


def build_rows(sizes: list[str], replay_count: int) -> list[Row | str]:
    rows: list[Row | str] = [
        "Launch (spawn → first frame showing the main screen)",
        Row("launch.demo", "explorer --demo → usable", "s"),
        Row("launch.config", "--config / collection → usable", "s", Target("<=", 0.4), vs_posting=True),
        Row("launch.config.cpu", "--config / collection → usable, CPU time", "s", vs_posting=True),
        Row("launch.config.idle", "--config / collection → idle", "s"),
        Row("launch.floor", "bare Textual app (input, text, footer) → usable", "s"),
        Row("launch.floor.cpu", "bare Textual app → usable, CPU time", "s"),
        "Typing with nothing loading",
        Row("keys.idle", "key echo at rest (median)", "s"),
    ]
    for size in sizes:
        label = SIZES[size][0]
        visible = {"5mb": Target("<=", 1.0), "50mb": Target("<=", 3.0)}.get(size)
        key_target = Target("<", 0.1) if size in ("5mb", "50mb") else None
        move_target = {"5mb": Target("<", 0.05), "50mb": Target("<", 0.1)}.get(size)
        memory = {"5mb": Target("<=", 200), "50mb": Target("<=", 700)}.get(size)
        rows += [
            f"{label} JSON body",
            Row(f"body.{size}.visible", f"{label}: send → body visible", "s", visible),
            Row(f"body.{size}.busy", f"{label}: send → app idle", "s"),
            Row(f"keys.{size}.worst", f"{label}: key echo while loading, worst", "s", key_target),
            Row(f"keys.{size}.median", f"{label}: key echo while loading, median", "s"),
            Row(f"body.{size}.down", f"{label}: one line down", "s", move_target),
            Row(f"body.{size}.bottom", f"{label}: to the end", "s", move_target),
            Row(f"body.{size}.top", f"{label}: to the top", "s", move_target),
            Row(f"body.{size}.peak", f"{label}: peak memory (VmHWM)", "MiB", memory),
        ]
    rows += [
        "Whole processes",
        Row("process.python", "python -c pass (floor)", "s"),
        Row("process.help", "explorer --help", "s"),
        Row("process.token_raw", "explorer token --raw (cached)", "s", Target("<=", 0.15)),
        Row("process.python.cpu", "python -c pass, CPU time", "s"),
        Row("process.help.cpu", "explorer --help, CPU time", "s"),
        Row("process.token_raw.cpu", "explorer token --raw, CPU time", "s"),
        f"Replay of {replay_count:,} requests",
        Row("replay.explorer", "explorer run", "s"),
        Row("replay.bare", "bare httpx.AsyncClient loop", "s"),
        Row("replay.ratio", "bare / explorer", "x", Target(">=", 0.8)),
        Row("replay.fetches", "token fetches (explorer's report)", "count", Target("==", 1)),
        Row("replay.sandbox_fetches", "token fetches (sandbox's count)", "count", Target("==", 1)),
    ]
    return rows


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class Suite:
    def __init__(self, args: argparse.Namespace, results: Results, workdir: Path) -> None:
        self.args = args
        self.results = results
        self.workdir = workdir
        self.env = environment_without_terminal()
        self._screens = 0

    def guard(self, where: str, action: Callable[[], T]) -> T | None:
        """Run one measurement; a failure is recorded (with the last screen) and the suite goes on."""
        try:
            return action()
        except KeyboardInterrupt:
            raise
        except WaitTimeout as exc:
            self._screens += 1
            path = RESULTS / "screens" / f"{self._screens:02d}-{where.replace(' ', '-').replace('/', '-')}.txt"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("\n".join(exc.screen) + "\n", encoding="utf-8")
            self.results.error(where, str(exc), str(path))
            log(f"{where}: {exc} (last screen in {path})")
        except Exception as exc:  # one failed measurement must not lose the others
            self.results.error(where, f"{type(exc).__name__}: {exc}")
            log(f"{where}: {type(exc).__name__}: {exc}")
            traceback.print_exc(file=sys.stderr)
        return None

    # -- headless ------------------------------------------------------------------------------------------

    def processes(self, explorer: str, sandbox: SandboxProcess) -> None:
        log(f"whole processes, {self.args.process_runs} runs each")
        env = Explorer(self.workdir / "home-cli", explorer, sandbox.profiles).env(self.env)
        figures = self.guard(
            "processes",
            lambda: measure_processes(explorer, sandbox, runs=self.args.process_runs, env=env, workdir=self.workdir),
        )
        keys = {"python -c pass": "process.python", "explorer --help": "process.help"}
        keys["explorer token --raw"] = "process.token_raw"
        keys |= {f"{name} (CPU)": f"{key}.cpu" for name, key in keys.items()}
        for name, figure in (figures or {}).items():
            figure.key = keys[name]
            self.results.figures.setdefault(EXPLORER, {})[keys[name]] = figure
            log(f"  {name}: median {figure.show(figure.median)} ({figure.spread()})")

    def replay(self, explorer: str, sandbox: SandboxProcess) -> None:
        count, rounds = self.args.replay_count, self.args.replay_runs
        log(f"explorer run vs bare httpx, {count} requests, {rounds} rounds")
        env = Explorer(self.workdir / "home-cli", explorer, sandbox.profiles).env(self.env)
        figures = self.guard(
            "replay",
            lambda: measure_replay(
                explorer, sandbox, count=count, rounds=rounds, env=env, workdir=self.workdir, timeout=self.args.cap * 5
            ),
        )
        for name, figure in (figures or {}).items():
            figure.key = f"replay.{name}"
            self.results.figures.setdefault(EXPLORER, {})[figure.key] = figure
            log(f"  {name}: median {figure.show(figure.median)} ({figure.spread()})")

    # -- through the terminal ------------------------------------------------------------------------------

    def floor(self, app: App, api_url: str) -> None:
        """Launches of a bare Textual app, measured as explorer's are: the part of a launch no pane causes."""
        self.guard("floor warm-up", lambda: tui.measure_launch(app, "config", api_url, self.env, self.workdir))
        for run in range(self.args.launch_runs):
            where = f"floor launch run {run + 1}"
            launch = self.guard(where, partial(tui.measure_launch, app, "config", api_url, self.env, self.workdir))
            if launch is None:
                continue
            self.results.figure(EXPLORER, "launch.floor", "s").add(launch.usable)
            if launch.usable_cpu is not None:
                self.results.figure(EXPLORER, "launch.floor.cpu", "s").add(launch.usable_cpu)
            log(f"  {where}: usable {launch.usable:.3f} s")

    def terminal_tests(self, app: App, owner: str, variants: list[str], sizes: dict[str, int], api_url: str) -> None:
        cap = self.args.cap
        results = self.results

        def url(size: str) -> str:
            return f"{api_url}/api/v1/catalog/export?{SIZES[size][1]}"

        first = url(next(iter(sizes), "200kb"))
        log(f"{app.name}: one warm-up launch")
        self.guard(f"{owner} warm-up", lambda: tui.measure_launch(app, variants[-1], first, self.env, self.workdir))
        for variant in variants:
            for run in range(self.args.launch_runs):
                where = f"{owner} launch {variant} run {run + 1}"
                launch = self.guard(where, partial(tui.measure_launch, app, variant, first, self.env, self.workdir))
                if launch is None:
                    continue
                results.figure(owner, f"launch.{variant}", "s").add(launch.usable)
                if launch.idle is not None:
                    results.figure(owner, f"launch.{variant}.idle", "s").add(launch.idle)
                if launch.usable_cpu is not None:
                    results.figure(owner, f"launch.{variant}.cpu", "s").add(launch.usable_cpu)
                idle = f"{launch.idle:.2f} s" if launch.idle is not None else "not idle"
                cpu = f"{launch.usable_cpu:.3f} s CPU" if launch.usable_cpu is not None else "CPU unknown"
                log(f"  {where}: usable {launch.usable:.3f} s ({cpu}), idle {idle}")
        for size, runs in sizes.items():
            label = SIZES[size][0]
            for run in range(runs):
                where = f"{owner} body {label} run {run + 1}/{runs}"
                body = self.guard(
                    where, partial(tui.measure_body, app, url(size), self.env, self.workdir, cap=cap, move_cap=cap)
                )
                if body is None:
                    continue
                self._record_body(owner, size, body)
                log(f"  {where}: {self._describe_body(body)}")
            busy_figure = results.get(owner, f"body.{size}.busy")
            busy = statistics.median(busy_figure.values) if busy_figure and busy_figure.values else None
            if busy is not None and busy == float("inf"):
                busy = None
            for run in range(runs):
                where = f"{owner} keys {label} run {run + 1}/{runs}"
                keys = self.guard(
                    where, partial(tui.measure_keys, app, url(size), self.env, self.workdir, cap=cap, busy=busy)
                )
                if keys is None:
                    continue
                self._record_keys(owner, size, keys)
                worst = f"{keys.worst:.3f} s" if keys.worst is not None else "—"
                median = f"{keys.median:.3f} s" if keys.median is not None else "—"
                log(
                    f"  {where}: {len(keys.delays)} keys ({keys.during_load} before the body showed), "
                    f"worst {worst}{' (capped)' if keys.capped else ''}, median {median}, "
                    f"at rest {keys.idle_median or 0:.3f} s"
                )

    def _record_body(self, owner: str, size: str, body: tui.BodyResult) -> None:
        cap = self.args.cap
        results = self.results
        visible = results.figure(owner, f"body.{size}.visible", "s", cap=cap)
        if body.visible is None:
            visible.add_capped()
        else:
            visible.add(body.visible)
        busy = results.figure(owner, f"body.{size}.busy", "s", cap=cap)
        if body.visible is not None:
            if body.busy is not None:
                busy.add(body.busy)
            else:
                busy.add_capped()
        for name, value in body.moves.items():
            figure = results.figure(owner, f"body.{size}.{name}", "s", cap=cap)
            if value is not None:
                figure.add(value)
            else:
                figure.add_capped()
        if body.peak_rss_mib is not None:
            results.figure(owner, f"body.{size}.peak", "MiB").add(body.peak_rss_mib)
        if body.rss_before_mib is not None:
            results.figure(owner, f"body.{size}.peak_before_send", "MiB").add(body.rss_before_mib)

    def _record_keys(self, owner: str, size: str, keys: tui.KeysResult) -> None:
        cap = self.args.cap
        results = self.results
        worst = results.figure(owner, f"keys.{size}.worst", "s", cap=cap)
        if keys.capped or keys.worst is None:
            worst.add_capped()
        else:
            worst.add(keys.worst)
        if keys.median is not None:
            results.figure(owner, f"keys.{size}.median", "s").add(keys.median)
        results.figure(owner, f"keys.{size}.count", "count").add(len(keys.delays))
        results.figure(owner, f"keys.{size}.count_before_body", "count").add(keys.during_load)
        for delay in keys.idle_delays:
            results.figure(owner, "keys.idle", "s").add(delay)

    @staticmethod
    def _describe_body(body: tui.BodyResult) -> str:
        def s(value: float | None) -> str:
            return f"{value:.3f} s" if value is not None else "over the cap"

        if body.visible is None:
            return f"body not visible within the cap; peak {body.peak_rss_mib or 0:.0f} MiB"
        moves = ", ".join(f"{name} {s(value)}" for name, value in body.moves.items())
        return f"visible {s(body.visible)}, idle {s(body.busy)}, {moves}, peak {body.peak_rss_mib or 0:.0f} MiB"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run", description="explorer's benchmark suite (see benchmarks/README.md)."
    )
    parser.add_argument("--quick", action="store_true", help="a fast sanity pass: 1 run each, no 50 MB, no Posting")
    parser.add_argument("--vs-posting", action="store_true", help="measure Posting the same way, for ratios")
    parser.add_argument("--runs", type=int, default=3, metavar="N", help="runs of each TUI body/keys test (3)")
    parser.add_argument("--launch-runs", type=int, default=5, metavar="N", help="runs of each launch test (5)")
    parser.add_argument("--process-runs", type=int, default=10, metavar="N", help="runs of each process (10)")
    parser.add_argument("--replay-runs", type=int, default=3, metavar="N", help="rounds of the replay test (3)")
    parser.add_argument("--replay-count", type=int, default=1000, metavar="N", help="requests per replay (1000)")
    parser.add_argument(
        "--posting-50mb-runs", type=int, default=1, metavar="N", help="runs of Posting's 50 MB tests (1; 0 skips)"
    )
    parser.add_argument("--cap", type=float, default=120.0, metavar="S", help="time cap of one measurement (120 s)")
    parser.add_argument(
        "--only",
        action="append",
        choices=("processes", "replay", "tui", "launch"),
        help="run only these parts (repeatable; default: all); launch: the TUI launch tests alone",
    )
    parser.add_argument("--json", metavar="FILE", help="also write the JSON here (always: results/latest.json)")
    args = parser.parse_args(argv)
    if args.quick:
        args.runs, args.launch_runs, args.process_runs, args.replay_runs = 1, 2, 3, 1
        args.vs_posting = False
    for name in ("runs", "launch_runs", "process_runs", "replay_runs", "replay_count"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if shutil.which("tmux") is None:
        print("The suite drives the app in tmux: install it (apt-get install tmux).", file=sys.stderr)
        return 2
    explorer = shutil.which("explorer", path=str(Path(sys.executable).parent)) or shutil.which("explorer")
    if explorer is None:
        print("No `explorer` next to this Python: run the suite with the project's venv Python.", file=sys.stderr)
        return 2
    parts = set(args.only or ("processes", "replay", "tui"))
    # `launch` is the terminal tests without the bodies: the launch figures alone, in a minute or two.
    launch_only = "launch" in parts and "tui" not in parts
    if launch_only:
        parts.add("tui")
    sizes = [] if launch_only else ["200kb", "5mb"] if args.quick else ["200kb", "5mb", "50mb"]
    rows = build_rows(sizes, args.replay_count)
    started = time.perf_counter()
    machine = describe_machine()
    machine["load_average_at_start"] = [round(x, 2) for x in os.getloadavg()]
    settings = {k: v for k, v in vars(args).items() if k != "json"}
    settings.update({"sizes": sizes, "terminal": "200x50 tmux-256color, truecolor", "poll_seconds": 0.01})
    results = Results(machine, settings, started=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
    workdir = Path(tempfile.mkdtemp(prefix="explorer-bench-"))
    interrupted = False
    try:
        with SandboxProcess(workdir) as sandbox:
            log(f"sandbox at {sandbox.base_url}; work files in {workdir}")
            suite = Suite(args, results, workdir)
            if "processes" in parts:
                suite.processes(explorer, sandbox)
            if "replay" in parts:
                suite.replay(explorer, sandbox)
            if "tui" in parts:
                app = Explorer(workdir / "home-explorer", explorer, sandbox.profiles)
                suite.terminal_tests(
                    app, EXPLORER, ["demo", "config"], dict.fromkeys(sizes, args.runs), sandbox.api_url()
                )
                suite.floor(TextualFloor(workdir / "home-floor", sys.executable), sandbox.api_url())
            if args.vs_posting and "tui" in parts:
                script = suite.guard("posting setup", lambda: posting_executable(log=workdir / "posting-install.log"))
                token = suite.guard("posting token", lambda: fetch_token(sandbox.token_url()))
                if script and token:
                    machine["posting"], machine["posting_textual"] = posting_version(script)
                    posting_sizes = {size: args.runs for size in ("200kb", "5mb") if size in sizes}
                    if args.posting_50mb_runs > 0 and "50mb" in sizes:
                        posting_sizes["50mb"] = args.posting_50mb_runs
                    posting = Posting(workdir / "home-posting", script, token)
                    suite.terminal_tests(posting, POSTING, ["config"], posting_sizes, sandbox.api_url())
    except KeyboardInterrupt:
        interrupted = True
        log("interrupted: writing what was measured so far")
    finally:
        results.seconds = time.perf_counter() - started
        machine["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
        shutil.rmtree(workdir, ignore_errors=True)
    print()
    print(f"Machine: {machine_line(machine)}")
    print(f"Load average at start {machine['load_average_at_start']}, at end {machine['load_average_at_end']}")
    print(
        f"Runs: {args.runs} per TUI test, {args.launch_runs} per launch, {args.process_runs} per process; "
        f"medians with the spread (min - max) beside them. Took {results.seconds / 60:.1f} min."
    )
    print()
    print(table(results, rows))
    missed = summary_lines(results, rows)
    if missed:
        print("\nTargets not met:")
        print("\n".join(missed))
    if results.errors:
        print("\nMeasurements that failed:")
        for error in results.errors:
            print(
                f"  {error['where']}: {error['error']}" + (f" (screen: {error['screen']})" if error["screen"] else "")
            )
    paths = [RESULTS / "latest.json"] + ([Path(args.json)] if args.json else [])
    for path in paths:
        write_json(results, rows, path)
    print(f"\nJSON: {', '.join(str(p.resolve()) for p in paths)}")
    return 130 if interrupted else 0


if __name__ == "__main__":
    sys.exit(main())
