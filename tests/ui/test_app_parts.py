"""The app's plain parts, without running it: settings, collection edits, the token pane's wording, the cache."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest

from explorer.app.collection_edits import (
    add_request,
    collection_name_for,
    delete_request,
    duplicate_request,
    rename_request,
    replace_request,
    unique_name,
)
from explorer.app.session import BackgroundFileCache, Session
from explorer.app.settings import (
    AppSettings,
    UserSettings,
    load_user_settings,
    read_startup,
    save_user_settings,
)
from explorer.core.formatting import countdown
from explorer.core.model import Collection, RequestSpec
from explorer.core.profiles import ProfilesConfig, parse_profiles
from explorer.core.tokens import FetchReason, Token, TokenCache, TokenEvent, TokenEventKind
from explorer.ui.presentation import compact_scopes, describe_event, short_duration


def _collection() -> Collection:
    return Collection(
        name="c",
        requests=[
            RequestSpec(name="a", folder="F", url="{{api_url}}/a"),
            RequestSpec(name="b", folder="F", url="{{api_url}}/b"),
            RequestSpec(name="c", folder="G", url="{{api_url}}/c"),
        ],
    )


def test_edits_return_copies_and_leave_the_original_alone() -> None:
    original = _collection()
    changed = replace_request(original, 1, RequestSpec(name="ignored", method="POST", url="x"))
    assert changed.requests[1].name == "b" and changed.requests[1].folder == "F"
    assert changed.requests[1].method == "POST"
    assert original.requests[1].method == "GET"

    added, index = add_request(original, RequestSpec(url="y"), "a", "F")
    assert index == 2 and added.requests[2].name == "a (2)" and added.requests[2].folder == "F"
    assert len(original.requests) == 3

    twin, at = duplicate_request(original, 0)
    assert at == 1 and twin.requests[1].name == "a copy"
    assert [r.name for r in delete_request(original, 0).requests] == ["b", "c"]
    assert rename_request(original, 0, "b").requests[0].name == "b (2)"
    assert rename_request(original, 0, " a ").requests[0].name == "a"


def test_unique_name_and_collection_name() -> None:
    assert unique_name(_collection(), "z") == "z"
    assert unique_name(_collection(), "c") == "c (2)"
    assert collection_name_for(Path("my-orders_api.toml")) == "My orders api"


def test_user_settings_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "conf" / "settings.toml"
    assert load_user_settings(path) == (UserSettings(), None)
    save_user_settings(path, UserSettings(theme="paper", last_collection=tmp_path / "c.toml"))
    loaded, error = load_user_settings(path)
    assert error is None
    assert loaded == UserSettings(theme="paper", last_collection=tmp_path / "c.toml")
    path.write_text("theme = ", encoding="utf-8")
    loaded, error = load_user_settings(path)
    assert loaded == UserSettings() and error is not None and "settings.toml" in str(error)


def test_startup_reports_a_broken_profiles_file_and_collection(tmp_path: Path) -> None:
    profiles = tmp_path / "profiles.toml"
    profiles.write_text("[profiles.x]\ntenant = 1\n", encoding="utf-8")
    collection = tmp_path / "broken.toml"
    collection.write_text("schema_version = 1\nname = \n", encoding="utf-8")
    startup = read_startup(AppSettings(config_path=profiles, collection=collection, config_dir=tmp_path))
    assert startup.profiles_error is not None and "profiles.x.tenant" in str(startup.profiles_error)
    assert startup.collection_error is not None and "broken.toml" in str(startup.collection_error)
    assert startup.collection is None
    assert {t.name for t in startup.themes} >= {"midnight", "paper"}


def test_startup_without_a_profiles_file_is_not_an_error(tmp_path: Path) -> None:
    startup = read_startup(AppSettings(config_dir=tmp_path))
    assert startup.profiles_error is None
    assert startup.profiles_missing
    assert startup.collection is None


def test_demo_startup_opens_the_sample_collection(tmp_path: Path) -> None:
    startup = read_startup(AppSettings(demo=True, config_dir=tmp_path))
    assert startup.collection is not None and startup.collection.requests
    assert not startup.profiles.profiles


def test_countdown_and_wording() -> None:
    assert countdown(3725.9) == "01:02:05"
    assert countdown(-5) == "00:00:00"
    assert short_duration(180) == "3 min"
    assert short_duration(45) == "45 s"
    assert short_duration(181) == "3 min"
    assert short_duration(9000) == "2 h 30 min"
    assert compact_scopes(("orders:read", "customer:profile:write", "customer:profile:read", "openid")) == (
        "customer:profile:read,write  openid  orders:read"
    )
    when = time.mktime((2027, 1, 1, 12, 3, 1, 0, 0, -1))
    assert (
        describe_event(TokenEvent(TokenEventKind.FETCHED, FetchReason.AHEAD_OF_EXPIRY), when)
        == "re-fetched 12:03:01, ahead of expiry"
    )
    assert (
        describe_event(TokenEvent(TokenEventKind.FETCHED, FetchReason.EXPIRED), when)
        == "re-fetched 12:03:01, after it expired"
    )
    assert describe_event(TokenEvent(TokenEventKind.FETCHED, FetchReason.FIRST), when) == "fetched 12:03:01"
    assert describe_event(TokenEvent(TokenEventKind.FAILED, FetchReason.FIRST), when) == ""


def _token(now: float) -> Token:
    return Token(access_token="a" * 40, token_type="Bearer", issued_at=now, expires_at=now + 300)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_background_cache_writes_the_file_off_the_caller(tmp_path: Path) -> None:
    now = time.time()
    path = tmp_path / "tokens.json"
    cache = BackgroundFileCache(path, clock=time.time)
    cache.put("k", _token(now))
    assert cache.get("k") is not None
    cache.close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    fresh = BackgroundFileCache(path, clock=time.time)
    assert fresh.get("k") is None
    fresh.preload(["k", "other"])
    token = fresh.get("k")
    assert token is not None and token.from_cache
    fresh.forget("k")
    fresh.close()
    assert TokenCache(path, clock=time.time).get("k") is None


def test_session_picks_the_profile_to_open_with() -> None:
    data = {
        "profiles": {
            "a": {"tenant": "acme-sandbox", "client_id": "c", "client_secret": "env:X"},
            "b": {"tenant": "acme", "client_id": "c", "client_secret": "env:X"},
        }
    }
    config = parse_profiles(data)
    session = Session(config, cache=TokenCache(None, clock=time.time))
    assert session.default_profile_name(None) is None
    assert session.default_profile_name("b") == "b"
    assert session.default_profile_name("zzz") is None
    config.default_profile = "a"
    assert session.default_profile_name(None) == "a"
    single = Session(ProfilesConfig(path=None, profiles={"a": config.profiles["a"]}), cache=session.cache)
    assert single.default_profile_name(None) == "a"
    engine = session.activate("b")
    assert session.active_engine is engine and session.engine("b") is engine
