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

    def __init__(self, expression: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        # What the bar shows until it is composed (it is built the first time it is needed, maybe with a
        # remembered filter that runs at once).
        self._expression = expression
        self._error = ""

    def compose(self) -> ComposeResult:
        with Horizontal(id="filter-row"):
            yield Static(self._label(), id="filter-label")
            yield SteadyInput(self._expression, placeholder=PLACEHOLDER, id="filter-input", select_on_focus=False)
        error = Static(self._error, id="filter-error", markup=False)
        error.display = bool(self._error)
        yield error

    def _label(self) -> str:
        return "jq…" if self.running else "jq"

    def watch_running(self) -> None:
        for label in self.query("#filter-label").results(Static):
            label.update(self._label())

    @on(Input.Submitted, "#filter-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Submitted(event.value.strip()))

    def action_close(self) -> None:
        self.post_message(self.Closed())

    @property
    def expression(self) -> str:
        for field in self.query("#filter-input").results(Input):
            return field.value.strip()
        return self._expression.strip()

    def set_expression(self, expression: str) -> None:
        """Show `expression` in the bar (the filter on show), without running it."""
        self._expression = expression
        for field in self.query("#filter-input").results(Input):
            field.value = expression

    def open(self, expression: str = "") -> None:
        """Show the bar with `expression` (or what it held) and put the cursor in it."""
        field = self.query_one("#filter-input", Input)
        if expression:
            field.value = expression
        self.display = True
        field.focus()
        field.cursor_position = len(field.value)

    def show_error(self, message: str) -> None:
        self._error = message
        for error in self.query("#filter-error").results(Static):
            error.update(message)
            error.display = True

    def clear_error(self) -> None:
        self._error = ""
        for error in self.query("#filter-error").results(Static):
            error.display = False
