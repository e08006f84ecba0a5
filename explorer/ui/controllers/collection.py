"""The collection on screen: which of its requests is in the composer, the unsaved edits of each, writing the
changed collection, and its file (the read-only sample copied before a change, a copy saved under a new name).

The edits themselves are made by `RequestEditController` (requests) and `FolderController` (folders) on a copy
(see `explorer.app.collection_edits`) and handed to `write`, which saves atomically in a thread worker; only once
the file is written does the screen show the changed collection. A collection that failed to load is never
overwritten, and the shipped sample collection is never written to: saving it asks for a file of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textual.message import Message
from textual.screen import Screen

from explorer.app.collection_edits import replace_request
from explorer.app.collection_files import copy_collection_file
from explorer.app.drafts import NEW, Drafts
from explorer.core.collection_writer import save_collection
from explorer.core.errors import CollectionError
from explorer.core.model import Collection, RequestSpec
from explorer.resources import data_dir
from explorer.ui.controllers.base import Controller
from explorer.ui.palette import PaletteCommand
from explorer.ui.widgets.collection_tree import CollectionTree
from explorer.ui.widgets.composer import RequestComposer
from explorer.ui.widgets.top_bar import TopBar


@dataclass
class CollectionOpened(Message):
    """A collection file is now the one on screen (loaded or saved); the app remembers it for next time."""

    path: Path


def is_shipped(path: Path | None) -> bool:
    """Whether `path` is one of the collections shipped with explorer (read-only for the app)."""
    if path is None:
        return False
    try:
        path.resolve().relative_to(data_dir("sample_requests").resolve())
    except (ValueError, OSError):
        return False
    return True


def new_file_problem(text: str) -> str | None:
    """What is wrong with a path typed for a new collection file, or None."""
    if not text.strip():
        return "Type a file name, e.g. requests.toml."
    path = Path(text.strip()).expanduser()
    if path.suffix != ".toml":
        return "A collection is a .toml file."
    if path.exists():
        return "That file exists. Choose a new name; explorer does not replace files it did not load."
    return None


class CollectionController(Controller):
    """The collection and which of its requests is in the composer."""

    def __init__(self, screen: Screen[Any], collection: Collection | None, *, changed: Callable[[], object]) -> None:
        """
        Args:
            collection: The collection on screen at start (None: none open).
            changed: Called after the collection on screen changed (the screen updates what depends on it).
        """
        super().__init__(screen)
        self.collection = collection
        # The index of the request in the composer, when it came from the collection.
        self.loaded_index: int | None = None
        self._changed = changed
        # Unsaved edits per request, kept while other requests are open.
        self.drafts = Drafts()
        # Folders made in this session that hold no request yet: in the file, a folder is a name on requests.
        self.new_folders: list[str] = []

    @property
    def variables(self) -> dict[str, str]:
        """The collection's own variables."""
        return dict(self.collection.variables) if self.collection is not None else {}

    def load_first(self, composer: RequestComposer) -> None:
        """Before the composer is mounted: the collection's first request (with its kept edits), which it then
        shows as it is built. `show_first` opens the same request without showing it a second time."""
        collection = self.collection
        if collection is not None and collection.requests:
            spec = collection.requests[0]
            draft = self.drafts.get(spec.name)
            composer.load(spec, edited=draft.edited if draft is not None else None)

    def show_first(self) -> None:
        """The first frame: the collection in the tree and the top bar, and its first request in the composer
        (something to send straight away)."""
        tree = self.screen.query_one(CollectionTree)
        tree.border_title = "Collection"
        tree.set_collection(self.collection)
        self.screen.query_one(TopBar).show_collection(self.collection)
        if self.collection is not None and self.collection.requests:
            self.open(0)

    # -- opening requests ----------------------------------------------------------------------------------

    def open(self, index: int) -> None:
        """Load request `index` of the collection into the composer and select it in the tree."""
        collection = self.collection
        if collection is None or not 0 <= index < len(collection.requests):
            return
        self._load(index, collection.requests[index])
        self.screen.query_one(CollectionTree).select_index(index)

    def opened(self, index: int, spec: RequestSpec) -> None:
        """The tree opened request `index`: load it into the composer (with its unsaved edits, if any)."""
        self._load(index, spec)
        self.screen.refresh_bindings()

    def new_request(self, folder: str = "") -> None:
        """Start a new request in `folder` (where saving it puts it; empty: none), or bring back the new request
        started earlier and not saved yet, as it was left (moved to `folder`, if one is given)."""
        self.keep_edits()
        composer = self.screen.query_one(RequestComposer)
        draft = self.drafts.get(NEW)
        if draft is not None:
            original, edited = draft.original, draft.edited
            if folder:
                original, edited = original.copy(folder=folder), edited.copy(folder=folder)
            self.loaded_index = None
            composer.load(original, edited=edited)
            self.screen.refresh_bindings()
        else:
            self.load_request(RequestSpec(url="{{api_url}}/", folder=folder))
        if folder:
            self.notify(f"A new request in {folder!r}: ctrl+s saves it there.", title="New request")
        # Typing adds the path to the `{{api_url}}/` it starts with.
        composer.focus_url(end=True)

    def new_request_in_selection(self) -> None:
        """Start a new request in the folder selected in the collection tree (or of the request selected)."""
        _index, folder = self.screen.query_one(CollectionTree).selected()
        self.new_request(folder or "")

    def load_request(self, spec: RequestSpec) -> None:
        """Put `spec` in the composer as a request of its own (from a catalogue, the history, an import): saving
        it then adds a new request rather than replacing the one the composer held before."""
        self.keep_edits()
        self.loaded_index = None
        self.screen.query_one(RequestComposer).load(spec)
        self.screen.refresh_bindings()

    def _load(self, index: int, spec: RequestSpec) -> None:
        self.keep_edits()
        self.loaded_index = index
        draft = self.drafts.get(spec.name)
        self.screen.query_one(RequestComposer).load(spec, edited=draft.edited if draft is not None else None)

    # -- unsaved edits -------------------------------------------------------------------------------------

    def draft_key(self) -> str:
        """Under which name the unsaved edits of the composer's request are kept."""
        collection, index = self.collection, self.loaded_index
        if collection is not None and index is not None and 0 <= index < len(collection.requests):
            return collection.requests[index].name
        return NEW

    def keep_edits(self) -> None:
        """Remember the composer's edits of the request it holds (or forget them, when undone)."""
        composer = self.screen.query_one(RequestComposer)
        self.drafts.put(self.draft_key(), composer.loaded, composer.current_spec())
        self._show_modified()

    def edited(self) -> None:
        """The composer's request was edited: the tree marks it (or unmarks it, when the edit is undone)."""
        self.keep_edits()

    def _show_modified(self) -> None:
        self.screen.query_one(CollectionTree).set_modified(set(self.drafts.saved_names()))

    def unsaved(self) -> list[str]:
        """What would be lost now: the names of the requests with unsaved edits ("new request" for the new one)."""
        self.keep_edits()
        return sorted(self.drafts.saved_names()) + (["a new request"] if self.drafts.get(NEW) else [])

    def can_save_all(self) -> bool:
        """Whether every unsaved edit can be written at once: all are edits of a writable collection's requests."""
        collection = self.collection
        return (
            collection is not None
            and collection.path is not None
            and not is_shipped(collection.path)
            and self.drafts.get(NEW) is None
        )

    async def save_all(self) -> bool:
        """Write every unsaved edit of the collection's requests into its file; True once written."""
        import asyncio

        collection = self.collection
        if collection is None or not self.can_save_all():
            return False
        changed = collection
        names = {request.name: i for i, request in enumerate(collection.requests)}
        for name in self.drafts.saved_names():
            draft = self.drafts.get(name)
            if draft is not None and name in names:
                changed = replace_request(changed, names[name], draft.edited)
        try:
            await asyncio.to_thread(save_collection, changed)
        except CollectionError as exc:
            self._write_failed(exc)
            return False
        self.drafts.clear()
        self.collection = changed
        return True

    # -- writing -------------------------------------------------------------------------------------------

    def write(
        self,
        changed: Collection,
        index: int | None,
        note: str,
        *,
        saved: str | None = None,
        after: Callable[[], object] | None = None,
    ) -> None:
        """Write `changed` in a thread, then show it with request `index` in the composer. `saved`: the draft
        key of the composer's request when that is what was saved; `after` runs once it is shown."""
        # The composer is loaded again once written: what it holds unsaved is kept first.
        self.keep_edits()

        def write() -> None:
            try:
                save_collection(changed)
            except CollectionError as exc:
                self.app.call_from_thread(self._write_failed, exc)
                return
            self.app.call_from_thread(self._written, changed, index, note, saved)
            if after is not None:
                self.app.call_from_thread(after)

        self.run_in_thread(write, name="Saving the collection", group="collection-write")

    def _written(self, changed: Collection, index: int | None, note: str, saved: str | None = None) -> None:
        self.collection = changed
        tree = self.screen.query_one(CollectionTree)
        # A new folder that holds a request now is in the file.
        self.new_folders = [f for f in self.new_folders if f not in changed.folders()]
        tree.set_empty_folders(self.new_folders)
        tree.set_collection(changed)
        if saved is not None:
            # The composer's request was written: its edits are saved now.
            self.drafts.discard(saved)
            if index is not None:
                self.drafts.discard(changed.requests[index].name)
        self.loaded_index = index
        if index is not None:
            tree.select_index(index)
            spec = changed.requests[index]
            draft = self.drafts.get(spec.name)
            self.screen.query_one(RequestComposer).load(spec, edited=draft.edited if draft is not None else None)
        known = {request.name for request in changed.requests}
        for name in self.drafts.saved_names():
            if name not in known:
                self.drafts.discard(name)
        self._show_modified()
        where = f"In {changed.path.name}. " if changed.path is not None else ""
        self.notify(where + note, title="Collection saved")
        if changed.path is not None:
            self.screen.post_message(CollectionOpened(changed.path))
        self._changed()

    def _write_failed(self, error: CollectionError) -> None:
        self.screen.notify(str(error), title="Not saved", severity="error", markup=False, timeout=10)

    # -- the collection file -------------------------------------------------------------------------------

    async def editable(self) -> Collection | None:
        """The collection, to be changed; for the read-only sample, the user's copy of it once they have saved
        one (asked here), else None."""
        collection = self.collection
        if collection is None or not is_shipped(collection.path):
            return collection
        return await self.copy_flow("The sample collection is read-only: to change it, save a copy of your own. ")

    def save_copy(self) -> None:
        """Save a copy of the collection file under a new name, and go on with the copy."""
        self.run(self.copy_flow(""), name="Save a copy", group="collection-dialog", exclusive=True)

    async def copy_flow(self, reason: str) -> Collection | None:
        """Ask where, copy the collection's file there as it is (comments and all), and show the copy."""
        import asyncio

        from explorer.ui.dialogs import TextPrompt

        collection = self.collection
        source = collection.path if collection is not None else None
        if collection is None or source is None:
            self.notify("There is no collection file to copy. ctrl+s saves the request in a new one.", title="No file")
            return None
        suggested = Path.cwd() / (source.name if is_shipped(source) else f"{source.stem}-copy.toml")
        answer = await self.app.push_screen_wait(
            TextPrompt(
                "Save a copy as…",
                f"{reason}A copy of {collection.name!r} in this file:",
                value=str(suggested),
                validator=new_file_problem,
                submit_label="Save copy",
            )
        )
        if answer is None:
            return None
        target = Path(answer.strip()).expanduser()
        try:
            copy = await asyncio.to_thread(copy_collection_file, source, target)
        except CollectionError as exc:
            self._write_failed(exc)
            return None
        self.adopt(copy, keep_edits=True)
        self.notify(f"Copied to {target}. Changes are saved there from now on.", title="Collection copied")
        return copy

    def adopt(self, collection: Collection, *, keep_edits: bool) -> None:
        """Show `collection` instead of the one on screen. `keep_edits`: it is a copy of the same requests, so
        the unsaved edits and the request in the composer stay; else its first request is opened."""
        self.collection = collection
        tree = self.screen.query_one(CollectionTree)
        if not keep_edits:
            self.drafts.clear()
            self.new_folders = []
            self.loaded_index = None
        tree.set_empty_folders(self.new_folders)
        tree.clear_results()
        tree.set_collection(collection)
        if not keep_edits:
            # Loaded as it is: what the composer held was saved or discarded before the switch.
            composer = self.screen.query_one(RequestComposer)
            if collection.requests:
                self.loaded_index = 0
                composer.load(collection.requests[0])
                tree.select_index(0)
            else:
                composer.load(RequestSpec(url="{{api_url}}/"))
        elif self.loaded_index is not None:
            tree.select_index(self.loaded_index)
        self._show_modified()
        if collection.path is not None:
            self.screen.post_message(CollectionOpened(collection.path))
        self._changed()
        self.screen.refresh_bindings()

    def palette_commands(self) -> Iterable[PaletteCommand]:
        yield PaletteCommand(
            "collection: new request",
            "Start a new request, in the folder selected in the collection if there is one",
            self.new_request_in_selection,
        )
        if self.collection is not None and self.collection.path is not None:
            yield PaletteCommand(
                "collection: save a copy as…",
                "Copy the collection file (comments and all) to a new file and go on with the copy",
                self.save_copy,
            )
