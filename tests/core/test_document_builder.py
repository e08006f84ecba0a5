from __future__ import annotations

import json
import threading
import time

import pytest

from explorer.core.document_builder import COURTESY_CREDIT, Courtesy, DocumentBuilder


def big_json(items: int = 20_000) -> bytes:
    return json.dumps([{"id": i, "name": f"item {i}", "tags": ["a", "b"]} for i in range(items)]).encode()


def test_a_small_body_is_complete_after_the_first_step() -> None:
    builder = DocumentBuilder(b'{"a": 1}', "application/json")
    assert builder.first_step()
    assert builder.document.complete
    assert [builder.document.line(i) for i in range(builder.document.line_count)] == ["{", '  "a": 1', "}"]
    assert builder.run()  # nothing left to do


def test_the_first_step_gives_a_screen_of_lines_and_run_the_rest() -> None:
    builder = DocumentBuilder(big_json(), "application/json")
    document = builder.document
    assert not builder.first_step()
    assert 0 < document.line_count < 1000 and not document.complete
    progress: list[int] = []
    builder.first_screen_shown()
    assert builder.run(on_progress=lambda: progress.append(document.line_count))
    assert document.complete and document.line_count > 100_000
    assert progress and progress[-1] == document.line_count
    with pytest.raises(RuntimeError):
        _ = builder.document  # handed over: the builder keeps neither the body nor the text


def test_run_stops_when_cancelled_and_leaves_the_document_incomplete() -> None:
    builder = DocumentBuilder(big_json(), "application/json")
    document = builder.document
    builder.first_step()
    builder.first_screen_shown()
    calls = 0

    def cancelled() -> bool:
        nonlocal calls
        calls += 1
        return calls > 1

    assert not builder.run(cancelled=cancelled)
    assert not document.complete


def test_run_waits_for_the_first_screen_before_going_on() -> None:
    builder = DocumentBuilder(big_json(), "application/json")
    document = builder.document
    builder.first_step()
    first = document.line_count
    done = threading.Event()
    thread = threading.Thread(target=lambda: (builder.run(), done.set()))
    thread.start()
    assert not done.wait(0.1)
    assert document.line_count == first  # nothing formatted while the first screen is being drawn
    builder.first_screen_shown()
    assert done.wait(30)
    thread.join()
    assert document.complete


def test_courtesy_steps_aside_when_time_passes_without_the_thread() -> None:
    courtesy = Courtesy()
    courtesy()
    threading.Event().wait(0.02)  # time passes without this thread running, as when the event loop is busy
    started = time.perf_counter()
    courtesy()
    assert time.perf_counter() - started >= 0.002


def _spin(seconds: float, stop: threading.Event, done: threading.Event) -> None:
    """Keep a processor busy in this process for `seconds` of wall time (or until `stop`), as a frame being drawn
    does."""
    end = time.perf_counter() + seconds
    while time.perf_counter() < end and not stop.is_set():
        sum(range(1000))
    done.set()


def test_courtesy_waits_while_the_rest_of_the_app_works_and_goes_on_once_it_is_quiet() -> None:
    courtesy = Courtesy()
    courtesy()
    stop, done = threading.Event(), threading.Event()
    worker = threading.Thread(target=_spin, args=(0.08, stop, done))
    worker.start()
    time.sleep(0.01)  # the other thread works meanwhile: a key came in
    courtesy()
    assert done.is_set()  # it gave the other thread the interpreter until that had finished
    worker.join()
    started = time.perf_counter()
    courtesy()  # nothing else runs now: no waiting for quiet
    assert time.perf_counter() - started < 0.1


def test_courtesy_never_waits_longer_than_its_credit() -> None:
    courtesy = Courtesy()
    courtesy()
    stop, done = threading.Event(), threading.Event()
    worker = threading.Thread(target=_spin, args=(10.0, stop, done))
    worker.start()
    try:
        time.sleep(0.01)
        started = time.perf_counter()
        courtesy()
        waited = time.perf_counter() - started
        assert not done.is_set()
        assert waited < COURTESY_CREDIT + 0.25  # the formatting goes on even while the app never stops working
    finally:
        stop.set()
        worker.join()
