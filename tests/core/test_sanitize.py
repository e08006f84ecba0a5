"""The one sanitising function: nothing a terminal interprets survives it, and it loses nothing else."""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st

from explorer.core.sanitize import clean, has_controls, is_b64token, shorten, xml_text

# Everything a terminal acts on, and the invisible reordering marks.
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]")


def test_escape_sequences_are_shown_not_sent() -> None:
    assert clean("a\x1b[31mred\x07") == "a\\x1b[31mred\\x07"
    assert clean("osc \x1b]0;title\x9c") == "osc \\x1b]0;title\\x9c"
    assert clean("csi \x9b6n") == "csi \\x9b6n"
    assert clean("over\rwrite\x08") == "over\\rwrite\\x08"
    assert clean("rtl \u202eevil") == "rtl \\u202eevil"
    assert clean("file-\udcff.toml") == "file-\\udcff.toml"


def test_one_line_by_default_and_lines_kept_when_asked() -> None:
    assert clean("a\nb\tc") == "a\\nb\\tc"
    assert clean("a\r\nb\tc\rd", multiline=True) == "a\nb\tc\\rd"


def test_plain_text_and_non_ascii_pass_unchanged() -> None:
    text = 'Café ✓ — 東京 {"ok": true}'
    assert clean(text) is text
    assert not has_controls(text)


def test_shorten_never_cuts_an_escape_in_half() -> None:
    value = "abcdef\x1bghij"  # cleaned: abcdef\x1bghij, the escape at 6..10
    assert shorten(value, 8) == "abcdef…"
    assert shorten(value, 10) == "abcdef…"
    assert shorten(value, 11) == "abcdef\\x1b…"
    assert shorten("abcdefgh", 5) == "abcd…"


@given(st.text())
def test_clean_leaves_no_control_character(text: str) -> None:
    assert CONTROL.search(clean(text)) is None
    assert CONTROL.search(clean(text, multiline=True).replace("\n", "").replace("\t", "")) is None
    assert clean(clean(text)) == clean(text)


@given(st.text(alphabet=st.characters(blacklist_characters="\\")), st.integers(min_value=1, max_value=40))
def test_shorten_is_bounded_and_clean(text: str, width: int) -> None:
    short = shorten(text, width)
    assert len(short) <= width
    assert CONTROL.search(short) is None
    # No partial escape at the cut: every backslash starts a whole escape.
    assert re.search(r"\\(?!x[0-9a-f]{2}|u[0-9a-f]{4}|[nrt])", short) is None


@given(st.text())
def test_xml_text_is_always_valid_xml(text: str) -> None:
    element = ET.Element("case", name=xml_text(text))
    element.text = xml_text(text)
    ET.fromstring(ET.tostring(element, encoding="unicode"))


def test_b64token() -> None:
    assert is_b64token("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln")
    assert is_b64token("abc-._~+/123==")
    for bad in ("", "abc def", "abc\r\nX-Injected: 1", "abc\x1b", "a=b", "tök", "abc\n"):
        assert not is_b64token(bad), bad
