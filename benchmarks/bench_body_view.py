"""How fast big response bodies show in the body viewer, and what they cost in memory.

A standalone script, not a test: `python benchmarks/bench_body_view.py [--sizes 0.2,5,50] [--runs 3]`.

For each body size (a JSON array of order-like objects, compact, as APIs send it) it measures, each in a fresh
process so peak memory belongs to that size alone:

- core: `build_document` alone: time to the first 100 lines, time to the last line, peak RSS; then the time to
  highlight a screen (50 lines) with the viewer's highlighter.
- app: a headless Textual app holding one BodyView (100x30): time until the first lines are drawn, how long a
  key press takes to show while the body is still being formatted, until the whole body is ready, and once it
  is: end, home and one line down. Peak RSS is the whole app process, the body included.

Each figure is the median over the runs; the worst key press is the worst over all runs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import resource
import statistics
import subprocess
import sys
import time
from typing import Any

TARGETS = {
    # size in MB: (first lines visible, peak RSS in MB)
    5.0: (1.0, 200),
    50.0: (3.0, 700),
}
KEY_TARGET = 0.1
MOVE_TARGET = 0.05


def make_body(megabytes: float) -> bytes:
    """A compact JSON array of orders, about `megabytes` long."""
    rnd = random.Random(7)
    target = int(megabytes * 1024 * 1024)
    parts: list[str] = []
    size = 0
    i = 0
    while size < target:
        order = {
            "id": f"ord-{i:08d}",
            "customer": {"name": f"Customer {i}", "email": f"c{i}@example.com", "tags": ["vip", "eu"]},
            "total": round(rnd.random() * 1000, 2),
            "currency": "EUR",
            "paid": i % 2 == 0,
            "note": None,
            "lines": [{"sku": f"SKU-{rnd.randint(1, 99999)}", "qty": rnd.randint(1, 5)} for _ in range(2)],
            "created_at": "2024-05-01T12:00:00Z",
        }
        text = json.dumps(order)
        parts.append(text)
        size += len(text) + 1
        i += 1
    return ("[" + ",".join(parts) + "]").encode()


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def measure_core(megabytes: float) -> dict[str, Any]:
    from explorer.core.document import Document, build_document
    from explorer.ui.highlighting import LineHighlighter

    body = make_body(megabytes)
    document = Document()
    started = time.perf_counter()
    first: list[float] = []

    def progress() -> None:
        if not first and document.line_count >= 100:
            first.append(time.perf_counter() - started)

    build_document(body, "application/json", on_progress=progress, into=document)
    complete = time.perf_counter() - started

    from rich.color_triplet import ColorTriplet
    from rich.style import Style

    middle = document.line_count // 2
    lines = document.lines(middle, middle + 50)
    highlighter = LineHighlighter("json", "monokai", ColorTriplet(30, 30, 30))
    base = Style(color="#e0e0e0", bgcolor="#1e1e1e")
    started = time.perf_counter()
    for line in lines:
        highlighter.segments(line, base)
    highlight = time.perf_counter() - started
    return {
        "lines": document.line_count,
        "first_100": first[0],
        "complete": complete,
        "highlight_50": highlight,
        "rss": peak_rss_mb(),
    }


def measure_app(megabytes: float) -> dict[str, Any]:
    from textual.app import App, ComposeResult
    from textual.strip import Strip

    from explorer.ui.widgets.body_view import BodyView

    class Probe(BodyView):
        """Notes when a given line is drawn with the cursor on it, and when the first line is drawn."""

        want: int | None = None
        seen_at: float | None = None
        first_drawn: float | None = None

        def render_line(self, y: int) -> Strip:
            strip = super().render_line(y)
            index = self.scroll_offset.y + y
            if self.first_drawn is None and index < self.line_count:
                self.first_drawn = time.perf_counter()
            if self.seen_at is None and index == self.want == self.cursor_line:
                self.seen_at = time.perf_counter()
            return strip

    class BenchApp(App[None]):
        def __init__(self) -> None:
            super().__init__()
            self.loaded: BodyView.Loaded | None = None

        def compose(self) -> ComposeResult:
            yield Probe()

        def on_body_view_loaded(self, message: BodyView.Loaded) -> None:
            self.loaded = message

    async def press(app: BenchApp, view: Probe, key: str, want: int) -> float:
        view.want, view.seen_at = want, None
        started = time.perf_counter()
        app.simulate_key(key)
        while view.seen_at is None:
            await asyncio.sleep(0.0005)
        return view.seen_at - started

    async def run() -> dict[str, Any]:
        body = make_body(megabytes)
        app = BenchApp()
        async with app.run_test(size=(100, 30)):
            view = app.query_one(Probe)
            view.focus()
            started = time.perf_counter()
            view.load(body, "application/json")
            while view.first_drawn is None:
                await asyncio.sleep(0.0005)
            visible = view.first_drawn - started
            during: list[float] = []
            while app.loaded is None:
                await asyncio.sleep(0.1)
                if app.loaded is None:
                    during.append(await press(app, view, "down", view.cursor_line + 1))
            loaded = app.loaded.seconds
            moves = {
                "end": await press(app, view, "end", view.line_count - 1),
                "home": await press(app, view, "home", 0),
                "down": await press(app, view, "down", 1),
            }
        return {
            "lines": app.loaded.lines,
            "visible": visible,
            "loaded": loaded,
            "key_during_median": statistics.median(during) if during else 0.0,
            "key_during_max": max(during, default=0.0),
            "keys_during": len(during),
            "keys_slow": sum(1 for d in during if d > KEY_TARGET),
            "move_max": max(moves.values()),
            **{f"move_{k}": v for k, v in moves.items()},
            "rss": peak_rss_mb(),
        }

    return asyncio.run(run())


def child(kind: str, megabytes: float) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter and read its result."""
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(megabytes)],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def median_of(results: list[dict[str, Any]], key: str) -> float:
    return float(statistics.median(r[key] for r in results))


def ms(seconds: float) -> str:
    if seconds < 0.01:
        return f"{seconds * 1000:.1f} ms"
    return f"{seconds * 1000:,.0f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def verdict(value: float, limit: float | None) -> str:
    if limit is None:
        return ""
    return " ok" if value <= limit else " OVER"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", default="0.2,5,50", help="body sizes in MB, comma separated")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", nargs=2, metavar=("KIND", "MB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, size = args.child[0], float(args.child[1])
        measure = measure_core if kind == "core" else measure_app
        print(json.dumps(measure(size)))
        return

    sizes = [float(s) for s in args.sizes.split(",")]
    print(f"Python {sys.version.split()[0]}, {args.runs} runs each, medians (worst key press: worst of all runs)\n")
    header = (
        f"{'body':>7} {'lines':>10} | {'core: first 100':>15} {'complete':>9} {'highlight 50':>12} {'RSS':>7}"
        f" | {'app: visible':>12} {'key (load)':>10} {'worst':>8} {'ready':>8} {'end':>6} {'home':>6}"
        f" {'down':>6} {'RSS':>7}"
    )
    print(header)
    print("-" * len(header))
    for size in sizes:
        core = [child("core", size) for _ in range(args.runs)]
        app = [child("app", size) for _ in range(args.runs)]
        visible_limit, rss_limit = TARGETS.get(size, (None, None))
        worst_key = max(r["key_during_max"] for r in app)
        print(
            f"{size:>5g}MB {core[0]['lines']:>10,} |"
            f" {ms(median_of(core, 'first_100')):>15} {ms(median_of(core, 'complete')):>9}"
            f" {ms(median_of(core, 'highlight_50')):>12} {median_of(core, 'rss'):>4.0f} MB |"
            f" {ms(median_of(app, 'visible')):>12} {ms(median_of(app, 'key_during_median')):>10}"
            f" {ms(worst_key):>8} {ms(median_of(app, 'loaded')):>8}"
            f" {ms(median_of(app, 'move_end')):>6} {ms(median_of(app, 'move_home')):>6}"
            f" {ms(median_of(app, 'move_down')):>6} {median_of(app, 'rss'):>4.0f} MB"
        )
        checks = [
            f"visible {ms(median_of(app, 'visible'))}{verdict(median_of(app, 'visible'), visible_limit)}",
            f"worst key while loading {ms(worst_key)}{verdict(worst_key, KEY_TARGET)}"
            f" ({sum(r['keys_slow'] for r in app)} of {sum(r['keys_during'] for r in app)} keys over"
            f" {ms(KEY_TARGET)})",
            f"slowest move {ms(max(r['move_max'] for r in app))}"
            f"{verdict(max(r['move_max'] for r in app), MOVE_TARGET)}",
            f"app RSS {median_of(app, 'rss'):.0f} MB{verdict(median_of(app, 'rss'), rss_limit)}",
        ]
        print(f"{'':>19}  " + "; ".join(checks))


if __name__ == "__main__":
    main()
