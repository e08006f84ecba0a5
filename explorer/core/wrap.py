"""Soft wrap for a document: which screen row shows which part of which line when lines wrap at a width.

Most lines of a formatted body are shorter than a screen, so `WrapIndex` keeps only the lines that are not: each
with the row it starts on and the rows it takes. A row on screen maps to (line, part) by a binary search among
them, and a line to its first row by another. When no line is longer than the width (the usual pretty-printed
JSON) there is nothing to find at all.

The long lines are found by `Document.long_lines` (a regular expression over the text, tens of milliseconds for a
5 MB body of long lines), so `scan` runs in a thread. Lines not scanned yet count as one row each. What a reader
uses is replaced whole, never changed in place, so the thread that renders may read while another scans.
Columns are characters, as everywhere in the body view.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from explorer.core.document import Document


@dataclass(frozen=True)
class _Found:
    """The long lines found so far, in order: their index, the row each starts on, and the rows each takes."""

    lines: tuple[int, ...] = ()
    starts: tuple[int, ...] = ()
    rows: tuple[int, ...] = ()
    scanned: int = 0
    """Lines scanned."""

    @property
    def extra(self) -> int:
        """Rows beyond one per line, of all the long lines."""
        return self.starts[-1] + self.rows[-1] - self.lines[-1] - 1 if self.lines else 0


def _never() -> bool:
    return False


class WrapIndex:
    """Rows of a document's lines wrapped at `width` columns (every line takes at least one row)."""

    def __init__(self, document: Document, width: int) -> None:
        self.document = document
        self.revision = document.revision
        self.width = max(width, 1)
        """Columns per row."""
        self._found = _Found()

    @property
    def stale(self) -> bool:
        """The document started over since: the index says nothing about its lines."""
        return self.document.revision != self.revision

    @property
    def scanned(self) -> int:
        """Lines scanned so far: when it reaches the document's line count, the index is exact."""
        return self._found.scanned

    @property
    def row_count(self) -> int:
        """Rows taken by the lines available now."""
        return self.document.line_count + self._found.extra

    def scan(self, cancelled: Callable[[], bool] = _never) -> bool:
        """Find the long lines among those added since the last scan; False if cancelled or stale."""
        document = self.document
        found = self._found
        count = document.line_count
        if self.stale:
            return False
        if count <= found.scanned:
            return True
        lines, starts, rows = list(found.lines), list(found.starts), list(found.rows)
        extra = found.extra
        width = self.width
        if document.max_width > width:
            for line, length in document.long_lines(width, found.scanned, count):
                if cancelled() or self.stale:
                    return False
                taken = -(-length // width)
                lines.append(line)
                starts.append(line + extra)
                rows.append(taken)
                extra += taken - 1
        self._found = _Found(tuple(lines), tuple(starts), tuple(rows), count)
        return True

    def line_at(self, row: int) -> tuple[int, int]:
        """The line shown on `row` and which of its rows that is (0 for its first)."""
        found = self._found
        k = bisect_right(found.starts, row) - 1  # the last long line starting on or before `row`
        if k < 0:
            return row, 0
        start = found.starts[k]
        if row < start + found.rows[k]:
            return found.lines[k], row - start
        return found.lines[k] + 1 + row - start - found.rows[k], 0

    def first_row(self, line: int) -> int:
        """The row where `line` starts."""
        found = self._found
        k = bisect_right(found.lines, line) - 1  # the last long line at or before `line`
        if k < 0:
            return line
        if found.lines[k] == line:
            return found.starts[k]
        return found.starts[k] + found.rows[k] + line - found.lines[k] - 1

    def rows(self, line: int) -> int:
        """How many rows `line` takes."""
        found = self._found
        k = bisect_right(found.lines, line) - 1
        return found.rows[k] if k >= 0 and found.lines[k] == line else 1
