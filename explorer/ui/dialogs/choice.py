"""A modal list to pick one thing from: the folder to move a request to, the collection to open.

It returns the id of the option chosen, or None when the user closes it. Arrows move, Enter picks, Escape closes;
typing a letter moves to the next option that starts with it, as lists of names do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from explorer.ui.widgets.footer import KeysFooter


@dataclass(frozen=True)
class Choice:
    """One option: what it returns, what it says, and a muted note after it (e.g. "current")."""

    id: str
    label: str
    note: str = ""


class ChoiceDialog(ModalScreen[str | None]):
    """Pick one of `choices`; the cursor starts on `current` (an id) when it is one of them."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Cancel", id="choice.cancel"),
        Binding("enter", "pick", "Choose", id="choice.pick"),
    ]

    def __init__(self, title: str, prompt: str, choices: Sequence[Choice], *, current: str | None = None) -> None:
        super().__init__()
        self._title = title
        self._prompt = prompt
        self._choices = list(choices)
        self._current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as dialog:
            dialog.border_title = self._title
            if self._prompt:
                yield Static(self._prompt, classes="dialog--prompt", markup=False)
            options = [Option(_label(choice), id=choice.id) for choice in self._choices]
            yield OptionList(*options, id="choice-options")
        yield KeysFooter()

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        ids = [choice.id for choice in self._choices]
        if self._current in ids:
            options.highlighted = ids.index(self._current)
        elif ids:
            options.highlighted = 0
        options.focus()

    def on_key(self, event: events.Key) -> None:
        # A letter goes to the next option that starts with it.
        character = (event.character or "").lower()
        if not character.isalnum() or len(character) != 1:
            return
        options = self.query_one(OptionList)
        count = len(self._choices)
        start = (options.highlighted or 0) + 1
        for step in range(count):
            position = (start + step) % count
            if self._choices[position].label.lower().startswith(character):
                event.stop()
                options.highlighted = position
                return

    @on(OptionList.OptionSelected)
    def _on_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_pick(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            self.dismiss(self._choices[options.highlighted].id)

    def action_close(self) -> None:
        self.dismiss(None)


def _label(choice: Choice) -> Content:
    if not choice.note:
        return Content(choice.label)
    return Content.assemble(choice.label, ("  " + choice.note, "$text-muted"))
