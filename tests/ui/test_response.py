"""The response pane: status line, headers, the request as sent, errors, loading, and saving the body."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.style import Style as VisualStyle
from textual.widgets import ContentSwitcher, DataTable, Input, Static

from explorer.core.errors import RequestError, TemplateError
from explorer.core.http import ResponseRecord, SentRequest
from explorer.ui.controllers.save_body import SaveBody, extension_for
from explorer.ui.dialogs import ConfirmDialog, TextPrompt
from explorer.ui.widgets.body_view import BodyView
from explorer.ui.widgets.response import ResponsePane
from explorer.ui.widgets.response_status import StatusLine, StatusParts
from explorer.ui.widgets.tabbed import TabbedPanes

from .conftest import Notes, count_layouts

STYLES = Path(__file__).resolve().parents[2] / "explorer" / "ui" / "styles" / "widgets.tcss"

BODY = json.dumps({"items": [{"id": i} for i in range(3)]}).encode()


def record(
    status: int = 200,
    reason: str = "OK",
    *,
    body: bytes = BODY,
    headers: list[tuple[str, str]] | None = None,
    retried: bool = False,
    own_authorization: bool = False,
) -> ResponseRecord:
    sent = SentRequest(
        method="POST",
        url="https://api.example/t/v0/orders",
        headers=(("Content-Type", "application/json"), ("Authorization", "Bearer eyJhbG…wxyz")),
        body=b'{"items": []}',
        token_attached=not own_authorization,
        own_authorization=own_authorization,
    )
    return ResponseRecord(
        status=status,
        reason=reason,
        http_version="HTTP/1.1",
        headers=headers if headers is not None else [("content-type", "application/json"), ("x-id", "[1]")],
        elapsed=0.085,
        body=body,
        request=sent,
        retried_after_rejection=retried,
    )


class ResponseApp(App[None]):
    CSS_PATH = STYLES

    def compose(self) -> ComposeResult:
        yield ResponsePane()

    def on_response_pane_save_requested(self, message: ResponsePane.SaveRequested) -> None:
        # What the main screen does with the pane's request to save.
        SaveBody(self.screen).save(message.record)

    @property
    def pane(self) -> ResponsePane:
        return self.query_one(ResponsePane)

    def text(self, selector: str) -> str:
        return str(self.pane.query_one(selector, Static).visual)

    def state(self) -> str | None:
        return self.pane.query_one("#response-states", ContentSwitcher).current

    @property
    def status(self) -> StatusParts:
        return self.pane.query_one(StatusLine).parts


@pytest.mark.parametrize(
    ("status", "reason", "family", "colour"),
    [
        (200, "OK", "2xx", "success"),
        (404, "Not Found", "4xx", "warning"),
        (500, "Internal Server Error", "5xx", "error"),
    ],
)
async def test_status_line_shows_code_reason_version_time_and_size(
    status: int, reason: str, family: str, colour: str
) -> None:
    app = ResponseApp()
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.state() == "response-result"
        assert app.pane.query_one("#response-body", BodyView).placeholder.startswith("No response yet.")
        assert app.status.state == "empty"
        assert app.pane.query_one(StatusLine).render().plain == ""
        app.pane.show_response(record(status, reason))
        await pilot.pause()
        assert app.state() == "response-result"
        status_line = app.status
        assert status_line.state == "response"
        assert status_line.code == f"{status} {reason}"
        assert status_line.family == family
        assert status_line.meta == f"HTTP/1.1 · 85 ms · {len(BODY)} B"
        assert status_line.notes == ""
        line = app.pane.query_one(StatusLine).render()
        assert line.plain == f" {status} {reason}  HTTP/1.1 · 85 ms · {len(BODY)} B "
        # The code in its class's colours, from the theme.
        code_style = line.spans[0].style
        assert isinstance(code_style, VisualStyle) and code_style.background is not None
        assert code_style.background.hex == app.get_css_variables()[f"{colour}-muted"].upper()


async def test_status_line_notes_what_was_unusual() -> None:
    app = ResponseApp()
    async with app.run_test(size=(120, 40)) as pilot:
        headers = [("content-type", "application/json"), ("retry-after", "30")]
        app.pane.show_response(record(429, "Too Many Requests", headers=headers, retried=True))
        await pilot.pause()
        notes = app.status.notes
        assert "sent again with a new one" in notes
        assert "retry after 30 s" in notes
        # Notes longer than the row are cut, with an ellipsis, after the code and figures.
        await pilot.resize_terminal(60, 40)
        await pilot.pause()
        line = app.pane.query_one(StatusLine).render().plain
        assert line.startswith(" 429 Too Many Requests  HTTP/1.1 · 85 ms") and line.endswith("…")
        assert len(line) == app.pane.query_one(StatusLine).content_size.width
        app.pane.show_response(record(own_authorization=True))
        await pilot.pause()
        assert "your own Authorization header" in app.status.notes


async def test_headers_table_and_request_as_sent() -> None:
    app = ResponseApp()
    async with app.run_test(size=(120, 40)) as pilot:
        app.pane.show_response(record())
        await app.workers.wait_for_complete()
        await pilot.pause()
        body_view = app.pane.query_one("#response-body", BodyView)
        assert body_view.document.line_count > 1
        # The Headers and Request tabs are built when first opened.
        assert not app.pane.query("#response-headers")
        assert not app.pane.query("#request-summary")
        tabs = app.pane.query_one("#response-tabs", TabbedPanes)
        assert tabs.label("response-tab-headers") == "Headers (2)"
        tabs.active = "response-tab-headers"
        await pilot.pause()
        table = app.pane.query_one("#response-headers", DataTable)
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        # A value with brackets is shown as it is, not read as markup.
        assert rows == [["content-type", "application/json"], ["x-id", "[1]"]]
        tabs.active = "response-tab-request"
        await pilot.pause()
        summary = app.text("#request-summary")
        assert "POST https://api.example/t/v0/orders" in summary
        assert "Authorization: Bearer eyJhbG…wxyz" in summary
        assert app.pane.query_one("#request-body", BodyView).display
        # A tab already built follows the next response, while on show or when opened again.
        app.pane.show_response(record(own_authorization=True, headers=[("x-one", "1")]))
        await pilot.pause()
        assert "The profile's Bearer token was attached." not in app.text("#request-summary")
        tabs.active = "response-tab-headers"
        await pilot.pause()
        assert table.row_count == 1
        assert tabs.label("response-tab-headers") == "Headers (1)"


async def test_an_error_replaces_the_body_with_its_title_message_and_hint() -> None:
    app = ResponseApp()
    async with app.run_test(size=(120, 40)) as pilot:
        app.pane.show_response(record())
        app.pane.show_error(
            RequestError("Could not connect to api.example.", code="connection_refused", hint="Is it running?")
        )
        await pilot.pause()
        assert app.state() == "response-error"
        assert app.text("#error-title") == "Request failed"
        assert app.text("#error-message") == "Could not connect to api.example."
        assert app.text("#error-hint") == "Is it running?"
        assert app.pane.record is None
        app.pane.show_error(TemplateError(["store_id"]))
        await pilot.pause()
        assert app.text("#error-title") == "Unknown variable"
        assert "{{store_id}}" in app.text("#error-message")


async def test_loading_shows_progress_then_the_response() -> None:
    app = ResponseApp()
    async with app.run_test(size=(120, 40)) as pilot:
        app.pane.show_loading(0, None)
        await pilot.pause()
        assert app.pane.awaiting
        assert app.state() == "response-result"
        assert app.status.state == "loading"
        assert "Waiting" in app.status.progress
        # The hint of the empty pane goes while waiting: the status line says what happens.
        assert app.pane.query_one("#response-body", BodyView).placeholder == ""
        assert app.status.code == ""
        for received in range(0, 5 * 1024 * 1024 + 1, 64 * 1024):
            app.pane.show_loading(received, 5 * 1024 * 1024)
        await pilot.pause(0.2)
        progress = app.status.progress
        assert progress.startswith("Received 5.0 MB of 5.0 MB")
        assert progress.endswith("100%")
        app.pane.show_loading(1024, None)
        await pilot.pause(0.2)
        assert app.status.progress == "Received 1.0 KB…"
        app.pane.show_response(record())
        await pilot.pause(0.2)
        assert not app.pane.awaiting
        assert app.state() == "response-result"
        assert app.pane.record is not None
        assert app.status.state == "response" and app.status.progress == ""
        assert app.status.code == "200 OK"
        # A progress redraw that was already due when the answer came leaves the answer on show.
        app.pane.query_one(StatusLine)._draw_progress()
        assert app.status.code == "200 OK"
        app.pane.show_loading(0, None)
        assert app.pane.record is None
        assert app.pane.query_one("#response-body", BodyView).line_count == 0
        app.pane.clear()
        await pilot.pause()
        assert app.state() == "response-result"
        assert not app.pane.awaiting
        assert app.pane.query_one("#response-body", BodyView).placeholder.startswith("No response yet.")
        assert app.status == StatusParts("empty")


async def test_save_body_writes_the_exact_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, notes: Notes) -> None:
    # Short relative paths keep the typing quick.
    monkeypatch.chdir(tmp_path)
    app = ResponseApp()
    target = tmp_path / "o.json"
    body = BODY + b"\x00\xff raw bytes"
    async with app.run_test(size=(120, 40), message_hook=notes.hook) as pilot:
        app.pane.show_response(record(201, "Created", body=body))
        app.pane.query_one("#response-body", BodyView).focus()
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        assert app.screen.query_one(Input).value == "~/response-201.json"
        await pilot.press(*"o.json", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert target.read_bytes() == body
        assert [p.name for p in tmp_path.iterdir()] == ["o.json"]
        assert os.stat(target).st_mode & 0o077 == 0
        assert any(n.message.startswith(f"Saved {len(body)} B to") for n in notes.seen)


async def test_save_body_asks_before_replacing_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = ResponseApp()
    target = tmp_path / "o.json"
    target.write_bytes(b"old")
    async with app.run_test(size=(120, 40)) as pilot:
        app.pane.show_response(record())
        app.pane.query_one("#response-body", BodyView).focus()
        for answer, expected in (("n", b"old"), ("y", BODY)):
            await pilot.press("ctrl+o")
            await pilot.pause()
            await pilot.press(*"o.json", "enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, ConfirmDialog)
            await pilot.press(answer)
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert target.read_bytes() == expected


async def test_save_body_reports_a_missing_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, notes: Notes
) -> None:
    monkeypatch.chdir(tmp_path)
    app = ResponseApp()
    async with app.run_test(size=(120, 40), message_hook=notes.hook) as pilot:
        app.pane.show_response(record())
        app.pane.query_one("#response-body", BodyView).focus()
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press(*"no/b", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any(n.title == "Could not save the body" for n in notes.seen)
        assert not (tmp_path / "no").exists()


async def test_save_body_is_unavailable_without_a_response() -> None:
    app = ResponseApp()
    async with app.run_test(size=(120, 40)) as pilot:
        app.pane.query_one("#response-body", BodyView).focus()
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert not isinstance(app.screen, TextPrompt)


def test_extension_for_a_body() -> None:
    assert extension_for("application/json; charset=utf-8", b"{}") == "json"
    assert extension_for("image/png", b"\x89PNG") == "png"
    assert extension_for("text/plain", b"hello") == "txt"
    assert extension_for("", b"<html><body></body></html>") == "html"
    assert extension_for("application/octet-stream", b"\x00\x01\x02") == "bin"


async def test_a_send_and_its_answer_lay_nothing_out(monkeypatch: pytest.MonkeyPatch) -> None:
    # A layout of the whole screen, and the frame after it, is what makes a key typed at that moment wait.
    app = ResponseApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        layouts = count_layouts(screen, monkeypatch)
        for _ in range(2):
            app.pane.show_loading(0, None)
            await pilot.pause()
            app.pane.show_loading(1024, 4096)
            await pilot.pause(0.2)
            app.pane.show_response(record())
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert app.status.code == "200 OK"
            tabs = app.pane.query_one("#response-tabs", TabbedPanes)
            assert tabs.label("response-tab-headers") == "Headers (2)"
            assert app.pane.query_one("#response-body", BodyView).line_count > 1
        assert layouts == []
