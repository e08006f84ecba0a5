"""Draws docs/catalogue.png: the demo's read-only profile, its catalogue with a missing scope marked, and the
details of the operation it cannot call. Needs rsvg-convert (librsvg).

    .venv/bin/python docs/catalogue_png.py [OUT.png]
"""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from explorer.app.settings import AppSettings
from explorer.ui.app import make_app

SIZE = (132, 40)


async def main(out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = AppSettings(
            demo=True, profile="demo-read-only", config_dir=Path(tmp), auto_refresh=False, cursor_blink=False
        )
        app = make_app(settings)
        async with app.run_test(size=SIZE) as pilot:
            main = app.main
            for _ in range(600):
                await pilot.pause(0.05)
                if main.session.shown_token() is not None:
                    break
            await pilot.press("f4")
            for _ in range(600):
                await pilot.pause(0.05)
                if main.catalogue.catalogue is not None:
                    break
            await pilot.press(*"customer")
            await pilot.pause(0.3)
            await pilot.press("enter", "down")
            await pilot.pause(1.0)
            svg = app.export_screenshot(title="explorer --demo: the catalogue")
    # librsvg drops spaces at the start and end of a text run unless told to keep them.
    svg = re.sub(r"<svg ", '<svg xml:space="preserve" ', svg, count=1)
    source = out.with_suffix(".svg.tmp")
    source.write_text(svg, encoding="utf-8")
    try:
        subprocess.run(["rsvg-convert", "-w", "1600", "-o", str(out), str(source)], check=True)
    finally:
        source.unlink()


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/catalogue.png")))
