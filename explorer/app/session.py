"""The app's working state below the widgets: profiles, one Engine per profile, the shared HTTP client, the cache.

No Textual here. The session owns what happens below the screens: which profile is active (and, before it has
started, which one it will open), the actions that wait for it to start, the offered profiles (the demo's), when
to renew a token, and the prepare → confirm-on-production → send pipeline (`plan_send`, `plan_replay`). The
screen asks it and renders what it says; token events come back through `on_event(profile_name, event)`, called
on the event loop in the task that caused them.

The engine and httpx are imported when the session opens (in the thread that builds the HTTP client) or when
the first engine is made, not with this module: the app's first frame does not wait for them.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from explorer.app.sending import ReplayPlan, SendPlan, replay_confirmation, send_confirmation
from explorer.core.compat import preload_anyio_backend
from explorer.core.model import Collection, RequestSpec
from explorer.core.profiles import Profile, ProfilesConfig
from explorer.core.tokens import Clock, Token, TokenCache

if TYPE_CHECKING:
    import httpx

    from explorer.core.engine import AsyncPrompt, Engine
    from explorer.core.tokens import TokenEvent


def _make_client() -> httpx.AsyncClient:
    from explorer.core.engine import make_client

    return make_client()


def _make_client_and_load_backend() -> httpx.AsyncClient:
    client = _make_client()
    preload_anyio_backend()
    return client


class BackgroundFileCache(TokenCache):
    """A token cache that answers from memory and writes its file on a background thread.

    The engine stores a fresh token while it runs on the event loop; writing the 0600 file there (with its
    fsync) could stall a frame, so the write is queued on one thread, in order. `preload` reads the file once,
    before the app starts.
    """

    def __init__(self, path: Path, *, clock: Clock) -> None:
        super().__init__(None, clock=clock)
        self.file = TokenCache(path, clock=clock)
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="token-cache")
        self._pending: list[Future[object]] = []

    def preload(self, keys: list[str]) -> None:
        for key in keys:
            # Expired ones too: the engine tells a re-fetch after expiry from a first fetch by them.
            token = self.file.get(key, include_expired=True)
            if token is not None:
                super().put(key, token)

    def put(self, key: str, token: Token) -> None:
        super().put(key, token)
        self._submit(lambda: self.file.put(key, token))

    def forget(self, key: str | None = None) -> int:
        dropped = super().forget(key)
        self._submit(lambda: self.file.forget(key))
        return dropped

    def close(self) -> None:
        """Wait for queued writes (blocking: call from a thread or after the app stopped)."""
        self._writer.shutdown(wait=True)

    def _submit(self, write: Callable[[], object]) -> None:
        self._pending = [f for f in self._pending if not f.done()]
        self._pending.append(self._writer.submit(write))


class Session:
    """The profiles and their engines. Engines share one HTTP client and one token cache."""

    def __init__(
        self,
        profiles: ProfilesConfig,
        *,
        cache: TokenCache,
        clock: Clock = time.time,
        prompt: AsyncPrompt | None = None,
        on_event: Callable[[str, TokenEvent], None] | None = None,
        secrets: Mapping[str, str] | None = None,
        auto_refresh: bool = True,
    ) -> None:
        self.profiles = profiles
        self.cache = cache
        self.clock = clock
        self.prompt = prompt
        self.on_event = on_event
        self._secrets: dict[str, str] = dict(secrets or {})
        self._engines: dict[str, Engine] = {}
        self.captured: dict[str, str] = {}
        """Values taken from answers (`[requests.capture]`, or by hand from a body): `{{name}}` for later sends."""
        self._client: httpx.AsyncClient | None = None
        self.active: Profile | None = None
        # Renew the active token shortly before it expires (once one was fetched in this session).
        self.renew_tokens = auto_refresh
        # Profiles whose token the user forgot: not renewed until they fetch one or send a request.
        self._forgotten: set[str] = set()
        # False until `start` has opened the client. Until then `previewed` is the profile it will open, and
        # what needs an engine waits in `_waiting`.
        self.ready = False
        self.previewed: Profile | None = None
        self._waiting: list[Callable[[], object]] = []
        self._offered: tuple[ProfilesConfig, dict[str, str] | None] | None = None

    @property
    def client(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = _make_client()
        return self._client

    async def open(self) -> None:
        """Create the HTTP client in a thread: importing httpx and loading the CA certificates take a moment."""
        if self._client is None:
            client = await asyncio.to_thread(_make_client_and_load_backend)
            if self._client is None:
                self._client = client
            else:
                await client.aclose()

    # -- start-up ------------------------------------------------------------------------------------------

    def when_ready(self, action: Callable[[], object]) -> bool:
        """While the session starts, keep `action` (it needs an engine) to run once it has; True when kept."""
        if self.ready:
            return False
        self._waiting.append(action)
        return True

    def mark_ready(self) -> list[Callable[[], object]]:
        """The session has started: no more previewing; returns the actions that waited, in order."""
        self.ready = True
        self.previewed = None
        waiting, self._waiting = self._waiting, []
        return waiting

    def preview(self, wanted: str | None) -> Profile | None:
        """Before the start: the profile the session will open (shown with its cached token meanwhile)."""
        name = self.default_profile_name(wanted)
        self.previewed = self.profiles.profiles[name] if name is not None else None
        return self.previewed

    def offer(self, profiles: ProfilesConfig, secrets: dict[str, str] | None = None) -> None:
        """Profiles from elsewhere (the demo's, once its sandbox runs), shown once the session is ready."""
        self._offered = (profiles, secrets)

    def has_offer(self) -> bool:
        """Whether profiles were offered and not yet taken."""
        return self._offered is not None

    def take_offered(self) -> tuple[ProfilesConfig, dict[str, str] | None] | None:
        offered, self._offered = self._offered, None
        return offered

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    # -- profiles ------------------------------------------------------------------------------------------

    def use_profiles(
        self, profiles: ProfilesConfig, secrets: Mapping[str, str] | None = None, *, wanted: str | None = None
    ) -> tuple[str | None, str | None]:
        """Take a set of profiles; returns the one to open (or None) and, when `wanted` is unknown, why."""
        if secrets is not None or profiles is not self.profiles:
            self.replace_profiles(profiles, secrets)
        problem = None
        if wanted and wanted not in profiles.profiles:
            known = ", ".join(profiles.profiles) or "none"
            problem = f"There is no profile named {wanted!r}. Known: {known}."
        return self.default_profile_name(wanted), problem

    def secrets(self) -> dict[str, str]:
        """The secrets held in memory by profile (the demo's, and those typed in the profile form)."""
        return dict(self._secrets)

    def known_secret(self, name: str) -> str:
        """The secret held in memory for a profile, or ""."""
        return self._secrets.get(name, "")

    def replace_profiles(self, profiles: ProfilesConfig, secrets: Mapping[str, str] | None = None) -> None:
        """New profiles (the demo's, once its sandbox runs); engines of the old ones are dropped."""
        self.profiles = profiles
        self._secrets = dict(secrets or {})
        self._engines.clear()
        self.active = None

    def engine(self, name: str) -> Engine:
        """The named profile's engine, created on first use and kept, with its token state, for the session."""
        engine = self._engines.get(name)
        if engine is None:
            from explorer.core.engine import Engine

            profile = self.profiles.profiles[name]
            engine = Engine(
                profile,
                self.client,
                cache=self.cache,
                clock=self.clock,
                prompt=self.prompt,
                on_event=lambda event: self._emit(name, event),
                secret=self._secrets.get(name),
            )
            self._engines[name] = engine
        return engine

    @property
    def active_engine(self) -> Engine | None:
        return self.engine(self.active.name) if self.active is not None else None

    def activate(self, name: str) -> Engine:
        engine = self.engine(name)
        self.active = engine.profile
        return engine

    @property
    def shown_profile(self) -> Profile | None:
        """The active profile, or before the session has started, the one it will open."""
        return self.active if self.active is not None else self.previewed

    def shown_token(self) -> Token | None:
        """The token of the shown profile: its engine's, or before the start, the cached one."""
        engine = self.active_engine
        if engine is not None:
            return engine.tokens.token
        previewed = self.previewed
        return self.cached_token(previewed) if previewed is not None else None

    @property
    def token_failed(self) -> bool:
        """Whether the active profile's last token fetch failed."""
        engine = self.active_engine
        return engine is not None and engine.tokens.last_error is not None

    def engine_to_renew(self) -> Engine | None:
        """The active engine when its token is due for renewal: auto-refresh on, a token fetched in this
        session, no failed fetch since, and the token about to expire."""
        engine = self.active_engine
        if not self.renew_tokens or engine is None:
            return None
        manager = engine.tokens
        if manager.fetches == 0 or manager.last_error is not None or engine.profile.name in self._forgotten:
            return None
        return engine if manager.needs_fetch(manager.token) else None

    def forget_token(self, engine: Engine) -> None:
        """Drop the engine's token and secret; it stays without one until the user fetches or sends."""
        self._forgotten.add(engine.profile.name)
        engine.tokens.forget()

    def token_wanted(self, engine: Engine) -> None:
        """The user asked for a token (a fetch, a send): renewal resumes."""
        self._forgotten.discard(engine.profile.name)

    # -- sending -------------------------------------------------------------------------------------------

    def plan_send(self, spec: RequestSpec, variables: Mapping[str, str]) -> SendPlan | None:
        """Check `spec` before sending it with the active profile (None: there is none).

        `variables` are the collection's; the values captured this session come on top of the profile's.

        Raises the `ExplorerError` of an unknown variable or a missing URL: nothing is asked or sent then.
        """
        engine = self.active_engine
        if engine is None:
            return None
        engine.prepare(spec, variables, self.captured)
        self.token_wanted(engine)
        return SendPlan(engine, spec, dict(variables), send_confirmation(engine.profile, spec), dict(self.captured))

    def plan_replay(self, collection: Collection, folder: str | None) -> ReplayPlan | None:
        """The requests to replay with the active profile (None: there is none). Raises for an unknown folder."""
        # Imported here: replays are rare, start-ups are not.
        from explorer.core.runner import select

        engine = self.active_engine
        if engine is None:
            return None
        requests = select(collection, folder=folder or "")
        return ReplayPlan(engine, requests, replay_confirmation(engine.profile, requests))

    def default_profile_name(self, wanted: str | None) -> str | None:
        """The profile to open with: the one asked for, else the file's default, else the only one."""
        names = list(self.profiles.profiles)
        for candidate in (wanted, self.profiles.default_profile):
            if candidate and candidate in self.profiles.profiles:
                return candidate
        return names[0] if len(names) == 1 else None

    def cache_keys(self) -> list[str]:
        return [p.cache_key for p in self.profiles.profiles.values()]

    def cached_token(self, profile: Profile) -> Token | None:
        """The profile's token in the cache, if it is still good (what its engine will start with)."""
        return self.cache.get(profile.cache_key)

    def _emit(self, name: str, event: TokenEvent) -> None:
        if self.on_event is not None:
            self.on_event(name, event)
