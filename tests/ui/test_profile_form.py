"""Profiles made in the app: the form (new, test, edit), delete, and what reaches the profiles file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from textual.widgets import Input, Select

from explorer.core.profiles import load_profiles
from explorer.sandbox import SandboxServer
from explorer.ui.app import ExplorerApp
from explorer.ui.dialogs.confirm import ConfirmDialog
from explorer.ui.dialogs.profile_form import ProfileForm, tenant_for
from explorer.ui.widgets.profile_list import ProfileList

from .conftest import SIZE, AppFactory, Notes, profiles_toml, wait_until

HEADER = '# My profiles: keep this comment\ndefault_profile = "sandbox"\n\n'


@pytest.fixture
def commented_profiles(tmp_path: Path, sandbox: SandboxServer) -> Path:
    path = tmp_path / "profiles.toml"
    text = profiles_toml(sandbox).replace(
        "[profiles.legacy]\n", "# the old client, kept for reports\n[profiles.legacy]\n"
    )
    path.write_text(HEADER + text, encoding="utf-8")
    return path


def fill(form: ProfileForm, **fields: str) -> None:
    for key, value in fields.items():
        widget = form.query_one(f"#pf-{key.replace('_', '-')}")
        if isinstance(widget, Select):
            widget.value = value
        else:
            assert isinstance(widget, Input)
            widget.value = value


def status(form: ProfileForm) -> str:
    return str(form.query_one("#pf-status").render())


async def choose(app: ExplorerApp, pilot, name: str) -> None:  # type: ignore[no-untyped-def]
    """Put the list's cursor on `name` once the session has started (its start opens the default profile)."""
    await wait_until(pilot, lambda: app.main.session.ready, "the session")
    await pilot.pause()
    app.main.query_one(ProfileList).set_active(name)


async def open_form(app: ExplorerApp, pilot, key: str) -> ProfileForm:  # type: ignore[no-untyped-def]
    app.main.query_one(ProfileList).focus_list()
    await pilot.press(key)
    await wait_until(pilot, lambda: isinstance(app.screen, ProfileForm), "the profile form")
    assert isinstance(app.screen, ProfileForm)
    return app.screen


def test_company_and_stage_give_the_tenant() -> None:
    assert tenant_for("acme", "sandbox") == "acme-sandbox"
    assert tenant_for(" acme ", "staging") == "acme-staging"
    assert tenant_for("acme", "production") == "acme"


async def test_new_profile_tested_against_the_sandbox_then_saved_keeping_comments(
    build_app: AppFactory,
    commented_profiles: Path,
    sandbox: SandboxServer,
    notes: Notes,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FORM_TEST_SECRET", "demo-secret")
    app = build_app(config=commented_profiles, profile="sandbox")
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        form = await open_form(app, pilot, "n")
        # A new profile starts from the active one's server and company, not its client.
        assert form.query_one("#pf-company", Input).value == "demo"
        assert form.query_one("#pf-client-id", Input).value == ""
        assert str(form.query_one("#pf-tenant").render()) == "demo-sandbox"
        fill(form, stage="staging")
        await pilot.pause()
        assert str(form.query_one("#pf-tenant").render()) == "demo-staging"
        assert "/auth/realms/demo-staging/" in form.query_one("#pf-token-url", Input).placeholder
        fill(form, name="made-here", stage="sandbox", client_id="explorer-demo", scopes="stores:read orders:read")
        fill(form, source="env", env="FORM_TEST_SECRET", secret="demo-secret")
        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: "Token granted" in status(form), "the test's token")
        assert "stores:read" in status(form) and "orders:read" in status(form)
        fill(form, secret="wrong")
        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: "Token granted" not in status(form) and status(form).strip(), "the refusal")
        assert "secret" in status(form).lower()
        fill(form, secret="demo-secret")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: notes.find("Profile saved") is not None, "the save")
        text = commented_profiles.read_text()
        assert text.startswith(HEADER) and "# the old client, kept for reports\n[profiles.legacy]" in text
        assert '[profiles.made-here]\ntenant = "demo-sandbox"\nclient_id = "explorer-demo"\n' in text
        assert 'client_secret = "env:FORM_TEST_SECRET"' in text
        assert text.count("demo-secret") == profiles_toml(sandbox).count("demo-secret")
        made = load_profiles(commented_profiles).profiles["made-here"]
        assert made.scopes == ("stores:read", "orders:read") and made.auth_url == sandbox.base_url
        # The new profile is listed and active.
        assert "made-here" in app.main.query_one(ProfileList).profile_names
        assert app.main.session.shown_profile is not None
        assert app.main.session.shown_profile.name == "made-here"


async def test_form_says_what_to_fix_and_stays_open(build_app: AppFactory, commented_profiles: Path) -> None:
    before = commented_profiles.read_text()
    app = build_app(config=commented_profiles, profile="sandbox")
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(app, pilot, "n")
        await pilot.press("ctrl+s")
        assert "name" in status(form).lower() and form.query_one("#pf-status").has_class("-error")
        cases = [
            ({"name": "legacy"}, "already a profile named"),
            ({"name": "bad name!"}, "cannot be a profile name"),
            ({"name": "ok", "company": ""}, "company"),
            ({"company": "acme", "client_id": ""}, "client id"),
            ({"client_id": "c", "auth_url": "ftp://x"}, "http"),
            ({"auth_url": "https://id.example.com", "source": "env", "env": "1BAD"}, "environment variable"),
            ({"source": "keyring", "token_url": "https://a b"}, "space"),
        ]
        for fields, said in cases:
            fill(form, **fields)
            await pilot.press("ctrl+s")
            assert said in status(form).lower(), (fields, status(form))
            assert isinstance(app.screen, ProfileForm)
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, ProfileForm), "the form closed")
    assert commented_profiles.read_text() == before


async def test_edit_changes_only_that_profile_and_renames(
    build_app: AppFactory, commented_profiles: Path, notes: Notes
) -> None:
    app = build_app(config=commented_profiles, profile="sandbox")
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        await choose(app, pilot, "legacy")
        form = await open_form(app, pilot, "e")
        assert form.query_one("#pf-name", Input).value == "legacy"
        assert form.query_one("#pf-client-id", Input).value == "legacy-client"
        assert form.query_one("#pf-stage", Select).value == "staging"
        # The secret of a profile being edited is kept unless one is typed: the test uses it.
        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: "Token granted" in status(form), "the test's token")
        fill(form, name="reports", scopes="audit:events:read", client_auth="basic")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: notes.find("Profile saved") is not None, "the save")
    text = commented_profiles.read_text()
    assert "# the old client, kept for reports\n[profiles.reports]" in text and "[profiles.legacy]" not in text
    assert 'client_secret = "legacy-secret"' in text  # the literal the user wrote stays theirs
    profile = load_profiles(commented_profiles).profiles["reports"]
    assert profile.scopes == ("audit:events:read",) and profile.client_auth == "basic"
    assert text.startswith(HEADER)


async def test_delete_asks_with_the_safe_choice_focused(
    build_app: AppFactory, commented_profiles: Path, notes: Notes
) -> None:
    app = build_app(config=commented_profiles, profile="sandbox")
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        await choose(app, pilot, "wrong")
        app.main.query_one(ProfileList).focus_list()
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        assert app.screen.focused is not None and app.screen.focused.id == "confirm-no"
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert "[profiles.wrong]" in commented_profiles.read_text()
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        await pilot.press("y")
        await wait_until(pilot, lambda: notes.find("Profile deleted") is not None, "the deletion")
        assert "wrong" not in app.main.query_one(ProfileList).profile_names
    text = commented_profiles.read_text()
    assert "[profiles.wrong]" not in text and text.startswith(HEADER)
    assert "# the old client, kept for reports" in text


async def test_demo_form_tests_the_sandbox_and_saves_to_a_temporary_file(build_app: AppFactory, notes: Notes) -> None:
    app = build_app(demo=True)
    async with app.run_test(size=(80, 24), message_hook=notes.hook) as pilot:
        await wait_until(pilot, lambda: app.main.query_one(ProfileList).profile_names, "the demo profiles", 30)
        names = {c.name for c in app.main.palette_commands()}
        assert "profile: new" in names and not any(n.startswith("profile: delete") for n in names)
        form = await open_form(app, pilot, "n")
        fill(form, name="mine")
        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: "Token granted" in status(form), "the test's token", 20)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: notes.find("Profile saved") is not None, "the save")
        saved = app.main.profiles.editor.path
        assert saved is not None and saved.exists() and str(saved).startswith(os.path.realpath(os.sep))
        assert "[profiles.mine]" in saved.read_text()
        assert "mine" in app.main.query_one(ProfileList).profile_names
        assert "demo-sandbox" in app.main.query_one(ProfileList).profile_names
        # The demo's own profiles are not edited.
        app.main.query_one(ProfileList).set_active("demo-sandbox")
        app.main.query_one(ProfileList).focus_list()
        await pilot.press("e")
        await wait_until(pilot, lambda: notes.find("A demo profile") is not None, "the refusal")
        assert not isinstance(app.screen, ProfileForm)


async def test_a_keyring_that_refuses_leaves_the_profile_saved_and_working(
    build_app: AppFactory, commented_profiles: Path, notes: Notes
) -> None:
    # The tests' keyring backend refuses everything, as a headless machine's does.
    app = build_app(config=commented_profiles, profile="sandbox")
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        form = await open_form(app, pilot, "n")
        fill(form, name="kept", client_id="explorer-demo", source="keyring", secret="demo-secret")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: notes.find("Profile saved") is not None, "the save")
        await wait_until(pilot, lambda: any(n.severity == "warning" for n in notes.seen), "the keyring's refusal")
        assert 'client_secret = "keyring"' in commented_profiles.read_text()
        assert app.main.session.known_secret("kept") == "demo-secret"
