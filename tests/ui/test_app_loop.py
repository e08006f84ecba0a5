"""The exploration loop in the app: history recorded and reopened, compared; captured values reused; a remembered
jq filter; all pages fetched into one answer."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, OptionList

from explorer.core.model import Paginate, RequestSpec
from explorer.ui.dialogs import TextPrompt
from explorer.ui.dialogs.diff_view import DiffDialog
from explorer.ui.dialogs.variables import VariablesDialog
from explorer.ui.widgets.body_view import BodyView
from explorer.ui.widgets.composer import RequestComposer
from explorer.ui.widgets.history_pane import HistoryPane
from explorer.ui.widgets.response import ResponsePane
from explorer.ui.widgets.response_status import StatusLine

from .conftest import SIZE, AppFactory, Notes, wait_until


async def send(pilot: object, app: object, spec: RequestSpec) -> ResponsePane:
    main = app.main  # type: ignore[attr-defined]
    pane: ResponsePane = main.query_one(ResponsePane)
    before = pane.record
    main.query_one(RequestComposer).load(spec)
    main.requests.send(spec)
    await wait_until(pilot, lambda: pane.record is not None and pane.record is not before, "a response")  # type: ignore[arg-type]
    return pane


def rows(pane: HistoryPane) -> list[str]:
    listing = pane.query_one("#history-list", OptionList)
    return [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]


async def test_sends_are_recorded_reopened_and_compared(build_app: AppFactory, profiles_file: Path) -> None:
    app = build_app(config=profiles_file, profile="sandbox")
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, app, RequestSpec(name="store 1", url="{{api_url}}/v0/stores/store-001"))
        await send(pilot, app, RequestSpec(name="store 2", url="{{api_url}}/v0/stores/store-002"))
        await pilot.press("f3")
        history = app.main.query_one(HistoryPane)
        await wait_until(pilot, lambda: len(rows(history)) == 3, "the history list")
        assert rows(history)[0] == "Today"
        assert "/v0/stores/store-002" in rows(history)[1] and " sandbox " in rows(history)[1]
        assert app.focused is history.query_one("#history-filter", Input)
        await pilot.press(*"store-001")
        await wait_until(pilot, lambda: len(rows(history)) == 2, "the filtered list")
        await pilot.press("enter")
        composer = app.main.query_one(RequestComposer)
        await wait_until(pilot, lambda: composer.current_spec().url.endswith("store-001"), "the request reopened")
        response = app.main.query_one(ResponsePane)
        assert response.record is not None and json.loads(response.record.body)["store_id"] == "store-001"
        assert "from history: sent" in response.query_one(StatusLine).parts.notes
        # Mark both and compare their answers.
        await pilot.press("f3")
        await pilot.press(*["backspace"] * 9)
        await wait_until(pilot, lambda: len(rows(history)) == 3, "the whole list")
        await pilot.press("down", "space", "down", "space", "d")
        await wait_until(pilot, lambda: isinstance(app.screen, DiffDialog), "the comparison")
        lines = app.screen.query_one("#diff-lines", OptionList)
        first = str(lines.get_option_at_index(0).prompt)
        assert first.startswith('~ .store_id: "store-001" → "store-002"')
        await pilot.press("escape")


async def test_a_capture_is_reused_and_listed(build_app: AppFactory, profiles_file: Path, notes: Notes) -> None:
    app = build_app(config=profiles_file, profile="sandbox")
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        listing = RequestSpec(
            name="orders", url="{{api_url}}/api/v1/orders", params={"count": "3"}, capture={"oid": ".items[1].order_id"}
        )
        pane = await send(pilot, app, listing)
        assert pane.record is not None
        oid = json.loads(pane.record.body)["items"][1]["order_id"]
        await wait_until(pilot, lambda: app.main.session.captured.get("oid") == oid, "the capture")
        # The note reaches the app a moment after the value is kept.
        await wait_until(pilot, lambda: notes.find("Captured") is not None, "the Captured note")
        pane = await send(pilot, app, RequestSpec(name="order", url="{{api_url}}/api/v1/orders/{{oid}}"))
        assert pane.record is not None and json.loads(pane.record.body)["order_id"] == oid
        # By hand: the line under the cursor of the body.
        body = pane.query_one("#response-body", BodyView)
        await wait_until(pilot, lambda: body.line_count > 3, "the body")
        line = next(i for i in range(body.line_count) if '"store_id"' in body.document.line(i))
        body.cursor_line = line
        body.focus()
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, TextPrompt), "the value prompt")
        assert app.screen.query_one(Input).value.startswith("store-")
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen.query_one(Input).value == "store_id", "the name prompt")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "store_id" in app.main.session.captured, "the manual capture")
        await pilot.press("f5")
        await wait_until(pilot, lambda: isinstance(app.screen, VariablesDialog), "the Variables view")
        shown = app.screen.query_one("#variables-list", OptionList)
        texts = [str(shown.get_option_at_index(i).prompt) for i in range(shown.option_count)]
        assert any(t.strip().startswith("{{oid}}") and oid in t for t in texts)
        await pilot.press("delete", "escape")
        await wait_until(pilot, lambda: "oid" not in app.main.session.captured, "the forgotten value")


async def test_the_variables_view_edits_adds_removes_and_clears_session_values(
    build_app: AppFactory, profiles_file: Path
) -> None:
    app = build_app(config=profiles_file, profile="sandbox")
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        session = app.main.session
        session.captured.update({"order_id": "ord-1", "sku": "s-1"})
        await pilot.press("f5")
        await wait_until(pilot, lambda: isinstance(app.screen, VariablesDialog), "the Variables view")
        dialog = app.screen
        # The first session value is under the cursor: enter edits it.
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, TextPrompt), "the value prompt")
        assert app.screen.query_one(Input).value == "ord-1"
        app.screen.query_one(Input).value = "ord-2"
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is dialog and dialog.values["order_id"] == "ord-2", "the edit")
        # a adds one: its name, then its value.
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, TextPrompt), "the name prompt")
        await pilot.press(*"bad name", "enter")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt), "a name {{name}} cannot use is refused"
        name_prompt = app.screen
        app.screen.query_one(Input).value = "store_id"
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, TextPrompt) and app.screen is not name_prompt, "value")
        app.screen.query_one(Input).value = "store-003"
        await pilot.press("enter")
        await wait_until(pilot, lambda: dialog.values.get("store_id") == "store-003", "the added value")
        # The profile's and built-in variables are listed below, with where they come from.
        shown = dialog.query_one("#variables-list", OptionList)
        texts = [str(shown.get_option_at_index(i).prompt) for i in range(shown.option_count)]
        assert any("{{api_url}}" in t and "built-in" in t for t in texts)
        # x removes the value under the cursor (the added one), then the view closes and the session has the rest.
        await pilot.press("x", "escape")
        await wait_until(pilot, lambda: app.screen is not dialog, "the view closed")
        assert session.captured == {"order_id": "ord-2", "sku": "s-1"}
        # C clears them all.
        await pilot.press("f5")
        await wait_until(pilot, lambda: isinstance(app.screen, VariablesDialog), "the Variables view again")
        await pilot.press("C", "escape")
        await wait_until(pilot, lambda: session.captured == {}, "the cleared values")


async def test_a_filter_is_remembered_with_the_request(build_app: AppFactory, profiles_file: Path) -> None:
    app = build_app(config=profiles_file, profile="sandbox")
    async with app.run_test(size=SIZE) as pilot:
        pane = await send(pilot, app, RequestSpec(name="stores", url="{{api_url}}/v0/stores"))
        pane.query_one("#response-body", BodyView).focus()
        await pilot.press("|", *".items | length", "enter")
        await wait_until(pilot, lambda: pane.filter == ".items | length", "the filter")
        composer = app.main.query_one(RequestComposer)
        # The pane tells the composer by a message, handled after the result is on show.
        await wait_until(pilot, lambda: composer.current_spec().filter == ".items | length", "the filter kept")
        assert composer.dirty
        # Sent again, the answer comes back filtered.
        app.main.action_send()
        await wait_until(pilot, lambda: pane.filter == ".items | length", "the filter applied again")
        body = pane.query_one("#response-body", BodyView)
        await wait_until(pilot, lambda: body.document.line(0) == "20", "the filtered result")


async def test_fetch_all_pages_into_one_answer(build_app: AppFactory, profiles_file: Path) -> None:
    app = build_app(config=profiles_file, profile="sandbox")
    async with app.run_test(size=SIZE) as pilot:
        spec = RequestSpec(
            name="products", url="{{api_url}}/api/v1/catalog/products", params={"per_page": "25"},
            paginate=Paginate(style="link"),
        )  # fmt: skip
        app.main.query_one(RequestComposer).load(spec)
        await pilot.press("f7")
        pane = app.main.query_one(ResponsePane)
        await wait_until(pilot, lambda: pane.record is not None, "the combined answer")
        assert pane.record is not None and len(json.loads(pane.record.body)) == 60
        assert "3 pages combined: 60 items" in pane.query_one(StatusLine).parts.notes
        # A plain send asks for one page.
        await pilot.press("ctrl+j")
        await wait_until(pilot, lambda: pane.record is not None and len(json.loads(pane.record.body)) == 25, "a page")


async def test_a_send_right_after_an_answer_waits_for_its_captures(
    build_app: AppFactory, profiles_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The capture of the first answer is held back (as jq on a big body would be): a send made meanwhile waits
    # for it, so {{oid}} is the value just captured and not "unknown variable".
    from explorer.core import checks

    release = threading.Event()
    take = checks.take_captures

    def slow_take(*args: Any, **kwargs: Any) -> Any:
        release.wait(10)
        return take(*args, **kwargs)

    monkeypatch.setattr(checks, "take_captures", slow_take)
    app = build_app(config=profiles_file, profile="sandbox")
    async with app.run_test(size=SIZE) as pilot:
        listing = RequestSpec(
            name="orders", url="{{api_url}}/api/v1/orders", params={"count": "3"}, capture={"oid": ".items[1].order_id"}
        )
        pane = await send(pilot, app, listing)
        assert pane.record is not None
        oid = json.loads(pane.record.body)["items"][1]["order_id"]
        first = pane.record
        app.main.requests.send(RequestSpec(name="order", url="{{api_url}}/api/v1/orders/{{oid}}"))
        await pilot.pause(0.2)
        assert pane.record is first and "oid" not in app.main.session.captured  # still waiting
        release.set()
        await wait_until(pilot, lambda: pane.record not in (None, first), "the second answer")
        assert pane.record is not None and pane.record.status == 200
        assert json.loads(pane.record.body)["order_id"] == oid


async def test_the_demos_sends_are_in_its_own_history_not_the_users(build_app: AppFactory) -> None:
    from explorer.app.demo import demo_history_path
    from explorer.core.tokens import TokenState
    from explorer.core.userpaths import history_path
    from explorer.ui.widgets.token_panel import TokenPanel

    users = history_path()
    assert users is not None
    app = build_app(demo=True)
    async with app.run_test(size=SIZE) as pilot:
        panel = app.main.query_one(TokenPanel)
        await wait_until(pilot, lambda: panel.state is TokenState.VALID, "a live demo token")
        await send(pilot, app, RequestSpec(name="stores", url="{{api_url}}/v0/stores"))
        await pilot.press("f3")
        history = app.main.query_one(HistoryPane)
        await wait_until(pilot, lambda: len(rows(history)) == 2, "the demo's history")
        assert "/v0/stores" in rows(history)[1]
    assert demo_history_path().exists()
    assert not users.exists(), "the demo wrote to the user's history"
