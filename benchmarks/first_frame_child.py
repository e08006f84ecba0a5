"""One start of the app headless (120 x 35) up to its first frame, with some of textual_compat's start-up uses
switched off; prints what it cost as JSON. Run by `benchmarks.bench_internals` in a fresh process per start.

argv: the uses to switch off, among `store` (the parsed stylesheet kept between starts), `new-css-only` (the CSS
of a new widget class parsed alone) and `mounted-only` (no styling of widgets not yet mounted).
"""

from __future__ import annotations

import gc
import json
import sys
import time

gc.disable()  # as `explorer` starts the app (explorer/ui/launch.py)
started_cpu = time.process_time()

import textual.app  # noqa: E402
from textual.css.stylesheet import Stylesheet  # noqa: E402

from explorer.app.settings import AppSettings  # noqa: E402
from explorer.ui import app as ui_app  # noqa: E402

off = set(sys.argv[1:])
if "new-css-only" in off:
    ui_app.parse_new_css_only = lambda: None  # type: ignore[assignment]
if "mounted-only" in off:
    ui_app.style_mounted_widgets_only = lambda: None  # type: ignore[assignment]

figures = {"stylings": 0, "styling_s": 0.0}
first: dict[str, float] = {}
textual_apply = Stylesheet.apply


def counting_apply(sheet: Stylesheet, node: object, *args: object, **kwargs: object) -> None:
    if first:
        textual_apply(sheet, node, *args, **kwargs)  # type: ignore[arg-type]
        return
    began = time.perf_counter()
    textual_apply(sheet, node, *args, **kwargs)  # type: ignore[arg-type]
    figures["styling_s"] += time.perf_counter() - began
    figures["stylings"] += 1


Stylesheet.apply = counting_apply  # type: ignore[method-assign]
textual_display = textual.app.App._display


def display(app: textual.app.App[None], screen: object, renderable: object) -> None:
    textual_display(app, screen, renderable)  # type: ignore[arg-type]
    if not first:
        first["cpu_s"] = time.process_time() - started_cpu
        app.call_later(app.exit)


textual.app.App._display = display  # type: ignore[method-assign]
made = time.process_time()
app = ui_app.make_app(AppSettings(demo=True))
figures["make_s"] = time.process_time() - made
app.run(headless=True, size=(120, 35))
print(json.dumps({**figures, **first}))
