"""Ready-made profiles for the demo tenants of a running sandbox: as plain dicts, or as a profiles file.

The sandbox's client secret is public test data, so unlike a real profile the file carries it literally.
"""

from __future__ import annotations

import json
from typing import Any

from explorer.sandbox.data import ALL_SCOPES, BUILTIN_CLIENTS, DEMO_CLIENT_ID, DEMO_SECRET
from explorer.sandbox.server import SandboxServer

# A profile on the sandbox tenant whose API client may only read: the catalogue marks what it cannot call, and
# a write answers 403 for the scope doctor to explain.
READ_ONLY_PROFILE = "demo-read-only"
DEMO_PROFILE_NAMES: tuple[str, ...] = ("demo-sandbox", READ_ONLY_PROFILE, "demo-staging", "demo")
_TENANTS = {READ_ONLY_PROFILE: "demo-sandbox"}


def _base_url(server: SandboxServer | str) -> str:
    # A plain base URL describes a sandbox that need not be running here (`explorer sandbox --print-profiles`).
    return server.rstrip("/") if isinstance(server, str) else server.base_url


def demo_profiles(server: SandboxServer | str) -> list[dict[str, Any]]:
    """One dict per demo profile: name, tenant, client_id, client_secret, auth_url, api_url, scopes, openapi."""
    base_url = _base_url(server)
    read_only = next(client for client in BUILTIN_CLIENTS if client.client_id == "read-only")
    profiles: list[dict[str, Any]] = []
    for name in DEMO_PROFILE_NAMES:
        tenant = _TENANTS.get(name, name)
        client = read_only if name == READ_ONLY_PROFILE else None
        profiles.append(
            {
                "name": name,
                "tenant": tenant,
                "client_id": client.client_id if client else DEMO_CLIENT_ID,
                "client_secret": client.secret if client else DEMO_SECRET,
                "auth_url": base_url,
                "api_url": f"{base_url}/api/{tenant}",
                "scopes": list(client.scopes if client else ALL_SCOPES),
                # The tenant API describes itself, so the catalogue works with no further setup.
                "openapi": f"{base_url}/api/{tenant}/openapi.json",
            }
        )
    return profiles


def _toml_value(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    # A JSON string of printable text is also a TOML basic string.
    return json.dumps(str(value))


def sandbox_profiles_toml(server: SandboxServer | str) -> str:
    """A profiles file (TOML) with the demo profiles `demo-sandbox` (the default), `demo-staging` and `demo`."""
    lines = [
        f"# Profiles for the explorer sandbox at {_base_url(server)}.",
        "# The client secret is the sandbox's public test secret, not a real credential.",
        f"default_profile = {_toml_value(DEMO_PROFILE_NAMES[0])}",
    ]
    for profile in demo_profiles(server):
        lines += ["", f"[profiles.{profile['name']}]"]
        lines += [f"{key} = {_toml_value(value)}" for key, value in profile.items() if key != "name"]
        client = "read-only test client" if profile["name"] == READ_ONLY_PROFILE else "public test client"
        description = f"Sandbox tenant {profile['tenant']} ({client})"
        lines.append(f"description = {_toml_value(description)}")
    return "\n".join(lines) + "\n"
