"""Ready-made profiles for the demo tenants of a running sandbox: as plain dicts, or as a profiles file.

The sandbox's client secret is public test data, so unlike a real profile the file carries it literally.
"""

from __future__ import annotations

import json
from typing import Any

from explorer.sandbox.data import ALL_SCOPES, DEMO_CLIENT_ID, DEMO_SECRET
from explorer.sandbox.server import SandboxServer

DEMO_PROFILE_NAMES: tuple[str, ...] = ("demo-sandbox", "demo-staging", "demo")


def _base_url(server: SandboxServer | str) -> str:
    # A plain base URL describes a sandbox that need not be running here (`explorer sandbox --print-profiles`).
    return server.rstrip("/") if isinstance(server, str) else server.base_url


def demo_profiles(server: SandboxServer | str) -> list[dict[str, Any]]:
    """One dict per demo profile: name, tenant, client_id, client_secret, auth_url, api_url, scopes, openapi."""
    base_url = _base_url(server)
    return [
        {
            "name": name,
            "tenant": name,
            "client_id": DEMO_CLIENT_ID,
            "client_secret": DEMO_SECRET,
            "auth_url": base_url,
            "api_url": f"{base_url}/api/{name}",
            "scopes": list(ALL_SCOPES),
            # The tenant API describes itself, so the catalogue works with no further setup.
            "openapi": f"{base_url}/api/{name}/openapi.json",
        }
        for name in DEMO_PROFILE_NAMES
    ]


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
        description = f"Sandbox tenant {profile['tenant']} (public test client)"
        lines.append(f"description = {_toml_value(description)}")
    return "\n".join(lines) + "\n"
