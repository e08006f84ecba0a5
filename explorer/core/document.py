"""A response body as lines of formatted text, built in the background while the user already reads it.

`build_document` turns a body into a `Document`. JSON is pretty printed with two spaces, line for line as
`json.dumps(value, indent=2)` would print it, by a streaming tokenizer: the first screen exists within
milliseconds even for a body of tens of megabytes. A body that is already indented is shown as sent. XML,
HTML and text are decoded and split into lines; a binary body becomes a short hex summary.

One thread writes a document while others read it. Lines are only ever appended, a batch at a time, and a batch
becomes visible in one step, so a reader never sees half of one. The text is kept as a few large chunks plus an
array of line offsets, never one string per line, so a document costs little more than its text.
"""

from __future__ import annotations

import codecs
import re
import time
from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterator
from functools import lru_cache
from itertools import accumulate, islice, repeat
from operator import add

from explorer.core.errors import ExplorerError
from explorer.core.formatting import SNIFF_BYTES, BodyKind, body_kind, charset, hexdump_summary

Match = tuple[int, int, int]
"""Where a search matched: (line, start column, end column), all counted from 0."""

# The first batch is small so the first screen shows at once; later batches are larger so appending stays cheap.
_FIRST_LINES = 256
# A batch ends with a few calls into C that keep the interpreter lock throughout (joining, splitting and measuring
# its lines: ~1.5 ms for 4,096 lines), so a key that comes meanwhile waits for them.
_BATCH_LINES = 4096
_FIRST_BYTES = 64 * 1024
_BATCH_BYTES = 256 * 1024
_PROGRESS_EVERY = 0.05
# `pace` is called every this many lines of JSON (about a millisecond of work).
_PACE_LINES = 512
# A line this long in the first bytes means the body is not meant to be read as is.
_LONG_LINE = 2000

_WS = rb"[ \t\n\r]*+"
# Possessive quantifiers: once a string or number is read, the engine never tries shorter versions of it.
_STRING = rb'"[^"\\\x00-\x1f]*+(?:\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})[^"\\\x00-\x1f]*+)*+"'
_SCALAR = rb"(?:%b|-?+(?:0|[1-9][0-9]*+)(?:\.[0-9]++)?+(?:[eE][+-]?+[0-9]++)?+|true|false|null)" % _STRING
# One match of _UNIT is one line of pretty output: an optional key (group 1), then a scalar (2), an opening
# bracket (3) with its closing one when the container is empty (4), or a closing bracket (5); then an optional
# comma (6). Anything else is one byte of junk (7), so consecutive matches cover the whole body.
_UNIT = re.compile(
    rb"%b(?:(?:(%b)%b:%b)?(?:(%b)|([\[{])(?:%b([\]}]))?|([\]}]))%b(,)?|([^ \t\n\r]))"
    % (_WS, _STRING, _WS, _WS, _SCALAR, _WS, _WS)
)
_TRAILING_WS = re.compile(_WS + rb"\Z")
_SKIP_WS = re.compile(_WS)
_PRETTY_START = re.compile(rb"(?:\xef\xbb\xbf)?[ \t\r\n]*[\[{][ \t]*\r?\n[ \t]+[\"{}\[\]0-9tfn-]")
_CLOSER = {b"{": b"}", b"[": b"]"}


class SearchError(ExplorerError):
    """A search pattern that cannot be used."""

    title = "Search"


class _NotJson(Exception):
    """The body stopped being JSON at `position` (a byte offset)."""

    def __init__(self, position: int) -> None:
        super().__init__(position)
        self.position = position


class _Store:
    """One generation of a document's text: chunks that never change once added, and where each line ends."""

    __slots__ = ("bases", "chunks", "count", "max_width", "nexts", "size")

    def __init__(self) -> None:
        self.chunks: list[str] = []
        # Offset of each chunk's first character in the whole text.
        self.bases: list[int] = []
        # nexts[i] is the offset just past line i's newline, i.e. where line i + 1 starts.
        self.nexts = array("q")
        self.count = 0
        self.size = 0
        self.max_width = 0

    def bounds(self, index: int) -> tuple[int, int]:
        """Offsets of the first character of line `index` and of its newline."""
        nexts = self.nexts
        return (nexts[index - 1] if index else 0), nexts[index] - 1

    def line_of(self, offset: int) -> int:
        """The line a text offset falls on."""
        return bisect_right(self.nexts, offset, 0, self.count)


class Document:
    """Formatted lines of a body. One thread appends (through `build_document`); any thread may read."""

    def __init__(self, kind: BodyKind = "text") -> None:
        self.kind: BodyKind = kind
        """What the body is; it picks the highlighting."""
        self.note = ""
        """Something the user should know about how the body is shown, e.g. that it was not valid JSON."""
        self.revision = 0
        """Goes up each time the lines start over, so a reader knows to drop what it derived from them."""
        self._store = _Store()
        self._complete = False

    @classmethod
    def from_text(cls, text: str, kind: BodyKind = "text") -> Document:
        """A complete document of ready-made text, one line per `\\n`."""
        document = cls(kind)
        if text:
            document._append(text if text.endswith("\n") else text + "\n")
        document._complete = True
        return document

    @property
    def line_count(self) -> int:
        """Lines available now; grows until `complete`."""
        return self._store.count

    @property
    def complete(self) -> bool:
        """True once every line is there."""
        return self._complete

    @property
    def max_width(self) -> int:
        """Characters in the longest line so far."""
        return self._store.max_width

    def line(self, index: int) -> str:
        """Line `index` without its newline. Raises IndexError past `line_count`."""
        store = self._store
        if not 0 <= index < store.count:
            raise IndexError(index)
        return self._line_in(store, index)

    def line_length(self, index: int) -> int:
        """Characters in line `index`. Raises IndexError past `line_count`."""
        store = self._store
        if not 0 <= index < store.count:
            raise IndexError(index)
        start, end = store.bounds(index)
        return end - start

    def line_part(self, index: int, start: int, stop: int) -> str:
        """Characters `start` to `stop - 1` of line `index`, without copying the rest of a very long line."""
        store = self._store
        if not 0 <= index < store.count:
            raise IndexError(index)
        first, last = store.bounds(index)
        chunk = bisect_right(store.bases, first) - 1
        base = store.bases[chunk]
        begin = first + max(start, 0)
        return store.chunks[chunk][begin - base : min(first + max(stop, 0), last) - base]

    def lines(self, start: int, stop: int) -> list[str]:
        """Lines `start` to `stop - 1`, fewer when the document has fewer."""
        store = self._store
        return [self._line_in(store, i) for i in range(max(start, 0), min(stop, store.count))]

    def __iter__(self) -> Iterator[str]:
        store = self._store
        for i in range(store.count):
            yield self._line_in(store, i)

    @staticmethod
    def _line_in(store: _Store, index: int) -> str:
        start, end = store.bounds(index)
        chunk = bisect_right(store.bases, start) - 1
        base = store.bases[chunk]
        return store.chunks[chunk][start - base : end - base]

    # Searching. Both walk the chunks with one regular expression, never line by line, so they take
    # milliseconds per megabyte. Run them off the event loop all the same.

    def search(
        self,
        pattern: str,
        start_line: int,
        *,
        regex: bool = False,
        case: bool = False,
        backwards: bool = False,
        after: Match | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> Match | None:
        """The first match at or after `start_line` (the last at or before it when `backwards`), wrapping around.

        Within a line, the first match going forwards and the last going backwards. `case` makes the search
        case sensitive; `regex` treats the pattern as a Python regular expression. With `after` (a match found
        before), the one just after it (or just before it) instead, on the same line too. `cancelled` is asked
        between chunks: when it answers True the search gives up (None).
        """
        compiled = compile_pattern(pattern, regex=regex, case=case)
        store = self._store
        stop = cancelled or _never
        if compiled is None or store.count == 0:
            return None
        total = store.nexts[store.count - 1]
        if after is not None and after[0] < store.count:
            at = store.bounds(after[0])[0] + after[1]
            if backwards:
                hit = _last_match(store, stop, compiled, 0, at) or _last_match(store, stop, compiled, at + 1, total)
            else:
                hit = _first_match(store, stop, compiled, at + 1, total) or _first_match(
                    store, stop, compiled, 0, at + 1
                )
            return None if hit is None else _to_match(store, *hit)
        start_line = min(max(start_line, 0), store.count - 1)
        first, last = store.bounds(start_line)
        total = store.nexts[store.count - 1]
        if backwards:
            hit = _last_match(store, stop, compiled, 0, last) or _last_match(store, stop, compiled, last + 1, total)
        else:
            hit = _first_match(store, stop, compiled, first, total) or _first_match(store, stop, compiled, 0, first)
        return None if hit is None else _to_match(store, *hit)

    def count(
        self, pattern: str, at: Match | None = None, *, regex: bool = False, case: bool = False, limit: int = 100_000
    ) -> tuple[int, int]:
        """How many matches come before `at` (a match this search found), and how many there are in all, each
        counted up to `limit` (a count that reaches it means "at least"). Matches are counted by the regular
        expression engine, a chunk at a time: tens of milliseconds for a 5 MB body."""
        compiled = compile_pattern(pattern, regex=regex, case=case)
        store = self._store
        if compiled is None or store.count == 0:
            return 0, 0
        total_size = store.nexts[store.count - 1]
        offset = store.bounds(at[0])[0] + at[1] if at is not None else -1
        before = total = 0
        for chunk, base in zip(store.chunks, store.bases, strict=False):
            if base >= total_size or total >= limit:
                break
            end = total_size - base
            if 0 <= offset - base <= len(chunk):
                # The chunk that holds the match: those before it are counted apart.
                before = total + len(compiled.findall(chunk, 0, offset - base))
            found = len(compiled.findall(chunk, 0, end))
            total += found
        return min(before, limit), min(total, limit)

    def match_spans(
        self,
        pattern: str,
        *,
        regex: bool = False,
        case: bool = False,
        limit: int = 100_000,
        cancelled: Callable[[], bool] | None = None,
    ) -> tuple[array[int], array[int]] | None:
        """Text offsets where the (non-empty) matches start and end, in order, at most `limit` of them; None if
        `cancelled` answered True (asked between chunks). One pass over the text: which match of how many one is,
        and the next or previous one, are then bisections (`offset_of`, `match_between`)."""
        compiled = compile_pattern(pattern, regex=regex, case=case)
        store = self._store
        starts, ends = array("q"), array("q")
        if compiled is None or store.count == 0:
            return starts, ends
        stop = cancelled or _never
        total = store.nexts[store.count - 1]
        for chunk, base in zip(store.chunks, store.bases, strict=False):
            if base >= total:
                break
            if stop():
                return None
            for m in compiled.finditer(chunk, 0, total - base):
                if m.end() > m.start():
                    starts.append(base + m.start())
                    ends.append(base + m.end())
            if len(starts) >= limit:
                del starts[limit:]
                del ends[limit:]
                break
        return starts, ends

    def offset_of(self, line: int, column: int = 0) -> int:
        """The text offset of `column` on `line` (a match's start, as `match_spans` gives them)."""
        return self._store.bounds(line)[0] + column

    def match_between(self, start: int, end: int) -> Match:
        """The match from text offset `start` to `end`, as (line, start column, end column) on its first line."""
        return _to_match(self._store, start, end)

    def find_all(self, pattern: str, limit: int = 1000, *, regex: bool = False, case: bool = False) -> list[Match]:
        """Up to `limit` matches from the top, in order."""
        compiled = compile_pattern(pattern, regex=regex, case=case)
        store = self._store
        found: list[Match] = []
        if compiled is None or store.count == 0:
            return found
        total = store.nexts[store.count - 1]
        for chunk, base in zip(store.chunks, store.bases, strict=False):
            if base >= total:
                break
            for m in compiled.finditer(chunk, 0, total - base):
                if m.end() > m.start():
                    found.append(_to_match(store, base + m.start(), base + m.end()))
                    if len(found) >= limit:
                        return found
        return found

    def long_lines(self, width: int, start: int = 0, stop: int | None = None) -> Iterator[tuple[int, int]]:
        """(line, length) of each line longer than `width` characters among lines `start` to `stop - 1`.

        One regular expression finds them in each chunk of text, in C: tens of milliseconds for 5 MB. Between
        chunks (and matches) the interpreter is free; run it in a thread all the same.
        """
        store = self._store
        stop = store.count if stop is None else min(stop, store.count)
        if start >= stop:
            return
        pattern = _long_line_pattern(width)
        first = store.bounds(start)[0]
        end = store.nexts[stop - 1]
        for k in range(bisect_right(store.bases, first) - 1, len(store.chunks)):
            base = store.bases[k]
            if base >= end:
                break
            chunk = store.chunks[k]
            for m in pattern.finditer(chunk, max(first - base, 0), min(end - base, len(chunk))):
                yield store.line_of(base + m.start()), m.end() - m.start()

    # Writing, for build_document and from_text only.

    def _start(self, kind: BodyKind) -> None:
        """Forget every line and start over."""
        self.kind = kind
        self._complete = False
        self._store = _Store()
        self.revision += 1

    def _append(self, text: str) -> None:
        """Add whole lines: `text` ends with a newline."""
        lines = text.split("\n")
        lines.pop()
        if not lines:
            return
        store = self._store
        base = store.size
        store.chunks.append(text)
        store.bases.append(base)
        # Offsets and widths are computed in C over the split lines; nothing per line runs in Python.
        store.nexts.extend(islice(accumulate(map(add, map(len, lines), repeat(1)), initial=base), 1, None))
        store.max_width = max(store.max_width, max(map(len, lines)))
        store.size = base + len(text)
        store.count = len(store.nexts)

    def _finish(self) -> None:
        self._complete = True


def compile_pattern(pattern: str, *, regex: bool = False, case: bool = False) -> re.Pattern[str] | None:
    """The regular expression a search uses, None for an empty pattern. Raises SearchError when invalid."""
    if not pattern:
        return None
    flags = re.MULTILINE if case else re.MULTILINE | re.IGNORECASE
    try:
        return re.compile(pattern if regex else re.escape(pattern), flags)
    except re.error as exc:
        raise SearchError(
            f"{pattern!r} is not a valid regular expression: {exc}.",
            hint="Fix the pattern, or search for it as plain text.",
        ) from None


@lru_cache(maxsize=8)
def _long_line_pattern(width: int) -> re.Pattern[str]:
    """A line of more than `width` characters, whole."""
    return re.compile(rf"^[^\n]{{{width + 1},}}", re.MULTILINE)


def _first_match(
    store: _Store, stop: Callable[[], bool], pattern: re.Pattern[str], lo: int, hi: int
) -> tuple[int, int] | None:
    """Text offsets of the first non-empty match between offsets `lo` and `hi` (None too when `stop` says so)."""
    if lo >= hi:
        return None
    for k in range(bisect_right(store.bases, lo) - 1, len(store.bases)):
        base = store.bases[k]
        if base >= hi or stop():
            break
        chunk = store.chunks[k]
        for m in pattern.finditer(chunk, max(lo - base, 0), min(hi - base, len(chunk))):
            if m.end() > m.start():
                return base + m.start(), base + m.end()
    return None


def _last_match(
    store: _Store, stop: Callable[[], bool], pattern: re.Pattern[str], lo: int, hi: int
) -> tuple[int, int] | None:
    """Text offsets of the last non-empty match between offsets `lo` and `hi` (None too when `stop` says so)."""
    if lo >= hi:
        return None
    for k in range(bisect_right(store.bases, hi - 1) - 1, -1, -1):
        base = store.bases[k]
        chunk = store.chunks[k]
        if base + len(chunk) <= lo or stop():
            break
        last: tuple[int, int] | None = None
        for m in pattern.finditer(chunk, max(lo - base, 0), min(hi - base, len(chunk))):
            if m.end() > m.start():
                last = base + m.start(), base + m.end()
        if last is not None:
            return last
    return None


def _to_match(store: _Store, start: int, end: int) -> Match:
    """Text offsets as (line, start column, end column); a match that runs past its line ends with it."""
    line = store.line_of(start)
    first, last = store.bounds(line)
    return line, start - first, min(end, last) - first


class _Progress:
    """Calls back after the first batch, then at most every 50 ms, then once when done."""

    def __init__(self, callback: Callable[[], None] | None) -> None:
        self._callback = callback
        self._last: float | None = None

    def tick(self) -> None:
        if self._callback is None:
            return
        now = time.perf_counter()
        if self._last is None or now - self._last >= _PROGRESS_EVERY:
            self._last = now
            self._callback()

    def done(self) -> None:
        if self._callback is not None:
            self._callback()


def _never() -> bool:
    return False


def _nothing() -> None:
    pass


def build_document(
    body: bytes,
    content_type: str,
    *,
    on_progress: Callable[[], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    into: Document | None = None,
    pace: Callable[[], None] | None = None,
) -> Document:
    """Format `body` into a document, synchronously. Run it in a thread for anything big.

    `on_progress` is called after the first batch of lines, then about every 50 ms of work, then once at the
    end. `cancelled` is asked between batches; when it answers True the build stops and the document stays
    incomplete. Pass `into` to read the document while it is being built. `pace` is called about every
    millisecond of work; it may sleep, to leave the interpreter to a thread that needs it more.
    """
    document = into if into is not None else Document()
    run_steps(format_steps(body, content_type, document, pace=pace), on_progress=on_progress, cancelled=cancelled)
    return document


def run_steps(
    steps: Iterator[None],
    *,
    on_progress: Callable[[], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> bool:
    """Take the remaining steps of `format_steps`, as `build_document` does. True when the document is complete."""
    progress = _Progress(on_progress)
    stop = cancelled or _never
    for _ in steps:
        progress.tick()
        if stop():
            return False
    progress.done()
    return True


def format_steps(
    body: bytes, content_type: str, document: Document, *, pace: Callable[[], None] | None = None
) -> Iterator[None]:
    """Format `body` into `document` a batch of lines per step; the document is complete after the last one.

    The first step is short (a screen's worth of lines), so a caller can take it where it wants the first lines
    at once and leave the rest to a thread; the steps can be taken from any one thread at a time.
    """
    head = body[:SNIFF_BYTES]
    kind = body_kind(content_type, head)
    document._start(kind)
    pace = pace or _nothing
    encoding = charset(content_type)
    if kind == "binary":
        document._append("\n".join(hexdump_summary(body)) + "\n")
    elif kind == "json" and body.strip() and not _looks_indented(body[:_FIRST_BYTES]):
        try:
            yield from _print_json(_utf8(body, encoding), document, pace)
        except _NotJson as exc:
            sniffed = body_kind("", head)
            document._start(sniffed)
            document.note = f"Not valid JSON (at byte {exc.position:,}): shown as received."
            if sniffed == "binary":
                document._append("\n".join(hexdump_summary(body)) + "\n")
            else:
                yield from _print_text(body, encoding, document, pace, split_tags=False)
    else:
        split_tags = kind in ("xml", "html") and _longest_line(body[:_FIRST_BYTES]) > _LONG_LINE
        yield from _print_text(body, encoding, document, pace, split_tags=split_tags)
    document._finish()


def _longest_line(head: bytes) -> int:
    return max(map(len, head.split(b"\n")))


def _looks_indented(head: bytes) -> bool:
    """True when a JSON body was already pretty printed by the server: then it is shown as sent.

    Pretty printers put the opening bracket alone on the first line and indent the next one.
    """
    if _PRETTY_START.match(head) is None:
        return False
    return max(map(len, head.split(b"\n")[:-1])) <= _LONG_LINE


def _utf8(body: bytes, encoding: str) -> bytes:
    """JSON is UTF-8 unless the content type says otherwise."""
    if codecs.lookup(encoding).name in ("utf-8", "ascii"):
        return body
    return body.decode(encoding, "replace").encode("utf-8")


def _print_json(body: bytes, document: Document, pace: Callable[[], None]) -> Iterator[None]:
    """Pretty print `body`, yielding after each batch of lines; raises _NotJson at the first error.

    The loop runs once per output line, so it keeps its state in locals: the current depth, whether
    the innermost container is an object, and whether a value or a closing bracket comes next.
    """
    indents = [b"  " * depth for depth in range(32)]
    stack: list[bytes] = []  # the closing bracket each open container expects
    out: list[bytes] = []
    lines = 0
    batch = _FIRST_LINES
    # The one per-line test: the next batch end or pace point, whichever comes first.
    check_at = min(batch, _PACE_LINES)
    pos = len(codecs.BOM_UTF8) if body.startswith(codecs.BOM_UTF8) else 0
    depth = 0
    indent = b""
    in_object = False
    expect_value = True  # after an opening bracket or a comma; otherwise the container must close
    for m in _UNIT.finditer(body, pos):
        key, scalar, opener, empty, closer, comma, _junk = m.groups()
        if scalar is not None or empty is not None:
            if not expect_value or (key is not None) is not in_object:
                raise _NotJson(_skip_ws(body, m.start()))
            if scalar is None:
                if empty != _CLOSER[opener]:
                    raise _NotJson(m.start(4))
                scalar = opener + empty
            line = indent + key + b": " + scalar if key is not None else indent + scalar
            out.append(line if comma is None else line + comma)
            expect_value = comma is not None
            lines += 1
        elif opener is not None:
            if not expect_value or (key is not None) is not in_object:
                raise _NotJson(_skip_ws(body, m.start()))
            if comma is not None:
                raise _NotJson(m.start(6))
            out.append(indent + key + b": " + opener if key is not None else indent + opener)
            stack.append(_CLOSER[opener])
            depth += 1
            if depth == len(indents):
                indents.append(b"  " * depth)
            indent = indents[depth]
            in_object = opener == b"{"
            lines += 1
        elif closer is not None:
            if expect_value or key is not None or not stack or closer != stack.pop():
                raise _NotJson(m.start(5))
            depth -= 1
            indent = indents[depth]
            in_object = depth > 0 and stack[-1] == b"}"
            out.append(indent + closer if comma is None else indent + closer + comma)
            expect_value = comma is not None
            lines += 1
        else:
            raise _NotJson(m.start(7))
        if depth == 0:  # the top-level value is complete
            if comma is not None:
                raise _NotJson(m.start(6))
            pos = m.end()
            break
        if lines >= check_at:
            if lines < batch:
                pace()
                check_at = min(batch, lines + _PACE_LINES)
            else:
                out.append(b"")
                document._append(b"\n".join(out).decode("utf-8", "replace"))
                out.clear()
                lines = 0
                batch = _BATCH_LINES
                check_at = _PACE_LINES
                yield
    else:
        raise _NotJson(len(body))
    if _TRAILING_WS.match(body, pos) is None:
        raise _NotJson(_skip_ws(body, pos))
    out.append(b"")
    document._append(b"\n".join(out).decode("utf-8", "replace"))


def _skip_ws(body: bytes, pos: int) -> int:
    skipped = _SKIP_WS.match(body, pos)
    return skipped.end() if skipped else pos


def _print_text(
    body: bytes, encoding: str, document: Document, pace: Callable[[], None], *, split_tags: bool
) -> Iterator[None]:
    """Decode and split into lines, yielding after each slice. `split_tags` breaks lines between `>` and `<`."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    pending: list[str] = []  # the start of a line whose end is not decoded yet
    carry = ""  # a "\r" at the end of a slice, in case the next one starts with "\n"
    last_char = ""
    pos = 0
    step = _FIRST_BYTES
    while True:
        final = pos + step >= len(body)
        piece = carry + decoder.decode(body[pos : pos + step], final=final)
        pos += step
        step = _BATCH_BYTES
        carry = ""
        if not final and piece.endswith("\r"):
            piece, carry = piece[:-1], "\r"
        if "\r" in piece:
            piece = piece.replace("\r\n", "\n").replace("\r", "\n")
        if split_tags and piece:
            piece = piece.replace("><", ">\n<")
            if last_char == ">" and piece[0] == "<":
                piece = "\n" + piece
            last_char = piece[-1]
        cut = piece.rfind("\n") + 1
        if cut:
            pending.append(piece[:cut])
            document._append(_expand_tabs("".join(pending)))
            pending = [piece[cut:]]
            yield
            pace()
        else:
            pending.append(piece)
        if final:
            break
    rest = "".join(pending)
    if rest:
        document._append(_expand_tabs(rest) + "\n")


def _expand_tabs(text: str) -> str:
    # Tabs become spaces here, once, so columns in the text are columns on screen.
    return text.expandtabs(8) if "\t" in text else text
