"""Sending requests from the composer: responses, errors as titled notifications, production confirmation."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from explorer.core.model import RequestSpec
from explorer.core.tokens import TokenState
from explorer.sandbox import SandboxServer
from explorer.ui.dialogs.confirm import ConfirmDialog
from explorer.ui.widgets.body_view import BodyView
from explorer.ui.widgets.composer import RequestComposer
from explorer.ui.widgets.response import ResponsePane
from explorer.ui.widgets.response_status import StatusLine
from explorer.ui.widgets.search_bar import SearchBar
from explorer.ui.widgets.token_panel import TokenPanel

from .conftest import SIZE, AppFactory, Notes, count_layouts, wait_until


async def test_send_shows_the_status_and_a_highlighted_body(build_app: AppFactory, profiles_file: Path) -> None:
    app = build_app(config=profiles_file, profile="sandbox")
    async with app.run_test(size=SIZE) as pilot:
        composer = app.main.query_one(RequestComposer)
        composer.load(RequestSpec(url="{{api_url}}/v0/stores", params={"count": "2"}))
        composer.focus_url()
        await pilot.press("ctrl+j")
        pane = app.main.query_one(ResponsePane)
        await wait_until(pilot, lambda: pane.record is not None, "a response")
        assert pane.record is not None and pane.record.status == 200
        assert pane.query_one(StatusLine).parts.code == "200 OK"
        body = pane.query_one("#response-body", BodyView)
        await wait_until(pilot, lambda: body.line_count > 3, "the body")
        await pilot.pause(0.1)
        # Keys and strings of the JSON come out in different colours.
        colours = {segment.style.color for y in range(4) for segment in body.render_line(y) if segment.style}
        assert len(colours - {None}) >= 2
        assert app.main.check_action("cancel_request", ()) is False


async def test_unknown_variable_is_reported_before_anything_is_sent(
    build_app: AppFactory, profiles_file: Path, notes: Notes, sandbox: SandboxServer
) -> None:
    app = build_app(config=profiles_file, profile="sandbox")
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        await wait_until(pilot, lambda: app.main.query_one(TokenPanel).state is TokenState.VALID, "a token")
        app.main.query_one(RequestComposer).load(RequestSpec(url="{{api_url}}/v0/stores/{{nowhere}}"))
        await pilot.press("ctrl+j")
        pane = app.main.query_one(ResponsePane)
        title = pane.query_one("#error-title")
        await wait_until(pilot, lambda: "Unknown variable" in str(title.render()), "the error in the pane")
        assert "{{nowhere}}" in str(pane.query_one("#error-message").render())
        # Said once: in the pane, not in a toast as well.
        assert notes.find("Unknown variable") is None
        assert pane.record is None
        assert app.is_running


async def test_connection_refused_is_a_titled_error(build_app: AppFactory, profiles_file: Path, notes: Notes) -> None:
    app = build_app(config=profiles_file, profile="closed")
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        await wait_until(pilot, lambda: notes.find("Token request failed") is not None, "the token failure")
        note = notes.find("Token request failed")
        assert note is not None and "connection refused" in note.message
        app.main.query_one(RequestComposer).load(RequestSpec(url="{{api_url}}/v0/stores"))
        seen = len(notes.seen)
        await pilot.press("ctrl+j")
        message = app.main.query_one(ResponsePane).query_one("#error-message")
        await wait_until(pilot, lambda: "connection refused" in str(message.render()), "the failure in the pane")
        assert len(notes.seen) == seen
        assert app.is_running


async def test_production_asks_before_an_unsafe_method(
    build_app: AppFactory, profiles_file: Path, sandbox: SandboxServer
) -> None:
    app = build_app(config=profiles_file, profile="prod")
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main.query_one(TokenPanel).state is TokenState.VALID, "a token")
        spec = RequestSpec(
            method="POST",
            url="{{api_url}}/api/v1/taxes/preview",
            body='{"store_id": "store-001", "items": [{"product_id": "prod-0001", "quantity": 1, "price": 10}]}',
        )
        app.main.query_one(RequestComposer).load(spec)
        sandbox.reset_counters()
        await pilot.press("ctrl+j")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the confirmation")
        await pilot.press("n")
        await wait_until(pilot, lambda: app.screen is app.main, "the dialog to close")
        await pilot.pause(0.2)
        assert not [r for r in sandbox.request_log() if r.method == "POST" and "/api/demo/" in r.path]

        await pilot.press("ctrl+j")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the confirmation")
        await pilot.press("y")
        pane = app.main.query_one(ResponsePane)
        await wait_until(pilot, lambda: pane.record is not None, "a response")
        assert [r for r in sandbox.request_log() if r.method == "POST" and "/api/demo/" in r.path]


async def test_get_on_production_is_sent_without_asking(build_app: AppFactory, profiles_file: Path) -> None:
    app = build_app(config=profiles_file, profile="prod")
    async with app.run_test(size=SIZE) as pilot:
        app.main.query_one(RequestComposer).load(RequestSpec(url="{{api_url}}/v0/stores"))
        await pilot.press("ctrl+j")
        pane = app.main.query_one(ResponsePane)
        await wait_until(pilot, lambda: pane.record is not None, "a response")
        assert str(app.main.query_one("#topbar-stage").content) == "PROD"


async def test_escape_cancels_a_request_that_hangs(build_app: AppFactory, profiles_file: Path, notes: Notes) -> None:
    # A listening socket that never answers: the request waits until it is cancelled.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        app = build_app(config=profiles_file, profile="sandbox")
        async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
            await wait_until(pilot, lambda: app.main.query_one(TokenPanel).state is TokenState.VALID, "a token")
            composer = app.main.query_one(RequestComposer)
            composer.load(RequestSpec(url=f"http://127.0.0.1:{port}/slow"))
            composer.focus_url()
            await pilot.press("ctrl+j")
            await wait_until(pilot, lambda: composer.busy, "the request to start")
            assert app.main.check_action("cancel_request", ()) is True
            await pilot.press("escape")
            await wait_until(pilot, lambda: not composer.busy, "the cancellation")
            body = app.main.query_one(ResponsePane).query_one("#response-body")
            assert str(body.placeholder).startswith("Cancelled.")  # type: ignore[attr-defined]
            assert app.main.query_one(ResponsePane).record is None
            assert app.is_running


async def test_palette_offers_response_commands_once_there_is_an_answer(
    build_app: AppFactory, profiles_file: Path
) -> None:

    app = build_app(config=profiles_file, profile="sandbox")
    async with app.run_test(size=SIZE) as pilot:
        names = {c.name for c in app.main.palette_commands()}
        assert "response: save body" not in names and "response: search body" not in names
        composer = app.main.query_one(RequestComposer)
        composer.load(RequestSpec(url="{{api_url}}/v0/stores", params={"count": "2"}))
        await pilot.press("ctrl+j")
        pane = app.main.query_one(ResponsePane)
        body = pane.query_one("#response-body", BodyView)
        await wait_until(pilot, lambda: body.line_count > 3, "the body")
        commands = {c.name: c for c in app.main.palette_commands()}
        assert {"response: save body", "response: filter with jq", "response: capture value"} <= set(commands)
        assert commands["response: toggle wrap"].key == "w"
        assert commands["response: copy body"].key == "y"
        commands["response: copy body"].run()
        await wait_until(pilot, lambda: '"store_id"' in app.clipboard, "the body on the clipboard")
        assert app.clipboard == pane.record.body.decode()  # type: ignore[union-attr]
        commands["response: search body"].run()
        # The bar is built the first time it opens.
        await wait_until(pilot, lambda: app.focused is not None and app.focused.id == "search-input", "the bar")
        assert pane.query_one(SearchBar).display
        await pilot.press(*"store-002")
        await wait_until(pilot, lambda: body.cursor_line > 0, "the match")
        assert "store-002" in body.document.line(body.cursor_line)


async def test_each_answer_opens_on_its_body(build_app: AppFactory, profiles_file: Path) -> None:
    from explorer.ui.widgets.tabbed import TabbedPanes

    app = build_app(config=profiles_file, profile="sandbox")
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main.query_one(TokenPanel).state is TokenState.VALID, "a token")
        app.main.query_one(RequestComposer).load(RequestSpec(url="{{api_url}}/v0/stores"))
        pane = app.main.query_one(ResponsePane)
        await pilot.press("ctrl+j")
        await wait_until(pilot, lambda: pane.record is not None, "a response")
        tabs = pane.query_one("#response-tabs", TabbedPanes)
        tabs.active = "response-tab-request"
        await pilot.pause()
        first = pane.record
        await pilot.press("ctrl+j")
        await wait_until(pilot, lambda: pane.record is not None and pane.record is not first, "the next response")
        assert tabs.active == "response-tab-body"


async def test_a_send_and_its_answer_lay_the_screen_out_not_once(
    build_app: AppFactory, profiles_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A layout of the whole screen, and the frame after it, is what makes a key typed at that moment wait: the
    # Send button, the footer, the status line, the tabs and the body all change in place.
    app = build_app(config=profiles_file, profile="sandbox")
    async with app.run_test(size=SIZE) as pilot:
        composer = app.main.query_one(RequestComposer)
        composer.load(RequestSpec(url="{{api_url}}/api/v1/catalog/export", params={"size_mb": "1"}))
        composer.focus_url()
        pane = app.main.query_one(ResponsePane)
        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: app.main.check_action("send", ()) is True, "a session ready to send")
        await pilot.pause(0.3)
        screen = app.main
        layouts = count_layouts(screen, monkeypatch)
        await pilot.press("ctrl+j")
        await wait_until(pilot, lambda: pane.record is not None, "the answer", timeout=20)
        await wait_until(pilot, lambda: app.main.check_action("send", ()) is True, "the send over")
        await pilot.pause(0.1)
        assert pane.query_one(StatusLine).parts.code == "200 OK"
        assert layouts == []
