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
    said = f" The server said: {description}" if description else ""
    client = profile.client_id
    if status == 404 and code.lower().startswith("realm"):
        return TokenError(
            f"The realm {profile.tenant!r} does not exist on {profile.auth_url}.",
            code="unknown_realm",
            status=status,
            description=description,
            hint="Check the tenant name and its stage suffix (-sandbox, -staging, none for production).",
        )
    if code == "invalid_client":
        return TokenError(
            f"The client {client!r} is unknown to {profile.tenant!r}, or its credentials were rejected.{said}",
            code="invalid_client",
            status=status,
            description=description,
            hint="Check client_id and client_secret, and that the client exists on this tenant and stage.",
        )
    if code == "unauthorized_client":
        return TokenError(
            f"The client {client!r} was refused a token on {profile.tenant!r}.{said}",
            code="unauthorized_client",
            status=status,
            description=description,
            hint="Most often the client secret is wrong (it is shown once, when the client is created); "
            "otherwise the client may not have service accounts (client credentials) enabled.",
        )
    if code == "invalid_scope":
        return TokenError(
            f"The client {client!r} may not have the scopes it asked for.{said}",
            code="invalid_scope",
            status=status,
            description=description,
            hint=f"Requested: {' '.join(profile.scopes) or 'none'}. Remove the scopes the client does not have.",
        )
    if code == "unsupported_grant_type":
        return TokenError(
            f"The server does not accept the client_credentials grant here.{said}",
            code="unsupported_grant_type",
            status=status,
            description=description,
            hint=f"Check that {url} is the token endpoint and that the client may use client credentials.",
        )
    if code:
        return TokenError(
            f"The token endpoint answered {status} {code}.{said}",
            code=code,
            status=status,
            description=description,
            hint="Check the profile's client settings on the token server.",
        )
    return TokenError(
        f"The token endpoint answered {status} without an OAuth2 error code.",
        code=f"http_{status}",
        status=status,
        hint=f"Check that {url} is an OAuth2 token endpoint.",
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
