"""Keeping a valid token: cache, single flight, re-fetch ahead of expiry, and the httpx Auth that uses it.

`TokenManager.get_token()` is safe to call from many concurrent requests: they share one fetch. `BearerAuth`
attaches the token and, when the API rejects it (401, or 403 while the token is expired or about to be, which is
how NewStore answers an expired token), replaces it once and retries once. It never loops.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator

import httpx

from explorer.core.errors import ExplorerError, TokenError, UnusableTokenError
from explorer.core.oauth import fetch_token
from explorer.core.profiles import Profile
from explorer.core.sanitize import is_b64token
from explorer.core.tokens import (
    Clock,
    FetchReason,
    Token,
    TokenCache,
    TokenEvent,
    TokenEventKind,
    needs_fetch,
    refetch_skew,
)

SecretSource = Callable[[], Awaitable[str]]
# Seconds the API's clock may run ahead of ours before it calls a token expired that we think is fine.
CLOCK_SKEW_TOLERANCE = 60.0


class TokenManager:
    """Gets and keeps the token of one profile."""

    def __init__(
        self,
        profile: Profile,
        client: httpx.AsyncClient,
        *,
        secret: SecretSource,
        cache: TokenCache | None = None,
        clock: Clock = time.time,
        on_event: Callable[[TokenEvent], None] | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.profile = profile
        self._client = client
        self._secret_source = secret
        self._secret: str | None = None
        self._clock = clock
        self.cache = cache if cache is not None else TokenCache(None, clock=clock)
        self.on_event = on_event
        self.timeout = timeout
        self.key = profile.cache_key
        self.fetches = 0
        self.last_error: ExplorerError | None = None
        self._lock = asyncio.Lock()
        self._auth: BearerAuth | None = None

    @property
    def token(self) -> Token | None:
        """The current token without fetching (None when there is none or it expired)."""
        return self.cache.get(self.key)

    def now(self) -> float:
        return self._clock()

    def needs_fetch(self, token: Token | None) -> bool:
        return needs_fetch(token, self._clock())

    async def get_token(self, *, force: bool = False) -> Token:
        """A token that is valid for a while yet; fetched only when needed, once for all waiting callers."""
        token = self.cache.get(self.key)
        if not force and not self.needs_fetch(token):
            assert token is not None
            return token
        async with self._lock:
            # Another caller may have fetched while we waited for the lock.
            token = self.cache.get(self.key)
            if not force and not self.needs_fetch(token):
                assert token is not None
                if token.from_cache and self.fetches == 0:
                    self._emit(TokenEvent(TokenEventKind.CACHED, FetchReason.FIRST, token=token))
                return token
            reason = FetchReason.MANUAL if force else self._reason(token)
            return await self._fetch(reason)

    async def replace_rejected(self, rejected: Token) -> Token:
        """A new token after the API refused `rejected`, unless a concurrent caller already replaced it."""
        async with self._lock:
            current = self.cache.get(self.key)
            if current is not None and current.access_token != rejected.access_token:
                return current
            return await self._fetch(FetchReason.REJECTED)

    def forget(self) -> None:
        """Drop the token from memory and the cache file, and the secret from memory."""
        self.cache.forget(self.key)
        self._secret = None
        self._emit(TokenEvent(TokenEventKind.FORGOTTEN, FetchReason.MANUAL))

    def auth(self) -> BearerAuth:
        """The httpx auth for this profile's requests: one for all of them. It keeps no state of its own (the
        token, the lock that makes concurrent requests share one fetch, the retry rule all live here)."""
        if self._auth is None:
            self._auth = BearerAuth(self)
        return self._auth

    def _reason(self, token: Token | None) -> FetchReason:
        if token is None:
            # The cache still holds a token that expired (fetched by us or by an earlier run), or none at all.
            expired = self.cache.get(self.key, include_expired=True) is not None
            return FetchReason.EXPIRED if expired else FetchReason.FIRST
        return FetchReason.AHEAD_OF_EXPIRY

    async def _fetch(self, reason: FetchReason) -> Token:
        self._emit(TokenEvent(TokenEventKind.FETCHING, reason))
        try:
            if self._secret is None:
                self._secret = await self._secret_source()
            token = await fetch_token(self._client, self.profile, self._secret, clock=self._clock, timeout=self.timeout)
        except ExplorerError as exc:
            if isinstance(exc, TokenError) and exc.code in ("unauthorized_client", "invalid_client"):
                # A wrong secret typed at a prompt should be asked for again, not reused.
                self._secret = None
            self.last_error = exc
            self._emit(TokenEvent(TokenEventKind.FAILED, reason, error=exc))
            raise
        self.fetches += 1
        self.last_error = None
        self.cache.put(self.key, token)
        self._emit(TokenEvent(TokenEventKind.FETCHED, reason, token=token))
        return token

    def _emit(self, event: TokenEvent) -> None:
        if self.on_event is not None:
            self.on_event(event)


class BearerAuth(httpx.Auth):
    """Attach `Authorization: Bearer …`, unless the request carries its own Authorization header."""

    def __init__(self, manager: TokenManager) -> None:
        self.manager = manager

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        raise RuntimeError("BearerAuth needs an httpx.AsyncClient")

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        if "authorization" in request.headers:
            yield request
            return
        token = await self.manager.get_token()
        request.headers["Authorization"] = _bearer(token)
        response = yield request
        if not self._rejected(response, token):
            return
        token = await self.manager.replace_rejected(token)
        request.headers["Authorization"] = _bearer(token)
        # httpx keeps the rejected answer in the final response's `history`: that is how a retry is told.
        yield request

    def _rejected(self, response: httpx.Response, token: Token) -> bool:
        if response.status_code == 401:
            return True
        if response.status_code == 403:
            # NewStore answers an expired token with 403; a 403 for a fresh token is about scopes.
            # "Near" allows for the server's clock running a little ahead of ours.
            left = token.remaining(self.manager.now())
            return left <= refetch_skew(token.ttl) + CLOCK_SKEW_TOLERANCE
        return False


def _bearer(token: Token) -> str:
    """The Authorization value, only ever for a token that is an RFC 6750 b64token: anything else could carry a
    line break and a second header of the server's choosing into the request."""
    if not is_b64token(token.access_token):
        raise UnusableTokenError(
            "The token holds characters a Bearer token cannot have; it was not sent.",
            code="not_b64token",
            hint="Fetch a new token (explorer token --fetch); if it happens again, check the token server.",
        )
    return f"Bearer {token.access_token}"
