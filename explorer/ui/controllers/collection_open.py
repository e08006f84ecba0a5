"""Open another collection from the app: a list of the recent ones, the samples and those in the working
directory, or any file typed in. Files are looked for and read in threads; unsaved edits are asked about first.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from textual.screen import Screen

from explorer.app.collection_files import Known, known_collections
from explorer.core.collections import load_collection
from explorer.core.errors import CollectionError
from explorer.resources import data_dir
from explorer.ui.controllers.base import Controller
from explorer.ui.controllers.collection import CollectionController
from explorer.ui.palette import PaletteCommand

# The id of the choice that asks for a path (a path never holds a NUL).
_OTHER = "\0other"


def existing_file_problem(text: str) -> str | None:
    """What is wrong with a path typed to open a collection, or None."""
    if not text.strip():
        return "Type the path of a collection file (.toml)."
    path = Path(text.strip()).expanduser()
    if not path.is_file():
        return "There is no such file."
    return None


def _shown(path: Path) -> str:
    """A path as the user would write it: under the home directory as ~/…"""
    try:
        return "~/" + str(path.resolve().relative_to(Path.home().resolve()))
    except (ValueError, OSError, RuntimeError):
        return str(path)


class CollectionOpener(Controller):
    """Switch the collection on screen for another one."""

    def __init__(self, screen: Screen[Any], collections: CollectionController) -> None:
        super().__init__(screen)
        self.collections = collections

    def open(self) -> None:
        self.run(self._open_flow(), name="Open a collection", group="collection-dialog", exclusive=True)

    async def _open_flow(self) -> None:
        recent = list(self.app.user.recent_collections)
        samples = sorted(data_dir("sample_requests").glob("*.toml"))
        known = await asyncio.to_thread(known_collections, recent, samples, [Path.cwd()])
        path = await self._choose(known)
        if path is None:
            return
        try:
            collection = await asyncio.to_thread(load_collection, path)
        except CollectionError as error:
            self.notify_error(error)
            return
        if not await self._edits_dealt_with():
            return
        self.collections.adopt(collection, keep_edits=False)
        self.notify(f"{collection.name} ({len(collection.requests)} requests) from {_shown(path)}.", title="Opened")

    async def _choose(self, known: list[Known]) -> Path | None:
        from explorer.ui.dialogs import TextPrompt
        from explorer.ui.dialogs.choice import Choice, ChoiceDialog

        current = self.collections.collection
        now = current.path.resolve() if current is not None and current.path is not None else None
        choices = [
            Choice(
                str(item.path),
                item.path.name,
                f"{'open now' if item.path.resolve() == now else item.why} · {_shown(item.path.parent)}",
            )
            for item in known
        ]
        choices.append(Choice(_OTHER, "Another file…"))
        picked = await self.app.push_screen_wait(
            ChoiceDialog("Open a collection", "Recent collections, the samples and those in this folder:", choices)
        )
        if picked is None:
            return None
        if picked != _OTHER:
            return Path(picked)
        typed = await self.app.push_screen_wait(
            TextPrompt(
                "Open a collection",
                "The collection file to open:",
                value=str(Path.cwd()) + "/",
                validator=existing_file_problem,
                submit_label="Open",
            )
        )
        return Path(typed.strip()).expanduser() if typed is not None else None

    async def _edits_dealt_with(self) -> bool:
        """True once nothing unsaved would be lost by the switch: none, saved, or discarded on purpose."""
        from explorer.ui.dialogs.unsaved import UnsavedDialog

        names = self.collections.unsaved()
        if not names:
            return True
        can_save = self.collections.can_save_all()
        answer = await self.app.push_screen_wait(
            UnsavedDialog("Open another collection", names, can_save=can_save, discard_label="Discard and open")
        )
        if answer == "save":
            return await self.collections.save_all()
        return answer == "discard"

    def palette_commands(self) -> Iterable[PaletteCommand]:
        yield PaletteCommand(
            "collection: open…",
            "Open another collection: a recent one, a sample, one in this folder or any file (o in the tree)",
            self.open,
        )
