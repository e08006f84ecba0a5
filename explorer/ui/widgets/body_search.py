"""Searching a response body: the query, the match on show, and the thread that finds the next one.

A body can be megabytes, so a find runs in a thread worker of the view it belongs to (a new find replaces the one
still running) and the answer comes back as a `Found` message. The document may still be growing: a find sees
the lines formatted so far.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import partial
from re import Pattern

from rich.style import Style
from textual.message import Message
from textual.widget import Widget
from textual.worker import get_current_worker

from explorer.core.document import Document, Match, compile_pattern

SEARCH_GROUP = "body-search"
# Matches counted at most ("3 of 100000+"): counting goes on at C speed, but not without end.
COUNT_LIMIT = 100_000


@dataclass(frozen=True)
class Query:
    """What the user searches for, compiled once."""

    text: str
    regex: bool
    case: bool
    pattern: Pattern[str]


@dataclass
class Found(Message, bubble=False):
    """A find ended: `match` is (line, start column, end column), or None when nothing matched."""

    document: Document
    query: Query
    match: Match | None
    index: int = 0
    """How many matches come before this one."""
    total: int = 0
    """How many matches there are (counted up to COUNT_LIMIT)."""


class BodySearch:
    """One body view's search: `begin` a query, `find` from a line, and the spans to paint on each line."""

    def __init__(self, view: Widget) -> None:
        self._view = view
        self.query: Query | None = None
        self.match: Match | None = None
        # The match starts of the last query counted, and what they were counted for (written by the find thread).
        self._counted: tuple[tuple[Query, Document, int, int], array[int], array[int]] | None = None

    def begin(self, text: str, *, regex: bool, case: bool) -> Query | None:
        """Start searching for `text`; None for an empty pattern. Raises SearchError for an invalid one."""
        pattern = compile_pattern(text, regex=regex, case=case)
        self.clear()
        if pattern is not None:
            self.query = Query(text, regex, case, pattern)
        return self.query

    def find(self, document: Document, start: int, *, backwards: bool, after: Match | None = None) -> None:
        """Look for the query from line `start` on (or back), or from just after (before) the match `after`, in a
        thread; `Found` is posted to the view."""
        if self.query is None:
            return
        self._view.run_worker(
            partial(self._find, document, self.query, start, backwards, after),
            thread=True,
            exclusive=True,
            exit_on_error=False,
            group=SEARCH_GROUP,
            description="Search the body",
        )

    def step(self, document: Document, line: int, *, backwards: bool) -> None:
        """Find the next (previous) match from `line`, the cursor's: when the cursor is still on the line of the
        match on show, the one just after (before) it, on the same line too."""
        count = document.line_count
        if not count:
            return
        on_show = self.match if self.match is not None and self.match[0] == line else None
        start = (line - 1) % count if backwards else (line + 1) % count
        self.find(document, start, backwards=backwards, after=on_show)

    def accept(self, found: Found, document: Document) -> bool:
        """Take `found` as the match on show, unless it answers an older query or another document."""
        if found.document is not document or found.query is not self.query:
            return False
        self.match = found.match
        return True

    def clear(self) -> None:
        """No query, no match, and no find still running."""
        self.query = None
        self.match = None
        self._view.workers.cancel_group(self._view, SEARCH_GROUP)

    def spans(self, line: str, index: int, match_style: Style, current_style: Style) -> list[tuple[int, int, Style]]:
        """The matches on line `index` (whose text is `line`) as (start, end, style), the current one set apart."""
        if self.query is None:
            return []
        current = self.match if self.match is not None and self.match[0] == index else None
        spans: list[tuple[int, int, Style]] = []
        for m in self.query.pattern.finditer(line):
            if m.end() > m.start():
                is_current = current is not None and m.start() == current[1]
                spans.append((m.start(), m.end(), current_style if is_current else match_style))
        return spans

    def _find(self, document: Document, query: Query, start: int, backwards: bool, after: Match | None) -> None:
        worker = get_current_worker()

        def stop() -> bool:
            # Superseded (the user typed on, or pressed n again): give the interpreter back at once.
            return worker.is_cancelled

        # Every match, found once per query and document (again as the document grows): the one to show and how
        # many come before it are then bisections, so `n` and `N` do not read the body again.
        key = (query, document, document.revision, document.line_count)
        counted = self._counted
        if counted is None or counted[0] != key:
            spans = document.match_spans(
                query.text, regex=query.regex, case=query.case, limit=COUNT_LIMIT, cancelled=stop
            )
            if spans is None:
                return
            counted = self._counted = (key, *spans)
        _key, starts, ends = counted
        if len(starts) < COUNT_LIMIT:
            index = _pick(starts, document, start, backwards, after)
            match = None if index is None else document.match_between(starts[index], ends[index])
        else:
            # Too many to keep them all: the search reads the text from the cursor on.
            text, regex, case = query.text, query.regex, query.case
            match = document.search(
                text, start, regex=regex, case=case, backwards=backwards, after=after, cancelled=stop
            )
            index = bisect_left(starts, document.offset_of(match[0], match[1])) if match is not None else None
        if not stop():
            self._view.post_message(Found(document, query, match, index or 0, len(starts)))


def _pick(starts: array[int], document: Document, line: int, backwards: bool, after: Match | None) -> int | None:
    """Which of the matches starting at `starts` to show: the first at or after `line` (the last before its end,
    going backwards), or the one just after (before) the match `after`; round the end to the other side."""
    if not starts:
        return None
    if after is not None:
        at = document.offset_of(after[0], after[1])
        index = bisect_left(starts, at) - 1 if backwards else bisect_right(starts, at)
    elif backwards:
        index = (
            bisect_left(starts, document.offset_of(line + 1) if line + 1 < document.line_count else starts[-1] + 1) - 1
        )
    else:
        index = bisect_left(starts, document.offset_of(line))
    return index % len(starts)
