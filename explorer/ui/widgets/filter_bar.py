"""The jq filter bar under a response body: type an expression, Enter shows its result in the same viewer.

The bar only edits and reports: the response pane runs the filter (in a thread, cancellable) and shows the
result or the error, which the bar displays inline under the expression. Escape goes back to the full body.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Input, Static

from explorer.ui.textual_compat import SteadyInput

PLACEHOLDER = ".items[0]   ·   .items | length   ·   map(select(.active))"


class FilterBar(Widget):
    """A jq expression for the body on show, with its error (if any) on the line below."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Full body", id="response.filter_close"),
    ]

    running: reactive[bool] = reactive(False)
    """A filter is running: the label says so."""

    @dataclass
    class Submitted(Message):
        """Enter in the bar: run this expression on the body."""

        expression: str

    @dataclass
    class Closed(Message):
        """Escape in the bar: back to the full body."""

    def compose(self) -> ComposeResult:
        with Horizontal(id="filter-row"):
            yield Static("jq", id="filter-label")
            yield SteadyInput(placeholder=PLACEHOLDER, id="filter-input", select_on_focus=False)
        yield Static("", id="filter-error", markup=False)

    def on_mount(self) -> None:
        self.query_one("#filter-error", Static).display = False

    def watch_running(self, running: bool) -> None:
        self.query_one("#filter-label", Static).update("jq…" if running else "jq")

    @on(Input.Submitted, "#filter-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Submitted(event.value.strip()))

    def action_close(self) -> None:
        self.post_message(self.Closed())

    @property
    def expression(self) -> str:
        return self.query_one("#filter-input", Input).value.strip()

    def open(self, expression: str = "") -> None:
        """Show the bar with `expression` (or what it held) and put the cursor in it."""
        field = self.query_one("#filter-input", Input)
        if expression:
            field.value = expression
        self.display = True
        field.focus()
        field.cursor_position = len(field.value)

    def show_error(self, message: str) -> None:
        error = self.query_one("#filter-error", Static)
        error.update(message)
        error.display = True

    def clear_error(self) -> None:
        self.query_one("#filter-error", Static).display = False
