"""The sandbox describes its own API: valid OpenAPI 3.1 and Swagger 2.0, generated from its route table."""

from __future__ import annotations

import httpx
import pytest
from openapi_spec_validator import validate

from explorer.core.openapi.source import read_spec_bytes
from explorer.sandbox import SandboxServer
from explorer.sandbox.api import ROUTES


@pytest.mark.parametrize("name", ["openapi.json", "swagger.json"])
def test_descriptions_are_valid_and_list_every_route_with_its_scope(
    sandbox: SandboxServer, http: httpx.Client, name: str
) -> None:
    url = f"{sandbox.api_url_for('acme-sandbox')}/{name}"
    response = http.get(url)
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    validate(response.json())
    catalogue = read_spec_bytes(response.content, url)
    assert not catalogue.problems
    assert catalogue.servers == (sandbox.api_url_for("acme-sandbox"),)
    listed = {(op.method, op.path): op for op in catalogue.operations}
    assert set(listed) == {(route.method, route.pattern) for route in ROUTES}
    for route in ROUTES:
        op = listed[(route.method, route.pattern)]
        assert op.scopes == ((route.scope,) if route.scope else ())
        assert op.needs_auth == route.authenticated
        assert op.summary and op.tags
    flows = catalogue.schemes["keycloak"]
    assert flows.client_credentials and flows.token_url == sandbox.token_url("acme-sandbox")
    # A client that has this version is told so.
    again = http.get(url, headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


def test_a_missing_scope_is_named_in_the_bearer_challenge(
    sandbox: SandboxServer, http: httpx.Client, get_token
) -> None:  # type: ignore[no-untyped-def]
    token = get_token(sandbox, client_id="read-only", secret="read-only-secret")
    response = http.post(
        f"{sandbox.api_url_for('demo-sandbox')}/api/v1/taxes/preview",
        headers={"Authorization": f"Bearer {token}"},
        json={},
    )
    assert response.status_code == 403
    challenge = response.headers["www-authenticate"]
    assert 'error="insufficient_scope"' in challenge and 'scope="taxes:preview"' in challenge
