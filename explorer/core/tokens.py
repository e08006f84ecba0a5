"""Access tokens: what the token endpoint granted, how long it lives, and what its (unverified) JWT says.

Also the token cache: memory plus one 0600 JSON file in the user's cache directory, keyed by token URL, client
id and scopes. It holds tokens, never secrets, and the trace of the exchange is never written to it.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from explorer.core.atomic import write_text_atomic
from explorer.core.errors import ExplorerError
from explorer.core.jsonlimits import loads_bounded
from explorer.core.safefile import MAX_TEXT_FILE, read_regular_file
from explorer.core.sanitize import is_b64token
from explorer.core.userpaths import path_from_env

Clock = Callable[[], float]

CACHE_VERSION = 1
# The longest a token is believed to live, whatever the server says (a year).
MAX_LIFETIME = 365 * 24 * 3600.0
# Below this much of its lifetime left, a token counts as "expiring soon" in the UI.
EXPIRING_SOON_FRACTION = 0.1


class TokenState(StrEnum):
    NONE = "none"
    FETCHING = "fetching"
    VALID = "valid"
    EXPIRING = "expiring soon"
    EXPIRED = "expired"
    ERROR = "error"


class TokenEventKind(StrEnum):
    """What the token manager did."""

    FETCHING = "fetching"
    FETCHED = "fetched"
    CACHED = "cached"  # a token from the cache file reused for the first time
    FAILED = "failed"
    FORGOTTEN = "forgotten"


class FetchReason(StrEnum):
    """Why the token manager fetched (or forgot) a token."""

    FIRST = "first"
    AHEAD_OF_EXPIRY = "ahead_of_expiry"
    EXPIRED = "expired"
    REJECTED = "rejected"
    MANUAL = "manual"


@dataclass(frozen=True)
class TokenEvent:
    """What the token manager did and why, for whoever shows token state."""

    kind: TokenEventKind
    reason: FetchReason
    token: Token | None = None
    error: ExplorerError | None = None


@dataclass(frozen=True)
class TokenTrace:
    """The token exchange with the secret and the token masked, for the details view."""

    method: str
    url: str
    request_headers: tuple[tuple[str, str], ...]
    request_body: str
    status: int
    response_headers: tuple[tuple[str, str], ...]
    response_body: str


@dataclass(frozen=True)
class Token:
    access_token: str
    token_type: str
    issued_at: float
    expires_at: float
    scopes: tuple[str, ...] = ()
    scope_source: str = "none"  # "response", "jwt" or "none"
    header: Mapping[str, Any] = field(default_factory=dict)
    claims: Mapping[str, Any] = field(default_factory=dict)
    latency: float = 0.0
    refresh_expires_in: int = 0
    not_before_policy: int = 0
    raw_response: Mapping[str, Any] = field(default_factory=dict, compare=False)
    trace: TokenTrace | None = field(default=None, compare=False)
    from_cache: bool = field(default=False, compare=False)
    warnings: tuple[str, ...] = ()

    @property
    def ttl(self) -> float:
        return max(0.0, self.expires_at - self.issued_at)

    @property
    def is_legacy(self) -> bool:
        """A client with no scopes at all: NewStore's "legacy" API clients."""
        return not self.scopes

    @property
    def is_jwt(self) -> bool:
        return bool(self.claims)

    @property
    def client_id(self) -> str:
        for key in ("client_id", "clientId", "azp"):
            value = self.claims.get(key)
            if isinstance(value, str) and value:
                return value
        return ""

    def remaining(self, now: float) -> float:
        return self.expires_at - now

    def state(self, now: float) -> TokenState:
        left = self.remaining(now)
        if left <= 0:
            return TokenState.EXPIRED
        if left <= max(self.ttl * EXPIRING_SOON_FRACTION, 30.0):
            return TokenState.EXPIRING
        return TokenState.VALID

    def masked(self) -> str:
        return mask_token(self.access_token)

    def without_trace(self) -> Token:
        return replace(self, trace=None)


def mask_token(token: str) -> str:
    """Enough of a token to tell two apart, never enough to use it."""
    if len(token) <= 12:
        return "•" * 8
    return f"{token[:6]}…{token[-4:]}"


SECRET_MASK = "••••••••"
SENSITIVE_HEADERS = frozenset({"authorization", "cookie", "set-cookie", "proxy-authorization", "x-api-key"})


def redact_header(name: str, value: str) -> str:
    """A header as it may be shown or recorded: a Bearer token masked, any other credential hidden whole."""
    if name.lower() not in SENSITIVE_HEADERS:
        return value
    scheme, _, credential = value.partition(" ")
    # A Bearer token keeps a few characters so two can be told apart; Basic carries the secret itself.
    if credential and scheme.lower() in ("bearer", "token"):
        return f"{scheme} {mask_token(credential)}"
    if credential and scheme.lower() == "basic":
        return f"{scheme} {SECRET_MASK}"
    return SECRET_MASK


def refetch_skew(ttl: float) -> float:
    """How long before expiry a token is replaced: a minute, or a tenth of a short lifetime."""
    return min(60.0, ttl * 0.1)


def needs_fetch(token: Token | None, now: float) -> bool:
    """Whether a new token must be fetched before a request: there is none, or it is within its skew of expiry.

    The one rule for the token manager and for `explorer token`'s cached fast path alike.
    """
    return token is None or token.remaining(now) <= refetch_skew(token.ttl)


def decode_jwt_unverified(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The JWT header and claims, not verified (we are the client, not the audience). Opaque → ({}, {})."""
    parts = token.split(".")
    if len(parts) != 3:
        return {}, {}
    try:
        header = loads_bounded(_b64url(parts[0]))
        claims = loads_bounded(_b64url(parts[1]))
    except ValueError:  # also base64 errors (binascii.Error) and UnicodeDecodeError
        return {}, {}
    if not isinstance(header, dict) or not isinstance(claims, dict):
        return {}, {}
    return header, claims


def _b64url(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def token_from_response(
    body: Mapping[str, Any], *, sent_at: float, received_at: float, trace: TokenTrace | None = None
) -> Token:
    """Build a Token from a successful token response. The caller checked `access_token` is a string."""
    access = str(body["access_token"])
    header, claims = decode_jwt_unverified(access)
    warnings: list[str] = []
    expires_in = _number(body.get("expires_in"))
    exp_claim = _number(claims.get("exp"))
    if expires_in is not None:
        # Measured from when the request was sent, so a slow answer never makes us think we have longer.
        expires_at = sent_at + expires_in
        if exp_claim is not None and abs(exp_claim - expires_at) > 120:
            warnings.append(
                f"expires_in says {int(expires_at - sent_at)} s but the JWT exp claim differs by "
                f"{int(exp_claim - expires_at)} s: check this machine's clock. Using the earlier of the two."
            )
            expires_at = min(expires_at, exp_claim)
    elif exp_claim is not None:
        expires_at = exp_claim
    else:
        expires_at = sent_at + 300
        warnings.append("The answer had no expires_in and the token no exp claim; assuming 5 minutes.")
    if expires_at > sent_at + MAX_LIFETIME:
        # A JWT claiming to last centuries: kept as a year, so every clock and countdown stays in range.
        expires_at = sent_at + MAX_LIFETIME
    scope_text = body.get("scope")
    if isinstance(scope_text, str) and scope_text.strip():
        scopes, source = tuple(scope_text.split()), "response"
    elif isinstance(claims.get("scope"), str) and claims["scope"].strip():
        scopes, source = tuple(claims["scope"].split()), "jwt"
    else:
        scopes, source = (), "none"
    issued_at = _number(claims.get("iat"))
    return Token(
        access_token=access,
        token_type=str(body.get("token_type") or "Bearer"),
        issued_at=sent_at if issued_at is None or abs(issued_at - sent_at) > 120 else issued_at,
        expires_at=expires_at,
        scopes=scopes,
        scope_source=source,
        header=header,
        claims=claims,
        latency=max(0.0, received_at - sent_at),
        refresh_expires_in=int(_number(body.get("refresh_expires_in")) or 0),
        not_before_policy=int(_number(body.get("not-before-policy")) or 0),
        raw_response={k: v for k, v in body.items() if k != "access_token"},
        trace=trace,
        warnings=tuple(warnings),
    )


def _number(value: object) -> float | None:
    """A finite number from a token response or claim; None for anything else (NaN, infinities, 10**400,
    booleans, text that is not a number), so no arithmetic on it can overflow."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = float(value)
    except (ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def cache_key(token_url: str, client_id: str, scopes: tuple[str, ...]) -> str:
    material = "\n".join([token_url, client_id, " ".join(sorted(scopes))])
    return hashlib.sha256(material.encode()).hexdigest()[:32]


CACHE_ENV = "EXPLORER_TOKEN_CACHE"


def token_cache_path() -> Path | None:
    """`EXPLORER_TOKEN_CACHE` (a file, or "off"), else tokens.json in the user cache dir."""
    return path_from_env(CACHE_ENV, "cache", "tokens.json")


class TokenCache:
    """Tokens by cache key, in memory and (when `path` is set) in a 0600 file. Thread-safe enough: one
    process writes whole files atomically, and a file that cannot be read counts as empty."""

    def __init__(self, path: Path | None, *, clock: Clock) -> None:
        self.path = path
        self._clock = clock
        self._memory: dict[str, Token] = {}

    def get(self, key: str, *, include_expired: bool = False) -> Token | None:
        """The cached token; an expired one only with `include_expired` (to tell "expired" from "never had one")."""
        token = self._memory.get(key)
        if token is None and self.path is not None:
            token = self._read_file().get(key)
            if token is not None:
                self._memory[key] = token
        if token is not None and not include_expired and token.remaining(self._clock()) <= 0:
            return None
        return token

    def put(self, key: str, token: Token) -> None:
        token = token.without_trace()
        self._memory[key] = token
        if self.path is None:
            return
        entries = self._read_file()
        now = self._clock()
        entries = {k: t for k, t in entries.items() if t.remaining(now) > 0}
        entries[key] = token
        self._write_file(entries)

    def forget(self, key: str | None = None) -> int:
        """Drop one entry, or all of them. Returns how many were dropped."""
        if key is None:
            dropped = len(self._memory | self._read_file())
            self._memory.clear()
            # Only a regular file is ours to delete: never a device or a directory the variable points at. A
            # link to the cache is emptied through the link, so the tokens do not live on in its target.
            if self.path is not None and self.path.is_symlink() and self.path.is_file():
                self._write_file({})
            elif self.path is not None and self.path.is_file():
                with contextlib.suppress(FileNotFoundError):
                    self.path.unlink()
            return dropped
        dropped = int(self._memory.pop(key, None) is not None)
        if self.path is not None:
            entries = self._read_file()
            if entries.pop(key, None) is not None:
                dropped = 1
                self._write_file(entries)
        return dropped

    def _read_file(self) -> dict[str, Token]:
        if self.path is None:
            return {}
        try:
            # Like any file a user can point us at, it may be a FIFO or /dev/zero; and a hand-edited one may hold
            # anything. What cannot be used counts as not cached.
            data = json.loads(read_regular_file(self.path, limit=MAX_TEXT_FILE))
        except (OSError, ValueError, RecursionError):
            return {}
        tokens = data.get("tokens") if isinstance(data, dict) and data.get("version") == CACHE_VERSION else None
        if not isinstance(tokens, dict):
            return {}
        entries: dict[str, Token] = {}
        for key, item in tokens.items():
            try:
                token = _token_from_cache(item)
            except (KeyError, TypeError, ValueError, OverflowError, AttributeError):
                continue
            if is_b64token(token.access_token) and math.isfinite(token.expires_at + token.issued_at):
                entries[key] = token
        return entries

    def _write_file(self, entries: dict[str, Token]) -> None:
        assert self.path is not None
        payload = {"version": CACHE_VERSION, "tokens": {k: _token_to_cache(t) for k, t in entries.items()}}
        try:
            write_text_atomic(self.path, json.dumps(payload, indent=1), mode=0o600)
        except OSError:
            # A cache that cannot be written costs a token fetch next time, nothing more.
            return
        if os.name == "posix":
            with contextlib.suppress(OSError):
                self.path.parent.chmod(0o700)


def _token_to_cache(token: Token) -> dict[str, Any]:
    return {
        "access_token": token.access_token,
        "token_type": token.token_type,
        "issued_at": token.issued_at,
        "expires_at": token.expires_at,
        "scopes": list(token.scopes),
        "scope_source": token.scope_source,
        "latency": token.latency,
        "refresh_expires_in": token.refresh_expires_in,
        "not_before_policy": token.not_before_policy,
        "raw_response": dict(token.raw_response),
    }


def _token_from_cache(item: Mapping[str, Any]) -> Token:
    header, claims = decode_jwt_unverified(str(item["access_token"]))
    return Token(
        access_token=str(item["access_token"]),
        token_type=str(item.get("token_type", "Bearer")),
        issued_at=float(item["issued_at"]),
        expires_at=float(item["expires_at"]),
        scopes=tuple(str(s) for s in item.get("scopes", [])),
        scope_source=str(item.get("scope_source", "none")),
        header=header,
        claims=claims,
        latency=float(item.get("latency", 0.0)),
        refresh_expires_in=int(item.get("refresh_expires_in", 0)),
        not_before_policy=int(item.get("not_before_policy", 0)),
        raw_response=dict(item.get("raw_response", {})),
        from_cache=True,
    )
