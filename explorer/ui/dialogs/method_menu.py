"""A small menu of HTTP methods that opens under the method picker; it returns the method chosen, or None.

Arrows move, Enter picks, a method's letter picks it at once, Escape closes without a change.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Offset
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from explorer.core.model import METHODS
from explorer.ui.presentation import METHOD_KEYS, method_for_key
from explorer.ui.widgets.footer import KeysFooter


class MethodMenu(ModalScreen[str | None]):
    """The methods as a list, each with its letter, opened at `at` (the picker's top left corner)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="method_menu.close"),
    ]

    def __init__(self, current: str, *, at: Offset | None = None) -> None:
        super().__init__()
        self._current = current.upper()
        self._at = at or Offset(0, 0)

    def compose(self) -> ComposeResult:
        options = [
            Option(Content.assemble((f"{METHOD_KEYS[method]} ", "$text-muted"), (method, "bold")), id=method)
            for method in METHODS
        ]
        yield OptionList(*options, id="method-options")
        yield KeysFooter()  # its own keys, not the main screen's

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.styles.offset = (self._at.x, self._at.y)
        if self._current in METHODS:
            options.highlighted = METHODS.index(self._current)
        options.focus()

    def on_key(self, event: events.Key) -> None:
        method = method_for_key(event.character)
        if method is not None:
            event.stop()
            self.dismiss(method)

    @on(OptionList.OptionSelected)
    def _on_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def on_click(self, event: events.Click) -> None:
        # A click outside the list closes it, as a menu does.
        if event.widget is self:
            self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
