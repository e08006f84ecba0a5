"""The command palette's entries: every action, named "area: verb" ("token: fetch now", "theme: paper").

The app and the screen each list what they can do right now through `palette_commands()`; the provider only
matches and presents. Commands that do not apply at the moment (copy with no token) are left out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from textual.command import DiscoveryHit, Hit, Hits, Provider


@dataclass(frozen=True)
class PaletteCommand:
    name: str
    help: str
    run: Callable[[], object]


@runtime_checkable
class HasPaletteCommands(Protocol):
    def palette_commands(self) -> Iterable[PaletteCommand]: ...


class ExplorerCommands(Provider):
    """Commands of the screen the palette was opened from, then the app's."""

    def _commands(self) -> list[PaletteCommand]:
        found: list[PaletteCommand] = []
        for source in (self.screen, self.app):
            if isinstance(source, HasPaletteCommands):
                found.extend(source.palette_commands())
        return found

    async def discover(self) -> Hits:
        for command in self._commands():
            yield DiscoveryHit(command.name, command.run, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands():
            score = matcher.match(command.name)
            if score > 0:
                yield Hit(score, matcher.highlight(command.name), command.run, text=command.name, help=command.help)
