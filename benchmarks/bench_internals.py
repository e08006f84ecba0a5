"""What each use of a library internal buys (explorer/ui/textual_compat.py, explorer/core/compat.py).

A standalone script, not a test: `python -m benchmarks.bench_internals [--runs 5]`. Each figure is the public way's
cost that the internal avoids, measured on the real app headless (`App.run_test`, 200 x 50), median over runs:

- refresh_css: one `App.refresh_css` on the main screen, the work `ThemeCssPreset` skips at start-up.
- virtual_size: a frame after `virtual_size = …` on the body view (a layout of the screen), against a frame after
  `set_virtual_size_keeping_layout` (no layout), while a body is shown.
- styling: `Stylesheet.apply` on every widget of the main screen with Textual's rule hash (a Python method)
  against `hash_rules_in_c`'s.
- same-size resize: the layout and frame a resize of the size the screen already has costs, which
  `skip_same_size_resize` avoids (three times at start-up).
- anyio backend: importing `anyio._backends._asyncio` after httpx, in a fresh process, the cost the first send
  pays on the event loop without `preload_anyio_backend`.
- first frame: a start of the app headless (120 x 35) to its first frame, in a fresh process, with all of the
  start-up uses on and with each of them off in turn (`first_frame_child.py`): the processor time to the first
  frame, and how many stylings of a widget it took and how long they took. "store off" parses the stylesheet at
  start-up (`ParsedCssStore`); "new-css-only off" parses it whole for each new widget class
  (`parse_new_css_only`); "mounted-only off" styles widgets still being made (`style_mounted_widgets_only`).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

SIZE = (200, 50)


async def _timed(action: Callable[[], Awaitable[object]]) -> float:
    started = time.perf_counter()
    await action()
    return time.perf_counter() - started


async def measure_app(runs: int) -> dict[str, list[float]]:
    from textual.css.model import RuleSet
    from textual.geometry import Size

    from explorer.app.settings import AppSettings
    from explorer.ui.app import ExplorerApp, make_app
    from explorer.ui.textual_compat import TEXTUAL_RULE_HASH, set_virtual_size_keeping_layout
    from explorer.ui.widgets.body_view import BodyView

    figures: dict[str, list[float]] = {
        "refresh_css": [],
        "frame_after_virtual_size": [],
        "frame_after_keeping_layout": [],
        "style_all_python_hash": [],
        "style_all_c_hash": [],
        "same_size_resize_layout": [],
    }
    body = b"[" + b",".join(b'{"id": %d, "name": "item %d"}' % (i, i) for i in range(50_000)) + b"]"
    with tempfile.TemporaryDirectory() as home:
        settings = AppSettings(config_dir=Path(home), token_cache_file=False)
        for _ in range(runs):
            app: ExplorerApp = make_app(settings)
            async with app.run_test(size=SIZE) as pilot:
                await pilot.pause()
                started = time.perf_counter()
                ExplorerApp.refresh_css(app)
                figures["refresh_css"].append(time.perf_counter() - started)
                await pilot.pause()
                nodes = list(app.screen.walk_children(with_self=True))
                c_hash = RuleSet.__hash__
                for name, rule_hash in (("style_all_python_hash", TEXTUAL_RULE_HASH), ("style_all_c_hash", c_hash)):
                    RuleSet.__hash__ = rule_hash  # type: ignore[method-assign]
                    started = time.perf_counter()
                    for node in nodes:
                        app.stylesheet.apply(node)
                    figures[name].append(time.perf_counter() - started)
                RuleSet.__hash__ = c_hash  # type: ignore[method-assign]
                await pilot.pause()
                started = time.perf_counter()
                app.screen._refresh_layout(app.size)  # what Screen's own resize handler does
                figures["same_size_resize_layout"].append(time.perf_counter() - started)
                await pilot.pause()
                view = app.screen.query_one("#response-body", BodyView)
                view.load(body, "application/json")
                while not view.document.complete:
                    await asyncio.sleep(0.05)
                await pilot.pause()
                height = view.virtual_size.height
                view.virtual_size = Size(view.virtual_size.width, height + 100)
                figures["frame_after_virtual_size"].append(await _timed(pilot.pause))
                set_virtual_size_keeping_layout(view, Size(view.virtual_size.width, height + 200))
                figures["frame_after_keeping_layout"].append(await _timed(pilot.pause))
    return figures


def measure_anyio(runs: int) -> list[float]:
    code = (
        "import time, httpx, httpcore; started = time.perf_counter(); import anyio._backends._asyncio; "
        "print(time.perf_counter() - started)"
    )
    return [
        float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
        for _ in range(runs)
    ]


FIRST_FRAME_MODES = {
    "all on": [],
    "store off": ["store"],
    "new-css-only off": ["new-css-only"],
    "mounted-only off": ["mounted-only"],
}


def measure_first_frame(runs: int) -> dict[str, list[dict[str, float]]]:
    """Fresh starts, the modes taking turns so that a busy moment of the machine falls on all of them."""
    import json
    import os

    child = str(Path(__file__).with_name("first_frame_child.py"))
    results: dict[str, list[dict[str, float]]] = {mode: [] for mode in FIRST_FRAME_MODES}
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "XDG_CONFIG_HOME": home, "XDG_CACHE_HOME": home, "XDG_DATA_HOME": home}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        store = str(Path(home) / "styles.pickle")
        for round_ in range(runs + 1):  # the first round writes the store and the bytecode: not counted
            for mode, off in FIRST_FRAME_MODES.items():
                env["EXPLORER_STYLE_CACHE"] = "off" if "store" in off else store
                done = subprocess.run(
                    [sys.executable, child, *off], env=env, capture_output=True, text=True, check=True
                )
                if round_:
                    results[mode].append(json.loads(done.stdout.strip().splitlines()[-1]))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    figures = asyncio.run(measure_app(args.runs))
    figures["anyio_backend_import"] = measure_anyio(args.runs)
    with open("/proc/loadavg") as loadavg:
        print(f"load average: {loadavg.read().split()[0]}; medians over {args.runs} runs [min - max]")
    for name, values in figures.items():
        print(
            f"{name:<28} {statistics.median(values) * 1000:7.1f} ms   "
            f"[{min(values) * 1000:.1f} - {max(values) * 1000:.1f}]"
        )
    print("first frame (fresh process, 120 x 35): processor time; stylings, their time")
    for mode, starts in measure_first_frame(args.runs).items():
        cpu = [start["cpu_s"] * 1000 for start in starts]
        styling = [start["styling_s"] * 1000 for start in starts]
        print(
            f"  {mode:<18} {statistics.median(cpu):7.0f} ms [{min(cpu):.0f} - {max(cpu):.0f}]   "
            f"{statistics.median([start['stylings'] for start in starts]):4.0f} stylings, "
            f"{statistics.median(styling):5.0f} ms"
        )


if __name__ == "__main__":
    main()
