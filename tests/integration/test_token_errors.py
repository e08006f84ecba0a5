"""Every way a token request can fail, against the sandbox's Keycloak realms over loopback."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import httpx
import pytest

from explorer.core.errors import TokenError
from explorer.core.oauth import fetch_token
from explorer.core.profiles import Profile
from explorer.sandbox import DEMO_CLIENT_ID, DEMO_SECRET, SandboxServer


def profile(sandbox: SandboxServer, **changes: object) -> Profile:
    values: dict[str, object] = {
        "name": "t",
        "tenant": "demo-sandbox",
        "client_id": DEMO_CLIENT_ID,
        "auth_url": sandbox.base_url,
        "api_url_override": sandbox.api_url_for("demo-sandbox"),
    }
    values.update(changes)
    return Profile(**values)  # type: ignore[arg-type]


async def failure(p: Profile, secret: str = DEMO_SECRET, timeout: float = 5.0) -> TokenError:
    async with httpx.AsyncClient() as client:
        with pytest.raises(TokenError) as info:
            await fetch_token(client, p, secret, timeout=timeout)
    return info.value


async def test_post_and_basic_client_auth_both_get_tokens(sandbox: SandboxServer) -> None:
    async with httpx.AsyncClient() as client:
        for client_auth in ("post", "basic"):
            token = await fetch_token(client, profile(sandbox, client_auth=client_auth), DEMO_SECRET)
            assert token.token_type == "Bearer"
            assert token.client_id == DEMO_CLIENT_ID
            assert token.claims["preferred_username"] == f"service-account-{DEMO_CLIENT_ID}"
            assert token.scopes and token.scope_source == "response"
            assert token.trace is not None
            assert DEMO_SECRET not in token.trace.request_body + str(token.trace.request_headers)
            assert token.access_token not in token.trace.response_body


async def test_requested_scopes_are_granted(sandbox: SandboxServer) -> None:
    async with httpx.AsyncClient() as client:
        token = await fetch_token(client, profile(sandbox, scopes=("orders:read",)), DEMO_SECRET)
    assert token.scopes == ("orders:read",)


async def test_legacy_client_has_no_scopes(sandbox: SandboxServer) -> None:
    async with httpx.AsyncClient() as client:
        token = await fetch_token(client, profile(sandbox, client_id="legacy-client"), "legacy-secret")
    assert token.is_legacy and token.scope_source == "none"


async def test_wrong_secret(sandbox: SandboxServer) -> None:
    error = await failure(profile(sandbox), secret="wrong")
    assert (error.code, error.status) == ("unauthorized_client", 401)
    assert "secret is wrong" in error.hint


async def test_unknown_client(sandbox: SandboxServer) -> None:
    error = await failure(profile(sandbox, client_id="nobody"))
    assert (error.code, error.status) == ("invalid_client", 401)
    assert "'nobody'" in error.message


async def test_unknown_realm(sandbox: SandboxServer) -> None:
    error = await failure(profile(sandbox, tenant="nosuch-sandbox"))
    assert (error.code, error.status) == ("unknown_realm", 404)
    assert "'nosuch-sandbox' does not exist" in error.message
    assert "stage suffix" in error.hint


async def test_invalid_scope(sandbox: SandboxServer) -> None:
    error = await failure(profile(sandbox, scopes=("orders:read", "made:up")))
    assert error.code == "invalid_scope"
    assert "orders:read made:up" in error.hint


async def test_service_accounts_disabled(sandbox: SandboxServer) -> None:
    error = await failure(profile(sandbox, client_id="no-service-account"), secret="nsa-secret")
    assert error.code == "unauthorized_client"
    assert "service account" in error.message  # the server's own description is shown
    assert "service accounts" in error.hint


async def test_unsupported_grant_type(sandbox: SandboxServer) -> None:
    # The grant type is fixed in explorer, so send a wrong one by hand and map the answer.
    from explorer.core.oauth import token_error_for

    p = profile(sandbox)
    async with httpx.AsyncClient() as client:
        response = await client.post(p.token_url, data={"grant_type": "password", "client_id": DEMO_CLIENT_ID})
    error = token_error_for(p, response, response.json())
    assert error.code == "unsupported_grant_type"


@pytest.mark.parametrize(
    ("tenant", "code"),
    [("broken-html", "html_response"), ("broken-text", "not_json"), ("broken-notoken", "no_access_token")],
)
async def test_broken_token_endpoints(sandbox: SandboxServer, tenant: str, code: str) -> None:
    error = await failure(profile(sandbox, tenant=tenant))
    assert error.code == code
    assert error.hint


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_connection_refused() -> None:
    p = Profile(name="t", tenant="x", client_id="c", auth_url=f"http://127.0.0.1:{free_port()}")
    error = await failure(p)
    assert error.code == "connection_refused"
    assert "is it running" in error.hint


async def test_dns_failure() -> None:
    p = Profile(name="t", tenant="x", client_id="c", auth_url="http://no-such-host.invalid")
    error = await failure(p)
    assert error.code == "dns"
    assert "no-such-host.invalid" in error.message


@pytest.fixture
def silent_server() -> Iterator[int]:
    """Accepts connections and never answers: a time-out, or a failed TLS handshake."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    stop = threading.Event()
    held: list[socket.socket] = []

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            held.append(conn)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield int(listener.getsockname()[1])
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    listener.close()


async def test_time_out(silent_server: int) -> None:
    p = Profile(name="t", tenant="x", client_id="c", auth_url=f"http://127.0.0.1:{silent_server}")
    error = await failure(p, timeout=0.3)
    assert error.code == "timeout"


async def test_tls_failure(sandbox: SandboxServer) -> None:
    # https to a plain-HTTP port: the handshake fails.
    p = profile(sandbox, auth_url=sandbox.base_url.replace("http://", "https://"))
    error = await failure(p)
    assert error.code == "tls", error.message
