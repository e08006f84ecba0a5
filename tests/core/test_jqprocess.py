"""The jq child process: results, jq's errors, cancelling a run in progress, and a child that dies."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator

import pytest

from explorer.core.jqfilter import FilterError
from explorer.core.jqprocess import JqProcess


@pytest.fixture
def process() -> Iterator[JqProcess]:
    jq = JqProcess()
    yield jq
    jq.close()


def test_results_are_rendered_as_jq_prints_them(process: JqProcess) -> None:
    body = json.dumps({"items": [{"id": 1}, {"id": 2}]}).encode()
    assert process.run(".items[].id", body) == (2, b"1\n2\n")
    # The same child answers the next filter.
    assert process.run(".items | length", body) == (1, b"2\n")


def test_jq_errors_and_non_json_bodies_are_filter_errors(process: JqProcess) -> None:
    with pytest.raises(FilterError, match="not a valid jq expression"):
        process.run(".items[", b"{}")
    with pytest.raises(FilterError, match="not JSON"):
        process.run(".", b"<html></html>")
    assert process.run(".a", b'{"a": "still answering"}') == (1, b'"still answering"\n')


def test_a_cancelled_run_returns_none_and_the_next_starts_a_new_child(process: JqProcess) -> None:
    # A filter that runs for a long time: a cancel must not wait for it.
    slow = "[range(0; 100000000)] | length"
    owner = object()
    answers: list[object] = []
    thread = threading.Thread(target=lambda: answers.append(process.run(slow, b"null", owner=owner)))
    thread.start()
    time.sleep(0.5)
    process.cancel(object())  # someone else's cancel changes nothing
    assert thread.is_alive()
    started = time.monotonic()
    process.cancel(owner)
    thread.join(timeout=10)
    assert not thread.is_alive() and answers == [None]
    assert time.monotonic() - started < 5
    assert process.run(".", b"[1]") == (1, b"[\n  1\n]\n")


def test_a_child_that_dies_is_a_clear_error_then_replaced(process: JqProcess) -> None:
    assert process.run(".", b"1") == (1, b"1\n")
    child = process._process
    assert child is not None
    child.kill()
    child.wait()
    # The dead child is noticed before writing to it, and a new one answers.
    assert process.run(".", b"2") == (1, b"2\n")
