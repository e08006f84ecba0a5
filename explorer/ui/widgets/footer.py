"""The footer of the main screen: Textual's, drawn with the first frame and rebuilt only when its keys change.

Textual's footer waits for the first `refresh_bindings` and then rebuilds all its keys after every one. The
main screen asks for that often (a profile switch, a token event, a worker ending, a focus change) and mostly
nothing the footer shows has changed, so here a rebuild is skipped when the keys it would show are the same.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer

# What a key in the footer looks like: key, how it is shown, action, description, group, enabled, tooltip.
_KeyShown = tuple[str, str | None, str, str, object, bool, str]


class KeysFooter(Footer):
    """A `Footer` that shows its keys in the first frame and rebuilds them only when they change."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._shown: tuple[tuple[_KeyShown, ...], bool] | None = None

    def compose(self) -> ComposeResult:
        # The screen's bindings are known once it is composed: no need to wait for the first refresh, which
        # would leave the first frame without keys.
        self._bindings_ready = True
        self._shown = self._keys()
        yield from super().compose()

    async def recompose(self) -> None:
        keys = self._keys()
        if keys == self._shown:
            return
        self._shown = keys
        await super().recompose()

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
