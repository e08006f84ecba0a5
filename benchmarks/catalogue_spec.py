"""A generated API description as big as the large public ones: 5,000 operations, about 10 MB of JSON.

Deterministic (a seeded random), OpenAPI 3.0, oauth2 client credentials with a scope per resource, and the
shapes real specs have: tags, path-level parameters, `$ref`ed parameters and schemas, request bodies with
examples, several responses per operation, nested and recursive schemas.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

WORDS = [
    "order",
    "customer",
    "invoice",
    "shipment",
    "product",
    "price",
    "stock",
    "store",
    "refund",
    "payment",
    "coupon",
    "cart",
    "wishlist",
    "review",
    "supplier",
    "warehouse",
    "carrier",
    "return",
    "fulfillment",
    "subscription",
]


def _schema(rng: random.Random, name: str, index: int) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "id": {"type": "string", "format": "uuid", "readOnly": True, "description": f"Identifier of the {name}."},
        "created_at": {"type": "string", "format": "date-time", "readOnly": True},
        "status": {"type": "string", "enum": ["draft", "active", "archived"], "description": "Lifecycle state."},
        "parent": {"$ref": f"#/components/schemas/{name.title()}{index}"},
    }
    for n in range(rng.randint(6, 12)):
        kind = rng.choice(("string", "integer", "number", "boolean", "array", "object"))
        prop: dict[str, Any] = {"type": kind, "description": f"The {rng.choice(WORDS)} {n} of the {name}."}
        if kind == "array":
            prop["items"] = {"type": "string", "maxLength": 64}
        elif kind == "object":
            prop["properties"] = {"code": {"type": "string"}, "amount": {"type": "number", "minimum": 0}}
        paramname = f"{rng.choice(WORDS)}_{n}"
        properties[paramname] = prop
    return {
        "type": "object",
        "description": f"A {name} as the API stores it. " * 3,
        "required": ["status", *list(properties)[4:6]],
        "properties": properties,
    }


def generate_spec(operations: int = 5000) -> dict[str, Any]:
    rng = random.Random(5000)
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    scopes: dict[str, str] = {}
    count = 0
    resource = 0
    while count < operations:
        name = WORDS[resource % len(WORDS)]
        schema_name = f"{name.title()}{resource}"
        schemas[schema_name] = _schema(rng, name, resource)
        ref = {"$ref": f"#/components/schemas/{schema_name}"}
        base = f"/v{1 + resource % 3}/{name}s-{resource}"
        tag = f"{name.title()}s {resource // 40}"
        read, write = f"{name}s-{resource}:read", f"{name}s-{resource}:write"
        scopes[read], scopes[write] = f"Read {name}s", f"Change {name}s"
        listing = {
            "200": {
                "description": "A page.",
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "properties": {"items": {"type": "array", "items": ref}, "next": {"type": "string"}},
                        }
                    }
                },
            }
        }
        common = {
            "401": {"$ref": "#/components/responses/Unauthorized"},
            "403": {"$ref": "#/components/responses/Forbidden"},
        }
        doc = f"Works on the {name}s of resource group {resource}. " * 6
        paths[base] = {
            "get": {
                "operationId": f"list{schema_name}",
                "summary": f"List {name}s ({resource})",
                "description": doc,
                "tags": [tag],
                "security": [{"cc": [read]}],
                "parameters": [
                    {"$ref": "#/components/parameters/Limit"},
                    {"$ref": "#/components/parameters/Cursor"},
                    {"name": "status", "in": "query", "schema": {"type": "string", "enum": ["draft", "active"]}},
                ],
                "responses": {**listing, **common},
            },
            "post": {
                "operationId": f"create{schema_name}",
                "summary": f"Create a {name} ({resource})",
                "description": doc,
                "tags": [tag],
                "security": [{"cc": [write]}],
                "parameters": [
                    {"name": "Idempotency-Key", "in": "header", "required": True, "schema": {"type": "string"}}
                ],
                "requestBody": {"required": True, "content": {"application/json": {"schema": ref}}},
                "responses": {
                    "201": {"description": "Created.", "content": {"application/json": {"schema": ref}}},
                    "422": {"$ref": "#/components/responses/Invalid"},
                    **common,
                },
            },
        }
        item = f"{base}/{{{name}_id}}"
        paths[item] = {
            "parameters": [{"name": f"{name}_id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "get": {
                "operationId": f"get{schema_name}",
                "summary": f"Get a {name} ({resource})",
                "description": doc,
                "tags": [tag],
                "security": [{"cc": [read]}],
                "responses": {
                    "200": {"description": "The item.", "content": {"application/json": {"schema": ref}}},
                    "404": {"$ref": "#/components/responses/NotFound"},
                    **common,
                },
            },
            "patch": {
                "operationId": f"update{schema_name}",
                "summary": f"Update a {name} ({resource})",
                "description": doc,
                "tags": [tag],
                "security": [{"cc": [write]}],
                "requestBody": {"content": {"application/json": {"schema": ref, "example": {"status": "active"}}}},
                "responses": {
                    "200": {"description": "Updated.", "content": {"application/json": {"schema": ref}}},
                    **common,
                },
            },
            "delete": {
                "operationId": f"delete{schema_name}",
                "summary": f"Delete a {name} ({resource})",
                "description": doc,
                "tags": [tag],
                "security": [{"cc": [write]}],
                "responses": {"204": {"description": "Gone."}, **common},
            },
        }
        count += 5
        resource += 1
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    schemas["Problem"] = {"type": "object", "properties": {"title": {"type": "string"}, "detail": {"type": "string"}}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Generated commerce API", "version": "1.0.0"},
        "servers": [{"url": "https://api.example.com"}],
        "security": [{"cc": []}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "parameters": {
                "Limit": {"name": "limit", "in": "query", "schema": {"type": "integer", "default": 20, "maximum": 100}},
                "Cursor": {"name": "cursor", "in": "query", "schema": {"type": "string"}},
            },
            "responses": {
                code: {"description": text, "content": problem}
                for code, text in (
                    ("Unauthorized", "No token."),
                    ("Forbidden", "Missing scope."),
                    ("NotFound", "Not found."),
                    ("Invalid", "Invalid body."),
                )
            },
            "securitySchemes": {
                "cc": {
                    "type": "oauth2",
                    "flows": {"clientCredentials": {"tokenUrl": "https://id.example.com/token", "scopes": scopes}},
                }
            },
        },
    }


def write_spec(path: Path, operations: int = 5000) -> Path:
    path.write_text(json.dumps(generate_spec(operations), indent=2), encoding="utf-8")
    return path


if __name__ == "__main__":
    import sys

    out = write_spec(Path(sys.argv[1] if len(sys.argv) > 1 else "generated-spec.json"))
    print(f"{out}: {out.stat().st_size / 2**20:.1f} MB")
