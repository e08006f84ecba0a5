"""How failures reach the user: one titled notification each, never a traceback.

`notify_error` shows an `ExplorerError` (title, message, hint) as a toast; `report_worker_failure` is the one
fallback for what a worker did not expect. Panes and controllers use these instead of building toasts by hand.
"""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.notifications import SeverityLevel
from textual.widget import Widget
from textual.worker import Worker, WorkerState

from explorer.core.errors import ExplorerError


def notify_error(
    node: App[Any] | Widget, error: ExplorerError, *, severity: SeverityLevel = "error", timeout: float | None = None
) -> None:
    """Show `error` as a titled notification (its text is never read as markup)."""
    node.notify(str(error), title=error.title, severity=severity, markup=False, timeout=timeout)


def report_worker_failure(node: App[Any] | Widget, event: Worker.StateChanged) -> None:
    """The one fallback for what a worker did not expect: a notification, never a traceback or a crash."""
    if event.state is not WorkerState.ERROR:
        return
    error = event.worker.error
    detail = f"{type(error).__name__}: {error}" if error is not None else "unknown failure"
    node.notify(f"{event.worker.name or 'A task'} failed. {detail}", title="Unexpected error", severity="error")
