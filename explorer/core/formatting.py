"""What a response body is and how to talk about it: its kind, its lexer, its size and how long it took.

Pure functions on strings and bytes, cheap to import: headless commands use them too. The pretty printing of
bodies lives in `explorer.core.document`.
"""

from __future__ import annotations

import codecs
import math
from typing import Literal

BodyKind = Literal["json", "xml", "html", "text", "binary"]

# Enough of a body to tell what it is without reading all of it.
SNIFF_BYTES = 4096

_LEXERS: dict[BodyKind, str] = {
    "json": "json",
    "xml": "xml",
    "html": "html",
    "text": "text",
    "binary": "text",
}

_JSON_TYPES = frozenset(
    {"application/json", "text/json", "application/x-ndjson", "application/jsonl", "application/json-seq"}
)
_XML_TYPES = frozenset({"application/xml", "text/xml"})
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_TEXT_TYPES = frozenset(
    {
        "application/javascript",
        "application/ecmascript",
        "application/x-www-form-urlencoded",
        "application/yaml",
        "application/x-yaml",
        "application/toml",
        "application/graphql",
        "application/sql",
    }
)
_BINARY_PREFIXES = ("image/", "audio/", "video/", "font/")
_BINARY_TYPES = frozenset(
    {
        "application/pdf",
        "application/zip",
        "application/gzip",
        "application/x-gzip",
        "application/x-tar",
        "application/x-7z-compressed",
        "application/x-bzip2",
        "application/vnd.ms-excel",
        "application/msword",
        "application/wasm",
        "application/x-protobuf",
        "application/protobuf",
        "application/grpc",
        "application/cbor",
        "application/msgpack",
        "application/x-msgpack",
    }
)

# Magic numbers: (offset, signature, name). The first match wins, so longer signatures come first.
_MAGIC: tuple[tuple[int, bytes, str], ...] = (
    (0, b"\x89PNG\r\n\x1a\n", "PNG image"),
    (0, b"\xff\xd8\xff", "JPEG image"),
    (0, b"GIF87a", "GIF image"),
    (0, b"GIF89a", "GIF image"),
    (8, b"WEBP", "WebP image"),
    (8, b"WAVE", "WAV audio"),
    (8, b"AVI ", "AVI video"),
    (4, b"ftypavif", "AVIF image"),
    (4, b"ftypheic", "HEIC image"),
    (4, b"ftyp", "MP4 media"),
    (0, b"\x00\x00\x01\x00", "ICO image"),
    (0, b"II*\x00", "TIFF image"),
    (0, b"MM\x00*", "TIFF image"),
    (0, b"BM", "BMP image"),
    (0, b"%PDF-", "PDF document"),
    (0, b"PK\x03\x04", "ZIP archive (also docx, xlsx, jar)"),
    (0, b"PK\x05\x06", "ZIP archive (empty)"),
    (0, b"\x1f\x8b", "gzip data"),
    (0, b"BZh", "bzip2 data"),
    (0, b"\xfd7zXZ\x00", "xz data"),
    (0, b"\x28\xb5\x2f\xfd", "Zstandard data"),
    (0, b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (0, b"Rar!\x1a\x07", "RAR archive"),
    (0, b"ID3", "MP3 audio"),
    (0, b"OggS", "Ogg media"),
    (0, b"fLaC", "FLAC audio"),
    (0, b"wOFF", "WOFF font"),
    (0, b"wOF2", "WOFF2 font"),
    (0, b"\x00\x01\x00\x00\x00", "TrueType font"),
    (0, b"OTTO", "OpenType font"),
    (0, b"\x00asm", "WebAssembly module"),
    (0, b"\x7fELF", "ELF executable"),
    (0, b"MZ", "Windows executable"),
    (0, b"\xca\xfe\xba\xbe", "Java class or Mach-O binary"),
    (0, b"SQLite format 3\x00", "SQLite database"),
    (0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Microsoft Office document (legacy)"),
)

_PRINTABLE = frozenset(range(0x20, 0x7F))


def media_type(content_type: str) -> str:
    """`application/json; charset=utf-8` → `application/json`."""
    return content_type.split(";", 1)[0].strip().lower()


def charset(content_type: str) -> str:
    """The `charset` parameter of a content type, or `utf-8` when it is missing or unknown to Python."""
    for param in content_type.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() != "charset":
            continue
        value = value.strip().strip("\"'").lower()
        try:
            codecs.lookup(value)
        except LookupError:
            return "utf-8"
        return value
    return "utf-8"


def magic_type(head: bytes) -> str | None:
    """A human name for a binary format recognised by its first bytes, or None."""
    for offset, signature, name in _MAGIC:
        if head[offset : offset + len(signature)] == signature:
            return name
    return None


def body_kind(content_type: str, head: bytes) -> BodyKind:
    """What a body is, from its content type first and its first bytes (`head`) when the type says little."""
    media = media_type(content_type)
    if media in _JSON_TYPES or media.endswith("+json"):
        return "json"
    if media in _HTML_TYPES:
        return "html"
    if media in _XML_TYPES or media.endswith("+xml"):
        return "xml"
    if media.startswith(_BINARY_PREFIXES) or media in _BINARY_TYPES:
        return "binary"
    if media.startswith("text/") or media in _TEXT_TYPES:
        return "text"
    return _sniff(head[:SNIFF_BYTES], charset(content_type))


def _sniff(head: bytes, encoding: str) -> BodyKind:
    if not head:
        return "text"
    if b"\x00" in head and not encoding.startswith("utf-16") and not encoding.startswith("utf-32"):
        return "binary"
    if magic_type(head) is not None:
        return "binary"
    try:
        # Not final: the head may end inside a multi-byte character.
        text = codecs.getincrementaldecoder(encoding)("strict").decode(head, final=False)
    except UnicodeDecodeError:
        return "binary"
    controls = sum(1 for ch in text if ch < " " and ch not in "\n\r\t\f")
    if controls * 10 > len(text):
        return "binary"
    start = text.lstrip("\ufeff \t\r\n")[:256].lower()
    if start[:1] in ("{", "["):
        return "json"
    if start.startswith(("<!doctype html", "<html")):
        return "html"
    if start.startswith("<"):
        return "html" if "<html" in start else "xml"
    return "text"


def looks_like_json(text: str) -> bool:
    """Whether a request body typed without a content type is JSON: it starts like an object or an array."""
    return text.lstrip()[:1] in ("{", "[")


def lexer_name(kind: BodyKind) -> str:
    """The Pygments lexer that highlights a body of this kind."""
    return _LEXERS[kind]


def human_size(n: int) -> str:
    """A byte count as people read it: `0 B`, `512 B`, `1.2 KB`, `5.0 MB` (1 KB = 1024 bytes)."""
    if n < 1024:
        return f"{max(n, 0)} B"
    value = float(n)
    for unit in ("KB", "MB", "GB", "TB"):
        value /= 1024
        if value < 1023.95 or unit == "TB":
            return f"{value:.1f} {unit}"
    raise AssertionError("unreachable")  # pragma: no cover


def human_duration(seconds: float) -> str:
    """A duration as people read it: `0.4 ms`, `85 ms`, `1.24 s`, `12.3 s`, `2 min 5 s`, `1 h 2 min`."""
    seconds = max(seconds, 0.0)
    ms = seconds * 1000
    if ms == 0:
        return "0 ms"
    if round(ms, 1) < 1:
        return f"{ms:.1f} ms"
    if round(ms) < 1000:
        return f"{round(ms)} ms"
    if round(seconds, 2) < 10:
        return f"{seconds:.2f} s"
    if round(seconds, 1) < 60:
        return f"{seconds:.1f} s"
    whole = round(seconds)
    if whole < 3600:
        minutes, rest = divmod(whole, 60)
        return f"{minutes} min {rest} s"
    hours, rest = divmod(whole, 3600)
    return f"{hours} h {rest // 60} min"


def countdown(seconds: float) -> str:
    """Seconds as HH:MM:SS (a token's time left), never negative, at most 99:59:59; `--:--:--` for no number."""
    if not math.isfinite(seconds):
        return "--:--:--"
    whole = max(0, min(int(seconds), 99 * 3600 + 59 * 60 + 59))
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def hexdump_summary(body: bytes, limit: int = 512) -> list[str]:
    """Lines that describe a binary body: its size, its type if known, then the first `limit` bytes in hex."""
    kind = magic_type(body[:64]) or "unknown binary data"
    lines = [
        f"Binary body: {human_size(len(body))} ({len(body):,} bytes)",
        f"Detected type: {kind}",
        "",
    ]
    shown = body[: max(limit, 0)]
    for offset in range(0, len(shown), 16):
        row = shown[offset : offset + 16]
        hex_left = " ".join(f"{b:02x}" for b in row[:8])
        hex_right = " ".join(f"{b:02x}" for b in row[8:])
        text = "".join(chr(b) if b in _PRINTABLE else "." for b in row)
        lines.append(f"{offset:08x}  {hex_left:<23}  {hex_right:<23}  |{text}|")
    if len(body) > len(shown):
        lines.append(f"… {len(body) - len(shown):,} more bytes not shown")
    return lines
