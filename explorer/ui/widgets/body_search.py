"""Searching a response body: the query, the match on show, and the thread that finds the next one.

A body can be megabytes, so a find runs in a thread worker of the view it belongs to (a new find replaces the one
still running) and the answer comes back as a `Found` message. The document may still be growing: a find sees
the lines formatted so far.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from re import Pattern

from rich.style import Style
from textual.message import Message
from textual.widget import Widget

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
        match = document.search(query.text, start, regex=query.regex, case=query.case, backwards=backwards, after=after)
        index, total = document.count(query.text, match, regex=query.regex, case=query.case, limit=COUNT_LIMIT)
        self._view.post_message(Found(document, query, match, index, total))
