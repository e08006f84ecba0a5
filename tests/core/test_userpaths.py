"""Where a user's files go: the variable that moves one (or turns it off), else the platform's directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.core.openapi.source import spec_cache_dir
from explorer.core.tokens import token_cache_path
from explorer.core.userpaths import history_path, path_from_env, user_path


def test_a_variable_moves_the_file_and_off_turns_it_off(tmp_path: Path) -> None:
    env = {"SOME_FILE": str(tmp_path / "x.json")}
    assert path_from_env("SOME_FILE", "cache", "x.json", env=env) == tmp_path / "x.json"
    assert path_from_env("SOME_FILE", "cache", "x.json", env={"SOME_FILE": "off"}) is None
    assert path_from_env("SOME_FILE", "data", "x.json", env={}) == user_path("data", "x.json")
    assert path_from_env("SOME_FILE", "data", "x.json", env={"SOME_FILE": "~/x"}) == Path.home() / "x"


def test_each_file_reads_its_own_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPLORER_TOKEN_CACHE", str(tmp_path / "t.json"))
    monkeypatch.setenv("EXPLORER_HISTORY", "off")
    monkeypatch.setenv("EXPLORER_SPEC_CACHE", str(tmp_path / "specs"))
    assert token_cache_path() == tmp_path / "t.json"
    assert history_path() is None
    assert spec_cache_dir() == tmp_path / "specs"
    monkeypatch.setenv("EXPLORER_TOKEN_CACHE", "off")
    monkeypatch.delenv("EXPLORER_HISTORY")
    # The catalogue keeps what it fetched: "off" means the usual place for the description cache.
    monkeypatch.setenv("EXPLORER_SPEC_CACHE", "off")
    assert token_cache_path() is None
    assert history_path() == user_path("data", "history.sqlite3")
    assert spec_cache_dir() == user_path("cache", "specs")
