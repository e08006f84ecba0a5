"""Opening another collection from the app: the list of known ones, any file, unsaved edits asked about first."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList

from explorer.app.collection_files import known_collections, remember
from explorer.app.settings import load_user_settings
from explorer.core.collections import load_collection
from explorer.resources import sample_collection_path
from explorer.ui.dialogs.choice import ChoiceDialog
from explorer.ui.dialogs.unsaved import UnsavedDialog
from explorer.ui.widgets.collection_tree import CollectionTree
from explorer.ui.widgets.composer import RequestComposer
from explorer.ui.widgets.request_tree import RequestTree

from .conftest import SIZE, AppFactory, Notes, wait_until
from .test_app_collection import answer

OTHER = """schema_version = 1
name = "Other things"

[[requests]]
name = "Ping"
url = "{{api_url}}/ping"
"""


def test_known_collections_are_recent_then_samples_then_this_folder(tmp_path: Path) -> None:
    (tmp_path / "other.toml").write_text(OTHER, encoding="utf-8")
    (tmp_path / "settings.toml").write_text('theme = "paper"\n', encoding="utf-8")
    gone = tmp_path / "gone.toml"
    known = known_collections([gone, tmp_path / "other.toml"], [sample_collection_path()], [tmp_path])
    assert [(k.path.name, k.why) for k in known] == [("other.toml", "recent"), ("newstore.toml", "read-only sample")]
    assert remember([Path("/a.toml"), Path("/b.toml")], Path("/b.toml")) == [Path("/b.toml"), Path("/a.toml")]


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


async def test_open_a_collection_of_this_folder_after_the_question_about_edits(
    build_app: AppFactory, profiles_file: Path, tmp_path: Path, in_tmp: Path, notes: Notes
) -> None:
    other = in_tmp / "other.toml"
    other.write_text(OTHER, encoding="utf-8")
    mine = tmp_path / "mine.toml"
    mine.write_bytes(sample_collection_path().read_bytes())
    app = build_app(config=profiles_file, collection=mine)
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        composer = app.main.query_one(RequestComposer)
        edited = composer.current_spec()
        edited.url += "?edited=1"
        composer.load(composer.loaded, edited=edited)
        app.main.collections.edited()
        app.main.query_one(RequestTree).focus()
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, ChoiceDialog), "the list of collections")
        options = app.screen.query_one(OptionList)
        labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any(label.startswith("other.toml  in work · ") for label in labels), labels
        assert labels[-1] == "Another file…"
        options.highlighted = next(i for i, label in enumerate(labels) if label.startswith("other.toml"))
        await pilot.press("enter")
        # The edit is not dropped without a question; going back keeps everything.
        await wait_until(pilot, lambda: isinstance(app.screen, UnsavedDialog), "the question")
        await pilot.press("escape")
        assert app.main.collection is not None and app.main.collection.path == mine

        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, ChoiceDialog), "the list of collections")
        await pilot.press("end", "enter")
        await answer(pilot, app, str(other))
        await wait_until(pilot, lambda: isinstance(app.screen, UnsavedDialog), "the question")
        await pilot.press("s")
        await wait_until(pilot, lambda: notes.find("Opened") is not None, "the switch")
        assert app.main.collection is not None and app.main.collection.name == "Other things"
        assert app.main.query_one(CollectionTree).collection is app.main.collection
        assert composer.current_spec().name == "Ping" and not composer.dirty
        assert load_collection(mine).requests[0].url.endswith("?edited=1")
    settings, _ = load_user_settings(tmp_path / "config" / "settings.toml")
    assert settings.last_collection == other and settings.recent_collections[0] == other


async def test_save_a_copy_of_the_sample_from_the_palette(
    build_app: AppFactory, profiles_file: Path, in_tmp: Path, notes: Notes
) -> None:
    app = build_app(config=profiles_file, collection=sample_collection_path())
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        app.main.collections.save_copy()
        await answer(pilot, app, str(in_tmp / "tour.toml"))
        await wait_until(pilot, lambda: notes.find("Collection copied") is not None, "the copy")
        assert app.main.collection is not None and app.main.collection.path == in_tmp / "tour.toml"
    assert (in_tmp / "tour.toml").read_bytes() == sample_collection_path().read_bytes()
