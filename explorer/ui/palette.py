"""The command palette's entries: every action, named "area: verb" ("token: fetch now", "theme: paper").

Actions with a key come from the bindings themselves: `BOUND_COMMANDS` names a binding id in the palette, the
node's `check_action` says whether it applies now (greyed or hidden: left out), and the key shown beside it is
the binding's, after the user's keymap. Actions without a key (switch to a profile, replay one folder, a theme)
are listed by `palette_commands()` of the screen and the app. The provider only matches and presents.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from functools import partial
from typing import Any, Protocol, runtime_checkable

from textual.actions import parse
from textual.app import App
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode
from textual.keys import format_key

# Bound actions offered in the palette: binding id -> (name, what it does). A binding of a node the screen
# lists in `palette_nodes()` (or the app) whose id is here becomes an entry, with its current key.
BOUND_COMMANDS: dict[str, tuple[str, str]] = {
    "request.send": ("request: send", "Send the request in the composer"),
    "request.cancel": ("request: cancel", "Cancel the request on its way"),
    "request.focus_url": ("request: focus URL", "Put the cursor in the URL"),
    "catalogue.show": ("catalogue: show", "The operations of the API description, filtered as you type"),
    "request.copy_curl": ("request: copy as curl", "Copy the request as a curl line (token from explorer token)"),
    "token.fetch": ("token: fetch now", "Fetch a new token for the active profile"),
    "token.copy": ("token: copy", "Copy the access token to the clipboard"),
    "token.details": ("token: show details", "Decoded claims and the token exchange"),
    "collection.save": ("collection: save", "Save the request in the composer"),
    "collection.replay": ("collection: replay", "Replay every request in order"),
    "response.save_body": ("response: save body", "Save the raw body to a file"),
    "response.save_har": ("response: save exchange as HAR", "HAR 1.2 of the exchange, tokens and secrets masked"),
    "response.filter": ("response: filter with jq", "Show what a jq filter makes of the body (escape: full body)"),
    "response.capture": ("response: capture value", "Keep a value of the body as a variable for later requests"),
    "response.copy_body": ("response: copy body", "Copy the body on show (the jq result when filtered)"),
    "body.search": ("response: search body", "Find text in the body (then n and N)"),
    "body.wrap": ("response: toggle wrap", "Wrap long lines of the body, or scroll them sideways"),
    "app.quit": ("app: quit", "Quit explorer, asking first about unsaved edits"),
    "app.help": ("app: show keys", "The keys of the focused pane, the panes and everywhere"),
    "pane.sidebar": ("pane: show or hide the sidebar", "Profiles, token and collection"),
    "pane.maximize": ("pane: maximize or restore", "The focused pane fills the screen, or goes back"),
}


@dataclass(frozen=True)
class PaletteCommand:
    name: str
    help: str
    run: Callable[[], object]
    # The key that does the same, as the user has it (empty: none).
    key: str = ""

    @property
    def description(self) -> str:
        """The help line the palette shows: what it does, and its key."""
        return f"{self.help} ({self.key})" if self.key else self.help


@runtime_checkable
class HasPaletteCommands(Protocol):
    def palette_commands(self) -> Iterable[PaletteCommand]: ...


def key_text(binding: Binding, keymap: Mapping[str, str]) -> str:
    """The key of `binding` as people write it (`ctrl+s`, `f2`, `/`), after the user's keymap."""
    if binding.id is not None and binding.id in keymap:
        binding = replace(binding, key=keymap[binding.id].split(",")[0].strip())
    if binding.key_display:
        return binding.key_display
    modifiers, key = binding.parse_key()
    return "+".join([*modifiers, format_key(key)])


def bound_commands(app: App[Any], nodes: Iterable[DOMNode], keymap: Mapping[str, str]) -> Iterator[PaletteCommand]:
    """The palette entries of the bindings of `nodes` that apply now (their `check_action` says True)."""
    for node in nodes:
        seen: set[str] = set()
        for binding in Binding.make_bindings(node.BINDINGS):
            if binding.id is None or binding.id not in BOUND_COMMANDS or binding.id in seen:
                continue
            seen.add(binding.id)
            _namespace, action, parameters = parse(binding.action)
            if node.check_action(action, parameters) is not True:
                continue
            name, help_text = BOUND_COMMANDS[binding.id]
            # Run as the key would: by the action's name, on its node (on the next turn of the event loop).
            run = partial(app.call_later, app.run_action, binding.action, node)
            yield PaletteCommand(name, help_text, run, key=key_text(binding, keymap))


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
            yield DiscoveryHit(command.name, command.run, help=command.description)

    async def search(self, query: str) -> Hits:
        # Spaces as in the names: a double space typed must not lose the match.
        matcher = self.matcher(" ".join(query.split()))
        wanted = _folded(query)
        for command in self._commands():
            score = matcher.match(command.name)
            if score > 0:
                score = rank(wanted, command.name, score)
                yield Hit(
                    score, matcher.highlight(command.name), command.run, text=command.name, help=command.description
                )


# Ranks above any fuzzy score (which grows with the length of the name, but stays in the hundreds).
_EXACT, _PREFIX, _WORDS = 1e9, 1e8, 1e7


def _folded(text: str) -> str:
    return " ".join(text.casefold().split())


def rank(query: str, name: str, fuzzy: float) -> float:
    """How high a command named `name` stands for `query` (folded): the command typed out in full first, then
    those it begins, then those holding it as typed, then the fuzzy matches by their own score."""
    folded = _folded(name)
    if folded == query:
        return _EXACT
    if folded.startswith(query):
        return _PREFIX + fuzzy
    if query in folded:
        return _WORDS + fuzzy
    return fuzzy
