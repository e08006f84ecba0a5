"""The response pane's status line: the code coloured by class, the exchange's figures and notes, or the progress
of an answer on its way.

One line of fixed size whatever it shows: the progress is a new text in it, never a new widget, so the screen is
not laid out again while a body arrives (a layout of the whole screen is what makes a key wait).
"""

from __future__ import annotations

import time
from typing import Literal

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Static

from explorer.core.formatting import human_duration, human_size
from explorer.core.http import ResponseRecord
from explorer.ui.presentation import wait_time

# The progress display is redrawn at most this often, however fast the chunks arrive.
PROGRESS_INTERVAL = 0.1
# Cells of the progress bar.
PROGRESS_BAR_WIDTH = 24

_STATUS_CLASSES = ("-status-1xx", "-status-2xx", "-status-3xx", "-status-4xx", "-status-5xx", "-status-other")


class StatusLine(Horizontal):
    """Status code, HTTP version, time, size and notes of a response; or how much of one has arrived."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._progress: tuple[int, int | None] = (0, None)
        self._progress_shown_at = 0.0
        self._progress_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="status-code", markup=False)
        yield Static("", id="status-meta", markup=False)
        yield Static("", id="status-notes", markup=False)
        # Shown instead of the three above while a request is on its way.
        yield Static("", id="status-progress", markup=False)

    def show_parts(self, state: Literal["empty", "loading", "response"]) -> None:
        """The code, meta and notes of a response, the progress of one on its way, or nothing."""
        if state == "loading":
            self._progress_shown_at = 0.0
        for part in ("#status-code", "#status-meta"):
            self.query_one(part, Static).display = state == "response"
        if state != "response":
            self.query_one("#status-notes", Static).display = False
        self.query_one("#status-progress", Static).display = state == "loading"

    def show_record(self, record: ResponseRecord, first_notes: list[str]) -> None:
        """What came back; `first_notes` go before the exchange's own (e.g. the jq filter on show)."""
        code = self.query_one("#status-code", Static)
        code.update(f" {record.status} {record.reason} ".replace("  ", " "))
        family = record.status // 100
        family_class = f"-status-{family}xx" if 1 <= family <= 5 else "-status-other"
        if not code.has_class(family_class):
            code.remove_class(*_STATUS_CLASSES)
            code.add_class(family_class)
        meta = [record.http_version, human_duration(record.elapsed), human_size(record.size)]
        self.query_one("#status-meta", Static).update(" · ".join(part for part in meta if part))
        notes = list(first_notes)
        if record.retried_after_rejection:
            notes.append("token was rejected: sent again with a new one")
        if record.request.own_authorization:
            notes.append("your own Authorization header was sent")
        if record.status == 429:
            wait = record.retry_after
            notes.append("rate limited" if wait is None else f"rate limited: retry after {wait_time(wait)}")
        notes.extend(record.notes)
        status_notes = self.query_one("#status-notes", Static)
        status_notes.update(" · ".join(notes))
        self.show_parts("response")
        status_notes.display = bool(notes)

    def show_progress(self, received: int, total: int | None) -> None:
        """`received` bytes so far, of `total` when the server said; redrawn at most every PROGRESS_INTERVAL."""
        self._progress = (received, total)
        # Chunks can arrive thousands of times a second.
        wait = self._progress_shown_at + PROGRESS_INTERVAL - time.monotonic()
        if wait <= 0:
            self._draw_progress()
        elif self._progress_timer is None:
            self._progress_timer = self.set_timer(wait, self._draw_progress)

    def show_text(self, text: str) -> None:
        """A line of its own in place of the progress (e.g. the pages fetched so far)."""
        self.stop_progress()
        self.query_one("#status-progress", Static).update(Content(text), layout=False)

    def stop_progress(self) -> None:
        if self._progress_timer is not None:
            self._progress_timer.stop()
            self._progress_timer = None

    def _draw_progress(self) -> None:
        self._progress_timer = None
        self._progress_shown_at = time.monotonic()
        received, total = self._progress
        # A line of fixed size: a new text only repaints it, without laying the screen out again.
        self.query_one("#status-progress", Static).update(progress_text(received, total), layout=False)


def progress_text(received: int, total: int | None) -> Content:
    """What the status line says while a response is on its way: bytes so far and, when known, a bar."""
    if total:
        done = min(received, total)
        filled = round(PROGRESS_BAR_WIDTH * done / total)
        return Content.assemble(
            f"Received {human_size(done)} of {human_size(total)}  ",
            ("━" * filled, "$accent"),
            ("━" * (PROGRESS_BAR_WIDTH - filled), "$foreground 15%"),
            f"  {100 * done // total}%",
        )
    if received:
        return Content(f"Received {human_size(received)}…")
    return Content("Waiting for the answer…")
