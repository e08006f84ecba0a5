"""Each Textual internal explorer relies on (explorer/ui/textual_compat.py) is still where it was measured.

These fail after a Textual upgrade that moves one of them, and say which: then adapt textual_compat.py, or take
the public way it describes, and measure again with the benchmark suite.
"""

from __future__ import annotations

import importlib
from typing import Self

from textual.app import App, ComposeResult
from textual.color import Color
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar
from textual.widget import Widget
from textual.widgets import Footer, Input

from explorer.ui.textual_compat import SteadyInput, ThemeCssPreset, set_virtual_size_keeping_layout

WHERE = "see explorer/ui/textual_compat.py"


def test_footer_key_is_still_in_textual_widgets_footer() -> None:
    module = importlib.import_module("textual.widgets._footer")
    footer_key = getattr(module, "FooterKey", None)
    assert isinstance(footer_key, type) and issubclass(footer_key, Widget), (
        f"textual.widgets._footer.FooterKey moved: the footer cannot replace single keys ({WHERE})"
    )
    key = footer_key("ctrl+j", "^j", "Send", "send", disabled=True, tooltip="Send the request")
    assert (key.key, key.key_display, key.description, key.action) == ("ctrl+j", "^j", "Send", "send"), (
        f"textual.widgets._footer.FooterKey takes other arguments now ({WHERE})"
    )
    assert key.has_class("-disabled"), f"FooterKey no longer marks a disabled key with -disabled ({WHERE})"


def test_footer_still_waits_for_bindings_ready() -> None:
    assert "_bindings_ready" in Footer._reactives, (
        f"Footer._bindings_ready is gone: the footer's keys in the first frame need another way ({WHERE})"
    )
    footer = Footer()
    assert list(footer.compose()) == [], f"Footer.compose no longer waits for _bindings_ready ({WHERE})"


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
