"""HAR 1.2 of real exchanges, for bug reports and support tickets, with every credential redacted.

Headers that carry credentials are masked (the same rule as everywhere: `tokens.redact_header`, plus any
header named like a key, token, secret or session), JWTs are masked wherever they appear (URLs, bodies,
responses), values the request read from the environment (`{{$env.NAME}}`: where imports put secrets) are
masked, and the token exchange, when one happened, is an entry of its own with its secret and token hidden.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from explorer import __version__
from explorer.core.http import ResponseRecord
from explorer.core.model import RequestSpec
from explorer.core.tokens import SECRET_MASK, TokenTrace, redact_header

__all__ = ["Redactor", "env_values", "har_document", "har_entry", "token_entry"]

_JWT = re.compile(r"eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
_SECRET_NAME = re.compile(r"api[-_]?key|token|secret|password|session|cookie|signature", re.IGNORECASE)
_TOKEN_FIELD = re.compile(
    r'("(?:access_token|refresh_token|id_token|client_secret|password|token)"\s*:\s*")((?:[^"\\]|\\.)*)(")'
)


_ENV_REFERENCE = re.compile(r"\{\{\s*\$env\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


def env_values(requests: Iterable[RequestSpec]) -> list[str]:
    """The values of the environment variables the requests read (`{{$env.NAME}}`): secrets an import moved."""
    import os

    names: set[str] = set()
    for spec in requests:
        for text in (spec.url, spec.body, *spec.headers.values(), *spec.params.values()):
            names.update(_ENV_REFERENCE.findall(text))
    return [os.environ[n] for n in names if os.environ.get(n)]


class Redactor:
    """Masks what must not leave the machine: known secret values, JWTs and token fields."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        # Short values would mask innocent text everywhere; a secret worth the name is longer.
        self.secrets = sorted({s for s in secrets if len(s) >= 4}, key=len, reverse=True)

    def text(self, value: str) -> str:
        for secret in self.secrets:
            value = value.replace(secret, SECRET_MASK)
        value = _JWT.sub(SECRET_MASK, value)
        return _TOKEN_FIELD.sub(lambda m: m.group(1) + SECRET_MASK + m.group(3), value)

    def header(self, name: str, value: str) -> str:
        shown = redact_header(name, value)
        if shown == value and _SECRET_NAME.search(name) and name.lower() not in ("content-type", "accept"):
            return SECRET_MASK
        return self.text(shown)

    def url(self, url: str) -> str:
        parts = urlsplit(url)
        if not parts.query:
            return self.text(url)
        query = "&".join(
            f"{k}={SECRET_MASK}" if _SECRET_NAME.search(k) else f"{k}={v}"
            for k, v in (p.partition("=")[::2] for p in parts.query.split("&"))
        )
        return self.text(parts._replace(query=query).geturl())


def _iso(epoch: float) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _pairs(items: Iterable[tuple[str, str]], redactor: Redactor) -> list[dict[str, str]]:
    return [{"name": k, "value": redactor.header(k, v)} for k, v in items]


def _query(url: str) -> list[dict[str, str]]:
    return [{"name": k, "value": v} for k, v in parse_qsl(urlsplit(url).query, keep_blank_values=True)]


def _header(headers: Iterable[tuple[str, str]], name: str) -> str:
    for key, value in headers:
        if key.lower() == name:
            return value
    return ""


def _content(body: bytes, mime: str, redactor: Redactor) -> dict[str, Any]:
    content: dict[str, Any] = {"size": len(body), "mimeType": mime or "application/octet-stream"}
    if not body:
        return content
    try:
        content["text"] = redactor.text(body.decode("utf-8"))
    except UnicodeDecodeError:
        content["text"] = base64.b64encode(body).decode("ascii")
        content["encoding"] = "base64"
    return content


def _version(value: str) -> str:
    return value if value.upper().startswith("HTTP/") else f"HTTP/{value}" if value else "HTTP/1.1"


def har_entry(record: ResponseRecord, redactor: Redactor, *, comment: str = "") -> dict[str, Any]:
    sent = record.request
    url = redactor.url(sent.url)
    request: dict[str, Any] = {
        "method": sent.method,
        "url": url,
        "httpVersion": _version(record.http_version),
        "cookies": [],
        "headers": _pairs(sent.headers, redactor),
        "queryString": [{"name": q["name"], "value": q["value"]} for q in _query(url)],
        "headersSize": -1,
        "bodySize": len(sent.body),
    }
    if sent.body:
        text = sent.body.decode("utf-8", "replace")
        request["postData"] = {"mimeType": _header(sent.headers, "content-type"), "text": redactor.text(text)}
    elapsed = max(0.0, record.elapsed * 1000)
    entry: dict[str, Any] = {
        "startedDateTime": _iso(record.started_at),
        "time": round(elapsed, 3),
        "request": request,
        "response": {
            "status": record.status,
            "statusText": record.reason,
            "httpVersion": _version(record.http_version),
            "cookies": [],
            "headers": _pairs(record.headers, redactor),
            "content": _content(record.body, record.content_type, redactor),
            "redirectURL": redactor.text(record.header("location")),
            "headersSize": -1,
            "bodySize": len(record.body),
        },
        "cache": {},
        "timings": {"send": 0, "wait": round(elapsed, 3), "receive": 0},
    }
    if comment:
        entry["comment"] = comment
    return entry


def token_entry(trace: TokenTrace, started_at: float, redactor: Redactor) -> dict[str, Any]:
    """The token exchange as an entry: the client secret and the token were masked when traced."""
    body = trace.request_body.encode()
    params = [
        {"name": k, "value": SECRET_MASK if k == "client_secret" else v} for k, v in parse_qsl(trace.request_body)
    ]
    response_body = trace.response_body.encode()
    return {
        "startedDateTime": _iso(started_at),
        "time": 0,
        "request": {
            "method": trace.method,
            "url": redactor.url(trace.url),
            "httpVersion": "HTTP/1.1",
            "cookies": [],
            "headers": _pairs(trace.request_headers, redactor),
            "queryString": [],
            "postData": {
                "mimeType": "application/x-www-form-urlencoded",
                "text": redactor.text(trace.request_body),
                "params": params,
            },
            "headersSize": -1,
            "bodySize": len(body),
        },
        "response": {
            "status": trace.status,
            "statusText": "",
            "httpVersion": "HTTP/1.1",
            "cookies": [],
            "headers": _pairs(trace.response_headers, redactor),
            "content": _content(response_body, _header(trace.response_headers, "content-type"), redactor),
            "redirectURL": "",
            "headersSize": -1,
            "bodySize": len(response_body),
        },
        "cache": {},
        "timings": {"send": 0, "wait": 0, "receive": 0},
        "comment": "token exchange (client secret and token redacted)",
    }


def har_document(entries: Sequence[Mapping[str, Any]], *, comment: str = "") -> str:
    log: dict[str, Any] = {
        "version": "1.2",
        "creator": {"name": "explorer", "version": __version__},
        "entries": list(entries),
    }
    if comment:
        log["comment"] = comment
    return json.dumps({"log": log}, indent=2, ensure_ascii=False) + "\n"
