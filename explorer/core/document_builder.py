"""Building a response body's `Document` while the user already reads it: pacing and cancellation.

`DocumentBuilder` takes the first step (a screen of lines, a millisecond or two) wherever the caller wants the
first lines at once, on the event loop in the frame that shows the answer; `run()` takes the rest in a thread.
That thread must not slow the event loop down, so it:

- waits until the first lines are on screen (`first_screen_shown()`) before going on: going on meanwhile would
  take the interpreter lock every other millisecond and make that frame take twice as long;
- steps aside whenever it sees the event loop busy (`Courtesy`), because two threads that both run share the
  interpreter lock half and half;
- runs inside a `LoadScope` (a short switch interval, the heap frozen for the collector);
- stops between batches when asked to (`cancelled`), and lets go of the body and the document when it ends.

No UI here: the caller says where the first screen is shown and how progress is reported.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

from explorer.core.document import Document, format_steps, run_steps
from explorer.core.load_scope import LoadScope

# How long, at most, formatting waits for its first lines to be on screen before it goes on, and how long
# after they are (seconds).
FIRST_SCREEN_WAIT = 0.5
FIRST_SCREEN_GRACE = 0.05
# A formatting thread that got less than this share of the time that passed steps aside, from the shortest
# sleep to the longest while that goes on (seconds).
COURTESY_SHARE = 0.7
COURTESY_SLEEP_MIN = 0.002
COURTESY_SLEEP_MAX = 0.016

# What next() gives back when a body needed no more than its first step.
_DONE = object()


class Courtesy:
    """Called by a formatting thread every millisecond or so: it steps aside while the event loop is busy.

    Two threads that both want the interpreter lock take turns a switch interval at a time, so while a body
    is formatted everything the event loop does (a key, a frame) takes twice as long. The thread sees that from
    its own clocks: when it got much less processor time than time passed, another thread held the lock, and
    it sleeps so the event loop finishes what it does alone. The sleeps start short (another process may have
    had the processor) and double while the contention lasts, as it does for a frame or a key; when the loop
    is idle the thread runs at full speed.
    """

    def __init__(self) -> None:
        # Set at the first call: the clocks are those of the thread that calls.
        self._wall = self._cpu = -1.0
        self._sleep = COURTESY_SLEEP_MIN

    def __call__(self) -> None:
        wall, cpu = time.perf_counter(), time.thread_time()
        if self._wall >= 0 and cpu - self._cpu < (wall - self._wall) * COURTESY_SHARE:
            time.sleep(self._sleep)
            self._sleep = min(self._sleep * 2, COURTESY_SLEEP_MAX)
            wall, cpu = time.perf_counter(), time.thread_time()
        else:
            self._sleep = COURTESY_SLEEP_MIN
        self._wall, self._cpu = wall, cpu


class DocumentBuilder:
    """Formats one body into `document`: `first_step()` where the first lines are wanted, `run()` in a thread.

    `document` can be read (and searched) at any time while it grows. The builder holds the body only until
    `run()` ends: a finished thread worker can stay alive in a reference cycle until the garbage collector's next
    full pass, and must not keep megabytes of body and formatted text alive with it.
    """

    def __init__(self, body: bytes, content_type: str, *, pace: Callable[[], None] | None = None) -> None:
        document = Document()
        self._document: Document | None = document
        self._steps: Iterator[None] | None = format_steps(
            body, content_type, document, pace=pace if pace is not None else Courtesy()
        )
        self._first_screen = threading.Event()

    @property
    def document(self) -> Document:
        """The document being built; gone from the builder once `run()` has ended."""
        if self._document is None:
            raise RuntimeError("the builder has handed its document over")
        return self._document

    def first_step(self) -> bool:
        """Format the first screen of lines, on the caller's thread. True when that was the whole body.

        Exceptions from the formatter (a bug) reach the caller, which reports them like a failed build.
        """
        if self._steps is None:
            raise RuntimeError("the first step is taken once, before run()")
        if next(self._steps, _DONE) is _DONE:
            self._steps = None
            return True
        return False

    def first_screen_shown(self) -> None:
        """The first lines are on screen: `run()` goes on. Safe to call from any thread."""
        self._first_screen.set()

    def run(
        self, *, on_progress: Callable[[], None] | None = None, cancelled: Callable[[], bool] | None = None
    ) -> bool:
        """Format the rest, in the calling thread. True when the document is complete, False when cancelled.

        `on_progress` is called after the first batch, then about every 50 ms of work, then once at the end.
        `cancelled` is asked between batches.
        """
        steps, self._steps, self._document = self._steps, None, None
        if steps is None:
            return True  # the first step was all of it
        stop = cancelled or _never
        # The answer has just arrived: the event loop lays out the response and draws its first lines.
        if self._first_screen.wait(FIRST_SCREEN_WAIT):
            # Keys typed while that frame was drawn come next; let them have the interpreter to themselves too.
            time.sleep(FIRST_SCREEN_GRACE)
        if stop():
            return False
        with LoadScope():
            return run_steps(steps, on_progress=on_progress, cancelled=stop)


def _never() -> bool:
    return False
