"""Edit the profiles file in place: add, change or delete one `[profiles.NAME]` table and nothing else.

The user's comments, order and formatting survive (tomlkit keeps them); the file is written atomically and
checked to load before it replaces the old one; a file that does not load is never overwritten; a client
secret is never written (only where it lives: `keyring`, `env:VAR` or `prompt`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import tomlkit
import tomlkit.exceptions
from tomlkit.items import Table

from explorer.core.atomic import write_text_atomic
from explorer.core.errors import ConfigError
from explorer.core.profiles import parse_profiles

__all__ = ["SECRET_SOURCES", "add_profiles", "delete_profile", "is_secret_reference", "save_profile"]

# Where a secret may live; anything else given as `client_secret` is a literal secret and refused.
SECRET_SOURCES = ("keyring", "prompt")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
# Keys written in this order for a new profile; an existing one keeps its own order.
_ORDER = ("tenant", "client_id", "client_secret", "auth_url", "token_url", "api_url", "scopes", "client_auth")


def is_secret_reference(value: str) -> bool:
    return value in SECRET_SOURCES or value.startswith(("env:", "keyring:"))


def _read(path: Path, *, rename: tuple[str, str] | None = None) -> tomlkit.TOMLDocument:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return tomlkit.document()
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"Cannot read the profiles file {path}: {error}.", hint="It was not changed.") from None
    try:
        document = tomlkit.parse(text.removeprefix("\ufeff"))
    except tomlkit.exceptions.TOMLKitError as error:
        raise ConfigError(
            f"{path}: invalid TOML: {error}.", hint="Fix the file first; explorer has not changed it."
        ) from None
    # What does not load now must not be rewritten: the user would lose the broken part without noticing.
    parse_profiles(document.unwrap(), path)
    if rename is not None:
        renamed = _renamed(text.removeprefix("\ufeff"), *rename)
        if renamed is not None:
            return renamed
    return document


def _renamed(text: str, old: str, new: str) -> tomlkit.TOMLDocument | None:
    """The file with `[profiles.OLD]` (and its sub-tables) headed `[profiles.NEW]`, every other byte as it was.

    Renaming in the text keeps the comments above and inside the table where they are; tomlkit has no rename.
    None when the profile is not written as a table header (an inline table): the caller moves it instead.
    """
    forms = [re.escape(f'"{old}"'), re.escape(f"'{old}'")]
    if _BARE_KEY.fullmatch(old):
        forms.append(re.escape(old))
    header = re.compile(r"^(\s*\[\[?\s*profiles\s*\.\s*)(?:" + "|".join(forms) + r")(\s*[\].])", re.MULTILINE)
    new_key = tomlkit.key(new).as_string()
    changed, count = header.subn(lambda m: m.group(1) + new_key + m.group(2), text)
    if not count:
        return None
    try:
        document = tomlkit.parse(changed)
    except tomlkit.exceptions.TOMLKitError:
        return None
    profiles = document.get("profiles")
    if not isinstance(profiles, Table) or new not in profiles or old in profiles:
        return None
    return document


def _write(path: Path, document: tomlkit.TOMLDocument) -> None:
    text = tomlkit.dumps(document)
    parse_profiles(tomlkit.parse(text).unwrap(), path)
    try:
        write_text_atomic(path, text)
    except OSError as error:
        raise ConfigError(f"Cannot write the profiles file {path}: {error.strerror}.") from None


def _profiles_table(document: tomlkit.TOMLDocument) -> Table:
    table = document.get("profiles")
    if table is None:
        table = tomlkit.table(is_super_table=True)
        document["profiles"] = table
    if not isinstance(table, Table):
        raise ConfigError("The profiles file's `profiles` is not a table.", hint="It was not changed.")
    return table


def _check_secret(name: str, values: Mapping[str, Any]) -> None:
    secret = values.get("client_secret")
    if isinstance(secret, str) and secret and not is_secret_reference(secret):
        raise ConfigError(
            f"Profile {name!r}: a client secret is never written to the profiles file.",
            hint="Use keyring (explorer secret set NAME), env:VAR or prompt.",
        )


def save_profile(path: Path, name: str, values: Mapping[str, Any], *, rename_from: str = "") -> None:
    """Create or update `[profiles.NAME]` with `values` (a value of "" or None removes that key).

    Keys not named in `values` keep their value, comments and place; a new profile's keys come in the
    documented order. `rename_from` moves an existing profile's table to a new name in the same place.
    """
    _check_secret(name, values)
    path = Path(path)
    renaming = bool(rename_from) and rename_from != name
    document = _read(path)
    profiles = _profiles_table(document)
    if renaming:
        if name in profiles:
            raise ConfigError(f"There is already a profile named {name!r}.", hint="Choose another name.")
        if rename_from in profiles:
            document = _read(path, rename=(rename_from, name))
            profiles = _profiles_table(document)
            if rename_from in profiles:
                _rename_key(profiles, rename_from, name)
            if document.get("default_profile") == rename_from:
                document["default_profile"] = name
    table = profiles.get(name)
    if table is None:
        table = tomlkit.table()
        for key in _ORDER:
            value = values.get(key)
            if value not in (None, "", [], ()):
                table[key] = list(value) if isinstance(value, tuple) else value
        for key, value in values.items():
            if key not in _ORDER and value not in (None, "", [], ()):
                table[key] = value
        profiles[name] = table
    else:
        for key, value in values.items():
            if value in (None, "", [], ()):
                if key in table:
                    del table[key]
            elif table.get(key) != value:
                table[key] = list(value) if isinstance(value, tuple) else value
    _write(path, document)


def _rename_key(profiles: Table, old: str, new: str) -> None:
    # tomlkit has no rename; rebuild the container's order with the new key where the old one was.
    items = [(key, profiles[key]) for key in list(profiles.keys())]
    for key, _ in items:
        del profiles[key]
    for key, value in items:
        profiles[new if key == old else key] = value


def delete_profile(path: Path, name: str) -> None:
    """Remove `[profiles.NAME]` (and `default_profile` when it named it); the rest of the file as it was."""
    path = Path(path)
    document = _read(path)
    profiles = _profiles_table(document)
    if name not in profiles:
        raise ConfigError(f"There is no profile named {name!r} in {path}.")
    del profiles[name]
    if document.get("default_profile") == name:
        del document["default_profile"]
    _write(path, document)


def add_profiles(path: Path, tables: Mapping[str, Mapping[str, Any]]) -> tuple[list[str], list[str]]:
    """Add profiles that are not in the file yet; return (added, already there). One write for all."""
    path = Path(path)
    document = _read(path)
    profiles = _profiles_table(document)
    added: list[str] = []
    present: list[str] = []
    for name, values in tables.items():
        _check_secret(name, values)
        if name in profiles:
            present.append(name)
            continue
        table = tomlkit.table()
        for key, value in values.items():
            if value not in (None, "", [], ()):
                table[key] = list(value) if isinstance(value, tuple) else value
        profiles[name] = table
        added.append(name)
    if added:
        _write(path, document)
    return added, present
