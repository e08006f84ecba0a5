"""Arbitrary bytes and arbitrary TOML to every loader: a result or an ExplorerError, nothing else, and no
control character in any message."""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from pathlib import Path
from typing import Any

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.core.collections import load_collection, loads_collection
from explorer.core.errors import ExplorerError
from explorer.core.profiles import _PROFILE_KEYS, load_profiles, parse_profiles
from explorer.core.themes import load_theme_file, parse_theme

CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]")
NASTY_TEXT = st.sampled_from(["\x1b[31m", "\x1b]0;t\x07", "\r", "\x9b", "\u202e", "..", "/", " ", "\n", "a"])
TEXT = st.one_of(st.text(max_size=30), st.lists(NASTY_TEXT, max_size=6).map("".join))
SCALARS = st.one_of(
    TEXT,
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 1, 1)),
)
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4))
# Every key the loader knows (so a new one is exercised too), and one it does not.
PROFILE_KEYS = st.sampled_from([*sorted(_PROFILE_KEYS), "other"])
PROFILE = st.dictionaries(PROFILE_KEYS, VALUES, max_size=8)
PROFILES_DOC = st.fixed_dictionaries(
    {"profiles": st.dictionaries(TEXT, PROFILE, max_size=3)}, optional={"default_profile": VALUES}
)
REQUEST_KEYS = st.sampled_from(
    ["name", "folder", "method", "url", "params", "headers", "body", "content_type", "auth", "expect", "x"]
)
COLLECTION_DOC = st.fixed_dictionaries(
    {"requests": st.lists(st.dictionaries(REQUEST_KEYS, VALUES, max_size=8), max_size=3)},
    optional={"schema_version": st.sampled_from([1, 0, 2, "1"]), "name": VALUES, "variables": VALUES},
)
ANY_DOC = st.dictionaries(TEXT, VALUES, max_size=5)
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _clean_message(exc: ExplorerError) -> None:
    for text in (exc.one_line(), exc.title, exc.message, exc.hint):
        assert CONTROL.search(text) is None, repr(text)


def _toml(doc: dict[str, Any]) -> str | None:
    try:
        return tomli_w.dumps(doc)
    except (TypeError, ValueError):
        return None


def _write(data: bytes) -> Path:
    handle = tempfile.NamedTemporaryFile(suffix=".toml", delete=False)  # noqa: SIM115 - closed below
    with handle:
        handle.write(data)
    return Path(handle.name)


@FAST
@given(
    st.one_of(st.binary(max_size=300), st.lists(st.sampled_from([b"[", b"{a=", b"x=[", b"\x1b", b"\n"])).map(b"".join))
)
def test_arbitrary_bytes(data: bytes) -> None:
    path = _write(data)
    try:
        for load in (load_profiles, load_collection, load_theme_file):
            try:
                load(path)
            except ExplorerError as exc:
                _clean_message(exc)
    finally:
        path.unlink()


@FAST
@given(st.one_of(PROFILES_DOC, ANY_DOC))
def test_arbitrary_profiles_documents(doc: dict[str, Any]) -> None:
    try:
        config = parse_profiles(doc)
    except ExplorerError as exc:
        _clean_message(exc)
        return
    for profile in config.profiles.values():
        # What the engine would build from it: a realm path that stays a path segment.
        assert "/" not in profile.tenant and ".." not in profile.tenant
        assert profile.limits.deadline > 0 and profile.limits.max_body > 0
    text = _toml(doc)
    if text is not None:
        path = _write(text.encode())
        try:
            load_profiles(path)
        finally:
            path.unlink()


@FAST
@given(st.one_of(COLLECTION_DOC, ANY_DOC))
def test_arbitrary_collection_documents(doc: dict[str, Any]) -> None:
    text = _toml(doc)
    if text is None:
        return
    for parse in (lambda: loads_collection(text), lambda: parse_theme(text)):
        try:
            parse()
        except ExplorerError as exc:
            _clean_message(exc)


def test_deep_nesting_is_an_error_not_a_crash(tmp_path: Path) -> None:
    deep = "x = " + "[" * 50_000 + "]" * 50_000 + "\n"
    path = tmp_path / "deep.toml"
    path.write_text(deep)
    for load in (load_profiles, load_collection, load_theme_file):
        try:
            load(path)
        except ExplorerError as exc:
            assert "nested too deeply" in exc.one_line()
        else:
            raise AssertionError(f"{load.__name__} accepted {path}")
