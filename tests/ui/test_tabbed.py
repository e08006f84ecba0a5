"""The one-widget row of tabs (explorer/ui/widgets/tabbed.py): clicks, keys, labels, and the pane on show."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.widgets import ContentSwitcher, Input, Static

from explorer.ui.widgets.tabbed import TabbedPanes, TabPane, TabStrip

from .conftest import count_layouts


class _Tabbed(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.activated: list[str | None] = []

    def compose(self) -> ComposeResult:
        with TabbedPanes(id="tabs"):
            yield TabPane("One", Static("first", id="first"), id="one")
            yield TabPane("Two", Input(id="second"), id="two", min_width=10)
            yield TabPane("Three", Static("third"), id="three")

    def on_tabbed_panes_tab_activated(self, message: TabbedPanes.TabActivated) -> None:
        self.activated.append(message.pane.id)


def _current(app: _Tabbed) -> str | None:
    return app.query_one(ContentSwitcher).current


def _row(strip: TabStrip, y: int) -> str:
    return "".join(segment.text for segment in strip.render_line(y))


async def test_a_click_on_a_label_shows_its_pane_and_says_so() -> None:
    app = _Tabbed()
    async with app.run_test(size=(60, 10)) as pilot:
        tabs = app.query_one(TabbedPanes)
        assert tabs.active == "one" and _current(app) == "one" and app.activated == []
        # " One " takes columns 0-4; " Two" and its room for a longer label 5-14.
        await pilot.click(TabStrip, offset=(14, 0))
        await pilot.pause()
        assert tabs.active == "two" and _current(app) == "two" and app.activated == ["two"]
        await pilot.click(TabStrip, offset=(19, 1))  # the underline under "Three" works too
        await pilot.pause()
        assert tabs.active == "three" and app.activated == ["two", "three"]
        await pilot.click(TabStrip, offset=(40, 0))  # past the last tab: nothing
        await pilot.pause()
        assert tabs.active == "three"


async def test_arrows_move_between_tabs_when_the_row_has_the_focus_and_wrap_around() -> None:
    app = _Tabbed()
    async with app.run_test(size=(60, 10)) as pilot:
        strip = app.query_one(TabStrip)
        strip.focus()
        await pilot.press("right", "right")
        assert _current(app) == "three"
        await pilot.press("right")
        assert _current(app) == "one"
        await pilot.press("left")
        assert _current(app) == "three" and app.activated == ["two", "three", "one", "three"]


async def test_the_labels_and_the_underline_mark_the_active_tab() -> None:
    app = _Tabbed()
    async with app.run_test(size=(30, 10)) as pilot:
        strip = app.query_one(TabStrip)
        assert _row(strip, 0) == " One  Two       Three ".ljust(30)
        # The active label's cells are highlighted, with half cells of the rest of the bar around it.
        assert _row(strip, 1) == "╸━━━╺" + "━" * 25
        app.query_one(TabbedPanes).active = "two"
        await pilot.pause()
        assert _row(strip, 1) == "━━━━━╸━━━━━━━━╺" + "━" * 15


async def test_a_new_label_repaints_the_row_without_laying_the_screen_out(monkeypatch: pytest.MonkeyPatch) -> None:
    app = _Tabbed()
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        layouts = count_layouts(app.screen, monkeypatch)
        tabs = app.query_one(TabbedPanes)
        tabs.set_label("two", "Two (12)")
        await pilot.pause()
        assert tabs.label("two") == "Two (12)"
        assert " Two (12)  Three" in _row(app.query_one(TabStrip), 0)
        assert layouts == []
        with pytest.raises(ValueError):
            tabs.set_label("four", "Four")


async def test_the_focus_going_into_a_hidden_pane_brings_its_tab_forward() -> None:
    app = _Tabbed()
    async with app.run_test(size=(40, 10)) as pilot:
        app.query_one("#second", Input).focus()
        await pilot.pause()
        assert app.query_one(TabbedPanes).active == "two" and _current(app) == "two"


async def test_an_unknown_pane_cannot_be_made_active() -> None:
    app = _Tabbed()
    async with app.run_test(size=(40, 10)):
        with pytest.raises(ValueError):
            app.query_one(TabbedPanes).active = "four"
