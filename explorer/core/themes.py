"""Theme files: TOML that names a theme's colours and the Pygments style for bodies, parsed into plain data.

A theme file looks like this (only `name` and `colors.primary` are required):

    schema_version = 1
    name = "midnight"
    dark = true
    pygments_style = "github-dark"

    [colors]
    primary = "#5fa8ff"
    background = "#0f1420"

    [variables]           # optional: extra Textual variables, e.g. "footer-key-foreground"
    footer-key-foreground = "#5fa8ff"

Loading a directory never stops at the first broken file: every failure is collected so the app can report
them all at once and carry on with the themes that did load.

Whether the Pygments style a theme names exists is asked of the caller (`style_exists`): the core does not import
Pygments. The UI passes `explorer.ui.highlighting.pygments_style_exists`.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from explorer.core.errors import ConfigError
from explorer.core.safefile import read_regular_file
from explorer.core.userpaths import user_path

SCHEMA_VERSION = 1
# A theme is a few dozen lines.
MAX_THEME_FILE = 1024 * 1024
COLOR_KEYS = (
    "primary",
    "secondary",
    "accent",
    "background",
    "surface",
    "panel",
    "foreground",
    "success",
    "warning",
    "error",
    "boost",
)
DEFAULT_DARK_PYGMENTS = "monokai"
DEFAULT_LIGHT_PYGMENTS = "friendly"

_TOP_KEYS = ("schema_version", "name", "dark", "pygments_style", "description", "colors", "variables")
_HEX = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
# Textual variable names: lower-case words joined by dashes.
_VARIABLE = re.compile(r"[a-z][a-z0-9-]*")


@dataclass(frozen=True)
class ThemeSpec:
    """One theme as its file describes it. Colours are `#rrggbb`-style strings; absent ones are None."""

    name: str
    primary: str
    dark: bool = True
    secondary: str | None = None
    accent: str | None = None
    background: str | None = None
    surface: str | None = None
    panel: str | None = None
    foreground: str | None = None
    success: str | None = None
    warning: str | None = None
    error: str | None = None
    boost: str | None = None
    pygments_style: str = DEFAULT_DARK_PYGMENTS
    description: str = ""
    variables: Mapping[str, str] = field(default_factory=dict)
    path: Path | None = None

    def colors(self) -> dict[str, str]:
        """The colours that are set, by key."""
        found = {key: getattr(self, key) for key in COLOR_KEYS}
        return {key: value for key, value in found.items() if value is not None}


# Whether a Pygments style of that name exists.
StyleCheck = Callable[[str], bool]


def _any_style(name: str) -> bool:
    return True


def parse_theme(text: str, *, path: Path | None = None, style_exists: StyleCheck | None = None) -> ThemeSpec:
    """Validate one theme file's text. Raises ConfigError naming the file and the key at fault.

    Without `style_exists`, any style name is taken as it is.
    """
    where = str(path) if path is not None else "theme"
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where}: invalid TOML: {exc}.", title="Theme error") from None
    except RecursionError:
        raise ConfigError(f"{where}: the TOML is nested too deeply to read.", title="Theme error") from None
    return _theme_from(data, where, path, style_exists or _any_style)


def load_theme_file(path: Path, *, style_exists: StyleCheck | None = None) -> ThemeSpec:
    try:
        text = read_regular_file(path, limit=MAX_THEME_FILE).decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: the file is not UTF-8 text.", title="Theme error") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read: {exc.strerror or exc}.", title="Theme error") from None
    return parse_theme(text, path=path, style_exists=style_exists)


def load_themes(
    directories: Iterable[Path], *, style_exists: StyleCheck | None = None
) -> tuple[list[ThemeSpec], list[ConfigError]]:
    """Every `*.toml` theme in the directories, in order; a later theme of the same name wins.

    Missing directories hold no themes. Returns (loaded, failed) and never raises for a single file.
    """
    by_name: dict[str, ThemeSpec] = {}
    failed: list[ConfigError] = []
    for directory in directories:
        try:
            files = sorted(p for p in directory.iterdir() if p.suffix == ".toml" and not p.name.startswith("."))
        except FileNotFoundError:
            continue
        except OSError as exc:
            failed.append(ConfigError(f"{directory}: cannot be listed: {exc.strerror or exc}.", title="Theme error"))
            continue
        for file in files:
            try:
                spec = load_theme_file(file, style_exists=style_exists)
            except ConfigError as exc:
                failed.append(exc)
                continue
            by_name.pop(spec.name, None)
            by_name[spec.name] = spec
    return list(by_name.values()), failed


def user_themes_dir() -> Path:
    """Where a user's own themes live (nothing is created)."""
    return user_path("config", "themes")


def _theme_from(data: Mapping[str, Any], where: str, path: Path | None, style_exists: StyleCheck) -> ThemeSpec:
    def fail(message: str) -> ConfigError:
        return ConfigError(f"{where}: {message}", title="Theme error")

    unknown = sorted(set(data) - set(_TOP_KEYS))
    if unknown:
        raise fail(f"unknown key {unknown[0]!r}; known keys: {', '.join(_TOP_KEYS)}.")
    version = data.get("schema_version", SCHEMA_VERSION)
    if version != SCHEMA_VERSION:
        raise fail(f"schema_version {version!r} is not supported (expected {SCHEMA_VERSION}).")
    name = data.get("name", path.stem if path is not None else "")
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise fail("name must be a word of letters, digits, '-', '_' or '.'.")
    dark = data.get("dark", True)
    if not isinstance(dark, bool):
        raise fail("dark must be true or false.")
    description = data.get("description", "")
    if not isinstance(description, str):
        raise fail("description must be a string.")
    colors = data.get("colors", {})
    if not isinstance(colors, dict):
        raise fail("colors must be a table.")
    unknown = sorted(set(colors) - set(COLOR_KEYS))
    if unknown:
        raise fail(f"unknown colour colors.{unknown[0]}; known: {', '.join(COLOR_KEYS)}.")
    for key, value in colors.items():
        if not isinstance(value, str) or not _HEX.fullmatch(value):
            raise fail(f'colors.{key} must be a hex colour such as "#1e88e5", not {value!r}.')
    if "primary" not in colors:
        raise fail("colors.primary is required.")
    default_style = DEFAULT_DARK_PYGMENTS if dark else DEFAULT_LIGHT_PYGMENTS
    style = data.get("pygments_style", default_style)
    if not isinstance(style, str) or not style:
        raise fail("pygments_style must be the name of a Pygments style.")
    if not style_exists(style):
        raise fail(f"pygments_style {style!r} is not a Pygments style (e.g. monokai, friendly, github-dark).")
    variables = data.get("variables", {})
    if not isinstance(variables, dict):
        raise fail("variables must be a table.")
    for key, value in variables.items():
        if not _VARIABLE.fullmatch(key):
            raise fail(f"variables.{key} is not a variable name (lower-case words joined by '-').")
        if not isinstance(value, str):
            raise fail(f"variables.{key} must be a string.")
    return ThemeSpec(
        name=name,
        dark=dark,
        pygments_style=style,
        description=description,
        variables=dict(variables),
        path=path,
        **colors,
    )
