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

from explorer.app.demo import demo_history_path
from explorer.app.recorder import HistoryRecorder
from explorer.core.errors import ExplorerError
from explorer.ui.controllers.base import Controller
from explorer.ui.palette import PaletteCommand
from explorer.ui.screens.rooms import open_room
from explorer.ui.widgets.composer import RequestComposer
from explorer.ui.widgets.response import ResponsePane

if TYPE_CHECKING:
    from explorer.app.sending import SendPlan
    from explorer.app.session import Session
    from explorer.core.history import HistoryEntry
    from explorer.core.http import ResponseRecord
    from explorer.core.model import RequestSpec
    from explorer.ui.controllers.collection import CollectionController
    from explorer.ui.widgets.history_pane import HistoryPane


class HistoryController(Controller):
    """Record, list, reopen and compare."""

    def __init__(
        self,
        screen: Screen[Any],
        session: Session,
        *,
        collections: CollectionController,
        save_new: Callable[[], object],
        show_response: Callable[[], object],
    ) -> None:
        """
        Args:
            collections: The collection on screen.
            save_new: Save the composer's request as a new one of the collection (an entry saved from the history).
            show_response: Bring the response pane to the front.
        """
        super().__init__(screen)
        self.session = session
        self._collections = collections
        self._save_new = save_new
        self._show_response = show_response
        self._recorder: HistoryRecorder | None = None

    def _enabled(self) -> bool:
        """Whether the user's settings allow a history (read when it is first needed)."""
        return bool(self.app.user.history)

    async def _pane(self) -> HistoryPane:
        """The History pane, built the first time it is needed, brought to the front."""
        return await open_room(self.screen, "results", "tab-history")  # type: ignore[return-value]

    @property
    def recorder(self) -> HistoryRecorder:
        if self._recorder is None:
            from explorer.core.userpaths import history_path

            path = None
            if self._enabled():
                # The demo's sends stay out of the user's history: they are kept in the demo's own, for the session.
                path = demo_history_path() if self.app.settings.demo else history_path()
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
        collection = self._collections.collection
        self.recorder.record(
            spec,
            response,
            engine.profile,
            token=engine.tokens.token,
            error=error.one_line() if error is not None else "",
            url=url,
            collection=collection.name if collection is not None else "",
        )

    def sending(self) -> None:
        """A request is on its way: the history file is opened meanwhile, off the event loop, once the frame that
        shows the request on its way is drawn (the thread that opens it holds the interpreter's lock half the time)."""
        if self.session.active_engine is not None:
            self.screen.call_after_refresh(self.recorder.open_soon)

    def answered(self, plan: SendPlan, record: ResponseRecord | None, error: ExplorerError | None) -> None:
        """Record a send and what came back of it (an answer, or the error that stopped it)."""
        url = ""
        if record is None:
            try:
                url = plan.engine.prepare(plan.spec, plan.variables, plan.captured).full_url()
            except Exception:  # the URL itself may be what failed
                url = plan.spec.url
        self.record(plan.spec, record, error=error, url=url)

    def show(self) -> None:
        """Bring the History pane to the front, with the cursor in its filter."""
        self.run(self._show(), name="History", group="history-show")

    async def _show(self) -> None:
        pane = await self._pane()
        # After the tab has come to the front: showing it moves the focus too.
        self.screen.call_after_refresh(pane.query_one("#history-filter").focus)

    def search(self, text: str) -> None:
        """List the entries that match `text` in the History pane."""
        from explorer.ui.widgets.history_pane import PAGE, build_rows

        # Not typed by class: the pane's module is imported with its first use.
        pane: HistoryPane = self.screen.query_one("#history")  # type: ignore[assignment]
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
            self._save_new()

    def _reopen(self, spec: RequestSpec, record: ResponseRecord | None) -> None:
        """Show a request in the composer and its answer (None: it got none) in the viewer."""
        self._collections.loaded_index = None
        self.screen.query_one(RequestComposer).load(spec)
        response = self.screen.query_one(ResponsePane)
        if record is not None:
            response.show_response(record)
        else:
            response.clear()
        self._show_response()
        # The focus leaves the History pane too: a focus left behind in a hidden tab brings that tab back.
        response.query_one("#response-body").focus()
        self.screen.refresh_bindings()

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
        """Finish the queued writes (blocking: the screen calls it on a thread on its way out)."""
        if self._recorder is not None:
            self._recorder.close()

    def palette_commands(self) -> Iterable[PaletteCommand]:
        yield PaletteCommand("history: show", "The requests sent, newest first (filter, reopen, compare)", self.show)


def _label(entry: HistoryEntry) -> str:
    when = datetime.fromtimestamp(entry.at).strftime("%Y-%m-%d %H:%M:%S")
    status = entry.status if entry.status is not None else "---"
    return f"{when} · {entry.profile} · {entry.method} {status}"
