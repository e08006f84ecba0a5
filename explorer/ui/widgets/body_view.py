"""BodyView: a response body, highlighted, that stays instant however big the body is.

The widget renders lines, and only those on screen, through Textual's Line API. What it shows is an
`explorer.core.document.Document`, formatted by a `DocumentBuilder` (explorer.core.document_builder): the first
screen of lines in the frame that shows the answer, the rest in a thread worker that steps aside for the event
loop. Each line is painted (highlighted, matches marked: body_paint) when it first scrolls into view and kept in
a small cache; searches run in a thread (body_search). Long lines scroll sideways while the line numbers stay put,
or, with wrap on (`w`), wrap at the view's width: the rows of the long lines are found in a thread
(explorer.core.wrap, through body_rows), so wrapping a body of megabytes never holds a key.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import partial
from typing import ClassVar, Literal

from rich.segment import Segment
from rich.style import Style
from textual import on, work
from textual.binding import Binding, BindingType
from textual.events import Click
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import var
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import Worker, WorkerState, get_current_worker

from explorer.core.document import Document, Match, SearchError
from explorer.core.document_builder import DocumentBuilder
from explorer.core.formatting import BodyKind, lexer_name
from explorer.ui.highlighting import check_style, load_lexer
from explorer.ui.textual_compat import resize_scroll_area
from explorer.ui.widgets.body_paint import LinePainter, placeholder_rows, placeholder_strip
from explorer.ui.widgets.body_rows import WRAP_GROUP, BodyRows, Wrapped
from explorer.ui.widgets.body_search import SEARCH_GROUP, BodySearch, Found

# How often, in seconds, the scrollbars follow a body still being formatted (each time is a frame to draw).
RESIZE_EVERY = 1.0
BUILD_GROUP = "body-build"


@dataclass
class _Grew(Message, bubble=False):
    """More lines are ready."""

    document: Document

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, _Grew) and message.document is self.document


@dataclass
class _Built(Message, bubble=False):
    """Every line is ready."""

    document: Document


class BodyView(ScrollView, can_focus=True):
    """A scrollable, searchable, highlighted view of a response body.

    Call `load(body, content_type)`; lines show as they are formatted and `Loaded` is posted when all are.
    `/` posts `SearchRequested` so the app can ask for a pattern and call `search()`; `n` and `N` go to the
    next and previous match. There is no mouse selection: a body can be megabytes, so copying it whole is
    the app's job (from the raw body), not the screen's.
    """

    ALLOW_SELECT = False

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", "Line up", show=False, id="body.line_up"),
        Binding("down", "cursor_down", "Line down", show=False, id="body.line_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="body.page_up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="body.page_down"),
        Binding("home,ctrl+home", "top", "Top", show=False, id="body.top"),
        Binding("end,ctrl+end", "bottom", "Bottom", show=False, id="body.bottom"),
        Binding("left", "scroll_columns(-4)", "Scroll left", show=False, id="body.scroll_left"),
        Binding("right", "scroll_columns(4)", "Scroll right", show=False, id="body.scroll_right"),
        Binding("slash", "search_prompt", "Search", id="body.search"),
        Binding("n", "next_match", "Next", id="body.next_match"),
        Binding("N", "previous_match", "Previous", id="body.previous_match"),
        Binding("w", "toggle_wrap", "Wrap", id="body.wrap"),
        Binding("escape", "clear_search", "Clear search", show=False, id="body.clear_search"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "body-view--placeholder",
        "body-view--gutter",
        "body-view--cursor-gutter",
        "body-view--cursor-line",
        "body-view--match",
        "body-view--current-match",
    }

    DEFAULT_CSS = """
    BodyView {
        background: $surface;
        color: $foreground;
        & > .body-view--placeholder { color: $text-muted; }
        & > .body-view--gutter { color: $foreground 40%; }
        & > .body-view--cursor-gutter { color: $foreground 80%; text-style: bold; }
        & > .body-view--cursor-line { background: $foreground 6%; }
        &:focus > .body-view--cursor-line { background: $accent 25%; }
        & > .body-view--match { background: $warning 35%; }
        & > .body-view--current-match { background: $warning; color: $background; }
    }
    """

    cursor_line: var[int] = var(0, init=False)
    """The line the cursor is on, from 0."""

    placeholder: var[str] = var("", init=False)
    """Shown in the middle, muted, while there are no lines (it may have several; they wrap)."""

    wrap: var[bool] = var(False, init=False)
    """Long lines wrap at the view's width (else they scroll sideways)."""

    @dataclass
    class Loaded(Message):
        """Every line of the body is ready to show."""

        lines: int
        """How many lines the body has."""
        seconds: float
        """From `load()` to the last line."""
        note: str = ""
        """What the user should know about how the body is shown (e.g. it was not valid JSON), or "" if nothing."""

    @dataclass
    class SearchRequested(Message):
        """The user asked to search (pressed `/`); the app should ask for a pattern and call `search()`."""

        body_view: BodyView

        @property
        def control(self) -> BodyView:
            return self.body_view

    @dataclass
    class SearchFinished(Message):
        """A search ended: `match` is (line, start column, end column), or None when nothing matched."""

        pattern: str
        match: Match | None
        index: int = 0
        """How many matches come before this one: it is match `index + 1` of `total`."""
        total: int = 0
        """How many matches the body has (so far, while it is still being formatted; at most COUNT_LIMIT)."""
        complete: bool = True
        """Whether the whole body was searched (False while it is still being formatted)."""

    def __init__(
        self,
        *,
        pygments_style: str = "monokai",
        placeholder: str = "",
        keep_scrollbar: bool = False,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """
        Args:
            keep_scrollbar: The vertical scrollbar always shows, whatever the body (the stylesheet gives the view
                `overflow-y: scroll`): a body that loads, or goes, then lays nothing out for a scrollbar that
                appears or goes.
        """
        super().__init__(name=name, id=id, classes=classes)
        self._keep_scrollbar = keep_scrollbar
        check_style(pygments_style)  # fail early on a name Pygments does not know
        self._document = Document.from_text("")
        self._revision = self._document.revision
        self._shown_lines = 0
        self._synced_at = 0.0
        self._load_started = 0.0
        self._base: Style | None = None
        self._search = BodySearch(self)
        self._painter = LinePainter(self, self._search, pygments_style)
        self._rows = BodyRows(self)
        self._prepared: set[BodyKind] = set()
        # Set when a search bar shows the outcome (a count, "no match"): no toast then.
        self.quiet_search = False
        self.set_reactive(BodyView.placeholder, placeholder)

    # Watchers

    def validate_cursor_line(self, line: int) -> int:
        return max(0, min(line, self._document.line_count - 1))

    def watch_placeholder(self, old: str, new: str) -> None:
        if self._document.line_count == 0:
            # Only the rows of the old and the new text change: not a repaint of the whole view.
            for text in (old, new):
                top, lines = placeholder_rows(text, self.size.width, self.size.height)
                if lines:
                    self.refresh(Region(0, top, self.size.width, len(lines)))

    def watch_cursor_line(self, old: int, new: int) -> None:
        for line in (old, new):
            self.refresh_lines(self._rows.first_row(line), self._rows.rows_of(line))
        self._rows.show_line(new)

    def watch_wrap(self, wrap: bool) -> None:
        self._rows.index = None
        self._painter.forget_matches()
        if wrap:
            self.scroll_to(x=0, animate=False)
        # A wrapped view keeps its vertical scrollbar: it appearing and going would change the width wrapped to.
        self._set_overflow_y("scroll" if wrap or not self._document.complete else "auto")
        self.sync_size()
        self.refresh()
        self.call_after_refresh(self._rows.show_line, self.cursor_line)

    # Handlers

    def notify_style_update(self) -> None:
        super().notify_style_update()
        # A new theme or focus state: colours and backgrounds change, so every cached line goes.
        self._forget_rendering()

    @on(_Grew)
    def _on_grew(self, message: _Grew) -> None:
        if message.document is not self._document:
            return
        # Growing the scrollable area lays the screen out again, so off screen it waits a little.
        on_screen = self._shown_lines < self.scroll_offset.y + self.size.height
        if on_screen or time.perf_counter() - self._synced_at >= RESIZE_EVERY:
            self.sync_size()

    @on(_Built)
    def _on_built(self, message: _Built) -> None:
        if message.document is self._document:
            self._loaded()

    @on(Wrapped)
    def _on_wrapped(self, message: Wrapped) -> None:
        if message.index is self._rows.index:
            self.sync_size()
            self.refresh()
            self._rows.show_line(self.cursor_line)

    @on(Found)
    def _on_found(self, message: Found) -> None:
        if not self._search.accept(message, self._document):
            return
        self._painter.forget_matches()
        if message.match is None:
            if not self.quiet_search:
                so_far = "" if message.document.complete else " so far (the body is still being formatted)"
                self.notify(f"No match for {message.query.text!r}{so_far}.", title="Search", severity="warning")
        else:
            line, start, end = message.match
            self.cursor_line = line
            self._rows.show_columns(line, start, end)
            self.refresh()
        self.post_message(
            self.SearchFinished(
                message.query.text, message.match, message.index, message.total, message.document.complete
            )
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.group in (BUILD_GROUP, SEARCH_GROUP, WRAP_GROUP):
            what = {BUILD_GROUP: "format the body", SEARCH_GROUP: "search the body"}.get(event.worker.group, "wrap")
            self.notify(f"Could not {what}: {event.worker.error}", title="Response body", severity="error")

    def on_click(self, event: Click) -> None:
        offset = event.get_content_offset(self)
        if offset is not None:
            self.cursor_line = self._rows.line_at(self.scroll_offset.y + offset.y)[0]

    # Actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("next_match", "previous_match", "clear_search"):
            return self._search.query is not None
        return True

    def action_cursor_up(self) -> None:
        self.cursor_line -= 1

    def action_cursor_down(self) -> None:
        self.cursor_line += 1

    def action_page_up(self) -> None:
        self._page(-self._page_height())

    def action_page_down(self) -> None:
        self._page(self._page_height())

    def _page(self, rows: int) -> None:
        self.scroll_to(y=self.scroll_offset.y + rows, animate=False)
        self.cursor_line = self._rows.line_at(max(self._rows.first_row(self.cursor_line) + rows, 0))[0]

    def action_top(self) -> None:
        self.cursor_line = 0

    def action_bottom(self) -> None:
        self.cursor_line = self._document.line_count - 1

    def action_scroll_columns(self, columns: int) -> None:
        if not self.wrap:
            self.scroll_to(x=self.scroll_offset.x + columns, animate=False)

    def action_toggle_wrap(self) -> None:
        self.wrap = not self.wrap

    def action_search_prompt(self) -> None:
        self.post_message(self.SearchRequested(self))

    def action_next_match(self) -> None:
        self._search.step(self._document, self.cursor_line, backwards=False)

    def action_previous_match(self) -> None:
        self._search.step(self._document, self.cursor_line, backwards=True)

    def action_clear_search(self) -> None:
        self._search.clear()
        self._painter.forget_matches()
        self.refresh()
        self.refresh_bindings()

    # Public

    @property
    def document(self) -> Document:
        """The document on show; it keeps growing until `complete`."""
        return self._document

    @property
    def line_count(self) -> int:
        """Lines available now."""
        return self._document.line_count

    def load(self, body: bytes, content_type: str) -> None:
        """Show `body`; formatting runs in a thread and replaces whatever was loading before."""
        builder = DocumentBuilder(body, content_type)
        self._reset(builder.document)
        self._load_started = time.perf_counter()
        # The vertical scrollbar shows from the start: when it appears only once the lines are laid out, that
        # takes a second layout of the screen in the next frame, just as the answer arrives. `_loaded` hides it
        # again when the body fits.
        self._set_overflow_y("scroll")
        # The first step (a screen of lines, a millisecond or two) is taken here, so the frame that shows the
        # answer shows its first lines too; a thread takes the rest once that frame is drawn.
        try:
            complete = builder.first_step()
        except Exception as exc:  # a bug in the formatter: reported like a failed build, not a crash
            self.notify(f"Could not format the body: {exc}", title="Response body", severity="error")
            return
        if complete:
            self._loaded()
            return
        self.sync_size()
        self.call_after_refresh(builder.first_screen_shown)
        self._build(builder)

    def clear(self) -> None:
        """Show nothing."""
        self.workers.cancel_group(self, BUILD_GROUP)
        self._set_overflow_y("auto")
        self._reset(Document.from_text(""))

    def prepare_highlighting(self, kind: BodyKind) -> None:
        """Load the highlighter of a kind of body in a thread, ahead of a body of that kind (e.g. while waiting for
        one). Its first use imports a Pygments module, which would otherwise fall on the frame that shows it."""
        if kind not in ("text", "binary") and kind not in self._prepared:
            self._prepared.add(kind)
            self.run_worker(
                partial(load_lexer, lexer_name(kind)),
                thread=True,
                exit_on_error=False,
                group="body-lexer",
                description="Load a highlighter",
            )

    def set_pygments_style(self, name: str) -> None:
        """Colour with another Pygments style. Raises ValueError for a name Pygments does not know."""
        check_style(name)
        self._painter.pygments_style = name
        self._forget_rendering()
        self.refresh()

    def search(self, text: str, *, regex: bool = False, case: bool = False, backwards: bool = False) -> None:
        """Find `text` from the cursor line on and go to it; `n`/`N` then go to the next/previous match.

        Every match on screen is highlighted. An invalid regular expression is reported as a notification.
        """
        try:
            query = self._search.begin(text, regex=regex, case=case)
        except SearchError as exc:
            self.notify(exc.message, title=exc.title, severity="error")
            return
        if query is None:
            self.action_clear_search()
            return
        self._painter.forget_matches()
        self.refresh()
        self.refresh_bindings()
        if self.line_count:
            self._search.find(self._document, self.cursor_line, backwards=backwards)

    # Workers

    @work(thread=True, exclusive=True, exit_on_error=False, group=BUILD_GROUP, description="Format the body")
    def _build(self, builder: DocumentBuilder) -> None:
        worker = get_current_worker()
        document = builder.document

        def grew() -> None:
            self.post_message(_Grew(document))

        if builder.run(on_progress=grew, cancelled=lambda: worker.is_cancelled):
            self.post_message(_Built(document))

    # Rendering

    # Rendering

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.size.width
        base = background = self._base_style()
        document = self._document
        if document.revision != self._revision:
            self._revision = document.revision
            self._forget_rendering()
        index, part = self._rows.line_at(scroll_y + y)
        if index >= document.line_count:
            if document.line_count == 0 and self.placeholder:
                colour = self.get_component_rich_style("body-view--placeholder", partial=True)
                return placeholder_strip(self.placeholder, y, width, self.size.height, base, colour)
            return Strip.blank(width, base)
        digits = self._digits()
        is_cursor = index == self.cursor_line
        gutter_style = self.get_component_rich_style("body-view--cursor-gutter" if is_cursor else "body-view--gutter")
        number = f"{index + 1:>{digits}} " if part == 0 else " " * (digits + 1)
        gutter = Strip([Segment(number, gutter_style)], digits + 1)
        if is_cursor:
            base += Style(bgcolor=self.get_component_rich_style("body-view--cursor-line").bgcolor)
        text_width = max(width - digits - 1, 0)
        # Wrapped, a row shows its part of the line (the width wrapped to leaves out the scrollbar).
        wrap_width = self._rows.text_width() if self.wrap else text_width
        start = part * wrap_width if self.wrap else scroll_x
        try:
            strip = self._painter.strip(document, index, start, wrap_width, base, background, cached=not is_cursor)
        except IndexError:  # the document started over since this frame began
            return Strip.blank(width, background)
        return Strip.join([gutter, strip.extend_cell_length(text_width, base)])

    # Helpers

    def _reset(self, document: Document) -> None:
        had_lines = self._document.line_count > 0
        had_search = self._search.query is not None
        self._document = document
        self._revision = document.revision
        self._rows.index = None
        self._shown_lines = 0
        self._forget_rendering()
        self._search.clear()
        self.set_reactive(BodyView.cursor_line, 0)
        self.scroll_to(0, 0, animate=False)
        resize_scroll_area(self, Size(0, document.line_count), shrink=True)
        self.sync_size()
        # An empty view that stays empty is left as it is on screen: repainting it all costs a frame.
        if had_lines or document.line_count:
            self.refresh()
        if had_search:
            # n, N and Escape only apply while searching.
            self.refresh_bindings()

    def _forget_rendering(self) -> None:
        self._painter.forget()
        self._base = None

    def _base_style(self) -> Style:
        """The widget's own colours; looked up once per style change, not once per line."""
        if self._base is None:
            self._base = self.rich_style
        return self._base

    def sync_size(self) -> None:
        """Grow the scrollable area to the lines ready now, repainting only if new ones are on screen."""
        document = self._document
        count = document.line_count
        self._synced_at = time.perf_counter()
        if self.wrap:
            index = self._rows.wrap_index()
            # Lines not scanned yet count one row each until the thread has looked at them.
            if index.scanned < count:
                self._rows.scan(index)
            self._set_virtual_size(Size(self.scrollable_content_region.width, index.row_count))
        else:
            self._set_virtual_size(Size(self._digits() + 1 + document.max_width, count))
        if count != self._shown_lines:
            digits_changed = len(str(max(count, 1))) != len(str(max(self._shown_lines, 1)))
            on_screen = self._shown_lines < self.scroll_offset.y + self.size.height
            self._shown_lines = count
            if on_screen or digits_changed:
                self.refresh()

    def _loaded(self) -> None:
        """Every line is there: the scrollbars follow, and `Loaded` says so."""
        document = self._document
        if document.line_count <= self.scrollable_content_region.height and not self.wrap:
            self._set_overflow_y("auto")
        self.sync_size()
        seconds = time.perf_counter() - self._load_started
        self.post_message(self.Loaded(document.line_count, seconds, document.note))

    def _set_overflow_y(self, overflow: Literal["auto", "scroll"]) -> None:
        # Setting a style lays the screen out and repaints this widget, even to the value it has.
        if self._keep_scrollbar:
            overflow = "scroll"
        if self.styles.overflow_y != overflow:
            self.styles.overflow_y = overflow

    def _set_virtual_size(self, size: Size) -> None:
        """Resize the scrollable area, laying the screen out again only when a scrollbar appears or goes."""
        resize_scroll_area(self, size)

    @property
    def gutter_width(self) -> int:
        """Columns of the line numbers, the space after them included."""
        return self._digits() + 1

    def _digits(self) -> int:
        return max(len(str(self._document.line_count)), 3)

    def _page_height(self) -> int:
        return max(self.scrollable_content_region.height - 1, 1)
