"""Where explorer keeps a user's files (the platform's config, cache and data directories), and the environment
variables that move one elsewhere or turn it off.

Nothing here creates a directory: the code that writes a file makes its parent when it writes.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

Kind = Literal["config", "cache", "data"]

# The value of a variable that turns a file off (the token cache, the history).
OFF = "off"


def user_path(kind: Kind, name: str) -> Path:
    """`name` in explorer's user `kind` directory (for example ~/.cache/explorer/tokens.json on Linux)."""
    # Imported here: the headless commands that never touch a user file do not pay for it.
    from platformdirs import user_cache_path, user_config_path, user_data_path

    directory = {"config": user_config_path, "cache": user_cache_path, "data": user_data_path}[kind]
    return directory("explorer", appauthor=False) / name


# Where the history of requests is kept: a file, or "off".
HISTORY_ENV = "EXPLORER_HISTORY"


def history_path(env: Mapping[str, str] | None = None) -> Path | None:
    """`EXPLORER_HISTORY` (a file, or "off"), else history.sqlite3 in the user data dir.

    Here rather than with the history file's code: the app finds where its history goes without loading that code
    (and SQLite) on the event loop, as a request's answer arrives.
    """
    return path_from_env(HISTORY_ENV, "data", "history.sqlite3", env=env)


# Where the app keeps its stylesheet, parsed once (see explorer/ui/textual_compat.py): a file, or "off".
STYLE_CACHE_ENV = "EXPLORER_STYLE_CACHE"


def style_cache_path(env: Mapping[str, str] | None = None) -> Path | None:
    """`EXPLORER_STYLE_CACHE` (a file, or "off"), else styles.pickle in the user cache dir."""
    return path_from_env(STYLE_CACHE_ENV, "cache", "styles.pickle", env=env)


def path_from_env(variable: str, kind: Kind, name: str, *, env: Mapping[str, str] | None = None) -> Path | None:
    """The path `variable` names (`~` expanded); None when it says "off"; else `name` in the `kind` directory."""
    value = (os.environ if env is None else env).get(variable, "")
    if value == OFF:
        return None
    return Path(value).expanduser() if value else user_path(kind, name)
