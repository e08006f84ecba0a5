"""Requests of the collection on screen: save the composer's request (over its own or as a new one), rename,
duplicate and delete requests.

Each edit is made on a copy (`explorer.app.collection_edits`) and written like the collection's other changes
(`CollectionController.write`), keeping the user's comments; the screen shows it once written. With no collection
open, saving asks for a new file; the read-only sample asks for a copy of its own first.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from textual.screen import Screen

from explorer.app.collection_edits import (
    add_request,
    collection_name_for,
    delete_request,
    duplicate_request,
    rename_request,
    replace_request,
    suggest_name,
)
from explorer.core.collections import new_collection
from explorer.core.model import RequestSpec
from explorer.ui.controllers.base import Controller
from explorer.ui.controllers.collection import CollectionController, is_shipped, new_file_problem
from explorer.ui.palette import PaletteCommand
from explorer.ui.widgets.composer import RequestComposer


class RequestEditController(Controller):
    """Request edits, on the collection `collections` holds."""

    def __init__(self, screen: Screen[Any], collections: CollectionController) -> None:
        super().__init__(screen)
        self.collections = collections

    # -- saving --------------------------------------------------------------------------------------------

    def save(self, *, as_new: bool = False) -> None:
        """Save the composer's request: over the one it came from, or (`as_new`) as a new one."""
        spec = self.screen.query_one(RequestComposer).current_spec()
        self.run(self._save_flow(spec, as_new), name="Save", group="collection-dialog", exclusive=True)

    def save_new(self) -> None:
        """Save the composer's request as a new request of the collection."""
        self.save(as_new=True)

    async def _save_flow(self, spec: RequestSpec, as_new: bool) -> None:
        from explorer.ui.dialogs import TextPrompt

        collections = self.collections
        collection = collections.collection
        if collection is not None and is_shipped(collection.path):
            # The user's own copy of the sample (its comments too) takes the request.
            collection = await collections.editable()
            if collection is None:
                return
        target: Path | None = collection.path if collection is not None else None
        if collection is None:
            answer = await self.app.push_screen_wait(
                TextPrompt(
                    "New collection",
                    "There is no collection open. Create one in this file:",
                    value=str(Path.cwd() / "requests.toml"),
                    validator=new_file_problem,
                    submit_label="Create",
                )
            )
            if answer is None:
                return
            target = Path(answer.strip()).expanduser()
            collection = new_collection(collection_name_for(target))
        index = collections.loaded_index
        if not as_new and index is not None and index < len(collection.requests):
            changed = replace_request(collection, index, spec)
        else:
            name = await self.app.push_screen_wait(
                TextPrompt("Save request", "Name of the request:", value=spec.name or suggest_name(spec))
            )
            if name is None or not name.strip():
                return
            folders = collection.folders() + [f for f in collections.new_folders if f not in collection.folders()]
            folder = await self.app.push_screen_wait(
                TextPrompt(
                    "Save request",
                    "Folder (empty for none)" + (f"; existing: {', '.join(folders)}" if folders else "") + ":",
                    value=spec.folder,
                    placeholder="no folder",
                )
            )
            if folder is None:
                return
            changed, index = add_request(collection, spec, name, folder)
        changed.path = target
        collections.write(changed, index, f"Saved {changed.requests[index].name!r}.", saved=collections.draft_key())

    # -- rename, duplicate, delete -------------------------------------------------------------------------

    def rename(self, index: int) -> None:
        self.run(self._rename_flow(index), name="Rename", group="collection-dialog", exclusive=True)

    async def _rename_flow(self, index: int) -> None:
        from explorer.ui.dialogs import TextPrompt

        collections = self.collections
        collection = await collections.editable()
        if collection is None:
            return
        old = collection.requests[index].name
        name = await self.app.push_screen_wait(TextPrompt("Rename request", f"New name for {old!r}:", value=old))
        if name is None or not name.strip() or name.strip() == old:
            return
        renamed = rename_request(collection, index, name)
        collections.keep_edits()
        collections.drafts.rename(old, renamed.requests[index].name)
        kept = index if collections.loaded_index == index else collections.loaded_index
        collections.write(renamed, kept, "Renamed.")

    def duplicate(self, index: int) -> None:
        self.run(self._duplicate_flow(index), name="Duplicate", group="collection-dialog", exclusive=True)

    async def _duplicate_flow(self, index: int) -> None:
        collection = await self.collections.editable()
        if collection is None:
            return
        changed, at = duplicate_request(collection, index)
        self.collections.write(changed, at, f"Duplicated as {changed.requests[at].name!r}.")

    def delete(self, index: int) -> None:
        self.run(self._delete_flow(index), name="Delete", group="collection-dialog", exclusive=True)

    async def _delete_flow(self, index: int) -> None:
        from explorer.ui.dialogs import ConfirmDialog

        collections = self.collections
        collection = await collections.editable()
        if collection is None:
            return
        name = collection.requests[index].name
        sure = await self.app.push_screen_wait(
            ConfirmDialog(
                "Delete request",
                f"Delete {name!r} from {collection.name!r}? The file is saved right away.",
                confirm_label="Delete",
                danger=True,
            )
        )
        if not sure:
            return
        loaded = collections.loaded_index
        keep = None if loaded is None or loaded == index else (loaded - 1 if loaded > index else loaded)
        if loaded == index:
            collections.loaded_index = None
        collections.write(delete_request(collection, index), keep, f"Deleted {name!r}.")

    def palette_commands(self) -> Iterable[PaletteCommand]:
        yield PaletteCommand("collection: save as new request", "Save the composer as a new request", self.save_new)
