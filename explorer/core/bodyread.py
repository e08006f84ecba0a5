"""Bounds on what a server can make us do: a total deadline per exchange, and a cap on the body kept in memory.

httpx's own time-out is per read, so a server that drips a byte a second holds a request forever; and httpx
inflates a compressed body a network chunk at a time with no limit, so a few kilobytes of gzip can become
gigabytes. Here the body is read raw and inflated by `Inflater` in slices of at most `SLICE` bytes, counting
what it produces, and the whole exchange runs under one `asyncio.timeout`. Both limits fail as one clear error
("stopped after 256 MB; the body is larger"), as does a body whose compression is corrupt.
"""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from explorer.core.errors import ExplorerError, RequestError

if TYPE_CHECKING:
    import httpx

__all__ = [
    "DEFAULT_DEADLINE",
    "DEFAULT_MAX_BODY",
    "SLICE",
    "TOKEN_MAX_BODY",
    "Inflater",
    "Limits",
    "deadline",
    "read_body",
]

DEFAULT_DEADLINE = 60.0
DEFAULT_MAX_BODY = 256 * 1024 * 1024
# A token response is a few kilobytes; anything past this is not one.
TOKEN_MAX_BODY = 1024 * 1024
# The most one step of inflating may produce, so the cap is checked often and memory stays near it.
SLICE = 256 * 1024
# Bodies larger than this (bytes) are put together in a thread.
JOIN_IN_THREAD = 1024 * 1024
# What explorer can inflate, and so what it asks servers for.
ACCEPT_ENCODING = "gzip, deflate"


@dataclass(frozen=True)
class Limits:
    """How long one exchange may take in all (seconds) and how large a body may be once inflated (bytes)."""

    deadline: float = DEFAULT_DEADLINE
    max_body: int = DEFAULT_MAX_BODY


def size_text(size: int) -> str:
    if size >= 1024 * 1024 and size % (1024 * 1024) == 0:
        return f"{size // (1024 * 1024)} MB"
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size // 1024} KB"
    return f"{size} bytes"


class DecodeFailed(Exception):
    """The body's content-encoding says one thing and the bytes say another."""


class Inflater:
    """Undo a response's Content-Encoding (gzip, deflate, or a list of them) without ever producing more than
    `SLICE` bytes in one step. Unknown encodings (br, zstd, …) are left as they are, as httpx does."""

    def __init__(self, content_encoding: str) -> None:
        names = [part.strip().lower() for part in content_encoding.split(",")]
        # Encodings are listed in the order they were applied, so they are undone from the last one.
        self._stages = [_Stage(name) for name in reversed(names) if name in ("gzip", "x-gzip", "deflate")]

    @property
    def identity(self) -> bool:
        return not self._stages

    def feed(self, data: bytes) -> Iterator[bytes]:
        pieces: Iterator[bytes] = iter((data,))
        for stage in self._stages:
            pieces = _through(stage, pieces)
        yield from pieces

    def finish(self) -> Iterator[bytes]:
        pieces: Iterator[bytes] = iter(())
        for stage in self._stages:
            pieces = _chain_finish(stage, pieces)
        yield from pieces


def _through(stage: _Stage, pieces: Iterator[bytes]) -> Iterator[bytes]:
    for piece in pieces:
        yield from stage.feed(piece)


def _chain_finish(stage: _Stage, pieces: Iterator[bytes]) -> Iterator[bytes]:
    for piece in pieces:
        yield from stage.feed(piece)
    yield from stage.finish()


class _Stage:
    def __init__(self, name: str) -> None:
        self.name = name
        self._raw_fallback = name == "deflate"
        # deflate "should" be zlib-wrapped (RFC 9110) but some servers send a raw stream: tried on a failed start.
        wbits = zlib.MAX_WBITS | 16 if name in ("gzip", "x-gzip") else zlib.MAX_WBITS
        self._obj = zlib.decompressobj(wbits)
        self._started = False

    def feed(self, data: bytes) -> Iterator[bytes]:
        pending = data
        while pending:
            try:
                out = self._obj.decompress(pending, SLICE)
            except zlib.error as exc:
                if self._raw_fallback and not self._started:
                    self._raw_fallback = False
                    self._obj = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                raise DecodeFailed(f"{self.name}: {exc}") from None
            self._started = True
            if out:
                yield out
            pending = self._obj.unconsumed_tail
            if self._obj.eof:
                # Bytes after the end of the stream: ignored, as browsers and httpx do.
                return

    def finish(self) -> Iterator[bytes]:
        try:
            out = self._obj.flush(SLICE)
        except zlib.error as exc:
            raise DecodeFailed(f"{self.name}: {exc}") from None
        if out:
            yield out
        if self._started and not self._obj.eof:
            # httpx would hand over what inflated so far as if it were all of it.
            raise DecodeFailed(f"{self.name}: the compressed body ends before its end marker")


ErrorFactory = Callable[[str, str, str], ExplorerError]


def _request_error(code: str, message: str, hint: str) -> ExplorerError:
    return RequestError(message, code=code, hint=hint)


async def read_body(
    response: httpx.Response,
    *,
    max_body: int,
    host: str,
    on_progress: Callable[[int, int | None], None] | None = None,
    error: ErrorFactory = _request_error,
) -> bytes:
    """The response's body, inflated, at most `max_body` bytes. The caller closes the response."""
    if response.is_stream_consumed:
        # Built in memory (a test transport, a response read earlier): httpx already holds it, decoded.
        content = response.content
        if len(content) > max_body:
            raise _too_large(error, host, max_body)
        return content
    inflater = Inflater(response.headers.get("content-encoding", ""))
    # With a content-encoding, Content-Length counts compressed bytes, so the total is unknown.
    total = _int_or_none(response.headers.get("content-length")) if inflater.identity else None
    chunks: list[bytes] = []
    received = 0

    def keep(piece: bytes) -> None:
        nonlocal received
        received += len(piece)
        if received > max_body:
            raise _too_large(error, host, max_body)
        chunks.append(piece)

    try:
        async for raw in response.aiter_raw():
            for piece in inflater.feed(raw):
                keep(piece)
            if on_progress is not None:
                on_progress(received, total)
        for piece in inflater.finish():
            keep(piece)
    except DecodeFailed as exc:
        raise error(
            "bad_encoding",
            f"{host} sent a body that does not decode as its Content-Encoding says ({exc}).",
            "The server or a proxy in between corrupted the answer; try again, or ask without compression.",
        ) from None
    if on_progress is not None and not chunks:
        on_progress(received, total)
    if len(chunks) == 1:
        return chunks[0]
    # Joining tens of megabytes takes tens of milliseconds (mostly fresh memory being mapped). In a thread it
    # leaves the event loop free: bytes.join copies large bodies without holding the interpreter lock.
    import asyncio  # here, not at the top: the profiles module (and every headless command) reads this one

    return await asyncio.to_thread(b"".join, chunks) if received > JOIN_IN_THREAD else b"".join(chunks)


def _too_large(error: ErrorFactory, host: str, max_body: int) -> ExplorerError:
    return error(
        "body_too_large",
        f"{host} sent more than the body limit: stopped after {size_text(max_body)}; the body is larger.",
        "Raise max_body_mb in the profile if you need all of it, or ask for less (paging, filters).",
    )


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


@asynccontextmanager
async def deadline(seconds: float, host: str, *, error: ErrorFactory = _request_error) -> AsyncIterator[None]:
    """Everything inside must finish within `seconds`, or fails as one "timeout" error naming the host."""
    import asyncio

    try:
        async with asyncio.timeout(seconds):
            yield
    except TimeoutError:
        raise error(
            "timeout",
            f"{host} did not finish answering within {seconds:g} s.",
            "The server may be slow or stuck; check it, or raise the limit (--timeout, or timeout in the profile).",
        ) from None
