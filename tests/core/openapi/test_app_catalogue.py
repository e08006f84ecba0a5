"""The application layer's catalogue rules: which description is shown, and an operation as a request."""

from __future__ import annotations

from pathlib import Path

from explorer.app.catalogue import CatalogueStore, open_operation, path_params, spec_location
from explorer.core.model import Collection
from explorer.core.openapi.document import Document
from explorer.core.openapi.reader import read_catalogue
from explorer.core.profiles import Profile


def test_the_collection_description_wins_and_is_relative_to_its_file(tmp_path: Path) -> None:
    profile = Profile(name="p", tenant="acme", client_id="c", openapi="https://x/swagger.json")
    assert spec_location(profile, None) == "https://x/swagger.json"
    collection = Collection(openapi="specs/api.yaml", path=tmp_path / "c.toml")
    assert spec_location(profile, collection) == str(tmp_path / "specs" / "api.yaml")
    assert spec_location(None, Collection()) == ""


def test_open_operation_names_the_path_variables_without_a_value() -> None:
    doc = {"openapi": "3.0.0", "info": {}, "paths": {"/s/{store_id}/i/{item_id}": {"get": {}}}}
    (op,) = read_catalogue(Document(doc)).operations
    opened = open_operation(op, {"store_id": "store-001"})
    assert opened.request.url == "{{api_url}}/s/{{store_id}}/i/{{item_id}}"
    assert opened.unknown == ["item_id"]


def test_path_params_start_from_the_variables_then_the_spec() -> None:
    item = {"name": "item id", "in": "path", "required": True, "schema": {"type": "integer"}, "example": 7,
            "description": "The item's number.\nMore words."}  # fmt: skip
    doc = {
        "openapi": "3.0.0",
        "info": {},
        "paths": {"/s/{store_id}/i/{item id}/{x}": {"get": {"parameters": [item]}}},
    }
    (op,) = read_catalogue(Document(doc)).operations
    found = path_params(op, {"store_id": "store-001"})
    assert [(p.name, p.value) for p in found] == [("store_id", "store-001"), ("item_id", "7"), ("x", "")]
    assert found[1].about == "integer · The item's number."


async def test_the_store_reads_a_file_once(tmp_path: Path) -> None:
    spec = tmp_path / "a.yaml"
    spec.write_text("openapi: 3.0.0\ninfo: {}\npaths: {/a: {get: {}}}\n")
    store = CatalogueStore()
    first = await store.load(str(spec), None)
    assert store.get(str(spec)) is first and await store.load(str(spec), None) is first
    assert await store.load(str(spec), None, refresh=True) is not first
