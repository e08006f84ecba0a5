"""The layout adapts to the terminal: what must be readable at 80x24, and the sidebar at larger sizes."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

from textual.widget import Widget
from textual.widgets import Input

from explorer.ui.panes import breakpoint_classes
from explorer.ui.screens.main import MainScreen
from explorer.ui.widgets.body_view import BodyView
from explorer.ui.widgets.composer import RequestComposer
from explorer.ui.widgets.footer import KeysFooter

from ..snapshots.test_snapshots import build, show_response


async def test_at_80x24_the_url_ten_body_lines_and_the_footer_fit(tmp_path: Path) -> None:
    app = build(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await show_response(pilot)
        screen = app.main
        assert not screen.query_one("#sidebar").display
        url = screen.query_one(RequestComposer).query_one("#url", Input)
        assert url.content_region.width >= len(url.value) + 20
        body = screen.query_one("#response-body", BodyView)
        assert body.content_region.height >= 10
        footer = screen.query_one(KeysFooter)
        assert footer.region.bottom == 24


async def test_larger_screens_show_the_sidebar_and_the_response_keeps_the_most_room(tmp_path: Path) -> None:
    app = build(tmp_path)
    async with app.run_test(size=(120, 35)) as pilot:
        await show_response(pilot)
        screen = app.main
        assert screen.query_one("#sidebar").display
        assert screen.query_one("#results").region.height > screen.query_one("#composer").region.height
        tree = screen.query_one("#collection-nodes")
        assert tree.content_region.height >= 12


async def test_where_the_sidebar_is_hidden_the_focus_is_not_left_in_it(tmp_path: Path) -> None:
    # Keys typed into a hidden profile list would edit or delete profiles the user cannot see.
    app = build(tmp_path)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        screen = app.main
        sidebar = screen.query_one("#sidebar")
        screen.query_one("#profiles").focus()
        await pilot.pause()
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.pause()
        assert not sidebar.display
        assert screen.focused is not None
        assert sidebar not in screen.focused.ancestors
        assert screen.focused is screen.query_one(RequestComposer).query_one("#url", Input)


async def test_the_size_classes_are_set_before_the_panes_mount_and_follow_a_resize(tmp_path: Path) -> None:
    # The screen has its size classes when its panes are first styled (setting them on the first resize would
    # style every widget twice before the first frame), and they are the ones Textual keeps them at afterwards.
    seen_at_compose: set[str] = set()

    def spy(screen: Any) -> Iterator[Widget]:
        for widget in MainScreen.compose(screen):  # the classes as the first panes are handed to Textual
            seen_at_compose.update(screen.classes)
            yield widget

    for size, wanted in (((80, 24), {"-narrow", "-short"}), ((120, 35), {"-medium", "-mid"})):
        app = build(tmp_path)
        seen_at_compose.clear()
        app.main.compose = partial(spy, app.main)  # type: ignore[method-assign]
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            assert wanted <= seen_at_compose
            assert wanted <= set(app.main.classes)
            await pilot.resize_terminal(200, 50)
            await pilot.pause()
            assert {"-wide", "-tall"} <= set(app.main.classes)
            assert not {"-narrow", "-short", "-medium", "-mid"} & set(app.main.classes)
            assert {name for name, on in breakpoint_classes(app).items() if on} == {"-wide", "-tall"}
