"""The main screen at the sizes people use: a small SSH pane (80x24), a laptop (120x35), a big screen (200x50).

At 80x24 the sidebar starts hidden, so the URL is whole, the body shows at least ten lines and the footer its
main keys; larger screens show the sidebar beside the request. Deterministic as the other snapshots: pinned
size, fixed clock and time zone, no network.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .test_snapshots import SnapCompare, build, show_response

SIZES = [(80, 24), (120, 35), (200, 50)]


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_main_screen_at_size(snap_compare: SnapCompare, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(build(tmp_path), terminal_size=size, run_before=show_response)
