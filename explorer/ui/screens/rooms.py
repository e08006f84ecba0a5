"""Where panes live on the main screen: tabbed areas ("rooms") built from a list, each tab built when first needed.

The main screen has two such areas, each a list of `Room`s: the sidebar's (below the profiles and the token,
today the collection tree) and the results' (below the composer: the response, the replay results). A new pane
is one more `Room` in one of those lists (see `MainScreen.sidebar_rooms` / `result_rooms`). An area of one
room shows its pane without a tab bar; with more, a tab bar switches between them.

A lazy room is built the first time its tab is opened or `Rooms.pane()` asks for it, so a pane nobody looks at
costs nothing at start-up (the first frame stays fast: see docs/ARCHITECTURE.md).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.dom import DOMNode
from textual.widget import AwaitMount, Widget

from explorer.ui.widgets.tabbed import TabbedPanes, TabPane


@dataclass(frozen=True)
class Room:
    """One tab of an area: its id, its label, and how to build the pane it shows."""

    tab_id: str
    title: str
    build: Callable[[], Widget]
    # Built the first time the tab is opened (or its pane is asked for), not at start-up.
    lazy: bool = False
    # The id of the widget `build` makes: the pane that the jump keys focus and maximize (see ui/panes.py).
    pane_id: str | None = None


class Rooms(TabbedPanes):
    """A tabbed area whose lazy tabs are built when first opened."""

    def __init__(self, rooms: Sequence[Room], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rooms = {room.tab_id: room for room in rooms}
        self._mounting: dict[str, tuple[Widget, AwaitMount]] = {}

    @on(TabbedPanes.TabActivated)
    async def _build_on_open(self, event: TabbedPanes.TabActivated) -> None:
        # Not stopped: the screen may also want to know which tab is open.
        if event.tabbed is self and event.pane.id is not None and event.pane.id in self.rooms:
            await self.pane(event.pane.id)

    async def pane(self, tab_id: str) -> Widget:
        """The pane of `tab_id`, built and mounted now if it was not yet."""
        room = self.rooms[tab_id]
        if not room.lazy:
            return self.get_pane(tab_id).children[0]
        if tab_id not in self._mounting:
            widget = room.build()
            self._mounting[tab_id] = (widget, self.get_pane(tab_id).mount(widget))
        widget, mounted = self._mounting[tab_id]
        await mounted
        return widget

    def show(self, tab_id: str) -> None:
        """Bring `tab_id` to the front (a lazy pane is built as it opens)."""
        if self.active != tab_id:
            self.active = tab_id


def lazy_room(tab_id: str, title: str, widget: str, *, pane_id: str) -> Room:
    """A room built the first time it is opened, whose widget ("package.module:Class", made with `id=pane_id`) is
    imported only then too: start-ups are many, openings of a given pane few."""
    module, _, name = widget.partition(":")

    def build() -> Widget:
        built: Widget = getattr(importlib.import_module(module), name)(id=pane_id)
        return built

    return Room(tab_id, title, build, lazy=True, pane_id=pane_id)


def compose_rooms(rooms: Sequence[Room], *, id: str) -> ComposeResult:
    """The area for `rooms`: the pane itself when there is one (no tab bar), else a `Rooms` with a tab each."""
    if len(rooms) == 1 and not rooms[0].lazy:
        yield rooms[0].build()
        return
    with Rooms(rooms, id=id):
        for room in rooms:
            yield TabPane(room.title, *([] if room.lazy else [room.build()]), id=room.tab_id)


async def open_room(screen: DOMNode, area: str, tab_id: str) -> Widget:
    """The pane of `tab_id` in the screen's area `area`, built the first time it is needed, brought to the front."""
    rooms = screen.query_one(f"#{area}", Rooms)
    pane = await rooms.pane(tab_id)
    rooms.show(tab_id)
    return pane
