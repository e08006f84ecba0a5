"""No edit lost without a question: edits kept per request for the session, marked, and asked about on quit."""

from __future__ import annotations

import shutil
from pathlib import Path

from textual.widgets import Input, Static

from explorer.core.collections import load_collection
from explorer.resources import sample_collection_path
from explorer.ui.dialogs.unsaved import UnsavedDialog
from explorer.ui.widgets.collection_tree import CollectionTree
from explorer.ui.widgets.composer import RequestComposer
from explorer.ui.widgets.footer import KeysFooter

from .conftest import AppFactory


def _copy(tmp_path: Path) -> Path:
    path = tmp_path / "mine.toml"
    shutil.copy(sample_collection_path(), path)
    return path


async def _edit_first_request(app: object, pilot: object) -> tuple[str, str]:
    main = app.main
    composer = main.query_one(RequestComposer)
    url = composer.query_one("#url", Input)
    composer.focus_url()
    await pilot.press("end", *"?mine=1")
    await pilot.pause(0.5)
    return main.collection.requests[0].name, url.value


async def test_edits_survive_opening_another_request_and_are_marked(build_app: AppFactory, tmp_path: Path) -> None:
    app = build_app(collection=_copy(tmp_path))
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        main = app.main
        name, edited_url = await _edit_first_request(app, pilot)
        composer = main.query_one(RequestComposer)
        assert composer.dirty
        assert "modified" in str(composer.query_one("#resolved").render())
        tree = main.query_one(CollectionTree)
        assert tree.query_one("#collection-nodes").modified == {name}

        main.collections.open(1)
        await pilot.pause()
        assert not composer.dirty
        assert composer.query_one("#url", Input).value != edited_url
        main.collections.open(0)
        await pilot.pause()
        assert composer.dirty
        assert composer.query_one("#url", Input).value == edited_url
        # Undoing the edit by hand is no edit any more.
        composer.query_one("#url", Input).value = composer.loaded.url
        await pilot.pause(0.5)
        assert not composer.dirty
        assert tree.query_one("#collection-nodes").modified == set()


async def test_quit_asks_and_save_all_writes_the_edits(build_app: AppFactory, tmp_path: Path) -> None:
    path = _copy(tmp_path)
    app = build_app(collection=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        name, edited_url = await _edit_first_request(app, pilot)
        app.main.collections.open(2)
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, UnsavedDialog)
        # Cancel has the focus: Enter stays.
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running and app.screen is app.main
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause(0.5)
    saved = load_collection(path)
    assert saved.requests[0].name == name
    assert saved.requests[0].url == edited_url


async def test_quit_can_discard(build_app: AppFactory, tmp_path: Path) -> None:
    path = _copy(tmp_path)
    before = path.read_bytes()
    app = build_app(collection=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await _edit_first_request(app, pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, UnsavedDialog)
        await pilot.press("d")
        await pilot.pause()
        assert not app.is_running
    assert path.read_bytes() == before


async def test_a_second_ctrl_q_quits_discarding_and_the_dialog_says_so(build_app: AppFactory, tmp_path: Path) -> None:
    path = _copy(tmp_path)
    before = path.read_bytes()
    app = build_app(collection=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await _edit_first_request(app, pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, UnsavedDialog)
        assert "ctrl+q again to quit without saving" in str(dialog.query_one(".dialog--prompt", Static).content)
        # Its own keys in its footer, the second ctrl+q among them.
        shown = {key.key: key.description for key in dialog.query_one(KeysFooter).entries}
        assert shown.get("ctrl+q") == "Quit, discarding" and shown.get("escape") == "Cancel", shown
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running
    assert path.read_bytes() == before


async def test_ctrl_q_while_asked_about_opening_another_collection_asks_about_quitting(
    build_app: AppFactory, tmp_path: Path
) -> None:
    path = _copy(tmp_path)
    app = build_app(collection=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await _edit_first_request(app, pilot)
        app.push_screen(UnsavedDialog("Open another collection", ["x"], can_save=True))
        await pilot.pause()
        assert "ctrl+q" not in {key.key for key in app.screen.query_one(KeysFooter).entries}
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, UnsavedDialog) and app.screen.quitting
        assert app.is_running
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.main and app.is_running


async def test_the_read_only_sample_offers_no_save_all(build_app: AppFactory) -> None:
    app = build_app(collection=sample_collection_path())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await _edit_first_request(app, pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, UnsavedDialog)
        assert not app.screen.query("#unsaved-save")
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, UnsavedDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running
