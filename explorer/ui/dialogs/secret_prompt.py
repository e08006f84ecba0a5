"""A masked input for a client secret the profile cannot supply itself (a `prompt` source, or none found).

The secret is returned to the engine, which keeps it in memory for the session; it is never written anywhere.
It returns None when the user cancels.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from explorer.core.errors import SecretError
from explorer.core.profiles import Profile
from explorer.ui.presentation import STAGE_LABELS, stage_classes
from explorer.ui.widgets.footer import KeysFooter


class SecretPrompt(ModalScreen[str | None]):
    """Ask for a profile's client secret. Enter submits, Escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="secret.cancel"),
        Binding("ctrl+o", "toggle_reveal", "Show/hide", id="secret.reveal"),
    ]

    def __init__(self, profile: Profile, reason: SecretError | None = None) -> None:
        super().__init__(classes="secret-prompt")
        self.profile = profile
        self.reason = reason

    def compose(self) -> ComposeResult:
        profile = self.profile
        with Vertical(classes="dialog" + (" -danger" if profile.is_production else "")) as dialog:
            dialog.border_title = "Client secret"
            with Horizontal(classes="secret--who"):
                yield Label(profile.name, classes="secret--profile", markup=False)
                yield Label(STAGE_LABELS[profile.stage], classes=stage_classes(profile.stage))
            yield Static(
                f"Client {profile.client_id} on tenant {profile.tenant}.",
                classes="dialog--prompt",
                markup=False,
            )
            if self.reason is not None and profile.secret_source != "prompt":
                yield Static(self.reason.message, classes="secret--reason", markup=False)
            yield Input(password=True, placeholder="client secret", id="secret-input")
            yield Static(
                "Kept in memory for this session only; never written to disk. ctrl+o shows it.",
                classes="secret--hint",
                markup=False,
            )
            with Horizontal(classes="dialog--buttons"):
                yield Button("Cancel", id="secret-cancel", classes="dialog--cancel")
                yield Button("Use secret", variant="primary", id="secret-submit")
        # Its own keys at the bottom, over the main screen's, which do not apply here.
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#secret-input", Input).focus()

    @on(Input.Submitted, "#secret-input")
    @on(Button.Pressed, "#secret-submit")
    def _on_submit(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#secret-cancel")
    def _on_cancel(self) -> None:
        self.action_cancel()

    def action_submit(self) -> None:
        value = self.query_one("#secret-input", Input).value.strip()
        if value:
            self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_toggle_reveal(self) -> None:
        field = self.query_one("#secret-input", Input)
        field.password = not field.password
