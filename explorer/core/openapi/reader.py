"""Build a `Catalogue` from a parsed document: Swagger 2.0, OpenAPI 3.0 or 3.1.

A spec from the real world is read as far as it can be: an operation that cannot be used is skipped and a part
that cannot be read is left out, each reported under its JSON pointer, and nothing raises but a document that
is not an API description at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from explorer.core.openapi.document import Document, SpecError, pointer
from explorer.core.openapi.model import (
    PARAMETER_PLACES,
    Body,
    Catalogue,
    Details,
    Operation,
    Parameter,
    Requirement,
    Response,
    SecurityScheme,
)
from explorer.core.openapi.schemas import describe_type

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace", "query")
_JSON = "application/json"


def read_catalogue(doc: Document, source: str = "") -> Catalogue:
    root = doc.root
    if not isinstance(root, Mapping):
        raise SpecError(f"{source or 'The document'} is not an OpenAPI or Swagger description (not an object).")
    version = str(root.get("openapi") or root.get("swagger") or "")
    if not version:
        raise SpecError(
            f"{source or 'The document'} is not an OpenAPI or Swagger description (no 'openapi' or 'swagger' key).",
            hint="Point at the API's openapi.json / swagger.json (or .yaml).",
        )
    info = _mapping(root.get("info"))
    catalogue = Catalogue(
        document=doc,
        version=version,
        title=_text(info.get("title")),
        api_version=_text(info.get("version")),
        source=source,
    )
    reader = _Reader(doc, catalogue)
    reader.read()
    return catalogue


def _mapping(value: Any) -> Mapping[Any, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def _strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(_text(item) for item in value if item is not None)
    return ()


class _Reader:
    def __init__(self, doc: Document, catalogue: Catalogue) -> None:
        self.doc = doc
        self.cat = catalogue
        self.swagger = catalogue.is_swagger
        root = doc.root
        self.consumes = _strings(root.get("consumes")) or (_JSON,)
        self.produces = _strings(root.get("produces")) or (_JSON,)

    def problem(self, where: str, what: str) -> None:
        self.cat.problems.setdefault(where, what)

    def read(self) -> None:
        root = self.doc.root
        self.cat.servers = self.servers(root)
        self.cat.schemes = self.schemes(root)
        for tag in self.listed(root.get("tags"), pointer("tags")):
            if isinstance(tag, Mapping) and tag.get("name") is not None:
                self.cat.tags[_text(tag["name"])] = _text(tag.get("description"))
        default_security = self.security(root.get("security"), pointer("security"))
        paths = root.get("paths")
        if paths is None:
            paths = {}
            if not root.get("webhooks"):
                self.problem(pointer("paths"), "the document has no paths")
        if not isinstance(paths, Mapping):
            self.problem(pointer("paths"), f"expected an object of paths, found {type(paths).__name__}")
            paths = {}
        for path, item in paths.items():
            self.path_item(_text(path), item, default_security)
        for where, what in self.doc.problems.items():
            self.problem(where, what)

    def listed(self, value: Any, where: str) -> list[Any]:
        """A list the description holds where one belongs; anything else is reported and read as empty."""
        if value is None or isinstance(value, list):
            return value or []
        self.problem(where, f"expected a list, found {type(value).__name__}")
        return []

    def servers(self, root: Mapping[Any, Any]) -> tuple[str, ...]:
        if self.swagger:
            host = _text(root.get("host"))
            base = _text(root.get("basePath")).rstrip("/")
            if not host:
                return (base,) if base else ()
            schemes = _strings(root.get("schemes")) or ("https",)
            return tuple(f"{scheme}://{host}{base}" for scheme in schemes)
        found = []
        for server in self.listed(root.get("servers"), pointer("servers")):
            if isinstance(server, Mapping) and isinstance(server.get("url"), str):
                url = server["url"]
                for name, var in _mapping(server.get("variables")).items():
                    default = _mapping(var).get("default")
                    if default is not None:
                        url = url.replace("{" + _text(name) + "}", _text(default))
                found.append(url.rstrip("/"))
        return tuple(found)

    def schemes(self, root: Mapping[Any, Any]) -> dict[str, SecurityScheme]:
        where: tuple[str, ...]
        if self.swagger:
            table, where = root.get("securityDefinitions"), ("securityDefinitions",)
        else:
            table, where = _mapping(root.get("components")).get("securitySchemes"), ("components", "securitySchemes")
        schemes: dict[str, SecurityScheme] = {}
        for name, raw in _mapping(table).items():
            node, _ = self.doc.deref(raw, pointer(*where, name))
            if not isinstance(node, dict):
                self.problem(pointer(*where, name), "a security scheme must be an object")
                continue
            kind = _text(node.get("type"))
            flows: tuple[str, ...] = ()
            token_url = ""
            scopes: list[str] = []
            if self.swagger and kind == "oauth2":
                flows = (_text(node.get("flow")),)
                token_url = _text(node.get("tokenUrl"))
                scopes = [_text(s) for s in _mapping(node.get("scopes"))]
            elif kind == "oauth2":
                flow_table = _mapping(node.get("flows"))
                flows = tuple(_text(f) for f in flow_table)
                for flow_name, flow in flow_table.items():
                    flow = _mapping(flow)
                    if flow_name == "clientCredentials" or not token_url:
                        token_url = _text(flow.get("tokenUrl")) or token_url
                    scopes.extend(_text(s) for s in _mapping(flow.get("scopes")) if _text(s) not in scopes)
            schemes[_text(name)] = SecurityScheme(_text(name), kind, flows, token_url, tuple(dict.fromkeys(scopes)))
        return schemes

    def security(self, value: Any, where: str) -> tuple[Requirement, ...] | None:
        if value is None:
            return None
        if not isinstance(value, list):
            self.problem(where, "security must be a list of requirements")
            return None
        alternatives: list[Requirement] = []
        for index, requirement in enumerate(value):
            if not isinstance(requirement, dict):
                self.problem(f"{where}/{index}", "a security requirement must be an object")
                continue
            alternatives.append(tuple((_text(name), _strings(scopes)) for name, scopes in requirement.items()))
        return tuple(alternatives)

    def path_item(self, path: str, raw: Any, default_security: tuple[Requirement, ...] | None) -> None:
        where = pointer("paths", path)
        item, doc = self.doc.deref(raw, where)
        if not isinstance(item, dict):
            self.problem(where, "a path item must be an object")
            return
        if doc is not self.doc:
            # A path item in a file of its own: its references are relative to that file.
            reader = _Reader(doc, self.cat)
            reader.swagger, reader.consumes, reader.produces = self.swagger, self.consumes, self.produces
            reader.path_item_node(path, item, where, default_security)
            return
        self.path_item_node(path, item, where, default_security)

    def path_item_node(
        self, path: str, item: Mapping[Any, Any], where: str, default_security: tuple[Requirement, ...] | None
    ) -> None:
        shared = item.get("parameters")
        for method, node in item.items():
            if not isinstance(method, str) or method.lower() not in METHODS:
                continue
            op_where = f"{where}/{method}"
            op, _ = self.doc.deref(node, op_where)
            if not isinstance(op, dict):
                self.problem(op_where, f"skipped: an operation must be an object, found {type(op).__name__}")
                continue
            try:
                self.operation(path, method.upper(), op, op_where, default_security, shared)
            except (TypeError, ValueError, AttributeError, KeyError, RecursionError) as exc:
                self.problem(op_where, f"skipped: {exc}")

    def operation(
        self,
        path: str,
        method: str,
        op: dict[Any, Any],
        where: str,
        default_security: tuple[Requirement, ...] | None,
        shared: Any,
    ) -> None:
        security = self.security(op["security"], f"{where}/security") if "security" in op else default_security
        tags = _strings(op.get("tags"))
        summary = _text(op.get("summary"))
        if "\n" in summary or "  " in summary:
            summary = " ".join(summary.split())
        operation_id = _text(op.get("operationId"))
        reader = self

        def load(operation: Operation) -> Details:
            return reader.details(op, where, shared)

        operation = Operation(
            method=method,
            path=path,
            pointer=where,
            operation_id=operation_id,
            summary=summary,
            description=_text(op.get("description")),
            tags=tags,
            security=security,
            scopes=self.needed_scopes(security),
            deprecated=op.get("deprecated") is True,
            haystack=" ".join((method, path, operation_id, summary, *tags)).lower(),
            loader=load,
        )
        self.cat.operations.append(operation)

    def details(self, op: dict[Any, Any], where: str, shared_raw: Any) -> Details:
        """Parameters (the path item's and the operation's own), request body and responses of one operation."""
        try:
            shared = self.parameters(shared_raw, f"{where.rsplit('/', 1)[0]}/parameters")
            own = self.parameters(op.get("parameters"), f"{where}/parameters")
            # An operation's parameter replaces the path item's one of the same name and place.
            mine = {(p.name, p.location) for p in own}
            parameters = [p for p in shared if (p.name, p.location) not in mine] + own
            body = self.swagger_body(op, where) if self.swagger else self.request_body(op.get("requestBody"), where)
            responses = self.responses(op.get("responses"), f"{where}/responses", op)
        except (TypeError, ValueError, AttributeError, KeyError, RecursionError) as exc:
            self.problem(where, f"parts could not be read: {exc}")
            return Details()
        finally:
            for place, what in self.doc.problems.items():
                self.problem(place, what)
        return Details(tuple(parameters), body, responses)

    def needed_scopes(self, security: tuple[Requirement, ...] | None) -> tuple[str, ...]:
        """The scopes of the first alternative that uses OAuth2 (or OpenID Connect), in the order written."""
        for alternative in security or ():
            scopes: list[str] = []
            scoped = False
            for name, listed in alternative:
                scheme = self.cat.schemes.get(name)
                if (scheme is not None and scheme.carries_scopes) or (scheme is None and listed):
                    scoped = True
                    scopes.extend(s for s in listed if s not in scopes)
            if scoped:
                return tuple(scopes)
        return ()

    def parameters(self, value: Any, where: str, op: Mapping[Any, Any] | None = None) -> list[Parameter]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(where, "parameters must be a list")
            return []
        found: list[Parameter] = []
        for index, raw in enumerate(value):
            node, doc = self.doc.deref(raw, f"{where}/{index}")
            if not isinstance(node, dict):
                self.problem(f"{where}/{index}", "a parameter must be an object")
                continue
            location = _text(node.get("in"))
            name = _text(node.get("name"))
            if self.swagger and location in ("body", "formData"):
                continue  # read as the request body
            if not name or location not in PARAMETER_PLACES:
                self.problem(f"{where}/{index}", f"skipped a parameter without a usable name and place ({location!r})")
                continue
            schema = node if self.swagger else node.get("schema")
            if schema is None and not self.swagger and isinstance(node.get("content"), Mapping):
                media = next(iter(node["content"].values()), None)
                schema = _mapping(media).get("schema")
            resolved, _ = doc.deref(schema, f"{where}/{index}/schema")
            resolved = _mapping(resolved)
            example = node.get("example", node.get("x-example"))
            if example is None and isinstance(node.get("examples"), Mapping):
                first = next(iter(node["examples"].values()), None)
                example = _mapping(doc.deref(first)[0]).get("value")
            if example is None:
                example = resolved.get("example")
            enum = resolved.get("enum")
            if enum is None and isinstance(resolved.get("items"), Mapping):
                enum = _mapping(doc.deref(resolved["items"])[0]).get("enum")
            found.append(
                Parameter(
                    name=name,
                    location=location,
                    required=location == "path" or node.get("required") is True,
                    description=_text(node.get("description")),
                    type=describe_type(schema, doc),
                    enum=tuple(enum) if isinstance(enum, list) else (),
                    default=resolved.get("default"),
                    example=example,
                    schema=schema,
                    doc=doc,
                    deprecated=node.get("deprecated") is True,
                )
            )
        return found

    def request_body(self, raw: Any, where: str) -> Body | None:
        if raw is None:
            return None
        node, doc = self.doc.deref(raw, f"{where}/requestBody")
        if not isinstance(node, dict):
            self.problem(f"{where}/requestBody", "a request body must be an object")
            return None
        return self.content(node, doc, f"{where}/requestBody", required=node.get("required") is True)

    def content(self, node: Mapping[Any, Any], doc: Document, where: str, *, required: bool = False) -> Body:
        content = _mapping(node.get("content"))
        types = tuple(_text(t) for t in content)
        chosen = _preferred(types)
        media = _mapping(content.get(chosen)) if chosen else {}
        examples: list[Any] = []
        if "example" in media:
            examples.append(media["example"])
        for example in _mapping(media.get("examples")).values():
            value = _mapping(doc.deref(example, f"{where}/content")[0])
            if "value" in value:
                examples.append(value["value"])
        return Body(types, media.get("schema"), tuple(examples), required, _text(node.get("description")), doc)

    def swagger_body(self, op: Mapping[Any, Any], where: str) -> Body | None:
        consumes = _strings(op.get("consumes")) or self.consumes
        form: dict[str, Any] = {}
        required: list[str] = []
        for index, raw in enumerate(op.get("parameters") or ()):
            node, _ = self.doc.deref(raw, f"{where}/parameters/{index}")
            if not isinstance(node, dict):
                continue
            if node.get("in") == "body":
                example = node.get("x-example")
                return Body(
                    consumes,
                    node.get("schema"),
                    (example,) if example is not None else (),
                    node.get("required") is True,
                    _text(node.get("description")),
                    self.doc,
                )
            if node.get("in") == "formData" and node.get("name") is not None:
                name = _text(node["name"])
                form[name] = {k: v for k, v in node.items() if k not in ("in", "name", "required")}
                if node.get("required") is True:
                    required.append(name)
        if not form:
            return None
        types = tuple(t for t in consumes if "form" in t) or ("application/x-www-form-urlencoded",)
        schema = {"type": "object", "properties": form, "required": required}
        return Body(types, schema, (), bool(required), "", self.doc)

    def responses(self, value: Any, where: str, op: Mapping[Any, Any]) -> tuple[Response, ...]:
        if value is None:
            return ()
        if not isinstance(value, Mapping):
            self.problem(where, "responses must be an object")
            return ()
        produces = _strings(op.get("produces")) or self.produces
        found: list[Response] = []
        for status, raw in value.items():
            if isinstance(status, str) and status.startswith("x-"):
                continue
            node, doc = self.doc.deref(raw, f"{where}/{status}")
            if not isinstance(node, dict):
                continue
            body: Body | None
            if self.swagger:
                schema = node.get("schema")
                examples = tuple(_mapping(node.get("examples")).values())
                body = Body(produces, schema, examples, False, "", doc) if schema is not None or examples else None
            else:
                body = self.content(node, doc, f"{where}/{status}") if node.get("content") else None
            found.append(Response(_text(status), _text(node.get("description")), body))
        return tuple(sorted(found, key=lambda r: (r.status == "default", r.status)))


def _preferred(types: Iterable[str]) -> str:
    """JSON first (the composer's home), then whatever the spec listed first."""
    listed = list(types)
    for media in listed:
        if media.split(";")[0].strip().lower() == _JSON:
            return media
    for media in listed:
        if "json" in media.lower():
            return media
    return listed[0] if listed else ""
