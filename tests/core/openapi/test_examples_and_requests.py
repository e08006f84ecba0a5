"""Example values from schemas, and operations turned into requests."""

from __future__ import annotations

import json
from typing import Any

from explorer.core.openapi.document import Document
from explorer.core.openapi.reader import read_catalogue
from explorer.core.openapi.requests import request_for, templated_path, variable_name
from explorer.core.openapi.schemas import describe_type, example_for

SCHEMAS: dict[str, Any] = {
    "Node": {
        "type": "object",
        "required": ["name", "children"],
        "properties": {
            "name": {"type": "string", "minLength": 8},
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
        },
    },
    "Pet": {
        "type": "object",
        "required": ["id", "kind", "tags", "born", "weight", "owner", "secret"],
        "properties": {
            "id": {"type": "integer", "readOnly": True},
            "kind": {"type": "string", "enum": [None, "cat", "dog"]},
            "tags": {"type": "array", "items": {"type": "string", "format": "uuid"}},
            "born": {"type": ["string", "null"], "format": "date"},
            "weight": {"type": "number", "exclusiveMinimum": 2},
            "owner": {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/Owner"}]},
            "secret": {"type": "string", "writeOnly": True},
        },
    },
    "Owner": {
        "type": "object",
        "properties": {"email": {"type": "string", "format": "email"}, "age": {"type": "integer", "minimum": 18}},
    },
    "Mixed": {
        "allOf": [
            {"$ref": "#/components/schemas/Owner"},
            {"type": "object", "required": ["x"], "properties": {"x": {"const": 3}}},
        ]
    },
}
DOC = Document({"components": {"schemas": SCHEMAS}})


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def test_recursive_schema_gives_a_finite_example() -> None:
    value = example_for(ref("Node"), DOC)
    assert value == {"name": "stringst", "children": []}


def test_types_formats_enums_and_read_write_only() -> None:
    request = example_for(ref("Pet"), DOC, for_request=True)
    assert request == {
        "kind": "cat",
        "tags": ["3fa85f64-5717-4562-b3fc-2c963f66afa6"],
        "born": "2024-01-31",
        "weight": 3.0,
        "owner": {"email": "user@example.com", "age": 18},
        "secret": "string",
    }
    response = example_for(ref("Pet"), DOC, for_request=False)
    assert response["id"] == 0 and "secret" not in response


def test_all_of_merges_and_examples_win() -> None:
    assert example_for(ref("Mixed"), DOC) == {"email": "user@example.com", "age": 18, "x": 3}
    assert example_for({"type": "object", "example": {"a": 1}}, DOC) == {"a": 1}
    assert example_for({"type": "string", "examples": ["first"]}, DOC) == "first"
    assert example_for({"$ref": "#/nowhere"}, DOC) is None


def test_describe_type() -> None:
    assert describe_type(ref("Pet"), DOC) == "Pet"
    assert describe_type({"type": "array", "items": ref("Pet")}, DOC) == "array of Pet"
    assert (
        describe_type({"type": "string", "format": "date-time", "nullable": True}, DOC) == "string (date-time) | null"
    )
    assert describe_type({"oneOf": [{"type": "integer"}, ref("Owner")]}, DOC) == "integer | Owner"


def test_variable_names_and_templated_paths() -> None:
    assert templated_path("/stores/{store_id}/items/{item id}.json") == "/stores/{{store_id}}/items/{{item_id}}.json"
    assert variable_name("1st") == "_1st"


def test_request_for_an_operation() -> None:
    spec = {
        "openapi": "3.1.0",
        "info": {},
        "components": {"schemas": SCHEMAS},
        "paths": {
            "/pets/{pet_id}": {
                "post": {
                    "summary": "Update a pet",
                    "tags": ["Pets", "Other"],
                    "parameters": [
                        {"name": "pet_id", "in": "path", "required": True, "schema": {"type": "integer"}},
                        {"name": "mode", "in": "query", "required": True, "schema": {"enum": ["fast", "slow"]}},
                        {"name": "page", "in": "query", "schema": {"type": "integer"}},
                        {"name": "X-Trace", "in": "header", "required": True, "example": "abc"},
                        {"name": "Idempotency-Key", "in": "header", "required": True, "schema": {"type": "string"}},
                        {"name": "Authorization", "in": "header", "required": True},
                    ],
                    "requestBody": {
                        "content": {
                            "application/xml": {"schema": ref("Owner")},
                            "application/json": {"schema": ref("Owner"), "example": {"email": "a@b.c"}},
                        }
                    },
                    "responses": {"default": {"description": "x"}, "202": {"description": "queued"}},
                }
            }
        },
    }
    (op,) = read_catalogue(Document(spec)).operations
    request = request_for(op)
    assert request.method == "POST" and request.url == "{{api_url}}/pets/{{pet_id}}"
    assert request.params == {"mode": "fast"}
    assert request.headers == {"X-Trace": "abc", "Idempotency-Key": "{{$uuid}}"}
    assert json.loads(request.body) == {"email": "a@b.c"} and request.content_type == "application/json"
    assert request.folder == "Pets" and request.expect.status == 202 and request.name == "Update a pet"
