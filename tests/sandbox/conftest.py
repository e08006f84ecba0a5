"""Fixtures for the sandbox's own tests: an HTTP client, a server on a hand-moved clock, tokens in one line."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Protocol

import httpx
import pytest

from explorer.sandbox import DEMO_CLIENT_ID, DEMO_SECRET, SandboxServer


class TokenResponse(Protocol):
    def __call__(
        self,
        server: SandboxServer,
        tenant: str = ...,
        client_id: str = ...,
        secret: str = ...,
        **form: str,
    ) -> httpx.Response: ...


class GetToken(Protocol):
    def __call__(self, server: SandboxServer, tenant: str = ..., **kwargs: Any) -> str: ...


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10) as client:
        yield client


@pytest.fixture
def timed_sandbox(clock: Callable[[], float]) -> Iterator[SandboxServer]:
    """A sandbox whose time is the test's `clock`, without a rate limit."""
    with SandboxServer(clock=clock, rate_limit=None) as server:
        yield server


@pytest.fixture
def token_response(http: httpx.Client) -> TokenResponse:
    """POST a client-credentials request with the credentials in the form."""

    def post(
        server: SandboxServer,
        tenant: str = "demo-sandbox",
        client_id: str = DEMO_CLIENT_ID,
        secret: str = DEMO_SECRET,
        **form: str,
    ) -> httpx.Response:
        data = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret, **form}
        return http.post(server.token_url(tenant), data=data)

    return post


@pytest.fixture
def get_token(token_response: TokenResponse) -> GetToken:
    """An access token, failing the test when the sandbox refuses one."""

    def get(server: SandboxServer, tenant: str = "demo-sandbox", **kwargs: Any) -> str:
        response = token_response(server, tenant, **kwargs)
        assert response.status_code == 200, response.text
        token: str = response.json()["access_token"]
        return token

    return get
