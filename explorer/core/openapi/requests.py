"""An operation as a request a user can send: what the composer opens and what `explorer import` writes.

The URL is `{{api_url}}` plus the path with `{id}` as `{{id}}`; required query parameters and headers get their
default, example or first enum value; the body is the spec's example, else one built from the schema; the
expected status is the first 2xx the spec lists.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlencode

from explorer.core.model import Expect, RequestSpec
from explorer.core.openapi.model import Body, Operation, Parameter
from explorer.core.openapi.schemas import example_for

_PATH_PARAM = re.compile(r"\{([^{}/]+)\}")
_NOT_NAME = re.compile(r"[^A-Za-z0-9_.-]")
# Headers explorer sets itself (the token, the body's type) are never copied from the spec.
_OWN_HEADERS = {"authorization", "content-type", "content-length", "host"}


def variable_name(name: str) -> str:
    """A parameter name as a `{{variable}}` name: `store-id` stays, `user id` becomes `user_id`."""
    clean = _NOT_NAME.sub("_", name.strip()) or "value"
    return clean if re.match(r"[A-Za-z_]", clean) else f"_{clean}"


def templated_path(path: str) -> str:
    """`/orders/{order_id}` -> `/orders/{{order_id}}`."""
    return _PATH_PARAM.sub(lambda m: "{{" + variable_name(m.group(1)) + "}}", path)


def path_variables(op: Operation) -> list[str]:
    return [variable_name(m.group(1)) for m in _PATH_PARAM.finditer(op.path)]


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(_text(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, separators=(",", ":"))
    return "" if value is None else str(value)


def parameter_value(param: Parameter) -> str:
    """What to put in a parameter's row: its default, example, first enum value, else a value of its type."""
    for value in (param.default, param.example, param.enum[0] if param.enum else None):
        if value is not None:
            return _text(value)
    if "idempotency" in param.name.lower():
        return "{{$uuid}}"  # a new key each time the request is sent
    return _text(example_for(param.schema, param.doc))


def example_body(body: Body | None) -> tuple[str, str]:
    """(body text, content type) for a request body: the spec's own example first, else one from the schema."""
    if body is None:
        return "", ""
    content_type = _chosen_type(body.content_types)
    value = body.examples[0] if body.examples else example_for(body.schema, body.doc, for_request=True)
    if value is None:
        return "", content_type
    if isinstance(value, str) and "json" not in content_type:
        return value, content_type
    if "x-www-form-urlencoded" in content_type and isinstance(value, dict):
        return urlencode({k: _text(v) for k, v in value.items()}), content_type
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n", content_type or "application/json"


def _chosen_type(types: tuple[str, ...]) -> str:
    for media in types:
        if "json" in media.lower():
            return media
    return types[0] if types else ""


def request_for(op: Operation) -> RequestSpec:
    """A request for `op`, ready to send once its path variables have values."""
    params = {p.name: parameter_value(p) for p in op.parameters if p.location == "query" and p.required}
    headers = {
        p.name: parameter_value(p)
        for p in op.parameters
        if p.location == "header" and p.required and p.name.lower() not in _OWN_HEADERS
    }
    body, content_type = example_body(op.request_body) if op.method not in ("GET", "HEAD") else ("", "")
    return RequestSpec(
        name=op.title,
        method=op.method if op.method in ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS") else "GET",
        url="{{api_url}}" + templated_path(op.path),
        params=params,
        headers=headers,
        body=body,
        content_type=content_type if body else "",
        auth=op.needs_auth,
        folder=op.tags[0] if op.tags else "",
        description=op.description.strip() or op.summary,
        expect=Expect(status=op.first_success()),
    )
