"""The other libraries' internals the core leans on (explorer/core/compat.py) are still there."""

from __future__ import annotations

import importlib.util

from explorer.core.compat import ANYIO_ASYNCIO_BACKEND


def test_anyio_still_has_its_asyncio_backend_module() -> None:
    assert importlib.util.find_spec(ANYIO_ASYNCIO_BACKEND) is not None, (
        f"{ANYIO_ASYNCIO_BACKEND} moved: preload_anyio_backend loads nothing and the first send pays the import "
        "(see explorer/core/compat.py)"
    )
