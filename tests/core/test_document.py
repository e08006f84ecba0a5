"""Documents: JSON pretty printed like json.dumps, text split into lines, incremental builds, search."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.core.document import Document, SearchError, build_document


def pretty(body: str | bytes, content_type: str = "application/json") -> list[str]:
    data = body.encode() if isinstance(body, str) else body
    return list(build_document(data, content_type))


def dumps_lines(value: Any, *, ensure_ascii: bool = True) -> list[str]:
    return json.dumps(value, indent=2, ensure_ascii=ensure_ascii).split("\n")


SAMPLES = [
    "{}",
    "[]",
    "0",
    "-12.5",
    '"just a string"',
    "true",
    "null",
    '{"a": 1}',
    '[1, "two", 3.0, true, false, null]',
    '{"empty object": {}, "empty list": [], "nested": {"deeper": {"deepest": []}}}',
    '[[], {}, [[]], [{}], {"a": [{}]}]',
    '{"unicode": "caf\\u00e9 \\ud83d\\ude00", "escapes": "tab\\t quote\\" backslash\\\\ nl\\n"}',
    '{"": "", " ": " ", "a,b": "c:d", "{": "}", "[": "]"}',
    '[{"id": 1, "tags": ["x", "y"], "price": {"amount": 10.5, "currency": "EUR"}}, {"id": 2, "tags": []}]',
    '  \r\n {"spaced" \n:\t[ 1 ,\n2 ] }  \n',
]


@pytest.mark.parametrize("body", SAMPLES)
def test_json_is_printed_like_json_dumps(body: str) -> None:
    assert pretty(body) == dumps_lines(json.loads(body))


def test_numbers_and_escapes_are_kept_as_sent() -> None:
    # json.dumps would rewrite these; a viewer shows what the server said.
    assert pretty('[1E5, 1.50, -0.0, 12345678901234567890, "a\\/b\\u00E9"]') == [
        "[",
        "  1E5,",
        "  1.50,",
        "  -0.0,",
        "  12345678901234567890,",
        '  "a\\/b\\u00E9"',
        "]",
    ]


def test_raw_unicode_is_kept_as_sent() -> None:
    value = {"name": "Zoë", "city": "東京", "emoji": "🙂"}
    body = json.dumps(value, ensure_ascii=False)
    assert pretty(body) == dumps_lines(value, ensure_ascii=False)


def test_deep_nesting() -> None:
    value: Any = "bottom"
    for depth in range(300):
        value = {"level": depth, "next": [value]}
    assert pretty(json.dumps(value)) == dumps_lines(value)


def test_byte_order_mark_and_charset() -> None:
    assert pretty(b'\xef\xbb\xbf{"a": 1}') == ["{", '  "a": 1', "}"]
    body = '{"a": "é"}'.encode("utf-16-le")
    assert pretty(body, "application/json; charset=utf-16-le") == ["{", '  "a": "é"', "}"]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=8), children, max_size=5),
    max_leaves=30,
)


@settings(max_examples=200, deadline=None)
@given(
    value=json_values,
    separators=st.sampled_from([(",", ":"), (", ", ": "), (" ,\n", " :\t")]),
    ensure_ascii=st.booleans(),
)
def test_any_json_value_is_printed_like_json_dumps(value: Any, separators: tuple[str, str], ensure_ascii: bool) -> None:
    body = json.dumps(value, separators=separators, ensure_ascii=ensure_ascii)
    assert pretty(body) == dumps_lines(value, ensure_ascii=ensure_ascii)


@pytest.mark.parametrize(
    "body",
    [
        '{"a": 1,}',
        "[1, 2,]",
        '{"a" 1}',
        '{"a": 1]',
        "[1 2]",
        '{"a": 1} trailing',
        '{"a": 1}{"b": 2}',
        '{"a": tru}',
        '{"a": 01}',
        '{1: "a"}',
        '["a": 1]',
        "[,1]",
        '{"a": "unterminated}',
        "{",
        "NaN",
    ],
)
def test_invalid_json_is_shown_as_received(body: str) -> None:
    document = build_document(body.encode(), "application/json")
    assert list(document) == body.split("\n")
    assert document.note.startswith("Not valid JSON")
    assert document.complete


def test_json_that_breaks_late_starts_over_as_text() -> None:
    good = json.dumps([{"n": i} for i in range(5000)])
    body = (good[:-1] + ", oops]").encode()
    revisions: list[int] = []
    document = Document()
    build_document(body, "application/json", into=document, on_progress=lambda: revisions.append(document.revision))
    assert list(document) == [body.decode()]
    assert "at byte" in document.note
    assert revisions[0] < revisions[-1]  # lines were shown, then replaced


def test_an_html_error_page_labelled_json_is_highlighted_as_html() -> None:
    document = build_document(b"<html><body>Bad gateway</body></html>", "application/json")
    assert document.kind == "html"
    assert list(document) == ["<html><body>Bad gateway</body></html>"]


def test_empty_json_body_has_no_lines_and_no_note() -> None:
    document = build_document(b"", "application/json")
    assert document.line_count == 0
    assert document.note == ""
    assert document.complete


def test_already_indented_json_is_shown_as_sent() -> None:
    body = json.dumps({"a": [1, 2], "b": {"c": None}}, indent=4)
    document = build_document(body.encode(), "application/json")
    assert list(document) == body.split("\n")
    assert document.kind == "json"
    assert document.note == ""


def test_text_lines() -> None:
    body = b"first\r\nsecond\rthird\n\tindented\nlast\n"
    assert pretty(body, "text/plain") == ["first", "second", "third", "        indented", "last"]
    assert pretty(b"no newline at the end", "text/plain") == ["no newline at the end"]
    assert pretty(b"a\n\nb", "text/plain") == ["a", "", "b"]


def test_text_charset() -> None:
    assert pretty("café".encode("latin-1"), "text/plain; charset=iso-8859-1") == ["café"]
    assert pretty(b"bad \xff byte", "text/plain") == ["bad \ufffd byte"]


def test_text_survives_slice_boundaries() -> None:
    # Multi-byte characters and \r\n pairs cut by the slices the text is decoded in.
    line = "é" * 10 + "\r\n"
    body = (line * 20_000).encode()
    document = build_document(body, "text/plain")
    assert document.line_count == 20_000
    assert set(document) == {"é" * 10}


def test_long_single_line_xml_is_split_between_tags() -> None:
    body = "<?xml version='1.0'?><orders>" + "<order id='1'><total>5</total></order>" * 200 + "</orders>"
    document = build_document(body.encode(), "application/xml")
    lines = list(document)
    assert lines[:5] == ["<?xml version='1.0'?>", "<orders>", "<order id='1'>", "<total>5</total>", "</order>"]
    assert "".join(lines) == body


def test_short_xml_is_left_alone() -> None:
    body = "<a>\n  <b>x</b><c/>\n</a>"
    assert pretty(body, "text/xml") == body.split("\n")


def test_binary_body_becomes_a_summary() -> None:
    body = b"\x89PNG\r\n\x1a\n" + bytes(2000)
    document = build_document(body, "image/png")
    assert document.kind == "binary"
    assert document.line(0).startswith("Binary body: 2.0 KB")
    assert document.line(1) == "Detected type: PNG image"
    assert document.line_count < 50


def big_json(items: int) -> bytes:
    return json.dumps([{"id": i, "name": f"item {i}", "tags": ["a", "b"]} for i in range(items)]).encode()


def test_progress_is_reported_from_the_first_batch() -> None:
    document = Document()
    seen: list[tuple[int, bool]] = []
    build_document(
        big_json(20_000),
        "application/json",
        into=document,
        on_progress=lambda: seen.append((document.line_count, document.complete)),
    )
    assert 0 < seen[0][0] < 1000  # the first screen is ready long before the rest
    assert not seen[0][1]
    assert seen[-1] == (document.line_count, True)


def test_cancelled_build_stops_early() -> None:
    document = build_document(big_json(20_000), "application/json", cancelled=lambda: True)
    assert not document.complete
    assert 0 < document.line_count < 1000


def test_readers_see_whole_lines_while_a_thread_writes() -> None:
    body = big_json(30_000)
    expected = dumps_lines(json.loads(body))
    document = Document()
    writer = threading.Thread(target=build_document, args=(body, "application/json"), kwargs={"into": document})
    writer.start()
    checked = 0
    while writer.is_alive() or checked < document.line_count:
        count = document.line_count
        for index in range(checked, count, 97):
            assert document.line(index) == expected[index]
        checked = count
    writer.join()
    assert list(document) == expected


def test_lines_are_kept_in_a_few_chunks() -> None:
    document = build_document(big_json(20_000), "application/json")
    assert document.line_count > 100_000
    assert len(document._store.chunks) < document.line_count // 1000  # thousands of lines to a chunk


def test_reading_lines() -> None:
    document = Document.from_text("alpha\nbeta gamma\n\ndelta")
    assert document.line_count == 4
    assert document.complete
    assert document.line(1) == "beta gamma"
    assert document.lines(1, 10) == ["beta gamma", "", "delta"]
    assert document.line_length(1) == 10
    assert document.line_part(1, 5, 7) == "ga"
    assert document.line_part(1, 8, 100) == "ma"
    assert document.max_width == 10
    with pytest.raises(IndexError):
        document.line(4)
    assert Document.from_text("").line_count == 0


@pytest.fixture
def haystack() -> Document:
    return Document.from_text("\n".join(["alpha Beta", "gamma", "beta beta", "delta", "BETA"] * 2))


def test_search_forwards_from_a_line(haystack: Document) -> None:
    assert haystack.search("beta", 0) == (0, 6, 10)
    assert haystack.search("beta", 1) == (2, 0, 4)
    assert haystack.search("beta", 3) == (4, 0, 4)
    assert haystack.search("beta", 1, case=True) == (2, 0, 4)
    assert haystack.search("Beta", 1, case=True) == (5, 6, 10)


def test_search_wraps_around(haystack: Document) -> None:
    assert haystack.search("gamma", 7) == (1, 0, 5)
    assert haystack.search("delta", 9, backwards=True) == (8, 0, 5)
    assert haystack.search("gamma", 0, backwards=True) == (6, 0, 5)


def test_search_backwards_takes_the_last_match_on_a_line(haystack: Document) -> None:
    assert haystack.search("beta", 3, backwards=True) == (2, 5, 9)
    assert haystack.search("beta", 2, backwards=True) == (2, 5, 9)


def test_search_with_regex(haystack: Document) -> None:
    assert haystack.search(r"^d\w+$", 0, regex=True) == (3, 0, 5)
    assert haystack.search("a.", 0) is None  # not a regex unless asked
    assert haystack.search(r"x*", 0, regex=True) is None  # empty matches are not matches
    with pytest.raises(SearchError):
        haystack.search("(", 0, regex=True)


def test_search_nothing(haystack: Document) -> None:
    assert haystack.search("", 0) is None
    assert haystack.search("omega", 3) is None
    assert Document().search("x", 0) is None


def test_find_all(haystack: Document) -> None:
    assert haystack.find_all("beta", 4) == [(0, 6, 10), (2, 0, 4), (2, 5, 9), (4, 0, 4)]
    assert len(haystack.find_all("beta")) == 8
    assert haystack.find_all("ETA", case=True) == [(4, 1, 4), (9, 1, 4)]


def test_search_crosses_chunks() -> None:
    document = build_document(big_json(20_000), "application/json")
    last = document.line_count - 2
    assert document.line(last) == "  }"
    found = document.search('"item 19999"', 10)
    assert found is not None
    assert document.line(found[0]) == '    "name": "item 19999",'
    assert document.search('"item 5"', found[0], backwards=True) is not None
    assert len(document.find_all('"id"', limit=100_000)) == 20_000


def test_count_says_which_match_of_how_many() -> None:
    document = Document.from_text("abc x\nx yy x\nnothing\nX\n")
    first = document.search("x", 0)
    assert first == (0, 4, 5) and document.count("x", first) == (0, 4)
    assert document.count("x", document.search("x", 1)) == (1, 4)
    last = document.search("x", 3)
    assert last == (3, 0, 1) and document.count("x", last) == (3, 4)
    assert document.count("x", last, case=True) == (3, 3)
    assert document.count("zz") == (0, 0)
    assert document.count("x", limit=2) == (0, 2)


def test_match_spans_are_found_in_one_pass_and_map_back_to_lines() -> None:
    document = Document.from_text("alpha beta\ngamma\nbeta beta\n")
    spans = document.match_spans("BETA")
    assert spans is not None
    starts, ends = spans
    assert [document.match_between(s, e) for s, e in zip(starts, ends, strict=True)] == [
        (0, 6, 10),
        (2, 0, 4),
        (2, 5, 9),
    ]
    assert document.offset_of(2, 5) == starts[2]
    assert document.match_spans("beta", limit=2) is not None and len(document.match_spans("beta", limit=2)[0]) == 2  # type: ignore[index]
    assert document.match_spans("beta", cancelled=lambda: True) is None
    assert document.search("beta", 0, cancelled=lambda: True) is None
