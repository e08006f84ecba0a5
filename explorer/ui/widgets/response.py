"""The response pane: what came back for the last request, or why nothing did.

A status line (code coloured by class, reason, HTTP version, time, size and anything unusual about the
exchange) sits over three tabs: the body, the response headers and the request as it was sent. Before the first
request it shows a hint; while one is on its way, a progress bar; when one fails, the error with its hint.

Bodies are handed to `BodyView`, which formats them off the event loop. ctrl+o saves the raw body to a file,
written by a thread worker.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import ContentSwitcher, DataTable, ProgressBar, Static, TabbedContent, TabPane

from explorer.core import atomic
from explorer.core.errors import ExplorerError
from explorer.core.formatting import SNIFF_BYTES, body_kind, human_duration, human_size, media_type
from explorer.core.http import ResponseRecord
from explorer.ui.dialogs import ConfirmDialog, TextPrompt
from explorer.ui.widgets.body_view import BodyView

# The progress display is redrawn at most this often, however fast the chunks arrive.
PROGRESS_INTERVAL = 0.1

_STATUS_CLASSES = ("-status-1xx", "-status-2xx", "-status-3xx", "-status-4xx", "-status-5xx", "-status-other")

# File name extensions for media types people save often; the rest go by the body's kind.
_EXTENSIONS = {
    "application/gzip": "gz",
    "application/pdf": "pdf",
    "application/x-ndjson": "ndjson",
    "application/yaml": "yaml",
    "application/zip": "zip",
    "image/gif": "gif",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/svg+xml": "svg",
    "image/webp": "webp",
    "text/csv": "csv",
    "text/markdown": "md",
}
_KIND_EXTENSIONS = {"json": "json", "xml": "xml", "html": "html", "text": "txt", "binary": "bin"}


class ResponsePane(Widget):
    """The answer to the last request: status line, body, headers and the request as sent, or an error."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+o", "save_body", "Save body", id="response.save_body"),
    ]

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
        self._record: ResponseRecord | None = None
        self._progress: tuple[int, int | None] = (0, None)
        self._progress_shown_at = 0.0
        self._progress_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        with ContentSwitcher(initial="response-empty", id="response-states"):
            yield Static(
                "No response yet.\n\nPress ctrl+j to send the request.",
                id="response-empty",
                markup=False,
            )
            with Vertical(id="response-loading"):
                yield Static("Waiting for the answer…", id="loading-label", markup=False)
                yield ProgressBar(show_eta=False, id="loading-bar")
            with Vertical(id="response-error"):
                yield Static("", id="error-title", markup=False)
                yield Static("", id="error-message", markup=False)
                yield Static("", id="error-hint", markup=False)
            with Vertical(id="response-result"):
                with Horizontal(id="status-line"):
                    yield Static("", id="status-code", markup=False)
                    yield Static("", id="status-meta", markup=False)
                    yield Static("", id="status-notes", markup=False)
                with TabbedContent(id="response-tabs"):
                    with TabPane("Body", id="response-tab-body"):
                        yield BodyView(pygments_style=self._pygments_style, id="response-body")
                    with TabPane("Headers", id="response-tab-headers"):
                        yield DataTable(cursor_type="row", zebra_stripes=True, id="response-headers")
                    with TabPane("Request", id="response-tab-request"):
                        yield Static("", id="request-summary")
                        yield BodyView(pygments_style=self._pygments_style, id="request-body")

    def on_mount(self) -> None:
        self.query_one("#response-headers", DataTable).add_columns("Header", "Value")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save_body":
            # Greyed out until there is a body to save.
            return True if self._record is not None else None
        return True

    def action_save_body(self) -> None:
        """Ask where to save the raw body, then write it (asking before replacing a file)."""
        record = self._record
        if record is None:
            return
        default = f"~/response-{record.status}.{extension_for(record.content_type, record.body)}"

        def chosen(path: str | None) -> None:
            if path:
                self._save_body(Path(path.strip()).expanduser(), record.body, replace=False)

        self.app.push_screen(
            TextPrompt(
                "Save response body",
                f"Save the {human_size(record.size)} body to:",
                value=default,
                validator=_check_path,
                submit_label="Save",
            ),
            chosen,
        )

    def show_response(self, record: ResponseRecord) -> None:
        """Show what came back. The body is formatted by the body view, off the event loop."""
        self._stop_progress()
        self._record = record
        self._show_status(record)
        self._show_headers(record)
        self._show_request(record)
        self.query_one("#response-body", BodyView).load(record.body, record.content_type)
        self.query_one("#response-states", ContentSwitcher).current = "response-result"
        self.refresh_bindings()

    def show_error(self, error: ExplorerError) -> None:
        """Show why there is no response: the error's title, message and what to check next."""
        self._stop_progress()
        self._record = None
        self.query_one("#error-title", Static).update(error.title)
        self.query_one("#error-message", Static).update(error.message)
        hint = self.query_one("#error-hint", Static)
        hint.update(error.hint)
        hint.display = bool(error.hint)
        self.query_one("#response-body", BodyView).clear()
        self.query_one("#response-states", ContentSwitcher).current = "response-error"
        self.refresh_bindings()

    def show_loading(self, received: int, total: int | None) -> None:
        """Show that an answer is on its way: `received` bytes so far, of `total` when the server said."""
        switcher = self.query_one("#response-states", ContentSwitcher)
        if switcher.current != "response-loading":
            switcher.current = "response-loading"
            self._progress_shown_at = 0.0
            # The previous answer is out of sight now: ctrl+o must not save it by mistake.
            self._record = None
            self.refresh_bindings()
        self._progress = (received, total)
        # Chunks can arrive thousands of times a second: redraw at most every PROGRESS_INTERVAL.
        wait = self._progress_shown_at + PROGRESS_INTERVAL - time.monotonic()
        if wait <= 0:
            self._show_progress()
        elif self._progress_timer is None:
            self._progress_timer = self.set_timer(wait, self._show_progress)

    def clear(self) -> None:
        """Back to the empty state, as before the first request."""
        self._stop_progress()
        self._record = None
        self.query_one("#response-body", BodyView).clear()
        self.query_one("#request-body", BodyView).clear()
        self.query_one("#response-headers", DataTable).clear()
        self.query_one("#response-states", ContentSwitcher).current = "response-empty"
        self.refresh_bindings()

    def set_pygments_style(self, name: str) -> None:
        """Colour bodies with another Pygments style (e.g. when the app theme changes)."""
        self._pygments_style = name
        for view in self.query(BodyView):
            view.set_pygments_style(name)

    @property
    def record(self) -> ResponseRecord | None:
        """The response on show, if any."""
        return self._record

    def _show_status(self, record: ResponseRecord) -> None:
        code = self.query_one("#status-code", Static)
        code.update(f" {record.status} {record.reason} ".replace("  ", " "))
        code.remove_class(*_STATUS_CLASSES)
        family = record.status // 100
        code.add_class(f"-status-{family}xx" if 1 <= family <= 5 else "-status-other")
        meta = [record.http_version, human_duration(record.elapsed), human_size(record.size)]
        self.query_one("#status-meta", Static).update(" · ".join(part for part in meta if part))
        notes: list[str] = []
        if record.retried_after_rejection:
            notes.append("token was rejected: sent again with a new one")
        if record.request.own_authorization:
            notes.append("your own Authorization header was sent")
        if record.status == 429:
            wait = record.retry_after
            notes.append("rate limited" if wait is None else f"rate limited: retry after {_seconds(wait)}")
        notes.extend(record.notes)
        status_notes = self.query_one("#status-notes", Static)
        status_notes.update(" · ".join(notes))
        status_notes.display = bool(notes)

    def _show_headers(self, record: ResponseRecord) -> None:
        table = self.query_one("#response-headers", DataTable)
        table.clear()
        for name, value in record.headers:
            # Text, not str: the table would read brackets in a header value as markup.
            table.add_row(Text(name), Text(value))
        self.query_one("#response-tabs", TabbedContent).get_tab(
            "response-tab-headers"
        ).label = f"Headers ({len(record.headers)})"

    def _show_request(self, record: ResponseRecord) -> None:
        sent = record.request
        parts: list[str | tuple[str, str]] = [(sent.method, "bold"), " ", sent.url, "\n"]
        if sent.token_attached:
            parts.append(("The profile's Bearer token was attached.\n", "$foreground-muted"))
        parts.append("\n")
        for name, value in sent.headers:
            parts.extend([(name, "$accent"), ": ", value, "\n"])
        if not sent.body:
            parts.extend(["\n", ("No body.", "$foreground-muted")])
        self.query_one("#request-summary", Static).update(Content.assemble(*parts))
        request_body = self.query_one("#request-body", BodyView)
        request_body.display = bool(sent.body)
        content_type = next((value for name, value in sent.headers if name.lower() == "content-type"), "")
        if sent.body:
            request_body.load(sent.body, content_type)
        else:
            request_body.clear()

    def _show_progress(self) -> None:
        self._progress_timer = None
        self._progress_shown_at = time.monotonic()
        received, total = self._progress
        label = self.query_one("#loading-label", Static)
        bar = self.query_one("#loading-bar", ProgressBar)
        if total:
            label.update(f"Received {human_size(received)} of {human_size(total)}")
            bar.update(total=total, progress=min(received, total))
        elif received:
            label.update(f"Received {human_size(received)}")
            bar.update(total=None)
        else:
            label.update("Waiting for the answer…")
            bar.update(total=None)

    def _stop_progress(self) -> None:
        if self._progress_timer is not None:
            self._progress_timer.stop()
            self._progress_timer = None

    @work(thread=True, exclusive=True, exit_on_error=False, group="save-body")
    def _save_body(self, path: Path, body: bytes, *, replace: bool) -> None:
        try:
            if path.is_dir():
                raise IsADirectoryError(21, "That is a folder; add a file name", str(path))
            if not replace and path.exists():
                self.app.call_from_thread(self._ask_replace, path, body)
                return
            if not path.parent.is_dir():
                raise FileNotFoundError(2, "That folder does not exist", str(path.parent))
            write_bytes_atomic(path, body)
        except OSError as exc:
            self.notify(
                f"{exc.filename or path}: {exc.strerror or exc}",
                title="Could not save the body",
                severity="error",
                markup=False,
            )
            return
        self.notify(f"Saved {human_size(len(body))} to {path}", title="Body saved", markup=False)

    def _ask_replace(self, path: Path, body: bytes) -> None:
        def answered(replace: bool | None) -> None:
            if replace:
                self._save_body(path, body, replace=True)

        self.app.push_screen(
            ConfirmDialog(
                "Replace file?",
                f"{path} already exists. Replace it with the {human_size(len(body))} body?",
                confirm_label="Replace",
                cancel_label="Keep it",
                danger=True,
            ),
            answered,
        )


def extension_for(content_type: str, body: bytes) -> str:
    """A file name extension for a body: from its media type when well known, else from what it looks like."""
    known = _EXTENSIONS.get(media_type(content_type))
    if known is not None:
        return known
    return _KIND_EXTENSIONS[body_kind(content_type, body[:SNIFF_BYTES])]


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that it never holds half of either.

    A replaced file keeps its permission bits; a new one is readable by its owner only (0600), since response
    bodies often hold customer data.
    """
    atomic.write_bytes_atomic(path, data, new_mode=0o600)


def _seconds(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds >= 1 else human_duration(seconds)


def _check_path(text: str) -> str | None:
    if not text.strip():
        return "Type the path of the file to save to."
    if text.strip().endswith(("/", os.sep)):
        return "That is a folder: add a file name."
    return None
