"""The collection half of the main screen: open a request, save, rename, duplicate, delete, and replay.

Edits are made on a copy (see `collection_edits`) and written atomically in a thread worker; only once the
file is written does the screen show the changed collection. A collection that failed to load is never
overwritten, and the shipped sample collection is never written to: saving it asks for a file of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.message import Message
from textual.screen import Screen
from textual.widgets import TabbedContent

from explorer.app.collection_edits import (
    add_request,
    collection_name_for,
    delete_request,
    duplicate_request,
    rename_request,
    replace_request,
)
from explorer.app.session import Session
from explorer.core.collections import new_collection, save_collection
from explorer.core.errors import CollectionError, ExplorerError
from explorer.core.model import UNSAFE_METHODS, Collection, RequestSpec
from explorer.resources import data_dir
from explorer.ui.dialogs.confirm import ConfirmDialog
from explorer.ui.dialogs.text_prompt import TextPrompt
from explorer.ui.palette import PaletteCommand
from explorer.ui.widgets.collection_tree import CollectionTree
from explorer.ui.widgets.composer import RequestComposer

if TYPE_CHECKING:
    # The runner and the results table are imported when a replay starts.
    from explorer.core.runner import RunResult
    from explorer.ui.widgets.run_results import RunResults


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


class CollectionActions(Screen[None]):
    """Collection behaviour of the main screen. The main screen supplies the widgets and the session."""

    session: Session
    collection: Collection | None
    loaded_index: int | None = None
    # Where each row of the last replay's results is in the collection.
    _replayed: tuple[int, ...] = ()

    def collection_changed(self) -> None:
        """Called after the collection on screen changed; the main screen updates what depends on it."""

    async def run_results(self) -> RunResults:
        """The replay results pane (the main screen builds it when first needed)."""
        from explorer.ui.widgets.run_results import RunResults

        return self.query_one(RunResults)

    def _defer(self, action: Callable[[], object]) -> bool:
        """Keep `action` to run later, while the session is not ready for it (see the main screen); True if kept."""
        return False

    # -- opening requests ----------------------------------------------------------------------------------

    @on(CollectionTree.RequestSelected)
    def _on_request_selected(self, message: CollectionTree.RequestSelected) -> None:
        message.stop()
        self.loaded_index = message.index
        self.query_one(RequestComposer).load(message.spec)
        self.refresh_bindings()

    @on(CollectionTree.NewRequested)
    def _on_new_requested(self, message: CollectionTree.NewRequested) -> None:
        message.stop()
        self.new_request()

    def new_request(self) -> None:
        self.loaded_index = None
        composer = self.query_one(RequestComposer)
        composer.load(RequestSpec(url="{{api_url}}/"))
        composer.focus_url()

    # -- saving --------------------------------------------------------------------------------------------

    def action_save(self) -> None:
        self._save_flow(self.query_one(RequestComposer).current_spec(), as_new=False)

    def save_as_new(self) -> None:
        self._save_flow(self.query_one(RequestComposer).current_spec(), as_new=True)

    @work(exclusive=True, exit_on_error=False, group="collection-dialog", name="Save")
    async def _save_flow(self, spec: RequestSpec, as_new: bool) -> None:
        collection = self.collection
        target: Path | None = collection.path if collection is not None else None
        if collection is None or is_shipped(target):
            title = "Save a copy of the sample collection" if collection is not None else "New collection"
            prompt = (
                "The shipped sample collection is read-only. Where should your copy go?"
                if collection is not None
                else "There is no collection open. Create one in this file:"
            )
            answer = await self.app.push_screen_wait(
                TextPrompt(
                    title,
                    prompt,
                    value=str(Path.cwd() / "requests.toml"),
                    validator=new_file_problem,
                    submit_label="Create",
                )
            )
            if answer is None:
                return
            target = Path(answer.strip()).expanduser()
            if collection is None:
                collection = new_collection(collection_name_for(target))
        index = self.loaded_index
        if not as_new and index is not None and index < len(collection.requests):
            changed = replace_request(collection, index, spec)
        else:
            name = await self.app.push_screen_wait(
                TextPrompt("Save request", "Name of the request:", value=spec.name or _suggest_name(spec))
            )
            if name is None or not name.strip():
                return
            folders = collection.folders()
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
        self._write(changed, index, f"Saved {changed.requests[index].name!r}.")

    @work(thread=True, exit_on_error=False, group="collection-write", name="Saving the collection")
    def _write(self, changed: Collection, index: int | None, note: str) -> None:
        try:
            save_collection(changed)
        except CollectionError as exc:
            self.app.call_from_thread(self._write_failed, exc)
            return
        self.app.call_from_thread(self._written, changed, index, note)

    def _written(self, changed: Collection, index: int | None, note: str) -> None:
        self.collection = changed
        tree = self.query_one(CollectionTree)
        tree.set_collection(changed)
        self.loaded_index = index
        if index is not None:
            tree.select_index(index)
            self.query_one(RequestComposer).load(changed.requests[index])
        where = f"In {changed.path.name}. " if changed.path is not None else ""
        self.notify(where + note, title="Collection saved", markup=False)
        if changed.path is not None:
            self.post_message(CollectionOpened(changed.path))
        self.collection_changed()

    def _write_failed(self, error: CollectionError) -> None:
        self.notify(str(error), title="Not saved", severity="error", markup=False, timeout=10)

    # -- rename, duplicate, delete -------------------------------------------------------------------------

    @on(CollectionTree.RenameRequested)
    def _on_rename(self, message: CollectionTree.RenameRequested) -> None:
        message.stop()
        self._rename_flow(message.index)

    @work(exclusive=True, exit_on_error=False, group="collection-dialog", name="Rename")
    async def _rename_flow(self, index: int) -> None:
        collection = self.collection
        if collection is None or not self._writable(collection):
            return
        old = collection.requests[index].name
        name = await self.app.push_screen_wait(TextPrompt("Rename request", f"New name for {old!r}:", value=old))
        if name is None or not name.strip() or name.strip() == old:
            return
        self._write(rename_request(collection, index, name), self._kept_index(index), "Renamed.")

    @on(CollectionTree.DuplicateRequested)
    def _on_duplicate(self, message: CollectionTree.DuplicateRequested) -> None:
        message.stop()
        collection = self.collection
        if collection is None or not self._writable(collection):
            return
        changed, index = duplicate_request(collection, message.index)
        self._write(changed, index, f"Duplicated as {changed.requests[index].name!r}.")

    @on(CollectionTree.DeleteRequested)
    def _on_delete(self, message: CollectionTree.DeleteRequested) -> None:
        message.stop()
        self._delete_flow(message.index)

    @work(exclusive=True, exit_on_error=False, group="collection-dialog", name="Delete")
    async def _delete_flow(self, index: int) -> None:
        collection = self.collection
        if collection is None or not self._writable(collection):
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
        loaded = self.loaded_index
        keep = None if loaded is None or loaded == index else (loaded - 1 if loaded > index else loaded)
        if loaded == index:
            self.loaded_index = None
        self._write(delete_request(collection, index), keep, f"Deleted {name!r}.")

    def _kept_index(self, index: int) -> int | None:
        return index if self.loaded_index == index else self.loaded_index

    def _writable(self, collection: Collection) -> bool:
        if is_shipped(collection.path):
            self.notify(
                "The sample collection is read-only. Save a request (ctrl+s) to make your own copy first.",
                title="Read-only collection",
                severity="warning",
            )
            return False
        return True

    # -- replay --------------------------------------------------------------------------------------------

    @on(CollectionTree.RunRequested)
    def _on_run_requested(self, message: CollectionTree.RunRequested) -> None:
        message.stop()
        self.replay(message.folder)

    def action_replay(self) -> None:
        self.replay(None)

    def replay(self, folder: str | None) -> None:
        if self._defer(partial(self.replay, folder)):
            return
        engine = self.session.active_engine
        if engine is None:
            self.notify("Choose a profile on the left first.", title="No profile", severity="warning")
            return
        if self.collection is None or not self.collection.requests:
            self.notify("Open a collection with --collection FILE, or save a request.", title="Nothing to replay")
            return
        self._replay(folder)

    @work(exclusive=True, exit_on_error=False, group="replay", name="Replay")
    async def _replay(self, folder: str | None) -> None:
        from explorer.core.runner import run_requests, select

        engine = self.session.active_engine
        collection = self.collection
        if engine is None or collection is None:
            return
        try:
            requests = select(collection, folder=folder or "")
        except ExplorerError as exc:
            self.notify(str(exc), title=exc.title, severity="error", markup=False)
            return
        unsafe = [r for r in requests if r.method.upper() in UNSAFE_METHODS]
        if engine.profile.is_production and unsafe:
            sure = await self.app.push_screen_wait(
                ConfirmDialog(
                    "Production",
                    f"Replay {len(requests)} request(s) on {engine.profile.tenant}, a PRODUCTION tenant? "
                    f"{len(unsafe)} of them may change live data ({', '.join(sorted({r.method for r in unsafe}))}).",
                    confirm_label="Replay",
                    danger=True,
                )
            )
            if not sure:
                return
        positions = {id(spec): i for i, spec in enumerate(collection.requests)}
        order = {id(spec): i for i, spec in enumerate(requests)}
        self._replayed = tuple(positions[id(spec)] for spec in requests)
        tree = self.query_one(CollectionTree)
        results = await self.run_results()
        tree.clear_results()
        results.start([r.name for r in requests])
        self.query_one("#results", TabbedContent).active = "tab-replay"
        fetches = engine.tokens.fetches

        def started(spec: RequestSpec) -> None:
            tree.mark_running(positions[id(spec)])

        def finished(result: RunResult) -> None:
            status = result.response.status if result.response is not None else None
            tree.mark_result(positions[id(result.request)], status, result.passed, result.elapsed)
            results.update_result(order[id(result.request)], status, result.elapsed, result.passed, _detail(result))

        outcome = await run_requests(engine, collection, requests, on_start=started, on_result=finished)
        fetched = engine.tokens.fetches - fetches
        results.finish(fetched)
        passed = sum(r.passed for r in outcome)
        self.notify(
            f"{passed} of {len(outcome)} met expectations; {fetched} token fetch{'es' if fetched != 1 else ''}.",
            title="Replay finished",
            severity="information" if passed == len(outcome) else "warning",
        )

    # By name rather than with @on, so that the results table is imported only with the first replay.
    def on_run_results_result_selected(self, message: RunResults.ResultSelected) -> None:
        """Open the request behind a row of the replay results."""
        message.stop()
        collection = self.collection
        replayed = self._replayed
        if collection is None or not 0 <= message.index < len(replayed):
            return
        index = replayed[message.index]
        if index < len(collection.requests):
            self.loaded_index = index
            self.query_one(RequestComposer).load(collection.requests[index])
            self.query_one(CollectionTree).select_index(index)

    def collection_commands(self) -> Iterable[PaletteCommand]:
        yield PaletteCommand("collection: save", "Save the request in the composer (ctrl+s)", self.action_save)
        yield PaletteCommand("collection: save as new request", "Save the composer as a new request", self.save_as_new)
        if self.collection is not None and self.collection.requests and self.session.active is not None:
            yield PaletteCommand("collection: replay", "Replay every request in order (ctrl+r)", self.action_replay)
            for folder in self.collection.folders():
                yield PaletteCommand(
                    f"collection: replay {folder}", f"Replay the requests in {folder}", partial(self.replay, folder)
                )


def _detail(result: RunResult) -> str:
    if result.error is not None:
        return f"{result.error.title}: {result.error.message}"
    detail = result.expectation
    if result.response is not None and result.response.retried_after_rejection:
        detail += " (token replaced after a rejection)"
    return detail


def _suggest_name(spec: RequestSpec) -> str:
    tail = spec.url.rstrip("/").rsplit("/", 1)[-1].split("?")[0]
    tail = tail.replace("{{", "").replace("}}", "")
    return f"{spec.method.upper()} {tail}".strip() if tail else "New request"
