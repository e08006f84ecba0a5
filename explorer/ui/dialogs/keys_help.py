"""The keys that work right now: those of the focused pane first, then the screen's and the app's.

Built from the live bindings (so remapped keys show as remapped), in sections handed over by the screen.
Escape, q, F1 or ? close it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from explorer.ui.widgets.footer import KeysFooter

# One row: the key as shown, and what it does.
KeyRow = tuple[str, str]
KeySection = tuple[str, Sequence[KeyRow]]


def keys_text(sections: Sequence[KeySection]) -> Content:
    """The sections as one text: a bold heading each, then its keys in a column."""
    width = max((len(key) for _, rows in sections for key, _ in rows), default=0)
    parts: list[Content] = []
    for title, rows in sections:
        if not rows:
            continue
        if parts:
            parts.append(Content("\n"))
        parts.append(Content.styled(title, "bold $text-primary"))
        for key, description in rows:
            parts.append(Content("\n"))
            parts.append(Content.assemble((f"  {key:<{width}}", "bold $accent"), f"  {description}"))
    return Content("").join(parts) if parts else Content("No keys here.")


class KeysHelp(ModalScreen[None]):
    """A list of keys, by where they apply."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,f1,question_mark", "close", "Close", id="help.close"),
    ]

    def __init__(self, title: str, sections: Sequence[KeySection]) -> None:
        super().__init__()
        self._title = title
        self._sections = list(sections)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as dialog:
            dialog.border_title = self._title
            with VerticalScroll(id="keys-scroll"):
                yield Static(keys_text(self._sections), id="keys-text")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#keys-scroll").focus()

    def action_close(self) -> None:
        self.dismiss(None)
