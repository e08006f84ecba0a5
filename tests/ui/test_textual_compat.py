"""Each Textual internal explorer relies on (explorer/ui/textual_compat.py) is still where it was measured.

These fail after a Textual upgrade that moves one of them, and say which: then adapt textual_compat.py, or take
the public way it describes, and measure again with the benchmark suite.
"""

from __future__ import annotations

from typing import Self

import pytest
from textual.app import App, ComposeResult
from textual.color import Color
from textual.css.model import RuleSet
from textual.events import Resize
from textual.geometry import Region, Size
from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar
from textual.widget import Widget
from textual.widgets import Input, Static, TabbedContent, TabPane

from explorer.ui.textual_compat import (
    TEXTUAL_RULE_HASH,
    TEXTUAL_UPDATE_NODE_STYLES,
    SteadyInput,
    ThemeCssPreset,
    hash_rules_in_c,
    set_virtual_size_keeping_layout,
    skip_same_size_resize,
    style_mounted_widgets_only,
)

WHERE = "see explorer/ui/textual_compat.py"


class _ThemedApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.skips: list[bool] = []
        self.theme = "textual-light"
        self._css_preset = ThemeCssPreset(self)

    def refresh_css(self, animate: bool = True) -> None:
        skipped = self._css_preset.skip_refresh(self)
        self.skips.append(skipped)
        if not skipped:
            super().refresh_css(animate=animate)

    def compose(self) -> ComposeResult:
        yield Widget()


async def test_setting_the_theme_in_init_still_queues_one_refresh_css_that_the_preset_skips() -> None:
    app = _ThemedApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.skips[:1] == [True], (
            f"Textual no longer calls refresh_css after App.theme is set in __init__ (App._watch_theme): "
            f"ThemeCssPreset skips nothing now ({WHERE})"
        )
        # The variables were in place for the first parse: the theme's colours are applied.
        assert app.screen.styles.background == Color.parse(app.get_css_variables()["background"])


async def test_scroll_view_virtual_size_and_scrollbar_range_can_still_be_set_without_a_layout() -> None:
    assert "virtual_size" in ScrollView._reactives, f"ScrollView.virtual_size is no longer a reactive ({WHERE})"
    assert "window_virtual_size" in ScrollBar._reactives, (
        f"ScrollBar.window_virtual_size is gone: the scrollbars cannot follow a growing body ({WHERE})"
    )

    class Growing(ScrollView):
        layouts = 0

        def refresh(self, *regions: Region, layout: bool = False, **kwargs: bool) -> Self:
            self.layouts += layout
            return super().refresh(*regions, layout=layout, **kwargs)

    class GrowingApp(App[None]):
        def compose(self) -> ComposeResult:
            yield Growing()

    app = GrowingApp()
    async with app.run_test(size=(40, 10)) as pilot:
        view = app.query_one(Growing)
        view.virtual_size = Size(20, 100)
        await pilot.pause()
        assert view.show_vertical_scrollbar
        layouts = view.layouts
        assert set_virtual_size_keeping_layout(view, Size(20, 500))
        assert view.virtual_size == Size(20, 500)
        assert view.vertical_scrollbar.window_virtual_size == 500
        assert view.layouts == layouts, f"set_reactive on ScrollView.virtual_size now asks for a layout ({WHERE})"
        # A scrollbar that would appear needs the layout: the helper leaves that to the public way.
        assert not set_virtual_size_keeping_layout(view, Size(400, 500))
        # A list that shrinks while it still overflows keeps its scrollbar: no layout either, when asked for.
        assert not set_virtual_size_keeping_layout(view, Size(20, 60))
        assert set_virtual_size_keeping_layout(view, Size(20, 60), shrink=True)
        assert view.vertical_scrollbar.window_virtual_size == 60 and view.layouts == layouts
        # One that would fit needs the layout (its scrollbar goes).
        assert not set_virtual_size_keeping_layout(view, Size(20, 3), shrink=True)


async def test_typing_into_a_steady_input_lays_nothing_out_and_still_scrolls_to_the_cursor() -> None:
    assert callable(getattr(Input, "_watch_value", None)), f"Input._watch_value is gone ({WHERE})"

    class Counted(SteadyInput):
        layouts = 0

        def refresh(self, *regions: Region, layout: bool = False, **kwargs: bool) -> Self:
            self.layouts += layout
            return super().refresh(*regions, layout=layout, **kwargs)

    class InputApp(App[None]):
        CSS = "Counted { width: 30; }"

        def compose(self) -> ComposeResult:
            yield Counted()

    app = InputApp()
    async with app.run_test(size=(60, 10)) as pilot:
        field = app.query_one(Counted)
        field.focus()
        await pilot.pause()
        before = field.layouts
        await pilot.press(*"https://api.example.com/v0/stores?offset=0&count=10")
        await pilot.pause()
        assert field.layouts == before, f"Input's value watcher now asks for a layout another way ({WHERE})"
        assert field.virtual_size.width == field.content_width
        assert field.scroll_x > 0  # the cursor at the end of a text wider than the field is in view
        assert field.value.endswith("count=10")


class _TabsApp(App[None]):
    CSS = "#--content-tab-counted { min-width: 14; }"

    def compose(self) -> ComposeResult:
        with TabbedContent():
            yield TabPane("Body", id="body")
            yield TabPane("Headers", id="counted")
            yield TabPane("Request", id="request")


def test_a_style_rule_is_still_hashed_by_its_identity() -> None:
    rule = RuleSet()
    assert "__hash__" in vars(RuleSet) and TEXTUAL_RULE_HASH(rule) == id(rule), (
        f"textual.css.model.RuleSet no longer hashes by identity: hash_rules_in_c would change what a rule "
        f"equals in a set ({WHERE})"
    )
    hash_rules_in_c()
    assert hash(rule) == object.__hash__(rule)
    assert {rule, RuleSet()} - {rule} != set(), "two rules with the same fields are still two rules"


async def test_a_resize_to_the_same_size_lays_the_screen_out_no_more_but_a_real_resize_does() -> None:
    class Sized(Screen[None]):
        layouts = 0

        def _refresh_layout(self, size: Size | None = None, scroll: bool = False) -> None:
            self.layouts += 1
            super()._refresh_layout(size, scroll)

        def on_resize(self, event: Resize) -> None:
            skip_same_size_resize(self, event)

    class SizedApp(App[None]):
        def get_default_screen(self) -> Screen[None]:
            return Sized()

    app = SizedApp()
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, Sized)
        before = screen.layouts
        screen.post_message(Resize(Size(40, 10), Size(40, 10)))
        await pilot.pause()
        assert screen.layouts == before, f"Screen's own resize handler still lays out a same-size resize ({WHERE})"
        await pilot.resize_terminal(50, 12)
        await pilot.pause(0.1)  # the app passes a resize on after a short timer
        assert screen.layouts > before and screen.size == Size(50, 12)


async def test_a_widget_being_made_is_styled_by_textual_but_no_longer_by_explorer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from textual.css.stylesheet import Stylesheet
    from textual.dom import DOMNode

    class Plain(App[None]):
        CSS = ".-textual-compact.wide { width: 30; } Static.lit { color: red; }"

        def compose(self) -> ComposeResult:
            yield Static("x", id="static")

    styled: list[DOMNode] = []
    apply = Stylesheet.apply

    def counting(sheet: Stylesheet, node: DOMNode, *args: object, **kwargs: object) -> None:
        styled.append(node)
        apply(sheet, node, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Stylesheet, "apply", counting)
    app = Plain()
    async with app.run_test() as pilot:
        monkeypatch.setattr(DOMNode, "update_node_styles", TEXTUAL_UPDATE_NODE_STYLES)
        styled.clear()
        Input("value", compact=True, classes="wide")
        assert styled, f"Textual no longer styles a widget that has no parent yet ({WHERE})"
        style_mounted_widgets_only()
        styled.clear()
        made = Input("value", compact=True, classes="wide")
        assert styled == []
        await app.mount(made)
        await pilot.pause()
        assert made.has_class("-textual-compact", "-valid") and made.outer_size.width == 30
        static = app.query_one("#static", Static)
        static.add_class("lit")  # a mounted widget is styled at once, as before
        assert static.styles.color == Color(255, 0, 0)
