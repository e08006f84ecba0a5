"""The collection pane: a collection's folders and requests as a tree, and the keys that open, run and change them.

The widget never changes the collection: it asks the app to (messages), and the app hands the changed collection
back with `set_collection`. Indexes are positions in `collection.requests`. The tree itself (`RequestTree`, which
builds and draws the nodes) is made when the first collection arrives: without one there is only the hint.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static, Tree
from textual.widgets.tree import TreeNode

from explorer.core.model import Collection, RequestSpec
from explorer.ui.widgets.request_tree import Entry, RequestTree, Result

EMPTY_HINT = (
    "No collection.\n\nPress o to open one (or start explorer with --collection FILE), or ctrl+s to save the"
    " current request into a new one."
)


class _EmptyHint(Static, can_focus=True):
    """What the pane says without a collection. It takes the focus, so the pane's keys (n) work there too."""


class CollectionTree(Widget):
    """A collection as a tree of folders and requests. Messages ask the app to open, run or change requests."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Open", id="collection.select"),
        Binding("n", "new", "New request", id="collection.new"),
        Binding("r", "rename", "Rename", id="collection.rename"),
        # The footer keeps to the keys used most (it is short at 80 columns); f1 lists them all.
        Binding("d", "duplicate", "Duplicate", id="collection.duplicate", show=False),
        Binding("delete", "delete", "Delete", id="collection.delete"),
        Binding("m", "move", "Move to folder", id="collection.move", show=False),
        Binding("f", "new_folder", "New folder", id="collection.new_folder", show=False),
        Binding("R", "run", "Run folder", id="collection.run"),
        Binding("o", "open_collection", "Open collection", id="collection.open", show=False),
    ]

    @dataclass
    class RequestSelected(Message):
        """The user opened a request (Enter or a click on it)."""

        index: int
        spec: RequestSpec

    @dataclass
    class RunRequested(Message):
        """The user asked to replay a folder, or the whole collection when `folder` is None."""

        folder: str | None

    @dataclass
    class RenameRequested(Message):
        index: int

    @dataclass
    class DuplicateRequested(Message):
        index: int

    @dataclass
    class DeleteRequested(Message):
        index: int

    @dataclass
    class NewRequested(Message):
        """The user asked for a new request: in `folder` (the one under the cursor, or the one of the request
        under it), or outside any folder when it is empty."""

        folder: str = ""

    @dataclass
    class OpenRequested(Message):
        """The user asked to open another collection."""

    @dataclass
    class FolderEditRequested(Message):
        """The user asked to change folders: make a "new" one (request `index`, when the cursor is on one, may
        go into it), "rename", "duplicate" or "delete" folder `folder`, or "move" request `index` to another."""

        action: Literal["new", "rename", "duplicate", "delete", "move"]
        folder: str = ""
        index: int | None = None

    def __init__(
        self,
        collection: Collection | None = None,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._collection = collection
        self._requests_tree: RequestTree | None = None
        self._composed = False
        # Folders made in this session that hold no request yet (a folder is a name on requests in the file).
        self._empty_folders: list[str] = []

    def compose(self) -> ComposeResult:
        yield _EmptyHint(EMPTY_HINT, id="collection-empty", markup=False)
        if self._collection is not None:
            yield self._request_tree()

    def on_mount(self) -> None:
        self._composed = True
        self.set_collection(self._collection)

    @on(Tree.NodeSelected)
    def _on_node_selected(self, event: Tree.NodeSelected[Entry]) -> None:
        # A click on a request (the keyboard goes through action_select).
        event.stop()
        self._open(event.node)

    @on(Tree.NodeHighlighted)
    def _on_node_highlighted(self, event: Tree.NodeHighlighted[Entry]) -> None:
        # Which keys apply follows the cursor: a request, a folder, the collection.
        event.stop()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("rename", "duplicate", "delete"):
            return self._cursor_index() is not None or self._cursor_folder() is not None or None
        if action == "move":
            return self._cursor_index() is not None or None
        if action in ("select", "run", "new_folder"):
            return self._collection is not None or None
        return True

    def action_select(self) -> None:
        if self._requests_tree is None:
            return
        node = self._requests_tree.cursor_node
        if node is None:
            return
        if node.data is not None and node.data.kind == "request":
            self._open(node)
        else:
            node.toggle()

    def action_new(self) -> None:
        _index, folder = self.selected()
        self.post_message(self.NewRequested(folder or ""))

    def action_rename(self) -> None:
        index, folder = self._cursor_index(), self._cursor_folder()
        if index is not None:
            self.post_message(self.RenameRequested(index))
        elif folder is not None:
            self.post_message(self.FolderEditRequested("rename", folder))

    def action_duplicate(self) -> None:
        index, folder = self._cursor_index(), self._cursor_folder()
        if index is not None:
            self.post_message(self.DuplicateRequested(index))
        elif folder is not None:
            self.post_message(self.FolderEditRequested("duplicate", folder))

    def action_delete(self) -> None:
        index, folder = self._cursor_index(), self._cursor_folder()
        if index is not None:
            self.post_message(self.DeleteRequested(index))
        elif folder is not None:
            self.post_message(self.FolderEditRequested("delete", folder))

    def action_open_collection(self) -> None:
        self.post_message(self.OpenRequested())

    def action_move(self) -> None:
        index = self._cursor_index()
        if index is not None and self._collection is not None:
            self.post_message(self.FolderEditRequested("move", self._collection.requests[index].folder, index))

    def action_new_folder(self) -> None:
        if self._collection is not None:
            self.post_message(self.FolderEditRequested("new", self._cursor_folder() or "", self._cursor_index()))

    def action_run(self) -> None:
        """Run the folder under the cursor; on the root, or a request outside any folder, everything."""
        if self._collection is None or self._requests_tree is None:
            return
        node = self._requests_tree.cursor_node
        entry = node.data if node is not None else None
        folder: str | None = None
        if entry is not None and entry.kind == "folder":
            folder = entry.folder
        elif entry is not None and entry.kind == "request":
            folder = self._collection.requests[entry.index].folder or None
        self.post_message(self.RunRequested(folder))

    def set_collection(self, collection: Collection | None) -> None:
        """Show a collection (None: the empty state). Expanded folders and the cursor stay where they can."""
        self._collection = collection
        if not self._composed:
            return  # Not composed yet: on_mount shows it.
        self.query_one("#collection-empty", Static).display = collection is None
        if self._requests_tree is None:
            if collection is None:
                return
            # The first collection: the tree is filled below and shows once mounted.
            self.mount(self._request_tree())
        tree = self._requests_tree
        assert tree is not None
        tree.display = collection is not None
        if collection is None:
            tree.show_nothing()
            return
        target = tree.show(collection, self._empty_folders)
        # The new nodes get their lines on the next refresh.
        self.call_after_refresh(tree.move_cursor, target)

    def set_empty_folders(self, names: list[str]) -> None:
        """Show folders that hold no request yet (made in this session), after the others."""
        if names != self._empty_folders:
            self._empty_folders = list(names)
            self.set_collection(self._collection)

    def select_folder(self, folder: str) -> None:
        """Move the cursor to a folder. Posts nothing."""
        tree = self._requests_tree
        if tree is None:
            return
        node = tree.folder_node(folder)
        if node is not None:
            self.call_after_refresh(tree.move_cursor, node)

    def set_modified(self, names: set[str]) -> None:
        """Mark the requests with unsaved edits (by name)."""
        tree = self._requests_tree
        if tree is None or tree.modified == names:
            return
        tree.modified = set(names)
        tree.refresh_requests()

    def mark_running(self, index: int) -> None:
        """Show that a request of a replay is on its way."""
        self._set_result(index, Result(running=True))

    def mark_result(self, index: int, status: int | None, passed: bool, elapsed: float) -> None:
        """Show how a request fared: `✓ 200 45 ms`, or `✗ 404` (`✗ failed` when no answer came)."""
        self._set_result(index, Result(status=status, passed=passed, elapsed=elapsed))

    def clear_results(self) -> None:
        tree = self._requests_tree
        if tree is None:
            return
        tree.results = {}
        tree.refresh_requests()

    def select_index(self, index: int) -> None:
        """Move the cursor to a request (its folder is expanded). Posts nothing: the app already knows."""
        tree = self._requests_tree
        node = tree.node_for(index) if tree is not None else None
        if tree is None or node is None:
            return
        if node.parent is not None:
            node.parent.expand()
        # The expanded folder's lines exist after the next refresh.
        self.call_after_refresh(tree.move_cursor, node)

    @property
    def collection(self) -> Collection | None:
        return self._collection

    def selected(self) -> tuple[int | None, str | None]:
        """What the cursor is on: the index of the request (None on a folder or the collection) and the folder
        it is on or in (None on the collection, or on a request outside any folder)."""
        entry = self._cursor_entry()
        if entry is None or entry.kind == "root":
            return None, None
        if entry.kind == "folder":
            return None, entry.folder
        return entry.index, entry.folder or None

    def _request_tree(self) -> RequestTree:
        if self._requests_tree is None:
            self._requests_tree = RequestTree(id="collection-nodes")
        return self._requests_tree

    def _open(self, node: TreeNode[Entry]) -> None:
        entry = node.data
        if self._collection is None or entry is None or entry.kind != "request":
            return
        if 0 <= entry.index < len(self._collection.requests):
            self.post_message(self.RequestSelected(entry.index, self._collection.requests[entry.index]))

    def _cursor_entry(self) -> Entry | None:
        if not self.is_mounted or self._requests_tree is None:
            return None
        return self._requests_tree.cursor_entry

    def _cursor_index(self) -> int | None:
        entry = self._cursor_entry()
        return entry.index if entry is not None and entry.kind == "request" else None

    def _cursor_folder(self) -> str | None:
        """The folder under the cursor (not a request in it), or None."""
        entry = self._cursor_entry()
        return entry.folder if entry is not None and entry.kind == "folder" else None

    def _set_result(self, index: int, result: Result) -> None:
        if self._requests_tree is not None:
            self._requests_tree.set_result(index, result)
