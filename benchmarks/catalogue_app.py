"""The catalogue pane in a headless Textual app (160x48), reading a big description the way the app does.

Run by bench_catalogue.py, each run in a fresh interpreter. Measured:

- on screen: from asking for the description (a worker reads it in a thread, in a LoadScope) to the first
  operation row drawn;
- keys while it loads: a key typed into another input every 20 ms, from the press to its Changed handler; the
  worst is reported;
- filter keystrokes: each character of a few queries typed into the filter, from the press to the list's next
  drawn row; the worst is reported.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

QUERIES = ("orders get", "refund 12", "delete")


def _status(key: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key):
            return int(line.split()[1]) / 1024
    return 0.0


def run_once(spec: Path) -> dict[str, Any]:
    from textual import on, work
    from textual.app import App, ComposeResult
    from textual.strip import Strip
    from textual.widgets import Input

    from explorer.core.load_scope import LoadScope
    from explorer.core.openapi.source import load_catalogue
    from explorer.ui.widgets.catalogue_list import CatalogueList
    from explorer.ui.widgets.catalogue_pane import CataloguePane

    styles = Path(__file__).resolve().parents[1] / "explorer" / "ui" / "styles" / "widgets.tcss"

    class Probe(CatalogueList):
        drawn_at: float | None = None
        # Before the description is read, only a drawn operation counts; afterwards any drawn line does.
        need_rows = True

        def render_line(self, y: int) -> Strip:
            if self.drawn_at is None and (self.rows or not self.need_rows):
                self.drawn_at = time.perf_counter()
            return super().render_line(y)

    class BenchPane(CataloguePane):
        def compose(self) -> ComposeResult:
            # The pane's own parts, with the list that notes when it draws.
            for widget in super().compose():
                yield Probe(id="catalogue-list") if isinstance(widget, CatalogueList) else widget

    class BenchApp(App[None]):
        CSS_PATH = styles

        def __init__(self) -> None:
            super().__init__()
            self.loaded = False
            self.changed_at: float | None = None

        def compose(self) -> ComposeResult:
            yield Input(id="probe")
            yield BenchPane()

        @on(Input.Changed, "#probe")
        def _probe_changed(self) -> None:
            self.changed_at = time.perf_counter()

        @work(exclusive=True, exit_on_error=False)
        async def load(self) -> None:
            with LoadScope():
                catalogue = await load_catalogue(str(spec))
            self.query_one(BenchPane).show_catalogue(catalogue)
            self.loaded = True

    async def main() -> dict[str, Any]:
        before = _status("VmRSS:")
        app = BenchApp()
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.pause()
            probe = app.query_one(Probe)
            app.query_one("#probe", Input).focus()
            started = time.perf_counter()
            app.load()
            keys: list[float] = []
            while not app.loaded:
                app.changed_at = None
                pressed = time.perf_counter()
                await pilot.press("x")
                if app.changed_at is not None:
                    keys.append(app.changed_at - pressed)
                await asyncio.sleep(0.02)
            await pilot.pause()
            while probe.drawn_at is None:
                await asyncio.sleep(0.0005)
            on_screen = probe.drawn_at - started
            app.query_one("#catalogue-filter", Input).focus()
            probe.need_rows = False
            filters: list[float] = []
            for query in QUERIES:
                for char in query:
                    probe.drawn_at = None
                    pressed = time.perf_counter()
                    await pilot.press("space" if char == " " else char)
                    for _ in range(2000):
                        if probe.drawn_at is not None:
                            break
                        await asyncio.sleep(0.0005)
                    if probe.drawn_at is not None:
                        filters.append(probe.drawn_at - pressed)
                    await pilot.pause()
                for _ in query:
                    app.simulate_key("backspace")
                await pilot.pause()
        return {
            "on_screen_s": on_screen,
            "key_worst_ms": max(keys, default=0.0) * 1000,
            "keys_during_load": len(keys),
            "filter_worst_ms": max(filters) * 1000,
            "filters_ms": [round(f * 1000) for f in filters],
            "peak_growth_mb": _status("VmHWM:") - before,
        }

    return asyncio.run(main())


def measure_app(spec: Path, *, runs: int) -> dict[str, float]:
    results = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, __file__, str(spec)], capture_output=True, text=True, check=True, timeout=300
        ).stdout
        results.append(json.loads(out.strip().splitlines()[-1]))
    import statistics

    return {
        "app.on_screen_s": statistics.median(r["on_screen_s"] for r in results),
        "app.key_worst_ms": max(r["key_worst_ms"] for r in results),
        "app.keys_during_load": float(sum(r["keys_during_load"] for r in results)),
        "app.filter_worst_ms": max(r["filter_worst_ms"] for r in results),
        "app.peak_growth_mb": max(r["peak_growth_mb"] for r in results),
    }


if __name__ == "__main__":
    if str(Path(__file__).resolve().parents[1]) not in sys.path:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    print(json.dumps(run_once(Path(sys.argv[1]))))
