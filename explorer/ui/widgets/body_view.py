"""BodyView: a response body, highlighted, that stays instant however big the body is.

Only the lines on screen are rendered, through Textual's Line API. The formatted text is a
`explorer.core.document.Document`, built by a thread worker while the first screen already shows. Each line is
highlighted with Pygments when it first scrolls into view and kept in a small cache. There is no soft wrap:
long lines scroll sideways while the line numbers stay put. Colours come from a Pygments style, foreground
only, so the background follows the app theme, light or dark.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from re import Pattern
from typing import TYPE_CHECKING, ClassVar, Literal

from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.styles import get_style_by_name
from pygments.token import Token
from rich.cells import cell_len
from rich.color import Color as RichColor
from rich.color_triplet import ColorTriplet
from rich.segment import Segment
from rich.style import Style
from textual import on, work
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.events import Click
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import var
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import Worker, WorkerState, get_current_worker

from explorer.core.document import Document, Match, SearchError, compile_pattern, format_steps, run_steps
from explorer.core.formatting import BodyKind, lexer_name
from explorer.ui.load_scope import LoadScope

if TYPE_CHECKING:
    from pygments.token import _TokenType

# Lines longer than this are shown plain, a screen's width at a time: highlighting them would stall a frame.
LONG_LINE = 4000
# Highlighted lines kept; a few screens' worth either side of the one in view.
CACHE_LINES = 4000
# Colours closer than this to the background (WCAG contrast ratio) are pushed away from it.
MIN_CONTRAST = 3.0
# How often, in seconds, the scrollbars follow a body still being formatted (each time is a frame to draw).
RESIZE_EVERY = 1.0
# How long, at most, formatting waits for its first lines to be on screen before it goes on, and how long
# after they are (seconds).
FIRST_SCREEN_WAIT = 0.5
FIRST_SCREEN_GRACE = 0.05
# A formatting thread that got less than this share of the time that passed steps aside, from the shortest
# sleep to the longest while that goes on (seconds).
COURTESY_SHARE = 0.7
COURTESY_SLEEP_MIN = 0.002
COURTESY_SLEEP_MAX = 0.016

# What next() gives back when a body needed no more than its first step.
_DONE = object()

_CONTROLS = str.maketrans({code: "\ufffd" for code in (*range(0x20), 0x7F)})


class _Courtesy:
    """Called by a formatting thread every millisecond or so: it steps aside while the event loop is busy.

    Two threads that both want the interpreter lock take turns a switch interval at a time, so while a body
    is formatted everything the event loop does (a key, a frame) takes twice as long. The thread sees that from
    its own clocks: when it got much less processor time than time passed, another thread held the lock, and
    it sleeps so the event loop finishes what it does alone. The sleeps start short (another process may have
    had the processor) and double while the contention lasts, as it does for a frame or a key; when the loop
    is idle the thread runs at full speed.
    """

    def __init__(self) -> None:
        # Set at the first call: the clocks are those of the thread that calls.
        self._wall = self._cpu = -1.0
        self._sleep = COURTESY_SLEEP_MIN

    def __call__(self) -> None:
        wall, cpu = time.perf_counter(), time.thread_time()
        if self._wall >= 0 and cpu - self._cpu < (wall - self._wall) * COURTESY_SHARE:
            time.sleep(self._sleep)
            self._sleep = min(self._sleep * 2, COURTESY_SLEEP_MAX)
            wall, cpu = time.perf_counter(), time.thread_time()
        else:
            self._sleep = COURTESY_SLEEP_MIN
        self._wall, self._cpu = wall, cpu


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


@dataclass
class _Found(Message, bubble=False):
    """A search finished."""

    document: Document
    query: _Query
    match: Match | None


class _BuildJob:
    """The rest of a body's formatting, handed to the build worker once.

    Not the worker's arguments themselves: a finished worker can stay alive in a reference cycle until the
    garbage collector's next full pass, and must not keep megabytes of body and formatted text alive with it.
    """

    def __init__(self, steps: Iterator[None], document: Document, first_screen: threading.Event) -> None:
        self._job: tuple[Iterator[None], Document, threading.Event] | None = (steps, document, first_screen)

    def take(self) -> tuple[Iterator[None], Document, threading.Event]:
        job, self._job = self._job, None
        if job is None:
            raise RuntimeError("a build job is taken once")
        return job


@dataclass(frozen=True)
class _Query:
    text: str
    regex: bool
    case: bool
    pattern: Pattern[str]


class LineHighlighter:
    """Turns one line of a body into coloured segments, with a Pygments lexer and style.

    Only foreground colours (and bold, italic, underline) come from the style; `base` supplies the background.
    Colours too close to `background` are adjusted so they stay readable on light and dark themes alike.
    """

    def __init__(self, kind: BodyKind, style_name: str, background: ColorTriplet | None) -> None:
        self._lexer: Lexer | None = None if kind in ("text", "binary") else _lexer(lexer_name(kind))
        self._colours = _token_colours(style_name, background)

    def segments(self, line: str, base: Style) -> list[Segment]:
        """`line` as segments styled `base` plus the colour of each token."""
        if self._lexer is None:
            return [Segment(line, base)]
        colour = self._colours
        segments: list[Segment] = []
        for _, token, value in self._lexer.get_tokens_unprocessed(line):
            style = colour(token)
            segments.append(Segment(value, base + style if style is not None else base))
        return segments


@lru_cache(maxsize=8)
def _lexer(name: str) -> Lexer:
    return get_lexer_by_name(name, stripnl=False, ensurenl=False, tabsize=0)


TokenColours = Callable[["_TokenType"], Style | None]


@lru_cache(maxsize=32)
def _token_colours(style_name: str, background: ColorTriplet | None) -> TokenColours:
    """A cached function from a token type to its Rich style (None for the default text colour)."""
    style = get_style_by_name(style_name)
    default = style.style_for_token(Token).get("color")

    @lru_cache(maxsize=512)
    def colour(token: _TokenType) -> Style | None:
        spec = style.style_for_token(token)
        hex_colour = spec.get("color")
        colour_value: RichColor | None = None
        if hex_colour and hex_colour != default and len(hex_colour) == 6:
            triplet = ColorTriplet(int(hex_colour[0:2], 16), int(hex_colour[2:4], 16), int(hex_colour[4:6], 16))
            if background is not None:
                triplet = _readable(triplet, background)
            colour_value = RichColor.from_triplet(triplet)
        if colour_value is None and not (spec.get("bold") or spec.get("italic") or spec.get("underline")):
            return None
        return Style(
            color=colour_value,
            bold=spec.get("bold") or None,
            italic=spec.get("italic") or None,
            underline=spec.get("underline") or None,
        )

    return colour


def _luminance(colour: ColorTriplet) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = colour
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _contrast(a: ColorTriplet, b: ColorTriplet) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _readable(colour: ColorTriplet, background: ColorTriplet) -> ColorTriplet:
    """`colour`, mixed towards black on a light background (white on a dark one) until it reads well."""
    target = (0, 0, 0) if _luminance(background) > 0.4 else (255, 255, 255)
    adjusted = colour
    step = 0
    while _contrast(adjusted, background) < MIN_CONTRAST and step < 10:
        step += 1
        mix = step / 10
        adjusted = ColorTriplet(*(round(c + (t - c) * mix) for c, t in zip(colour, target, strict=True)))
    return adjusted


def _overlay(segments: list[Segment], spans: list[tuple[int, int, Style]]) -> list[Segment]:
    """`segments` with `spans` (sorted, not overlapping, in characters) styled on top."""
    result: list[Segment] = []
    spans_iter = iter(spans)
    span = next(spans_iter, None)
    offset = 0
    for segment in segments:
        text, style = segment.text, segment.style
        start, end = offset, offset + len(text)
        offset = end
        pos = start
        while span is not None and span[0] < end:
            first, last, extra = span
            if first > pos:
                result.append(Segment(text[pos - start : first - start], style))
                pos = first
            cut = min(last, end)
            if cut > pos:
                result.append(Segment(text[pos - start : cut - start], (style or Style()) + extra))
                pos = cut
            if last > end:
                break
            span = next(spans_iter, None)
        if pos < end:
            result.append(Segment(text[pos - start :], style))
    return result


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
        Binding("n", "next_match", "Next match", id="body.next_match"),
        Binding("N", "previous_match", "Previous match", id="body.previous_match"),
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
    """Shown in the middle, muted, while there are no lines (it may have several)."""

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

    def __init__(
        self,
        *,
        pygments_style: str = "monokai",
        placeholder: str = "",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        get_style_by_name(pygments_style)  # fail early on a name Pygments does not know
        self._pygments_style = pygments_style
        self._document = Document.from_text("")
        self._revision = self._document.revision
        self._shown_lines = 0
        self._synced_at = 0.0
        self._load_started = 0.0
        self._highlighter: LineHighlighter | None = None
        self._base: Style | None = None
        self._cache: LRUCache[int, Strip] = LRUCache(CACHE_LINES)
        self._query: _Query | None = None
        self._match: Match | None = None
        self._prepared: set[BodyKind] = set()
        self.set_reactive(BodyView.placeholder, placeholder)

    # Watchers

    def validate_cursor_line(self, line: int) -> int:
        return max(0, min(line, self._document.line_count - 1))

    def watch_placeholder(self, old: str, new: str) -> None:
        if self._document.line_count == 0:
            # Only the rows of the old and the new text change: not a repaint of the whole view.
            for text in (old, new):
                top, lines = self._placeholder_rows(text)
                if lines:
                    self.refresh(Region(0, top, self.size.width, len(lines)))

    def watch_cursor_line(self, old: int, new: int) -> None:
        self.refresh_line(old)
        self.refresh_line(new)
        self._show_line(new)

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
            self._sync_size()

    @on(_Built)
    def _on_built(self, message: _Built) -> None:
        if message.document is self._document:
            self._loaded()

    @on(_Found)
    def _on_found(self, message: _Found) -> None:
        if message.document is not self._document or message.query is not self._query:
            return
        self._match = message.match
        self._cache.clear()
        if message.match is None:
            so_far = "" if message.document.complete else " so far (the body is still being formatted)"
            self.notify(f"No match for {message.query.text!r}{so_far}.", title="Search", severity="warning")
        else:
            line, start, end = message.match
            self.cursor_line = line
            self._show_columns(start, end)
            self.refresh()
        self.post_message(self.SearchFinished(message.query.text, message.match))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.group in ("body-build", "body-search"):
            what = "format the body" if event.worker.group == "body-build" else "search the body"
            self.notify(f"Could not {what}: {event.worker.error}", title="Response body", severity="error")

    def on_click(self, event: Click) -> None:
        offset = event.get_content_offset(self)
        if offset is not None:
            self.cursor_line = self.scroll_offset.y + offset.y

    # Actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("next_match", "previous_match", "clear_search"):
            return self._query is not None
        return True

    def action_cursor_up(self) -> None:
        self.cursor_line -= 1

    def action_cursor_down(self) -> None:
        self.cursor_line += 1

    def action_page_up(self) -> None:
        height = self._page_height()
        self.scroll_to(y=self.scroll_offset.y - height, animate=False)
        self.cursor_line -= height

    def action_page_down(self) -> None:
        height = self._page_height()
        self.scroll_to(y=self.scroll_offset.y + height, animate=False)
        self.cursor_line += height

    def action_top(self) -> None:
        self.cursor_line = 0

    def action_bottom(self) -> None:
        self.cursor_line = self._document.line_count - 1

    def action_scroll_columns(self, columns: int) -> None:
        self.scroll_to(x=self.scroll_offset.x + columns, animate=False)

    def action_search_prompt(self) -> None:
        self.post_message(self.SearchRequested(self))

    def action_next_match(self) -> None:
        if self._query is not None and self.line_count:
            self._search(self._query, (self.cursor_line + 1) % self.line_count, backwards=False)

    def action_previous_match(self) -> None:
        if self._query is not None and self.line_count:
            self._search(self._query, (self.cursor_line - 1) % self.line_count, backwards=True)

    def action_clear_search(self) -> None:
        self._query = None
        self._match = None
        self.workers.cancel_group(self, "body-search")
        self._cache.clear()
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
        self._reset(Document())
        self._load_started = time.perf_counter()
        # The vertical scrollbar shows from the start: when it appears only once the lines are laid out, that
        # takes a second layout of the screen in the next frame, just as the answer arrives. `_loaded` hides it
        # again when the body fits.
        self._set_overflow_y("scroll")
        document = self._document
        steps = format_steps(body, content_type, document, pace=_Courtesy())
        # The first step (a screen of lines, a millisecond or two) is taken here, so the frame that shows the
        # answer shows its first lines too; a thread takes the rest.
        try:
            first = next(steps, _DONE)
        except Exception as exc:  # a bug in the formatter: reported like a failed build, not a crash
            self.notify(f"Could not format the body: {exc}", title="Response body", severity="error")
            return
        if first is _DONE:
            self._loaded()
            return
        self._sync_size()
        first_screen = threading.Event()
        self.call_after_refresh(first_screen.set)
        self._build(_BuildJob(steps, document, first_screen))

    def clear(self) -> None:
        """Show nothing."""
        self.workers.cancel_group(self, "body-build")
        self._set_overflow_y("auto")
        self._reset(Document.from_text(""))

    def prepare_highlighting(self, kind: BodyKind) -> None:
        """Load the highlighter of a kind of body in a thread, ahead of a body of that kind (e.g. while waiting for
        one). Its first use imports a Pygments module, which would otherwise fall on the frame that shows it."""
        if kind not in ("text", "binary") and kind not in self._prepared:
            self._prepared.add(kind)
            self._load_lexer(lexer_name(kind))

    def set_pygments_style(self, name: str) -> None:
        """Colour with another Pygments style. Raises ValueError for a name Pygments does not know."""
        get_style_by_name(name)
        self._pygments_style = name
        self._forget_rendering()
        self.refresh()

    def search(self, text: str, *, regex: bool = False, case: bool = False, backwards: bool = False) -> None:
        """Find `text` from the cursor line on and go to it; `n`/`N` then go to the next/previous match.

        Every match on screen is highlighted. An invalid regular expression is reported as a notification.
        """
        try:
            pattern = compile_pattern(text, regex=regex, case=case)
        except SearchError as exc:
            self.notify(exc.message, title=exc.title, severity="error")
            return
        if pattern is None:
            self.action_clear_search()
            return
        self._query = _Query(text, regex, case, pattern)
        self._match = None
        self._cache.clear()
        self.refresh()
        self.refresh_bindings()
        if self.line_count:
            self._search(self._query, self.cursor_line, backwards=backwards)

    # Workers

    @work(thread=True, exclusive=True, exit_on_error=False, group="body-build", description="Format the body")
    def _build(self, job: _BuildJob) -> None:
        worker = get_current_worker()
        steps, document, first_screen = job.take()
        # The answer has just arrived: the event loop lays out the response and draws its first lines. Going on
        # meanwhile would take the interpreter lock every other millisecond and make that take twice as long,
        # with keys waiting behind it; the rest of the body can wait that long.
        if first_screen.wait(FIRST_SCREEN_WAIT):
            # Keys typed while that frame was drawn come next; let them have the interpreter to themselves too.
            time.sleep(FIRST_SCREEN_GRACE)
        if worker.is_cancelled:
            return

        def grew() -> None:
            self.post_message(_Grew(document))

        with LoadScope():
            complete = run_steps(steps, on_progress=grew, cancelled=lambda: worker.is_cancelled)
        if complete:
            self.post_message(_Built(document))

    @work(thread=True, exit_on_error=False, group="body-lexer", description="Load a highlighter")
    def _load_lexer(self, name: str) -> None:
        _lexer(name)

    @work(thread=True, exclusive=True, exit_on_error=False, group="body-search", description="Search the body")
    def _search(self, query: _Query, start: int, *, backwards: bool) -> None:
        document = self._document
        match = document.search(query.text, start, regex=query.regex, case=query.case, backwards=backwards)
        self.post_message(_Found(document, query, match))

    # Rendering

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.size.width
        base = self._base_style()
        document = self._document
        if document.revision != self._revision:
            self._revision = document.revision
            self._forget_rendering()
        if index >= document.line_count:
            if document.line_count == 0 and self.placeholder:
                return self._placeholder_line(y, width, base)
            return Strip.blank(width, base)
        digits = self._digits()
        is_cursor = index == self.cursor_line
        gutter_style = self.get_component_rich_style("body-view--cursor-gutter" if is_cursor else "body-view--gutter")
        gutter = Strip([Segment(f"{index + 1:>{digits}} ", gutter_style)], digits + 1)
        if is_cursor:
            base += Style(bgcolor=self.get_component_rich_style("body-view--cursor-line").bgcolor)
        try:
            strip = self._line_strip(index, scroll_x, max(width - digits - 1, 0), base, cached=not is_cursor)
        except IndexError:  # the document started over since this frame began
            return Strip.blank(width, self._base_style())
        return Strip.join([gutter, strip])

    def _line_strip(self, index: int, scroll_x: int, width: int, base: Style, *, cached: bool) -> Strip:
        """Line `index` on background `base`, cropped to the `width` columns from `scroll_x`."""
        document = self._document
        if document.line_length(index) > LONG_LINE:
            text = document.line_part(index, scroll_x, scroll_x + width).translate(_CONTROLS)
            return Strip([Segment(text, base)]).crop_extend(0, width, base)
        strip = self._cache.get(index) if cached else None
        if strip is None:
            strip = self._highlight(document.line(index), index, base)
            if cached:
                self._cache[index] = strip
        return strip.crop_extend(scroll_x, scroll_x + width, base)

    def _highlight(self, line: str, index: int, base: Style) -> Strip:
        if not line.isprintable():
            line = line.translate(_CONTROLS)
        if self._highlighter is None:
            widget_background = self._base_style().bgcolor
            background = widget_background.get_truecolor() if widget_background is not None else None
            self._highlighter = LineHighlighter(self._document.kind, self._pygments_style, background)
        segments = self._highlighter.segments(line, base)
        if self._query is not None:
            spans = self._match_spans(line, index)
            if spans:
                segments = _overlay(segments, spans)
        return Strip(segments, cell_len(line))

    def _match_spans(self, line: str, index: int) -> list[tuple[int, int, Style]]:
        assert self._query is not None
        match_style = self._component_overlay("body-view--match")
        current_style = self._component_overlay("body-view--current-match")
        current = self._match if self._match is not None and self._match[0] == index else None
        spans: list[tuple[int, int, Style]] = []
        for m in self._query.pattern.finditer(line):
            if m.end() > m.start():
                is_current = current is not None and m.start() == current[1]
                spans.append((m.start(), m.end(), current_style if is_current else match_style))
        return spans

    def _component_overlay(self, name: str) -> Style:
        """The background of a component class, and its colour only when the class sets one."""
        full = self.get_component_rich_style(name)
        partial = self.get_component_rich_style(name, partial=True)
        return Style(color=partial.color, bgcolor=full.bgcolor)

    # Helpers

    def _reset(self, document: Document) -> None:
        had_lines = self._document.line_count > 0
        had_search = self._query is not None
        self._document = document
        self._revision = document.revision
        self._query = None
        self._match = None
        self._shown_lines = 0
        self._forget_rendering()
        self.workers.cancel_group(self, "body-search")
        self.set_reactive(BodyView.cursor_line, 0)
        self.scroll_to(0, 0, animate=False)
        self.virtual_size = Size(0, document.line_count)
        self._sync_size()
        # An empty view that stays empty is left as it is on screen: repainting it all costs a frame.
        if had_lines or document.line_count:
            self.refresh()
        if had_search:
            # n, N and Escape only apply while searching.
            self.refresh_bindings()

    def _placeholder_rows(self, text: str) -> tuple[int, list[str]]:
        """Where the placeholder starts (a row of the view) and its lines."""
        lines = text.split("\n") if text else []
        return max((self.size.height - len(lines)) // 2, 0), lines

    def _placeholder_line(self, y: int, width: int, base: Style) -> Strip:
        top, lines = self._placeholder_rows(self.placeholder)
        if not top <= y < top + len(lines):
            return Strip.blank(width, base)
        text = lines[y - top].translate(_CONTROLS)
        style = base + Style(color=self.get_component_rich_style("body-view--placeholder", partial=True).color)
        left = max((width - cell_len(text)) // 2, 0)
        return Strip([Segment(" " * left, base), Segment(text, style)]).crop_extend(0, width, base)

    def _forget_rendering(self) -> None:
        self._cache.clear()
        self._highlighter = None
        self._base = None

    def _base_style(self) -> Style:
        """The widget's own colours; looked up once per style change, not once per line."""
        if self._base is None:
            self._base = self.rich_style
        return self._base

    def _sync_size(self) -> None:
        """Grow the scrollable area to the lines ready now, repainting only if new ones are on screen."""
        document = self._document
        count = document.line_count
        self._synced_at = time.perf_counter()
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
        if document.line_count <= self.scrollable_content_region.height:
            self._set_overflow_y("auto")
        self._sync_size()
        seconds = time.perf_counter() - self._load_started
        self.post_message(self.Loaded(document.line_count, seconds, document.note))

    def _set_overflow_y(self, overflow: Literal["auto", "scroll"]) -> None:
        # Setting a style lays the screen out and repaints this widget, even to the value it has.
        if self.styles.overflow_y != overflow:
            self.styles.overflow_y = overflow

    def _set_virtual_size(self, size: Size) -> None:
        """Resize the scrollable area, laying the screen out again only when a scrollbar appears or goes.

        Setting `virtual_size` always lays out the whole screen and repaints all of this widget. While a body
        grows, the scrollbars that show stay the same: then only their thumbs need redrawing.
        """
        old = self.virtual_size
        if size == old:
            return
        room = self.scrollable_content_region.size
        grows = size.width >= old.width and size.height >= old.height
        vertical_same = self.show_vertical_scrollbar or size.height <= room.height
        horizontal_same = self.show_horizontal_scrollbar or size.width <= room.width
        if not (grows and vertical_same and horizontal_same and self.is_mounted):
            self.virtual_size = size
            return
        self.set_reactive(BodyView.virtual_size, size)
        if self.show_vertical_scrollbar:
            self.vertical_scrollbar.window_virtual_size = size.height
        if self.show_horizontal_scrollbar:
            self.horizontal_scrollbar.window_virtual_size = size.width

    def _digits(self) -> int:
        return max(len(str(self._document.line_count)), 3)

    def _page_height(self) -> int:
        return max(self.scrollable_content_region.height - 1, 1)

    def _show_line(self, line: int) -> None:
        """Scroll just enough for `line` to be on screen."""
        if line >= self.virtual_size.height:
            self._sync_size()
        top = self.scroll_offset.y
        height = max(self.scrollable_content_region.height, 1)
        if line < top:
            self.scroll_to(y=line, animate=False)
        elif line >= top + height:
            self.scroll_to(y=line - height + 1, animate=False)

    def _show_columns(self, start: int, end: int) -> None:
        """Scroll sideways, if needed, for columns `start` to `end` of the text to be on screen."""
        left = self.scroll_offset.x
        width = max(self.scrollable_content_region.width - self._digits() - 1, 1)
        if start < left or end > left + width:
            self.scroll_to(x=max(start - width // 3, 0), animate=False)
