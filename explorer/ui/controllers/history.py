"""The history in the app: every request sent is recorded (on a thread), the History pane lists and filters it,
an entry reopens in the composer and the viewer, and two answers are compared.

The recorder is made on first use, from the user's `history` setting; the file is only ever touched on its
thread or in thread workers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from textual.screen import Screen

from explorer.app.recorder import HistoryRecorder
from explorer.core.errors import ExplorerError
from explorer.ui.controllers.base import Controller
from explorer.ui.palette import PaletteCommand

if TYPE_CHECKING:
    from explorer.app.session import Session
    from explorer.core.history import HistoryEntry
    from explorer.core.http import ResponseRecord
    from explorer.core.model import RequestSpec
    from explorer.ui.widgets.history_pane import HistoryPane


class HistoryController(Controller):
    """Record, list, reopen and compare."""

    def __init__(
        self,
        screen: Screen[Any],
        session: Session,
        *,
        enabled: Callable[[], bool],
        reopen: Callable[[RequestSpec, ResponseRecord | None], object],
        save: Callable[[], object],
        pane: Callable[[], Any],
    ) -> None:
        """
        Args:
            enabled: Whether the user's settings allow a history (read when it is first needed).
            reopen: Show a request in the composer and its answer (None: it got none) in the viewer.
            save: Save the composer's request to the collection as a new one.
            pane: Bring the History pane to the front and return it (a coroutine).
        """
        super().__init__(screen)
        self.session = session
        self._enabled = enabled
        self._reopen = reopen
        self._save = save
        self._pane = pane
        self._recorder: HistoryRecorder | None = None

    @property
    def recorder(self) -> HistoryRecorder:
        if self._recorder is None:
            from explorer.core.history import history_path

            path = history_path() if self._enabled() else None
            self._recorder = HistoryRecorder(path, on_error=self._failed)
        return self._recorder

    def _failed(self, error: ExplorerError) -> None:
        # Called on the recorder's thread.
        self.app.call_from_thread(self.notify_error, error, severity="warning")

    def record(
        self, spec: RequestSpec, response: ResponseRecord | None, *, error: ExplorerError | None = None, url: str = ""
    ) -> None:
        """Queue a request sent with the active profile (and what came back) for the history."""
        engine = self.session.active_engine
        if engine is None:
            return
        collection = self.screen.collection  # type: ignore[attr-defined]
        self.recorder.record(
            spec,
            response,
            engine.profile,
            token=engine.tokens.token,
            error=error.one_line() if error is not None else "",
            url=url,
            collection=collection.name if collection is not None else "",
        )

    def show(self) -> None:
        """Bring the History pane to the front, with the cursor in its filter."""
        self.run(self._show(), name="History", group="history-show")

    async def _show(self) -> None:
        pane = await self._pane()
        # After the tab has come to the front: showing it moves the focus too.
        self.screen.call_after_refresh(pane.query_one("#history-filter").focus)

    def search(self, pane: HistoryPane, text: str) -> None:
        from explorer.ui.widgets.history_pane import PAGE, build_rows

        recorder = self.recorder
        inputs = pane.row_inputs()

        def read() -> None:
            # One more than a page says whether older entries match too; the rows are built here, off the loop.
            items = recorder.search(text, limit=PAGE + 1)
            shown = items[:PAGE]
            options = build_rows(shown, *inputs)
            self.app.call_from_thread(
                pane.show_entries, text, shown, options, more=len(items) > PAGE, enabled=recorder.enabled
            )

        self.run_in_thread(read, name="History search", group="history-search", exclusive=True)

    def open(self, entry_id: int, *, save: bool = False) -> None:
        recorder = self.recorder

        def read() -> None:
            entry = recorder.get(entry_id)
            self.app.call_from_thread(self._opened, entry, save)

        self.run_in_thread(read, name="History entry", group="history-get", exclusive=True)

    def _opened(self, entry: HistoryEntry | None, save: bool) -> None:
        if entry is None:
            self.notify("That entry is no longer in the history.", title="History", severity="warning")
            return
        response = entry.response()
        if response is not None:
            when = datetime.fromtimestamp(entry.at).strftime("%Y-%m-%d %H:%M:%S")
            where = f" on {entry.profile}" if entry.profile else ""
            response.notes.insert(0, f"from history: sent {when}{where}")
        self._reopen(entry.spec(), response)
        if response is None and entry.error:
            self.notify(entry.error, title="From history: no answer", severity="warning")
        if save:
            self._save()

    def compare(self, first: int, second: int) -> None:
        recorder = self.recorder

        def read() -> None:
            from explorer.core.diff import diff_bodies

            old, new = recorder.get(first), recorder.get(second)
            if old is None or new is None:
                self.app.call_from_thread(self.notify, "That entry is no longer in the history.", title="Compare")
                return
            diff = diff_bodies(old.response_body, new.response_body, old_label=_label(old), new_label=_label(new))
            self.app.call_from_thread(self._show_diff, _label(old), _label(new), diff)

        self.run_in_thread(read, name="History compare", group="history-compare", exclusive=True)

    def _show_diff(self, old: str, new: str, diff: Any) -> None:
        from explorer.ui.dialogs.diff_view import DiffDialog

        self.app.push_screen(DiffDialog(old, new, diff))

    def close(self) -> None:
        """Finish the queued writes (blocking; the app calls it on its way out)."""
        if self._recorder is not None:
            self._recorder.close()

    def palette_commands(self) -> Iterable[PaletteCommand]:
        yield PaletteCommand("history: show", "The requests sent, newest first (filter, reopen, compare)", self.show)


def _label(entry: HistoryEntry) -> str:
    when = datetime.fromtimestamp(entry.at).strftime("%Y-%m-%d %H:%M:%S")
    status = entry.status if entry.status is not None else "---"
    return f"{when} · {entry.profile} · {entry.method} {status}"
