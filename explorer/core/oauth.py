"""The OAuth2 client-credentials exchange, exactly as NewStore's Keycloak expects it, and its failures.

Failures are told apart by the OAuth2 `error` code and the HTTP status, never by the description text; the
server's description is still shown, because Keycloak's is often the most specific thing we have.
"""

from __future__ import annotations

import base64
import contextlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

import httpx

from explorer.core.errors import TokenError
from explorer.core.neterrors import classify_transport_error
from explorer.core.profiles import Profile
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
    """Run the client-credentials grant once. Raises TokenError with a specific code and advice."""
    url = profile.token_url
    headers, form = build_token_request(profile, secret)
    sent_at = clock()
    started = time.perf_counter()
    try:
        response = await client.post(url, data=form, headers=headers, timeout=timeout)
    except httpx.TransportError as exc:
        code, message, hint = classify_transport_error(exc, url)
        raise TokenError(f"Token request failed: {message}", code=code, hint=hint) from None
    latency = time.perf_counter() - started
    received_at = sent_at + latency
    trace = _trace(url, headers, form, response)
    body = _json_body(response)
    if response.status_code != 200 or body is None or "error" in body:
        raise token_error_for(profile, response, body)
    access = body.get("access_token")
    if not isinstance(access, str) or not access:
        raise TokenError(
            f"The token endpoint answered {response.status_code} without an access_token.",
            code="no_access_token",
            status=response.status_code,
            hint=f"Check that {url} is an OAuth2 token endpoint. Fields received: {', '.join(body) or 'none'}.",
        )
    return token_from_response(body, sent_at=sent_at, received_at=received_at, trace=trace)


def _json_body(response: httpx.Response) -> dict[str, Any] | None:
    try:
        data = json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


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


def token_error_for(profile: Profile, response: httpx.Response, body: dict[str, Any] | None) -> TokenError:
    """The most specific error for a failed token response."""
    status = response.status_code
    url = profile.token_url
    if body is None:
        ctype = response.headers.get("content-type", "").split(";")[0].strip() or "no content type"
        if "html" in ctype or response.content.lstrip()[:1] == b"<":
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
    code = str(body.get("error") or "")
    description = str(body.get("error_description") or "")
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


def _trace(url: str, headers: dict[str, str], form: dict[str, str], response: httpx.Response) -> TokenTrace:
    body = response.text if len(response.content) < 64_000 else response.text[:64_000] + "…"
    data = None
    with contextlib.suppress(ValueError, UnicodeDecodeError):
        data = json.loads(response.content)
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
