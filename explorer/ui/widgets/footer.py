"""The footer of the main screen: Textual's, drawn with the first frame and rebuilt only when its keys change.

Textual's footer waits for the first `refresh_bindings` and then rebuilds all its keys after every one. The
main screen asks for that often (a profile switch, a token event, a worker ending, a focus change) and mostly
nothing the footer shows has changed, so here a rebuild is skipped when the keys it would show are the same.

When a few keys do change (sending a request greys Send and adds Cancel), only those keys are replaced: a
rebuild of all of them costs tens of milliseconds, at the very moments a request starts and ends.

Keys are shown in order (the focused pane's first, then the screen's) as long as they fit whole: a key that
would be cut is left out with those after it, never shown as half a word. The key of the keys help (f1) comes
last, with room kept for it at every width, since it lists everything the footer has no room for.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from difflib import SequenceMatcher

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer

from explorer.ui.textual_compat import FooterKey, mark_footer_bindings_ready

# What a key in the footer looks like: key, how it is shown, action, description, group, enabled, tooltip.
_KeyShown = tuple[str, str | None, str, str, object, bool, str]
# One FooterKey as Footer.compose makes it: key, key as displayed, description, action, disabled, tooltip.
_FooterKeySpec = tuple[str, str, str, str, bool, str]
# The binding whose key sits on the right, beside the palette's.
HELP_BINDING_ID = "app.help"


def key_width(display: str, description: str) -> int:
    """Cells a key takes in the footer: " key description " and the gap after it."""
    return cell_len(display) + cell_len(description) + 3


class KeysFooter(Footer):
    """A `Footer` that shows its keys in the first frame and rebuilds them only when they change."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._shown: tuple[tuple[_KeyShown, ...], bool, int] | None = None

    def compose(self) -> ComposeResult:
        # The screen's bindings are known once it is composed: no need to wait for the first refresh, which
        # would leave the first frame without keys.
        mark_footer_bindings_ready(self)
        self._shown = self._keys()
        help_key = self._help_key()
        room = self._room(help_key)
        help_shown = help_key is None
        for widget in super().compose():
            if isinstance(widget, FooterKey) and widget.has_class("-command-palette"):
                # Footer leaves this one compact (no room between key and description: "^ppalette").
                widget.data_bind(compact=Footer.compact)
                if not help_shown:
                    help_shown = True
                    yield self._footer_key(help_key)  # type: ignore[arg-type]
            elif isinstance(widget, FooterKey) and not widget.has_class("-command-palette"):
                if help_key is not None and widget.action == help_key[3]:
                    continue
                room -= key_width(widget.key_display, widget.description)
                if room < 0:
                    continue
            yield widget
        if not help_shown:
            yield self._footer_key(help_key)  # type: ignore[arg-type]

    def on_resize(self) -> None:
        # Which keys fit depends on the width.
        if self._shown is not None and self._shown[2] != self._width():
            self.call_next(self.recompose)

    def bindings_changed(self, screen: Screen[object]) -> None:
        mark_footer_bindings_ready(self)
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            # Right after the handler that changed them, not after the next refresh as Footer does: the keys
            # then change in the same frame as the rest of the screen, and a frame is not laid out twice.
            self.call_next(self.recompose)

    async def recompose(self) -> None:
        keys = self._keys()
        if keys == self._shown:
            return
        palette_changed = self._shown is None or keys[1:] != self._shown[1:]
        self._shown = keys
        if palette_changed or not await self._replace_changed_keys():
            await super().recompose()

    async def _replace_changed_keys(self) -> bool:
        """Replace only the keys that changed; False when that cannot be done (keys in groups)."""
        wanted = self._wanted_keys()
        if wanted is None:
            return False
        if not all(isinstance(child, FooterKey) for child in self.children):
            return False
        shown = [key for key in self.query_children(FooterKey) if not key.has_class("-command-palette")]
        current = [
            (key.key, key.key_display, key.description, key.action, key.has_class("-disabled"), str(key.tooltip or ""))
            for key in shown
        ]
        matcher = SequenceMatcher(None, current, wanted, autojunk=False)
        for tag, i1, i2, j1, j2 in reversed(matcher.get_opcodes()):
            if tag == "equal":
                continue
            anchor = shown[i2] if i2 < len(shown) else None
            new = [self._footer_key(spec) for spec in wanted[j1:j2]]
            for old in shown[i1:i2]:
                await old.remove()
            if new:
                if anchor is not None:
                    await self.mount_all(new, before=anchor)
                elif shown[:i1]:
                    await self.mount_all(new, after=shown[i1 - 1])
                else:
                    await self.mount_all(new, before=0)
        return True

    def _wanted_keys(self) -> list[_FooterKeySpec] | None:
        """The keys `compose` would show in the flow, in order, when none is in a group; else None."""
        first_per_action: dict[str, _FooterKeySpec] = {}
        for _namespace, binding, enabled, tooltip in self.screen.active_bindings.values():
            if not binding.show:
                continue
            if binding.group is not None:
                return None
            if binding.action not in first_per_action:
                display = self.app.get_key_display(binding)
                first_per_action[binding.action] = (
                    binding.key,
                    display,
                    binding.description,
                    binding.action,
                    not enabled,
                    tooltip,
                )
        help_key = self._help_key()
        flow = [spec for spec in first_per_action.values() if help_key is None or spec[3] != help_key[3]]
        return list(_fitting(flow, self._room(help_key))) + ([help_key] if help_key is not None else [])

    def _help_key(self) -> _FooterKeySpec | None:
        """The keys help's key, when the screen has one (shown on the right rather than in the flow)."""
        for _namespace, binding, enabled, tooltip in self.screen.active_bindings.values():
            if binding.id == HELP_BINDING_ID:
                display = self.app.get_key_display(binding)
                return (binding.key, display, binding.description, binding.action, not enabled, tooltip)
        return None

    def _width(self) -> int:
        return self.size.width or self.app.size.width

    def _room(self, help_key: _FooterKeySpec | None) -> int:
        """Cells left for the keys in the flow, after the palette's (on the right) and the help's (kept for last)."""
        room = self._width() - 1
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            room -= key_width("^p", "palette") + 1
        if help_key is not None:
            room -= key_width(help_key[1], help_key[2]) + 1
        return room

    def _footer_key(self, spec: _FooterKeySpec) -> Widget:
        key, display, description, action, disabled, tooltip = spec
        return FooterKey(key, display, description, action, disabled=disabled, tooltip=tooltip).data_bind(
            compact=Footer.compact
        )

    def _keys(self) -> tuple[tuple[_KeyShown, ...], bool, int]:
        shown = tuple(
            (
                binding.key,
                binding.key_display,
                binding.action,
                binding.description,
                binding.group,
                enabled,
                tooltip,
            )
            for _namespace, binding, enabled, tooltip in self.screen.active_bindings.values()
            if binding.show
        )
        return shown, self.show_command_palette, self._width()


def _fitting(specs: Iterable[_FooterKeySpec], room: int) -> Iterator[_FooterKeySpec]:
    """The keys, in order, that fit whole in `room` cells."""
    for spec in specs:
        room -= key_width(spec[1], spec[2])
        if room < 0:
            return
        yield spec
