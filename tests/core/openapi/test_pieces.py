"""Reading big JSON member by member gives exactly what `json.loads` gives, and fails where it fails."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.core.openapi.document import loads_in_pieces, parse_bytes

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8)
values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.text(max_size=6), values, max_size=6), st.sampled_from([None, 1, 2]))
def test_same_as_json_loads(document: dict[str, Any], indent: int | None) -> None:
    text = json.dumps(document, indent=indent)
    assert loads_in_pieces(text) == json.loads(text)


@pytest.mark.parametrize("text", ['{"a":1,}', '{"a" 1}', '{"a":1} x', "{1:2}", '{"a":', "{"])
def test_invalid_json_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        loads_in_pieces(text)


def test_big_documents_take_the_piecewise_path_and_errors_keep_json_words() -> None:
    big = {"paths": {f"/p{i}": {"get": {"summary": "x" * 100}} for i in range(6000)}}
    data = json.dumps(big).encode()
    assert len(data) > 512 * 1024 and parse_bytes(data, "big.json") == big
    from explorer.core.openapi.document import SpecError

    with pytest.raises(SpecError, match="Expecting"):
        parse_bytes(data[:-1], "big.json")
