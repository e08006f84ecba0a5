"""The one place the core (and the application layer) leans on another library's internals.

Like `explorer.ui.textual_compat` for Textual: each use says what it buys and what the public way would cost, and
`tests/core/test_compat.py` fails, naming the internal, when an upgrade moves it.
"""

from __future__ import annotations

import contextlib
import importlib

# anyio's asyncio backend: a private module (`anyio._backends._asyncio`), never imported by name elsewhere.
ANYIO_ASYNCIO_BACKEND = "anyio._backends._asyncio"


def preload_anyio_backend() -> None:
    """Import anyio's asyncio backend now, off the event loop.

    httpcore's first request creates an anyio Event, and anyio imports its asyncio backend on that first use:
    about 30 ms of imports on a quiet machine (189 ms with a load average of 11, `benchmarks.bench_internals`)
    on the event loop, inside the first send (the key that sent it and the first frames of the answer wait
    behind it). Called from the thread that builds the HTTP client, after the first frame, the send finds it
    loaded. Public way: nothing to call; the first send pays for the import. A missing module (a future anyio)
    costs only that, so an ImportError is ignored here and reported by the test.
    """
    with contextlib.suppress(ImportError):
        importlib.import_module(ANYIO_ASYNCIO_BACKEND)
