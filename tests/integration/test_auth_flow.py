"""Keeping a token valid: re-fetch ahead of expiry, after a rejection, single flight, never a loop."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import pytest

from explorer.core.auth import TokenManager
from explorer.core.engine import Engine
from explorer.core.model import RequestSpec
from explorer.core.profiles import Profile
from explorer.core.tokens import Token, TokenCache, TokenEvent
from explorer.sandbox import DEMO_CLIENT_ID, DEMO_SECRET, SandboxServer
from tests.conftest import FakeClock


@pytest.fixture
def server_clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def timed_sandbox(server_clock: FakeClock) -> Iterator[SandboxServer]:
    server = SandboxServer(port=0, token_ttl=300, rate_limit=None, clock=server_clock).start()
    yield server
    server.stop()


def demo_profile(server: SandboxServer, **changes: object) -> Profile:
    values: dict[str, object] = {
        "name": "demo-sandbox",
        "tenant": "demo-sandbox",
        "client_id": DEMO_CLIENT_ID,
        "secret_source": DEMO_SECRET,
        "auth_url": server.base_url,
        "api_url_override": server.api_url_for("demo-sandbox"),
    }
    values.update(changes)
    return Profile(**values)  # type: ignore[arg-type]


WHOAMI = RequestSpec(name="whoami", url="{{api_url}}/api/v1/whoami")


async def test_reuses_the_token_then_refetches_ahead_of_expiry(
    timed_sandbox: SandboxServer, server_clock: FakeClock, clock: FakeClock
) -> None:
    clock.now = server_clock.now
    events: list[TokenEvent] = []
    async with httpx.AsyncClient() as client:
        engine = Engine(demo_profile(timed_sandbox), client, clock=clock, on_event=events.append)
        first = await engine.send(WHOAMI)
        assert first.status == 200
        await engine.send(WHOAMI)
        assert engine.tokens.fetches == 1
        # 300 s lifetime, re-fetched 30 s ahead: at 275 s left it is still reused, at 25 s left it is replaced.
        clock.advance(25)
        server_clock.advance(25)
        await engine.send(WHOAMI)
        assert engine.tokens.fetches == 1
        clock.advance(250)
        server_clock.advance(250)
        again = await engine.send(WHOAMI)
        assert again.status == 200
        assert engine.tokens.fetches == 2
    fetched = [e.reason for e in events if e.kind == "fetched"]
    assert fetched == ["first", "ahead_of_expiry"]


async def test_403_for_a_token_the_api_calls_expired_refetches_once_and_retries(
    timed_sandbox: SandboxServer, server_clock: FakeClock, clock: FakeClock
) -> None:
    clock.now = server_clock.now
    events: list[TokenEvent] = []
    async with httpx.AsyncClient() as client:
        engine = Engine(demo_profile(timed_sandbox), client, clock=clock, on_event=events.append)
        await engine.token()
        # The API's clock runs ahead: it sees the token expired while we still think it has 50 s.
        clock.advance(250)
        server_clock.advance(301)
        response = await engine.send(WHOAMI)
    assert response.status == 200
    assert response.retried_after_rejection
    assert engine.tokens.fetches == 2
    assert [e.reason for e in events if e.kind == "fetched"] == ["first", "rejected"]


async def test_403_for_a_fresh_token_is_about_scopes_and_is_not_retried(timed_sandbox: SandboxServer) -> None:
    async with httpx.AsyncClient() as client:
        engine = Engine(demo_profile(timed_sandbox, scopes=("stores:read",)), client)
        response = await engine.send(RequestSpec(url="{{api_url}}/api/v1/orders"))
    assert response.status == 403
    assert not response.retried_after_rejection
    assert engine.tokens.fetches == 1
    assert "problem+json" in response.content_type


async def test_401_for_a_cached_token_the_api_does_not_know_refetches_once(timed_sandbox: SandboxServer) -> None:
    profile = demo_profile(timed_sandbox)
    cache = TokenCache(None, clock=lambda: 1_800_000_000.0)
    stale = Token("stale-token-from-another-server", "Bearer", issued_at=1_799_999_900, expires_at=1_800_086_400)
    cache.put(profile.cache_key, stale)
    before = timed_sandbox.token_requests
    async with httpx.AsyncClient() as client:
        engine = Engine(profile, client, cache=cache, clock=lambda: 1_800_000_000.0)
        response = await engine.send(WHOAMI)
    assert response.status == 200 and response.retried_after_rejection
    assert timed_sandbox.token_requests == before + 1


async def test_concurrent_requests_share_one_fetch(sandbox: SandboxServer) -> None:
    before = sandbox.token_requests
    async with httpx.AsyncClient() as client:
        engine = Engine(demo_profile(sandbox), client, cache=TokenCache(None, clock=lambda: __import__("time").time()))
        responses = await asyncio.gather(*(engine.send(WHOAMI) for _ in range(25)))
    assert {r.status for r in responses} == {200}
    assert sandbox.token_requests == before + 1
    assert engine.tokens.fetches == 1


async def test_concurrent_rejections_share_one_refetch(timed_sandbox: SandboxServer) -> None:
    profile = demo_profile(timed_sandbox)
    now = 1_800_000_000.0
    cache = TokenCache(None, clock=lambda: now)
    stale = Token("stale-token", "Bearer", issued_at=now - 10, expires_at=now + 86_400)
    cache.put(profile.cache_key, stale)
    before = timed_sandbox.token_requests
    async with httpx.AsyncClient() as client:
        engine = Engine(profile, client, cache=cache, clock=lambda: now)
        responses = await asyncio.gather(*(engine.send(WHOAMI) for _ in range(10)))
    assert {r.status for r in responses} == {200}
    assert timed_sandbox.token_requests == before + 1


async def test_a_request_with_its_own_authorization_header_keeps_it(sandbox: SandboxServer) -> None:
    async with httpx.AsyncClient() as client:
        engine = Engine(demo_profile(sandbox), client)
        spec = RequestSpec(url="{{api_url}}/api/v1/whoami", headers={"Authorization": "Bearer not-a-token"})
        response = await engine.send(spec)
    assert response.status == 401
    assert response.request.own_authorization
    assert not response.request.token_attached
    assert engine.tokens.fetches == 0


async def test_auth_off_sends_no_token(sandbox: SandboxServer) -> None:
    async with httpx.AsyncClient() as client:
        engine = Engine(demo_profile(sandbox), client)
        response = await engine.send(RequestSpec(url="{{api_url}}/api/v1/whoami", auth=False))
    assert response.status == 401
    assert "www-authenticate" in {k.lower() for k, _ in response.headers}
    assert engine.tokens.fetches == 0


async def test_never_loops_when_every_token_is_rejected() -> None:
    calls = {"token": 0, "api": 0}

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/token"):
            calls["token"] += 1
            return httpx.Response(200, json={"access_token": f"t{calls['token']}", "expires_in": 300})
        calls["api"] += 1
        return httpx.Response(401, json={"error": "nope"})

    profile = Profile(
        name="p",
        tenant="x",
        client_id="c",
        secret_source="s",
        auth_url="http://id.test",
        api_url_override="http://api.test",
    )
    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        engine = Engine(profile, client)
        response = await engine.send(WHOAMI)
    assert response.status == 401
    assert calls == {"token": 2, "api": 2}


async def test_the_file_cache_saves_a_fetch_across_runs(sandbox: SandboxServer, tmp_path: object) -> None:
    import pathlib
    import time

    assert isinstance(tmp_path, pathlib.Path)
    path = tmp_path / "tokens.json"
    before = sandbox.token_requests
    for _ in range(2):
        async with httpx.AsyncClient() as client:
            engine = Engine(demo_profile(sandbox), client, cache=TokenCache(path, clock=time.time))
            assert (await engine.send(WHOAMI)).status == 200
    assert sandbox.token_requests == before + 1
    assert DEMO_SECRET not in path.read_text()


async def test_manager_forget_drops_the_cached_token(sandbox: SandboxServer) -> None:
    import time

    async with httpx.AsyncClient() as client:
        manager = TokenManager(demo_profile(sandbox), client, secret=_secret, clock=time.time)
        await manager.get_token()
        assert manager.token is not None
        manager.forget()
        assert manager.token is None


async def _secret() -> str:
    return DEMO_SECRET


async def test_a_token_that_expired_in_the_cache_is_refetched_as_expired(sandbox: SandboxServer) -> None:
    profile = demo_profile(sandbox)
    now = [1_800_000_000.0]
    cache = TokenCache(None, clock=lambda: now[0])
    old = Token("old-token", "Bearer", issued_at=now[0] - 400, expires_at=now[0] - 100)
    cache.put(profile.cache_key, old)
    events: list[TokenEvent] = []
    async with httpx.AsyncClient() as client:
        engine = Engine(profile, client, cache=cache, clock=lambda: now[0], on_event=events.append)
        await engine.token()
    assert [e.reason for e in events if e.kind == "fetched"] == ["expired"]
