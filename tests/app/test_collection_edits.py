"""Folder edits and suggested names: plain functions on a collection, each returning a changed copy."""

from __future__ import annotations

import pytest

from explorer.app.collection_edits import (
    delete_folder,
    duplicate_folder,
    move_request,
    rename_folder,
    suggest_name,
    unique_folder,
)
from explorer.core.model import Collection, RequestSpec


def _collection() -> Collection:
    return Collection(
        name="c",
        requests=[
            RequestSpec(name="a", folder="F"),
            RequestSpec(name="b", folder="F"),
            RequestSpec(name="c", folder="G"),
            RequestSpec(name="d"),
        ],
    )


def test_rename_a_folder_moves_its_requests_and_leaves_the_original_alone() -> None:
    original = _collection()
    changed = rename_folder(original, "F", "Stores")
    assert [(r.name, r.folder) for r in changed.requests] == [("a", "Stores"), ("b", "Stores"), ("c", "G"), ("d", "")]
    assert [r.folder for r in original.requests] == ["F", "F", "G", ""]


def test_renaming_onto_an_existing_folder_joins_them_in_one_place() -> None:
    changed = rename_folder(_collection(), "G", "F")
    assert [(r.name, r.folder) for r in changed.requests] == [("a", "F"), ("b", "F"), ("c", "F"), ("d", "")]
    changed = rename_folder(_collection(), "F", "G")
    assert [(r.name, r.folder) for r in changed.requests] == [("c", "G"), ("a", "G"), ("b", "G"), ("d", "")]
    assert changed.folders() == ["G"]


def test_delete_a_folder_with_its_requests() -> None:
    changed = delete_folder(_collection(), "F")
    assert [r.name for r in changed.requests] == ["c", "d"]


def test_move_a_request_to_another_folder_or_out_of_any() -> None:
    changed, index = move_request(_collection(), 0, "G")
    assert [(r.name, r.folder) for r in changed.requests] == [("b", "F"), ("c", "G"), ("a", "G"), ("d", "")]
    assert index == 2
    changed, index = move_request(_collection(), 2, "")
    assert [(r.name, r.folder) for r in changed.requests][-2:] == [("d", ""), ("c", "")]
    assert index == 3
    changed, index = move_request(_collection(), 3, "New")
    assert changed.folders() == ["F", "G", "New"] and index == 3


def test_duplicate_a_folder_copies_its_requests_under_new_names() -> None:
    original = _collection()
    changed, twin = duplicate_folder(original, "F")
    assert twin == "F copy"
    assert [(r.name, r.folder) for r in changed.requests][4:] == [("a copy", "F copy"), ("b copy", "F copy")]
    assert len(original.requests) == 4
    again, second = duplicate_folder(changed, "F")
    assert second == "F copy (2)"
    assert [r.name for r in again.requests][6:] == ["a copy (2)", "b copy (2)"]


def test_a_new_folder_name_is_made_unique() -> None:
    assert unique_folder(_collection(), "H") == "H"
    assert unique_folder(_collection(), "F") == "F (2)"
    assert unique_folder(_collection(), "H", also_taken=("H",)) == "H (2)"


@pytest.mark.parametrize(
    ("method", "url", "name"),
    [
        ("GET", "{{api_url}}/v0/stores", "List stores"),
        ("GET", "{{api_url}}/v0/stores/{{store_id}}", "Get store"),
        ("GET", "{{api_url}}/v0/stores/{{store_id}}/receipt-template", "Get store receipt template"),
        ("POST", "{{api_url}}/api/v1/customer/profiles", "Create customer profile"),
        ("DELETE", "https://acme.p.newstore.net/v0/orders/{{order_id}}", "Delete order"),
        ("PATCH", "{{api_url}}/v0/categories/{{id}}", "Update category"),
        ("GET", "{{api_url}}/", "New request"),
        ("GET", "", "New request"),
    ],
)
def test_a_suggested_name_reads_like_a_name(method: str, url: str, name: str) -> None:
    assert suggest_name(RequestSpec(method=method, url=url)) == name
