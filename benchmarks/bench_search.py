"""Searching the 5 MB body: how soon the count shows, and how long a key waits while a search runs.

A standalone script, not a test: `python benchmarks/bench_search.py [--size 5] [--runs 3]`.

The body is `bench_body_view.make_body` (a compact JSON array of orders, pretty printed by the viewer into about
230,000 lines per 5 MB). Each run is a fresh process holding the real response pane (120x40, headless), the body
fully formatted before anything is timed. It measures:

- **to the count**: the pattern typed into the search bar (as one change of its text) until the bar shows
  "N of M" for a common word (every order has it), a rare one (one order) and one that is not there
  (the whole body read to say so).
- **key wait while searching**: with the body focused, a search for the absent pattern (the longest: the whole
  body is read) started again and again for 1.5 s, and `down` pressed while each runs; the time from the key to
  the line with the cursor drawn, the median and the worst. The target is 100 ms (a key must answer within it).
- **n to the next match**: from `n` to the cursor on the next match of the common word (a search from the
  cursor in the thread, and the count of the matches before it).
- **wrap**: `w` on the formatted body until the first wrapped screen is drawn, and a key (`down`) after it.

Each figure is the median over the runs; "worst" is the worst over all runs. Say the load average when you
quote them: CPU time is printed beside wall time, as the machine is shared.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_body_view import make_body

KEY_TARGET = 0.1
PATTERNS = {"common": "currency", "rare": "ord-00001234", "absent": "no such text"}


def measure(megabytes: float) -> dict[str, Any]:
    from textual.app import App, ComposeResult
    from textual.strip import Strip
    from textual.widgets import Input, Static

    from explorer.core.http import ResponseRecord, SentRequest
    from explorer.ui.widgets.body_view import BodyView
    from explorer.ui.widgets.response import ResponsePane
    from explorer.ui.widgets.search_bar import SearchBar

    drawn: dict[str, float | None] = {"cursor": None, "want": None}

    def probe_render(self: BodyView, y: int, _original: Any = BodyView.render_line) -> Strip:
        strip = _original(self, y)
        wanted = drawn["want"] is not None and drawn["cursor"] is None and self.cursor_line == drawn["want"]
        if self.id == "response-body" and wanted:
            drawn["cursor"] = time.perf_counter()
        return strip

    BodyView.render_line = probe_render  # type: ignore[method-assign]

    class BenchApp(App[None]):
        CSS_PATH = str(Path(__file__).resolve().parents[1] / "explorer" / "ui" / "styles" / "widgets.tcss")

        def __init__(self) -> None:
            super().__init__()
            self.loaded = False

        def compose(self) -> ComposeResult:
            yield ResponsePane()

        def on_body_view_loaded(self, message: BodyView.Loaded) -> None:
            self.loaded = True

    body = make_body(megabytes)
    sent = SentRequest("GET", "https://api.example/v0/orders", (), b"", True, False)
    record = ResponseRecord(200, "OK", "HTTP/1.1", [("content-type", "application/json")], 0.1, body, sent)

    async def until(test: Any, limit: float = 60.0) -> float:
        started = time.perf_counter()
        while not test():
            if time.perf_counter() - started > limit:
                raise TimeoutError
            await asyncio.sleep(0.0005)
        return time.perf_counter()

    async def run() -> dict[str, Any]:
        app = BenchApp()
        result: dict[str, Any] = {}
        async with app.run_test(size=(120, 40)) as pilot:
            pane = app.query_one(ResponsePane)
            pane.show_response(record)
            view = pane.query_one("#response-body", BodyView)
            await until(lambda: app.loaded, 120)
            result["lines"] = view.line_count
            bar = pane.query_one(SearchBar)
            count = bar.query_one("#search-count", Static)
            view.focus()
            await pilot.press("slash")
            await pilot.pause()
            field = bar.query_one("#search-input", Input)
            for name, pattern in PATTERNS.items():
                field.value = ""
                await until(lambda: str(count.content) == "")
                cpu = time.process_time()
                started = time.perf_counter()
                field.value = pattern
                done = await until(lambda: str(count.content) not in ("", "…"))
                result[f"count_{name}"] = done - started
                result[f"count_{name}_cpu"] = time.process_time() - cpu
                result[f"count_{name}_text"] = str(count.content)
            # Keys while searching: with the body focused, a search for text that is not there (it reads the whole
            # body) started again and again, and `down` pressed while each runs.
            view.focus()
            await pilot.pause()
            waits: list[float] = []
            cpu = time.process_time()
            ends = time.perf_counter() + 1.5
            while time.perf_counter() < ends:
                view.search(PATTERNS["absent"])
                await asyncio.sleep(0.01)
                drawn["cursor"], drawn["want"] = None, view.cursor_line + 1
                started = time.perf_counter()
                app.simulate_key("down")
                seen = await until(lambda: drawn["cursor"] is not None)
                waits.append(seen - started)
                await asyncio.sleep(0.02)
            result["keys"] = waits
            result["keys_cpu"] = time.process_time() - cpu
            # n: from one match to the next (a search from the cursor, and the count of those before it).
            view.search(PATTERNS["common"])
            await until(lambda: view.cursor_line > 0)
            steps: list[float] = []
            for _ in range(5):
                before = view.cursor_line
                started = time.perf_counter()
                app.simulate_key("n")
                await until(lambda before=before: view.cursor_line != before)  # type: ignore[misc]
                steps.append(time.perf_counter() - started)
                await asyncio.sleep(0.02)
            result["next"] = steps
            # Wrap on the formatted body, then a key.
            if "body.wrap" in {b.id for b in view._bindings.key_to_bindings.get("w", [])}:
                cpu = time.process_time()
                started = time.perf_counter()
                drawn["cursor"], drawn["want"] = None, view.cursor_line
                app.simulate_key("w")
                await until(lambda: getattr(view, "wrap", False))
                view.refresh()
                seen = await until(lambda: drawn["cursor"] is not None)
                result["wrap"] = seen - started
                result["wrap_cpu"] = time.process_time() - cpu
                drawn["cursor"], drawn["want"] = None, view.cursor_line + 1
                started = time.perf_counter()
                app.simulate_key("down")
                seen = await until(lambda: drawn["cursor"] is not None)
                result["wrap_down"] = seen - started
        return result

    return asyncio.run(run())


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms" if seconds >= 0.01 else f"{seconds * 1000:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--size", type=float, default=5.0, help="body size in MB")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.size)))
        return
    runs: list[dict[str, Any]] = []
    for _ in range(args.runs):
        out = subprocess.run(
            [sys.executable, __file__, "--child", "--size", str(args.size)], capture_output=True, text=True, check=True
        )
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    load = os.getloadavg()
    print(f"Python {sys.version.split()[0]}, {args.size:g} MB body ({runs[0]['lines']:,} lines), {args.runs} runs,"
          f" medians; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")  # fmt: skip
    for name, pattern in PATTERNS.items():
        wall = statistics.median(r[f"count_{name}"] for r in runs)
        cpu = statistics.median(r[f"count_{name}_cpu"] for r in runs)
        print(
            f"  to the count, {name} {pattern!r}: {ms(wall)} (CPU {ms(cpu)}), shows {runs[0][f'count_{name}_text']!r}"
        )
    keys = [k for r in runs for k in r["keys"]]
    worst = max(keys)
    slow = sum(1 for k in keys if k > KEY_TARGET)
    print(f"  key wait while searching (down, {len(keys)} presses): median {ms(statistics.median(keys))},"
          f" worst {ms(worst)} {'ok' if worst <= KEY_TARGET else 'OVER'} ({slow} over {ms(KEY_TARGET)});"
          f" CPU per run {ms(statistics.median(r['keys_cpu'] for r in runs))}")  # fmt: skip
    steps = [k for r in runs for k in r["next"]]
    print(f"  n to the next match: median {ms(statistics.median(steps))}, worst {ms(max(steps))}")
    if all("wrap" in r for r in runs):
        print(f"  wrap on (w) to the wrapped screen: {ms(statistics.median(r['wrap'] for r in runs))}"
              f" (CPU {ms(statistics.median(r['wrap_cpu'] for r in runs))}),"
              f" then down: {ms(statistics.median(r['wrap_down'] for r in runs))}")  # fmt: skip


if __name__ == "__main__":
    main()
