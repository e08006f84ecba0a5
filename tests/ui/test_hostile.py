"""The app against a hostile server: it stays up, every failure is one clean notification, escape cancels, and
nothing a server sends reaches the terminal as a control sequence."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.segment import Segment
from textual.color import Color
from textual.widgets import ContentSwitcher, Static

from explorer.core.model import RequestSpec
from explorer.ui.terminal_safety import ControlFilter
from explorer.ui.widgets.response import ResponsePane
from tests.hostile_server import NASTY, HostileServer, assert_clean, hostile_profiles_toml

from .conftest import SIZE, AppFactory, Notes, wait_until

TOKEN_FAULTS = ["error-esc", "error-markup", "token-crlf", "bomb"]


@pytest.fixture
def hostile_config(tmp_path: Path, hostile: HostileServer) -> Path:
    path = tmp_path / "profiles.toml"
    path.write_text(hostile_profiles_toml(hostile, [*TOKEN_FAULTS, "ok"], extra="timeout = 2\nmax_body_mb = 1\n"))
    return path


def _clean_notes(notes: Notes) -> None:
    for note in notes.seen:
        assert_clean(note.title)
        assert_clean(note.message.replace("\n", " "))
        assert not note.markup


@pytest.mark.parametrize("fault", TOKEN_FAULTS)
async def test_a_bad_token_endpoint_is_one_clean_notification(
    build_app: AppFactory, hostile_config: Path, notes: Notes, fault: str
) -> None:
    app = build_app(config=hostile_config, profile=fault)
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        await wait_until(pilot, lambda: any(n.severity == "error" for n in notes.seen), "an error notification")
        assert app.is_running
        _clean_notes(notes)
        if fault == "error-esc":
            assert any("\\x1b[31mred" in n.message for n in notes.seen)
        if fault == "error-markup":
            assert any("[link=https://evil.example]" in n.message for n in notes.seen)


@pytest.mark.parametrize("fault", ["body-esc", "bad-gzip", "bomb", "reason-esc"])
async def test_a_bad_api_answer_keeps_the_app_up(
    build_app: AppFactory, hostile_config: Path, hostile: HostileServer, notes: Notes, fault: str
) -> None:
    app = build_app(config=hostile_config, profile="ok")
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        await wait_until(pilot, lambda: app.main.session.active is not None, "the profile")
        pane = app.main.query_one(ResponsePane)
        app.main.requests.send(RequestSpec(name=f"r{NASTY}", url=hostile.api_url(fault)))
        states = pane.query_one("#response-states", ContentSwitcher)
        await wait_until(pilot, lambda: pane._record is not None or states.current == "response-error", "the answer")
        await pilot.pause(0.2)
        assert app.is_running
        _clean_notes(notes)
        # A failed send is said once, in the response pane (not in a toast as well): its words are clean too.
        # The error view is built with the first error: after an answer there may be none.
        found = [pane.query(f"#error-{part}") for part in ("title", "message")]
        shown = " ".join(str(parts.first(Static).render()) for parts in found if parts)
        assert_clean(shown.replace("\n", " "))
        if fault in ("bad-gzip", "bomb", "endless"):
            assert states.current == "response-error", shown


async def test_escape_cancels_a_request_that_drips(
    build_app: AppFactory, hostile_config: Path, hostile: HostileServer, notes: Notes
) -> None:
    app = build_app(config=hostile_config, profile="ok")
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        await wait_until(pilot, lambda: app.main.session.active is not None, "the profile")
        app.main.requests.send(RequestSpec(name="drip", url=hostile.api_url("drip")))
        await wait_until(pilot, lambda: app.main.requests.busy, "the request to start")
        await pilot.pause(0.3)
        await pilot.press("escape")
        await wait_until(pilot, lambda: not app.main.requests.busy, "the request to stop", timeout=1.5)
        body = app.main.query_one(ResponsePane).query_one("#response-body")
        assert str(body.placeholder).startswith("Cancelled.")  # type: ignore[attr-defined]
        assert app.is_running


def test_the_last_guard_drops_control_characters_without_changing_widths() -> None:
    line = [Segment("ok "), Segment(f"a{NASTY}b"), Segment("\u202eevil")]
    filtered = ControlFilter().apply(line, Color(0, 0, 0))
    text = "".join(segment.text for segment in filtered)
    assert_clean(text)
    assert sum(segment.cell_length for segment in filtered) == sum(segment.cell_length for segment in line)
    untouched = [Segment("plain text")]
    assert ControlFilter().apply(untouched, Color(0, 0, 0)) is untouched
