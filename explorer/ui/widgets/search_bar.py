"""The search bar under a response body: find as you type, with "3 of 41" beside the text.

The bar only edits and reports: the response pane runs each search in the body view (a thread per search, a new
one replacing the one still running) and hands the outcome back with `show_count`. Enter or ↓ goes to the next
match, ↑ to the previous; Escape gives the focus back to the body, where n and N go on and Escape clears.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Static

from explorer.ui.redraw import update_text
from explorer.ui.textual_compat import SteadyInput


def count_text(index: int, total: int, limit: int, *, found: bool, complete: bool) -> str:
    """What the bar says about the matches: "3 of 41", "no match", with "so far" while the body grows."""
    if not found or total == 0:
        return "no match" if complete else "no match so far"
    more = "+" if total >= limit else ""
    return f"{index + 1} of {total}{more}" + ("" if complete else " so far")


class SearchBar(Widget):
    """A pattern to find in the body on show, and which match of how many is on show."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="response.search_close"),
        Binding("down", "next", "Next", id="response.search_next"),
        Binding("up", "previous", "Previous", id="response.search_previous"),
    ]

    @dataclass
    class Changed(Message):
        """The text to find changed ("" to find nothing)."""

        text: str

    @dataclass
    class Step(Message):
        """Go to the next match (or the previous, `backwards`)."""

        backwards: bool = False

    @dataclass
    class Closed(Message):
        """Escape in the bar: the focus goes back to the body."""

    def compose(self) -> ComposeResult:
        with Horizontal(id="search-row"):
            yield Static("find", id="search-label")
            yield SteadyInput(placeholder="text to find in the body", id="search-input", select_on_focus=True)
            yield Static("", id="search-count", markup=False)

    @on(Input.Changed, "#search-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.show_count("…" if event.value else "")
        self.post_message(self.Changed(event.value))

    @on(Input.Submitted, "#search-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_next()

    def action_next(self) -> None:
        self.post_message(self.Step())

    def action_previous(self) -> None:
        self.post_message(self.Step(backwards=True))

    def action_close(self) -> None:
        self.post_message(self.Closed())

    @property
    def text(self) -> str:
        return self.query_one("#search-input", Input).value

    def open(self) -> None:
        """Show the bar and put the cursor in it (what it held is selected, so typing replaces it)."""
        self.display = True
        self.query_one("#search-input", Input).focus()

    def show_count(self, text: str) -> None:
        count = self.query_one("#search-count", Static)
        # Emptied with every new body, mostly while the bar is hidden: nothing to repaint when it says the same
        # (a hidden widget repainted makes the screen work out where every widget is again), and a layout only
        # when the count's width changes.
        if str(count.content) != text:
            update_text(count, text)
