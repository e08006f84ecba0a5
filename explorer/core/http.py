"""Templating, preparing and sending one request, and the record of what came back.

`{{name}}` placeholders are filled from the profile's built-ins and variables and the collection's variables;
`{{$uuid}}`, `{{$timestamp}}`, `{{$isoTimestamp}}` and `{{$randomInt}}` are made fresh for each use. A placeholder
without a value is an error before anything is sent.
"""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote_plus, urlsplit, urlunsplit

from explorer.core.errors import RequestError, TemplateError
from explorer.core.formatting import looks_like_json
from explorer.core.model import RequestSpec
from explorer.core.profiles import Profile
from explorer.core.tokens import redact_header

if TYPE_CHECKING:
    import httpx

# httpx (and what builds on it) is imported by the functions that send: templating and preparing a request
# are also what the app needs to draw its first frame, and importing httpx is a good part of a start-up.

# Bodies larger than this (bytes) are put together in a thread.
JOIN_IN_THREAD = 1024 * 1024

_PLACEHOLDER = re.compile(r"\{\{\s*(\$?[A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}")

# Values made fresh for every use, so a replayed request can create a new resource each time.
DYNAMIC_VARIABLES: dict[str, Callable[[], str]] = {
    "$uuid": lambda: str(uuid.uuid4()),
    "$timestamp": lambda: str(int(time.time())),
    "$isoTimestamp": lambda: datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
    "$randomInt": lambda: str(secrets.randbelow(1000)),
}

Progress = Callable[[int, int | None], None]


def variables_for(profile: Profile | None, collection_vars: Mapping[str, str] | None = None) -> dict[str, str]:
    """Collection variables, overridden by the profile's own, overridden by the built-ins."""
    merged: dict[str, str] = dict(collection_vars or {})
    if profile is not None:
        merged.update(profile.variables)
        merged.update(profile.builtin_variables())
    return merged


def placeholders(text: str) -> list[str]:
    return [m.group(1) for m in _PLACEHOLDER.finditer(text)]


# `{{$env.NAME}}` reads an environment variable when the request is sent: where imports put the secrets
# (API keys, cookies, passwords) a collection file must not hold.
ENV_PREFIX = "$env."


def is_known(name: str, variables: Mapping[str, str]) -> bool:
    if name.startswith(ENV_PREFIX):
        return name[len(ENV_PREFIX) :] in os.environ
    return name in variables or name in DYNAMIC_VARIABLES


def _value(name: str, variables: Mapping[str, str]) -> str:
    if name.startswith(ENV_PREFIX):
        return os.environ[name[len(ENV_PREFIX) :]]
    dynamic = DYNAMIC_VARIABLES.get(name)
    return dynamic() if dynamic is not None else variables[name]


def render(text: str, variables: Mapping[str, str], *, where: str = "") -> str:
    missing = [name for name in placeholders(text) if not is_known(name, variables)]
    if missing:
        raise TemplateError(sorted(set(missing)), where)
    return _PLACEHOLDER.sub(lambda m: _value(m.group(1), variables), text)


def missing_variables(spec: RequestSpec, variables: Mapping[str, str]) -> list[str]:
    texts = [spec.url, spec.body, *spec.params.keys(), *spec.params.values()]
    texts += [*spec.headers.keys(), *spec.headers.values()]
    return sorted({name for text in texts for name in placeholders(text) if not is_known(name, variables)})


@dataclass(frozen=True)
class PreparedRequest:
    """A request with every placeholder filled in, ready to send."""

    method: str
    url: str
    params: tuple[tuple[str, str], ...]
    headers: tuple[tuple[str, str], ...]
    body: bytes
    auth: bool
    # The request carries its own Authorization header, which wins over the profile's token.
    own_authorization: bool

    def full_url(self) -> str:
        """The URL with the params table merged into its own query (the table wins for a name in both)."""
        return merge_query(self.url, self.params)


def merge_query(url: str, params: Sequence[tuple[str, str]], *, safe: str = "") -> str:
    """`url` with `params` merged into its query: a name in both takes the table's values, where the URL had it;
    the table's other names follow. What the URL's query says of other names is kept as typed.

    `safe` are characters left unencoded in the table's names and values (the composer's preview keeps the
    braces of unknown `{{variables}}` readable).
    """
    if not params:
        return url
    table: dict[str, list[str]] = {}
    for name, value in params:
        table.setdefault(name, []).append(value)

    def encoded(name: str) -> list[str]:
        return [f"{quote(name, safe=safe)}={quote(value, safe=safe)}" for value in table[name]]

    parts = urlsplit(url)
    query: list[str] = []
    placed: set[str] = set()
    for item in parts.query.split("&") if parts.query else ():
        name = unquote_plus(item.split("=", 1)[0])
        if name not in table:
            query.append(item)
        elif name not in placed:
            placed.add(name)
            query += encoded(name)
    for name in table:
        if name not in placed:
            query += encoded(name)
    return urlunsplit(parts._replace(query="&".join(query)))


def prepare(spec: RequestSpec, variables: Mapping[str, str]) -> PreparedRequest:
    missing = missing_variables(spec, variables)
    if missing:
        raise TemplateError(missing, f"request {spec.name!r}" if spec.name else "the request")
    url = render(spec.url, variables).strip()
    if not url:
        raise RequestError("The request has no URL.", code="no_url", hint="Type a URL, e.g. {{api_url}}/v0/stores.")
    if not url.startswith(("http://", "https://")):
        raise RequestError(
            f"The URL {url!r} has no http:// or https:// scheme.",
            code="bad_url",
            hint="Start it with {{api_url}} or a full https:// address.",
        )
    params = tuple((render(k, variables), render(v, variables)) for k, v in spec.params.items() if k)
    headers = [(render(k, variables), render(v, variables)) for k, v in spec.headers.items() if k]
    names = {k.lower() for k, _ in headers}
    if spec.content_type and "content-type" not in names:
        headers.append(("Content-Type", spec.content_type))
    elif spec.body and "content-type" not in names and looks_like_json(spec.body):
        headers.append(("Content-Type", "application/json"))
    return PreparedRequest(
        method=spec.method.upper(),
        url=url,
        params=params,
        headers=tuple(headers),
        body=render(spec.body, variables).encode("utf-8"),
        auth=spec.auth,
        own_authorization="authorization" in names,
    )


@dataclass(frozen=True)
class SentRequest:
    """The request as it went on the wire, with credentials masked."""

    method: str
    url: str
    headers: tuple[tuple[str, str], ...]
    body: bytes
    token_attached: bool
    own_authorization: bool


@dataclass
class ResponseRecord:
    status: int
    reason: str
    http_version: str
    headers: list[tuple[str, str]]
    elapsed: float
    body: bytes
    request: SentRequest
    retried_after_rejection: bool = False
    started_at: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.body)

    @property
    def content_type(self) -> str:
        return self.header("content-type")

    @property
    def retry_after(self) -> float | None:
        """Seconds to wait, from a 429's (or 503's) Retry-After, in either of its two forms."""
        value = self.header("retry-after")
        if not value:
            return None
        try:
            return max(0.0, float(value))
        except ValueError:
            pass
        try:
            from email.utils import parsedate_to_datetime

            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        return max(0.0, when.timestamp() - time.time())

    def header(self, name: str) -> str:
        lowered = name.lower()
        for key, value in self.headers:
            if key.lower() == lowered:
                return value
        return ""


async def send(
    client: httpx.AsyncClient,
    prepared: PreparedRequest,
    *,
    auth: httpx.Auth | None,
    timeout: float = 60.0,
    on_progress: Progress | None = None,
) -> ResponseRecord:
    """Send and stream the answer in. Transport failures become RequestError with advice."""
    import httpx

    from explorer.core.neterrors import classify_transport_error

    # Merged here: httpx's `params=` would replace a query typed in the URL instead of adding to it.
    request = client.build_request(
        prepared.method,
        prepared.full_url(),
        headers=list(prepared.headers),
        content=prepared.body if prepared.body else None,
        timeout=timeout,
    )
    use_auth = auth if prepared.auth and auth is not None else None
    started_wall = time.time()
    started = time.perf_counter()
    try:
        response = await client.send(request, auth=use_auth, stream=True)
    except httpx.TransportError as exc:
        code, message, hint = classify_transport_error(exc, prepared.url)
        raise RequestError(message, code=code, hint=hint) from None
    try:
        # With a content-encoding, Content-Length counts compressed bytes, so the total is unknown.
        encoded = bool(response.headers.get("content-encoding"))
        total = None if encoded else _int_or_none(response.headers.get("content-length"))
        chunks: list[bytes] = []
        received = 0
        async for chunk in response.aiter_bytes():
            chunks.append(chunk)
            received += len(chunk)
            if on_progress is not None:
                on_progress(received, total)
        # Joining tens of megabytes takes tens of milliseconds (mostly fresh memory being mapped). In a thread
        # it leaves the event loop free: bytes.join copies large bodies without holding the interpreter lock.
        body = await asyncio.to_thread(b"".join, chunks) if received > JOIN_IN_THREAD else b"".join(chunks)
    except httpx.TransportError as exc:
        code, message, hint = classify_transport_error(exc, prepared.url)
        raise RequestError(f"The answer was cut off: {message}", code=code, hint=hint) from None
    finally:
        await response.aclose()
    elapsed = time.perf_counter() - started
    sent = response.request
    token_attached = use_auth is not None and not prepared.own_authorization
    return ResponseRecord(
        status=response.status_code,
        reason=response.reason_phrase,
        http_version=response.http_version,
        headers=list(response.headers.multi_items()),
        elapsed=elapsed,
        body=body,
        request=SentRequest(
            method=sent.method,
            url=str(sent.url),
            headers=tuple((k, redact_header(k, v)) for k, v in sent.headers.multi_items()),
            body=prepared.body,
            token_attached=token_attached,
            own_authorization=prepared.own_authorization and prepared.auth,
        ),
        retried_after_rejection=_retried_after_rejection(response),
        started_at=started_wall,
    )


def _retried_after_rejection(response: httpx.Response) -> bool:
    """Whether the auth flow replaced a rejected token and sent again: httpx keeps each answer that led to a
    retry in `history`, and only the auth flow retries on a 401 or 403 (redirects are 3xx)."""
    return any(earlier.status_code in (401, 403) for earlier in response.history)


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
