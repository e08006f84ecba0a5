from __future__ import annotations

import base64
import json
import os
import stat
from pathlib import Path

from explorer.core.tokens import (
    Token,
    TokenCache,
    TokenState,
    cache_key,
    decode_jwt_unverified,
    mask_token,
    needs_fetch,
    refetch_skew,
    token_from_response,
)


def b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def jwt(claims: dict[str, object]) -> str:
    return f"{b64({'alg': 'RS256', 'typ': 'JWT', 'kid': 'k1'})}.{b64(claims)}.c2lnbmF0dXJl"


def test_decodes_claims_without_verifying() -> None:
    header, claims = decode_jwt_unverified(jwt({"clientId": "abc", "exp": 5}))
    assert header["kid"] == "k1"
    assert claims == {"clientId": "abc", "exp": 5}
    assert decode_jwt_unverified("opaque-token") == ({}, {})
    assert decode_jwt_unverified("a.b.c") == ({}, {})


def test_expiry_is_measured_from_when_the_request_was_sent() -> None:
    body = {
        "access_token": jwt({"exp": 1000 + 86400, "iat": 1000}),
        "expires_in": 86400,
        "scope": "a b",
        "refresh_expires_in": 0,
        "token_type": "Bearer",
        "not-before-policy": 0,
    }
    token = token_from_response(body, sent_at=1000.0, received_at=1000.25)
    assert token.expires_at == 1000 + 86400
    assert token.ttl == 86400
    assert token.latency == 0.25
    assert token.scopes == ("a", "b") and token.scope_source == "response"
    assert token.warnings == ()
    assert "access_token" not in token.raw_response


def test_scopes_fall_back_to_the_jwt_then_to_legacy() -> None:
    from_jwt = token_from_response({"access_token": jwt({"scope": "x y"}), "expires_in": 60}, sent_at=0, received_at=0)
    assert from_jwt.scopes == ("x", "y") and from_jwt.scope_source == "jwt"
    legacy = token_from_response(
        {"access_token": jwt({"clientId": "c"}), "expires_in": 60, "scope": ""}, sent_at=0, received_at=0
    )
    assert legacy.is_legacy and legacy.client_id == "c"


def test_disagreeing_exp_claim_warns_and_uses_the_earlier() -> None:
    body = {"access_token": jwt({"exp": 1000 + 600}), "expires_in": 86400}
    token = token_from_response(body, sent_at=1000.0, received_at=1000.0)
    assert token.expires_at == 1600
    assert token.warnings and "clock" in token.warnings[0]


def test_states_follow_the_clock() -> None:
    token = Token("t" * 40, "Bearer", issued_at=0, expires_at=1000)
    assert token.state(0) is TokenState.VALID
    assert token.state(950) is TokenState.EXPIRING
    assert token.state(1000) is TokenState.EXPIRED
    assert refetch_skew(86400) == 60 and refetch_skew(120) == 12


def test_a_fetch_is_needed_without_a_token_or_within_the_skew_of_expiry() -> None:
    token = Token("t", "Bearer", issued_at=0, expires_at=300)
    assert needs_fetch(None, 0)
    assert not needs_fetch(token, 0)
    assert not needs_fetch(token, 269.9)  # a tenth of a 300 s lifetime before expiry
    assert needs_fetch(token, 270)
    assert needs_fetch(token, 400)


def test_mask_never_shows_the_token() -> None:
    secret = "eyJhbGciOi" + "x" * 200 + "WXYZ"
    masked = mask_token(secret)
    assert len(masked) < 16 and masked.endswith("WXYZ")
    assert mask_token("short") == "••••••••"


def test_cache_file_is_0600_holds_no_trace_and_survives_restarts(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "tokens.json"
    now = [1000.0]
    cache = TokenCache(path, clock=lambda: now[0])
    key = cache_key("https://id/token", "client", ("b", "a"))
    assert key == cache_key("https://id/token", "client", ("a", "b"))
    token = token_from_response(
        {"access_token": jwt({"exp": 1300}), "expires_in": 300, "scope": "a b"}, sent_at=1000, received_at=1000
    )
    cache.put(key, token)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    text = path.read_text()
    assert "client_secret" not in text and "trace" not in text
    again = TokenCache(path, clock=lambda: now[0]).get(key)
    assert again is not None and again.from_cache and again.access_token == token.access_token
    assert again.claims == {"exp": 1300}
    now[0] = 1300.0
    assert TokenCache(path, clock=lambda: now[0]).get(key) is None
    now[0] = 1000.0
    assert cache.forget(key) == 1
    assert TokenCache(path, clock=lambda: now[0]).get(key) is None


def test_unreadable_cache_counts_as_empty(tmp_path: Path) -> None:
    path = tmp_path / "tokens.json"
    path.write_text("{ not json")
    assert TokenCache(path, clock=lambda: 0.0).get("k") is None
