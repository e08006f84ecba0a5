"""A modal yes/no question, e.g. before replacing a file or sending a DELETE to production.

It returns True for yes and False for no. A dangerous question is drawn in the theme's error colour. The safe
answer has the focus, so an Enter typed a moment too late never replaces a file or sends to production; `y`
says yes.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from explorer.ui.widgets.footer import KeysFooter


class ConfirmDialog(ModalScreen[bool]):
    """Ask before doing something. `y` says yes; `n` or Escape says no; Enter presses the focused button (at
    first the safe one)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "confirm", "Yes", id="dialog.confirm"),
        Binding("n,escape", "refuse", "No", id="dialog.refuse"),
        Binding("left,right", "app.focus_next", "Other button", show=False, id="dialog.other_button"),
    ]

    def __init__(
        self,
        title: str,
        message: str,
        *,
        confirm_label: str = "Yes",
        cancel_label: str = "No",
        danger: bool = False,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """
        Args:
            title: The dialog's title, shown in its border.
            message: The question, with what will happen.
            confirm_label: The label of the button that says yes (e.g. "Replace", "Send DELETE").
            cancel_label: The label of the button that says no.
            danger: Draw the dialog and its confirm button in the error colour (production, deletion).
        """
        super().__init__(name=name, id=id, classes=classes)
        self._title = title
        self._message = message
        self._confirm_label = confirm_label
        self._cancel_label = cancel_label
        self._danger = danger

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog -danger" if self._danger else "dialog") as dialog:
            dialog.border_title = self._title
            yield Static(self._message, classes="dialog--prompt", markup=False)
            with Horizontal(classes="dialog--buttons"):
                yield Button(self._cancel_label, id="confirm-no", classes="dialog--cancel")
                yield Button(
                    self._confirm_label,
                    variant="error" if self._danger else "primary",
                    id="confirm-yes",
                )
        # Its own keys at the bottom, over the main screen's, which do not apply here.
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    @on(Button.Pressed, "#confirm-yes")
    def _on_yes(self) -> None:
        self.action_confirm()

    @on(Button.Pressed, "#confirm-no")
    def _on_no(self) -> None:
        self.action_refuse()

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_refuse(self) -> None:
        self.dismiss(False)
