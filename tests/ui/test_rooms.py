"""Rooms: a tabbed area built from a list of panes, the lazy ones built when first opened (or asked for)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Static

from explorer.ui.screens.rooms import Room, Rooms, compose_rooms

from .conftest import wait_until


class RoomsApp(App[None]):
    def __init__(self, rooms: list[Room]) -> None:
        super().__init__()
        self.rooms = rooms

    def compose(self) -> ComposeResult:
        yield from compose_rooms(self.rooms, id="area")


async def test_one_room_shows_its_pane_without_tabs() -> None:
    app = RoomsApp([Room("tab-a", "A", lambda: Static("a", id="a"))])
    async with app.run_test(size=(60, 10)):
        assert app.query_one("#a", Static).is_mounted
        assert not app.query(Rooms)


async def test_a_lazy_room_is_built_once_when_first_opened_or_asked_for() -> None:
    built: list[str] = []

    def lazy() -> Static:
        built.append("b")
        return Static("b", id="b")

    app = RoomsApp([Room("tab-a", "A", lambda: Static("a", id="a")), Room("tab-b", "B", lazy, lazy=True)])
    async with app.run_test(size=(60, 10)) as pilot:
        rooms = app.query_one("#area", Rooms)
        assert rooms.active == "tab-a" and built == [] and not app.query("#b")
        rooms.show("tab-b")
        await wait_until(pilot, lambda: bool(app.query("#b")) and app.query_one("#b").is_mounted, "the lazy pane")
        assert built == ["b"]
        assert await rooms.pane("tab-b") is app.query_one("#b", Static)
        assert await rooms.pane("tab-a") is app.query_one("#a", Static)
        rooms.show("tab-a")
        rooms.show("tab-b")
        await pilot.pause()
        assert built == ["b"], "built once"
