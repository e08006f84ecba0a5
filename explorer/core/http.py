"""Templating, preparing and sending one request, and the record of what came back.

`{{name}}` placeholders are filled from the profile's built-ins and variables and the collection's variables;
`{{$uuid}}`, `{{$timestamp}}`, `{{$isoTimestamp}}` and `{{$randomInt}}` are made fresh for each use. A placeholder
without a value is an error before anything is sent.
"""

from __future__ import annotations

import os
import secrets
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote_plus, urlsplit, urlunsplit

from explorer.core.bodyread import DEFAULT_DEADLINE, DEFAULT_MAX_BODY, deadline, read_body
from explorer.core.errors import RequestError, TemplateError
from explorer.core.formatting import looks_like_json
from explorer.core.model import RequestSpec
from explorer.core.placeholders import PLACEHOLDER
from explorer.core.profiles import Profile
from explorer.core.sanitize import shorten
from explorer.core.tokens import redact_header

if TYPE_CHECKING:
    import httpx

# httpx (and what builds on it) is imported by the functions that send: templating and preparing a request
# are also what the app needs to draw its first frame, and importing httpx is a good part of a start-up.


# Values made fresh for every use, so a replayed request can create a new resource each time.
DYNAMIC_VARIABLES: dict[str, Callable[[], str]] = {
    "$uuid": lambda: str(uuid.uuid4()),
    "$timestamp": lambda: str(int(time.time())),
    "$isoTimestamp": lambda: datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
    "$randomInt": lambda: str(secrets.randbelow(1000)),
}

Progress = Callable[[int, int | None], None]


def variables_for(
    profile: Profile | None,
    collection_vars: Mapping[str, str] | None = None,
    captured: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The `{{variables}}` of a request, the one rule for the app and `explorer run`.

    Collection variables, overridden by the profile's own, overridden by the built-ins, overridden by values
    captured from earlier answers: a value just taken from a response is the one the user means next.
    """
    merged: dict[str, str] = dict(collection_vars or {})
    if profile is not None:
        merged.update(profile.variables)
        merged.update(profile.builtin_variables())
    merged.update(captured or {})
    return merged


def variable_sources(
    profile: Profile | None, collection_vars: Mapping[str, str] | None = None
) -> dict[str, tuple[str, str]]:
    """The variables `variables_for` gives without captured values: name → (value, where the winning one comes
    from: "built-in", "profile NAME" or "collection")."""
    found: dict[str, tuple[str, str]] = {name: (value, "collection") for name, value in (collection_vars or {}).items()}
    if profile is not None:
        found.update((name, (value, f"profile {profile.name}")) for name, value in profile.variables.items())
        found.update((name, (value, "built-in")) for name, value in profile.builtin_variables().items())
    return found


def placeholders(text: str) -> list[str]:
    return [m.group(1) for m in PLACEHOLDER.finditer(text)]


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
    return PLACEHOLDER.sub(lambda m: _value(m.group(1), variables), text)


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
    timeout: float = DEFAULT_DEADLINE,
    max_body: int = DEFAULT_MAX_BODY,
    on_progress: Progress | None = None,
) -> ResponseRecord:
    """Send and stream the answer in, within `timeout` seconds in all and `max_body` bytes of body.

    Everything that can go wrong (a URL or header httpx refuses, the network, the deadline, a body too large or
    whose compression is corrupt) becomes a RequestError with advice; nothing else escapes.
    """
    import httpx

    from explorer.core.neterrors import classify_transport_error

    host = _host(prepared.url)
    request = _build(client, prepared, timeout)
    use_auth = auth if prepared.auth and auth is not None else None
    started_wall = time.time()
    started = time.perf_counter()
    answered = False
    try:
        async with deadline(timeout, host):
            response = await client.send(request, auth=use_auth, stream=True)
            answered = True
            try:
                body = await read_body(response, max_body=max_body, host=host, on_progress=on_progress)
            finally:
                await response.aclose()
    except httpx.TransportError as exc:
        code, message, hint = classify_transport_error(exc, prepared.url)
        if isinstance(exc, httpx.LocalProtocolError):
            # Not the library's words: they quote the header, which may be a credential.
            code, message = "bad_request", "A header name or value holds a line break, a space or a control character."
            hint = "Check the request's headers; nothing was sent."
        elif answered:
            message = f"The answer was cut off: {message}"
        raise RequestError(message, code=code, hint=hint) from None
    except (httpx.HTTPError, httpx.InvalidURL, ExceptionGroup, ValueError, OverflowError) as exc:
        # What httpx and the socket layer raise besides transport errors: a bad redirect URL, a port out of
        # range deep in the connection code, a stream read twice. Each is one line naming the host.
        raise RequestError(
            f"The request to {host} failed: {_reason(exc)}.",
            code="request_failed",
            hint="Check the URL (host and port) and the request's headers.",
        ) from None
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


def _host(url: str) -> str:
    try:
        return urlsplit(url).hostname or url[:80]
    except ValueError:
        return url[:80]


def _reason(exc: BaseException) -> str:
    if isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        return _reason(exc.exceptions[0])
    return str(exc) or type(exc).__name__


def _build(client: httpx.AsyncClient, prepared: PreparedRequest, timeout: float) -> httpx.Request:
    """The httpx request, or a RequestError that says which part httpx refused (before anything is sent)."""
    import httpx

    try:
        # Merged here: httpx's `params=` would replace a query typed in the URL instead of adding to it.
        url = httpx.URL(prepared.full_url())
        if url.port is not None and not 0 < url.port < 65536:
            raise httpx.InvalidURL(f"Invalid port: {url.port}")
        if not url.host:
            raise httpx.InvalidURL("no host name")
    except (httpx.InvalidURL, ValueError) as exc:
        raise RequestError(
            f"The URL {shorten(prepared.url, 120)} cannot be sent: {str(exc).rstrip('.')}.",
            code="bad_url",
            hint="Check the URL: a host name, a port from 1 to 65535, no spaces or control characters.",
        ) from None
    try:
        return client.build_request(
            prepared.method,
            url,
            headers=list(prepared.headers),
            content=prepared.body if prepared.body else None,
            timeout=timeout,
        )
    except UnicodeEncodeError as exc:
        raise RequestError(
            f"A header holds {exc.object[exc.start : exc.end]!r}, which HTTP headers cannot carry.",
            code="bad_header",
            hint="Header names and values are ASCII: percent-encode the value, or send it in the body.",
        ) from None
    except (httpx.InvalidURL, ValueError, TypeError) as exc:
        raise RequestError(f"The request cannot be built: {exc}.", code="bad_request") from None


def _retried_after_rejection(response: httpx.Response) -> bool:
    """Whether the auth flow replaced a rejected token and sent again: httpx keeps each answer that led to a
    retry in `history`, and only the auth flow retries on a 401 or 403 (redirects are 3xx)."""
    return any(earlier.status_code in (401, 403) for earlier in response.history)
