"""The sandbox tenant API's gate: bearer tokens, expiry, scopes, legacy clients, the rate limit, routing."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from explorer.sandbox import SandboxServer


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert set(body) >= {"type", "title", "status", "detail"}
    assert body["status"] == status
    return body


@pytest.mark.parametrize(
    "authorization",
    [None, "Basic ZXhwbG9yZXItZGVtbzpkZW1vLXNlY3JldA==", "Bearer", "Bearer not-a-jwt", "Bearer a.b.c"],
)
def test_requests_without_a_usable_token_get_401(
    sandbox: SandboxServer, http: httpx.Client, authorization: str | None
) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    response = http.get(f"{sandbox.api_url_for('demo')}/api/v1/whoami", headers=headers)

    assert_problem(response, 401)
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_a_token_signed_by_another_key_gets_401(sandbox: SandboxServer, http: httpx.Client, get_token: Any) -> None:
    with SandboxServer(rate_limit=None) as other:
        foreign = get_token(other, "demo")
    response = http.get(f"{sandbox.api_url_for('demo')}/api/v1/whoami", headers=bearer(foreign))

    assert "not valid" in assert_problem(response, 401)["detail"]


def test_a_token_of_another_tenant_gets_401(sandbox: SandboxServer, http: httpx.Client, get_token: Any) -> None:
    token = get_token(sandbox, "acme-sandbox")
    response = http.get(f"{sandbox.api_url_for('acme')}/api/v1/whoami", headers=bearer(token))

    assert "acme-sandbox" in assert_problem(response, 401)["detail"]


def test_an_expired_token_gets_403(
    timed_sandbox: SandboxServer, http: httpx.Client, get_token: Any, clock: Any
) -> None:
    token = get_token(timed_sandbox)
    url = f"{timed_sandbox.api_url_for('demo-sandbox')}/api/v1/whoami"
    clock.advance(299)
    assert http.get(url, headers=bearer(token)).status_code == 200

    clock.advance(1)
    body = assert_problem(http.get(url, headers=bearer(token)), 403)

    assert body["title"] == "Forbidden"
    assert "expired" in body["detail"]


def test_whoami_echoes_the_token(timed_sandbox: SandboxServer, http: httpx.Client, get_token: Any, clock: Any) -> None:
    token = get_token(timed_sandbox, client_id="short-lived", secret="short-secret", scope="orders:read")
    clock.advance(2)
    body = http.get(f"{timed_sandbox.api_url_for('demo-sandbox')}/api/v1/whoami", headers=bearer(token)).json()

    assert body["client_id"] == "short-lived"
    assert body["tenant"] == "demo-sandbox"
    assert body["scopes"] == ["orders:read"]
    assert body["legacy"] is False
    assert body["expires_in"] == 3


def test_a_missing_scope_gets_403_naming_it(sandbox: SandboxServer, http: httpx.Client, get_token: Any) -> None:
    token = get_token(sandbox, "demo", scope="stores:read")
    response = http.get(f"{sandbox.api_url_for('demo')}/api/v1/orders", headers=bearer(token))

    body = assert_problem(response, 403)
    assert body["required_scope"] == "orders:read"
    assert "orders:read" in body["detail"]


def test_a_read_only_client_cannot_write(sandbox: SandboxServer, http: httpx.Client, get_token: Any) -> None:
    token = get_token(sandbox, "demo", client_id="read-only", secret="read-only-secret")
    response = http.post(
        f"{sandbox.api_url_for('demo')}/api/v1/customer/profiles", json={"email": "a@b.co"}, headers=bearer(token)
    )
    assert assert_problem(response, 403)["required_scope"] == "customer:profile:write"


def test_legacy_clients_may_call_v0_only(sandbox: SandboxServer, http: httpx.Client, get_token: Any) -> None:
    token = get_token(sandbox, "demo", client_id="legacy-client", secret="legacy-secret")
    api = sandbox.api_url_for("demo")

    assert http.get(f"{api}/v0/stores", headers=bearer(token)).status_code == 200
    assert http.get(f"{api}/v0/stores/store-002", headers=bearer(token)).status_code == 200
    assert http.get(f"{api}/v0/catalog/export?size_kb=2", headers=bearer(token)).status_code == 200
    assert http.get(f"{api}/api/v1/whoami", headers=bearer(token)).json()["legacy"] is True
    body = assert_problem(http.get(f"{api}/api/v1/orders", headers=bearer(token)), 403)
    assert "legacy" in body["detail"]
    assert_problem(http.get(f"{api}/api/v1/catalog/export", headers=bearer(token)), 403)


def test_scoped_clients_need_the_scope_on_v0_too(sandbox: SandboxServer, http: httpx.Client, get_token: Any) -> None:
    token = get_token(sandbox, "demo", scope="orders:read")
    response = http.get(f"{sandbox.api_url_for('demo')}/v0/stores", headers=bearer(token))
    assert assert_problem(response, 403)["required_scope"] == "stores:read"


def test_the_rate_limit_answers_429_with_retry_after(http: httpx.Client, get_token: Any, clock: Any) -> None:
    with SandboxServer(rate_limit=2.0, clock=clock) as server:  # bursts of 4
        token = get_token(server, "demo")
        url = f"{server.api_url_for('demo')}/api/v1/whoami"
        statuses = [http.get(url, headers=bearer(token)).status_code for _ in range(4)]
        limited = http.get(url, headers=bearer(token))
        other_client = get_token(server, "demo", client_id="read-only", secret="read-only-secret")
        other = http.get(url, headers=bearer(other_client))
        clock.advance(0.5)
        after_wait = http.get(url, headers=bearer(token))

    assert statuses == [200, 200, 200, 200]
    assert_problem(limited, 429)
    assert limited.headers["retry-after"] == "1"
    assert other.status_code == 200
    assert after_wait.status_code == 200


def test_the_rate_limit_can_be_off(sandbox: SandboxServer, http: httpx.Client, get_token: Any) -> None:
    token = get_token(sandbox, "demo")
    url = f"{sandbox.api_url_for('demo')}/health"
    assert {http.get(url, headers=bearer(token)).status_code for _ in range(30)} == {200}


def test_routing_errors_are_problems(sandbox: SandboxServer, http: httpx.Client, get_token: Any) -> None:
    token = get_token(sandbox, "demo")
    api = sandbox.api_url_for("demo")

    assert_problem(http.get(f"{api}/api/v1/nothing-here", headers=bearer(token)), 404)
    assert_problem(http.get(f"{sandbox.base_url}/api/no-such-tenant/api/v1/whoami", headers=bearer(token)), 404)
    assert_problem(http.get(f"{sandbox.base_url}/elsewhere"), 404)
    wrong_method = http.delete(f"{api}/api/v1/orders", headers=bearer(token))
    assert_problem(wrong_method, 405)
    assert wrong_method.headers["allow"] == "GET"
    both = http.put(f"{api}/api/v1/customer/profiles", headers=bearer(token))
    assert both.headers["allow"] == "GET, POST"


def test_health_needs_no_token(sandbox: SandboxServer, http: httpx.Client) -> None:
    response = http.get(f"{sandbox.api_url_for('acme')}/health")
    assert response.json()["status"] == "ok"
