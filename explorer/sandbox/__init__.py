"""A stand-in for NewStore tenants and their Keycloak realms, on loopback, for the demo mode, tests and benchmarks.

    with SandboxServer() as server:
        auth_url, api_url = server.base_url, server.api_url_for("demo-sandbox")

Only the standard library and PyJWT (with cryptography) are used; see `docs/ARCHITECTURE.md` for the contract.
"""

from __future__ import annotations

from explorer.sandbox.data import (
    ALL_SCOPES,
    BUILTIN_CLIENTS,
    DEFAULT_TENANTS,
    DEMO_CLIENT_ID,
    DEMO_SECRET,
    SandboxClient,
)
from explorer.sandbox.keycloak import FAULT_REALMS
from explorer.sandbox.profiles import DEMO_PROFILE_NAMES, demo_profiles, sandbox_profiles_toml
from explorer.sandbox.server import LoggedRequest, SandboxServer

__all__ = [
    "ALL_SCOPES",
    "BUILTIN_CLIENTS",
    "DEFAULT_TENANTS",
    "DEMO_CLIENT_ID",
    "DEMO_PROFILE_NAMES",
    "DEMO_SECRET",
    "FAULT_REALMS",
    "LoggedRequest",
    "SandboxClient",
    "SandboxServer",
    "demo_profiles",
    "sandbox_profiles_toml",
]
