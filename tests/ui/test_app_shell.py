"""The app around the panes: start-up problems, the demo, the command palette, themes and bindings."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.widgets import Input, OptionList

from explorer.app.settings import load_user_settings
from explorer.core.tokens import TokenState
from explorer.sandbox import SandboxServer
from explorer.ui import app as ui_app
from explorer.ui.widgets.profile_list import ProfileList
from explorer.ui.widgets.response import ResponsePane
from explorer.ui.widgets.token_panel import TokenPanel

from .conftest import SIZE, AppFactory, Notes, profiles_toml, wait_until


async def test_without_a_profiles_file_the_app_opens_and_says_what_to_do(build_app: AppFactory, notes: Notes) -> None:
    app = build_app()
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        await pilot.pause()
        note = notes.find("No profiles yet")
        assert note is not None and "--demo" in note.message
        help_text = str(app.main.query_one(ProfileList).query_one("#profile-help").content)
        assert "explorer --demo" in help_text
        assert app.main.check_action("send", ()) is None
        assert app.main.check_action("token_copy", ()) is None


async def test_a_broken_profiles_file_is_a_titled_error_not_a_crash(
    build_app: AppFactory, tmp_path: Path, notes: Notes
) -> None:
    config = tmp_path / "profiles.toml"
    config.write_text('[profiles.x]\ntenant = "acme"\n', encoding="utf-8")
    app = build_app(config=config)
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        await pilot.pause()
        note = notes.find("Configuration error")
        assert note is not None and "profiles.x.client_id is required" in note.message
        assert note.severity == "error"
        assert app.is_running


async def test_broken_theme_files_are_reported_together(build_app: AppFactory, tmp_path: Path, notes: Notes) -> None:
    themes = tmp_path / "config" / "themes"
    themes.mkdir(parents=True)
    (themes / "one.toml").write_text('[colors]\nprimary = "red"\n', encoding="utf-8")
    (themes / "two.toml").write_text("name = ", encoding="utf-8")
    (themes / "mine.toml").write_text('[colors]\nprimary = "#336699"\n', encoding="utf-8")
    app = build_app(theme="mine")
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        await pilot.pause()
        note = notes.find("2 themes not loaded")
        assert note is not None and "one.toml" in note.message and "two.toml" in note.message
        assert app.theme == "mine"


async def test_a_send_pressed_before_the_demos_sandbox_runs_waits_for_it(
    build_app: AppFactory, notes: Notes, monkeypatch: pytest.MonkeyPatch
) -> None:
    go = threading.Event()
    start_demo = ui_app.start_demo

    def held(ttl: int) -> object:
        go.wait(10)  # the sandbox starts only once ctrl+j was pressed
        return start_demo(ttl)

    monkeypatch.setattr(ui_app, "start_demo", held)
    app = build_app(demo=True)
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        await wait_until(pilot, lambda: app.main.session.ready or app.main.profiles._opened, "the session open")
        await pilot.press("ctrl+j")
        await pilot.pause(0.2)
        assert app.demo is None
        go.set()
        pane = app.main.query_one(ResponsePane)
        await wait_until(pilot, lambda: pane.record is not None, "the answer", timeout=20)
        assert pane.record is not None and pane.record.status == 200
        assert "No profile" not in notes.titles()


async def test_demo_mode_shows_a_live_token_and_writes_nothing(build_app: AppFactory, tmp_path: Path) -> None:
    app = build_app(demo=True)
    async with app.run_test(size=SIZE) as pilot:
        panel = app.main.query_one(TokenPanel)
        await wait_until(pilot, lambda: panel.state is TokenState.VALID, "a live demo token")
        assert app.main.session.active is not None and app.main.session.active.name == "demo-sandbox"
        assert set(app.main.query_one(ProfileList).profile_names) == {
            "demo-sandbox",
            "demo-read-only",
            "demo-staging",
            "demo",
        }
        assert app.main.collection is not None and app.main.collection.name
        ttl = panel.token.ttl if panel.token else 0
        assert 170 <= ttl <= 190
        app.main.profiles.switch("demo-staging")
        await wait_until(pilot, lambda: panel.token is not None and panel.token.is_legacy, "the legacy token")
    assert not (tmp_path / "tokens.json").exists()
    assert not (tmp_path / "config" / "profiles.toml").exists()


async def test_palette_lists_the_commands(build_app: AppFactory, profiles_file: Path) -> None:
    app = build_app(config=profiles_file, profile="sandbox")
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main.query_one(TokenPanel).state is TokenState.VALID, "a token")
        names = {c.name for c in app.main.palette_commands()} | {c.name for c in app.palette_commands()}
        expected = {
            "token: fetch now",
            "token: copy",
            "token: show details",
            "token: forget",
            "request: send",
            "collection: save",
            "profile: switch to legacy",
            "profile: switch to prod",
            "theme: paper",
            "theme: forest",
        }
        assert expected <= names
        assert "profile: switch to sandbox" not in names, "no command to switch to the active profile"

        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: CommandPalette.is_open(app), "the palette")
        app.screen.query_one(Input).value = "switch to legacy"
        options = app.screen.query_one(OptionList)
        await wait_until(pilot, lambda: options.option_count > 0, "a hit")
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.main.session.active.name == "legacy", "the switch")  # type: ignore[union-attr]


async def _palette_hits(pilot: object, app: object, query: str) -> list[str]:
    """The palette's entries for `query`, in the order it shows them."""
    palette = app.screen  # type: ignore[attr-defined]
    palette.query_one(Input).value = query
    options = palette.query_one(OptionList)
    await pilot.pause()  # type: ignore[attr-defined]

    def settled() -> bool:
        gathering = any(worker.is_running for worker in palette.workers)
        return options.option_count > 0 and not gathering

    await wait_until(pilot, settled, f"hits for {query!r}")  # type: ignore[arg-type]
    return [str(options.get_option_at_index(i).prompt).split("\n")[0] for i in range(options.option_count)]


async def test_the_palette_puts_a_command_typed_in_full_first(build_app: AppFactory, profiles_file: Path) -> None:
    app = build_app(config=profiles_file, profile="sandbox")
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main.query_one(TokenPanel).state is TokenState.VALID, "a token")
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: CommandPalette.is_open(app), "the palette")
        # Longer names hold more of the letters typed, and fuzzy matching alone put them first.
        for query in ("collection: save", "Token: Copy", "request: send", "app: quit", "pane:  go to  response"):
            hits = await _palette_hits(pilot, app, query)
            assert hits[0].casefold() == " ".join(query.casefold().split()), hits
        hits = await _palette_hits(pilot, app, "collection: save")
        assert hits[1].startswith("collection: save "), hits
        # Textual's own entries are named like ours, or left out where ours do the same.
        names = await _palette_hits(pilot, app, "a")
        assert "app: save screenshot" in names
        assert not {"Keys", "Maximize", "Screenshot", "Theme", "Quit"} & set(names)


async def test_theme_command_switches_and_remembers(build_app: AppFactory, profiles_file: Path, tmp_path: Path) -> None:
    app = build_app(config=profiles_file)
    async with app.run_test(size=SIZE) as pilot:
        assert app.theme == "midnight"
        command = next(c for c in app.palette_commands() if c.name == "theme: paper")
        command.run()
        await wait_until(pilot, lambda: (tmp_path / "config" / "settings.toml").exists(), "the settings file")
        assert app.theme == "paper"
        assert app.pygments_style() == "friendly"
    settings, error = load_user_settings(tmp_path / "config" / "settings.toml")
    assert error is None and settings.theme == "paper"
    again = build_app(config=profiles_file)
    assert again.theme == "paper"


async def test_every_binding_has_an_id_and_a_description(build_app: AppFactory, profiles_file: Path) -> None:
    app = build_app(config=profiles_file)
    async with app.run_test(size=SIZE):
        for owner in (app, app.main):
            for binding in owner.BINDINGS:
                assert not isinstance(binding, tuple)
                assert binding.id and binding.description, binding


async def test_an_unknown_profile_is_reported_and_the_default_opens(
    build_app: AppFactory, tmp_path: Path, sandbox: SandboxServer, notes: Notes
) -> None:
    config = tmp_path / "profiles.toml"
    config.write_text(profiles_toml(sandbox, default="legacy"), encoding="utf-8")
    app = build_app(config=config, profile="nope")
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        await wait_until(pilot, lambda: notes.find("Unknown profile") is not None, "the unknown profile's note")
        note = notes.find("Unknown profile")
        assert note is not None and "'nope'" in note.message and "sandbox" in note.message
        assert app.main.session.active is not None and app.main.session.active.name == "legacy"


async def test_palette_entries_come_from_the_bindings_with_the_users_keys(
    build_app: AppFactory, profiles_file: Path
) -> None:
    app = build_app(config=profiles_file, profile="sandbox")
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main.query_one(TokenPanel).state is TokenState.VALID, "a token")
        keys = {c.name: c.key for c in app.main.palette_commands()} | {c.name: c.key for c in app.palette_commands()}
        assert keys["collection: save"] == "ctrl+s" and keys["token: show details"] == "f2"
        assert keys["app: quit"] == "ctrl+q"
        # Nothing to cancel, no answer to save: check_action leaves them out.
        assert "request: cancel" not in keys and "response: save body" not in keys

        app.set_keymap({"collection.save": "ctrl+w", "token.fetch": "f5"})
        commands = {c.name: c for c in app.main.palette_commands()}
        assert commands["collection: save"].key == "ctrl+w"
        assert commands["token: fetch now"].description.endswith("(f5)")

        fetches = app.main.session.active_engine.tokens.fetches  # type: ignore[union-attr]
        commands["token: fetch now"].run()
        await wait_until(
            pilot,
            lambda: app.main.session.active_engine.tokens.fetches > fetches,  # type: ignore[union-attr]
            "the fetch the entry ran",
        )
