"""Soft wrap: rows of lines wrapped at a width, against a plain count, for documents complete and growing."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.core.document import Document, build_document
from explorer.core.wrap import WrapIndex


def expected_rows(lines: list[str], width: int) -> list[tuple[int, int]]:
    """(line, part) of every row, counted the plain way."""
    rows: list[tuple[int, int]] = []
    for index, line in enumerate(lines):
        rows.extend((index, part) for part in range(max(-(-len(line) // width), 1)))
    return rows


@settings(max_examples=60, deadline=None)
@given(
    lengths=st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=60),
    width=st.integers(min_value=1, max_value=15),
)
def test_rows_map_to_lines_and_back(lengths: list[int], width: int) -> None:
    lines = ["x" * n for n in lengths]
    document = Document.from_text("\n".join(lines) + "\n")
    index = WrapIndex(document, width)
    assert index.scan()
    rows = expected_rows(lines, width)
    assert index.row_count == len(rows)
    for row, (line, part) in enumerate(rows):
        assert index.line_at(row) == (line, part)
    for line in range(len(lines)):
        assert index.first_row(line) == rows.index((line, 0))
        assert index.rows(line) == sum(1 for r in rows if r[0] == line)


def test_lines_that_fit_need_no_scan_and_a_growing_document_adds_its_new_lines() -> None:
    document = Document.from_text("short\nlines\n")
    index = WrapIndex(document, 10)
    assert index.scan() and index.row_count == 2 and index.line_at(1) == (1, 0)
    # Built in batches (the first small), with long lines further down: each scan adds what came since.
    text = "\n".join(("y" * 25 if i % 1000 == 999 else "z") for i in range(50_000)).encode()
    growing = Document()
    indexes: list[WrapIndex] = []

    def scan_as_it_grows() -> None:
        # Made once the build has begun (a document starting over makes an index stale).
        if not indexes:
            indexes.append(WrapIndex(growing, 10))
        indexes[0].scan()

    build_document(text, "text/plain", into=growing, on_progress=scan_as_it_grows)
    index = indexes[0]
    assert index.scan() and index.scanned == 50_000
    assert index.row_count == 50_000 + 50 * 2
    assert index.line_at(index.first_row(49_999) + 2) == (49_999, 2)


def test_a_document_that_starts_over_makes_the_index_stale() -> None:
    document = Document()
    build_document(b"a\nbb\n", "text/plain", into=document)
    index = WrapIndex(document, 1)
    assert index.scan() and index.row_count == 3
    build_document(b"ccc\n", "text/plain", into=document)
    assert index.stale and not index.scan()


def test_long_lines_are_found_by_their_length() -> None:
    document = Document.from_text("a\n" + "b" * 50 + "\nc\n" + "d" * 11 + "\n")
    assert list(document.long_lines(10)) == [(1, 50), (3, 11)]
    assert list(document.long_lines(10, 2)) == [(3, 11)]
    assert list(document.long_lines(10, 0, 2)) == [(1, 50)]
    assert list(document.long_lines(60)) == []
