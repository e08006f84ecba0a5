"""Comparing two response bodies: JSON key by key, text line by line."""

from __future__ import annotations

import json

from explorer.core.diff import diff_bodies


def test_json_bodies_are_compared_key_by_key() -> None:
    old = {"id": "o-1", "status": "open", "items": [{"sku": "A"}, {"sku": "B"}], "gone": 1, "odd key": True}
    new = {"id": "o-1", "status": "completed", "items": [{"sku": "A", "qty": 2}], "odd key": True, "fresh": None}
    diff = diff_bodies(json.dumps(old).encode(), json.dumps(new, indent=2).encode())
    assert diff.json and not diff.same
    assert diff.lines() == [
        '~ .status: "open" → "completed"',
        "+ .items[0].qty: 2",
        '- .items[1]: {"sku":"B"}',
        "- .gone: 1",
        "+ .fresh: null",
    ]
    assert diff.summary() == "2 added, 2 removed, 1 changed"


def test_same_json_in_another_layout_is_the_same() -> None:
    diff = diff_bodies(b'{"a": [1, 2]}', b'{\n  "a": [1, 2]\n}')
    assert diff.same and diff.summary() == "The two bodies are the same."


def test_a_number_that_became_a_string_is_a_change() -> None:
    assert diff_bodies(b'{"n": 1}', b'{"n": "1"}').lines() == ['~ .n: 1 → "1"']
    assert diff_bodies(b"1", b"true").lines() == ["~ .: 1 → true"]


def test_text_bodies_get_a_line_diff() -> None:
    diff = diff_bodies(b"<a>\n<b>1</b>\n</a>", b"<a>\n<b>2</b>\n</a>", old_label="#1", new_label="#2")
    assert not diff.json
    assert "-<b>1</b>" in diff.lines() and "+<b>2</b>" in diff.lines()
    assert diff.summary() == "1 lines added, 1 removed"
