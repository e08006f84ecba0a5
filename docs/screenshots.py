"""Draws every picture in the README from the app itself, in `--demo`, so they show what explorer shows today.

    .venv/bin/python docs/screenshots.py [NAME ...]     (default: all; needs rsvg-convert, from librsvg)

Each picture is a scene: a terminal size, what to do in the app, and where the PNG goes. The app runs headless
(Textual's pilot) against the built-in sandbox, in a home directory of its own: no user file is read or written.
"""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from explorer.app.settings import AppSettings
from explorer.core.model import RequestSpec
from explorer.ui.app import ExplorerApp, make_app
from explorer.ui.widgets.response import ResponsePane

DOCS = Path(__file__).resolve().parent


async def _until(pilot: Any, ready: Callable[[], object], what: str, seconds: float = 30.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if ready():
            return
        await pilot.pause(0.05)
    raise TimeoutError(f"the demo did not show {what}")


async def _token(pilot: Any, app: ExplorerApp) -> None:
    await _until(pilot, lambda: app.main.session.shown_token() is not None, "a token")


async def _send(pilot: Any, app: ExplorerApp) -> None:
    pane = app.main.query_one(ResponsePane)
    before = pane.record
    await pilot.press("ctrl+j")
    await _until(pilot, lambda: pane.record is not None and pane.record is not before, "an answer")
    await pilot.pause(0.5)


async def first_request(pilot: Any, app: ExplorerApp) -> None:
    """The collection's first request (List stores) sent, its body on show."""
    await _token(pilot, app)
    await _send(pilot, app)


async def history(pilot: Any, app: ExplorerApp) -> None:
    await _token(pilot, app)
    await _send(pilot, app)
    for name, url in (("Store 2", "{{api_url}}/v0/stores/store-002"), ("Orders", "{{api_url}}/api/v1/orders")):
        app.main.collections.load_request(RequestSpec(name=name, url=url))
        await _send(pilot, app)
    await pilot.press("f3")
    await pilot.pause(1.0)
    await pilot.press("down")
    await pilot.pause(0.3)


async def jq_filter(pilot: Any, app: ExplorerApp) -> None:
    await _token(pilot, app)
    products = RequestSpec(name="Products", url="{{api_url}}/api/v1/catalog/products", params={"per_page": "40"})
    app.main.collections.load_request(products)
    await _send(pilot, app)
    app.main.query_one("#response-body").focus()
    await pilot.press("|", *"map(select(.price > 60)) | map({sku, title, price})", "enter")
    await pilot.pause(2.0)


async def catalogue(pilot: Any, app: ExplorerApp) -> None:
    main = app.main
    await _token(pilot, app)
    await pilot.press("f4")
    await _until(pilot, lambda: main.catalogue.catalogue is not None, "the catalogue")
    await pilot.press(*"customer")
    await pilot.pause(0.3)
    await pilot.press("enter", "down")
    await pilot.pause(1.0)


@dataclass(frozen=True)
class Scene:
    name: str
    out: str
    size: tuple[int, int]
    width_px: int
    title: str
    act: Callable[[Any, ExplorerApp], Awaitable[None]]
    profile: str | None = None


SCENES = [
    Scene("main", "screenshot.png", (160, 45), 1970, "explorer --demo", first_request),
    Scene("small", "screenshot-80x24.png", (80, 24), 994, "explorer --demo at 80x24", first_request),
    Scene("history", "images/history.png", (120, 35), 1482, "explorer --demo: the History tab", history),
    Scene("filter", "images/filter.png", (120, 35), 1482, "explorer --demo: a body filtered with jq", jq_filter),
    Scene(
        "catalogue",
        "catalogue.png",
        (132, 40),
        1600,
        "explorer --demo: the catalogue",
        catalogue,
        profile="demo-read-only",
    ),
]


async def draw(scene: Scene) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        # A home of its own: the user's history, remembered collection and settings are neither shown nor changed.
        for variable, sub in (("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"), ("XDG_CACHE_HOME", "cache")):
            os.environ[variable] = str(Path(tmp) / sub)
        os.environ["EXPLORER_HISTORY"] = str(Path(tmp) / "history.sqlite3")
        settings = AppSettings(
            demo=True, profile=scene.profile, config_dir=Path(tmp), auto_refresh=False, cursor_blink=False
        )
        app = make_app(settings)
        async with app.run_test(size=scene.size) as pilot:
            await scene.act(pilot, app)
            svg = app.export_screenshot(title=scene.title)
    # librsvg drops spaces at the start and end of a text run unless told to keep them.
    svg = re.sub(r"<svg ", '<svg xml:space="preserve" ', svg, count=1)
    out = DOCS / scene.out
    source = out.with_suffix(".svg.tmp")
    source.write_text(svg, encoding="utf-8")
    try:
        subprocess.run(["rsvg-convert", "-w", str(scene.width_px), "-o", str(out), str(source)], check=True)
    finally:
        source.unlink()
    print(f"{scene.name}: {out.relative_to(DOCS.parent)}")


async def main(names: list[str]) -> None:
    unknown = set(names) - {scene.name for scene in SCENES}
    if unknown:
        raise SystemExit(f"no such picture: {', '.join(sorted(unknown))} (pictures: {[s.name for s in SCENES]})")
    for scene in SCENES:
        if not names or scene.name in names:
            await draw(scene)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
