"""The jq filter bar of the response pane: result in the same viewer, inline errors, back to the full body."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Input, Static

from explorer.core.http import ResponseRecord, SentRequest
from explorer.ui.widgets.body_view import BodyView
from explorer.ui.widgets.filter_bar import FilterBar
from explorer.ui.widgets.response import ResponsePane
from explorer.ui.widgets.response_status import StatusLine

from .conftest import wait_until

STYLES = Path(__file__).resolve().parents[2] / "explorer" / "ui" / "styles" / "widgets.tcss"
BODY = json.dumps({"items": [{"id": n, "active": n % 2 == 0} for n in range(6)]}).encode()


def answer(body: bytes = BODY) -> ResponseRecord:
    sent = SentRequest("GET", "https://api.example/v0/items", (), b"", True, False)
    return ResponseRecord(200, "OK", "HTTP/1.1", [("content-type", "application/json")], 0.05, body, sent)


class FilterApp(App[None]):
    CSS_PATH = STYLES

    def __init__(self) -> None:
        super().__init__()
        self.applied: list[str] = []

    def compose(self) -> ComposeResult:
        yield ResponsePane()

    def on_response_pane_filter_applied(self, message: ResponsePane.FilterApplied) -> None:
        self.applied.append(message.expression)

    def body_text(self) -> str:
        view = self.query_one("#response-body", BodyView)
        return "\n".join(view.document.lines(0, view.document.line_count))


async def test_filter_shows_its_result_then_escape_brings_the_body_back() -> None:
    app = FilterApp()
    async with app.run_test(size=(100, 30)) as pilot:
        pane = app.query_one(ResponsePane)
        pane.show_response(answer())
        app.query_one("#response-body", BodyView).focus()
        await pilot.pause()
        await pilot.press("|")
        bar = app.query_one(FilterBar)
        assert bar.display and app.focused is bar.query_one("#filter-input", Input)
        await pilot.press(*"[.items[] | select(.active) | .id]", "enter")
        await wait_until(pilot, lambda: pane.filter, "the filter's result")
        await wait_until(pilot, lambda: json.loads(app.body_text()) == [0, 2, 4], "the result in the viewer")
        # The pane's message reaches the app a moment after the result is shown.
        await wait_until(pilot, lambda: app.applied, "the FilterApplied message")
        assert app.applied == ["[.items[] | select(.active) | .id]"]
        assert "jq [.items[] | select(.active) | .id]" in pane.query_one(StatusLine).parts.notes
        await pilot.press("escape")
        await wait_until(pilot, lambda: '"items": [' in app.body_text(), "the full body again")
        assert pane.filter == "" and not bar.display


async def test_a_bad_filter_is_reported_inline_and_the_body_stays() -> None:
    app = FilterApp()
    async with app.run_test(size=(100, 30)) as pilot:
        pane = app.query_one(ResponsePane)
        pane.show_response(answer())
        app.query_one("#response-body", BodyView).focus()
        await pilot.press("|", *".items |", "enter")
        error = app.query_one("#filter-error", Static)
        await wait_until(pilot, lambda: error.display, "the error")
        assert "is not a valid jq expression" in str(error.visual)
        assert pane.filter == "" and '"items": [' in app.body_text()
        await pilot.press("backspace", "backspace", "enter")
        await wait_until(pilot, lambda: pane.filter == ".items", "the corrected filter")
        assert not error.display


async def test_a_remembered_filter_is_applied_to_a_new_answer() -> None:
    app = FilterApp()
    async with app.run_test(size=(100, 30)) as pilot:
        pane = app.query_one(ResponsePane)
        pane.show_response(answer())
        pane.apply_filter(".items | length")
        await wait_until(pilot, lambda: app.body_text().strip() == "6", "the remembered filter's result")
        pane.show_response(answer(b'{"items": []}'))
        assert pane.filter == ""  # a new answer starts unfiltered; the screen applies the request's filter again


async def test_y_copies_the_body_on_show_and_says_how_much() -> None:
    app = FilterApp()
    notes: list[str] = []
    async with app.run_test(size=(100, 30)) as pilot:
        app.notify = lambda message, **kw: notes.append(message)  # type: ignore[method-assign]
        pane = app.query_one(ResponsePane)
        pane.show_response(answer())
        app.query_one("#response-body", BodyView).focus()
        await pilot.pause()
        await pilot.press("y")
        await wait_until(pilot, lambda: app.clipboard == BODY.decode(), "the body on the clipboard")
        await wait_until(pilot, lambda: notes, "the note")
        assert notes[-1] == f"The body ({len(BODY)} B) is on the clipboard."
        # With a filter on, its result is what is on show, so that is what is copied.
        await pilot.press("|", *".items[0]", "enter")
        await wait_until(pilot, lambda: pane.filter, "the filter's result")
        app.query_one("#response-body", BodyView).focus()
        await pilot.press("y")
        await wait_until(pilot, lambda: app.clipboard.startswith("{"), "the result on the clipboard")
        assert json.loads(app.clipboard) == {"id": 0, "active": True}
        await wait_until(pilot, lambda: notes[-1].startswith("The jq result (.items[0])"), "the note")
        # A binary body is not copied: it would not survive the clipboard.
        pane.show_response(replace(answer(b"\x89PNG\r\n\x1a\n\x00\x00\x00"), headers=[("content-type", "image/png")]))
        await pilot.pause()
        await pilot.press("y")
        await wait_until(pilot, lambda: "binary" in notes[-1], "the refusal")
        assert json.loads(app.clipboard) == {"id": 0, "active": True}
