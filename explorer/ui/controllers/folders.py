"""Folders of the collection on screen: make, rename, duplicate and delete them, and move requests between them.

In a collection file a folder is a name on its requests, so a folder made here holds no request at first: it is
shown in the tree (as empty) for the session and is in the file once a request is moved or saved into it. Every
other change is written like the collection's other edits (`CollectionController.write`), keeping the user's
comments, and only then shown.

The tree's keys act on what is under its cursor; the palette's "folder: …" and "request: move to folder" entries
act on the tree's selection from anywhere, and say what to select when nothing fitting is.
"""

from __future__ import annotations

from collections.abc import Coroutine, Iterable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.screen import Screen

from explorer.app.collection_edits import delete_folder, duplicate_folder, move_request, rename_folder
from explorer.core.model import Collection
from explorer.ui.controllers.base import Controller
from explorer.ui.controllers.collection import CollectionController
from explorer.ui.palette import PaletteCommand
from explorer.ui.widgets.collection_tree import CollectionTree

if TYPE_CHECKING:
    from explorer.ui.dialogs import Validator

# Ids of the move dialog's choices that are not folder names (a folder name never holds a NUL).
_NO_FOLDER = "\0none"
_NEW_FOLDER = "\0new"


class FolderController(Controller):
    """Folder edits, on the collection `collections` holds."""

    def __init__(self, screen: Screen[Any], collections: CollectionController) -> None:
        super().__init__(screen)
        self.collections = collections

    def edit(self, action: str, folder: str, index: int | None) -> None:
        """Do what the tree asked for (see `CollectionTree.FolderEditRequested`)."""
        work: Coroutine[Any, Any, None]
        if action == "new":
            work = self._new_flow()
        elif action == "rename":
            work = self._rename_flow(folder)
        elif action == "duplicate":
            work = self._duplicate_flow(folder)
        elif action == "delete":
            work = self._delete_flow(folder)
        elif action == "move" and index is not None:
            work = self._move_flow(index)
        else:
            return
        self.run(work, name=f"Folder: {action}", group="collection-dialog", exclusive=True)

    # -- from the palette: on the tree's selection ----------------------------------------------------------

    def palette_commands(self) -> Iterable[PaletteCommand]:
        yield PaletteCommand("folder: new", "Make a folder in the collection (m moves requests into it)", self.new)
        yield PaletteCommand(
            "folder: rename", "Rename the folder selected in the collection", partial(self.on_selection, "rename")
        )
        yield PaletteCommand(
            "folder: duplicate",
            "Copy the folder selected in the collection, with its requests",
            partial(self.on_selection, "duplicate"),
        )
        yield PaletteCommand(
            "folder: delete",
            "Delete the folder selected in the collection, with its requests (asked first)",
            partial(self.on_selection, "delete"),
        )
        yield PaletteCommand(
            "request: move to folder",
            "Move the request selected in the collection (or the one in the composer) to another folder",
            self.move_selected,
        )

    def new(self) -> None:
        """Make a new folder."""
        if self._has_collection():
            self.edit("new", "", None)

    def on_selection(self, action: str) -> None:
        """Rename, duplicate or delete the folder selected in the tree (or the one of the request selected)."""
        if not self._has_collection():
            return
        _index, folder = self.screen.query_one(CollectionTree).selected()
        if folder is None:
            self.notify(
                f"Select a folder (or a request in it) in the Collection pane, then {action} it from here or with "
                "its key there.",
                title="No folder selected",
                severity="warning",
            )
            return
        self.edit(action, folder, None)

    def move_selected(self) -> None:
        """Move the request selected in the tree, or else the composer's (when it is one of the collection's)."""
        if not self._has_collection():
            return
        index, _folder = self.screen.query_one(CollectionTree).selected()
        if index is None:
            index = self.collections.loaded_index
        if index is None:
            self.notify(
                "Select a request in the Collection pane (or open one of the collection's), then move it.",
                title="No request selected",
                severity="warning",
            )
            return
        self.edit("move", "", index)

    def _has_collection(self) -> bool:
        if self.collections.collection is None:
            self.notify(
                "There is no collection open: o in the Collection pane (or collection: open… here) opens one.",
                title="No collection",
                severity="warning",
            )
            return False
        return True

    # -- the collection and its folders --------------------------------------------------------------------

    async def _collection(self) -> Collection | None:
        """The collection, when it may be changed (for the read-only sample: the copy the user saves)."""
        return await self.collections.editable()

    def _folders(self, collection: Collection) -> list[str]:
        """Every folder: the collection's, then those made in this session that hold nothing yet."""
        folders = collection.folders()
        return folders + [f for f in self.collections.new_folders if f not in folders]

    def _set_new_folders(self, names: list[str]) -> None:
        self.collections.new_folders = names
        self.screen.query_one(CollectionTree).set_empty_folders(names)

    def _composer_index(self, changed: Collection) -> int | None:
        """Where the composer's request is in `changed` (None when it is not there, or came from elsewhere)."""
        collection, index = self.collections.collection, self.collections.loaded_index
        if collection is None or index is None or not 0 <= index < len(collection.requests):
            return None
        name = collection.requests[index].name
        return next((i for i, r in enumerate(changed.requests) if r.name == name), None)

    def _show_folder(self, folder: str) -> None:
        self.screen.query_one(CollectionTree).select_folder(folder)

    def _name_problem(self, taken: list[str], keep: str = "") -> Validator:
        """A validator of a folder name: not empty, and none of `taken` (but `keep`, the name it has)."""

        def problem(text: str) -> str | None:
            name = text.strip()
            if not name:
                return "Type a name for the folder."
            if name != keep and name in taken:
                return "A folder of that name is there already."
            return None

        return problem

    # -- flows ---------------------------------------------------------------------------------------------

    async def _new_flow(self) -> None:
        from explorer.ui.dialogs import TextPrompt

        collection = await self._collection()
        if collection is None:
            return
        name = await self.app.push_screen_wait(
            TextPrompt(
                "New folder",
                "Name of the new folder. Move requests into it with m, or save a request into it.",
                validator=self._name_problem(self._folders(collection)),
                submit_label="Create",
            )
        )
        if name is None:
            return
        self._set_new_folders([*self.collections.new_folders, name.strip()])
        self._show_folder(name.strip())
        self.notify(
            f"Folder {name.strip()!r} made. It is saved in the file with the first request moved or saved into it.",
            title="New folder",
        )

    async def _rename_flow(self, folder: str) -> None:
        from explorer.ui.dialogs import TextPrompt

        collection = await self._collection()
        if collection is None:
            return
        joins = (
            "; a folder that has the name already takes this one's requests"
            if len(self._folders(collection)) > 1
            else ""
        )
        name = await self.app.push_screen_wait(
            TextPrompt(
                "Rename folder",
                f"New name for {folder!r}{joins}:",
                value=folder,
                validator=self._name_problem(self.collections.new_folders, keep=folder),
                submit_label="Rename",
            )
        )
        if name is None or name.strip() == folder:
            return
        new = name.strip()
        if folder not in collection.folders():
            # Made in this session and still empty: only the tree knows it.
            self._set_new_folders([new if f == folder else f for f in self.collections.new_folders])
            self._show_folder(new)
            return
        changed = rename_folder(collection, folder, new)
        self.collections.write(
            changed,
            self._composer_index(changed),
            f"Folder {folder!r} renamed to {new!r}.",
            after=lambda: self._show_folder(new),
        )

    async def _duplicate_flow(self, folder: str) -> None:
        collection = await self._collection()
        if collection is None:
            return
        if folder not in collection.folders():
            self.notify(f"{folder!r} holds no request yet.", title="Nothing to duplicate", severity="warning")
            return
        changed, twin = duplicate_folder(collection, folder)
        self.collections.write(
            changed,
            self._composer_index(changed),
            f"Folder {folder!r} duplicated as {twin!r}.",
            after=lambda: self._show_folder(twin),
        )

    async def _delete_flow(self, folder: str) -> None:
        from explorer.ui.dialogs import ConfirmDialog

        collection = await self._collection()
        if collection is None:
            return
        if folder not in collection.folders():
            self._set_new_folders([f for f in self.collections.new_folders if f != folder])
            self.notify(f"Folder {folder!r} removed (it held no request).", title="Folder deleted")
            return
        names = [r.name for r in collection.requests if r.folder == folder]
        listed = ", ".join(repr(n) for n in names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
        edited = [n for n in names if self.collections.drafts.get(n) is not None]
        warning = f"\n\nUnsaved edits of {', '.join(map(repr, edited))} are lost too." if edited else ""
        count = f"{len(names)} request{'s' if len(names) != 1 else ''}"
        sure = await self.app.push_screen_wait(
            ConfirmDialog(
                "Delete folder",
                f"Delete the folder {folder!r} and its {count} ({listed}) from {collection.name!r}? "
                f"The file is saved right away.{warning}",
                confirm_label=f"Delete {count}",
                danger=True,
            )
        )
        if not sure:
            return
        changed = delete_folder(collection, folder)
        index = self._composer_index(changed)
        if index is None and self.collections.loaded_index is not None:
            # The composer's request went with the folder: what it shows is no longer in the collection.
            self.collections.loaded_index = None
        self.collections.write(changed, index, f"Deleted the folder {folder!r} and its {count}.")

    async def _move_flow(self, index: int) -> None:
        from explorer.ui.dialogs import TextPrompt
        from explorer.ui.dialogs.choice import Choice, ChoiceDialog

        collection = await self._collection()
        if collection is None or not 0 <= index < len(collection.requests):
            return
        request = collection.requests[index]
        choices = [Choice(f, f, "current" if f == request.folder else "") for f in self._folders(collection)]
        choices.append(Choice(_NO_FOLDER, "(no folder)", "current" if not request.folder else ""))
        choices.append(Choice(_NEW_FOLDER, "New folder…"))
        picked = await self.app.push_screen_wait(
            ChoiceDialog(
                "Move to folder",
                f"Move {request.name!r} to:",
                choices,
                current=request.folder or _NO_FOLDER,
            )
        )
        if picked is None:
            return
        if picked == _NEW_FOLDER:
            typed = await self.app.push_screen_wait(
                TextPrompt("New folder", f"Move {request.name!r} into a new folder:", submit_label="Move")
            )
            if typed is None or not typed.strip():
                return
            picked = typed.strip()
        target = "" if picked == _NO_FOLDER else picked
        if target == request.folder:
            return
        changed, position = move_request(collection, index, target)
        composer = position if self.collections.loaded_index == index else self._composer_index(changed)
        where = f"to {target!r}" if target else "out of its folder"
        tree = self.screen.query_one(CollectionTree)
        # The cursor follows the request moved, wherever the composer's is.
        self.collections.write(
            changed, composer, f"Moved {request.name!r} {where}.", after=lambda: tree.select_index(position)
        )
