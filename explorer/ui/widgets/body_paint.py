"""Painting a body's lines: highlighted, search matches marked, control characters made visible, cropped to a row;
and the placeholder a view shows while it has no lines, wrapped to its width and centred.

`LinePainter` belongs to one `BodyView`. It highlights a whole line the first time it is drawn (explorer.ui.
highlighting) with the matches of the search on top, keeps it in a small cache, and hands out the columns a row
shows: a screen's width from the horizontal scroll, or one wrapped part of the line. Lines longer than
`LONG_LINE` are shown plain, a row at a time, without reading the rest of the line.
"""

from __future__ import annotations

import textwrap

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.cache import LRUCache
from textual.strip import Strip
from textual.widget import Widget

from explorer.core.document import Document
from explorer.ui.highlighting import LineHighlighter, overlay
from explorer.ui.widgets.body_search import BodySearch

# Lines longer than this are shown plain, a screen's width at a time: highlighting them would stall a frame.
LONG_LINE = 4000
# Highlighted lines kept; a few screens' worth either side of the one in view.
CACHE_LINES = 4000

# Control characters (C0, DEL, C1) and the invisible reordering marks are shown as U+FFFD, never sent as they are.
CONTROLS = str.maketrans(
    {code: "\ufffd" for code in (*range(0x20), *range(0x7F, 0xA0), 0x61C, 0x200E, 0x200F, *range(0x2028, 0x202F))}
    | {code: "\ufffd" for code in range(0x2066, 0x206A)}
)


class LinePainter:
    """The strips of one body view's lines, highlighted once and cached until the colours or the search change."""

    def __init__(self, view: Widget, search: BodySearch, pygments_style: str) -> None:
        self._view = view
        self._search = search
        self.pygments_style = pygments_style
        self._cache: LRUCache[int, Strip] = LRUCache(CACHE_LINES)
        self._highlighter: LineHighlighter | None = None

    def forget(self) -> None:
        """Colours changed (a theme, a style, another document): highlight everything again."""
        self._cache.clear()
        self._highlighter = None

    def forget_matches(self) -> None:
        """The search changed: the lines are marked again, with the same colours."""
        self._cache.clear()

    def strip(
        self, document: Document, index: int, start: int, width: int, base: Style, background: Style, *, cached: bool
    ) -> Strip:
        """Columns `start` to `start + width` of line `index` on `base`; `background` is the widget's own style."""
        if document.line_length(index) > LONG_LINE:
            text = document.line_part(index, start, start + width).translate(CONTROLS)
            return Strip([Segment(text, base)]).crop_extend(0, width, base)
        strip = self._cache.get(index) if cached else None
        if strip is None:
            strip = self._highlight(document, document.line(index), index, base, background)
            if cached:
                self._cache[index] = strip
        return strip.crop_extend(start, start + width, base)

    def _highlight(self, document: Document, line: str, index: int, base: Style, background: Style) -> Strip:
        if not line.isprintable():
            line = line.translate(CONTROLS)
        if self._highlighter is None:
            colour = background.bgcolor
            triplet = colour.get_truecolor() if colour is not None else None
            self._highlighter = LineHighlighter(document.kind, self.pygments_style, triplet)
        segments = self._highlighter.segments(line, base)
        if self._search.query is not None:
            match_style = self._component_overlay("body-view--match")
            current_style = self._component_overlay("body-view--current-match")
            spans = self._search.spans(line, index, match_style, current_style)
            if spans:
                segments = overlay(segments, spans)
        return Strip(segments, cell_len(line))

    def _component_overlay(self, name: str) -> Style:
        """The background of a component class, and its colour only when the class sets one."""
        full = self._view.get_component_rich_style(name)
        partial = self._view.get_component_rich_style(name, partial=True)
        return Style(color=partial.color, bgcolor=full.bgcolor)


def placeholder_rows(text: str, width: int, height: int) -> tuple[int, list[str]]:
    """Where a placeholder starts (a row of the view) and its lines, wrapped at the view's width."""
    wrap_at = max(width - 2, 10)
    lines = [row for line in text.split("\n") for row in (textwrap.wrap(line, wrap_at) or [""])] if text else []
    return max((height - len(lines)) // 2, 0), lines


def placeholder_strip(text: str, y: int, width: int, height: int, base: Style, colour: Style) -> Strip:
    """Row `y` of the placeholder `text` centred in a view of `width` x `height`, in `colour`'s colour."""
    top, lines = placeholder_rows(text, width, height)
    if not top <= y < top + len(lines):
        return Strip.blank(width, base)
    line = lines[y - top].translate(CONTROLS)
    left = max((width - cell_len(line)) // 2, 0)
    segments = [Segment(" " * left, base), Segment(line, base + Style(color=colour.color))]
    return Strip(segments).crop_extend(0, width, base)
