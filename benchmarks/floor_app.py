"""The launch floor: the least a Textual app like explorer's can show, started the way explorer is.

A footer with one key, a URL input and a line of text, nothing else: the time it takes to show these is what
Python and Textual cost before any of explorer's panes. The launch benchmark measures it next to explorer, so
the table shows how much of explorer's launch is its own.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Input, Static


class Floor(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+j", "send", "Send")]

    def compose(self) -> ComposeResult:
        yield Input(placeholder="Enter a URL")
        yield Static("No response yet")
        yield Footer()

    def action_send(self) -> None:
        pass


if __name__ == "__main__":
    Floor().run()
