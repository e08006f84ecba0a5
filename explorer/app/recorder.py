"""The app's side of the history: every request sent is recorded on a background thread, never on the event loop.

The history file is opened on that thread when the first request is recorded or the History pane first asks, so
the app starts without SQLite. A problem with the file is reported once (through `on_error`) and history stays off
for the session; the requests themselves are never held up by it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from explorer.core.errors import ExplorerError

if TYPE_CHECKING:
    from explorer.core.history import HistoryEntry, HistoryStore, HistorySummary
    from explorer.core.http import ResponseRecord
    from explorer.core.model import RequestSpec
    from explorer.core.profiles import Profile
    from explorer.core.tokens import Token


class HistoryRecorder:
    """Writes history entries in order on one thread; reads run on the caller's thread (a worker's)."""

    def __init__(self, path: Path | None, *, on_error: Callable[[ExplorerError], None] | None = None) -> None:
        self.path = path
        self.on_error = on_error
        self._store: HistoryStore | None = None
        self._failed = path is None
        self._open_lock = threading.Lock()
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="history")
        self._pending: list[Future[object]] = []

    @property
    def enabled(self) -> bool:
        return not self._failed

    def store(self) -> HistoryStore | None:
        """The open history file (opened on first use; blocking, so call it from a thread), or None when off."""
        with self._open_lock:
            if self._store is None and not self._failed:
                from explorer.core.history import HistoryStore

                try:
                    self._store = HistoryStore(self.path)  # type: ignore[arg-type]
                except ExplorerError as exc:
                    self._failed = True
                    if self.on_error is not None:
                        self.on_error(exc)
            return self._store

    def open_soon(self) -> None:
        """Open the history file on the writer thread now (returns at once), e.g. while a first answer is awaited:
        the answer is then recorded without loading SQLite and the history's code at that moment."""
        if self._store is None and not self._failed and not self._pending:
            self._pending.append(self._writer.submit(self.store))

    def record(
        self,
        spec: RequestSpec,
        response: ResponseRecord | None,
        profile: Profile | None,
        *,
        token: Token | None = None,
        error: str = "",
        url: str = "",
        collection: str = "",
        token_fetched: bool = False,
        source: str = "tui",
    ) -> None:
        """Queue one request for the history (returns at once)."""
        if self._failed:
            return

        def write() -> None:
            from explorer.core.history import entry_for

            store = self.store()
            if store is None:
                return
            entry = entry_for(
                spec,
                response,
                profile=profile.name if profile is not None else "",
                tenant=profile.tenant if profile is not None else "",
                stage=profile.stage.value if profile is not None else "",
                client_id=profile.client_id if profile is not None else "",
                scopes=token.scopes if token is not None else (),
                url=url,
                source=source,
                collection=collection,
                error=error,
                token_fetched=token_fetched,
            )
            try:
                store.add(entry)
            except ExplorerError as exc:
                if self.on_error is not None:
                    self.on_error(exc)

        self._pending = [f for f in self._pending if not f.done()]
        self._pending.append(self._writer.submit(write))

    def flush(self) -> None:
        """Wait for the queued writes (blocking)."""
        for future in list(self._pending):
            future.result()

    def search(self, text: str, *, limit: int | None = None) -> list[HistorySummary]:
        """Entries matching `text`, newest first, the ones still queued included (blocking)."""
        self.flush()
        store = self.store()
        return store.search(text, limit=limit) if store is not None else []

    def get(self, entry_id: int) -> HistoryEntry | None:
        self.flush()
        store = self.store()
        return store.get(entry_id) if store is not None else None

    def close(self) -> None:
        """Finish the queued writes and close the file (blocking: call from a thread or after the app stopped)."""
        self._writer.shutdown(wait=True)
        with self._open_lock:
            if self._store is not None:
                self._store.close()
                self._store = None
