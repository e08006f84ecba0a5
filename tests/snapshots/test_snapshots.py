"""A few pictures of the app, each deterministic: pinned size, fixed clock and time zone, no network.

The profiles look like the demo's, the token is put in the (memory) cache by hand and the response is handed
to the response pane directly, so nothing depends on ports, timing or the machine. Update a snapshot only
after looking at the difference (`pytest --snapshot-update`, then open the report).
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from explorer.app.settings import AppSettings, read_startup
from explorer.core.http import ResponseRecord, SentRequest
from explorer.core.profiles import Profile, ProfilesConfig
from explorer.core.tokens import Token, token_from_response
from explorer.resources import sample_collection_path
from explorer.ui.app import ExplorerApp, make_app
from explorer.ui.widgets.body_view import BodyView
from explorer.ui.widgets.response import ResponsePane

SIZE = (160, 48)
NOW = 1_800_000_000.0
BASE = "http://127.0.0.1:8765"
SCOPES = ("stores:read", "customer:profile:read", "customer:profile:write", "orders:read", "catalog:read")

SnapCompare = Callable[..., bool]


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def demo_token(profile: Profile, *, now: float = NOW) -> Token:
    claims = {
        "exp": int(now + 180),
        "iat": int(now),
        "iss": f"{BASE}/auth/realms/{profile.tenant}",
        "sub": "86c0321b-d30d-5970-ae24-b0d5ac819077",
        "azp": profile.client_id,
        "scope": " ".join(profile.scopes),
        "preferred_username": f"service-account-{profile.client_id}",
        "client_id": profile.client_id,
    }
    access = f"{_b64({'alg': 'RS256', 'typ': 'JWT', 'kid': 'demo'})}.{_b64(claims)}.c2lnbmF0dXJl"
    body = {"access_token": access, "expires_in": 180, "token_type": "Bearer", "scope": " ".join(profile.scopes)}
    return token_from_response(body, sent_at=now, received_at=now + 0.042)


def demo_profiles() -> ProfilesConfig:
    def profile(name: str, client: str, scopes: tuple[str, ...], tenant: str = "") -> Profile:
        return Profile(
            name=name,
            tenant=tenant or name,
            client_id=client,
            secret_source="env:EXPLORER_SNAPSHOT_SECRET",
            auth_url=BASE,
            api_url_override=f"{BASE}/api/{name}",
            scopes=scopes,
        )

    profiles = {
        "demo-sandbox": profile("demo-sandbox", "explorer-demo", SCOPES),
        "demo-read-only": profile(
            "demo-read-only", "read-only", tuple(s for s in SCOPES if s.endswith(":read")), "demo-sandbox"
        ),
        "demo-staging": profile("demo-staging", "legacy-client", ()),
        "demo": profile("demo", "explorer-demo", SCOPES),
    }
    return ProfilesConfig(path=None, profiles=profiles, default_profile="demo-sandbox")


def build(tmp_path: Path, *, profile: str = "demo-sandbox", theme: str | None = None) -> ExplorerApp:
    settings = AppSettings(
        collection=sample_collection_path(),
        profile=profile,
        theme=theme,
        config_dir=tmp_path / "config",
        token_cache_file=False,
        auto_refresh=False,
        cursor_blink=False,
    )
    startup = read_startup(settings)
    startup.profiles = demo_profiles()
    startup.profiles_missing = False
    app = make_app(settings, clock=lambda: NOW + 25, startup=startup)
    for item in startup.profiles.profiles.values():
        app.session.cache.put(item.cache_key, demo_token(item))
    return app


def stores_response() -> ResponseRecord:
    body = {
        "items": [
            {"store_id": "store-001", "display_name": "London Outlet", "active": True, "currency": "GBP"},
            {"store_id": "store-002", "display_name": "Berlin Mitte", "active": True, "currency": "EUR"},
        ],
        "pagination": {"offset": 0, "count": 2, "total": 24},
    }
    url = f"{BASE}/api/demo-sandbox/v0/stores?offset=0&count=10"
    return ResponseRecord(
        status=200,
        reason="OK",
        http_version="HTTP/1.1",
        headers=[("content-type", "application/json"), ("content-length", "312")],
        elapsed=0.043,
        body=json.dumps(body, indent=2).encode(),
        request=SentRequest(
            method="GET",
            url=url,
            headers=(("Accept", "application/json"), ("Authorization", "Bearer eyJhbG…bmF0")),
            body=b"",
            token_attached=True,
            own_authorization=False,
        ),
        started_at=NOW + 20,
    )


async def show_response(pilot: Pilot[None]) -> None:
    app = pilot.app
    assert isinstance(app, ExplorerApp)
    await pilot.pause()
    pane = app.main.query_one(ResponsePane)
    pane.show_response(stores_response())
    body = pane.query_one("#response-body", BodyView)
    for _ in range(100):
        if body.line_count > 5:
            break
        await pilot.pause(0.05)
    await pilot.pause(0.2)


def test_main_screen(snap_compare: SnapCompare, tmp_path: Path) -> None:
    """Demo-like profiles, a valid token counting down, the sample collection and a JSON response."""
    assert snap_compare(build(tmp_path), terminal_size=SIZE, run_before=show_response)


def test_token_details(snap_compare: SnapCompare, tmp_path: Path) -> None:
    """f2: the decoded claims with their times spelled out."""

    async def open_details(pilot: Pilot[None]) -> None:
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause(0.3)

    assert snap_compare(build(tmp_path), terminal_size=SIZE, run_before=open_details)


def test_production_confirmation_in_the_light_theme(snap_compare: SnapCompare, tmp_path: Path) -> None:
    """A POST on a production profile asks first, in the danger colour; the light theme."""

    async def post_to_production(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, ExplorerApp)
        await pilot.pause()
        collection = app.main.collection
        assert collection is not None
        index = next(i for i, r in enumerate(collection.requests) if r.method == "POST")
        app.main.collections.loaded_index = index
        app.main.query_one("RequestComposer").load(collection.requests[index])  # type: ignore[attr-defined]
        await pilot.pause()
        await pilot.press("ctrl+j")
        await pilot.pause(0.3)

    app = build(tmp_path, profile="demo", theme="paper")
    assert snap_compare(app, terminal_size=SIZE, run_before=post_to_production)
