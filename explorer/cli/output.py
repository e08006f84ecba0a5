"""How headless commands write to the terminal, and how they end when something goes wrong.

Everything a command prints goes through `say()` or `tell()`, which pass it through the core's `clean()`: a
server's error text, a token field, a profile or request name cannot send a terminal escape. `finish()` is the
last word of `main()`: one line on stderr for every way a command can end badly (an ExplorerError, Ctrl-C, a
closed pipe, a full disk, a bug), never a traceback unless `EXPLORER_DEBUG=1` asks for it.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Coroutine
from typing import Any, TextIO, TypeVar

from explorer.core.sanitize import clean

DEBUG_ENV = "EXPLORER_DEBUG"
# The shell's convention for a process ended by SIGPIPE (128 + 13) and by SIGINT (128 + 2).
EXIT_PIPE = 141
EXIT_INTERRUPTED = 130
_DISK_FULL = frozenset({errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG})


def debugging() -> bool:
    return os.environ.get(DEBUG_ENV, "") not in ("", "0")


def say(text: object = "", *, file: TextIO | None = None, end: str = "\n", flush: bool = False) -> None:
    """Print text for a person (several lines allowed), with control characters made visible."""
    print(clean(text, multiline=True), file=file or sys.stdout, end=end, flush=flush)


def tell(message: object) -> None:
    """One line on stderr, prefixed with the program's name."""
    _write_stderr(f"explorer: {clean(message)}\n")


def warn(message: object) -> None:
    tell(f"warning: {clean(message)}")


def _write_stderr(text: str) -> None:
    # Nothing is left to tell anyone if stderr itself is gone.
    try:
        sys.stderr.write(text)
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def quiet_background_noise() -> None:
    """Keep leftovers of a command that is ending (a connection closed after its loop, a thread that failed)
    from printing tracebacks of their own: one line each at most, the details only when debugging."""
    if debugging():
        return

    def unraisable(_: Any) -> None:
        # Objects finalised at exit (sockets of a closed event loop and the like): nothing a user can act on.
        return

    sys.unraisablehook = unraisable
    # Threads are hooked where a command starts them (`run_async`, the sandbox), so that `explorer --help` and
    # `explorer token --raw` start without loading threading; at once if something has loaded it already.
    if "threading" in sys.modules:
        quiet_threads()


def quiet_threads() -> None:
    """A thread that fails says so in one line (the details only when debugging)."""
    if debugging():
        return
    import threading

    def thread_failed(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        tell(f"a background task failed: {args.exc_type.__name__}: {args.exc_value} (this is a bug)")

    threading.excepthook = thread_failed


T = TypeVar("T")


def run_async(main: Coroutine[Any, Any, T]) -> T:
    """`asyncio.run`, with asyncio's own reports ("Task exception was never retrieved", which come with a
    traceback through logging) kept quiet unless debugging. Here rather than at start-up: the fast paths of
    the headless commands import neither asyncio nor logging."""
    import asyncio
    import logging

    # asyncio runs blocking work (a secret prompt, a file read) in threads of its own.
    quiet_threads()
    if not debugging():
        asyncio_log = logging.getLogger("asyncio")
        asyncio_log.addHandler(logging.NullHandler())
        asyncio_log.propagate = False
    return asyncio.run(main)


def silence_stdout() -> None:
    """After the reader of our output went away: later writes, and the flush at exit, go nowhere."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def flush_stdout() -> None:
    """Flush now, inside `main()`'s handlers, rather than at interpreter exit where a failure is a traceback."""
    sys.stdout.flush()


def is_broken_pipe(exc: BaseException) -> bool:
    return isinstance(exc, BrokenPipeError) or (isinstance(exc, OSError) and exc.errno == errno.EPIPE)


def os_error_line(exc: OSError) -> str:
    """An OSError that reached `main()` (a write to stdout or stderr, most likely) as one line."""
    reason = exc.strerror or str(exc) or type(exc).__name__
    if exc.errno in _DISK_FULL:
        where = f" to {exc.filename}" if exc.filename else ""
        return f"Cannot write the output{where}: {reason}. Free some space and run the command again."
    where = f" ({exc.filename})" if exc.filename else ""
    return f"{reason}{where}."


def unexpected(exc: BaseException) -> int:
    """The last resort: an error explorer did not foresee. One line and the words "this is a bug"."""
    detail = str(exc)
    name = type(exc).__name__
    if debugging():
        import traceback

        _write_stderr("".join(traceback.format_exception(exc)))
    tell(
        f"unexpected error: {name}{': ' + detail if detail else ''} "
        f"(this is a bug; run again with {DEBUG_ENV}=1 to see where it happened)"
    )
    return 1


def pipe_closed() -> int:
    silence_stdout()
    return EXIT_PIPE
