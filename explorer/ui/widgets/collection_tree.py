"""The collection tree: a collection's folders and requests, with the result of the last replay on each request.

Requests are leaves labelled with their method (coloured through component classes, so they follow the theme)
and name. The widget never changes the collection: it asks the app to (messages), and the app hands the
changed collection back with `set_collection`. Indexes are positions in `collection.requests`. The tree itself
is built when the first collection arrives: without one there is only the hint.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static, Tree
from textual.widgets.tree import TreeNode

from explorer.core.model import METHODS, Collection, RequestSpec

# Wide enough for the longest method, so names line up.
_BADGE_WIDTH = 6
_METHOD_WIDTH = max(len(method) for method in METHODS)

EMPTY_HINT = (
    "No collection.\n\nPress o to open one (or start explorer with --collection FILE), or ctrl+s to save the"
    " current request into a new one."
)


@dataclass(frozen=True)
class _Entry:
    """What a node of the tree stands for."""

    kind: Literal["root", "folder", "request"]
    index: int = -1
    folder: str = ""


@dataclass(frozen=True)
class _Result:
    """A request's badge: running, or how its last replay went."""

    running: bool = False
    status: int | None = None
    passed: bool = False
    elapsed: float = 0.0


class RequestTree(Tree[_Entry], inherit_bindings=False):
    """The tree inside `CollectionTree`: draws method, name and badge; leaves the keys to its parent.

    Enter is not bound here, so `CollectionTree`'s own (remappable) binding handles it.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", "Cursor up", show=False, id="collection.cursor_up"),
        Binding("down", "cursor_down", "Cursor down", show=False, id="collection.cursor_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="collection.page_up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="collection.page_down"),
        Binding("home", "scroll_home", "First", show=False, id="collection.first"),
        Binding("end", "scroll_end", "Last", show=False, id="collection.last"),
        Binding("space", "toggle_node", "Expand or collapse", show=False, id="collection.toggle"),
        Binding("left,shift+left", "cursor_parent", "Go to folder", show=False, id="collection.parent"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "request-tree--folder",
        "request-tree--name",
        "request-tree--running",
        "request-tree--passed",
        "request-tree--failed",
        "request-tree--modified",
        *(f"request-tree--{method.lower()}" for method in METHODS),
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", data=_Entry("root"), id=id)
        # Shallow guides: the sidebar is narrow, and the names matter more than the lines.
        self.guide_depth = 2
        self.requests: list[RequestSpec] = []
        self.results: dict[int, _Result] = {}
        # Names of the requests with unsaved edits: marked after their name.
        self.modified: set[str] = set()

    def render_label(self, node: TreeNode[_Entry], base_style: Style, style: Style) -> Text:
        entry = node.data
        if entry is None or entry.kind != "request" or not 0 <= entry.index < len(self.requests):
            if entry is not None and entry.kind == "folder":
                style = self.get_component_rich_style("request-tree--folder", partial=True) + style
            return super().render_label(node, base_style, style)
        spec = self.requests[entry.index]
        method = spec.method.upper()
        method_class = f"request-tree--{method.lower()}" if method in METHODS else "request-tree--name"
        parts: list[tuple[str, Style]] = []
        # The badge goes first, in a fixed width, so a long name cannot push it out of the narrow sidebar.
        result = self.results.get(entry.index)
        if result is not None:
            parts.append(_badge(result, self))
        elif self.results:
            parts.append((" " * _BADGE_WIDTH, Style()))
        parts += [
            (f"{method:<{_METHOD_WIDTH}} ", self.get_component_rich_style(method_class, partial=True)),
            (spec.name or "(unnamed)", self.get_component_rich_style("request-tree--name", partial=True)),
        ]
        if spec.name in self.modified:
            parts.append((" ●", self.get_component_rich_style("request-tree--modified", partial=True)))
        label = Text.assemble(*parts)
        label.stylize(style)
        return label


def _badge(result: _Result, tree: RequestTree) -> tuple[str, Style]:
    if result.running:
        text, component = "…", "request-tree--running"
    elif result.status is None:
        text, component = "✗ err", "request-tree--failed"
    else:
        mark = "✓" if result.passed else "✗"
        text, component = f"{mark} {result.status}", "request-tree--passed" if result.passed else "request-tree--failed"
    # Only the status: times are in the replay table.
    return (f"{text:<{_BADGE_WIDTH}}", tree.get_component_rich_style(component, partial=True))


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
        """The user asked for a new request (in the folder under the cursor, if the app wants)."""

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
    def _on_node_selected(self, event: Tree.NodeSelected[_Entry]) -> None:
        # A click on a request (the keyboard goes through action_select).
        event.stop()
        self._open(event.node)

    @on(Tree.NodeHighlighted)
    def _on_node_highlighted(self, event: Tree.NodeHighlighted[_Entry]) -> None:
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
        self.post_message(self.NewRequested())

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
        previous = tree.requests
        tree.display = collection is not None
        if collection is None:
            tree.requests = []
            tree.results = {}
            tree.clear()
            return
        collapsed = {
            node.data.folder
            for node in tree.root.children
            if node.data is not None and node.data.kind == "folder" and not node.is_expanded
        }
        cursor = tree.cursor_node.data if tree.cursor_node is not None else None
        # A badge stays only on a request that is still the same one at the same place.
        tree.results = {
            index: result
            for index, result in tree.results.items()
            if index < len(collection.requests)
            and index < len(previous)
            and _same_request(previous[index], collection.requests[index])
        }
        tree.requests = list(collection.requests)
        tree.clear()
        tree.root.set_label(Text(collection.name, style="bold"))
        tree.root.expand()
        folders: dict[str, TreeNode[_Entry]] = {}
        for name in collection.folders():
            folders[name] = tree.root.add(name, data=_Entry("folder", folder=name), expand=name not in collapsed)
        for name in self._empty_folders:
            if name not in folders:
                label = Text.assemble(name, ("  (empty)", "italic"))
                folders[name] = tree.root.add(label, data=_Entry("folder", folder=name), allow_expand=False)
        for index, spec in enumerate(collection.requests):
            parent = folders.get(spec.folder, tree.root)
            parent.add_leaf(spec.name, data=_Entry("request", index=index, folder=spec.folder))
        self._restore_cursor(cursor)

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
        node = next((n for n in tree.root.children if n.data == _Entry("folder", folder=folder)), None)
        if node is not None:
            self.call_after_refresh(tree.move_cursor, node)

    def set_modified(self, names: set[str]) -> None:
        """Mark the requests with unsaved edits (by name)."""
        tree = self._requests_tree
        if tree is None or tree.modified == names:
            return
        tree.modified = set(names)
        for node in self._request_nodes():
            node.refresh()

    def mark_running(self, index: int) -> None:
        """Show that a request of a replay is on its way."""
        self._set_result(index, _Result(running=True))

    def mark_result(self, index: int, status: int | None, passed: bool, elapsed: float) -> None:
        """Show how a request fared: `✓ 200 45 ms`, or `✗ 404` (`✗ failed` when no answer came)."""
        self._set_result(index, _Result(status=status, passed=passed, elapsed=elapsed))

    def clear_results(self) -> None:
        tree = self._requests_tree
        if tree is None:
            return
        tree.results = {}
        for node in self._request_nodes():
            node.refresh()

    def select_index(self, index: int) -> None:
        """Move the cursor to a request (its folder is expanded). Posts nothing: the app already knows."""
        node = self._node_for(index)
        if node is None or self._requests_tree is None:
            return
        if node.parent is not None:
            node.parent.expand()
        # The expanded folder's lines exist after the next refresh.
        self.call_after_refresh(self._requests_tree.move_cursor, node)

    @property
    def collection(self) -> Collection | None:
        return self._collection

    def _request_tree(self) -> RequestTree:
        if self._requests_tree is None:
            self._requests_tree = RequestTree(id="collection-nodes")
        return self._requests_tree

    def _open(self, node: TreeNode[_Entry]) -> None:
        entry = node.data
        if self._collection is None or entry is None or entry.kind != "request":
            return
        if 0 <= entry.index < len(self._collection.requests):
            self.post_message(self.RequestSelected(entry.index, self._collection.requests[entry.index]))

    def _cursor_index(self) -> int | None:
        if not self.is_mounted or self._requests_tree is None:
            return None
        node = self._requests_tree.cursor_node
        if node is None or node.data is None or node.data.kind != "request":
            return None
        return node.data.index

    def _cursor_folder(self) -> str | None:
        """The folder under the cursor (not a request in it), or None."""
        if not self.is_mounted or self._requests_tree is None:
            return None
        node = self._requests_tree.cursor_node
        if node is None or node.data is None or node.data.kind != "folder":
            return None
        return node.data.folder

    def _request_nodes(self) -> list[TreeNode[_Entry]]:
        found: list[TreeNode[_Entry]] = []
        if self._requests_tree is None:
            return found
        pending = [self._requests_tree.root]
        while pending:
            node = pending.pop()
            if node.data is not None and node.data.kind == "request":
                found.append(node)
            pending.extend(node.children)
        return found

    def _node_for(self, index: int) -> TreeNode[_Entry] | None:
        for node in self._request_nodes():
            if node.data is not None and node.data.index == index:
                return node
        return None

    def _set_result(self, index: int, result: _Result) -> None:
        if self._requests_tree is None:
            return
        self._requests_tree.results[index] = result
        node = self._node_for(index)
        if node is not None:
            node.refresh()

    def _restore_cursor(self, entry: _Entry | None) -> None:
        tree = self._request_tree()
        target: TreeNode[_Entry] | None = None
        if entry is not None and entry.kind == "request" and tree.requests:
            target = self._node_for(min(entry.index, len(tree.requests) - 1))
        elif entry is not None and entry.kind == "folder":
            target = next((node for node in tree.root.children if node.data == entry), None)
        if target is None:
            target = tree.root
        # The new nodes get their lines on the next refresh.
        self.call_after_refresh(tree.move_cursor, target)


def _same_request(old: RequestSpec, new: RequestSpec) -> bool:
    return (old.name, old.method, old.url) == (new.name, new.method, new.url)
