"""Before something would drop unsaved edits (quitting): save them, discard them, or go back.

It returns "save", "discard" or "cancel". Going back has the focus, so a stray Enter loses nothing; `s`, `d`
and Escape answer directly. Asked before quitting, it says that ctrl+q again quits without saving: people
press it twice. When the edits cannot all be saved at once (a new request still needs a name, the
collection is the read-only sample), there is no Save button and the message says how to save them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from explorer.ui.widgets.footer import KeysFooter

Answer = Literal["save", "discard", "cancel"]


def unsaved_message(names: Sequence[str], *, can_save: bool, quitting: bool = False) -> str:
    listed = ", ".join(repr(name) if name != "a new request" else name for name in names[:5])
    more = f" and {len(names) - 5} more" if len(names) > 5 else ""
    text = f"Unsaved edits: {listed}{more}."
    if not can_save:
        text += "\n\nSave them one by one with ctrl+s first (a new request needs a name, the sample a file)."
    if quitting:
        text += "\n\nPress ctrl+q again to quit without saving them."
    return text


class UnsavedDialog(ModalScreen[Answer]):
    """Save, discard or cancel, for edits that would otherwise be lost."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "answer('save')", "Save all", id="unsaved.save"),
        Binding("d", "answer('discard')", "Discard", id="unsaved.discard"),
        Binding("escape", "answer('cancel')", "Cancel", id="unsaved.cancel"),
        # The app's ctrl+q answers first (see ExplorerApp.action_quit); this shows it in the dialog's footer.
        Binding("ctrl+q", "quit_discarding", "Quit, discarding", id="unsaved.quit"),
        Binding("left,right", "app.focus_next", "Other button", show=False, id="unsaved.other_button"),
    ]

    def __init__(
        self,
        title: str,
        names: Sequence[str],
        *,
        can_save: bool,
        discard_label: str = "Discard",
        quitting: bool = False,
    ) -> None:
        """
        Args:
            quitting: Asked before quitting: ctrl+q again discards the edits and quits.
        """
        super().__init__()
        self.quitting = quitting
        self._title = title
        self._names = list(names)
        self._can_save = can_save
        self._discard_label = discard_label

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog -danger") as dialog:
            dialog.border_title = self._title
            yield Static(
                unsaved_message(self._names, can_save=self._can_save, quitting=self.quitting),
                classes="dialog--prompt",
                markup=False,
            )
            with Horizontal(classes="dialog--buttons"):
                yield Button("Cancel", id="unsaved-cancel")
                yield Button(self._discard_label, variant="error", id="unsaved-discard")
                if self._can_save:
                    yield Button("Save all", variant="primary", id="unsaved-save")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#unsaved-cancel", Button).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "answer" and parameters == ("save",):
            return self._can_save
        if action == "quit_discarding":
            return self.quitting
        return True

    @on(Button.Pressed)
    def _on_button(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id is not None:
            self.action_answer(event.button.id.removeprefix("unsaved-"))

    def action_answer(self, answer: str) -> None:
        if answer == "save" and not self._can_save:
            return
        if answer in ("save", "discard", "cancel"):
            self.dismiss(answer)  # type: ignore[arg-type]

    def action_quit_discarding(self) -> None:
        if self.quitting:
            self.dismiss("discard")
