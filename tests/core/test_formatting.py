"""Body kinds, lexer names, sizes, durations, charsets and the binary summary."""

from __future__ import annotations

import subprocess
import sys

import pytest

from explorer.core.formatting import (
    body_kind,
    charset,
    hexdump_summary,
    human_duration,
    human_size,
    lexer_name,
    magic_type,
    media_type,
)


@pytest.mark.parametrize(
    ("content_type", "kind"),
    [
        ("application/json", "json"),
        ("application/json; charset=utf-8", "json"),
        ("Application/JSON", "json"),
        ("application/problem+json", "json"),
        ("application/vnd.newstore.order+json; version=2", "json"),
        ("application/xml", "xml"),
        ("text/xml", "xml"),
        ("application/soap+xml", "xml"),
        ("image/svg+xml", "xml"),
        ("text/html; charset=iso-8859-1", "html"),
        ("application/xhtml+xml", "html"),
        ("text/plain", "text"),
        ("text/csv", "text"),
        ("application/javascript", "text"),
        ("image/png", "binary"),
        ("application/pdf", "binary"),
        ("font/woff2", "binary"),
    ],
)
def test_kind_from_content_type(content_type: str, kind: str) -> None:
    # The content type wins over what the bytes look like.
    assert body_kind(content_type, b"\x00\x01 whatever") == kind


@pytest.mark.parametrize("content_type", ["", "application/octet-stream", "application/x-unknown"])
@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b'  {"a": 1}', "json"),
        (b"\xef\xbb\xbf[1, 2]", "json"),
        (b"<?xml version='1.0'?><a/>", "xml"),
        (b"<!DOCTYPE html><html></html>", "html"),
        (b"<html><body>hi</body></html>", "html"),
        (b"plain words\nand more", "text"),
        (b"caf\xc3\xa9", "text"),
        (b"", "text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary"),
        (b"%PDF-1.7\n", "binary"),
        (b"abc\x00def", "binary"),
        (b"\xff\xfe\xfd not utf-8", "binary"),
        (bytes(range(1, 32)) * 4, "binary"),
    ],
)
def test_kind_sniffed_when_the_type_says_little(content_type: str, head: bytes, kind: str) -> None:
    assert body_kind(content_type, head) == kind


def test_sniffing_tolerates_a_character_cut_by_the_head() -> None:
    head = ("é" * 2000).encode()[:4095]
    assert body_kind("", head) == "text"


def test_sniffing_uses_the_declared_charset() -> None:
    assert body_kind("application/octet-stream; charset=latin-1", b"caf\xe9 au lait") == "text"


def test_lexer_names() -> None:
    assert [lexer_name(k) for k in ("json", "xml", "html", "text", "binary")] == [
        "json",
        "xml",
        "html",
        "text",
        "text",
    ]


def test_media_type_and_charset() -> None:
    assert media_type(" Text/HTML ; charset=UTF-8") == "text/html"
    assert charset("text/html; charset=UTF-8") == "utf-8"
    assert charset('text/plain; format=flowed; charset="ISO-8859-1"') == "iso-8859-1"
    assert charset("text/plain") == "utf-8"
    assert charset("text/plain; charset=no-such-codec") == "utf-8"


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (0, "0 B"),
        (1, "1 B"),
        (1023, "1023 B"),
        (1024, "1.0 KB"),
        (1234, "1.2 KB"),
        (5 * 1024 * 1024, "5.0 MB"),
        (3 * 1024**3 // 2, "1.5 GB"),
        (-5, "0 B"),
    ],
)
def test_human_size(n: int, text: str) -> None:
    assert human_size(n) == text


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0 ms"),
        (0.0004, "0.4 ms"),
        (0.085, "85 ms"),
        (0.9994, "999 ms"),
        (0.9996, "1.00 s"),
        (1.2449, "1.24 s"),
        (12.34, "12.3 s"),
        (59.96, "1 min 0 s"),
        (125, "2 min 5 s"),
        (3725, "1 h 2 min"),
        (-1, "0 ms"),
    ],
)
def test_human_duration(seconds: float, text: str) -> None:
    assert human_duration(seconds) == text


def test_magic_types() -> None:
    assert magic_type(b"\x89PNG\r\n\x1a\n") == "PNG image"
    assert magic_type(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "WebP image"
    assert magic_type(b"\x1f\x8b\x08") == "gzip data"
    assert magic_type(b"hello") is None


def test_hexdump_summary() -> None:
    body = b"\x89PNG\r\n\x1a\n" + bytes(range(40))
    lines = hexdump_summary(body, limit=32)
    assert lines[0] == "Binary body: 48 B (48 bytes)"
    assert lines[1] == "Detected type: PNG image"
    assert lines[3] == "00000000  89 50 4e 47 0d 0a 1a 0a  00 01 02 03 04 05 06 07  |.PNG............|"
    assert lines[4].startswith("00000010  08 09 0a")
    assert lines[-1] == "… 16 more bytes not shown"


def test_hexdump_of_a_short_body_shows_all_of_it() -> None:
    lines = hexdump_summary(b"\x00ab", limit=512)
    assert lines[1] == "Detected type: unknown binary data"
    # The hex columns keep their width, so the text column lines up with full rows.
    assert lines[-1] == "00000000  00 61 62" + " " * (15 + 2 + 23 + 2) + "|.ab|"


def test_import_stays_light() -> None:
    code = (
        "import sys, explorer.core.formatting, explorer.core.document; "
        "print(sorted(m for m in ('textual', 'rich', 'pygments') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
