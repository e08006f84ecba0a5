"""The history file: what it keeps and never keeps, its bounds, its schema versions, two writers at once."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from explorer.core.history import (
    _MIGRATIONS,
    BODY_CAP,
    SCHEMA_VERSION,
    HistoryError,
    HistoryStore,
    _statements,
    entry_for,
)
from explorer.core.http import ResponseRecord, SentRequest
from explorer.core.model import Expect, RequestSpec

TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzZXJ2aWNlLWFjY291bnQtZGVtbyJ9.c2lnbmF0dXJlLW9mLXRoZS10b2tlbi1oZXJl"
SECRET = "demo-secret-4f1c9a"


def response(
    body: bytes = b'{"items": [1, 2]}', status: int = 200, url: str = "https://api.test/v0/stores"
) -> ResponseRecord:
    return ResponseRecord(
        status=status,
        reason="OK",
        http_version="HTTP/1.1",
        headers=[("content-type", "application/json"), ("set-cookie", f"session={SECRET}")],
        elapsed=0.05,
        body=body,
        request=SentRequest(
            method="GET",
            url=url,
            headers=(("Authorization", f"Bearer {TOKEN}"), ("Accept", "application/json")),
            body=b"",
            token_attached=True,
            own_authorization=False,
        ),
        started_at=1_800_000_000.0,
    )


def spec(name: str = "List stores") -> RequestSpec:
    return RequestSpec(
        name=name,
        url="{{api_url}}/v0/stores",
        params={"count": "10"},
        headers={"X-Api-Key": SECRET, "Authorization": f"Bearer {TOKEN}"},
        expect=Expect(status="2xx", jq=(".items | length > 0",)),
        capture={"first": ".items[0]"},
    )


def test_an_entry_round_trips_and_reopens(tmp_path: Path) -> None:
    with HistoryStore(tmp_path / "history.sqlite3") as store:
        entry = entry_for(
            spec(), response(), profile="staging", tenant="acme-staging", stage="staging", client_id="svc",
            scopes=("orders:read",), collection="NewStore", token_fetched=True,
        )  # fmt: skip
        entry_id = store.add(entry)
        got = store.get(entry_id)
    assert got is not None
    assert (got.profile, got.tenant, got.stage, got.client_id, got.scopes) == (
        "staging",
        "acme-staging",
        "staging",
        "svc",
        ("orders:read",),
    )
    assert got.url_template == "{{api_url}}/v0/stores" and got.url == "https://api.test/v0/stores"
    assert got.token_fetched and got.status == 200 and got.response_body == b'{"items": [1, 2]}'
    reopened = got.spec()
    assert reopened.name == "List stores" and reopened.params == {"count": "10"}
    assert reopened.expect.status == "2xx" and reopened.capture == {"first": ".items[0]"}
    record = got.response()
    assert record is not None and record.status == 200 and record.started_at == 1_800_000_000.0


def test_no_token_or_secret_reaches_the_file(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    with HistoryStore(path) as store:
        for _ in range(3):
            store.add(entry_for(spec(), response(body=b'{"ok": true}'), profile="p"))
        store.add(entry_for(spec(), None, url=f"https://api.test/?access_token={TOKEN}", error="refused"))
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("history"))
    assert raw  # the scan reads something
    assert TOKEN.encode() not in raw and TOKEN[20:60].encode() not in raw
    assert SECRET.encode() not in raw


def test_file_is_private(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "history.sqlite3"
    with HistoryStore(path) as store:
        store.add(entry_for(spec(), response()))
    for file in path.parent.iterdir():
        assert stat.S_IMODE(file.stat().st_mode) == 0o600, file


def test_bounded_by_entries_oldest_pruned(tmp_path: Path) -> None:
    with HistoryStore(tmp_path / "h.sqlite3", max_entries=20) as store:
        for n in range(35):
            store.add(entry_for(spec(f"r{n}"), response()))
        names = [item.name for item in store.recent()]
    assert len(names) == 20 and names[0] == "r34" and names[-1] == "r15"


def test_bounded_by_bytes_and_big_bodies_are_cut(tmp_path: Path) -> None:
    body = os.urandom(BODY_CAP + 5000)  # random bytes do not compress
    with HistoryStore(tmp_path / "h.sqlite3", max_bytes=3 * BODY_CAP) as store:
        for n in range(6):
            store.add(entry_for(spec(f"r{n}"), response(body=body)))
        kept = store.recent()
        newest = store.get(kept[0].id)
    assert 1 <= len(kept) <= 3 and kept[0].name == "r5"
    assert newest is not None and newest.body_truncated and len(newest.response_body) == BODY_CAP
    assert newest.size == BODY_CAP + 5000
    record = newest.response()
    assert record is not None and "history kept the first" in record.notes[0]


def test_search_filters_by_url_method_status_and_profile(tmp_path: Path) -> None:
    with HistoryStore(tmp_path / "h.sqlite3") as store:
        store.add(entry_for(spec("a"), response(url="https://api.test/v0/stores"), profile="prod", stage="production"))
        store.add(entry_for(spec("b"), response(url="https://api.test/v1/orders", status=404), profile="staging"))
        assert [i.name for i in store.search("orders")] == ["b"]
        assert [i.name for i in store.search("404")] == ["b"]
        assert [i.name for i in store.search("get prod")] == ["a"]
        assert [i.name for i in store.search("production")] == ["a"]
        assert [i.name for i in store.recent(profile="staging")] == ["b"]
        assert store.search("100%_") == []
        assert store.clear() == 2 and store.count() == 0


_WRITER = """
import sys
from pathlib import Path
from explorer.core.history import HistoryStore, entry_for
from explorer.core.model import RequestSpec
with HistoryStore(Path(sys.argv[1])) as store:
    for n in range(int(sys.argv[3])):
        store.add(entry_for(RequestSpec(name=f"{sys.argv[2]}-{n}", url="https://a/x"), None, error="e"))
"""


def test_two_writers_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    writers = [
        subprocess.Popen([sys.executable, "-c", _WRITER, str(path), name, "150"], stderr=subprocess.PIPE)
        for name in ("left", "right")
    ]
    for writer in writers:
        _, err = writer.communicate(timeout=60)
        assert writer.returncode == 0, err.decode()
    with HistoryStore(path) as store:
        names = {item.name for item in store.recent()}
    assert len(names) == 300
    assert {f"left-{n}" for n in range(150)} <= names and {f"right-{n}" for n in range(150)} <= names


def test_an_older_file_is_migrated_and_keeps_its_entries(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    db = sqlite3.connect(path)
    for statement in _statements(_MIGRATIONS[0]):
        db.execute(statement)
    db.execute("INSERT INTO entries (at, method, url, name) VALUES (1.0, 'GET', 'https://a', 'old')")
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    with HistoryStore(path) as store:
        assert [item.name for item in store.recent()] == ["old"]
    check = sqlite3.connect(path)
    assert check.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert check.execute("SELECT name FROM sqlite_master WHERE name = 'entries_profile'").fetchone()
    check.close()


def test_a_newer_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 99")
    db.close()
    before = path.read_bytes()
    with pytest.raises(HistoryError, match="newer explorer"):
        HistoryStore(path)
    assert path.read_bytes() == before


def test_a_file_that_is_not_a_database_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(HistoryError, match="not a history file"):
        HistoryStore(path)


@pytest.mark.parametrize(
    ("make", "word"),
    [
        (lambda p: p.mkdir(), "directory"),
        (lambda p: os.mkfifo(p), "named pipe"),
        (lambda p: p.symlink_to(p.parent / "nowhere"), "does not exist"),
    ],
    ids=["directory", "fifo", "dangling-link"],
)
def test_a_path_that_is_not_a_file_is_refused_with_its_reason(tmp_path: Path, make: object, word: str) -> None:
    # A FIFO would otherwise hold the start of the history (and the app's recorder thread) until someone wrote.
    path = tmp_path / "h.sqlite3"
    make(path)  # type: ignore[operator]
    with pytest.raises(HistoryError, match=word) as caught:
        HistoryStore(path)
    assert caught.value.hint is not None and "EXPLORER_HISTORY" in caught.value.hint
    assert not path.is_file()


def test_a_link_to_a_file_is_followed(tmp_path: Path) -> None:
    real = tmp_path / "real.sqlite3"
    real.touch()
    link = tmp_path / "h.sqlite3"
    link.symlink_to(real)
    with HistoryStore(link) as store:
        store.add(entry_for(spec(), response(), profile="sandbox"))
    assert link.is_symlink() and real.stat().st_size > 0


def test_an_older_file_gets_running_totals_that_follow_every_write(tmp_path: Path) -> None:
    # A version-2 file with entries already in it: the totals start from what it holds, and then follow adds,
    # prunes and a clear made by any writer, so the bounds are checked without summing every entry.
    path = tmp_path / "h.sqlite3"
    db = sqlite3.connect(path)
    for script in _MIGRATIONS[:2]:
        for statement in _statements(script):
            db.execute(statement)
    for n in range(5):
        db.execute(
            "INSERT INTO entries (at, method, url, name, stored_bytes) VALUES (?, 'GET', 'https://a', ?, 100)",
            (float(n), f"old{n}"),
        )
    db.execute("PRAGMA user_version = 2")
    db.commit()
    db.close()

    def totals() -> tuple[int, int]:
        check = sqlite3.connect(path)
        try:
            count, stored = check.execute("SELECT entries, bytes FROM totals").fetchone()
            real = check.execute("SELECT COUNT(*), COALESCE(SUM(stored_bytes), 0) FROM entries").fetchone()
            assert (count, stored) == real
            return count, stored
        finally:
            check.close()

    with HistoryStore(path, max_entries=8) as store:
        assert totals() == (5, 500)
        for n in range(6):
            store.add(entry_for(spec(f"new{n}"), response()))
        assert [item.name for item in store.recent()][-1] == "old3"  # 11 written, the 3 oldest pruned
        assert totals()[0] == 8
        store.clear()
        assert totals() == (0, 0)
