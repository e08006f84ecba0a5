"""Collections in the app: open, save (new file and overwrite), rename/duplicate/delete, replay, broken files."""

from __future__ import annotations

import shutil
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from explorer.app.settings import load_user_settings
from explorer.core.collections import load_collection
from explorer.core.model import RequestSpec
from explorer.core.tokens import TokenState
from explorer.resources import sample_collection_path
from explorer.ui.app import ExplorerApp
from explorer.ui.dialogs.confirm import ConfirmDialog
from explorer.ui.dialogs.text_prompt import TextPrompt
from explorer.ui.widgets.collection_tree import CollectionTree
from explorer.ui.widgets.composer import RequestComposer
from explorer.ui.widgets.run_results import RunResults
from explorer.ui.widgets.tabbed import TabbedPanes
from explorer.ui.widgets.token_panel import TokenPanel

from .conftest import SIZE, AppFactory, Notes, wait_until


async def answer(pilot: Pilot[None], app: ExplorerApp, text: str | None) -> None:
    """Wait for a text prompt, type `text` over its value and submit it (None: cancel)."""
    await wait_until(
        pilot, lambda: isinstance(app.screen, TextPrompt) and bool(app.screen.query("#prompt-input")), "a prompt"
    )
    if text is None:
        await pilot.press("escape")
        return
    app.screen.query_one("#prompt-input", Input).value = text
    await pilot.press("enter")


async def test_save_creates_a_collection_file_that_opens_again(
    build_app: AppFactory, profiles_file: Path, tmp_path: Path, notes: Notes
) -> None:
    target = tmp_path / "work" / "orders.toml"
    app = build_app(config=profiles_file, profile="sandbox")
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        composer = app.main.query_one(RequestComposer)
        composer.load(RequestSpec(url="{{api_url}}/api/v1/orders", params={"status": "open"}))
        await pilot.press("ctrl+s")
        await answer(pilot, app, str(target))
        await answer(pilot, app, "Open orders")
        await answer(pilot, app, "Orders")
        await wait_until(pilot, lambda: notes.find("Collection saved") is not None, "the save")
        assert app.main.collection is not None and app.main.collection.path == target
        assert app.main.collections.loaded_index == 0
    saved = load_collection(target)
    assert saved.name == "Orders"
    assert [(r.name, r.folder, r.params) for r in saved.requests] == [("Open orders", "Orders", {"status": "open"})]
    settings, _ = load_user_settings(tmp_path / "config" / "settings.toml")
    assert settings.last_collection == target

    # Next time the app opens the same collection by itself.
    again = build_app(config=profiles_file, profile="sandbox")
    async with again.run_test(size=SIZE) as pilot:
        assert again.main.collection is not None and again.main.collection.path == target
        assert again.main.query_one(CollectionTree).collection is again.main.collection
        assert again.main.query_one(RequestComposer).current_spec().url == "{{api_url}}/api/v1/orders"


async def test_save_overwrites_the_loaded_request(
    build_app: AppFactory, profiles_file: Path, tmp_path: Path, notes: Notes
) -> None:
    path = tmp_path / "mine.toml"
    shutil.copy(sample_collection_path(), path)
    app = build_app(config=profiles_file, profile="sandbox", collection=path)
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        first = app.main.collection.requests[0]  # type: ignore[union-attr]
        composer = app.main.query_one(RequestComposer)
        edited = composer.current_spec()
        edited.params = {"count": "3"}
        composer.load(edited)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: notes.find("Collection saved") is not None, "the save")
    saved = load_collection(path)
    assert saved.requests[0].name == first.name
    assert saved.requests[0].params == {"count": "3"}
    assert len(saved.requests) == len(load_collection(sample_collection_path()).requests)


async def test_a_request_loaded_from_elsewhere_is_saved_as_a_new_one(
    build_app: AppFactory, profiles_file: Path, tmp_path: Path, notes: Notes
) -> None:
    path = tmp_path / "mine.toml"
    shutil.copy(sample_collection_path(), path)
    count = len(load_collection(path).requests)
    app = build_app(config=profiles_file, profile="sandbox", collection=path)
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        # The collection's first request is open; a pane (a catalogue, the history) puts another in the composer.
        assert app.main.collections.loaded_index == 0
        app.main.collections.load_request(RequestSpec(method="DELETE", url="{{api_url}}/v0/stores/9"))
        assert app.main.collections.loaded_index is None
        await pilot.press("ctrl+s")
        await answer(pilot, app, "Remove store")
        await answer(pilot, app, "")
        await wait_until(pilot, lambda: notes.find("Collection saved") is not None, "the save")
    saved = load_collection(path)
    assert len(saved.requests) == count + 1
    assert saved.requests[0] == load_collection(sample_collection_path()).requests[0]
    assert (saved.requests[-1].name, saved.requests[-1].method) == ("Remove store", "DELETE")


async def test_rename_duplicate_and_delete_save_the_file(
    build_app: AppFactory, profiles_file: Path, tmp_path: Path, notes: Notes
) -> None:
    path = tmp_path / "mine.toml"
    shutil.copy(sample_collection_path(), path)
    count = len(load_collection(path).requests)
    app = build_app(config=profiles_file, collection=path)
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        tree = app.main.query_one(CollectionTree)
        tree.post_message(CollectionTree.RenameRequested(1))
        await answer(pilot, app, "Store by id")
        await wait_until(pilot, lambda: len(notes.seen) >= 1, "the rename")
        assert load_collection(path).requests[1].name == "Store by id"

        tree.post_message(CollectionTree.DuplicateRequested(1))
        await wait_until(pilot, lambda: len(notes.seen) >= 2, "the duplicate")
        assert [r.name for r in load_collection(path).requests[1:3]] == ["Store by id", "Store by id copy"]

        tree.post_message(CollectionTree.DeleteRequested(2))
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the confirmation")
        await pilot.press("y")
        await wait_until(pilot, lambda: len(notes.seen) >= 3, "the delete")
        assert len(load_collection(path).requests) == count
        assert app.main.collection is not None and len(app.main.collection.requests) == count


async def test_the_shipped_sample_is_never_written(
    build_app: AppFactory, profiles_file: Path, tmp_path: Path, notes: Notes
) -> None:
    sample = sample_collection_path()
    before = sample.read_bytes()
    copy = tmp_path / "copy.toml"
    app = build_app(config=profiles_file, collection=sample)
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        # Deleting from the sample offers a copy first; declined, nothing changes.
        app.main.query_one(CollectionTree).post_message(CollectionTree.DeleteRequested(0))
        await answer(pilot, app, None)
        await pilot.press("ctrl+s")
        await answer(pilot, app, str(copy))
        await wait_until(pilot, lambda: notes.find("Collection saved") is not None, "the save")
        assert app.main.collection is not None and app.main.collection.path == copy
    assert sample.read_bytes() == before
    assert len(load_collection(copy).requests) == len(load_collection(sample).requests)
    # The copy is the sample's file, its comments included.
    assert "# Customer profile ids and emails differ" in copy.read_text(encoding="utf-8")


async def test_replay_a_folder_shows_each_result(build_app: AppFactory, profiles_file: Path, notes: Notes) -> None:
    app = build_app(config=profiles_file, profile="sandbox", collection=sample_collection_path())
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        await wait_until(pilot, lambda: app.main.query_one(TokenPanel).state is TokenState.VALID, "a token")
        app.main.query_one(CollectionTree).post_message(CollectionTree.RunRequested("Configuration"))
        await wait_until(pilot, lambda: notes.find("Replay finished") is not None, "the replay")
        results = app.main.query_one(RunResults)
        folder = [r for r in app.main.collection.requests if r.folder == "Configuration"]  # type: ignore[union-attr]
        assert results.passed == len(folder)
        summary = str(results.query_one("#run-summary").content)
        assert f"{len(folder)} of {len(folder)} met expectations" in summary
        assert "0 token fetches" in summary
        assert app.main.query_one("#results").active == "tab-replay"
        # Choosing a row opens its request.
        table = results.query_one("#run-table", DataTable)
        table.focus()
        table.move_cursor(row=1)
        await pilot.press("enter")
        await pilot.pause()
        collection = app.main.collection
        assert collection is not None
        assert app.main.collections.loaded_index == collection.requests.index(folder[1])
        assert app.main.query_one(RequestComposer).current_spec().name == folder[1].name


async def test_replay_tab_opened_before_any_replay(build_app: AppFactory, profiles_file: Path) -> None:
    app = build_app(config=profiles_file, profile="sandbox", collection=sample_collection_path())
    async with app.run_test(size=SIZE) as pilot:
        # The results are built when first needed: here, when their tab is opened.
        assert not app.main.query(RunResults)
        app.main.query_one("#results", TabbedPanes).active = "tab-replay"
        await pilot.pause()
        results = app.main.query_one(RunResults)
        assert results.region.area
        assert str(results.query_one("#run-summary", Static).content) == "No replay yet."


async def test_replay_whole_collection_with_ctrl_r(build_app: AppFactory, profiles_file: Path, notes: Notes) -> None:
    app = build_app(config=profiles_file, profile="sandbox", collection=sample_collection_path())
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: notes.find("Replay finished") is not None, "the replay", timeout=30)
        total = len(app.main.collection.requests)  # type: ignore[union-attr]
        assert app.main.query_one(RunResults).passed == total


async def test_broken_collection_is_reported_and_never_overwritten(
    build_app: AppFactory, profiles_file: Path, tmp_path: Path, notes: Notes
) -> None:
    broken = tmp_path / "broken.toml"
    text = 'schema_version = 1\nname = "x"\n\n[[requests]]\nname = "a"\nmethod = "FETCH"\nurl = "http://x"\n'
    broken.write_text(text, encoding="utf-8")
    app = build_app(config=profiles_file, profile="sandbox", collection=broken)
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        await wait_until(pilot, lambda: notes.find("Collection not loaded") is not None, "the report")
        note = notes.find("Collection not loaded")
        assert note is not None and "broken.toml" in note.message and "requests[0].method" in note.message
        assert app.main.collection is None
        app.main.query_one(RequestComposer).load(RequestSpec(url="{{api_url}}/v0/stores"))
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, TextPrompt), "the file prompt")
        app.screen.query_one("#prompt-input", Input).value = str(broken)
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert isinstance(app.screen, TextPrompt), "an existing file is refused"
        assert "exists" in str(app.screen.query_one("#prompt-error").content)
        await pilot.press("escape")
        assert app.is_running
    assert broken.read_text(encoding="utf-8") == text
