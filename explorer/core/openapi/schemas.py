"""JSON Schema as a spec uses it: a short type name for a schema, and an example value built from one.

Both follow `$ref`s and stop at a schema they are already inside, so recursive schemas (a category with child
categories) give a finite answer. OpenAPI 3.1 type lists (`["string", "null"]`), 3.0's `nullable`, `allOf`,
`oneOf`, `anyOf`, `const`, enums and formats are understood.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from explorer.core.openapi.document import Document

MAX_DEPTH = 8
MAX_PROPERTIES = 40
# Values an example is made of, at most: wide schemas nested deep (or a YAML document whose aliases repeat one
# schema everywhere) would otherwise ask for millions of values. Past it, properties are left out.
MAX_VALUES = 2000

_FORMAT_EXAMPLES: dict[str, Any] = {
    "date-time": "2024-01-31T12:00:00Z",
    "date": "2024-01-31",
    "time": "12:00:00",
    "email": "user@example.com",
    "idn-email": "user@example.com",
    "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "uri": "https://example.com/",
    "url": "https://example.com/",
    "iri": "https://example.com/",
    "hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "byte": "U3dhZ2dlcg==",
    "binary": "",
    "password": "********",
    "duration": "P1D",
    "country-code": "US",
}


def _types(schema: Mapping[Any, Any]) -> list[str]:
    value = schema.get("type")
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [t for t in value if isinstance(t, str)]
    return []


def _ref_name(node: Any) -> str:
    if isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
        return str(node["$ref"]).rsplit("/", 1)[-1]
    return ""


def describe_type(schema: Any, doc: Document | None, depth: int = 0) -> str:
    """`string (date-time)`, `array of Order`, `integer | null`, `Order` (a named schema), `any`."""
    if schema is None or doc is None:
        return "" if schema is None else "any"
    name = _ref_name(schema)
    if name:
        return name
    if not isinstance(schema, Mapping) or depth > 3:
        return "any"
    for key in ("oneOf", "anyOf"):
        options = schema.get(key)
        if isinstance(options, list) and options:
            return " | ".join(describe_type(o, doc, depth + 1) for o in options[:4])
    if isinstance(schema.get("allOf"), list) and schema["allOf"]:
        return " & ".join(describe_type(o, doc, depth + 1) for o in schema["allOf"][:4])
    types = _types(schema) or (["object"] if "properties" in schema else [])
    parts = []
    for kind in types or ["any"]:
        if kind == "array":
            parts.append(f"array of {describe_type(schema.get('items'), doc, depth + 1) or 'any'}")
        elif kind != "null" and isinstance(schema.get("format"), str):
            parts.append(f"{kind} ({schema['format']})")
        else:
            parts.append(kind)
    if schema.get("nullable") is True and "null" not in parts:
        parts.append("null")
    return " | ".join(parts)


def example_for(schema: Any, doc: Document | None, *, for_request: bool = True) -> Any:
    """A value the schema accepts: its own example, default, const or first enum value, else one built from its
    type and format. Request examples leave out read-only properties, response examples write-only ones."""
    if doc is None or schema is None:
        return None
    return _Builder(doc, for_request).value(schema, 0, frozenset())


class _Builder:
    def __init__(self, doc: Document, for_request: bool) -> None:
        self.doc = doc
        self.skip = "readOnly" if for_request else "writeOnly"
        self.budget = [MAX_VALUES]  # shared with the builders of other files' schemas

    def value(self, raw: Any, depth: int, seen: frozenset[int]) -> Any:
        if self.budget[0] <= 0:
            return None
        self.budget[0] -= 1
        schema, doc = self.doc.deref(raw)
        if not isinstance(schema, Mapping) or id(schema) in seen or depth > MAX_DEPTH:
            return None
        if doc is not self.doc:
            # A schema in another file: its own references are relative to that file.
            other = _Builder(doc, self.skip == "readOnly")
            other.budget = self.budget
            return other.value(schema, depth, seen)
        seen = seen | {id(schema)}
        for key in ("example", "const", "default"):
            if key in schema:
                return schema[key]
        examples = schema.get("examples")
        if isinstance(examples, list) and examples:
            return examples[0]
        enum = schema.get("enum")
        if isinstance(enum, list) and enum:
            return next((e for e in enum if e is not None), enum[0])
        if isinstance(schema.get("allOf"), list):
            return self.all_of(schema, depth, seen)
        for key in ("oneOf", "anyOf"):
            options = schema.get(key)
            if isinstance(options, list) and options:
                for option in options:
                    resolved, _ = self.doc.deref(option)
                    if isinstance(resolved, Mapping) and _types(resolved) != ["null"]:
                        return self.value(option, depth + 1, seen)
                return None
        types = [t for t in _types(schema) if t != "null"]
        kind = types[0] if types else ""
        if not kind:
            if "properties" in schema or "additionalProperties" in schema:
                kind = "object"
            elif "items" in schema:
                kind = "array"
            elif "format" in schema or "pattern" in schema or "minLength" in schema:
                kind = "string"
            else:
                return None
        if kind == "object":
            return self.object(schema, depth, seen)
        if kind == "array":
            item = self.value(schema.get("items"), depth + 1, seen)
            return [] if item is None else [item]
        if kind == "string":
            return self.string(schema)
        if kind in ("integer", "number"):
            return self.number(schema, kind)
        if kind == "boolean":
            return True
        return None

    def all_of(self, schema: Mapping[Any, Any], depth: int, seen: frozenset[int]) -> Any:
        merged: dict[str, Any] = {}
        other: Any = None
        for part in schema["allOf"]:
            value = self.value(part, depth + 1, seen)
            if isinstance(value, Mapping):
                merged.update(value)
            elif value is not None:
                other = value
        if "properties" in schema:
            own = self.object(schema, depth, seen)
            if isinstance(own, dict):
                merged.update(own)
        return merged if merged or other is None else other

    def object(self, schema: Mapping[Any, Any], depth: int, seen: frozenset[int]) -> dict[str, Any]:
        properties = schema.get("properties")
        result: dict[str, Any] = {}
        if isinstance(properties, Mapping):
            required = schema.get("required")
            wanted = [str(n) for n in required] if isinstance(required, list) and required else list(properties)
            for name in wanted[:MAX_PROPERTIES]:
                if self.budget[0] <= 0:
                    break
                if name not in properties:
                    continue
                prop, _ = self.doc.deref(properties[name])
                if isinstance(prop, Mapping) and prop.get(self.skip) is True:
                    continue
                result[str(name)] = self.value(properties[name], depth + 1, seen)
        extra = schema.get("additionalProperties")
        if not result and isinstance(extra, Mapping) and extra:
            result["key"] = self.value(extra, depth + 1, seen)
        return result

    @staticmethod
    def string(schema: Mapping[Any, Any]) -> str:
        fmt = schema.get("format")
        if isinstance(fmt, str) and fmt in _FORMAT_EXAMPLES:
            return str(_FORMAT_EXAMPLES[fmt])
        text = "string"
        low = schema.get("minLength")
        if isinstance(low, int) and low > len(text):
            text = (text * (low // len(text) + 1))[:low]
        high = schema.get("maxLength")
        if isinstance(high, int) and 0 <= high < len(text):
            text = text[:high]
        return text

    @staticmethod
    def number(schema: Mapping[Any, Any], kind: str) -> int | float:
        low = schema.get("minimum")
        exclusive = schema.get("exclusiveMinimum")
        value: float = 0
        if isinstance(exclusive, int | float) and not isinstance(exclusive, bool):
            value = exclusive + 1  # 3.1: exclusiveMinimum is the bound itself
        elif isinstance(low, int | float) and not isinstance(low, bool):
            value = low + (1 if exclusive is True else 0)
        high = schema.get("maximum")
        if isinstance(high, int | float) and not isinstance(high, bool) and value > high:
            value = high
        return int(value) if kind == "integer" else float(value)
