"""What the process does differently while a response loads, so that keys still answer at once.

A load is a request on its way or a body being formatted in a thread. Two settings that matter for the event
loop are process-wide in CPython, so they change while at least one load runs and go back when the last ends:

- The switch interval. A busy thread keeps the interpreter lock for up to 5 ms at a time, and the event loop
  gives it up on every wait, so without a shorter interval one key press costs many such slices. While loading,
  the lock changes hands every millisecond.
- What a full garbage collection walks. A full collection visits every object the app holds (widgets, styles,
  caches: well over 100,000 of them), about 100 ms with the event loop stopped, and the allocations of a big body
  set off several. While loading, the objects that existed when it began are frozen (`gc.freeze`), so a
  collection walks only what is new. When the last load ends they are unfrozen and collected as usual, unless
  something was settled meanwhile (`settle`): an API description of a million objects that lives as long as its
  catalogue. Then the heap stays frozen, or the next full collection would walk the description (about 100 ms,
  on whichever keystroke set it off); what it holds is still freed by reference counting when it goes.

The app settles its heap once its first frame is drawn (explorer/ui/launch.py): what was made to start is never
walked again, and from then on what each load freezes stays frozen too. The cost: garbage that only the cyclic
collector could free and that was waiting for it as a load began (a dialog closed a moment before, say) is never
freed. Full collections, now of a few objects, run often, so that is little, once per load.
"""

from __future__ import annotations

import gc
import sys
import threading
from types import TracebackType
from typing import ClassVar

# The switch interval while loading, in seconds.
SWITCH_INTERVAL = 0.001


class LoadScope:
    """`with LoadScope():` around a load; scopes nest and overlap across threads."""

    _lock: ClassVar[threading.Lock] = threading.Lock()
    _active: ClassVar[int] = 0
    _saved_interval: ClassVar[float] = 0.0
    _froze: ClassVar[bool] = False
    _settled: ClassVar[bool] = False

    def __enter__(self) -> None:
        with LoadScope._lock:
            if LoadScope._active == 0:
                LoadScope._saved_interval = sys.getswitchinterval()
                sys.setswitchinterval(min(LoadScope._saved_interval, SWITCH_INTERVAL))
                # Nothing else in the app freezes the heap. (gc.get_freeze_count() would tell, but it counts the
                # frozen objects one by one: milliseconds.)
                LoadScope._froze = gc.isenabled()
                if LoadScope._froze:
                    gc.freeze()
            LoadScope._active += 1

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        with LoadScope._lock:
            LoadScope._active -= 1
            if LoadScope._active == 0:
                sys.setswitchinterval(LoadScope._saved_interval)
                if LoadScope._froze and not LoadScope._settled:
                    gc.unfreeze()
                LoadScope._froze = False

    @staticmethod
    def active() -> bool:
        """Whether a load runs now."""
        return LoadScope._active > 0


def settle() -> None:
    """Move every object alive now out of the cyclic collector's sight for good, even from inside a load
    (which would otherwise unfreeze it when it ends)."""
    with LoadScope._lock:
        gc.freeze()
        LoadScope._settled = True
