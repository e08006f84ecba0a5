"""Moving between the panes of the main screen: one key each, the sidebar shown or hidden, one pane maximized, and
the help screen that names the keys that work where the focus is.

The screen lists its areas (`sidebar_rooms`, `result_rooms`); the panes, their order and their keys follow from
those lists (see explorer/ui/panes.py), so a new pane gets its key by being listed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from textual.screen import Screen

from explorer.ui.controllers.base import Controller
from explorer.ui.palette import PaletteCommand
from explorer.ui.panes import (
    Pane,
    bring_forward,
    focus_in_sidebar,
    focus_pane,
    jump_key,
    pane_of,
    pane_widget,
    show_sidebar,
    sidebar_shown,
)
from explorer.ui.screens.rooms import Room
from explorer.ui.widgets.composer import RequestComposer
from explorer.ui.widgets.response import ResponsePane

# Listed with the panes in the help screen rather than with the other keys.
_PANE_ACTIONS = ("jump(", "toggle_sidebar", "maximize_pane")


class PaneController(Controller):
    """Jump to a pane, show or hide the sidebar, maximize a pane, and say which keys work."""

    def __init__(
        self,
        screen: Screen[Any],
        *,
        sidebar_rooms: Callable[[], list[Room]],
        result_rooms: Callable[[], list[Room]],
    ) -> None:
        """
        Args:
            sidebar_rooms: The rooms of the sidebar's tabbed area.
            result_rooms: The rooms below the composer.
        """
        super().__init__(screen)
        self._sidebar_rooms = sidebar_rooms
        self._result_rooms = result_rooms

    def panes(self) -> list[Pane]:
        """Every pane in jump-key order: the sidebar's, then the request and the panes below it."""
        panes = [Pane("Profiles", "profiles", in_sidebar=True), Pane("Token", "token", in_sidebar=True)]
        panes += _room_panes(self._sidebar_rooms(), "sidebar-rooms", in_sidebar=True)
        panes.append(Pane("Request", "composer"))
        panes += _room_panes(self._result_rooms(), "results", in_sidebar=False)
        return panes

    @property
    def sidebar_shown(self) -> bool:
        return sidebar_shown(self.screen)

    def show_sidebar(self, show: bool) -> None:
        """Show or hide the sidebar (under 100 columns it starts hidden)."""
        show_sidebar(self.screen, show)

    def toggle_sidebar(self) -> None:
        show = not self.sidebar_shown
        if not show and focus_in_sidebar(self.screen):
            # The focus would vanish with the sidebar: it goes to the request.
            self.screen.query_one(RequestComposer).focus_url()
        self.show_sidebar(show)

    def keep_focus_visible(self) -> None:
        """Move the focus to the request when what had it is hidden (the sidebar on a narrow screen) or the
        resize took it away, so keys never go to a pane the user cannot see."""
        if self.screen.focused is None or (not self.sidebar_shown and focus_in_sidebar(self.screen)):
            self.screen.query_one(RequestComposer).focus_url()

    def jump(self, position: int) -> None:
        """Focus the pane at `position` of `panes()`, showing the sidebar or bringing its tab forward first."""
        panes = self.panes()
        if not 0 <= position < len(panes):
            self.app.bell()
            return
        pane = panes[position]
        if self.screen.maximized is not None:
            self.screen.minimize()
        if pane.in_sidebar and not self.sidebar_shown:
            self.show_sidebar(True)
        elif not pane.in_sidebar and self.screen.has_class("-narrow") and self.sidebar_shown:
            # On a narrow screen the sidebar makes way again for the pane asked for.
            self.show_sidebar(False)
        bring_forward(self.screen, pane)
        # A tab just brought forward (or a lazy pane built for it) is on screen after the next refresh.
        self.screen.call_after_refresh(self._focus_pane, pane)

    def _focus_pane(self, pane: Pane) -> None:
        widget = pane_widget(self.screen, pane)
        if widget is None or not focus_pane(widget):
            self.notify(f"The {pane.name} pane has nothing to focus yet.", title=pane.name, severity="warning")

    def maximize(self) -> None:
        """Give the focused pane the whole screen, or put it back (Escape does that too)."""
        if self.screen.maximized is not None:
            self.screen.minimize()
            return
        pane = pane_of(self.screen, self.panes(), self.screen.focused)
        widget = pane_widget(self.screen, pane) if pane is not None else None
        # Not in a pane (nothing focused): the response, which is what one reads.
        self.screen.maximized = widget if widget is not None else self.screen.query_one(ResponsePane)

    def help(self) -> None:
        from explorer.ui.dialogs.keys_help import KeysHelp

        pane = pane_of(self.screen, self.panes(), self.screen.focused)
        self.app.push_screen(KeysHelp("Keys", self.key_sections(pane)))

    def key_sections(self, pane: Pane | None) -> list[tuple[str, list[tuple[str, str]]]]:
        """The keys that work now: the focused pane's, the panes', everywhere."""
        own: list[tuple[str, str]] = []
        everywhere: list[tuple[str, str]] = []
        seen: set[tuple[str, str]] = set()
        for node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if not enabled or not binding.description or binding.action.startswith(_PANE_ACTIONS):
                continue
            row = (self.app.get_key_display(binding), binding.description)
            if row in seen:
                continue
            seen.add(row)
            (everywhere if node is self.screen or node is self.app else own).append(row)
        panes = [
            (key, f"go to {item.name}")
            for position, item in enumerate(self.panes())
            if (key := jump_key(position)) is not None
        ]
        panes += [("ctrl+b", "show or hide the sidebar"), ("alt+z", "maximize the focused pane, or put it back")]
        title = f"{pane.name} pane" if pane is not None else "Here"
        return [(title, own), ("Panes", panes), ("Everywhere", everywhere)]

    def palette_commands(self) -> Iterable[PaletteCommand]:
        for position, pane in enumerate(self.panes()):
            yield PaletteCommand(
                f"pane: go to {pane.name}",
                f"Focus the {pane.name} pane",
                partial(self.jump, position),
                jump_key(position) or "",
            )


def _room_panes(rooms: list[Room], area: str, *, in_sidebar: bool) -> list[Pane]:
    tabbed = len(rooms) > 1 or any(room.lazy for room in rooms)
    return [
        Pane(
            room.title,
            room.pane_id or room.tab_id,
            area=area if tabbed else None,
            tab=room.tab_id if tabbed else None,
            in_sidebar=in_sidebar,
        )
        for room in rooms
    ]
