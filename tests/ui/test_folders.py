"""Folders in the collection tree, driven by keys and by the palette: new, rename, duplicate, delete (asked first),
move a request, a new request in a folder."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Button, Input, OptionList

from explorer.core.collections import load_collection
from explorer.resources import sample_collection_path
from explorer.ui.app import ExplorerApp
from explorer.ui.dialogs.choice import ChoiceDialog
from explorer.ui.dialogs.confirm import ConfirmDialog
from explorer.ui.dialogs.text_prompt import TextPrompt
from explorer.ui.widgets.collection_tree import CollectionTree
from explorer.ui.widgets.composer import RequestComposer
from explorer.ui.widgets.request_tree import RequestTree

from .conftest import SIZE, AppFactory, Notes, wait_until
from .test_app_collection import answer

COMMENT = "# My own note about the customers\n"


def _copy(tmp_path: Path) -> Path:
    """The sample collection in a file of the user's, with a comment of theirs in it."""
    path = tmp_path / "mine.toml"
    text = sample_collection_path().read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            '[[requests]]\nname = "List customer profiles"', COMMENT + '[[requests]]\nname = "List customer profiles"'
        ),
        encoding="utf-8",
    )
    assert COMMENT in path.read_text(encoding="utf-8")
    return path


async def _cursor_to(pilot: Pilot[None], app: ExplorerApp, label: str) -> None:
    """Focus the tree and move its cursor, key by key, to the line that starts with `label`."""
    tree = app.main.query_one(RequestTree)
    tree.focus()
    await pilot.press("home")
    for _ in range(tree.last_line + 1):
        node = tree.cursor_node
        if node is not None and str(node.label).startswith(label):
            return
        await pilot.press("down")
    raise AssertionError(f"no line {label!r} in the tree")


async def _saved(pilot: Pilot[None], notes: Notes, count: int) -> None:
    await wait_until(pilot, lambda: notes.titles().count("Collection saved") >= count, f"save number {count}")


async def test_rename_and_duplicate_a_folder_keep_the_users_comments(
    build_app: AppFactory, profiles_file: Path, tmp_path: Path, notes: Notes
) -> None:
    path = _copy(tmp_path)
    app = build_app(config=profiles_file, collection=path)
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        await _cursor_to(pilot, app, "Customers")
        await pilot.press("r")
        await answer(pilot, app, "People")
        await _saved(pilot, notes, 1)
        saved = load_collection(path)
        assert "Customers" not in saved.folders() and "People" in saved.folders()
        assert next(r.name for r in saved.requests if r.folder == "People") == "List customer profiles"
        assert COMMENT in path.read_text(encoding="utf-8")
        # The cursor stays on the folder it renamed.
        await wait_until(pilot, lambda: str(app.main.query_one(RequestTree).cursor_node.label) == "People", "cursor")  # type: ignore[union-attr]

        await pilot.press("d")
        await _saved(pilot, notes, 2)
        saved = load_collection(path)
        copies = [r.name for r in saved.requests if r.folder == "People copy"]
        assert copies[0] == "List customer profiles copy" and len(copies) == 4


async def test_delete_a_folder_asks_first_with_the_safe_choice_focused(
    build_app: AppFactory, profiles_file: Path, tmp_path: Path, notes: Notes
) -> None:
    path = _copy(tmp_path)
    before = path.read_bytes()
    app = build_app(config=profiles_file, collection=path)
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        await _cursor_to(pilot, app, "Customers")
        await pilot.press("delete")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the confirmation")
        assert isinstance(app.focused, Button) and app.focused.id == "confirm-no"
        assert "4 requests" in str(app.screen.query_one("#confirm-yes", Button).label)
        # A stray Enter keeps everything.
        await pilot.press("enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, ConfirmDialog), "the dialog to close")
        assert path.read_bytes() == before

        await pilot.press("delete")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the confirmation")
        await pilot.press("y")
        await _saved(pilot, notes, 1)
        saved = load_collection(path)
        assert "Customers" not in saved.folders()
        assert not any("customer" in r.name.lower() for r in saved.requests)
        assert app.main.collection is not None and app.main.collection.folders() == saved.folders()


async def test_move_a_request_to_a_new_folder_and_back_out(
    build_app: AppFactory, profiles_file: Path, tmp_path: Path, notes: Notes
) -> None:
    path = _copy(tmp_path)
    app = build_app(config=profiles_file, collection=path)
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        # A new folder shows in the tree at once, empty, and is in the file once a request is moved into it.
        await _cursor_to(pilot, app, "Configuration")
        await pilot.press("f")
        await answer(pilot, app, "Favourites")
        await wait_until(pilot, lambda: notes.find("New folder") is not None, "the new folder")
        assert "Favourites" in app.main.collections.new_folders
        assert "Favourites" not in load_collection(path).folders()

        await _cursor_to(pilot, app, "Health")
        await pilot.press("m")
        await wait_until(pilot, lambda: isinstance(app.screen, ChoiceDialog), "the folder picker")
        options = app.screen.query_one(OptionList)
        assert app.focused is options
        labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert "Diagnostics  current" in labels and "Favourites" in labels and labels[-1] == "New folder…"
        # A letter goes to the folder that starts with it.
        await pilot.press("f", "enter")
        await _saved(pilot, notes, 1)
        saved = load_collection(path)
        assert [r.name for r in saved.requests if r.folder == "Favourites"] == ["Health"]
        assert app.main.collections.new_folders == []
        assert COMMENT in path.read_text(encoding="utf-8")

        await _cursor_to(pilot, app, "Health")
        await pilot.press("m")
        await wait_until(pilot, lambda: isinstance(app.screen, ChoiceDialog), "the folder picker")
        await pilot.press("end", "up", "enter")
        await _saved(pilot, notes, 2)
        assert next(r for r in load_collection(path).requests if r.name == "Health").folder == ""


async def test_folder_keys_on_the_read_only_sample_offer_a_copy_and_go_on_there(
    build_app: AppFactory, profiles_file: Path, tmp_path: Path, notes: Notes
) -> None:
    sample = sample_collection_path()
    before = sample.read_bytes()
    copy = tmp_path / "my-copy.toml"
    app = build_app(config=profiles_file, collection=sample)
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        await _cursor_to(pilot, app, "Customers")
        assert app.main.query_one(CollectionTree).check_action("rename", ()) is True
        await pilot.press("r")
        # Not a dead end: where should the copy go?
        await answer(pilot, app, str(copy))
        await answer(pilot, app, "People")
        await _saved(pilot, notes, 1)
        assert notes.find("Collection copied") is not None
        assert app.main.collection is not None and app.main.collection.path == copy
    assert sample.read_bytes() == before
    assert "People" in load_collection(copy).folders() and "Customers" not in load_collection(copy).folders()


def _palette(app: ExplorerApp, name: str) -> None:
    """Run a palette entry as the palette would."""
    next(c for c in app.main.palette_commands() if c.name == name).run()


async def test_n_on_a_folder_starts_the_new_request_in_it(
    build_app: AppFactory, profiles_file: Path, tmp_path: Path, notes: Notes
) -> None:
    path = _copy(tmp_path)
    app = build_app(config=profiles_file, collection=path)
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        composer = app.main.query_one(RequestComposer)
        await _cursor_to(pilot, app, "Customers")
        await pilot.press("n")
        await wait_until(pilot, lambda: composer.loaded.folder == "Customers", "a new request in the folder")
        assert notes.find("New request") is not None
        assert app.focused is composer.query_one("#url", Input)
        # Typed after the {{api_url}}/ it starts with, not over it.
        await pilot.pause()
        await pilot.press(*"v0/customers")
        # Saving it offers its folder.
        await pilot.press("ctrl+s")
        await answer(pilot, app, "Find customers")
        await wait_until(pilot, lambda: isinstance(app.screen, TextPrompt), "the folder question")
        assert app.screen.query_one("#prompt-input", Input).value == "Customers"
        await pilot.press("enter")
        await _saved(pilot, notes, 1)
        saved = next(r for r in load_collection(path).requests if r.name == "Find customers")
        assert (saved.folder, saved.url) == ("Customers", "{{api_url}}/v0/customers")

        # On a request, its folder; and "collection: new request" in the palette goes by the tree's selection.
        await _cursor_to(pilot, app, "Health")
        composer.focus_url()
        _palette(app, "collection: new request")
        await wait_until(pilot, lambda: composer.loaded.folder == "Diagnostics", "a new request beside Health")
        assert composer.loaded.name == "" and composer.loaded.url == "{{api_url}}/"


async def test_folder_entries_in_the_palette_act_on_the_trees_selection(
    build_app: AppFactory, profiles_file: Path, tmp_path: Path, notes: Notes
) -> None:
    path = _copy(tmp_path)
    app = build_app(config=profiles_file, collection=path)
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        composer = app.main.query_one(RequestComposer)
        # On the collection itself there is no folder to rename: the entry says what to select.
        tree = app.main.query_one(RequestTree)
        tree.focus()
        await pilot.press("home")
        composer.focus_url()
        _palette(app, "folder: rename")
        await wait_until(pilot, lambda: notes.find("No folder selected") is not None, "the advice")
        assert not isinstance(app.screen, TextPrompt)

        # From the URL field, on the folder selected in the tree.
        await _cursor_to(pilot, app, "Customers")
        composer.focus_url()
        _palette(app, "folder: rename")
        await answer(pilot, app, "People")
        await _saved(pilot, notes, 1)
        assert "People" in load_collection(path).folders()

        await _cursor_to(pilot, app, "Health")
        composer.focus_url()
        _palette(app, "request: move to folder")
        await wait_until(pilot, lambda: isinstance(app.screen, ChoiceDialog), "the folder picker")
        await pilot.press("end", "up", "enter")
        await _saved(pilot, notes, 2)
        assert next(r for r in load_collection(path).requests if r.name == "Health").folder == ""

        await _cursor_to(pilot, app, "People")
        composer.focus_url()
        _palette(app, "folder: delete")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the confirmation")
        assert "4 requests" in str(app.screen.query_one("#confirm-yes", Button).label)
        await pilot.press("y")
        await _saved(pilot, notes, 3)
        assert "People" not in load_collection(path).folders()

        _palette(app, "folder: new")
        await answer(pilot, app, "Fresh")
        await wait_until(pilot, lambda: notes.find("New folder") is not None, "the new folder")
        assert "Fresh" in app.main.collections.new_folders


async def test_folder_entries_in_the_palette_without_a_collection_say_so(
    build_app: AppFactory, profiles_file: Path, notes: Notes
) -> None:
    app = build_app(config=profiles_file)
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        await pilot.pause()
        for name in ("folder: new", "folder: rename", "folder: delete", "request: move to folder"):
            _palette(app, name)
        await wait_until(pilot, lambda: notes.titles().count("No collection") == 4, "four answers")
        assert not isinstance(app.screen, TextPrompt | ChoiceDialog | ConfirmDialog)
