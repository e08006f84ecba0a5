"""The OAuth2 client-credentials exchange, exactly as NewStore's Keycloak expects it, and its failures.

Failures are told apart by the OAuth2 `error` code and the HTTP status, never by the description text; the
server's description is still shown, because Keycloak's is often the most specific thing we have.
"""

from __future__ import annotations

import base64
import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import httpx

from explorer.core.bodyread import TOKEN_MAX_BODY, deadline, read_body
from explorer.core.errors import TokenError, UnusableTokenError
from explorer.core.jsonlimits import loads_bounded
from explorer.core.neterrors import classify_transport_error
from explorer.core.profiles import Profile
from explorer.core.sanitize import is_b64token, shorten
from explorer.core.tokens import SECRET_MASK, Token, TokenTrace, mask_token, redact_header, token_from_response


def build_token_request(profile: Profile, secret: str) -> tuple[dict[str, str], dict[str, str]]:
    """(headers, form) for the token request."""
    headers = {"Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded"}
    form = {"grant_type": "client_credentials"}
    if profile.client_auth == "basic":
        # RFC 6749 2.3.1: each part is form-urlencoded before the pair is base64-encoded.
        pair = f"{quote(profile.client_id, safe='')}:{quote(secret, safe='')}".encode()
        headers["Authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")
    else:
        form["client_id"] = profile.client_id
        form["client_secret"] = secret
    if profile.scopes:
        form["scope"] = " ".join(profile.scopes)
    return headers, form


async def fetch_token(
    client: httpx.AsyncClient,
    profile: Profile,
    secret: str,
    *,
    clock: Callable[[], float] = time.time,
    timeout: float = 30.0,
) -> Token:
    """Run the client-credentials grant once. Raises TokenError with a specific code and advice.

    The exchange runs under the profile's total deadline and reads at most `TOKEN_MAX_BODY` bytes; a token
    explorer must not use (another type than Bearer, characters a Bearer token cannot hold, an impossible
    lifetime) is refused here, so it is never cached, printed for a shell or attached to a request.
    """
    url = profile.token_url
    host = _host(url)
    headers, form = build_token_request(profile, secret)
    sent_at = clock()
    started = time.perf_counter()
    response, content = await _exchange(client, url, host, headers, form, min(timeout, profile.limits.deadline))
    latency = time.perf_counter() - started
    received_at = sent_at + latency
    trace = _trace(url, headers, form, response, content)
    body = _json_body(content)
    if response.status_code != 200 or body is None or "error" in body:
        raise token_error_for(profile, response, body, content)
    access = body.get("access_token")
    if not isinstance(access, str) or not access:
        raise TokenError(
            f"The token endpoint answered {response.status_code} without an access_token.",
            code="no_access_token",
            status=response.status_code,
            hint=f"Check that {url} is an OAuth2 token endpoint. Fields received: {', '.join(body) or 'none'}.",
        )
    body = _checked(body, host, url)
    return token_from_response(body, sent_at=sent_at, received_at=received_at, trace=trace)


def _token_error(code: str, message: str, hint: str) -> TokenError:
    return TokenError(message, code=code, hint=hint)


async def _exchange(
    client: httpx.AsyncClient, url: str, host: str, headers: dict[str, str], form: dict[str, str], limit: float
) -> tuple[httpx.Response, bytes]:
    """POST the form; the answer with its body read (bounded) and the body, or a TokenError."""
    try:
        request = client.build_request("POST", url, data=form, headers=headers, timeout=limit)
    except (httpx.InvalidURL, ValueError) as exc:
        raise TokenError(
            f"The token URL {url} cannot be used: {exc}.",
            code="bad_url",
            hint="Check token_url, auth_url and tenant in the profile.",
        ) from None
    try:
        async with deadline(limit, host, error=_token_error):
            response = await client.send(request, stream=True)
            try:
                content = await read_body(response, max_body=TOKEN_MAX_BODY, host=host, error=_token_error)
            finally:
                await response.aclose()
    except httpx.TransportError as exc:
        code, message, hint = classify_transport_error(exc, url)
        raise TokenError(message, code=code, hint=hint) from None
    except (httpx.HTTPError, httpx.InvalidURL, ExceptionGroup, ValueError, OverflowError) as exc:
        detail = exc.exceptions[0] if isinstance(exc, BaseExceptionGroup) and exc.exceptions else exc
        raise TokenError(
            f"Token request to {host} failed: {detail or type(detail).__name__}.",
            code="request_failed",
            hint="Check token_url or auth_url (host and port) in the profile.",
        ) from None
    return response, content


def _host(url: str) -> str:
    try:
        return urlsplit(url).hostname or url
    except ValueError:
        return url


def _json_body(content: bytes) -> dict[str, Any] | None:
    try:
        data = loads_bounded(content)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


# RFC 6749 §7.1: a client must not use a token type it does not understand; explorer understands Bearer.
_BEARER = "bearer"
# A lifetime longer than this (ten years) is not one a server means.
_MAX_EXPIRES_IN = 10 * 365 * 24 * 3600


def _checked(body: dict[str, Any], host: str, url: str) -> dict[str, Any]:
    """The token response with its fields checked; raises UnusableTokenError for a token not to be used."""
    access = str(body["access_token"])
    if not is_b64token(access):
        raise UnusableTokenError(
            f"The token endpoint {host} issued a token with characters a Bearer token cannot hold "
            "(a space, a line break or a control character); explorer does not use it.",
            code="not_b64token",
            hint="Check the token server: RFC 6750 allows letters, digits and -._~+/ (then = signs) only.",
        )
    token_type = body.get("token_type")
    if token_type is not None and (not isinstance(token_type, str) or token_type.strip().lower() != _BEARER):
        raise UnusableTokenError(
            f"The token endpoint {host} issued a token of type {shorten(token_type, 40)!r}; "
            "explorer sends Bearer tokens only.",
            code="unsupported_token_type",
            hint="RFC 6749 §7.1: a client must not use a token type it does not understand. "
            "Check the client's settings on the token server.",
        )
    if "expires_in" in body and body["expires_in"] is not None:
        seconds = _seconds(body["expires_in"])
        if seconds is None or not 0 < seconds <= _MAX_EXPIRES_IN:
            shown = shorten(json.dumps(body["expires_in"]) if seconds is None else f"{seconds:g}", 40)
            why = "already expired" if seconds is not None and seconds <= 0 else "not a usable number of seconds"
            raise UnusableTokenError(
                f"The token endpoint {host} said the token expires in {shown} (expires_in): {why}.",
                code="bad_expires_in",
                hint=f"Check the token server at {url}: expires_in is a positive number of seconds.",
            )
        body = {**body, "expires_in": seconds}
    return body


def _seconds(value: object) -> float | None:
    """expires_in as a finite number (a numeric string is accepted: some servers quote it), else None."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        seconds = float(value)
    except (ValueError, OverflowError):
        return None
    return seconds if math.isfinite(seconds) else None


@dataclass(frozen=True)
class _Advice:
    """What to say about one OAuth2 error code. Templates are filled from `_advice_fields`."""

    message: str
    hint: str


# The error codes Keycloak answers a client-credentials grant with, and what a user should check for each.
_ADVICE: dict[str, _Advice] = {
    "invalid_client": _Advice(
        "The client {client!r} is unknown to {tenant!r}, or its credentials were rejected.{said}",
        "Check client_id and client_secret, and that the client exists on this tenant and stage.",
    ),
    "unauthorized_client": _Advice(
        "The client {client!r} was refused a token on {tenant!r}.{said}",
        "Most often the client secret is wrong (it is shown once, when the client is created); "
        "otherwise the client may not have service accounts (client credentials) enabled.",
    ),
    "invalid_scope": _Advice(
        "The client {client!r} may not have the scopes it asked for.{said}",
        "Requested: {scopes}. Remove the scopes the client does not have.",
    ),
    "unsupported_grant_type": _Advice(
        "The server does not accept the client_credentials grant here.{said}",
        "Check that {url} is the token endpoint and that the client may use client credentials.",
    ),
}
# A realm that does not exist: Keycloak answers 404 with an error code starting "realm".
_UNKNOWN_REALM = _Advice(
    "The realm {tenant!r} does not exist on {auth_url}.",
    "Check the tenant name and its stage suffix (-sandbox, -staging, none for production).",
)
# Any other error code.
_OTHER_CODE = _Advice(
    "The token endpoint answered {status} {code}.{said}",
    "Check the profile's client settings on the token server.",
)


def token_error_for(
    profile: Profile, response: httpx.Response, body: dict[str, Any] | None, content: bytes | None = None
) -> TokenError:
    """The most specific error for a failed token response (`content`: its body, when read by the caller)."""
    if content is None:
        content = response.content
    status = response.status_code
    url = profile.token_url
    if body is None:
        ctype = response.headers.get("content-type", "").split(";")[0].strip() or "no content type"
        if "html" in ctype or content.lstrip()[:1] == b"<":
            return TokenError(
                f"The token endpoint answered {status} with an HTML page instead of JSON.",
                code="html_response",
                status=status,
                hint=f"Check auth_url/token_url ({url}); a proxy, login page or error page answered instead.",
            )
        return TokenError(
            f"The token endpoint answered {status} with a body that is not JSON ({ctype}).",
            code="not_json",
            status=status,
            hint=f"Check that {url} is an OAuth2 token endpoint.",
        )
    # Both are strings in OAuth2; a server may send anything, shown cleaned and cut short.
    code = shorten(body.get("error") or "", 80)
    description = shorten(body.get("error_description") or "", 500)
    if not code:
        return TokenError(
            f"The token endpoint answered {status} without an OAuth2 error code.",
            code=f"http_{status}",
            status=status,
            hint=f"Check that {url} is an OAuth2 token endpoint.",
        )
    if status == 404 and code.lower().startswith("realm"):
        advice, code = _UNKNOWN_REALM, "unknown_realm"
    else:
        advice = _ADVICE.get(code, _OTHER_CODE)
    fields = {
        "client": profile.client_id,
        "tenant": profile.tenant,
        "auth_url": profile.auth_url,
        "url": url,
        "scopes": " ".join(profile.scopes) or "none",
        "status": status,
        "code": code,
        "said": f" The server said: {description}" if description else "",
    }
    return TokenError(
        advice.message.format(**fields),
        code=code,
        status=status,
        description=description,
        hint=advice.hint.format(**fields),
    )


def _redact_form(form: dict[str, str]) -> str:
    shown = {k: (SECRET_MASK if k == "client_secret" else v) for k, v in form.items()}
    return urlencode(shown)


def _trace(
    url: str, headers: dict[str, str], form: dict[str, str], response: httpx.Response, content: bytes
) -> TokenTrace:
    text = content[:64_000].decode(response.encoding or "utf-8", "replace")
    body = text if len(content) <= 64_000 else text + "…"
    data = _json_body(content)
    if isinstance(data, dict) and isinstance(data.get("access_token"), str):
        data["access_token"] = mask_token(data["access_token"])
        body = json.dumps(data, indent=2)
    return TokenTrace(
        method="POST",
        url=url,
        request_headers=tuple((k, redact_header(k, v)) for k, v in headers.items()),
        request_body=_redact_form(form),
        status=response.status_code,
        response_headers=tuple((k, redact_header(k, v)) for k, v in response.headers.items()),
        response_body=body,
    )
