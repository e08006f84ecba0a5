"""Shared fixtures: a real sandbox server on loopback, isolated config and cache locations."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from explorer.sandbox import SandboxServer
from tests.hostile_server import HostileServer


class FakeClock:
    """A clock the test moves by hand; starts at the real time so JWT timestamps look normal."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(scope="session")
def sandbox() -> Iterator[SandboxServer]:
    """One sandbox for the session, real time, no rate limit. Tests needing other settings start their own."""
    server = SandboxServer(port=0, token_ttl=300, rate_limit=None).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def hostile() -> Iterator[HostileServer]:
    """A misbehaving server in both roles (token endpoint and API), see tests/hostile_server.py."""
    server = HostileServer(drip_interval=0.5, bomb_megabytes=16).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the real user's config, cache or keyring from a test."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("EXPLORER_TOKEN_CACHE", str(tmp_path / "tokens.json"))
    # Each app would parse its stylesheet and write it out after its first frame; the tests of that set it.
    monkeypatch.setenv("EXPLORER_STYLE_CACHE", "off")
    monkeypatch.delenv("EXPLORER_CONFIG", raising=False)
    monkeypatch.delenv("EXPLORER_PROFILE", raising=False)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
