"""Reading OpenAPI 3.0, 3.1 and Swagger 2.0 documents into operations: refs, parameters, bodies, scopes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from explorer.core.openapi.document import Document, SpecError, load_document, pointer
from explorer.core.openapi.model import Catalogue
from explorer.core.openapi.reader import read_catalogue
from explorer.core.openapi.source import read_spec_bytes, read_spec_file


def read(doc: dict[str, Any]) -> Catalogue:
    return read_catalogue(Document(doc, ""))


def op(catalogue: Catalogue, method: str, path: str) -> Any:
    return next(o for o in catalogue.operations if o.method == method and o.path == path)


OAS30: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Shop", "version": "2"},
    "servers": [{"url": "https://{region}.example.com/v2", "variables": {"region": {"default": "eu"}}}],
    "security": [{"cc": ["orders:read"]}],
    "components": {
        "securitySchemes": {
            "cc": {
                "type": "oauth2",
                "flows": {"clientCredentials": {"tokenUrl": "https://id/token", "scopes": {"orders:read": "r"}}},
            },
            "key": {"type": "apiKey", "in": "header", "name": "X-Key"},
        },
        "parameters": {"Limit": {"name": "limit", "in": "query", "schema": {"type": "integer", "default": 10}}},
        "requestBodies": {
            "NewOrder": {
                "required": True,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Order"}}},
            }
        },
        "schemas": {
            "Order": {
                "type": "object",
                "required": ["sku"],
                "properties": {"sku": {"type": "string", "nullable": True}, "id": {"type": "string", "readOnly": True}},
            }
        },
    },
    "paths": {
        "/orders/{order_id}": {
            "parameters": [{"name": "order_id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "get": {
                "operationId": "getOrder",
                "summary": "Get   an\norder",
                "tags": ["Orders"],
                "parameters": [{"$ref": "#/components/parameters/Limit"}],
                "responses": {"404": {"description": "no"}, "200": {"description": "ok"}},
            },
            "delete": {
                "security": [{"key": []}, {"cc": ["orders:write", "orders:read"]}],
                "responses": {"204": {"description": "gone"}},
            },
        },
        "/orders": {
            "post": {
                "security": [],
                "requestBody": {"$ref": "#/components/requestBodies/NewOrder"},
                "responses": {"2XX": {"description": "made"}},
            }
        },
    },
}


def test_openapi_30_operations_parameters_and_scopes() -> None:
    catalogue = read(OAS30)
    assert catalogue.title == "Shop" and catalogue.servers == ("https://eu.example.com/v2",)
    assert not catalogue.problems
    get = op(catalogue, "GET", "/orders/{order_id}")
    assert get.operation_id == "getOrder" and get.summary == "Get an order" and get.tags == ("Orders",)
    # The path item's parameter and the referenced one, both there.
    assert [(p.name, p.location, p.required) for p in get.parameters] == [
        ("order_id", "path", True),
        ("limit", "query", False),
    ]
    assert get.parameters[1].default == 10 and get.parameters[1].type == "integer"
    assert get.scopes == ("orders:read",)  # the global default
    assert [r.status for r in get.responses] == ["200", "404"] and get.first_success() == 200
    # An API key alternative carries no scopes; the OAuth2 one does.
    assert op(catalogue, "DELETE", "/orders/{order_id}").scopes == ("orders:write", "orders:read")
    post = op(catalogue, "POST", "/orders")
    assert post.scopes == () and not post.needs_auth
    assert post.request_body is not None and post.request_body.required
    assert post.request_body.content_types == ("application/json",)
    assert post.first_success() == 200
    assert catalogue.schemes["cc"].client_credentials


def test_openapi_31_type_lists_webhooks_only_and_filter() -> None:
    doc = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/a": {"get": {"summary": "Alpha", "tags": ["x"], "responses": {}}},
            "/b": {
                "get": {
                    "operationId": "beta",
                    "parameters": [{"name": "q", "in": "query", "schema": {"type": ["string", "null"]}}],
                }
            },
        },
    }
    catalogue = read(doc)
    assert op(catalogue, "GET", "/b").parameters[0].type == "string | null"
    assert [o.path for o in catalogue.filter("beta")] == ["/b"]
    assert [o.path for o in catalogue.filter("X alpha")] == ["/a"]
    assert len(catalogue.filter("")) == 2
    assert not read({"openapi": "3.1.0", "info": {}, "webhooks": {"x": {}}}).problems


def test_swagger_20_body_form_and_application_flow() -> None:
    doc = {
        "swagger": "2.0",
        "info": {"title": "NS", "version": "0"},
        "host": "api.example.com",
        "basePath": "/v0",
        "schemes": ["https"],
        "securityDefinitions": {
            "ns": {"type": "oauth2", "flow": "application", "tokenUrl": "https://id", "scopes": {"a:r": ""}}
        },
        "security": [{"ns": ["a:r"]}],
        "definitions": {"Thing": {"type": "object", "properties": {"n": {"type": "integer", "minimum": 3}}}},
        "paths": {
            "/things": {
                "post": {
                    "parameters": [
                        {"name": "body", "in": "body", "required": True, "schema": {"$ref": "#/definitions/Thing"}},
                        {"name": "dry", "in": "query", "type": "boolean", "required": True},
                    ],
                    "responses": {"201": {"description": "", "schema": {"$ref": "#/definitions/Thing"}}},
                },
                "put": {
                    "consumes": ["application/x-www-form-urlencoded"],
                    "parameters": [{"name": "n", "in": "formData", "type": "string", "required": True}],
                    "responses": {},
                },
            }
        },
    }
    catalogue = read(doc)
    assert catalogue.is_swagger and catalogue.servers == ("https://api.example.com/v0",)
    post = op(catalogue, "POST", "/things")
    assert [p.name for p in post.parameters] == ["dry"] and post.parameters[0].type == "boolean"
    assert post.request_body is not None and post.request_body.schema == {"$ref": "#/definitions/Thing"}
    assert post.scopes == ("a:r",) and catalogue.schemes["ns"].client_credentials
    put = op(catalogue, "PUT", "/things")
    assert put.request_body is not None and put.request_body.content_types == ("application/x-www-form-urlencoded",)


def test_broken_parts_are_skipped_and_reported_with_pointers() -> None:
    doc = {
        "openapi": "3.0.0",
        "info": {"title": "x"},
        "paths": {
            "/ok": {"get": {"responses": {"200": {"$ref": "#/components/responses/Nope"}}}},
            "/bad": {"post": "not an operation", "get": {"parameters": [{"in": "query"}], "responses": []}},
            "/worse": 7,
            "/loop": {"$ref": "#/paths/~1loop"},
        },
    }
    catalogue = read(doc)
    assert [o.path for o in catalogue.operations] == ["/ok", "/bad"]
    catalogue.read_all()  # parameters and responses are read when first needed
    problems = catalogue.problems
    assert "skipped" in problems[pointer("paths", "/bad", "post")]
    assert pointer("paths", "/worse") in problems
    assert pointer("paths", "/bad", "get", "parameters") + "/0" in problems
    assert "points at nothing" in problems[pointer("paths", "/ok", "get", "responses", "200")]
    assert "loops" in problems[pointer("paths", "/loop")]
    assert catalogue.problem_summary().startswith("6 problems in the API description: #/paths/~1bad/post: skipped")


def test_not_a_spec_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="no 'openapi' or 'swagger' key"):
        read_spec_bytes(b'{"hello": 1}', "x.json")
    with pytest.raises(SpecError, match="not valid JSON"):
        read_spec_bytes(b'{"hello": ', "x.json")
    with pytest.raises(SpecError, match="valid YAML"):
        read_spec_bytes(b"a: [b\n", "x.yaml")
    with pytest.raises(SpecError, match="does not exist"):
        read_spec_file(tmp_path / "none.json")


def test_only_regular_files_of_a_sane_size_are_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from explorer.core.openapi import document

    fifo = tmp_path / "spec.fifo"
    os.mkfifo(fifo)
    with pytest.raises(SpecError, match="named pipe"):
        read_spec_file(fifo)  # would block forever if it were opened for reading
    with pytest.raises(SpecError, match="a directory"):
        read_spec_file(tmp_path)
    big = tmp_path / "big.json"
    big.write_text('{"openapi": "3.0.0", "info": {}, "paths": {}}' + " " * 200)
    monkeypatch.setattr(document, "MAX_SPEC_FILE", 100)
    with pytest.raises(SpecError, match="more than the 100 bytes allowed"):
        read_spec_file(big)
    # A reference to such a file is a problem of its place in the description, not a hang.
    (tmp_path / "api.json").write_text(
        json.dumps({"openapi": "3.0.0", "info": {}, "paths": {"/a": {"$ref": "spec.fifo"}, "/b": {"get": {}}}})
    )
    catalogue = read_spec_file(tmp_path / "api.json")
    assert [op.path for op in catalogue.operations] == ["/b"]
    assert "named pipe" in catalogue.problems[pointer("paths", "/a")]


def test_remote_references_are_skipped_and_named_by_pointer(tmp_path: Path) -> None:
    paths = {"/a": {"$ref": "https://example.com/paths.yaml#/a"}, "/b": {"get": {}}}
    (tmp_path / "api.json").write_text(json.dumps({"openapi": "3.0.0", "info": {}, "paths": paths}))
    catalogue = read_spec_file(tmp_path / "api.json")
    assert [op.path for op in catalogue.operations] == ["/b"]
    problem = catalogue.problems[pointer("paths", "/a")]
    assert problem.startswith("skipped the reference https://example.com/paths.yaml#/a")
    assert "remote references are not fetched" in problem


def test_yaml_with_numeric_codes_dates_and_relative_file_refs(tmp_path: Path) -> None:
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "pet.yaml").write_text(
        "Pet:\n  type: object\n  properties:\n    born: {type: string, example: 2020-01-02}\n"
        "    owner: {$ref: 'owner.json#/Owner'}\n"
    )
    (tmp_path / "schemas" / "owner.json").write_text(json.dumps({"Owner": {"type": "string", "example": "ann"}}))
    (tmp_path / "paths.yaml").write_text(
        "get:\n  responses:\n    200:\n      description: ok\n"
        "      content: {application/json: {schema: {$ref: 'schemas/pet.yaml#/Pet'}}}\n"
    )
    (tmp_path / "api.yaml").write_text(
        "openapi: 3.0.1\ninfo: {title: Pets, version: 1}\npaths:\n  /pets: {$ref: 'paths.yaml'}\n"
        "  /missing: {$ref: 'nowhere.yaml'}\n"
    )
    catalogue = read_spec_file(tmp_path / "api.yaml")
    (pets,) = catalogue.operations
    assert pets.first_success() == 200
    from explorer.core.openapi.schemas import example_for

    body = pets.responses[0].body
    assert body is not None
    assert example_for(body.schema, body.doc, for_request=False) == {"born": "2020-01-02", "owner": "ann"}
    assert "cannot be read" in catalogue.problems[pointer("paths", "/missing")]


def test_documents_share_the_parsed_tree(tmp_path: Path) -> None:
    spec = tmp_path / "s.json"
    body = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Big"}}}}
    spec.write_text(
        json.dumps(
            {
                "openapi": "3.0.0",
                "info": {},
                "components": {"schemas": {"Big": {"type": "object"}}},
                "paths": {f"/p{i}": {"post": {"requestBody": body}} for i in range(3)},
            }
        )
    )
    doc = load_document(spec)
    catalogue = read_catalogue(doc)
    # Every operation reads through its $ref to the one parsed schema: nothing is copied per operation.
    schemas = {id(doc.deref(o.request_body.schema)[0]) for o in catalogue.operations if o.request_body}
    assert len(catalogue.operations) == 3 and len(schemas) == 1
