"""A token endpoint that misbehaves in every way we know of: a token or one clear TokenError, never anything
else, never a control character in a message, never a token that could smuggle a header."""

from __future__ import annotations

import time

import httpx
import pytest

from explorer.core.bodyread import Limits
from explorer.core.errors import TokenError, UnusableTokenError
from explorer.core.oauth import fetch_token
from explorer.core.profiles import Profile
from explorer.core.sanitize import is_b64token
from tests.hostile_server import GOOD_TOKEN, TOKEN_FAULTS, TRANSPORT_FAULTS, HostileServer, assert_clean

ACCEPTED = {
    "ok",
    "bearer-lower",
    "scope-esc",
    "scope-number",
    "expires-fraction",
    "expires-string",
    "expires-null",
    "jwt-exp-inf",
    "jwt-exp-nan",
    "jwt-deep",
    "jwt-esc",
}
UNUSABLE = {
    "token-crlf": "not_b64token",
    "token-space": "not_b64token",
    "token-esc": "not_b64token",
    "token-long-esc": "not_b64token",
    "type-mac": "unsupported_token_type",
    "type-esc": "unsupported_token_type",
    "type-number": "unsupported_token_type",
    "expires-huge": "bad_expires_in",
    "expires-bigint": "bad_expires_in",
    "expires-negative": "bad_expires_in",
    "expires-zero": "bad_expires_in",
    "expires-junk": "bad_expires_in",
    "expires-nan-string": "bad_expires_in",
    "expires-inf-string": "bad_expires_in",
    "expires-bool": "bad_expires_in",
    "expires-list": "bad_expires_in",
}
BOUNDED = {"drip": "timeout", "slow-headers": "timeout", "endless": "body_too_large", "bomb": "body_too_large"}


def _profile(server: HostileServer, fault: str, deadline: float = 2.0) -> Profile:
    return Profile(
        name=fault,
        tenant="acme-sandbox",
        client_id="c",
        secret_source="s",
        token_url_override=server.token_url(fault),
        limits=Limits(deadline=deadline),
    )


@pytest.mark.parametrize("fault", sorted(set(TOKEN_FAULTS) | set(TRANSPORT_FAULTS)))
async def test_every_token_answer_is_a_token_or_one_clean_error(hostile: HostileServer, fault: str) -> None:
    started = time.monotonic()
    async with httpx.AsyncClient() as client:
        try:
            token = await fetch_token(client, _profile(hostile, fault), "s")
        except TokenError as exc:
            assert fault not in ACCEPTED, exc.one_line()
            assert_clean(exc.one_line())
            assert_clean(exc.description)
            if fault in UNUSABLE:
                assert isinstance(exc, UnusableTokenError) and exc.code == UNUSABLE[fault], exc.one_line()
                assert exc.exit_code == 2
            if fault in BOUNDED:
                assert exc.code == BOUNDED[fault], exc.one_line()
        else:
            assert fault in ACCEPTED, fault
            assert is_b64token(token.access_token)
            assert token.token_type.lower() == "bearer"
            assert token.issued_at < token.expires_at <= token.issued_at + 366 * 24 * 3600
            assert token.trace is not None and GOOD_TOKEN not in token.trace.response_body
    # The total deadline holds, whatever the server does (with room for a loaded machine).
    assert time.monotonic() - started < 10


async def test_the_server_text_is_shown_escaped(hostile: HostileServer) -> None:
    async with httpx.AsyncClient() as client:
        with pytest.raises(TokenError) as caught:
            await fetch_token(client, _profile(hostile, "error-esc"), "s")
    line = caught.value.one_line()
    assert "invalid_client\\x1b[31mred" in line and "\\x07" in line
    assert "X-Injected" in line and "\\r\\n" in line  # one line: the server's line break is shown, not made


async def test_a_drip_is_stopped_at_the_deadline(hostile: HostileServer) -> None:
    started = time.monotonic()
    async with httpx.AsyncClient() as client:
        with pytest.raises(TokenError, match="did not finish answering within 1 s"):
            await fetch_token(client, _profile(hostile, "drip", deadline=1.0), "s")
    assert time.monotonic() - started < 5
