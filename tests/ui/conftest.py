"""Fixtures for driving the app: profiles pointing at a sandbox, an app builder, notifications, waiting."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from textual.message import Message
from textual.notifications import Notification, Notify
from textual.pilot import Pilot
from textual.screen import Screen

from explorer.app.settings import AppSettings
from explorer.core.tokens import Clock
from explorer.sandbox import ALL_SCOPES, SandboxServer
from explorer.ui.app import ExplorerApp, make_app

SIZE = (160, 48)


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def profiles_toml(server: SandboxServer, *, default: str = "") -> str:
    """Profiles against `server`: a sandbox client with all scopes, a legacy one, production, and some that fail."""
    scopes = ", ".join(f'"{s}"' for s in ALL_SCOPES)
    dead = f"http://127.0.0.1:{closed_port()}"

    def profile(name: str, tenant: str, client: str, secret: str, *, base: str = "", extra: str = "") -> str:
        base = base or server.base_url
        api = f"{base}/api/{tenant}"
        return (
            f'[profiles.{name}]\ntenant = "{tenant}"\nclient_id = "{client}"\nclient_secret = "{secret}"\n'
            f'auth_url = "{base}"\napi_url = "{api}"\n{extra}\n'
        )

    parts = [f'default_profile = "{default}"\n' if default else ""]
    parts.append(profile("sandbox", "demo-sandbox", "explorer-demo", "demo-secret", extra=f"scopes = [{scopes}]"))
    parts.append(profile("legacy", "demo-staging", "legacy-client", "legacy-secret"))
    parts.append(profile("prod", "demo", "explorer-demo", "demo-secret", extra=f"scopes = [{scopes}]"))
    parts.append(profile("wrong", "acme-sandbox", "explorer-demo", "not-the-secret"))
    parts.append(profile("asker", "acme-staging", "explorer-demo", "prompt"))
    parts.append(profile("closed", "acme", "explorer-demo", "demo-secret", base=dead))
    return "\n".join(parts)


@pytest.fixture
def profiles_file(tmp_path: Path, sandbox: SandboxServer) -> Path:
    path = tmp_path / "profiles.toml"
    path.write_text(profiles_toml(sandbox), encoding="utf-8")
    return path


@pytest.fixture
def clocked_sandbox(clock: Clock) -> Iterator[SandboxServer]:
    """A sandbox that reads the same hand-moved clock as the app, so both see a token expire."""
    server = SandboxServer(port=0, token_ttl=300, rate_limit=None, clock=clock).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def clocked_profiles_file(tmp_path: Path, clocked_sandbox: SandboxServer) -> Path:
    path = tmp_path / "clocked-profiles.toml"
    path.write_text(profiles_toml(clocked_sandbox), encoding="utf-8")
    return path


AppFactory = Callable[..., ExplorerApp]


@pytest.fixture
def build_app(tmp_path: Path) -> AppFactory:
    """Build the app as `explorer` would, with a fixed config dir, no cursor blink and no auto-refresh."""

    def build(
        *,
        config: Path | None = None,
        collection: Path | None = None,
        profile: str | None = None,
        theme: str | None = None,
        demo: bool = False,
        clock: Clock = time.time,
        auto_refresh: bool = False,
    ) -> ExplorerApp:
        settings = AppSettings(
            config_path=config,
            collection=collection,
            profile=profile,
            theme=theme,
            demo=demo,
            config_dir=tmp_path / "config",
            auto_refresh=auto_refresh,
            cursor_blink=False,
        )
        return make_app(settings, clock=clock)

    return build


@dataclass
class Notes:
    """Every notification the app raised, in order."""

    seen: list[Notification] = field(default_factory=list)

    def hook(self, message: Message) -> None:
        if isinstance(message, Notify):
            self.seen.append(message.notification)

    def titles(self) -> list[str]:
        return [n.title for n in self.seen]

    def find(self, title: str) -> Notification | None:
        return next((n for n in self.seen if n.title == title), None)


@pytest.fixture
def notes() -> Notes:
    return Notes()


async def wait_until(pilot: Pilot[None], predicate: Callable[[], object], what: str, timeout: float = 10.0) -> None:
    """Let the app run until `predicate()` holds; fail naming `what` after `timeout` seconds."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.05)


def count_layouts(screen: Screen[object], monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """From now on, one entry per layout of the whole screen (what makes a key typed at that moment wait)."""
    layouts: list[bool] = []
    lay_out = screen._refresh_layout
    monkeypatch.setattr(
        screen, "_refresh_layout", lambda *args, **kwargs: (layouts.append(True), lay_out(*args, **kwargs))
    )
    return layouts
