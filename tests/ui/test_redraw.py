"""A text update lays the screen out only when it can change the widget's size."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Label, Static

from explorer.ui.redraw import can_resize, update_text


class Lines(App[None]):
    CSS = "#fixed { height: 1; width: 20; } #wrapped { width: 20; height: auto; } #label { width: auto; }"

    def compose(self) -> ComposeResult:
        yield Static("one", id="fixed")
        yield Static("one", id="wrapped")
        yield Label("00:02:53", id="label")


async def test_only_what_can_change_a_size_asks_for_a_layout() -> None:
    app = Lines()
    async with app.run_test(size=(40, 10)) as pilot:
        fixed, wrapped, label = (app.query_one(f"#{name}", Static) for name in ("fixed", "wrapped", "label"))
        assert not can_resize(fixed, "one", "a much longer line of text")
        assert can_resize(wrapped, "one", "two")
        assert not can_resize(wrapped, "one", "one")
        assert not can_resize(label, "00:02:53", "00:02:52")
        assert can_resize(label, "00:00:59", "59 s left")
        assert can_resize(label, "one", "one\ntwo")
        update_text(label, "00:02:52")
        update_text(wrapped, "a text long enough to wrap onto a second line")
        await pilot.pause()
        assert str(label.render()) == "00:02:52"
        assert wrapped.size.height == 3
