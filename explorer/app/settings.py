"""What the app starts with: the launch settings, the user's saved preferences, and what was read from disk.

Everything here is read before the app starts (or in a thread worker), never on the event loop. The saved
preferences live in `settings.toml` in the user's config directory; they hold no secret.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import tomli_w

from explorer.core.atomic import write_text_atomic
from explorer.core.collections import load_collection
from explorer.core.errors import CollectionError, ConfigError
from explorer.core.model import Collection
from explorer.core.profiles import ProfilesConfig, default_config_path, load_profiles
from explorer.core.safefile import MAX_TEXT_FILE, read_regular_file
from explorer.core.themes import StyleCheck, ThemeSpec, load_themes
from explorer.core.userpaths import user_path
from explorer.resources import sample_collection_path, themes_dir

SETTINGS_VERSION = 1
DEFAULT_THEME = "midnight"


@dataclass(frozen=True)
class AppSettings:
    """How the app was launched. Tests pin what makes a frame deterministic (no cursor blink, no auto fetch)."""

    config_path: Path | None = None
    """The profiles file; None means $EXPLORER_CONFIG or the user config directory."""
    profile: str | None = None
    collection: Path | None = None
    demo: bool = False
    theme: str | None = None
    """A theme for this session (`--theme`); when None the saved choice is used."""
    config_dir: Path | None = None
    """Where settings.toml and the user's themes/ live; None means the platform's user config directory."""
    token_cache_file: bool = True
    """Keep tokens in the user's token cache file (never in demo mode)."""
    demo_token_ttl: int = 180
    auto_refresh: bool = True
    """Re-fetch a token shortly before it expires, once the user has fetched one."""
    cursor_blink: bool = True

    def resolved_config_dir(self) -> Path:
        if self.config_dir is not None:
            return self.config_dir
        return user_path("config", "")

    @property
    def settings_file(self) -> Path:
        return self.resolved_config_dir() / "settings.toml"

    @property
    def user_themes_dir(self) -> Path:
        return self.resolved_config_dir() / "themes"


@dataclass
class UserSettings:
    """The preferences the app remembers between runs."""

    theme: str | None = None
    last_collection: Path | None = None
    recent_collections: list[Path] = field(default_factory=list)
    """Collections opened lately, newest first: offered by "collection: open…"."""
    history: bool = True
    """Record every request sent in the history file (`history = false` turns it off)."""


def load_user_settings(path: Path) -> tuple[UserSettings, ConfigError | None]:
    """The saved preferences; a missing file means defaults, a broken one means defaults and an error."""
    try:
        data = tomllib.loads(read_regular_file(path, limit=MAX_TEXT_FILE).decode("utf-8"))
    except FileNotFoundError:
        return UserSettings(), None
    except OSError as exc:
        return UserSettings(), ConfigError(
            f"{path}: {exc.strerror or exc}.", title="Settings not loaded", hint="Defaults are used."
        )
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return UserSettings(), ConfigError(f"{path}: {exc}.", title="Settings not loaded", hint="Defaults are used.")
    except RecursionError:
        return UserSettings(), ConfigError(
            f"{path}: nested too deeply to read.", title="Settings not loaded", hint="Defaults are used."
        )
    theme = data.get("theme")
    last = data.get("last_collection")
    history = data.get("history", True)
    recent = data.get("recent_collections", [])
    return (
        UserSettings(
            theme=theme if isinstance(theme, str) and theme else None,
            last_collection=Path(last) if isinstance(last, str) and last else None,
            recent_collections=[Path(p) for p in recent if isinstance(p, str) and p]
            if isinstance(recent, list)
            else [],
            history=history is not False,
        ),
        None,
    )


def dumps_user_settings(settings: UserSettings) -> str:
    data: dict[str, object] = {"schema_version": SETTINGS_VERSION}
    if settings.theme:
        data["theme"] = settings.theme
    if settings.last_collection is not None:
        data["last_collection"] = str(settings.last_collection)
    if settings.recent_collections:
        data["recent_collections"] = [str(p) for p in settings.recent_collections]
    if not settings.history:
        data["history"] = False
    return tomli_w.dumps(data)


def save_user_settings(path: Path, settings: UserSettings) -> None:
    """Write the preferences atomically. Raises OSError; blocking, so callers use a thread."""
    write_text_atomic(path, dumps_user_settings(settings))


@dataclass
class Startup:
    """Everything read from disk before the first frame, with what went wrong along the way."""

    settings: AppSettings
    profiles: ProfilesConfig
    user: UserSettings = field(default_factory=UserSettings)
    profiles_error: ConfigError | None = None
    profiles_missing: bool = False
    collection: Collection | None = None
    collection_error: CollectionError | None = None
    themes: list[ThemeSpec] = field(default_factory=list)
    theme_errors: list[ConfigError] = field(default_factory=list)
    settings_error: ConfigError | None = None

    @property
    def theme_name(self) -> str:
        return self.settings.theme or self.user.theme or DEFAULT_THEME


def read_startup(settings: AppSettings, *, style_exists: StyleCheck | None = None) -> Startup:
    """Read the profiles file, the collection, the themes and the saved preferences. Never raises for a file.

    `style_exists` checks the Pygments style each theme names (see `explorer.core.themes`).
    """
    user, settings_error = load_user_settings(settings.settings_file)
    startup = Startup(settings=settings, profiles=ProfilesConfig(path=None, profiles={}), user=user)
    startup.settings_error = settings_error
    if not settings.demo:
        path = settings.config_path or default_config_path()
        try:
            # A profiles file the user named must exist; the default one may be missing on a first run.
            startup.profiles = load_profiles(path, missing_ok=settings.config_path is None)
        except ConfigError as exc:
            startup.profiles = ProfilesConfig(path=path, profiles={})
            startup.profiles_error = exc
        else:
            startup.profiles_missing = not startup.profiles.profiles and not path.exists()
    collection_path = settings.collection
    if collection_path is None:
        collection_path = sample_collection_path() if settings.demo else user.last_collection
        if collection_path is not None and not collection_path.exists():
            # A remembered collection that was moved away is forgotten quietly, not reported at every start.
            collection_path = None
    if collection_path is not None:
        try:
            startup.collection = load_collection(collection_path)
        except CollectionError as exc:
            startup.collection_error = exc
    startup.themes, startup.theme_errors = load_themes(
        [themes_dir(), settings.user_themes_dir], style_exists=style_exists
    )
    return startup
