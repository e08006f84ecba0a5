"""The text prompt and the confirmation dialog return what the user chose."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import App
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from explorer.ui.dialogs import ConfirmDialog, TextPrompt

STYLES = Path(__file__).resolve().parents[2] / "explorer" / "ui" / "styles" / "widgets.tcss"


class DialogApp(App[None]):
    CSS_PATH = STYLES

    def __init__(self) -> None:
        super().__init__()
        self.results: list[Any] = []

    def ask(self, dialog: ModalScreen[Any]) -> None:
        self.push_screen(dialog, self.results.append)


async def test_text_prompt_returns_the_typed_text() -> None:
    app = DialogApp()
    async with app.run_test(size=(120, 40)) as pilot:
        app.ask(TextPrompt("Rename", "New name:", value="old"))
        await pilot.pause()
        # The initial value is selected, so typing replaces it.
        await pilot.press(*"new name", "enter")
        await pilot.pause()
        assert app.results == ["new name"]
        assert not isinstance(app.screen, TextPrompt)


async def test_text_prompt_escape_returns_none() -> None:
    app = DialogApp()
    async with app.run_test(size=(120, 40)) as pilot:
        app.ask(TextPrompt("Rename", value="old"))
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]


async def test_text_prompt_validator_keeps_the_dialog_open() -> None:
    app = DialogApp()

    def not_empty(text: str) -> str | None:
        return "Type a name." if not text.strip() else None

    async with app.run_test(size=(120, 40)) as pilot:
        app.ask(TextPrompt("Rename", value="", validator=not_empty))
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        error = app.screen.query_one("#prompt-error", Static)
        assert error.display
        assert "Type a name." in str(error.visual)
        await pilot.press("x")
        await pilot.pause()
        assert not error.display
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == ["x"]


async def test_text_prompt_can_mask_a_secret() -> None:
    app = DialogApp()
    async with app.run_test(size=(120, 40)) as pilot:
        app.ask(TextPrompt("Client secret", password=True))
        await pilot.pause()
        assert app.screen.query_one("#prompt-input", Input).password
        await pilot.press(*"s3cret")
        await pilot.click("#prompt-submit")
        await pilot.pause()
        assert app.results == ["s3cret"]


async def test_confirm_yes_no_and_escape() -> None:
    app = DialogApp()
    async with app.run_test(size=(120, 40)) as pilot:
        app.ask(ConfirmDialog("Replace file?", "It exists."))
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        app.ask(ConfirmDialog("Replace file?", "It exists."))
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        app.ask(ConfirmDialog("Replace file?", "It exists."))
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        app.ask(ConfirmDialog("Replace file?", "It exists."))
        await pilot.pause()
        # The safe answer has the focus: Enter says no, until the focus is moved to the other button.
        assert app.focused is app.screen.query_one("#confirm-no", Button)
        await pilot.press("enter")
        await pilot.pause()
        app.ask(ConfirmDialog("Replace file?", "It exists."))
        await pilot.pause()
        await pilot.press("right")
        assert app.focused is app.screen.query_one("#confirm-yes", Button)
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == [True, False, False, False, True]


async def test_confirm_danger_is_styled_as_an_error() -> None:
    app = DialogApp()
    async with app.run_test(size=(120, 40)) as pilot:
        app.ask(ConfirmDialog("Send DELETE to production?", "This changes data.", confirm_label="Send", danger=True))
        await pilot.pause()
        dialog = app.screen.query_one(".dialog")
        assert dialog.has_class("-danger")
        assert app.screen.query_one("#confirm-yes", Button).variant == "error"
        await pilot.click("#confirm-no")
        await pilot.pause()
        assert app.results == [False]


async def test_token_details_show_their_own_keys_and_wrap_long_claims(tmp_path: Path) -> None:
    from textual.widgets import TabbedContent

    from explorer.ui.dialogs.token_details import TokenDetails
    from explorer.ui.widgets.footer import KeysFooter

    from ..snapshots.test_snapshots import build

    app = build(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause(0.2)
        dialog = app.screen
        assert isinstance(dialog, TokenDetails)
        footer = dialog.query_one(KeysFooter)
        assert footer.region.y == 23
        shown = {binding.action for _, binding, _, _ in dialog.active_bindings.values() if binding.show}
        assert {"close", "switch_tab(1)"} <= shown
        assert "send" not in {binding.action for _, binding, _, _ in dialog.active_bindings.values()}
        body = dialog.query_one(".details--body")
        # The scope claim is longer than the dialog is wide: it wraps inside it instead of being cut.
        assert body.size.width <= dialog.query_one(".dialog").size.width
        lines = [strip.text for strip in body.render_lines(body.region.reset_offset)]
        text = "".join(line.strip() for line in lines)
        assert "customer:profile:write" in text
        assert all(len(line.rstrip()) <= body.size.width for line in lines)
        await pilot.press("right")
        assert dialog.query_one(TabbedContent).active == "details-response"
        await pilot.press("left", "left")
        assert dialog.query_one(TabbedContent).active == "details-exchange"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.main
