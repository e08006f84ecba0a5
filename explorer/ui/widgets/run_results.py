"""Replay results: one row per request (name, status, time, whether it met its expectation) and a summary.

The app calls `start` with the request names, `update_result` as each answer comes in and `finish` at the end.
The clock is injected so tests can move time.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.message import Message
from textual.widget import Widget
from textual.widgets import DataTable, Static

from explorer.core.formatting import human_duration

Clock = Callable[[], float]


@dataclass(frozen=True)
class _Outcome:
    status: int | None
    elapsed: float
    passed: bool
    detail: str


class RunResults(Widget):
    """A compact table of a replay's results with a one-line summary above it."""

    BINDINGS: ClassVar[list[BindingType]] = []

    @dataclass
    class ResultSelected(Message):
        """The user picked a row (Enter or a click): the app may open that request."""

        index: int

    def __init__(
        self,
        *,
        clock: Clock = time.monotonic,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._clock = clock
        self._names: list[str] = []
        self._outcomes: dict[int, _Outcome] = {}
        self._started = 0.0
        self._finished: float | None = None

    def compose(self) -> ComposeResult:
        yield Static("No replay yet.", id="run-summary", markup=False)
        yield DataTable(cursor_type="row", zebra_stripes=True, id="run-table")

    def on_mount(self) -> None:
        table = self.query_one("#run-table", DataTable)
        table.add_column("Request", key="name")
        # Fixed widths: cells are filled in as results arrive, so columns must fit "1.24 s" from the start.
        table.add_column("Status", key="status", width=6)
        table.add_column(Text("Time", justify="right"), key="time", width=8)
        table.add_column("Expectation", key="expectation")
        # Cells are coloured with the theme's colours of the moment: repaint them when the theme changes.
        self.app.theme_changed_signal.subscribe(self, self._repaint)

    @on(DataTable.RowSelected, "#run-table")
    def _on_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.post_message(self.ResultSelected(int(event.row_key.value)))

    def start(self, names: list[str]) -> None:
        """A replay of these requests (in this order) begins: every row is pending."""
        self._names = list(names)
        self._outcomes = {}
        self._started = self._clock()
        self._finished = None
        table = self.query_one("#run-table", DataTable)
        table.clear()
        for index, name in enumerate(self._names):
            # Text, not str: the table would read brackets in a name as markup.
            table.add_row(Text(name), Text("…", style="dim"), "", "", key=str(index))
        self._show_summary(fetches=None)

    def update_result(self, index: int, status: int | None, elapsed: float, passed: bool, detail: str) -> None:
        """One request's outcome; `detail` says what was expected when it was not met, or why it failed."""
        if not 0 <= index < len(self._names):
            return
        self._outcomes[index] = _Outcome(status, elapsed, passed, detail)
        self._paint(index)
        self._show_summary(fetches=None)

    def finish(self, fetches: int) -> None:
        """The replay is over; `fetches` is how many tokens it had to fetch."""
        self._finished = self._clock()
        self._show_summary(fetches=fetches)

    @property
    def passed(self) -> int:
        """How many requests met their expectation so far."""
        return sum(1 for outcome in self._outcomes.values() if outcome.passed)

    def _paint(self, index: int) -> None:
        outcome = self._outcomes[index]
        colour = self.app.theme_variables.get("success" if outcome.passed else "error", "")
        table = self.query_one("#run-table", DataTable)
        row = str(index)
        status = "—" if outcome.status is None else str(outcome.status)
        table.update_cell(row, "status", Text(status, style=f"bold {colour}".strip()))
        elapsed = human_duration(outcome.elapsed) if outcome.status is not None else ""
        table.update_cell(row, "time", Text(elapsed, justify="right"))
        mark = "✓" if outcome.passed else "✗"
        table.update_cell(row, "expectation", Text(f"{mark} {outcome.detail}".strip(), style=colour), update_width=True)

    def _repaint(self, _theme: object) -> None:
        for index in self._outcomes:
            self._paint(index)

    def _show_summary(self, fetches: int | None) -> None:
        total = len(self._names)
        summary = self.query_one("#run-summary", Static)
        if self._finished is None:
            summary.update(f"Running {len(self._outcomes)} of {total}…")
            summary.set_classes("-running")
            return
        parts = [f"{self.passed} of {total} met expectations"]
        if fetches is not None:
            parts.append(f"{fetches} token fetch" + ("" if fetches == 1 else "es"))
        parts.append(human_duration(self._finished - self._started))
        summary.update(" · ".join(parts))
        summary.set_classes("-passed" if self.passed == total else "-failed")
