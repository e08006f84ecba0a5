"""Demo mode: the built-in sandbox on a free loopback port, and profiles for its three stages.

Starting the sandbox generates an RSA key, which takes a moment, so the app calls `start_demo` from a thread
worker. The demo's secrets stay in memory; nothing of it is written to the user's config or token cache.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from explorer.core.profiles import Profile, ProfilesConfig

if TYPE_CHECKING:
    # The sandbox (and its JWT and crypto libraries) is imported only when the demo starts.
    from explorer.sandbox import SandboxServer

DEMO_DEFAULT_PROFILE = "demo-sandbox"
# One stage uses a legacy client (no scopes), so the demo shows how such a token looks and what it may call.
LEGACY_STAGE = "demo-staging"


_scratch: Path | None = None


def demo_scratch_dir() -> Path:
    """A folder of the demo's own for what it must keep in files (profiles made in the form, the history of its
    sends), made on first use and removed when the process ends: the demo leaves nothing behind."""
    global _scratch
    if _scratch is None:
        folder = tempfile.mkdtemp(prefix="explorer-demo-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        _scratch = Path(folder)
    return _scratch


def demo_history_path() -> Path:
    """The demo's history: its sends are kept for the session, apart from the user's own history."""
    return demo_scratch_dir() / "history.sqlite3"


@dataclass
class DemoEnvironment:
    server: SandboxServer
    profiles: ProfilesConfig
    secrets: dict[str, str] = field(default_factory=dict)

    def stop(self) -> None:
        self.server.stop()


def demo_profiles_config(server: SandboxServer) -> tuple[ProfilesConfig, dict[str, str]]:
    """The demo profiles for a running sandbox, and their secrets (kept apart, in memory only)."""
    from explorer.sandbox import BUILTIN_CLIENTS, demo_profiles

    legacy = next(client for client in BUILTIN_CLIENTS if client.legacy and client.service_accounts_enabled)
    profiles: dict[str, Profile] = {}
    secrets: dict[str, str] = {}
    for item in demo_profiles(server):
        name = str(item["name"])
        client_id, secret, scopes = str(item["client_id"]), str(item["client_secret"]), tuple(item["scopes"])
        if name == LEGACY_STAGE:
            client_id, secret, scopes = legacy.client_id, legacy.secret, ()
        profiles[name] = Profile(
            name=name,
            tenant=str(item["tenant"]),
            client_id=client_id,
            # "prompt" is only a marker: the engine is handed the secret and never resolves it.
            secret_source="prompt",
            auth_url=str(item["auth_url"]),
            api_url_override=str(item["api_url"]),
            scopes=scopes,
            openapi=str(item.get("openapi", "")),
            description=f"Built-in sandbox, {_client_kind(client_id, scopes)}",
        )
        secrets[name] = secret
    default = DEMO_DEFAULT_PROFILE if DEMO_DEFAULT_PROFILE in profiles else next(iter(profiles), "")
    return ProfilesConfig(path=None, profiles=profiles, default_profile=default), secrets


def _client_kind(client_id: str, scopes: tuple[str, ...]) -> str:
    if not scopes:
        return "legacy client"
    if all(scope.endswith(":read") for scope in scopes):
        return f"{client_id} client: read scopes only"
    return "all scopes"


def start_demo(token_ttl: int = 180) -> DemoEnvironment:
    """Start the sandbox on a free loopback port (blocking: run it in a thread) and describe its profiles."""
    from explorer.sandbox import SandboxServer

    server = SandboxServer(port=0, token_ttl=token_ttl, rate_limit=None).start()
    config, secrets = demo_profiles_config(server)
    return DemoEnvironment(server=server, profiles=config, secrets=secrets)
