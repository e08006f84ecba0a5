"""The engine's token rules without sockets: httpx.MockTransport plays Keycloak and the API, and the auth flow is
also driven by hand, one yield at a time. (tests/integration/test_auth_flow.py checks the same rules against the
sandbox over loopback.)"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from urllib.parse import parse_qs

import httpx
import pytest

from explorer.core.auth import BearerAuth, TokenManager
from explorer.core.errors import TokenError
from explorer.core.http import prepare, send
from explorer.core.model import RequestSpec
from explorer.core.profiles import Profile
from explorer.core.tokens import FetchReason, TokenEvent, TokenEventKind
from tests.conftest import FakeClock

AUTH = "https://id.example.test"
TOKEN_URL = f"{AUTH}/auth/realms/acme-sandbox/protocol/openid-connect/token"
API = "https://api.example.test/v0/stores"
PROFILE = Profile(
    name="acme-sandbox",
    tenant="acme-sandbox",
    client_id="my-client",
    secret_source="s3cret",
    auth_url=AUTH,
    api_url_override="https://api.example.test",
)

Handler = Callable[[httpx.Request], Awaitable[httpx.Response]]


class FakeRealm:
    """A token endpoint handing out t1, t2, … (each living `ttl` seconds) and an API that accepts `accepted`."""

    def __init__(self, *, ttl: int = 300, delay: float = 0.0) -> None:
        self.ttl = ttl
        self.delay = delay
        self.issued: list[str] = []
        self.accepted: set[str] = set()
        self.api_calls: list[str] = []
        self.secret = "s3cret"
        self.secrets_given: list[str] = []

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        if str(request.url) == TOKEN_URL:
            form = parse_qs(request.content.decode())
            if self.delay:
                await asyncio.sleep(self.delay)  # concurrent callers pile up while the fetch is in flight
            if form.get("client_secret") != [self.secret]:
                return httpx.Response(401, json={"error": "unauthorized_client", "error_description": "bad secret"})
            token = f"t{len(self.issued) + 1}"
            self.issued.append(token)
            self.accepted = {token}
            return httpx.Response(200, json={"access_token": token, "expires_in": self.ttl, "token_type": "Bearer"})
        authorization = request.headers.get("authorization", "")
        self.api_calls.append(authorization)
        if authorization.removeprefix("Bearer ") in self.accepted or authorization == "Basic mine":
            return httpx.Response(200, json={"ok": True})
        return httpx.Response(401, json={"error": "rejected"})

    def reject_current(self) -> None:
        """The server stops accepting the token it handed out last (revoked, or its clock ran ahead)."""
        self.accepted = set()


def manager_for(
    realm: FakeRealm, clock: FakeClock, events: list[TokenEvent] | None = None, *, secrets: tuple[str, ...] = ()
) -> tuple[TokenManager, httpx.AsyncClient]:
    """A manager on a client whose transport is `realm`; its secret source hands out `secrets`, then the right one."""
    client = httpx.AsyncClient(transport=httpx.MockTransport(realm))
    queue = list(secrets)

    async def secret() -> str:
        value = queue.pop(0) if queue else realm.secret
        realm.secrets_given.append(value)
        return value

    on_event = events.append if events is not None else None
    return TokenManager(PROFILE, client, secret=secret, clock=clock, on_event=on_event), client


def api_request() -> httpx.Request:
    return httpx.Request("GET", API)


async def test_hand_driven_flow_attaches_the_token_and_retries_once_after_a_401(clock: FakeClock) -> None:
    realm = FakeRealm()
    manager, client = manager_for(realm, clock)
    async with client:
        flow = BearerAuth(manager).async_auth_flow(api_request())
        first = await flow.__anext__()
        assert first.headers["authorization"] == "Bearer t1"
        retry = await flow.asend(httpx.Response(401, request=first))
        assert retry.headers["authorization"] == "Bearer t2"
        with pytest.raises(StopAsyncIteration):
            # The retry was rejected too: the flow ends there, it never loops.
            await flow.asend(httpx.Response(401, request=retry))
    assert realm.issued == ["t1", "t2"]


async def test_hand_driven_flow_leaves_a_request_with_its_own_authorization_alone(clock: FakeClock) -> None:
    realm = FakeRealm()
    manager, client = manager_for(realm, clock)
    async with client:
        request = httpx.Request("GET", API, headers={"Authorization": "Basic mine"})
        flow = BearerAuth(manager).async_auth_flow(request)
        sent = await flow.__anext__()
        assert sent.headers["authorization"] == "Basic mine"
        with pytest.raises(StopAsyncIteration):
            await flow.asend(httpx.Response(401, request=sent))
    assert realm.issued == []


async def test_a_403_is_a_rejected_token_only_near_expiry(clock: FakeClock) -> None:
    realm = FakeRealm(ttl=3600)
    manager, client = manager_for(realm, clock)
    async with client:
        fresh = BearerAuth(manager).async_auth_flow(api_request())
        sent = await fresh.__anext__()
        with pytest.raises(StopAsyncIteration):
            await fresh.asend(httpx.Response(403, request=sent))  # a fresh token: the 403 is about scopes
        # 61 s before expiry the manager still uses t1, but the API's clock may be ahead: 403 means expired.
        clock.advance(3600 - 61)
        near = BearerAuth(manager).async_auth_flow(api_request())
        sent = await near.__anext__()
        assert sent.headers["authorization"] == "Bearer t1"
        retry = await near.asend(httpx.Response(403, request=sent))
        assert retry.headers["authorization"] == "Bearer t2"
    assert realm.issued == ["t1", "t2"]


async def test_send_401_refetch_retry_is_reported_from_the_response_history(clock: FakeClock) -> None:
    realm = FakeRealm()
    events: list[TokenEvent] = []
    manager, client = manager_for(realm, clock, events)
    spec = RequestSpec(name="stores", url=API)
    async with client:
        first = await send(client, prepare(spec, {}), auth=manager.auth())
        assert first.status == 200 and not first.retried_after_rejection
        realm.reject_current()
        second = await send(client, prepare(spec, {}), auth=manager.auth())
    assert second.status == 200 and second.retried_after_rejection
    assert second.request.token_attached
    assert realm.api_calls == ["Bearer t1", "Bearer t1", "Bearer t2"]
    fetched = [e.reason for e in events if e.kind is TokenEventKind.FETCHED]
    assert fetched == [FetchReason.FIRST, FetchReason.REJECTED]


async def test_concurrent_requests_share_one_fetch(clock: FakeClock) -> None:
    realm = FakeRealm(delay=0.05)
    manager, client = manager_for(realm, clock)
    async with client:
        tokens = await asyncio.gather(*(manager.get_token() for _ in range(20)))
    assert {t.access_token for t in tokens} == {"t1"}
    assert realm.issued == ["t1"] and manager.fetches == 1


async def test_concurrent_rejections_share_one_refetch(clock: FakeClock) -> None:
    realm = FakeRealm(delay=0.02)
    manager, client = manager_for(realm, clock)
    spec = RequestSpec(name="stores", url=API)
    # One auth for every request of the profile, concurrent ones included: its flows keep no state of their own.
    auth = manager.auth()
    assert manager.auth() is auth
    async with client:
        await manager.get_token()
        realm.reject_current()
        records = await asyncio.gather(*(send(client, prepare(spec, {}), auth=auth) for _ in range(10)))
    assert all(r.status == 200 and r.retried_after_rejection for r in records)
    assert realm.issued == ["t1", "t2"]


async def test_refetch_ahead_of_expiry_then_after_expiry(clock: FakeClock) -> None:
    realm = FakeRealm(ttl=300)
    events: list[TokenEvent] = []
    manager, client = manager_for(realm, clock, events)
    async with client:
        assert (await manager.get_token()).access_token == "t1"
        clock.advance(200)
        assert (await manager.get_token()).access_token == "t1"  # 100 s left, more than the 30 s skew
        clock.advance(71)
        assert (await manager.get_token()).access_token == "t2"  # 29 s left: replaced ahead of expiry
        clock.advance(400)
        assert (await manager.get_token()).access_token == "t3"
    reasons = [e.reason for e in events if e.kind is TokenEventKind.FETCHED]
    assert reasons == [FetchReason.FIRST, FetchReason.AHEAD_OF_EXPIRY, FetchReason.EXPIRED]


async def test_a_refused_secret_is_asked_for_again(clock: FakeClock) -> None:
    realm = FakeRealm()
    manager, client = manager_for(realm, clock, secrets=("typo",))
    async with client:
        with pytest.raises(TokenError) as caught:
            await manager.get_token()
        assert caught.value.code == "unauthorized_client"
        assert (await manager.get_token()).access_token == "t1"
    assert realm.secrets_given == ["typo", "s3cret"]


@pytest.mark.parametrize(
    ("status", "body", "code", "message"),
    [
        (401, {"error": "invalid_client"}, "invalid_client", "The client 'my-client' is unknown to 'acme-sandbox'"),
        (
            401,
            {"error": "unauthorized_client", "error_description": "Invalid client secret"},
            "unauthorized_client",
            "The client 'my-client' was refused a token on 'acme-sandbox'. The server said: Invalid client secret",
        ),
        (400, {"error": "invalid_scope"}, "invalid_scope", "The client 'my-client' may not have the scopes"),
        (400, {"error": "unsupported_grant_type"}, "unsupported_grant_type", "does not accept the client_credentials"),
        (404, {"error": "Realm does not exist"}, "unknown_realm", f"The realm 'acme-sandbox' does not exist on {AUTH}"),
        (400, {"error": "temporarily_unavailable"}, "temporarily_unavailable", "answered 400 temporarily_unavailable"),
        (500, {"message": "boom"}, "http_500", "The token endpoint answered 500 without an OAuth2 error code."),
    ],
)
async def test_token_errors_name_the_problem(status: int, body: dict[str, str], code: str, message: str) -> None:
    async def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=json.dumps(body).encode(), headers={"content-type": "application/json"})

    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))

    async def secret() -> str:
        return "s3cret"

    async with client:
        with pytest.raises(TokenError) as caught:
            await TokenManager(PROFILE, client, secret=secret).get_token()
    error = caught.value
    assert (error.code, error.status) == (code, status)
    assert message in error.message
    assert error.hint
