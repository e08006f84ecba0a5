"""A modal prompt for one line of text: a file path, a request name, a client secret.

It returns the text, or None when the user cancels. An optional validator keeps the dialog open and shows its
complaint under the input until the text is acceptable.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from explorer.ui.widgets.footer import KeysFooter

# Returns what is wrong with the text, or None when it is acceptable.
Validator = Callable[[str], str | None]


class TextPrompt(ModalScreen[str | None]):
    """Ask for one line of text. Enter submits, Escape cancels (the result is then None)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel"),
    ]

    def __init__(
        self,
        title: str,
        prompt: str = "",
        *,
        value: str = "",
        placeholder: str = "",
        password: bool = False,
        validator: Validator | None = None,
        submit_label: str = "OK",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """
        Args:
            title: The dialog's title, shown in its border.
            prompt: A sentence above the input that says what to type.
            value: The text the input starts with (selected, so typing replaces it).
            placeholder: Shown in the empty input.
            password: Mask what is typed (for secrets).
            validator: Called on submit; a returned string is shown as the error and the dialog stays open.
            submit_label: The label of the button that submits.
        """
        super().__init__(name=name, id=id, classes=classes)
        self._title = title
        self._prompt = prompt
        self._value = value
        self._placeholder = placeholder
        self._password = password
        self._validator = validator
        self._submit_label = submit_label

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as dialog:
            dialog.border_title = self._title
            if self._prompt:
                yield Static(self._prompt, classes="dialog--prompt", markup=False)
            yield Input(
                self._value,
                placeholder=self._placeholder,
                password=self._password,
                id="prompt-input",
            )
            yield Static("", id="prompt-error", classes="dialog--error", markup=False)
            with Horizontal(classes="dialog--buttons"):
                yield Button("Cancel", id="prompt-cancel", classes="dialog--cancel")
                yield Button(self._submit_label, variant="primary", id="prompt-submit")
        # Its own keys at the bottom, over the main screen's, which do not apply here.
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#prompt-error", Static).display = False
        self.query_one("#prompt-input", Input).focus()

    @on(Input.Changed, "#prompt-input")
    def _clear_error(self) -> None:
        self._show_error(None)

    @on(Input.Submitted, "#prompt-input")
    @on(Button.Pressed, "#prompt-submit")
    def _on_submit(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#prompt-cancel")
    def _on_cancel(self) -> None:
        self.action_cancel()

    def action_submit(self) -> None:
        """Return the text, unless the validator objects."""
        text = self.query_one("#prompt-input", Input).value
        problem = self._validator(text) if self._validator is not None else None
        if problem:
            self._show_error(problem)
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def _show_error(self, problem: str | None) -> None:
        if not self.query("#prompt-error"):
            return  # the input's first Changed can come before the rest of the dialog is mounted
        error = self.query_one("#prompt-error", Static)
        error.update(problem or "")
        error.display = bool(problem)
