"""The history of requests sent: a SQLite file in the user data dir that several explorer windows share.

Each entry keeps when, the profile (tenant, stage, API client, the token's scopes: never the token), the request
as composed (its TOML table, so it reopens in the composer) and as sent (headers redacted as the "request as
sent" view shows them), and the answer: status, time, size, headers and the body up to `BODY_CAP` bytes,
compressed (a larger body is kept cut and marked truncated).

The file is created 0600 in WAL mode with a busy timeout, and every write is one `BEGIN IMMEDIATE` transaction,
so two windows writing at once wait for each other instead of losing an entry. It is bounded: past
`max_entries` entries or `max_bytes` stored, the oldest are pruned. `PRAGMA user_version` is the schema version;
`_MIGRATIONS` brings an older file up to date, and a file from a newer explorer is refused, never changed.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sqlite3
import threading
import time
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from explorer.core.errors import ExplorerError
from explorer.core.http import ResponseRecord, SentRequest
from explorer.core.model import RequestSpec
from explorer.core.safefile import FileRefused, check_write_target
from explorer.core.tokens import redact_header
from explorer.core.userpaths import HISTORY_ENV

SCHEMA_VERSION = 3
MAX_ENTRIES = 10_000
MAX_BYTES = 200 * 1024 * 1024
BODY_CAP = 1024 * 1024
REQUEST_BODY_CAP = 256 * 1024
BUSY_TIMEOUT_MS = 10_000

# Each script brings the file from its index's version to the next one.
_MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE entries (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at REAL NOT NULL,
        source TEXT NOT NULL DEFAULT 'tui',
        name TEXT NOT NULL DEFAULT '',
        collection TEXT NOT NULL DEFAULT '',
        profile TEXT NOT NULL DEFAULT '',
        tenant TEXT NOT NULL DEFAULT '',
        stage TEXT NOT NULL DEFAULT '',
        client_id TEXT NOT NULL DEFAULT '',
        scopes TEXT NOT NULL DEFAULT '',
        method TEXT NOT NULL,
        url_template TEXT NOT NULL DEFAULT '',
        url TEXT NOT NULL,
        status INTEGER,
        reason TEXT NOT NULL DEFAULT '',
        elapsed REAL NOT NULL DEFAULT 0,
        size INTEGER NOT NULL DEFAULT 0,
        error TEXT NOT NULL DEFAULT '',
        token_fetched INTEGER NOT NULL DEFAULT 0,
        retried INTEGER NOT NULL DEFAULT 0,
        stored_bytes INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE details (
        entry_id INTEGER PRIMARY KEY REFERENCES entries(id) ON DELETE CASCADE,
        spec TEXT NOT NULL DEFAULT '',
        request_headers TEXT NOT NULL DEFAULT '[]',
        request_body BLOB,
        request_body_truncated INTEGER NOT NULL DEFAULT 0,
        http_version TEXT NOT NULL DEFAULT '',
        response_headers TEXT NOT NULL DEFAULT '[]',
        response_body BLOB,
        body_truncated INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX entries_at ON entries(at);
    """,
    # The profile column answers "what did this profile send" without a scan.
    "CREATE INDEX entries_profile ON entries(profile, id);",
    # Running totals, kept by the database itself (another window or `explorer run` may write too): a new entry
    # checks the bounds without summing every entry stored, which took milliseconds per entry at 10,000.
    """
    CREATE TABLE totals (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        entries INTEGER NOT NULL,
        bytes INTEGER NOT NULL
    );
    INSERT INTO totals (id, entries, bytes) SELECT 1, COUNT(*), COALESCE(SUM(stored_bytes), 0) FROM entries;
    CREATE TRIGGER totals_after_insert AFTER INSERT ON entries BEGIN
        UPDATE totals SET entries = entries + 1, bytes = bytes + NEW.stored_bytes WHERE id = 1;
    END;
    CREATE TRIGGER totals_after_delete AFTER DELETE ON entries BEGIN
        UPDATE totals SET entries = entries - 1, bytes = bytes - OLD.stored_bytes WHERE id = 1;
    END;
    """,
)

_SUMMARY_COLUMNS = "id, at, source, name, profile, tenant, stage, method, url, status, reason, elapsed, size, error"


class HistoryError(ExplorerError):
    """The history file cannot be opened, read or written."""

    title = "History unavailable"


@dataclass(frozen=True)
class HistorySummary:
    """One line of the history list: what a list shows and filters on, without headers and bodies."""

    id: int
    at: float
    source: str
    name: str
    profile: str
    tenant: str
    stage: str
    method: str
    url: str
    status: int | None
    reason: str
    elapsed: float
    size: int
    error: str


@dataclass
class HistoryEntry:
    """Everything recorded about one request."""

    at: float
    method: str
    url: str
    id: int = 0
    source: str = "tui"
    name: str = ""
    collection: str = ""
    profile: str = ""
    tenant: str = ""
    stage: str = ""
    client_id: str = ""
    scopes: tuple[str, ...] = ()
    url_template: str = ""
    spec_toml: str = ""
    """The request as composed, as a collection's TOML, with credentials redacted."""
    request_headers: list[tuple[str, str]] = field(default_factory=list)
    request_body: bytes = b""
    request_body_truncated: bool = False
    status: int | None = None
    reason: str = ""
    http_version: str = ""
    elapsed: float = 0.0
    size: int = 0
    response_headers: list[tuple[str, str]] = field(default_factory=list)
    response_body: bytes = b""
    body_truncated: bool = False
    error: str = ""
    token_fetched: bool = False
    retried: bool = False

    def spec(self) -> RequestSpec:
        """The request to reopen in the composer (from its TOML, else from what was sent)."""
        if self.spec_toml:
            from explorer.core.collections import loads_collection

            with contextlib.suppress(ExplorerError):
                requests = loads_collection(self.spec_toml).requests
                if requests:
                    return requests[0]
        return RequestSpec(name=self.name, method=self.method, url=self.url)

    def response(self) -> ResponseRecord | None:
        """The answer as the response viewer shows it; None when the request got none."""
        if self.status is None:
            return None
        record = ResponseRecord(
            status=self.status,
            reason=self.reason,
            http_version=self.http_version,
            headers=list(self.response_headers),
            elapsed=self.elapsed,
            body=self.response_body,
            request=SentRequest(
                method=self.method,
                url=self.url,
                headers=tuple(self.request_headers),
                body=self.request_body,
                token_attached=False,
                own_authorization=False,
            ),
            retried_after_rejection=self.retried,
            started_at=self.at,
        )
        if self.body_truncated:
            record.notes.append(
                f"The body was {self.size:,} bytes; history kept the first {len(self.response_body):,}."
            )
        return record


# A JWT anywhere in what is recorded (a URL, a body typed by hand) is masked like a token in a header.
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*")


def _mask_jwts(text: str) -> str:
    return _JWT.sub(lambda m: f"{m.group(0)[:6]}…", text)


def entry_for(
    spec: RequestSpec,
    response: ResponseRecord | None,
    *,
    profile: str = "",
    tenant: str = "",
    stage: str = "",
    client_id: str = "",
    scopes: Sequence[str] = (),
    url: str = "",
    source: str = "tui",
    collection: str = "",
    error: str = "",
    token_fetched: bool = False,
    at: float | None = None,
) -> HistoryEntry:
    """A history entry for `spec` and what came back (`response`, or the `error` when nothing did).

    `url` is the resolved URL, used when there is no response to take it from.
    """
    from explorer.core.collection_writer import dumps_collection
    from explorer.core.model import Collection

    safe = spec.copy(
        name=spec.name or "From history",
        headers={k: _mask_jwts(redact_header(k, v)) for k, v in spec.headers.items()},
        url=_mask_jwts(spec.url),
        body=_mask_jwts(spec.body),
    )
    entry = HistoryEntry(
        at=time.time() if at is None else at,
        method=spec.method,
        url=_mask_jwts(url or spec.url),
        source=source,
        name=spec.name,
        collection=collection,
        profile=profile,
        tenant=tenant,
        stage=stage,
        client_id=client_id,
        scopes=tuple(scopes),
        url_template=safe.url,
        spec_toml=dumps_collection(Collection(name="history", requests=[safe])),
        error=error,
        token_fetched=token_fetched,
    )
    if response is not None:
        sent = response.request
        entry.method = sent.method
        entry.url = _mask_jwts(sent.url)
        entry.request_headers = [(k, _mask_jwts(redact_header(k, v))) for k, v in sent.headers]
        request_body = _mask_jwts(sent.body.decode("utf-8", "replace")).encode("utf-8") if sent.body else b""
        entry.request_body = request_body[:REQUEST_BODY_CAP]
        entry.request_body_truncated = len(request_body) > REQUEST_BODY_CAP
        entry.status = response.status
        entry.reason = response.reason
        entry.http_version = response.http_version
        entry.elapsed = response.elapsed
        entry.size = response.size
        entry.response_headers = [(k, redact_header(k, v)) for k, v in response.headers]
        entry.response_body = response.body[:BODY_CAP]
        entry.body_truncated = response.size > BODY_CAP
        entry.retried = response.retried_after_rejection
        if response.started_at:
            entry.at = response.started_at
    return entry


class HistoryStore:
    """The history file. Thread-safe: one connection, used under a lock, by whichever thread calls."""

    def __init__(self, path: Path, *, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES) -> None:
        self.path = Path(path)
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        try:
            # Like any file explorer writes: a directory, a FIFO, a device or a dangling link there is refused
            # (opening a FIFO would wait for a writer; SQLite would fail on the others with a vaguer word).
            target = check_write_target(self.path)
        except FileRefused as exc:
            raise HistoryError(
                f"{self.path} cannot hold the history: {exc.strerror}.",
                hint=f"Point {HISTORY_ENV} at a file (or set it to off), or move that away.",
            ) from exc
        except OSError as exc:
            raise HistoryError(f"{self.path} cannot be opened: {exc}.", hint="Check the path.") from exc
        try:
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            # Created 0600 before SQLite opens it; SQLite gives its -wal and -shm files the same mode. Without
            # blocking, should the path have become a FIFO since the look above.
            flags = os.O_CREAT | os.O_RDWR | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
            os.close(os.open(target, flags, 0o600))
            db = sqlite3.connect(target, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise HistoryError(
                f"{self.path} cannot be opened: {exc}.", hint="Check the directory's permissions."
            ) from exc
        try:
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise HistoryError(
                    f"{self.path} was written by a newer explorer (history version {version}; this one knows "
                    f"{SCHEMA_VERSION}); it is left as it is and nothing is recorded.",
                    hint="Upgrade explorer, or point EXPLORER_HISTORY at another file.",
                )
            if version == 0:
                # Set before the first table exists: pruned pages go back to the file system.
                db.execute("PRAGMA auto_vacuum = INCREMENTAL")
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            db.execute("PRAGMA foreign_keys = ON")
            self._migrate(db)
        except HistoryError:
            db.close()
            raise
        except sqlite3.DatabaseError as exc:
            db.close()
            raise HistoryError(
                f"{self.path} is not a history file explorer can read: {exc}.",
                hint="Move it away; explorer starts a new one.",
            ) from exc
        return db

    def _migrate(self, db: sqlite3.Connection) -> None:
        db.execute("BEGIN IMMEDIATE")
        try:
            # Read again inside the lock: another window may have migrated meanwhile.
            version = db.execute("PRAGMA user_version").fetchone()[0]
            for target in range(version, SCHEMA_VERSION):
                for statement in _statements(_MIGRATIONS[target]):
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {target + 1}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise HistoryError(f"{self.path} cannot be written: {exc}.") from exc
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def add(self, entry: HistoryEntry) -> int:
        """Record one entry (and prune the oldest past the bounds). Returns its id."""
        request_body = zlib.compress(entry.request_body) if entry.request_body else None
        response_body = zlib.compress(entry.response_body, 6) if entry.response_body else None
        request_headers = json.dumps(entry.request_headers)
        response_headers = json.dumps(entry.response_headers)
        stored = len(request_body or b"") + len(response_body or b"") + len(request_headers) + len(response_headers)
        stored += len(entry.spec_toml) + len(entry.url) * 2 + 200
        try:
            with self._write() as db:
                cursor = db.execute(
                    "INSERT INTO entries (at, source, name, collection, profile, tenant, stage, client_id, scopes,"
                    " method, url_template, url, status, reason, elapsed, size, error, token_fetched, retried,"
                    " stored_bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        entry.at, entry.source, entry.name, entry.collection, entry.profile, entry.tenant,
                        entry.stage, entry.client_id, " ".join(entry.scopes), entry.method, entry.url_template,
                        entry.url, entry.status, entry.reason, entry.elapsed, entry.size, entry.error,
                        int(entry.token_fetched), int(entry.retried), stored,
                    ),
                )  # fmt: skip
                entry_id = int(cursor.lastrowid or 0)
                db.execute(
                    "INSERT INTO details (entry_id, spec, request_headers, request_body, request_body_truncated,"
                    " http_version, response_headers, response_body, body_truncated)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        entry_id, entry.spec_toml, request_headers, request_body, int(entry.request_body_truncated),
                        entry.http_version, response_headers, response_body, int(entry.body_truncated),
                    ),
                )  # fmt: skip
                pruned = self._prune(db)
        except sqlite3.Error as exc:
            raise HistoryError(f"{self.path}: the request could not be recorded: {exc}.") from exc
        if pruned:
            with contextlib.suppress(sqlite3.Error), self._lock:
                self._db.execute("PRAGMA incremental_vacuum")
        entry.id = entry_id
        return entry_id

    def _prune(self, db: sqlite3.Connection) -> int:
        """Delete the oldest entries past the bounds; the number deleted."""
        count, stored = db.execute("SELECT entries, bytes FROM totals WHERE id = 1").fetchone()
        if count <= self.max_entries and stored <= self.max_bytes:
            return 0
        cut = db.execute("SELECT id FROM entries ORDER BY id DESC LIMIT 1 OFFSET ?", (self.max_entries,)).fetchone()
        over = db.execute(
            "SELECT id FROM (SELECT id, SUM(stored_bytes) OVER (ORDER BY id DESC) AS running FROM entries)"
            " WHERE running > ? ORDER BY id DESC LIMIT 1",
            (self.max_bytes,),
        ).fetchone()
        limit = max(cut[0] if cut else 0, over[0] if over else 0)
        if not limit:
            return 0
        db.execute("DELETE FROM details WHERE entry_id <= ?", (limit,))
        return db.execute("DELETE FROM entries WHERE id <= ?", (limit,)).rowcount

    def recent(self, *, limit: int | None = None, profile: str | None = None) -> list[HistorySummary]:
        """Entries newest first, optionally only one profile's."""
        return self.search("", limit=limit, profile=profile)

    def search(self, text: str, *, limit: int | None = None, profile: str | None = None) -> list[HistorySummary]:
        """Entries whose URL, method, status, profile, tenant or name contain every word of `text`."""
        clauses: list[str] = []
        args: list[object] = []
        if profile:
            clauses.append("profile = ?")
            args.append(profile)
        for word in text.split():
            like = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            columns = ("url", "method", "CAST(status AS TEXT)", "profile", "tenant", "stage", "name")
            clauses.append("(" + " OR ".join(f"{column} LIKE ? ESCAPE '\\'" for column in columns) + ")")
            args += [like] * len(columns)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        query = f"SELECT {_SUMMARY_COLUMNS} FROM entries{where} ORDER BY id DESC"
        if limit is not None:
            query += " LIMIT ?"
            args.append(limit)
        with self._lock:
            try:
                rows = self._db.execute(query, args).fetchall()
            except sqlite3.Error as exc:
                raise HistoryError(f"{self.path} cannot be read: {exc}.") from exc
        return [HistorySummary(*row) for row in rows]

    def get(self, entry_id: int) -> HistoryEntry | None:
        """One entry in full, or None when it was pruned or cleared."""
        with self._lock:
            try:
                row = self._db.execute(
                    "SELECT e.id, e.at, e.source, e.name, e.collection, e.profile, e.tenant, e.stage, e.client_id,"
                    " e.scopes, e.method, e.url_template, e.url, e.status, e.reason, e.elapsed, e.size, e.error,"
                    " e.token_fetched, e.retried, d.spec, d.request_headers, d.request_body,"
                    " d.request_body_truncated, d.http_version, d.response_headers, d.response_body, d.body_truncated"
                    " FROM entries e LEFT JOIN details d ON d.entry_id = e.id WHERE e.id = ?",
                    (entry_id,),
                ).fetchone()
            except sqlite3.Error as exc:
                raise HistoryError(f"{self.path} cannot be read: {exc}.") from exc
        if row is None:
            return None
        (id_, at, source, name, collection, profile, tenant, stage, client_id, scopes, method, url_template, url,
         status, reason, elapsed, size, error, token_fetched, retried, spec, request_headers, request_body,
         request_body_truncated, http_version, response_headers, response_body, body_truncated) = row  # fmt: skip
        return HistoryEntry(
            id=id_, at=at, source=source, name=name, collection=collection, profile=profile, tenant=tenant,
            stage=stage, client_id=client_id, scopes=tuple(scopes.split()), method=method,
            url_template=url_template, url=url, status=status, reason=reason, elapsed=elapsed, size=size,
            error=error, token_fetched=bool(token_fetched), retried=bool(retried), spec_toml=spec or "",
            request_headers=[tuple(h) for h in json.loads(request_headers or "[]")],
            request_body=zlib.decompress(request_body) if request_body else b"",
            request_body_truncated=bool(request_body_truncated), http_version=http_version or "",
            response_headers=[tuple(h) for h in json.loads(response_headers or "[]")],
            response_body=zlib.decompress(response_body) if response_body else b"",
            body_truncated=bool(body_truncated),
        )  # fmt: skip

    def count(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM entries").fetchone()[0])

    def clear(self) -> int:
        """Delete every entry; the number deleted. The file shrinks back."""
        with self._write() as db:
            db.execute("DELETE FROM details")
            deleted = db.execute("DELETE FROM entries").rowcount
        with contextlib.suppress(sqlite3.Error), self._lock:
            self._db.execute("PRAGMA incremental_vacuum")
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return int(deleted)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _statements(script: str) -> list[str]:
    """A migration script as single statements (executescript would commit the open transaction); a trigger's
    body holds semicolons of its own, so a statement ends where SQLite says it is complete."""
    statements: list[str] = []
    pending = ""
    for part in script.split(";"):
        pending += part + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                statements.append(pending.strip())
            pending = ""
    if pending.strip(" \n;"):
        statements.append(pending.strip())
    return statements
