"""The footer of the main screen and of the dialogs: the keys that work now, drawn as one line by the footer itself.

Textual's footer holds a widget per key and rebuilds them all after every change of bindings; a key that appears,
goes or changes width lays out the whole screen, twice (once for the change, once for the sizes it changed), and
the keys change at the very moments a request starts and ends (Send greyed, Cancel added, then back), when a key
typed must still answer within 100 ms. Here the footer is one widget of fixed size that draws its keys: a change
of keys repaints one row and lays nothing out. It looks and answers as Textual's: a click runs the key (a bell
for a greyed one), the key under the pointer is highlighted and shows its tooltip.

Keys are shown in order (the focused pane's first, then the screen's) as long as they fit whole: a key that
would be cut is left out with those after it, never shown as half a word. The key of the keys help (f1) comes
last, with room kept for it at every width, since it lists everything the footer has no room for; the palette's
key sits on the right.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from textual import events
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget

# The binding whose key sits on the right of the flow, beside the palette's.
HELP_BINDING_ID = "app.help"
# Between the flow and the palette's key, which is drawn last with a cell of room after it.
_PALETTE_EDGE = "▏"


@dataclass(frozen=True)
class FooterEntry:
    """One key as the footer shows it."""

    key: str  # as the binding names it ("ctrl+j"), what a click presses
    display: str  # as shown ("^j")
    description: str
    action: str
    disabled: bool = False
    tooltip: str = ""

    @property
    def width(self) -> int:
        return key_width(self.display, self.description)


def key_width(display: str, description: str) -> int:
    """Cells a key takes in the footer: " key description " (a cell each side of the key, one after the words)."""
    return cell_len(display) + cell_len(description) + 3


@dataclass(frozen=True)
class _Keys:
    """What the footer shows: the flow, the keys help's key (after the flow), the palette's (on the right)."""

    flow: tuple[FooterEntry, ...]
    help: FooterEntry | None
    palette: FooterEntry | None


class KeysFooter(Widget):
    """The main screen's keys in one line: the focused pane's and the screen's, the keys help's, the palette's."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "keys-footer--key",
        "keys-footer--description",
        "keys-footer--disabled",
        "keys-footer--hover",
        "keys-footer--edge",
    }

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._keys: _Keys | None = None
        # Where each key was last drawn (first cell, cell after it), for the pointer.
        self._spans: list[tuple[int, int, FooterEntry]] = []
        self._hover: FooterEntry | None = None

    @property
    def entries(self) -> list[FooterEntry]:
        """The keys on show at the footer's width, in the order drawn (the palette's last)."""
        return [entry for _start, _end, entry in self._place(self._current_keys())]

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        # Not while the terminal is out of focus, as Textual's footer: the keys come back as they were with it.
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            keys = self._read_keys()
            if keys != self._keys:
                self._keys = keys
                # One row, drawn again: nothing around it moves.
                self.refresh()

    def _current_keys(self) -> _Keys:
        if self._keys is None:
            # The screen's bindings are known once it is composed: the first frame shows them.
            self._keys = self._read_keys()
        return self._keys

    def _read_keys(self) -> _Keys:
        app = self.app
        bindings = self.screen.active_bindings
        first_per_action: dict[str, FooterEntry] = {}
        help_key: FooterEntry | None = None
        for _namespace, binding, enabled, tooltip in bindings.values():
            if not binding.show or binding.action in first_per_action:
                continue
            entry = FooterEntry(
                binding.key, app.get_key_display(binding), binding.description, binding.action, not enabled, tooltip
            )
            first_per_action[binding.action] = entry
            if binding.id == HELP_BINDING_ID:
                help_key = entry
        palette: FooterEntry | None = None
        if app.ENABLE_COMMAND_PALETTE and app.COMMAND_PALETTE_BINDING in bindings:
            _namespace, binding, enabled, _tooltip = bindings[app.COMMAND_PALETTE_BINDING]
            palette = FooterEntry(
                binding.key,
                app.get_key_display(binding),
                binding.description,
                binding.action,
                not enabled,
                binding.tooltip or binding.description,
            )
        flow = tuple(entry for entry in first_per_action.values() if entry is not help_key)
        return _Keys(flow, help_key, palette)

    def _place(self, keys: _Keys) -> list[tuple[int, int, FooterEntry]]:
        """Where each key goes at the footer's width: the flow's that fit whole, the help's, the palette's."""
        width = self.size.width or self.app.size.width
        # The flow's room: the palette's key takes its width, the edge before it and a cell after it; the help's
        # key and a cell are kept free.
        room = width - 1
        if keys.palette is not None:
            room -= keys.palette.width + 1
        if keys.help is not None:
            room -= keys.help.width + 1
        spans: list[tuple[int, int, FooterEntry]] = []
        x = 0
        for entry in [*_fitting(keys.flow, room), *([keys.help] if keys.help is not None else [])]:
            spans.append((x, x + entry.width, entry))
            x += entry.width
        if keys.palette is not None:
            start = width - keys.palette.width - 1
            spans.append((start, start + keys.palette.width, keys.palette))
        return spans

    def render(self) -> Content:
        keys = self._current_keys()
        self._spans = self._place(keys)
        parts: list[Content] = []
        x = 0
        for start, end, entry in self._spans:
            if entry is keys.palette:
                parts.append(Content(" " * max(0, start - x - 1)))
                parts.append(Content.styled(_PALETTE_EDGE, self.get_visual_style("keys-footer--edge")))
            parts.append(self._draw(entry))
            x = end
        return Content.assemble(*parts)

    def _draw(self, entry: FooterEntry) -> Content:
        extra = (("keys-footer--disabled",) if entry.disabled else ()) + (
            ("keys-footer--hover",) if entry == self._hover else ()
        )
        return Content.assemble(
            (f" {entry.display} ", self.get_visual_style("keys-footer--key", *extra)),
            (f"{entry.description} ", self.get_visual_style("keys-footer--description", *extra)),
        )

    def _entry_at(self, x: int) -> FooterEntry | None:
        return next((entry for start, end, entry in self._spans if start <= x < end), None)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        entry = self._entry_at(event.x)
        if entry is None:
            return
        if entry.disabled:
            self.app.bell()
        else:
            self.app.simulate_key(entry.key)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._set_hover(self._entry_at(event.x))

    def on_leave(self) -> None:
        self._set_hover(None)

    def _set_hover(self, entry: FooterEntry | None) -> None:
        if entry != self._hover:
            self._hover = entry
            self.tooltip = (entry.tooltip or None) if entry is not None else None
            self.refresh()


def _fitting(entries: Iterable[FooterEntry], room: int) -> Iterator[FooterEntry]:
    """The keys, in order, that fit whole in `room` cells."""
    for entry in entries:
        room -= entry.width
        if room < 0:
            return
        yield entry
