"""Whatever shape a description has, every part of explorer that reads it ends in a result or one clear error.

Real descriptions are hand-edited, half-generated and often invalid: a parameter list that is an object, a
`$ref` into nowhere or into itself, a schema that is a string, a path item that is a list. Here hypothesis
builds such documents from OpenAPI's own words and every consumer of a catalogue is run over them: the reader,
the example bodies and requests the composer is given, the details pane's text, `explorer catalogue --json`,
the scope matcher and `explorer import`.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.app.catalogue import open_operation, path_params
from explorer.cli.catalogue import _as_json
from explorer.core.errors import ExplorerError
from explorer.core.importers import import_text
from explorer.core.model import METHODS
from explorer.core.openapi.document import Document, SpecError
from explorer.core.openapi.matching import OperationMatcher
from explorer.core.openapi.reader import read_catalogue
from explorer.core.openapi.requests import request_for
from explorer.core.openapi.schemas import MAX_VALUES
from explorer.core.openapi.source import read_spec_file
from explorer.ui.widgets.operation_details import describe_operation

_WORDS = [
    "$ref",
    "type",
    "properties",
    "items",
    "required",
    "enum",
    "default",
    "example",
    "examples",
    "format",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "additionalProperties",
    "nullable",
    "readOnly",
    "parameters",
    "name",
    "in",
    "schema",
    "content",
    "application/json",
    "requestBody",
    "responses",
    "200",
    "201",
    "default",
    "description",
    "security",
    "tags",
    "summary",
    "operationId",
    "deprecated",
    "value",
    "consumes",
    "produces",
]
_REFS = [
    "http://[broken#/A",
    "nul\x00.json#/A",
    "../../../../etc/passwd#/x",
    "#",
    "#/",
    "#/paths",
    "#/components/schemas/A",
    "#/components/schemas/A/properties/a",
    "#/definitions/A",
    "#/components/parameters/P",
    "#/components/requestBodies/B",
    "#/components/responses/R",
    "#/nowhere/x",
    "other.json#/A",
    "https://example.com/x.json#/A",
    "#/components/schemas/~1weird",
    "",
]
_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-3, 3)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from(["string", "integer", "object", "array", "query", "path", "header", "body", "formData", "{id}"])
    | st.text(max_size=6)
)


def _node(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    ref = st.builds(lambda target: {"$ref": target}, st.sampled_from(_REFS))
    return (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(_WORDS) | st.text(max_size=4), children, max_size=4)
        | ref
    )


_ANY = st.recursive(_SCALARS, _node, max_leaves=20)


def _mostly(good: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """The right shape three times in four, anything at all otherwise."""
    return st.one_of(good, good, good, _ANY)


_REF = st.builds(lambda target: {"$ref": target}, st.sampled_from(_REFS))
# Mostly the right shapes, with wrong types, dangling or looping refs and unknown words mixed in.
_SCHEMA = st.recursive(
    st.fixed_dictionaries(
        {},
        optional={
            "type": st.sampled_from(["string", "integer", "number", "boolean", "object", "array", "null", 7])
            | st.lists(st.sampled_from(["string", "null", "integer"]), max_size=2),
            "format": st.sampled_from(["date-time", "uuid", "email", "int64", "binary", "?"]),
            "enum": st.lists(_SCALARS, max_size=3) | _ANY,
            "example": _ANY,
            "default": _SCALARS,
            "nullable": _SCALARS,
        },
    )
    | _REF,
    lambda inner: (
        st.fixed_dictionaries(
            {},
            optional={
                "type": st.sampled_from(["object", "array"]),
                "properties": st.dictionaries(st.text(max_size=4), inner, max_size=3) | _ANY,
                "items": inner | _ANY,
                "required": st.lists(st.text(max_size=4), max_size=2) | _ANY,
                "allOf": st.lists(inner, max_size=2) | _ANY,
                "oneOf": st.lists(inner, max_size=2),
                "additionalProperties": inner | st.booleans(),
            },
        )
        | _REF
    ),
    max_leaves=8,
)
_PARAMETER = _mostly(
    st.fixed_dictionaries(
        {
            "name": _mostly(st.sampled_from(["id", "limit", "X-Key", "q", ""])),
            "in": st.sampled_from(["query", "path", "header", "cookie", "body", "formData", "query", "path", "x", 3]),
        },
        optional={
            "required": _SCALARS,
            "schema": _SCHEMA | _ANY,
            "type": st.sampled_from(["string", "integer", "array", "file"]),
            "enum": _ANY,
            "default": _SCALARS,
            "example": _ANY,
            "examples": _ANY,
        },
    )
    | _REF
)
_CONTENT = st.dictionaries(
    st.sampled_from(["application/json", "application/x-www-form-urlencoded", "text/plain", "*/*", "x"]),
    st.fixed_dictionaries({}, optional={"schema": _SCHEMA | _ANY, "example": _ANY, "examples": _ANY}) | _ANY,
    max_size=2,
)
_REQUIREMENT = st.dictionaries(
    st.sampled_from(["cc", "key", "zz"]), st.lists(st.sampled_from(["orders:read", "a b", ""]), max_size=2) | _ANY
)
_OPERATION = _mostly(
    st.fixed_dictionaries(
        {},
        optional={
            "parameters": _mostly(st.lists(_PARAMETER, min_size=1, max_size=3)),
            "requestBody": st.fixed_dictionaries({}, optional={"content": _CONTENT, "required": _SCALARS})
            | _REF
            | _ANY,
            "responses": st.dictionaries(
                st.sampled_from(["200", "201", "2XX", "default", "x"]),
                st.fixed_dictionaries({"description": _SCALARS}, optional={"content": _CONTENT, "schema": _SCHEMA})
                | _REF
                | _ANY,
                max_size=2,
            )
            | _ANY,
            "security": st.lists(_REQUIREMENT, max_size=2) | _ANY,
            "tags": st.lists(_SCALARS, max_size=2) | _ANY,
            "summary": _SCALARS,
            "operationId": _SCALARS,
            "deprecated": _SCALARS,
            "consumes": _ANY,
        },
    )
)
_METHODS = st.sampled_from(["get", "post", "put", "delete", "patch", "head", "options", "trace", "x-other", "GET"])
_PATH_ITEM = _mostly(
    st.dictionaries(_METHODS, _OPERATION, min_size=1, max_size=3).flatmap(
        lambda item: st.fixed_dictionaries(
            {}, optional={"parameters": st.lists(_PARAMETER, max_size=2) | _ANY, "$ref": st.sampled_from(_REFS)}
        ).map(lambda extra: {**item, **extra})
    )
)
_PATHS = st.dictionaries(
    st.sampled_from(["/orders", "/orders/{id}", "/{a}/{b}", "", "orders", "/x/{", "/é/{ü}"]), _PATH_ITEM, max_size=4
)
_SCHEME = st.fixed_dictionaries(
    {"type": st.sampled_from(["oauth2", "apiKey", "http", "openIdConnect", 3])},
    optional={"flows": _ANY, "flow": st.sampled_from(["application", "implicit", 1]), "scopes": _ANY},
)


@st.composite
def descriptions(draw: st.DrawFn) -> dict[str, Any]:
    swagger = draw(st.booleans())
    doc: dict[str, Any] = {"swagger": "2.0"} if swagger else {"openapi": draw(st.sampled_from(["3.0.3", "3.1.0"]))}
    doc["info"] = draw(st.dictionaries(st.sampled_from(["title", "version"]), _SCALARS, max_size=2) | _ANY)
    doc["paths"] = draw(_mostly(_PATHS))
    schemes = draw(st.dictionaries(st.sampled_from(["cc", "key", "A"]), _SCHEME | _ANY, max_size=2))
    shared = draw(st.dictionaries(st.sampled_from(["A", "P", "B", "R", "~1weird"]), _SCHEMA | _ANY, max_size=3))
    if swagger:
        doc.update(securityDefinitions=schemes, definitions=shared, parameters=shared)
    else:
        doc["components"] = {"securitySchemes": schemes, "schemas": shared, "parameters": shared}
        doc["components"].update(requestBodies=shared, responses=shared)
    if draw(st.booleans()):
        doc["security"] = draw(st.lists(_REQUIREMENT, max_size=2) | _ANY)
    extras = {
        "servers": _mostly(st.lists(st.fixed_dictionaries({"url": _SCALARS}, optional={"variables": _ANY}))),
        "tags": _mostly(st.lists(st.fixed_dictionaries({"name": _SCALARS}, optional={"description": _ANY}))),
        "host": _SCALARS,
        "basePath": _SCALARS,
        "schemes": _ANY,
        "webhooks": _ANY,
        "x-extension": _ANY,
    }
    doc.update(draw(st.fixed_dictionaries({}, optional=extras)))
    return doc


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(descriptions())
def test_every_reader_of_a_catalogue_ends_in_a_result_or_one_clear_error(doc: dict[str, Any]) -> None:
    try:
        catalogue = read_catalogue(Document(doc, ""), "hostile.json")
    except SpecError:
        return
    for problem in catalogue.problems:
        assert str(problem)
    granted = ("orders:read",)
    for op in catalogue.operations:
        request = request_for(op)
        # The composer sends the usual methods; an operation in another (TRACE, QUERY) opens as a GET.
        assert request.method == (op.method if op.method in METHODS else "GET")
        open_operation(op, {"id": "1"})
        path_params(op, {})
        describe_operation(op, granted, width=60)
        describe_operation(op, None, legacy=True, width=20)
        json.dumps(_as_json(op, granted, legacy=False))
    catalogue.filter("orders get")
    matcher = OperationMatcher(catalogue)
    for method in ("GET", "POST"):
        matcher.match(method, "https://api.example.com/orders/1", "https://api.example.com")
    with contextlib.suppress(ExplorerError):
        import_text(json.dumps(doc), format="openapi")


def _values(node: Any) -> int:
    if isinstance(node, dict):
        return 1 + sum(_values(v) for v in node.values())
    if isinstance(node, list):
        return 1 + sum(_values(v) for v in node)
    return 1


def test_a_schema_repeated_by_yaml_aliases_gives_a_bounded_example(tmp_path: Path) -> None:
    # Eight levels of eight properties, each the level below by alias: 8**9 values if written out in full.
    lines = ["openapi: 3.0.0", "info: {title: t, version: '1'}", "x-levels:"]
    lines.append("  l0: &l0 {type: object, properties: {a: {type: string}, b: {type: integer}}}")
    for level in range(1, 9):
        properties = ", ".join(f"p{n}: *l{level - 1}" for n in range(8))
        lines.append(f"  l{level}: &l{level} {{type: object, properties: {{{properties}}}}}")
    lines += ["paths:", "  /bomb:", "    post:", "      requestBody:", "        content:"]
    lines += ["          application/json:", "            schema: *l8", "      responses: {'200': {description: ok}}"]
    spec = tmp_path / "aliases.yaml"
    spec.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (op,) = read_spec_file(spec).operations
    request = request_for(op)
    assert request.method == "POST"
    assert 100 < _values(json.loads(request.body)) <= MAX_VALUES + 1
    describe_operation(op, None)
    result = import_text(spec.read_text(encoding="utf-8"), format="openapi")
    assert len(result.collection.requests) == 1


def test_json_nested_beyond_the_parser_is_one_clear_error(tmp_path: Path) -> None:
    spec = tmp_path / "deep.json"
    depth = 100_000
    spec.write_text('{"openapi": "3.0.0", "paths": {"/a": {"get": {"x": ' + "[" * depth + "]" * depth + "}}}}")
    with pytest.raises(SpecError, match="nested too deeply"):
        read_spec_file(spec)
    with pytest.raises(SpecError, match="nested too deeply"):
        read_spec_file(spec, pieces=False)
