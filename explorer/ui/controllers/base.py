"""The base of every controller: the screen it acts for, and the few things every controller does with it; and
`runs`, a screen's action that hands over to one of its controllers."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, TypeVar, cast

from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.worker import Worker

from explorer.core.errors import ExplorerError
from explorer.ui.notify import notify_error

if TYPE_CHECKING:
    from explorer.ui.app import ExplorerApp

ResultType = TypeVar("ResultType")


class Controller:
    """Acts for a screen: opens dialogs, runs workers and notifies. Holds no widgets of its own."""

    def __init__(self, screen: Screen[Any]) -> None:
        self.screen = screen

    @property
    def app(self) -> ExplorerApp:
        # Controllers act for the screens of explorer's own app (its user settings, its keymap).
        return cast("ExplorerApp", self.screen.app)

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information") -> None:
        self.screen.notify(message, title=title, severity=severity, markup=False)

    def notify_error(self, error: ExplorerError, *, severity: SeverityLevel = "error") -> None:
        notify_error(self.screen, error, severity=severity)

    def run(
        self,
        work: Coroutine[Any, Any, ResultType],
        *,
        name: str,
        group: str,
        exclusive: bool = False,
    ) -> Worker[ResultType]:
        """Run `work` in a worker of the screen (its failures become a notification, never a crash)."""
        return self.screen.run_worker(work, name=name, group=group, exclusive=exclusive, exit_on_error=False)

    def run_in_thread(
        self, work: Callable[[], ResultType], *, name: str, group: str, exclusive: bool = False
    ) -> Worker[ResultType]:
        """Run blocking `work` (files, keyring) in a thread worker of the screen."""
        return self.screen.run_worker(
            work, name=name, group=group, exclusive=exclusive, exit_on_error=False, thread=True
        )

    def running(self, group: str) -> bool:
        """Whether a worker of this screen in `group` is running."""
        return any(w.node is self.screen and w.group == group and w.is_running for w in self.screen.workers)


def runs(path: str, **options: object) -> Callable[..., object]:
    """An action method for a screen that runs a method of one of its controllers ("tokens.fetch_now":
    `screen.tokens.fetch_now()`), with the action's parameters (`jump(2)`) and `options`. Textual awaits what a
    coroutine method returns."""
    controller, method = path.split(".")

    def action(screen: Screen[Any], *parameters: object) -> object:
        return getattr(getattr(screen, controller), method)(*parameters, **options)

    action.__doc__ = f"Runs {path}."
    return action
