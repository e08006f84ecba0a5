"""One profile's working session: its token manager and an HTTP client. The CLI and the TUI both use it."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Awaitable, Callable, Mapping

import httpx

from explorer.core.auth import TokenManager
from explorer.core.bodyread import ACCEPT_ENCODING
from explorer.core.errors import SecretError
from explorer.core.http import PreparedRequest, Progress, ResponseRecord, prepare, send, variables_for
from explorer.core.model import RequestSpec
from explorer.core.profiles import Profile
from explorer.core.secrets import resolve_secret
from explorer.core.tokens import Clock, Token, TokenCache, TokenEvent

# Asked for a secret the profile cannot supply itself; gets the reason, returns the secret or None.
AsyncPrompt = Callable[[Profile, SecretError], Awaitable["str | None"]]


def make_client(*, verify: bool = True) -> httpx.AsyncClient:
    """The one HTTP client: keep-alive, no automatic redirects (users see what the API answered)."""
    limits = httpx.Limits(max_connections=50, max_keepalive_connections=20)
    # Only what explorer inflates itself, within the body cap (httpx would also offer br or zstd when their
    # packages happen to be installed, and inflate them without a bound). Reads time out after 30 s without
    # a byte; the total deadline of an exchange is the profile's.
    return httpx.AsyncClient(
        limits=limits,
        follow_redirects=False,
        verify=verify,
        timeout=httpx.Timeout(30.0),
        headers={"Accept-Encoding": ACCEPT_ENCODING},
    )


class Engine:
    def __init__(
        self,
        profile: Profile,
        client: httpx.AsyncClient,
        *,
        cache: TokenCache | None = None,
        clock: Clock = time.time,
        prompt: AsyncPrompt | None = None,
        on_event: Callable[[TokenEvent], None] | None = None,
        env: Mapping[str, str] | None = None,
        secret: str | None = None,
    ) -> None:
        self.profile = profile
        self.client = client
        self._prompt = prompt
        self._env = os.environ if env is None else env
        self._given_secret = secret
        self.tokens = TokenManager(profile, client, secret=self._secret, cache=cache, clock=clock, on_event=on_event)

    async def _secret(self) -> str:
        if self._given_secret:
            return self._given_secret
        try:
            # The keyring may block on D-Bus, so it never runs on the event loop.
            return await asyncio.to_thread(resolve_secret, self.profile, env=self._env)
        except SecretError as exc:
            if self._prompt is None:
                raise
            value = await self._prompt(self.profile, exc)
            if not value:
                raise SecretError(f"No client secret was entered for profile {self.profile.name!r}.") from None
            return value

    async def token(self, *, force: bool = False) -> Token:
        return await self.tokens.get_token(force=force)

    def variables(
        self, collection_vars: Mapping[str, str] | None = None, captured: Mapping[str, str] | None = None
    ) -> dict[str, str]:
        """This profile's `{{variables}}` with the collection's and the captured ones (see `variables_for`)."""
        return variables_for(self.profile, collection_vars, captured)

    def prepare(
        self,
        spec: RequestSpec,
        collection_vars: Mapping[str, str] | None = None,
        captured: Mapping[str, str] | None = None,
    ) -> PreparedRequest:
        return prepare(spec, self.variables(collection_vars, captured))

    async def send(
        self,
        spec: RequestSpec,
        collection_vars: Mapping[str, str] | None = None,
        *,
        captured: Mapping[str, str] | None = None,
        on_progress: Progress | None = None,
        timeout: float | None = None,
    ) -> ResponseRecord:
        prepared = self.prepare(spec, collection_vars, captured)
        return await self.send_prepared(prepared, on_progress=on_progress, timeout=timeout)

    async def send_prepared(
        self, prepared: PreparedRequest, *, on_progress: Progress | None = None, timeout: float | None = None
    ) -> ResponseRecord:
        """Send within the profile's limits: its total deadline (unless `timeout` is given) and body cap."""
        limits = self.profile.limits
        return await send(
            self.client,
            prepared,
            auth=self.tokens.auth(),
            timeout=timeout if timeout is not None else limits.deadline,
            max_body=limits.max_body,
            on_progress=on_progress,
        )
