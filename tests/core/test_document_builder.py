from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable

import pytest

from explorer.core import document_builder
from explorer.core.document_builder import (
    COURTESY_CREDIT,
    COURTESY_QUIET,
    COURTESY_STEP,
    COURTESY_WAIT_PER_WORK,
    Courtesy,
    DocumentBuilder,
)


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


class _Timeline:
    """Fake clocks for Courtesy: the rest of the process works at full speed until `busy_until` (seconds)."""

    def __init__(self, busy_until: float) -> None:
        self.busy_until = busy_until
        self.wall = self.own = self.rest = 0.0
        self.slept = 0.0

    def clocks(self) -> tuple[float, float, float]:
        return self.wall, self.own, self.rest

    def work(self, seconds: float) -> None:
        """This thread works while the rest does too (they share the interpreter: half and half)."""
        self._advance(seconds, own_share=0.5)

    def sleep(self, seconds: float) -> None:
        self.slept += seconds
        self._advance(seconds, own_share=0.0)

    def _advance(self, seconds: float, *, own_share: float) -> None:
        busy = max(0.0, min(self.wall + seconds, self.busy_until) - self.wall)
        self.rest += busy * (1 - own_share)
        self.own += busy * own_share + (seconds - busy)
        self.wall += seconds


@pytest.fixture
def timeline(monkeypatch: pytest.MonkeyPatch) -> Callable[[float], _Timeline]:
    def make(busy_until: float) -> _Timeline:
        line = _Timeline(busy_until)
        monkeypatch.setattr(document_builder, "_clocks", line.clocks)
        monkeypatch.setattr(document_builder.time, "sleep", line.sleep)
        return line

    return make


def test_courtesy_waits_while_the_rest_of_the_app_works_and_goes_on_once_it_is_quiet(
    timeline: Callable[[float], _Timeline],
) -> None:
    line = timeline(0.05)  # a key and its frame: 50 ms of work on the event loop
    courtesy = Courtesy()
    courtesy()
    line.work(0.002)
    courtesy()
    # It slept until the rest had been quiet for COURTESY_QUIET, and no longer than a step after that.
    assert 0.05 + COURTESY_QUIET <= line.wall <= 0.05 + COURTESY_QUIET + 2 * COURTESY_STEP + 0.002
    slept = line.slept
    line.work(0.001)  # the app is idle now (the clocks say this thread had all the time): no more sleeping
    courtesy()
    assert line.slept == slept


def test_courtesy_never_waits_longer_than_its_credit(timeline: Callable[[float], _Timeline]) -> None:
    line = timeline(3600.0)  # the app never stops working
    courtesy = Courtesy()
    courtesy()
    line.work(0.002)
    courtesy()
    assert COURTESY_CREDIT <= line.slept <= COURTESY_CREDIT + COURTESY_STEP
    # Spent: from now on it waits at most three times as long as it works, so formatting goes on.
    slept = line.slept
    for _ in range(10):
        line.work(0.001)
        courtesy()
    assert line.slept - slept <= 10 * 0.0005 * COURTESY_WAIT_PER_WORK + 2 * COURTESY_STEP
