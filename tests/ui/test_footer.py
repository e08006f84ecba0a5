"""The footer at 80, 120 and 200 columns: every pane's keys whole, the keys help and the palette always there."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.ui.textual_compat import FooterKey
from explorer.ui.widgets.footer import KeysFooter

from ..snapshots.test_snapshots import build, show_response


@pytest.mark.parametrize("size", [(80, 24), (120, 35), (200, 50)])
async def test_every_panes_footer_shows_whole_keys_the_help_and_the_palette(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    app = build(tmp_path)
    async with app.run_test(size=size) as pilot:
        await show_response(pilot)
        screen = app.main
        panes = screen.pane_keys.panes()
        for position, pane in enumerate(panes):
            await screen.run_action(f"jump({position})")
            await pilot.pause()
            await pilot.pause()
            footer = screen.query_one(KeysFooter)
            keys = list(footer.query(FooterKey))
            texts = [str(key.render()) for key in keys]
            assert any(text.strip() == "f1 Keys" for text in texts), (pane.name, texts)
            assert any(text.strip() == "^p palette" for text in texts), (pane.name, texts)
            right = footer.region.right
            for key, text in zip(keys, texts, strict=True):
                # Whole: no key runs past the footer's edge or under the palette's key on the right.
                assert key.region.right <= right, (pane.name, text, key.region, right)
            palette = next(key for key in keys if key.has_class("-command-palette"))
            flow = [key for key in keys if not key.has_class("-command-palette")]
            assert all(key.region.right <= palette.region.x for key in flow), (pane.name, texts)
