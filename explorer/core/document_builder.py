"""Building a response body's `Document` while the user already reads it: pacing and cancellation.

`DocumentBuilder` takes the first step (a screen of lines, a millisecond or two) wherever the caller wants the
first lines at once, on the event loop in the frame that shows the answer; `run()` takes the rest in a thread.
That thread must not slow the event loop down, so it:

- waits until the first lines are on screen (`first_screen_shown()`) before going on: going on meanwhile would
  take the interpreter lock every other millisecond and make that frame take twice as long;
- steps aside whenever it sees the rest of the app busy (`Courtesy`), because two threads that both run share
  the interpreter lock half and half;
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
# sleep to the longest while that goes on (seconds): another process wants the processor.
COURTESY_SHARE = 0.7
COURTESY_SLEEP_MIN = 0.002
COURTESY_SLEEP_MAX = 0.016
# The rest of the process (the event loop, the terminal's input and output threads) counts as busy when it used
# at least COURTESY_BUSY seconds of processor time since the last call (a key, a frame: not the bookkeeping of a
# progress message, a fraction of that); the formatting thread then waits until the rest has been quiet (under a
# quarter of the time) for COURTESY_QUIET seconds, looking every COURTESY_STEP seconds. A longer quiet would also
# cover the wait between a key and the frame that shows it (up to 17 ms), at a cost to formatting of every
# frame drawn meanwhile (a cursor blink, a countdown).
COURTESY_BUSY = 0.0008
COURTESY_QUIET = 0.004
COURTESY_STEP = 0.002
# It waits at most this many times as long as it has worked, and has at most COURTESY_CREDIT seconds of waiting
# in hand: a steady stream of keys slows formatting down to a quarter of its speed but never stops it.
COURTESY_WAIT_PER_WORK = 3.0
COURTESY_CREDIT = 0.25

# What next() gives back when a body needed no more than its first step.
_DONE = object()


class Courtesy:
    """Called by a formatting thread every millisecond or so: it steps aside while the app or the machine is busy.

    Two threads that both want the interpreter lock take turns a switch interval at a time, so while a body is
    formatted everything the event loop does (a key, a frame) would take twice as long. The thread watches the
    processor time of the rest of the process: when it used a fair share of the time since the last call (a key
    came in, a frame is being drawn), the thread sleeps until the rest has been quiet for a few milliseconds. When
    its own processor time falls behind the time that passed, another process has the processor (the terminal
    showing the app, for one): it sleeps, starting short and doubling while that lasts. When the app is idle it
    runs at full speed.
    """

    def __init__(self) -> None:
        # Set at the first call: the clocks are those of the thread that calls.
        self._wall = self._own = self._rest = -1.0
        self._sleep = COURTESY_SLEEP_MIN
        self._credit = COURTESY_CREDIT

    def __call__(self) -> None:
        wall, own, rest = _clocks()
        if self._wall >= 0:
            span = wall - self._wall
            self._credit = min(self._credit + (own - self._own) * COURTESY_WAIT_PER_WORK, COURTESY_CREDIT)
            if rest - self._rest >= COURTESY_BUSY and self._credit > 0:
                wall, own, rest = self._wait_for_quiet(wall, rest)
            elif own - self._own < span * COURTESY_SHARE and self._credit > 0:
                time.sleep(self._sleep)
                self._credit -= self._sleep
                self._sleep = min(self._sleep * 2, COURTESY_SLEEP_MAX)
                wall, own, rest = _clocks()
            else:
                self._sleep = COURTESY_SLEEP_MIN
        self._wall, self._own, self._rest = wall, own, rest

    def _wait_for_quiet(self, wall: float, rest: float) -> tuple[float, float, float]:
        """Sleep until the rest of the process has been quiet for COURTESY_QUIET, or the credit is spent."""
        quiet_since = -1.0
        while True:
            time.sleep(COURTESY_STEP)
            now, own, now_rest = _clocks()
            self._credit -= now - wall
            if now_rest - rest > (now - wall) / 4:
                quiet_since = -1.0
            elif quiet_since < 0:
                quiet_since = wall
            if (quiet_since >= 0 and now - quiet_since >= COURTESY_QUIET) or self._credit <= 0:
                return now, own, now_rest
            wall, rest = now, now_rest


def _clocks() -> tuple[float, float, float]:
    """Now, this thread's processor time and that of the rest of the process (seconds)."""
    own = time.thread_time()
    return time.perf_counter(), own, time.process_time() - own


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
