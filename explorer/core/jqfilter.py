"""jq expressions on response bodies: filters, captures and `expect.jq` checks, through the `jq` package (libjq).

Programs are compiled once and kept (a filter typed again, or a check replayed a thousand times, is not compiled
again). libjq parses and runs without holding the interpreter lock, so a thread can filter a body of many
megabytes while the event loop goes on. `jq` is imported on first use: nothing here is needed to start the app.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from explorer.core.errors import ExplorerError

# A filter's output larger than this many results is cut: a view of it would be unreadable anyway.
MAX_RESULTS = 100_000


class FilterError(ExplorerError):
    """A jq expression does not compile, or fails on the body it is given, or the body is not JSON."""

    title = "jq filter error"
    exit_code = 2

    def __init__(self, message: str, *, expression: str = "", hint: str = "", title: str | None = None) -> None:
        self.expression = expression
        super().__init__(message, hint=hint, title=title)


_JQ_PREFIX = re.compile(r"^(jq: )?error( \(at [^)]*\))?: ")
_COMPILE_TAIL = re.compile(r"\s*jq: \d+ compile errors?\s*$")


def _clean(message: str) -> str:
    """libjq's message without its `jq: error:` prefix, compile-error count and shell-quoting advice."""
    text = _COMPILE_TAIL.sub("", message.strip())
    first = text.splitlines()[0] if text else "unknown error"
    first = _JQ_PREFIX.sub("", first)
    first = first.replace(" (Unix shell quoting issues?)", "").replace(" (Windows cmd shell quoting issues?)", "")
    return first.rstrip(":. ")


@lru_cache(maxsize=512)
def compile_expression(expression: str) -> Any:
    """The compiled program for `expression`. Raises `FilterError` with jq's own explanation."""
    import jq

    text = expression.strip()
    if not text:
        raise FilterError("The jq expression is empty.", expression=expression, hint="Type one, e.g. .items[0].id")
    try:
        return jq.compile(text)
    except ValueError as exc:
        raise FilterError(
            f"{expression!r} is not a valid jq expression: {_clean(str(exc))}.",
            expression=expression,
            hint="See https://jqlang.org/manual/ for the syntax.",
        ) from None


def check_expression(expression: str) -> FilterError | None:
    """The error that compiling `expression` would raise, or None when it compiles."""
    try:
        compile_expression(expression)
    except FilterError as exc:
        return exc
    return None


def _text(body: bytes | str) -> str:
    if isinstance(body, str):
        return body
    return body.decode("utf-8", "replace")


def iterate(expression: str, body: bytes | str) -> Iterator[Any]:
    """Each result of `expression` on the JSON `body`, lazily. Raises `FilterError`."""
    program = compile_expression(expression)
    text = _text(body)
    if not text.strip():
        raise FilterError("The body is empty, so there is no JSON to filter.", expression=expression)
    try:
        results = program.input_text(text)
        yield from results
    except ValueError as exc:
        message = _clean(str(exc))
        if "parse error" in message.lower() or "cannot be parsed" in message.lower():
            raise FilterError(
                f"The body is not JSON ({message}).", expression=expression, hint="jq filters work on JSON bodies."
            ) from None
        raise FilterError(f"{message}.", expression=expression) from None


def run(expression: str, body: bytes | str, *, limit: int = MAX_RESULTS) -> list[Any]:
    """Every result (up to `limit`) of `expression` on the JSON `body`. Raises `FilterError`."""
    found: list[Any] = []
    for value in iterate(expression, body):
        found.append(value)
        if len(found) >= limit:
            break
    return found


_NOTHING = object()


def first(expression: str, body: bytes | str) -> tuple[bool, Any]:
    """(True, the first result), or (False, None) when the expression gives nothing. Raises `FilterError`."""
    value = next(iterate(expression, body), _NOTHING)
    if value is _NOTHING:
        return False, None
    return True, value


def is_true(value: Any) -> bool:
    """jq's truth: everything but false and null."""
    return value is not None and value is not False


def as_text(value: Any) -> str:
    """A result as a variable's value: strings as they are, everything else as compact JSON."""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def render(results: list[Any]) -> str:
    """Results as jq prints them: each one pretty-printed, one after the other."""
    return "\n".join(json.dumps(value, ensure_ascii=False, indent=2) for value in results) + ("\n" if results else "")


@dataclass
class FilterJob:
    """A filter run in a thread that can be abandoned: `cancel()` makes `run()` stop at the next result.

    libjq cannot be interrupted in the middle of one result; a cancelled job's thread finishes that result
    and its output is dropped.
    """

    expression: str
    body: bytes | str
    limit: int = MAX_RESULTS

    def __post_init__(self) -> None:
        self._cancelled = threading.Event()

    def cancel(self) -> None:
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def run(self) -> list[Any] | None:
        """The results, or None when cancelled. Raises `FilterError`."""
        found: list[Any] = []
        for value in iterate(self.expression, self.body):
            if self._cancelled.is_set():
                return None
            found.append(value)
            if len(found) >= self.limit:
                break
        return None if self._cancelled.is_set() else found
