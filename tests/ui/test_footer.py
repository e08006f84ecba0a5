"""The footer at 80, 120 and 200 columns: every pane's keys whole, the keys help and the palette always there; a
click presses a key; a change of keys repaints the footer and lays nothing out."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import pytest
from rich.cells import cell_len
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from explorer.ui.dialogs.keys_help import KeysHelp
from explorer.ui.widgets.footer import KeysFooter

from ..snapshots.test_snapshots import build, show_response
from .conftest import count_layouts

STYLES = Path(__file__).resolve().parents[2] / "explorer" / "ui" / "styles" / "app.tcss"


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
            line = footer.render().plain
            shown = [f"{entry.display} {entry.description}" for entry in footer.entries]
            assert "f1 Keys" in shown and "^p palette" in shown, (pane.name, shown)
            # Whole: every key is in the line as it is, and the line stays within the footer.
            assert cell_len(line) <= footer.size.width, (pane.name, line)
            for text in shown:
                assert f" {text} " in line, (pane.name, text, line)
            # The palette's key on the right, after the flow and the keys help's key.
            assert shown[-1] == "^p palette" and line.rstrip().endswith("^p palette"), (pane.name, line)
            assert line.index(" f1 Keys ") < line.index(" ^p palette "), (pane.name, line)


async def test_clicking_a_key_presses_it(tmp_path: Path) -> None:
    app = build(tmp_path)
    async with app.run_test(size=(120, 35)) as pilot:
        await show_response(pilot)
        line = app.main.query_one(KeysFooter).render().plain
        await pilot.click(KeysFooter, offset=(line.index(" f1 Keys ") + 2, 0))
        await pilot.pause()
        assert isinstance(app.screen, KeysHelp)


class BusyApp(App[None]):
    """Send greyed and Cancel shown while busy, as the main screen does while a request is on its way."""

    CSS_PATH = STYLES
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+j", "send", "Send"),
        Binding("escape", "cancel", "Cancel request"),
        Binding("f1", "help", "Keys", id="app.help"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.busy = False
        self.bells = 0
        self.sent = 0

    def compose(self) -> ComposeResult:
        yield Static("request")
        yield KeysFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "send":
            return None if self.busy else True
        if action == "cancel":
            return self.busy
        return True

    def action_send(self) -> None:
        self.sent += 1

    def bell(self) -> None:
        self.bells += 1


async def test_a_change_of_keys_repaints_the_footer_without_a_layout(monkeypatch: pytest.MonkeyPatch) -> None:
    app = BusyApp()
    async with app.run_test(size=(100, 10)) as pilot:
        footer = app.query_one(KeysFooter)
        assert [(entry.display, entry.disabled) for entry in footer.entries][:2] == [("^j", False), ("f1", False)]
        await pilot.pause()  # the start-up layouts done
        screen = app.screen
        layouts = count_layouts(screen, monkeypatch)
        app.busy = True
        app.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        shown = [(entry.display, entry.description, entry.disabled) for entry in footer.entries]
        assert shown[:3] == [("^j", "Send", True), ("esc", "Cancel request", False), ("f1", "Keys", False)]
        assert footer.render().plain.startswith(" ^j Send  esc Cancel request  f1 Keys ")
        assert layouts == []
        # A greyed key rings the bell rather than running.
        await pilot.click(KeysFooter, offset=(2, 0))
        assert app.bells == 1 and app.sent == 0
        app.busy = False
        app.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert [entry.display for entry in footer.entries][:2] == ["^j", "f1"]
        assert layouts == []
        await pilot.click(KeysFooter, offset=(2, 0))
        await pilot.pause()
        assert app.sent == 1
