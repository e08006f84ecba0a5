"""Where a body view's lines are on screen: one row each, or, with wrap on, as many as the view's width needs.

`BodyRows` belongs to one `BodyView`. It maps a row of the view to (line, part of the line) and a line to its
rows, keeps the `WrapIndex` of the document on show at the width of now (a new one when the width, the gutter or
the document changes; its long lines are found in a thread, and `Wrapped` says when), and scrolls just enough
for a line, or a match in it, to be on screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from textual.message import Message
from textual.worker import get_current_worker

from explorer.core.wrap import WrapIndex

if TYPE_CHECKING:
    from explorer.ui.widgets.body_view import BodyView

WRAP_GROUP = "body-wrap"


@dataclass
class Wrapped(Message, bubble=False):
    """The long lines of `index` were found (so far)."""

    index: WrapIndex


class BodyRows:
    """One body view's rows: a line each, or wrapped at the view's width while its `wrap` is on."""

    def __init__(self, view: BodyView) -> None:
        self._view = view
        self.index: WrapIndex | None = None
        """The wrap index in use (None while wrap is off, or until it is first needed)."""

    def text_width(self) -> int:
        """Columns of text in a row: the view's, less the line numbers."""
        view = self._view
        return max(view.scrollable_content_region.width - view.gutter_width, 1)

    def wrap_index(self) -> WrapIndex:
        """The wrap index of the document on show at the width of now."""
        view = self._view
        index = self.index
        width = self.text_width()
        if index is None or index.stale or index.document is not view.document or index.width != width:
            # A resize, more digits in the gutter or a new body: the scrollable area follows once the thread has
            # found the long lines.
            index = self.index = WrapIndex(view.document, width)
            self.scan(index)
        return index

    def line_at(self, row: int) -> tuple[int, int]:
        """The line on `row` and which of its rows that is (0 for its first)."""
        return self.wrap_index().line_at(row) if self._view.wrap else (row, 0)

    def first_row(self, line: int) -> int:
        return self.wrap_index().first_row(line) if self._view.wrap else line

    def rows_of(self, line: int) -> int:
        return self.wrap_index().rows(line) if self._view.wrap else 1

    def scan(self, index: WrapIndex) -> None:
        """Find the long lines of `index` not looked at yet, in a thread; `Wrapped` is posted to the view."""
        self._view.run_worker(
            partial(self._scan, index),
            thread=True,
            exclusive=True,
            exit_on_error=False,
            group=WRAP_GROUP,
            description="Wrap the body",
        )

    def show_line(self, line: int, column: int = 0) -> None:
        """Scroll just enough for `line` to be on screen: wrapped, all its rows when they fit, else its first (or
        the one holding `column`)."""
        view = self._view
        first = self.first_row(line)
        last = first + self.rows_of(line) - 1
        if column and view.wrap:
            first = last = first + column // self.text_width()
        if last >= view.virtual_size.height:
            view.sync_size()
        top = view.scroll_offset.y
        height = max(view.scrollable_content_region.height, 1)
        if first < top:
            view.scroll_to(y=first, animate=False)
        elif last >= top + height:
            view.scroll_to(y=min(first, last - height + 1), animate=False)

    def show_columns(self, line: int, start: int, end: int) -> None:
        """Scroll, if needed, for columns `start` to `end` of `line` to be on screen."""
        view = self._view
        if view.wrap:
            self.show_line(line, start)
            return
        left = view.scroll_offset.x
        width = self.text_width()
        if start < left or end > left + width:
            view.scroll_to(x=max(start - width // 3, 0), animate=False)

    def _scan(self, index: WrapIndex) -> None:
        worker = get_current_worker()
        if index.scan(cancelled=lambda: worker.is_cancelled):
            self._view.post_message(Wrapped(index))
