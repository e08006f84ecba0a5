"""The app's history recorder: writes on its own thread, in order, and reports a broken file once."""

from __future__ import annotations

from pathlib import Path

from explorer.app.recorder import HistoryRecorder
from explorer.core.errors import ExplorerError
from explorer.core.model import RequestSpec
from explorer.core.profiles import Profile


def test_records_in_order_and_reads_back(tmp_path: Path) -> None:
    recorder = HistoryRecorder(tmp_path / "history.sqlite3")
    profile = Profile(name="staging", tenant="acme-staging", client_id="svc")
    for n in range(5):
        recorder.record(RequestSpec(name=f"r{n}", url="https://a/x"), None, profile, error="refused", url="https://a/x")
    recorder.flush()
    found = recorder.search("")
    assert [item.name for item in found] == ["r4", "r3", "r2", "r1", "r0"]
    assert found[0].stage == "staging" and found[0].tenant == "acme-staging"
    entry = recorder.get(found[0].id)
    assert entry is not None and entry.error == "refused"
    recorder.close()


def test_a_broken_file_is_reported_once_and_history_goes_off(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    path.write_bytes(b"not a database" * 200)
    errors: list[ExplorerError] = []
    recorder = HistoryRecorder(path, on_error=errors.append)
    for _ in range(3):
        recorder.record(RequestSpec(url="https://a/x"), None, None, error="e")
    recorder.flush()
    assert len(errors) == 1 and errors[0].title == "History unavailable"
    assert not recorder.enabled and recorder.search("") == []
    recorder.close()
    assert path.read_bytes() == b"not a database" * 200


def test_off_records_nothing() -> None:
    recorder = HistoryRecorder(None)
    recorder.record(RequestSpec(url="https://a/x"), None, None)
    assert not recorder.enabled and recorder.search("x") == []
    recorder.close()


def test_open_soon_opens_the_file_on_the_writer_thread(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    recorder = HistoryRecorder(path)
    recorder.open_soon()
    recorder.flush()
    assert path.exists() and recorder.search("") == []
    # Once open, recording goes on as before.
    recorder.open_soon()
    recorder.record(RequestSpec(name="after", url="https://a/x"), None, None, error="e")
    recorder.flush()
    assert [item.name for item in recorder.search("")] == ["after"]
    recorder.close()
    off = HistoryRecorder(None)
    off.open_soon()
    assert not off.enabled
    off.close()
