"""The footer of the main screen: Textual's, drawn with the first frame and rebuilt only when its keys change.

Textual's footer waits for the first `refresh_bindings` and then rebuilds all its keys after every one. The
main screen asks for that often (a profile switch, a token event, a worker ending, a focus change) and mostly
nothing the footer shows has changed, so here a rebuild is skipped when the keys it would show are the same.

When a few keys do change (sending a request greys Send and adds Cancel), only those keys are replaced: a
rebuild of all of them costs tens of milliseconds, at the very moments a request starts and ends.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer

from explorer.ui.textual_compat import FooterKey, mark_footer_bindings_ready

# What a key in the footer looks like: key, how it is shown, action, description, group, enabled, tooltip.
_KeyShown = tuple[str, str | None, str, str, object, bool, str]
# One FooterKey as Footer.compose makes it: key, key as displayed, description, action, disabled, tooltip.
_FooterKeySpec = tuple[str, str, str, str, bool, str]


class KeysFooter(Footer):
    """A `Footer` that shows its keys in the first frame and rebuilds them only when they change."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._shown: tuple[tuple[_KeyShown, ...], bool] | None = None

    def compose(self) -> ComposeResult:
        # The screen's bindings are known once it is composed: no need to wait for the first refresh, which
        # would leave the first frame without keys.
        mark_footer_bindings_ready(self)
        self._shown = self._keys()
        yield from super().compose()

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
        palette_changed = self._shown is None or keys[1] != self._shown[1]
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
        """The keys Footer.compose would show, in order, when none is in a group; else None."""
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
        return list(first_per_action.values())

    def _footer_key(self, spec: _FooterKeySpec) -> Widget:
        key, display, description, action, disabled, tooltip = spec
        return FooterKey(key, display, description, action, disabled=disabled, tooltip=tooltip).data_bind(
            compact=Footer.compact
        )

    def _keys(self) -> tuple[tuple[_KeyShown, ...], bool]:
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
        return shown, self.show_command_palette
