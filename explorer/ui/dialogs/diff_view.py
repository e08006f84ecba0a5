"""Two answers compared: keys added, removed and changed for JSON bodies, a line diff for others."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static

from explorer.core.diff import BodyDiff
from explorer.ui.widgets.footer import KeysFooter

_STYLES = {"+": "green", "-": "red", "~": "yellow", "@": "cyan"}


class DiffDialog(ModalScreen[None]):
    """Show a `BodyDiff`; Escape closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close", id="diff.close"),
    ]

    def __init__(self, old_label: str, new_label: str, diff: BodyDiff) -> None:
        super().__init__()
        self._old = old_label
        self._new = new_label
        self._diff = diff

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="diff-dialog") as box:
            box.border_title = "Compare answers"
            box.border_subtitle = "esc close"
            kind = "JSON, key by key" if self._diff.json else "text, line by line"
            heading = f"- {self._old}\n+ {self._new}\n{self._diff.summary()} ({kind})"
            yield Static(heading, id="diff-summary", markup=False)
            lines = self._diff.lines() or ["(no differences)"]
            yield OptionList(*(Text(line, style=_STYLES.get(line[:1], "")) for line in lines), id="diff-lines")
        # Its own keys at the bottom, over the main screen's, which do not apply here.
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#diff-lines", OptionList).focus()

    def action_close(self) -> None:
        self.dismiss(None)
