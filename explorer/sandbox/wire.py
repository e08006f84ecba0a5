"""Plain request and response values passed between the sandbox's HTTP server and its endpoints.

Endpoints are functions from a `Request` to a `Response`; they never touch sockets, which keeps them easy to
read and to test. Errors of the tenant API are RFC 9457 problem documents (`application/problem+json`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs

JSON_TYPE = "application/json"
PROBLEM_TYPE = "application/problem+json"


@dataclass(frozen=True)
class Request:
    """One parsed HTTP request; header names are lower case."""

    method: str
    path: str
    query: Mapping[str, list[str]] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""

    def header(self, name: str) -> str | None:
        """A header's value, or None when the request does not carry it."""
        return self.headers.get(name.lower())

    def param(self, name: str) -> str | None:
        """The first value of a query parameter, or None."""
        values = self.query.get(name)
        return values[0] if values else None

    @property
    def content_type(self) -> str:
        """The media type of the body without its parameters, lower case ("" when absent)."""
        return (self.header("content-type") or "").split(";", 1)[0].strip().lower()

    def form(self) -> dict[str, str]:
        """The body parsed as `application/x-www-form-urlencoded` (first value of each field)."""
        try:
            text = self.body.decode("utf-8")
        except UnicodeDecodeError:
            return {}
        return {key: values[0] for key, values in parse_qs(text, keep_blank_values=True).items()}


@dataclass
class Response:
    """What an endpoint answers. The server adds `Content-Length` and `Content-Type`."""

    status: int
    body: bytes = b""
    content_type: str | None = JSON_TYPE
    headers: list[tuple[str, str]] = field(default_factory=list)

    def header(self, name: str) -> str | None:
        """The first value of one of the response's own headers, or None."""
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None


def dump_json(payload: Any) -> bytes:
    """Compact UTF-8 JSON, the way the API writes it."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def json_response(
    status: int,
    payload: Any,
    *,
    content_type: str = JSON_TYPE,
    headers: Iterable[tuple[str, str]] = (),
) -> Response:
    """A JSON response."""
    return Response(status, dump_json(payload), content_type, list(headers))


def problem(
    status: int,
    detail: str,
    *,
    title: str | None = None,
    type_: str = "about:blank",
    headers: Iterable[tuple[str, str]] = (),
    **extra: Any,
) -> Response:
    """An `application/problem+json` response; `title` defaults to the status's reason phrase."""
    payload: dict[str, Any] = {
        "type": type_,
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    payload.update(extra)
    return json_response(status, payload, content_type=PROBLEM_TYPE, headers=headers)


class ProblemError(Exception):
    """Raised by an endpoint's helpers to answer with a problem response at once."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status)
        self.response = response


def fail(status: int, detail: str, **extra: Any) -> ProblemError:
    """A `ProblemError` to raise: `raise fail(400, "...")`."""
    return ProblemError(problem(status, detail, **extra))
