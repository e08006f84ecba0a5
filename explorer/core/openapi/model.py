"""The operations of an API description as plain data: what the catalogue lists, shows and hands to a request."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from explorer.core.openapi.document import Document

PARAMETER_PLACES = ("path", "query", "header", "cookie")


@dataclass(frozen=True, slots=True)
class Parameter:
    """One parameter in path, query, header or cookie. `schema` is the raw (possibly `$ref`) schema node."""

    name: str
    location: str
    required: bool = False
    description: str = ""
    type: str = ""
    enum: tuple[Any, ...] = ()
    default: Any = None
    example: Any = None
    schema: Any = None
    # The document the schema's own `$ref`s are relative to.
    doc: Document | None = field(default=None, compare=False, repr=False)
    deprecated: bool = False


@dataclass(frozen=True, slots=True)
class Body:
    """A request or response body: its media types, the schema of the first one, and examples given by the spec."""

    content_types: tuple[str, ...] = ()
    schema: Any = None
    examples: tuple[Any, ...] = ()
    required: bool = False
    description: str = ""
    doc: Document | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Response:
    status: str
    description: str = ""
    body: Body | None = None


@dataclass(frozen=True, slots=True)
class Details:
    """What an operation takes and answers, read when first needed."""

    parameters: tuple[Parameter, ...] = ()
    request_body: Body | None = None
    responses: tuple[Response, ...] = ()


@dataclass(frozen=True, slots=True)
class SecurityScheme:
    """A scheme from `securitySchemes` / `securityDefinitions`. `flows` names the OAuth2 flows it offers."""

    name: str
    type: str
    flows: tuple[str, ...] = ()
    token_url: str = ""
    scopes: tuple[str, ...] = ()

    @property
    def carries_scopes(self) -> bool:
        return self.type in ("oauth2", "openIdConnect")

    @property
    def client_credentials(self) -> bool:
        return "clientCredentials" in self.flows or "application" in self.flows


# One way of being allowed to call an operation: every scheme named, each with the scopes it needs.
Requirement = tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(slots=True)
class Operation:
    """One method on one path. `pointer` is where it is in the document (`#/paths/~1orders/get`).

    What the list shows is read with the document; parameters, bodies and responses are read the first time
    they are asked for, so a description of thousands of operations lists fast.
    """

    method: str
    path: str
    pointer: str
    operation_id: str = ""
    summary: str = ""
    description: str = ""
    tags: tuple[str, ...] = ()
    # The alternatives of `security` (any one will do); None when neither the operation nor the spec says.
    security: tuple[Requirement, ...] | None = None
    scopes: tuple[str, ...] = ()
    deprecated: bool = False
    # Lower case text the filter searches: path, summary, operationId, tags, method.
    haystack: str = field(default="", repr=False)
    details: Details | None = field(default=None, repr=False, compare=False)
    loader: Callable[[Operation], Details] | None = field(default=None, repr=False, compare=False)

    def _details(self) -> Details:
        if self.details is None:
            self.details = self.loader(self) if self.loader is not None else Details()
        return self.details

    @property
    def parameters(self) -> tuple[Parameter, ...]:
        return self._details().parameters

    @property
    def request_body(self) -> Body | None:
        return self._details().request_body

    @property
    def responses(self) -> tuple[Response, ...]:
        return self._details().responses

    @property
    def title(self) -> str:
        """What to call it in one line: the summary, else the operationId, else method and path."""
        return self.summary or self.operation_id or f"{self.method} {self.path}"

    @property
    def path_parameters(self) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.location == "path")

    @property
    def needs_auth(self) -> bool:
        """False when the spec says the operation needs no credentials (`security: []`)."""
        if self.security is None:
            return True
        # `security: []` or an empty alternative (`{}`) lets anyone call it.
        return bool(self.security) and all(self.security)

    def first_success(self) -> int | None:
        """The first 2xx status the spec lists (`2XX` counts as 200)."""
        for response in self.responses:
            code = response.status.upper()
            if code.startswith("2"):
                return int(code) if code.isdigit() else 200
        return None


@dataclass
class Catalogue:
    """Everything read from one document. `problems` maps JSON pointers to what was wrong there."""

    document: Document
    version: str
    title: str = ""
    api_version: str = ""
    servers: tuple[str, ...] = ()
    operations: list[Operation] = field(default_factory=list)
    schemes: dict[str, SecurityScheme] = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
    source: str = ""

    @property
    def is_swagger(self) -> bool:
        return self.version.startswith("2")

    @property
    def uses_scopes(self) -> bool:
        return any(op.scopes for op in self.operations)

    def read_all(self) -> None:
        """Read every operation's parameters, bodies and responses now (their problems join `problems`)."""
        for operation in self.operations:
            operation._details()

    def filter(self, text: str) -> list[Operation]:
        """Operations whose path, summary, operationId, tag or method contain every word of `text`."""
        words = text.lower().split()
        if not words:
            return list(self.operations)
        return [op for op in self.operations if all(word in op.haystack for word in words)]

    def problem_summary(self, limit: int = 3) -> str:
        """One line about what could not be read, naming the first few places ("" when all was read)."""
        if not self.problems:
            return ""
        shown = "; ".join(f"{where}: {what}" for where, what in list(self.problems.items())[:limit])
        more = len(self.problems) - limit
        tail = f"; and {more} more" if more > 0 else ""
        count = len(self.problems)
        return f"{count} problem{'s' if count != 1 else ''} in the API description: {shown}{tail}"
