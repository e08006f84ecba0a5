"""The sandbox's Keycloak realms: the token endpoint, its errors, the tokens it signs, discovery and keys."""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import quote_plus

import httpx
import jwt
import pytest

from explorer.sandbox import ALL_SCOPES, SandboxClient, SandboxServer
from explorer.sandbox.keycloak import subject_for

INVALID = "Invalid client or Invalid client credentials"


def basic(client_id: str, secret: str) -> dict[str, str]:
    pair = f"{quote_plus(client_id)}:{quote_plus(secret)}".encode()
    return {"Authorization": "Basic " + base64.b64encode(pair).decode("ascii")}


def test_client_secret_post_gets_a_keycloak_shaped_answer(sandbox: SandboxServer, token_response: Any) -> None:
    response = token_response(sandbox)

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["pragma"] == "no-cache"
    body = response.json()
    assert list(body) == [
        "access_token",
        "expires_in",
        "refresh_expires_in",
        "token_type",
        "not-before-policy",
        "scope",
    ]
    assert body["expires_in"] == 300
    assert body["refresh_expires_in"] == 0
    assert body["token_type"] == "Bearer"
    assert body["not-before-policy"] == 0
    assert body["scope"].split() == list(ALL_SCOPES)


def test_client_secret_basic_decodes_form_encoded_credentials(http: httpx.Client) -> None:
    client = SandboxClient("svc:reports@acme", "p@ss:wörd+/ %", ("orders:read",))
    with SandboxServer(clients=[client], rate_limit=None) as server:
        response = http.post(
            server.token_url("acme"),
            data={"grant_type": "client_credentials"},
            headers=basic(client.client_id, client.secret),
        )
        assert response.status_code == 200, response.text
        claims = jwt.decode(response.json()["access_token"], options={"verify_signature": False})
        assert claims["client_id"] == "svc:reports@acme"


def test_basic_auth_with_plain_credentials(sandbox: SandboxServer, http: httpx.Client) -> None:
    response = http.post(
        sandbox.token_url("demo"),
        data={"grant_type": "client_credentials"},
        headers=basic("explorer-demo", "demo-secret"),
    )
    assert response.status_code == 200


def test_requested_scopes_are_the_granted_ones(sandbox: SandboxServer, token_response: Any) -> None:
    response = token_response(sandbox, scope="orders:read  stores:read orders:read")

    assert response.json()["scope"] == "orders:read stores:read"
    claims = jwt.decode(response.json()["access_token"], options={"verify_signature": False})
    assert claims["scope"] == "orders:read stores:read"


def test_a_legacy_client_gets_no_scopes(sandbox: SandboxServer, token_response: Any) -> None:
    response = token_response(sandbox, client_id="legacy-client", secret="legacy-secret")

    assert response.status_code == 200
    assert response.json()["scope"] == ""
    claims = jwt.decode(response.json()["access_token"], options={"verify_signature": False})
    assert "scope" not in claims


@pytest.mark.parametrize(
    ("tenant", "form", "status", "body"),
    [
        pytest.param(
            "demo",
            {"grant_type": "password"},
            400,
            {"error": "unsupported_grant_type", "error_description": "Unsupported grant_type"},
            id="unsupported-grant",
        ),
        pytest.param(
            "demo",
            {"grant_type": ""},
            400,
            {"error": "invalid_request", "error_description": "Missing form parameter: grant_type"},
            id="missing-grant",
        ),
        pytest.param("nowhere", {}, 404, {"error": "Realm does not exist"}, id="unknown-realm"),
        pytest.param(
            "demo",
            {"client_id": "ghost"},
            401,
            {"error": "invalid_client", "error_description": INVALID},
            id="unknown-client",
        ),
        pytest.param(
            "demo",
            {"client_secret": "wrong"},
            401,
            {"error": "unauthorized_client", "error_description": INVALID},
            id="wrong-secret",
        ),
        pytest.param(
            "demo",
            {"client_id": "no-service-account", "client_secret": "nsa-secret"},
            401,
            {"error": "unauthorized_client", "error_description": "Client not enabled to retrieve service account"},
            id="service-accounts-disabled",
        ),
        pytest.param(
            "demo",
            {"scope": "orders:read admin:everything"},
            400,
            {"error": "invalid_scope", "error_description": "Invalid scopes: admin:everything"},
            id="invalid-scope",
        ),
        pytest.param(
            "demo",
            {"client_id": "legacy-client", "client_secret": "legacy-secret", "scope": "stores:read"},
            400,
            {"error": "invalid_scope", "error_description": "Invalid scopes: stores:read"},
            id="legacy-asks-scope",
        ),
        pytest.param(
            "demo",
            {"client_id": "", "client_secret": ""},
            401,
            {"error": "invalid_client", "error_description": INVALID},
            id="missing-credentials",
        ),
    ],
)
def test_token_errors_match_keycloak(
    sandbox: SandboxServer, http: httpx.Client, tenant: str, form: dict[str, str], status: int, body: dict[str, str]
) -> None:
    data = {"grant_type": "client_credentials", "client_id": "explorer-demo", "client_secret": "demo-secret", **form}
    response = http.post(sandbox.token_url(tenant), data=data)

    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    assert response.json() == body


def test_missing_form_fields_entirely(sandbox: SandboxServer, http: httpx.Client) -> None:
    response = http.post(sandbox.token_url("demo"), data={"grant_type": "client_credentials"})
    assert (response.status_code, response.json()["error"]) == (401, "invalid_client")


def test_a_json_body_is_not_a_form(sandbox: SandboxServer, http: httpx.Client) -> None:
    response = http.post(sandbox.token_url("demo"), json={"grant_type": "client_credentials"})
    assert (response.status_code, response.json()["error"]) == (400, "invalid_request")


def test_fault_realms_exist_whatever_the_tenants(http: httpx.Client) -> None:
    with SandboxServer(tenants=["only-one"], rate_limit=None) as server:
        html = http.post(server.token_url("broken-html"), data={"grant_type": "client_credentials"})
        text = http.post(server.token_url("broken-text"), data={"grant_type": "client_credentials"})
        no_token = http.post(server.token_url("broken-notoken"), data={"grant_type": "client_credentials"})

    assert html.status_code == 502
    assert html.headers["content-type"].startswith("text/html")
    assert "<html>" in html.text
    assert text.status_code == 200
    assert text.headers["content-type"].startswith("text/plain")
    with pytest.raises(ValueError):
        text.json()
    assert no_token.status_code == 200
    assert no_token.json() == {"token_type": "Bearer", "expires_in": 300}


def test_token_claims_and_signature(
    timed_sandbox: SandboxServer, get_token: Any, clock: Any, http: httpx.Client
) -> None:
    token = get_token(timed_sandbox, "acme-staging")
    jwks = http.get(f"{timed_sandbox.base_url}/auth/realms/acme-staging/protocol/openid-connect/certs").json()
    header = jwt.get_unverified_header(token)
    key = jwt.PyJWK(next(k for k in jwks["keys"] if k["kid"] == header["kid"]))

    claims = jwt.decode(
        token, key.key, algorithms=["RS256"], audience="account", options={"verify_exp": False, "verify_iat": False}
    )

    assert header == {"alg": "RS256", "kid": key.key_id, "typ": "JWT"}
    issued = int(clock())
    assert claims["iat"] == issued
    assert claims["exp"] == issued + 300
    assert claims["iss"] == f"{timed_sandbox.base_url}/auth/realms/acme-staging"
    assert claims["sub"] == subject_for("acme-staging", "explorer-demo")
    assert claims["typ"] == "Bearer"
    assert claims["azp"] == claims["clientId"] == claims["client_id"] == "explorer-demo"
    assert claims["clientHost"] == "127.0.0.1"
    assert claims["preferred_username"] == "service-account-explorer-demo"
    assert claims["email_verified"] is False
    assert claims["tenant"] == "acme-staging"
    assert claims["scope"].split() == list(ALL_SCOPES)
    assert len(claims["jti"]) == 36


def test_subject_is_stable_and_differs_by_realm() -> None:
    assert subject_for("demo", "explorer-demo") == subject_for("demo", "explorer-demo")
    assert subject_for("demo", "explorer-demo") != subject_for("acme", "explorer-demo")


def test_a_client_can_have_its_own_lifetime(sandbox: SandboxServer, token_response: Any) -> None:
    response = token_response(sandbox, client_id="short-lived", secret="short-secret")
    assert response.json()["expires_in"] == 5


def test_server_token_ttl_is_used(http: httpx.Client, token_response: Any) -> None:
    with SandboxServer(token_ttl=42, rate_limit=None) as server:
        assert token_response(server).json()["expires_in"] == 42


def test_discovery_document(sandbox: SandboxServer, http: httpx.Client) -> None:
    response = http.get(f"{sandbox.base_url}/auth/realms/demo/.well-known/openid-configuration")

    doc = response.json()
    assert doc["issuer"] == f"{sandbox.base_url}/auth/realms/demo"
    assert doc["token_endpoint"] == sandbox.token_url("demo")
    assert doc["jwks_uri"] == f"{sandbox.base_url}/auth/realms/demo/protocol/openid-connect/certs"
    assert doc["grant_types_supported"] == ["client_credentials"]
    assert doc["token_endpoint_auth_methods_supported"] == ["client_secret_post", "client_secret_basic"]


def test_jwks_publishes_the_rsa_key(sandbox: SandboxServer, http: httpx.Client) -> None:
    (jwk,) = http.get(f"{sandbox.base_url}/auth/realms/demo/protocol/openid-connect/certs").json()["keys"]

    assert {jwk["kty"], jwk["alg"], jwk["use"]} == {"RSA", "RS256", "sig"}
    n = int.from_bytes(base64.urlsafe_b64decode(jwk["n"] + "=" * (-len(jwk["n"]) % 4)), "big")
    e = int.from_bytes(base64.urlsafe_b64decode(jwk["e"] + "=="), "big")
    assert n.bit_length() == 2048
    assert e == 65537


def test_realm_routes_refuse_other_paths_and_methods(sandbox: SandboxServer, http: httpx.Client) -> None:
    assert http.get(sandbox.token_url("demo")).status_code == 405
    assert http.get(f"{sandbox.base_url}/auth/realms/demo/nope").status_code == 404
    assert http.get(f"{sandbox.base_url}/auth/realms/demo").json()["realm"] == "demo"


def test_token_requests_counts_every_hit(http: httpx.Client, token_response: Any) -> None:
    with SandboxServer(rate_limit=None) as server:
        token_response(server)
        token_response(server, secret="wrong")
        http.post(server.token_url("broken-html"))
        http.get(f"{server.base_url}/auth/realms/demo/.well-known/openid-configuration")

        assert server.token_requests == 3
        assert [entry.status for entry in server.request_log()] == [200, 401, 502, 200]
        server.reset_counters()
        assert server.token_requests == 0
