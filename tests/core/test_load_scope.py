"""A load freezes the heap for its length; something settled during it stays frozen after it."""

from __future__ import annotations

import gc

from explorer.core.load_scope import LoadScope, settle


def test_a_load_unfreezes_when_it_ends_unless_something_was_settled() -> None:
    gc.unfreeze()
    LoadScope._settled = False
    try:
        with LoadScope():
            assert gc.get_freeze_count() > 0
        assert gc.get_freeze_count() == 0  # what a load froze is collected as usual afterwards
        with LoadScope():
            kept = [[n] for n in range(1000)]  # a catalogue's worth of objects, read during the load
            settle()
        assert gc.get_freeze_count() >= len(kept)  # not unfrozen: a full collection would walk it again
    finally:
        gc.unfreeze()
        LoadScope._settled = False
