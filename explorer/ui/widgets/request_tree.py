"""The tree inside the collection pane: nodes for a collection's folders and requests, and how each is drawn.

Requests are leaves labelled with their method (coloured through component classes, so they follow the theme),
their name, a mark when they have unsaved edits and, after a replay, a badge with how they fared. The pane
(`CollectionTree`) owns the keys and the messages; this module builds and draws the nodes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from explorer.core.model import METHODS, Collection, RequestSpec

# Wide enough for the longest method, so names line up.
_BADGE_WIDTH = 6
_METHOD_WIDTH = max(len(method) for method in METHODS)


@dataclass(frozen=True)
class Entry:
    """What a node of the tree stands for. Indexes are positions in `collection.requests`."""

    kind: Literal["root", "folder", "request"]
    index: int = -1
    folder: str = ""


@dataclass(frozen=True)
class Result:
    """A request's badge: running, or how its last replay went."""

    running: bool = False
    status: int | None = None
    passed: bool = False
    elapsed: float = 0.0


class RequestTree(Tree[Entry], inherit_bindings=False):
    """Draws method, name and badge; leaves the keys to its parent.

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
        super().__init__("", data=Entry("root"), id=id)
        # Shallow guides: the sidebar is narrow, and the names matter more than the lines.
        self.guide_depth = 2
        self.requests: list[RequestSpec] = []
        self.results: dict[int, Result] = {}
        # Names of the requests with unsaved edits: marked after their name.
        self.modified: set[str] = set()

    def render_label(self, node: TreeNode[Entry], base_style: Style, style: Style) -> Text:
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
            parts.append(self._badge(result))
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

    def _badge(self, result: Result) -> tuple[str, Style]:
        if result.running:
            text, component = "…", "request-tree--running"
        elif result.status is None:
            text, component = "✗ err", "request-tree--failed"
        else:
            mark = "✓" if result.passed else "✗"
            text = f"{mark} {result.status}"
            component = "request-tree--passed" if result.passed else "request-tree--failed"
        # Only the status: times are in the replay table.
        return (f"{text:<{_BADGE_WIDTH}}", self.get_component_rich_style(component, partial=True))

    # -- building the nodes --------------------------------------------------------------------------------

    def show(self, collection: Collection, empty_folders: list[str]) -> TreeNode[Entry]:
        """Build the nodes of `collection`, then `empty_folders` (made in this session, holding no request yet).
        Collapsed folders stay collapsed, and badges stay on requests that are still the same ones at the same
        place. Returns the node the cursor should go to (where it was, as far as it can be)."""
        previous = self.requests
        collapsed = {
            node.data.folder
            for node in self.root.children
            if node.data is not None and node.data.kind == "folder" and not node.is_expanded
        }
        cursor = self.cursor_entry
        self.results = {
            index: result
            for index, result in self.results.items()
            if index < len(collection.requests)
            and index < len(previous)
            and _same_request(previous[index], collection.requests[index])
        }
        self.requests = list(collection.requests)
        self.clear()
        self.root.set_label(Text(collection.name, style="bold"))
        self.root.expand()
        folders: dict[str, TreeNode[Entry]] = {}
        for name in collection.folders():
            folders[name] = self.root.add(name, data=Entry("folder", folder=name), expand=name not in collapsed)
        for name in empty_folders:
            if name not in folders:
                label = Text.assemble(name, ("  (empty)", "italic"))
                folders[name] = self.root.add(label, data=Entry("folder", folder=name), allow_expand=False)
        for index, spec in enumerate(collection.requests):
            parent = folders.get(spec.folder, self.root)
            parent.add_leaf(spec.name, data=Entry("request", index=index, folder=spec.folder))
        return self._node_for_entry(cursor)

    def show_nothing(self) -> None:
        """No collection: no nodes, no badges."""
        self.requests = []
        self.results = {}
        self.clear()

    @property
    def cursor_entry(self) -> Entry | None:
        """What the node under the cursor stands for."""
        node = self.cursor_node
        return node.data if node is not None else None

    def request_nodes(self) -> list[TreeNode[Entry]]:
        found: list[TreeNode[Entry]] = []
        pending = [self.root]
        while pending:
            node = pending.pop()
            if node.data is not None and node.data.kind == "request":
                found.append(node)
            pending.extend(node.children)
        return found

    def node_for(self, index: int) -> TreeNode[Entry] | None:
        """The node of request `index`."""
        for node in self.request_nodes():
            if node.data is not None and node.data.index == index:
                return node
        return None

    def folder_node(self, folder: str) -> TreeNode[Entry] | None:
        return next((n for n in self.root.children if n.data == Entry("folder", folder=folder)), None)

    def set_result(self, index: int, result: Result) -> None:
        self.results[index] = result
        node = self.node_for(index)
        if node is not None:
            node.refresh()

    def refresh_requests(self) -> None:
        """Draw the requests' labels again (their marks or badges changed)."""
        for node in self.request_nodes():
            node.refresh()

    def _node_for_entry(self, entry: Entry | None) -> TreeNode[Entry]:
        target: TreeNode[Entry] | None = None
        if entry is not None and entry.kind == "request" and self.requests:
            target = self.node_for(min(entry.index, len(self.requests) - 1))
        elif entry is not None and entry.kind == "folder":
            target = self.folder_node(entry.folder)
        return target if target is not None else self.root


def _same_request(old: RequestSpec, new: RequestSpec) -> bool:
    return (old.name, old.method, old.url) == (new.name, new.method, new.url)
