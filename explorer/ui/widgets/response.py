"""The response pane: what came back for the last request, or why nothing did.

A status line (response_status: code coloured by class, reason, HTTP version, time, size and anything unusual
about the exchange) sits over three tabs: the body, the response headers and the request as it was sent. Before
the first request its body shows a hint; when one fails, the error with its hint (ErrorView).

While a request is on its way the status line says so, with a progress bar drawn in text, and the body is empty.
Nothing appears, disappears or changes size while loading: the progress is a new text in a line of fixed size,
so the screen is never laid out again for it (a layout of the whole screen is what makes a key wait). The
Headers and Request tabs are built the first time they are opened, and filled only while on show (response_tabs).

Bodies are handed to `BodyView`, which formats them off the event loop. ctrl+o asks for the raw body to be
saved (`SaveRequested`), h the exchange as HAR (`HarRequested`); the screen asks where and writes the file (see
`controllers/save_body.py`, `controllers/save_har.py`). `|` opens
a jq filter bar under the body: its result replaces the body in the same viewer (highlighted, searchable, saved by
ctrl+o) until Escape brings the full body back.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widget import AwaitMount, Widget
from textual.widgets import ContentSwitcher, Static

from explorer.core.errors import ExplorerError
from explorer.core.http import ResponseRecord
from explorer.ui.widgets.body_view import BodyView
from explorer.ui.widgets.copy_body import copy_body
from explorer.ui.widgets.error_view import ErrorView
from explorer.ui.widgets.filter_bar import FilterBar
from explorer.ui.widgets.response_status import StatusLine
from explorer.ui.widgets.response_tabs import BODY_TAB, HEADERS_TAB, REQUEST_TAB, build_tab, fill_tab
from explorer.ui.widgets.search_bar import SearchBar, count_text
from explorer.ui.widgets.tabbed import TabbedPanes, TabPane

if TYPE_CHECKING:
    # jq comes with the first filter.
    from explorer.core.jqfilter import FilterJob
    from explorer.core.jqprocess import JqProcess

# What the body says before the first request.
EMPTY_HINT = "No response yet.\n\nPress ctrl+j to send the request."
CANCELLED_HINT = "Cancelled.\n\nThe request was stopped before its answer came. Press ctrl+j to send it again."


class ResponsePane(Widget):
    """The answer to the last request: status line, body, headers and the request as sent, or an error."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # In the order the footer shows them while it has room (the keys help lists them all).
        Binding("y", "copy_body", "Copy", id="response.copy_body"),
        Binding("vertical_line", "filter", "jq", id="response.filter"),
        Binding("ctrl+o", "save_body", "Save body", id="response.save_body"),
        Binding("c", "capture", "Capture", id="response.capture"),
        Binding("h", "save_har", "HAR", id="response.save_har"),
    ]

    @dataclass
    class CaptureRequested(Message):
        """Keep a value of the body as a variable: `line` is the line under the cursor, `body` what is on show."""

        line: str
        body: bytes

    @dataclass
    class FilterApplied(Message):
        """A jq filter was applied to the body on show: the screen remembers it with the request."""

        expression: str

    @dataclass
    class SaveRequested(Message):
        """The user asked to save the body of `record` to a file."""

        record: ResponseRecord

    @dataclass
    class HarRequested(Message):
        """The user asked to save the exchange of `record` as HAR (the token exchange joins it when known)."""

        record: ResponseRecord

    def __init__(
        self,
        *,
        pygments_style: str = "monokai",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        """
        Args:
            pygments_style: The Pygments style that colours the bodies (see `set_pygments_style`).
        """
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._pygments_style = pygments_style
        # The title, message and hint of the error view, once it is built (see show_error).
        self._error_view: ErrorView | None = None
        self._record: ResponseRecord | None = None
        self._awaiting = False
        # The tabs built so far, and the response each shows (None: none); absent until first filled.
        self._built: set[str] = set()
        self._filled: dict[str, ResponseRecord | None] = {}
        # The jq filter whose result is on show ("" for the full body), its result, and the run in progress.
        self._filter = ""
        self._filtered: bytes | None = None
        self._filter_job: FilterJob | None = None
        # The child process that runs the filters (started with the first one).
        self._jq_process: JqProcess | None = None
        # The search and filter bars under the body, built the first time they open: not part of the first frame.
        self._search_bar: SearchBar | None = None
        self._filter_bar: FilterBar | None = None

    def compose(self) -> ComposeResult:
        # The response view is there from the start, with a hint in its empty body: the first request then
        # changes a line of text, not the whole pane.
        # The error view and the scope doctor's note are built when first needed: not part of the first frame.
        with ContentSwitcher(initial="response-result", id="response-states"), Vertical(id="response-result"):
            yield StatusLine(id="status-line")
            with TabbedPanes(id="response-tabs"):
                with TabPane("Body", id=BODY_TAB):
                    yield BodyView(
                        pygments_style=self._pygments_style,
                        placeholder=EMPTY_HINT,
                        keep_scrollbar=True,
                        id="response-body",
                    )
                # Built the first time they are opened (see _build_tab).
                # Room for a count ("Headers (12)") from the start, so the tab after it stays where it is.
                yield TabPane("Headers", id=HEADERS_TAB, min_width=14)
                yield TabPane("Request", id=REQUEST_TAB)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("save_body", "filter", "capture", "save_har", "copy_body"):
            # Greyed out until there is a body to save or filter.
            return True if self._record is not None else None
        return True

    @on(TabbedPanes.TabActivated, "#response-tabs")
    async def _on_tab_activated(self, event: TabbedPanes.TabActivated) -> None:
        event.stop()
        pane = event.pane
        if pane.id in (HEADERS_TAB, REQUEST_TAB) and pane.id not in self._built:
            await pane.mount_all(build_tab(pane.id, self._pygments_style))
            self._built.add(pane.id)
        self._fill_active_tab()

    def action_save_body(self) -> None:
        """Ask the screen to save the raw body (it asks where, and before replacing a file)."""
        record = self._record
        if record is not None and self._filtered is not None:
            # The filter's result is what is on show, so that is what is saved.
            record = replace(record, body=self._filtered, headers=[("content-type", "application/json")])
        if record is not None:
            self.post_message(self.SaveRequested(record))

    def action_copy_body(self) -> None:
        """Copy the body on show to the clipboard (the filter's result when a filter is on), as received."""
        record = self._record
        if record is None:
            return
        if self._filtered is not None:
            copy_body(self, self._filtered, "application/json", what=f"The jq result ({self._filter})")
        else:
            copy_body(self, record.body, record.content_type, what="The body")

    def action_save_har(self) -> None:
        """Ask the screen to save the whole exchange (not the filter's result) as HAR."""
        if self._record is not None:
            self.post_message(self.HarRequested(self._record))

    def show_response(self, record: ResponseRecord) -> None:
        """Show what came back. The body is formatted by the body view, off the event loop."""
        self.query_one(StatusLine).stop_progress()
        self._awaiting = False
        had_record = self._record is not None
        self._record = record
        self._show_status(record)
        # A repaint of the row of tabs, not a layout.
        self.query_one("#response-tabs", TabbedPanes).set_label(HEADERS_TAB, f"Headers ({len(record.headers)})")
        self._fill_active_tab()
        self._drop_filter()
        self._close_search()
        self.query_one("#response-body", BodyView).load(record.body, record.content_type)
        self.query_one("#response-states", ContentSwitcher).current = "response-result"
        if not had_record:
            self.refresh_bindings()

    def show_explanation(self, lines: list[str] | None) -> None:
        """Why the answer was a 401 or 403 and what to do (None hides it). Shown with the answer, not while one
        loads, so the pane's layout stays still while a body arrives."""
        found = self.query("#response-doctor")
        if not lines:
            if found and found.first().display:
                found.first().display = False
            return
        if found:
            doctor = found.first(Static)
        else:
            # The scope doctor's explanation of a 401 or 403, above the tabs.
            doctor = Static("", id="response-doctor", markup=False)
            self.query_one("#response-result").mount(doctor, before="#response-tabs")
        doctor.update("\n".join(lines))
        doctor.display = True

    def show_error(self, error: ExplorerError) -> None:
        """Show why there is no response: the error's title, message and what to check next."""
        self.query_one(StatusLine).stop_progress()
        self._awaiting = False
        if self._error_view is None:
            self._error_view = ErrorView(id="response-error")
            self.query_one("#response-states").mount(self._error_view, before="#response-result")
        self._error_view.show(error)
        self.query_one("#response-body", BodyView).clear()
        self.query_one("#response-states", ContentSwitcher).current = "response-error"
        self.show_explanation(None)
        self._forget_record()

    def show_loading(self, received: int, total: int | None) -> None:
        """Show that an answer is on its way: `received` bytes so far, of `total` when the server said."""
        if not self._awaiting:
            self._awaiting = True
            self.query_one(StatusLine).show_parts("loading")
            # The previous answer is out of sight now: ctrl+o must not save it by mistake.
            body = self.query_one("#response-body", BodyView)
            body.clear()
            body.placeholder = ""
            # Most answers are JSON: its highlighter loads while this one is on its way, once the frame that says
            # so is drawn (the thread that imports it holds the interpreter's lock half the time).
            self.call_after_refresh(body.prepare_highlighting, "json")
            self.query_one("#response-states", ContentSwitcher).current = "response-result"
            # A new answer opens on its body, whichever tab the last one was read in.
            self.query_one("#response-tabs", TabbedPanes).active = BODY_TAB
            self._forget_record()
            self._fill_active_tab()
        self.query_one(StatusLine).show_progress(received, total)

    def clear(self, message: str = EMPTY_HINT) -> None:
        """Back to the empty state, as before the first request; `message` says why there is no answer."""
        self.query_one(StatusLine).stop_progress()
        self._awaiting = False
        self.query_one(StatusLine).show_parts("empty")
        body = self.query_one("#response-body", BodyView)
        body.clear()
        body.placeholder = message
        self._close_search()
        self.query_one("#response-states", ContentSwitcher).current = "response-result"
        self._forget_record()
        self._fill_active_tab()

    def set_pygments_style(self, name: str) -> None:
        """Colour bodies with another Pygments style (e.g. when the app theme changes)."""
        self._pygments_style = name
        for view in self.query(BodyView):
            view.set_pygments_style(name)

    @property
    def record(self) -> ResponseRecord | None:
        """The response on show, if any."""
        return self._record

    @property
    def awaiting(self) -> bool:
        """Whether a request is on its way (between `show_loading` and the response, error or `clear`)."""
        return self._awaiting

    # -- search --------------------------------------------------------------------------------------------

    @on(BodyView.SearchRequested, "#response-body")
    async def _on_search_requested(self, message: BodyView.SearchRequested) -> None:
        # Answered here, under the body: an inline bar, not a dialog over what is being searched.
        message.stop()
        bar = self._search_bar
        if bar is None:
            bar = self._search_bar = SearchBar(id="search-bar")
            await self._body_tab().mount(bar)
        bar.open()

    def _body_tab(self) -> TabPane:
        return self.query_one(f"#{BODY_TAB}", TabPane)

    @on(SearchBar.Changed)
    def _on_search_changed(self, message: SearchBar.Changed) -> None:
        message.stop()
        view = self.query_one("#response-body", BodyView)
        view.quiet_search = True
        view.search(message.text)

    @on(SearchBar.Step)
    def _on_search_step(self, message: SearchBar.Step) -> None:
        message.stop()
        view = self.query_one("#response-body", BodyView)
        if message.backwards:
            view.action_previous_match()
        else:
            view.action_next_match()

    @on(SearchBar.Closed)
    def _on_search_closed(self, message: SearchBar.Closed) -> None:
        message.stop()
        if self._search_bar is not None:
            self._search_bar.display = False
        self.query_one("#response-body", BodyView).focus()

    @on(BodyView.SearchFinished)
    def _on_search_finished(self, message: BodyView.SearchFinished) -> None:
        # Not stopped: others may want to know too.
        from explorer.ui.widgets.body_search import COUNT_LIMIT

        if self._search_bar is None:
            return
        found = message.match is not None
        text = count_text(message.index, message.total, COUNT_LIMIT, found=found, complete=message.complete)
        self._search_bar.show_count(text)

    def _close_search(self) -> None:
        """A new body: the bar of the old one goes (the body view forgets its search by itself)."""
        bar = self._search_bar
        if bar is None:
            return
        if bar.display:
            bar.display = False
        bar.show_count("")

    # -- jq filter -----------------------------------------------------------------------------------------

    async def action_filter(self) -> None:
        """Open the filter bar (with the filter on show, if any)."""
        if self._record is None:
            return
        bar = self._filter_bar
        if bar is None:
            bar, mounted = self._build_filter_bar(self._filter)
            await mounted
        bar.open(self._filter)

    def _build_filter_bar(self, expression: str) -> tuple[FilterBar, AwaitMount]:
        """The filter bar, built the first time it is needed, under the body, showing `expression`."""
        bar = self._filter_bar = FilterBar(expression, id="filter-bar")
        return bar, self._body_tab().mount(bar, after="#response-body")

    def action_capture(self) -> None:
        """Ask the screen to capture a value from the body on show (the line under the cursor, or a jq path)."""
        if self._record is None:
            return
        view = self.query_one("#response-body", BodyView)
        line = view.document.line(view.cursor_line) if view.document.line_count else ""
        body = self._filtered if self._filtered is not None else self._record.body
        self.post_message(self.CaptureRequested(line, body))

    def apply_filter(self, expression: str) -> None:
        """Filter the body on show with `expression` (a request's remembered filter); "" shows the full body."""
        if self._record is None:
            return
        if not expression:
            self._show_full_body()
            return
        # A bar built now is mounted while the filter runs.
        bar = self._filter_bar or self._build_filter_bar(expression)[0]
        bar.display = True
        bar.set_expression(expression)
        self._start_filter(expression)

    @property
    def filter(self) -> str:
        """The jq filter whose result is on show ("" for the full body)."""
        return self._filter

    @on(FilterBar.Submitted)
    def _on_filter_submitted(self, message: FilterBar.Submitted) -> None:
        message.stop()
        if not message.expression:
            self._show_full_body()
            return
        self._start_filter(message.expression)

    @on(FilterBar.Closed)
    def _on_filter_closed(self, message: FilterBar.Closed) -> None:
        message.stop()
        self._show_full_body()
        if self._filter_bar is not None:
            self._filter_bar.display = False
        self.query_one("#response-body", BodyView).focus()

    def _start_filter(self, expression: str) -> None:
        from explorer.core.jqfilter import FilterJob

        record = self._record
        if record is None:
            return
        self._cancel_filter()
        if self._jq_process is None:
            from explorer.core.jqprocess import JqProcess

            # In a child process: parsing a body of megabytes and rendering the result there never makes a key
            # wait for this interpreter's lock (started with the first filter, kept for the next).
            self._jq_process = JqProcess()
        self._filter_job = job = FilterJob(expression, record.body)
        bar = self._filter_bar
        if bar is not None:
            bar.running = True
            bar.clear_error()
        self._run_filter(job, record)

    def _cancel_filter(self) -> None:
        job = self._filter_job
        if job is not None:
            job.cancel()
            if self._jq_process is not None:
                self._jq_process.cancel(job)

    @work(thread=True, exclusive=True, exit_on_error=False, group="jq-filter")
    def _run_filter(self, job: FilterJob, record: ResponseRecord) -> None:
        from explorer.core.jqfilter import FilterError

        if job.cancelled:
            return
        process = self._jq_process
        if process is None:
            return
        try:
            answer = process.run(job.expression, record.body, owner=job)
        except FilterError as exc:
            self.app.call_from_thread(self._filter_failed, job, exc.message)
            return
        if answer is None or job.cancelled:
            return
        count, text = answer
        self.app.call_from_thread(self._filter_done, job, record, count, text)

    def _filter_failed(self, job: FilterJob, message: str) -> None:
        if job is not self._filter_job:
            return
        self._filter_job = None
        if self._filter_bar is not None:
            self._filter_bar.running = False
            self._filter_bar.show_error(message)

    def _filter_done(self, job: FilterJob, record: ResponseRecord, count: int, text: bytes) -> None:
        if job is not self._filter_job or record is not self._record:
            return
        self._filter_job = None
        if self._filter_bar is not None:
            self._filter_bar.running = False
        self._filter = job.expression
        self._filtered = text
        body = self.query_one("#response-body", BodyView)
        body.load(text, "application/json")
        self._show_status(record)
        self.post_message(self.FilterApplied(job.expression))

    def _show_full_body(self) -> None:
        record = self._record
        was_filtered = self._filtered is not None
        self._drop_filter()
        if record is not None and was_filtered:
            self.query_one("#response-body", BodyView).load(record.body, record.content_type)
            self._show_status(record)

    def _drop_filter(self) -> None:
        if self._filter_job is not None:
            self._cancel_filter()
            self._filter_job = None
        self._filter = ""
        self._filtered = None
        if self._filter_bar is not None:
            self._filter_bar.running = False
            self._filter_bar.clear_error()

    def on_unmount(self) -> None:
        if self._jq_process is not None:
            self._jq_process.close()

    def _forget_record(self) -> None:
        self._drop_filter()
        if self._record is not None:
            self._record = None
            # Only now does ctrl+o change from available to greyed.
            self.refresh_bindings()

    def _show_status(self, record: ResponseRecord) -> None:
        self.query_one(StatusLine).show_record(record, [f"jq {self._filter}"] if self._filtered is not None else [])

    def _fill_active_tab(self) -> None:
        """Bring the Headers or Request tab up to date with the response, when it is the one on show."""
        pane = self.query_one("#response-tabs", TabbedPanes).active
        if pane not in self._built or (pane in self._filled and self._filled[pane] is self._record):
            return
        self._filled[pane] = self._record
        fill_tab(self, pane, self._record)

    def show_pages(self, pages: int, items: int, limit: int) -> None:
        """Progress of "fetch all pages": the pages and items so far (the status line, like `show_loading`)."""
        if not self._awaiting:
            self.show_loading(0, None)
        self.query_one(StatusLine).show_text(
            f"Fetching all pages: page {pages} of at most {limit} · {items} items so far…"
        )
