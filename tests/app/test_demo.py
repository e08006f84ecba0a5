"""The demo's profiles: one per stage of the sandbox, and a read-only client whose missing scopes show."""

from __future__ import annotations

import httpx

from explorer.app.demo import demo_profiles_config
from explorer.core.openapi.source import read_spec_bytes
from explorer.sandbox import SandboxServer


def test_the_demo_has_a_read_only_profile_that_cannot_call_everything(sandbox: SandboxServer) -> None:
    config, secrets = demo_profiles_config(sandbox)
    assert list(config.profiles) == ["demo-sandbox", "demo-read-only", "demo-staging", "demo"]
    reader = config.profiles["demo-read-only"]
    assert reader.tenant == "demo-sandbox" and reader.client_id == "read-only"
    assert reader.scopes and all(scope.endswith(":read") for scope in reader.scopes)
    assert "read scopes only" in reader.description
    # The sandbox grants it those scopes, and its API description names operations that need more.
    token_url = f"{reader.auth_url}/auth/realms/{reader.tenant}/protocol/openid-connect/token"
    form = {"grant_type": "client_credentials", "client_id": reader.client_id, "client_secret": secrets[reader.name]}
    granted = set(httpx.post(token_url, data=form).json()["scope"].split())
    assert granted == set(reader.scopes)
    catalogue = read_spec_bytes(httpx.get(reader.openapi).content, reader.openapi)
    missing = [op for op in catalogue.operations if set(op.scopes) - granted]
    assert any(op.method == "POST" and op.path == "/api/v1/customer/profiles" for op in missing)
