"""The response pane's status line: the code coloured by class, the exchange's figures and notes, or the progress
of an answer on its way.

One widget, one row of fixed size, whatever it shows: an answer, or the progress of one, is a new text in it, never
a part shown or hidden, so the screen is not laid out again when a request is sent, while its body arrives or when
it is answered (a layout of the whole screen, and the frame after it, is what makes a key wait).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import ClassVar, Literal

from textual.content import Content
from textual.timer import Timer
from textual.widget import Widget

from explorer.core.formatting import human_duration, human_size
from explorer.core.http import ResponseRecord
from explorer.ui.presentation import wait_time

# The progress display is redrawn at most this often, however fast the chunks arrive.
PROGRESS_INTERVAL = 0.1
# Cells of the progress bar.
PROGRESS_BAR_WIDTH = 24

StatusState = Literal["empty", "loading", "response"]


@dataclass(frozen=True)
class StatusParts:
    """What the status line shows, part by part, as plain text (the state says which parts are on show)."""

    state: StatusState
    code: str = ""  # "200 OK"
    family: str = ""  # "1xx" … "5xx", or "other"
    meta: str = ""  # "HTTP/1.1 · 85 ms · 95 B"
    notes: str = ""  # anything unusual about the exchange, " · " between notes
    progress: str = ""  # how much of an answer has arrived, or a line of `show_text`


class StatusLine(Widget):
    """Status code, HTTP version, time, size and notes of a response; or how much of one has arrived.

    It draws the line itself, the code coloured by class and the notes in a colour of their own through component
    classes (their colours are in the stylesheet, so every theme has them), rather than holding a label for each
    part: showing an answer, or the progress of one, then repaints one row and lays nothing out.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "status-line--code",
        "status-line--code-1xx",
        "status-line--code-2xx",
        "status-line--code-3xx",
        "status-line--code-4xx",
        "status-line--code-5xx",
        "status-line--code-other",
        "status-line--notes",
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._parts = StatusParts("empty")
        self._progress_content = Content()
        self._progress: tuple[int, int | None] = (0, None)
        self._progress_shown_at = 0.0
        self._progress_timer: Timer | None = None

    @property
    def parts(self) -> StatusParts:
        """What the line shows."""
        return self._parts

    def render(self) -> Content:
        parts = self._parts
        if parts.state == "loading":
            line = self._progress_content
        elif parts.state == "response":
            line = Content.assemble(
                (
                    f" {parts.code} ",
                    self.get_visual_style("status-line--code", f"status-line--code-{parts.family}"),
                ),
                f" {parts.meta} " if parts.meta else " ",
                (parts.notes, self.get_visual_style("status-line--notes")),
            )
        else:
            line = Content()
        # Cut to one row, an ellipsis saying there is more (the notes come last).
        return line.truncate(self.content_size.width, ellipsis=True)

    def show_parts(self, state: Literal["empty", "loading"]) -> None:
        """Nothing, or the progress of an answer on its way (from its start: nothing received yet)."""
        if state == "loading":
            self._progress_shown_at = 0.0
            self._show_progress_content(progress_text(0, None))
        else:
            self._show(StatusParts("empty"))

    def show_record(self, record: ResponseRecord, first_notes: list[str]) -> None:
        """What came back; `first_notes` go before the exchange's own (e.g. the jq filter on show)."""
        family = record.status // 100
        meta = [record.http_version, human_duration(record.elapsed), human_size(record.size)]
        notes = list(first_notes)
        if record.retried_after_rejection:
            notes.append("token was rejected: sent again with a new one")
        if record.request.own_authorization:
            notes.append("your own Authorization header was sent")
        if record.status == 429:
            wait = record.retry_after
            notes.append("rate limited" if wait is None else f"rate limited: retry after {wait_time(wait)}")
        notes.extend(record.notes)
        self._show(
            StatusParts(
                "response",
                code=f"{record.status} {record.reason}".strip(),
                family=f"{family}xx" if 1 <= family <= 5 else "other",
                meta=" · ".join(part for part in meta if part),
                notes=" · ".join(notes),
            )
        )

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
        self._show_progress_content(Content(text))

    def stop_progress(self) -> None:
        if self._progress_timer is not None:
            self._progress_timer.stop()
            self._progress_timer = None

    def _draw_progress(self) -> None:
        self._progress_timer = None
        if self._parts.state != "loading":
            return  # a timer that had fired when the answer came
        self._progress_shown_at = time.monotonic()
        self._show_progress_content(progress_text(*self._progress))

    def _show_progress_content(self, content: Content) -> None:
        self._progress_content = content
        self._show(StatusParts("loading", progress=content.plain))

    def _show(self, parts: StatusParts) -> None:
        if parts != self._parts or parts.state == "loading":
            self._parts = parts
            # One row of fixed size: a repaint, never a layout of the screen.
            self.refresh()


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
