"""Every list and tree shows where its cursor is, in every shipped theme, focused or not, on every row.

The check reads the cells the widgets draw: the row under the cursor has a background of its own, and its
text stays readable on it (the production row's red name included).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.segment import Segment
from textual.color import Color
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Input, ListView, Tree

from explorer.ui.widgets.profile_list import ProfileItem

from ..snapshots.test_snapshots import build

THEMES = ("midnight", "paper", "forest", "solarized-dark")
# WCAG's ratio for large or bold text; the cursor row's text must at least reach it.
READABLE = 3.0


def _luminance(color: Color) -> float:
    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(color.r) + 0.7152 * linear(color.g) + 0.0722 * linear(color.b)


def _contrast(one: Color, two: Color) -> float:
    """WCAG's contrast ratio of two colours."""
    light, dark = sorted((_luminance(one), _luminance(two)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _cells(widget: Widget, y: int = 0) -> list[Segment]:
    strip = widget.render_lines(Region(0, y, widget.size.width, 1))[0]
    return [segment for segment in strip if segment.text.strip()]


def _background(segments: list[Segment]) -> Color:
    style = segments[0].style
    assert style is not None and style.bgcolor is not None
    return Color.from_rich_color(style.bgcolor)


def _foreground(segments: list[Segment]) -> Color:
    style = segments[0].style
    assert style is not None and style.color is not None
    return Color.from_rich_color(style.color)


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("focused", [True, False], ids=["focused", "blurred"])
async def test_the_profile_cursor_shows_on_every_row(tmp_path: Path, theme: str, focused: bool) -> None:
    app = build(tmp_path, theme=theme, profile="demo-sandbox")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        listview = app.main.query_one("#profile-listview", ListView)
        rows = [item for item in listview.children if isinstance(item, ProfileItem)]
        assert {row.profile.name for row in rows} >= {"demo-sandbox", "demo"}
        for row in rows:
            listview.index = listview.children.index(row)
            (listview if focused else app.main.query_one("#url", Input)).focus()
            await pilot.pause()
            others = [other for other in rows if other is not row]
            cursor = _cells(row)
            where = f"{theme}, {row.profile.name}, {'focused' if focused else 'blurred'}"
            for other in others:
                assert _background(cursor) != _background(_cells(other)), where
            assert _contrast(_foreground(cursor), _background(cursor)) >= READABLE, where


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("focused", [True, False], ids=["focused", "blurred"])
async def test_the_collection_cursor_shows(tmp_path: Path, theme: str, focused: bool) -> None:
    app = build(tmp_path, theme=theme)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        tree = app.main.query_one("#collection-nodes", Tree)
        (tree if focused else app.main.query_one("#url", Input)).focus()
        tree.cursor_line = 2
        await pilot.pause()
        cursor = _cells(tree, 2)[-1]
        plain = _cells(tree, 3)[-1]
        assert _background([cursor]) != _background([plain]), theme
        assert _contrast(_foreground([cursor]), _background([cursor])) >= READABLE, theme
