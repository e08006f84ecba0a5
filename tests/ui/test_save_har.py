"""Saving the exchange on show as HAR 1.2: from the response pane's key and the palette, credentials masked."""

from __future__ import annotations

import json
from pathlib import Path

from explorer.core.model import RequestSpec
from explorer.ui.dialogs.confirm import ConfirmDialog
from explorer.ui.dialogs.text_prompt import TextPrompt
from explorer.ui.widgets.composer import RequestComposer
from explorer.ui.widgets.response import ResponsePane

from .conftest import SIZE, AppFactory, Notes, wait_until


async def test_h_saves_the_exchange_and_the_token_exchange_redacted(
    build_app: AppFactory, profiles_file: Path, tmp_path: Path, notes: Notes
) -> None:
    app = build_app(config=profiles_file, profile="sandbox")
    target = tmp_path / "out" / "bug.har"
    target.parent.mkdir()
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        assert "response: save exchange as HAR" not in {c.name for c in app.main.palette_commands()}
        composer = app.main.query_one(RequestComposer)
        composer.load(RequestSpec(url="{{api_url}}/v0/stores", params={"count": "2"}))
        await pilot.press("ctrl+j")
        pane = app.main.query_one(ResponsePane)
        await wait_until(pilot, lambda: pane.record is not None, "a response")
        token = app.main.session.shown_token()
        assert token is not None
        pane.query_one("#response-body").focus()
        await pilot.press("h")
        await wait_until(pilot, lambda: isinstance(app.screen, TextPrompt), "the path prompt")
        prompt = app.screen.query_one("#prompt-input")
        assert prompt.value.startswith("~/explorer-200-") and prompt.value.endswith(".har")  # type: ignore[attr-defined]
        prompt.value = str(target)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await wait_until(pilot, lambda: notes.find("HAR saved") is not None, "the HAR written")
        text = target.read_text()
        assert token.access_token not in text and "demo-secret" not in text
        har = json.loads(text)["log"]
        assert har["version"] == "1.2"
        urls = [e["request"]["url"] for e in har["entries"]]
        assert urls[0].endswith("/protocol/openid-connect/token") and "/v0/stores" in urls[-1]
        assert har["entries"][-1]["response"]["status"] == 200
        assert target.stat().st_mode & 0o777 == 0o600
        # Again to the same file: asked first, and "Keep it" (focused) keeps it.
        commands = {c.name: c for c in app.main.palette_commands()}
        commands["response: save exchange as HAR"].run()
        await wait_until(pilot, lambda: isinstance(app.screen, TextPrompt), "the path prompt")
        app.screen.query_one("#prompt-input").value = str(target)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the replace question")
        await pilot.press("enter")
        await pilot.pause(0.1)
        assert target.read_text() == text
