"""The token pane against a real sandbox: fetch on choosing a profile, countdown, expiry, actions, secrets."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Label, ListView

from explorer.core.model import RequestSpec
from explorer.core.tokens import TokenState
from explorer.sandbox import SandboxServer
from explorer.ui.dialogs.secret_prompt import SecretPrompt
from explorer.ui.dialogs.token_details import TokenDetails
from explorer.ui.widgets.composer import RequestComposer
from explorer.ui.widgets.profile_list import ProfileList
from explorer.ui.widgets.token_panel import TokenFacts, TokenPanel

from .conftest import SIZE, AppFactory, Notes, wait_until


def text(panel: TokenPanel, selector: str) -> str:
    return str(panel.query_one(selector, Label).content)


def fact(panel: TokenPanel, name: str) -> str:
    """A one-line row of the pane ("client", "issuer", …) as shown: the value after the row's label."""
    facts = panel.query_one(TokenFacts)
    for line in str(facts.render()).splitlines():
        label, _, value = line.partition(" ")
        if label == name:
            return value.strip()
    raise AssertionError(f"no {name!r} row in the token pane")


async def test_choosing_a_profile_fetches_a_token_and_shows_its_scopes(
    build_app: AppFactory, profiles_file: Path
) -> None:
    app = build_app(config=profiles_file)
    async with app.run_test(size=SIZE) as pilot:
        panel = app.main.query_one(TokenPanel)
        assert panel.state is TokenState.NONE
        listview = app.main.query_one("#profile-listview", ListView)
        listview.focus()
        await pilot.pause()
        # The cursor starts on the first profile of the first company ("demo": sandbox, staging, production).
        await pilot.press("enter")
        await wait_until(pilot, lambda: panel.state is TokenState.VALID, "a valid token")
        assert app.main.session.active is not None and app.main.session.active.name == "sandbox"
        assert "VALID" in text(panel, "#token-state")
        assert "stores:read" in text(panel, "#token-scopes")
        assert "customer:profile:read,write" in text(panel, "#token-scopes")
        assert fact(panel, "client") == "explorer-demo"
        assert "demo-sandbox" in fact(panel, "issuer")
        assert fact(panel, "fetched").startswith("in ")
        assert text(panel, "#token-countdown").startswith("00:0")
        # The active profile is marked and the header names it.
        assert app.main.query_one(ProfileList).query(".-active")
        assert "sandbox" in str(app.main.query_one("#topbar-profile", Label).content)


async def test_legacy_client_shows_no_scopes(build_app: AppFactory, profiles_file: Path) -> None:
    app = build_app(config=profiles_file, profile="legacy")
    async with app.run_test(size=SIZE) as pilot:
        panel = app.main.query_one(TokenPanel)
        await wait_until(pilot, lambda: panel.state is TokenState.VALID, "a valid token")
        assert text(panel, "#token-scopes") == "legacy client: no scopes"
        assert str(app.main.query_one("#topbar-stage", Label).content) == "STAGING"


async def test_countdown_goes_down_as_the_clock_moves(
    build_app: AppFactory, clocked_profiles_file: Path, clock
) -> None:
    app = build_app(config=clocked_profiles_file, profile="sandbox", clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        panel = app.main.query_one(TokenPanel)
        await wait_until(pilot, lambda: panel.state is TokenState.VALID, "a valid token")
        assert text(panel, "#token-countdown") == "00:05:00"
        clock.advance(60)
        panel.refresh_countdown()
        assert text(panel, "#token-countdown") == "00:04:00"
        clock.advance(215)
        panel.refresh_countdown()
        assert text(panel, "#token-countdown") == "00:00:25"
        assert panel.state is TokenState.EXPIRING
        assert "EXPIRING" in text(panel, "#token-state")


async def test_expired_token_is_refetched_on_the_next_request(
    build_app: AppFactory, clocked_profiles_file: Path, clocked_sandbox: SandboxServer, clock, notes: Notes
) -> None:
    app = build_app(config=clocked_profiles_file, profile="sandbox", clock=clock)
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        panel = app.main.query_one(TokenPanel)
        await wait_until(pilot, lambda: panel.state is TokenState.VALID, "a valid token")
        first = panel.token
        clock.advance(301)
        panel.refresh_countdown()
        assert panel.state is TokenState.EXPIRED
        assert "EXPIRED" in text(panel, "#token-state")
        assert text(panel, "#token-countdown") == "00:00:00"
        before = clocked_sandbox.token_requests
        app.main.query_one(RequestComposer).load(RequestSpec(url="{{api_url}}/v0/stores"))
        await pilot.press("ctrl+j")
        await wait_until(pilot, lambda: app.main.query_one("ResponsePane").record is not None, "a response")
        assert app.main.query_one("ResponsePane").record.status == 200
        assert clocked_sandbox.token_requests == before + 1
        assert panel.state is TokenState.VALID
        assert panel.token is not None and first is not None
        assert panel.token.access_token != first.access_token
        assert "re-fetched" in text(panel, "#token-note")
        assert "after it expired" in text(panel, "#token-note")


async def test_auto_refresh_renews_the_token_ahead_of_expiry(
    build_app: AppFactory, clocked_profiles_file: Path, clock
) -> None:
    app = build_app(config=clocked_profiles_file, profile="sandbox", clock=clock, auto_refresh=True)
    async with app.run_test(size=SIZE) as pilot:
        panel = app.main.query_one(TokenPanel)
        await wait_until(pilot, lambda: panel.state is TokenState.VALID, "a valid token")
        first = panel.token
        clock.advance(240)
        await pilot.pause(1.2)
        assert panel.token is first, "no renewal while a good part of the lifetime is left"
        clock.advance(35)
        await wait_until(pilot, lambda: panel.token is not first and panel.state is TokenState.VALID, "a renewal")
        assert "ahead of expiry" in text(panel, "#token-note")


async def test_a_forgotten_token_stays_forgotten_until_the_user_fetches(
    build_app: AppFactory, clocked_profiles_file: Path, clocked_sandbox: SandboxServer, clock
) -> None:
    app = build_app(config=clocked_profiles_file, profile="sandbox", clock=clock, auto_refresh=True)
    async with app.run_test(size=SIZE) as pilot:
        panel = app.main.query_one(TokenPanel)
        await wait_until(pilot, lambda: panel.state is TokenState.VALID, "a valid token")
        fetched = clocked_sandbox.token_requests
        # The pane is one stop in the tab order, and its keys do what its buttons do.
        panel.focus()
        await pilot.press("x")
        await pilot.pause()
        assert panel.state is TokenState.NONE
        clock.advance(5)
        await pilot.pause(2.5)
        assert panel.state is TokenState.NONE, "auto-refresh left the forgotten token alone"
        assert clocked_sandbox.token_requests == fetched
        await pilot.press("f")
        await wait_until(pilot, lambda: panel.state is TokenState.VALID, "the token fetched on request")
        assert clocked_sandbox.token_requests == fetched + 1


async def test_copy_details_and_forget(build_app: AppFactory, profiles_file: Path, notes: Notes) -> None:
    app = build_app(config=profiles_file, profile="sandbox")
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        panel = app.main.query_one(TokenPanel)
        await wait_until(pilot, lambda: panel.state is TokenState.VALID, "a valid token")
        token = panel.token
        assert token is not None
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert app.clipboard == token.access_token
        copied = notes.find("Token copied")
        assert copied is not None and token.access_token not in copied.message

        await pilot.press("f2")
        await wait_until(
            pilot, lambda: isinstance(app.screen, TokenDetails) and app.screen.query(".details--body"), "the details"
        )
        assert token.access_token not in str(app.screen.query_one(".details--body").content)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is app.main, "the dialog to close")

        app.main.action_token_forget()
        await pilot.pause()
        assert panel.state is TokenState.NONE
        assert app.main.check_action("token_copy", ()) is None


async def test_prompted_secret_is_asked_in_a_masked_input(build_app: AppFactory, profiles_file: Path) -> None:
    app = build_app(config=profiles_file, profile="asker")
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(
            pilot, lambda: isinstance(app.screen, SecretPrompt) and app.screen.query("#secret-input"), "the prompt"
        )
        field = app.screen.query_one("#secret-input", Input)
        assert field.password
        await pilot.press(*"demo-secret", "enter")
        panel = app.main.query_one(TokenPanel)
        await wait_until(pilot, lambda: panel.state is TokenState.VALID, "a valid token")


async def test_wrong_secret_is_a_titled_error_and_the_app_carries_on(
    build_app: AppFactory, profiles_file: Path, notes: Notes
) -> None:
    app = build_app(config=profiles_file, profile="wrong")
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        panel = app.main.query_one(TokenPanel)
        await wait_until(pilot, lambda: panel.state is TokenState.ERROR, "the error state")
        failure = notes.find("Token request failed")
        assert failure is not None and failure.severity == "error"
        assert "ERROR" in text(panel, "#token-state")
        app.main.profiles.switch("sandbox")
        await wait_until(pilot, lambda: panel.state is TokenState.VALID, "a valid token after switching")
