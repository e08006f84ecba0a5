"""Why there is no response: an error's title, its message and what to check next, each wrapped to the pane."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from explorer.core.errors import ExplorerError


class ErrorView(Vertical):
    """One error, shown in place of a response (built the first time one is shown: not part of the first frame).

    `show` may be called as soon as the view is mounted, before its parts are: they are made here and filled at once.
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._title = Static("", id="error-title", markup=False)
        self._message = Static("", id="error-message", markup=False)
        self._hint = Static("", id="error-hint", markup=False)

    def compose(self) -> ComposeResult:
        yield self._title
        yield self._message
        yield self._hint

    def show(self, error: ExplorerError) -> None:
        """Show `error`, the hint only when it has one."""
        self._title.update(error.title)
        self._message.update(error.message)
        self._hint.update(error.hint)
        self._hint.display = bool(error.hint)
