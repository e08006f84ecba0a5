"""The catalogue's list of operations: tag headings, then a method badge, the path and the summary per row.

It draws its rows itself (the Line API): a description of thousands of operations is one widget, and filtering
only replaces the list of rows, so a keystroke costs a scan of the operations and a repaint of one screen.
Operations the active token cannot call (it lacks a scope they need) carry a mark.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from explorer.core.openapi.model import Operation
from explorer.ui.textual_compat import resize_scroll_area

BADGE_WIDTH = 7
_METHOD_CLASSES = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}
MISSING_MARK = "✗"


@dataclass(frozen=True, slots=True)
class Row:
    """A tag heading (`operation` is None) or one operation."""

    tag: str
    operation: Operation | None = None


_UNTAGGED = "(no tag)"


def build_rows(operations: Sequence[Operation], made: dict[int, Row] | None = None) -> list[Row]:
    """Operations grouped by their first tag, in the order tags first appear; untagged ones last.

    `made` keeps the rows made so far by operation (a filter keystroke shows mostly the same ones again)."""
    made = {} if made is None else made
    groups: dict[str, list[Row]] = {}
    for op in operations:
        row = made.get(id(op))
        if row is None or row.operation is not op:
            row = made[id(op)] = Row(op.tags[0] if op.tags else _UNTAGGED, op)
        groups.setdefault(row.tag, []).append(row)
    untagged = groups.pop(_UNTAGGED, None)
    if untagged:
        groups[_UNTAGGED] = untagged
    rows: list[Row] = []
    for tag, tagged in groups.items():
        rows.append(Row(tag))
        rows.extend(tagged)
    return rows


class CatalogueList(ScrollView, can_focus=True):
    """Operations grouped by tag. Enter posts `Chosen`; moving the cursor posts `Highlighted`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor(-1)", "Up", show=False, id="catalogue.up"),
        Binding("down,j", "cursor(1)", "Down", show=False, id="catalogue.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="catalogue.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="catalogue.page_down"),
        Binding("home", "edge(0)", "First", show=False, id="catalogue.first"),
        Binding("end", "edge(1)", "Last", show=False, id="catalogue.last"),
        Binding("enter", "choose", "Open", id="catalogue.open"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "catalogue-list--tag",
        "catalogue-list--path",
        "catalogue-list--summary",
        "catalogue-list--missing",
        "catalogue-list--cursor",
        "catalogue-list--deprecated",
        *(f"catalogue-list--{m.lower()}" for m in _METHOD_CLASSES),
    }

    cursor: reactive[int] = reactive(-1, always_update=True, repaint=False)
    """The row under the cursor (-1: none)."""

    class Highlighted(Message):
        def __init__(self, operation: Operation | None) -> None:
            super().__init__()
            self.operation = operation

    class Chosen(Message):
        def __init__(self, operation: Operation) -> None:
            super().__init__()
            self.operation = operation

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.rows: list[Row] = []
        self._missing: set[int] = set()
        self._granted: frozenset[str] | None = None
        self._operation_count = 0
        # Rows and "lacks a scope" answers already worked out, by operation: a keystroke reuses them.
        self._made: dict[int, Row] = {}
        self._lacks: dict[int, bool] = {}
        self._highlighted: Operation | None = None

    def watch_cursor(self, old: int, new: int) -> None:
        self._refresh_row(old)
        self._refresh_row(new)
        if 0 <= new < len(self.rows):
            self.scroll_to_region(Region(0, new, 1, 1), animate=False, force=True, immediate=True)
        operation = self.operation
        if operation is not self._highlighted or operation is None:
            # Only a change: a filter keystroke that keeps the cursor's operation leaves its details alone.
            self._highlighted = operation
            self.post_message(self.Highlighted(operation))

    def action_cursor(self, step: int) -> None:
        self._move(self.cursor, step)

    def action_page(self, direction: int) -> None:
        height = max(1, self.scrollable_content_region.height - 1)
        target = min(max(self.cursor + direction * height, 0), max(len(self.rows) - 1, 0))
        self._move(target - direction, direction)

    def action_edge(self, end: int) -> None:
        if self.rows:
            self._move(len(self.rows) if end else -1, -1 if end else 1)

    def action_choose(self) -> None:
        operation = self.operation
        if operation is not None:
            self.post_message(self.Chosen(operation))

    @property
    def operation(self) -> Operation | None:
        if 0 <= self.cursor < len(self.rows):
            return self.rows[self.cursor].operation
        return None

    @property
    def operation_count(self) -> int:
        return self._operation_count

    @property
    def lacking_count(self) -> int:
        """How many of the operations shown need a scope the token lacks."""
        return len(self._missing)

    def show(self, operations: Sequence[Operation], *, keep: Operation | None = None) -> None:
        """Show these operations; the cursor stays on `keep` when it is among them, else goes to the first."""
        self.rows = build_rows(operations, self._made)
        self._operation_count = len(operations)
        size = Size(self.size.width, len(self.rows))
        resize_scroll_area(self, size, shrink=True)
        self._recompute_missing()
        target = next((i for i, row in enumerate(self.rows) if keep is not None and row.operation is keep), -1)
        if target < 0:
            target = 1 if len(self.rows) > 1 else -1
        self.scroll_to(y=0, animate=False, immediate=True)
        self.cursor = target
        self.refresh()

    def forget(self) -> None:
        """Another description (or none) is coming: drop what was worked out for this one's operations."""
        self._made.clear()
        self._lacks.clear()
        self._highlighted = None

    def set_granted(self, scopes: Collection[str] | None) -> None:
        """The active token's scopes (None: unknown or a legacy client, nothing is marked)."""
        self._granted = frozenset(scopes) if scopes is not None else None
        self._lacks.clear()
        self._recompute_missing()
        self.refresh()

    def missing(self, operation: Operation) -> tuple[str, ...]:
        if self._granted is None:
            return ()
        return tuple(s for s in operation.scopes if s not in self._granted)

    def _recompute_missing(self) -> None:
        if self._granted is None:
            self._missing = set()
            return
        lacks = self._lacks
        missing: set[int] = set()
        for i, row in enumerate(self.rows):
            op = row.operation
            if op is None:
                continue
            lacking = lacks.get(id(op))
            if lacking is None:
                lacking = lacks[id(op)] = bool(self.missing(op))
            if lacking:
                missing.add(i)
        self._missing = missing

    def _move(self, start: int, step: int) -> None:
        index = start + step
        while 0 <= index < len(self.rows):
            if self.rows[index].operation is not None:
                self.cursor = index
                return
            index += step

    def _refresh_row(self, index: int) -> None:
        if 0 <= index < len(self.rows):
            self.refresh(Region(0, index - int(self.scroll_y), self.size.width, 1))

    def on_click(self, event: events.Click) -> None:
        index = int(self.scroll_y) + event.y
        if 0 <= index < len(self.rows) and self.rows[index].operation is not None:
            if index == self.cursor:
                self.action_choose()
            self.cursor = index

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        index = int(self.scroll_y) + y
        base = self.rich_style
        if index >= len(self.rows):
            return Strip.blank(width, base)
        row = self.rows[index]
        if row.operation is None:
            style = base + self.get_component_rich_style("catalogue-list--tag")
            return Strip([Segment(row.tag, style)]).crop_extend(0, width, base)
        op = row.operation
        selected = index == self.cursor
        line_base = base + self.get_component_rich_style("catalogue-list--cursor") if selected else base
        method_class = op.method.lower() if op.method in _METHOD_CLASSES else "get"
        badge = self.get_component_rich_style(f"catalogue-list--{method_class}", partial=True)
        mark = MISSING_MARK if index in self._missing else " "
        mark_style = self.get_component_rich_style("catalogue-list--missing", partial=True)
        path_style = self.get_component_rich_style(
            "catalogue-list--deprecated" if op.deprecated else "catalogue-list--path", partial=True
        )
        summary_style = self.get_component_rich_style("catalogue-list--summary", partial=True)
        segments = [
            Segment(mark, line_base + mark_style),
            Segment(f"{op.method[: BADGE_WIDTH - 1]:<{BADGE_WIDTH - 1}} ", line_base + badge + Style(bold=True)),
            Segment(op.path, line_base + path_style),
        ]
        summary = op.summary or op.operation_id
        if summary:
            segments.append(Segment("  " + summary, line_base + summary_style))
        return Strip(segments).crop_extend(0, width, line_base)
