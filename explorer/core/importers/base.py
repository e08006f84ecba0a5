"""What every importer returns, and the registry of formats `explorer import` knows.

An importer turns a source (curl lines, an `.http` file, a Postman collection, …) into an `ImportResult`: a
normal collection, the profiles the source implies (client credentials found in it, token endpoints it
called), and an account of what was imported, skipped and changed for safety. Secrets never travel in a
result: a profile suggestion names where its secret should live (`env:VAR` or `keyring`), never the secret.

A format is an `ImportFormat`: a name, a `detect(text, filename)` score and a `parse(text, origin)`. The
built-in formats live in the modules named in `BUILTIN_MODULES`, each exposing `FORMAT`; another module adds
one either by appending its module name there or by calling `register(...)` at run time.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from explorer.core.errors import ExplorerError
from explorer.core.model import Collection

__all__ = [
    "BUILTIN_MODULES",
    "ImportFormat",
    "ImportOrigin",
    "ImportResult",
    "ImportSourceError",
    "ProfileSuggestion",
    "RetiredToken",
    "detect_format",
    "formats",
    "get_format",
    "import_text",
    "register",
]


class ImportSourceError(ExplorerError):
    """The source could not be read as the format asked for (or as any format)."""

    title = "Import failed"
    exit_code = 2


@dataclass(frozen=True)
class ImportOrigin:
    """Where the text came from: a file (its directory resolves relative `@file` / `< file` bodies) or stdin."""

    path: Path | None = None
    # Extra files the user named (Postman environments, http-client.env.json), in the order given.
    environments: tuple[Path, ...] = ()

    @property
    def directory(self) -> Path:
        return self.path.parent if self.path is not None else Path.cwd()

    @property
    def label(self) -> str:
        return str(self.path) if self.path is not None else "standard input"


@dataclass
class ProfileSuggestion:
    """A profile the source implies. `secret_source` is `env:VAR` or `keyring`: the secret itself is never kept."""

    name: str
    client_id: str
    tenant: str = ""
    token_url: str = ""
    auth_url: str = ""
    api_url: str = ""
    scopes: tuple[str, ...] = ()
    client_auth: str = "post"
    secret_source: str = "keyring"
    # Where in the source it was found, and what the user still has to do (store the secret, …).
    origin: str = ""
    instructions: list[str] = field(default_factory=list)

    def table(self) -> dict[str, object]:
        """The `[profiles.NAME]` table for the profiles file, leaving out what the defaults already say."""
        table: dict[str, object] = {"tenant": self.tenant or self.name, "client_id": self.client_id}
        table["client_secret"] = self.secret_source
        if self.auth_url:
            table["auth_url"] = self.auth_url
        if self.token_url:
            table["token_url"] = self.token_url
        if self.api_url:
            table["api_url"] = self.api_url
        if self.scopes:
            table["scopes"] = list(self.scopes)
        if self.client_auth != "post":
            table["client_auth"] = self.client_auth
        return table

    def key(self) -> tuple[str, str, tuple[str, ...]]:
        return (self.token_url or self.tenant, self.client_id, self.scopes)


@dataclass
class RetiredToken:
    """A hard-coded token taken out of a request; what its (unverified) claims said about it."""

    where: str
    client_id: str = ""
    expires_at: float | None = None
    is_jwt: bool = False
    issuer: str = ""
    scopes: tuple[str, ...] = ()


@dataclass
class ImportResult:
    """A collection plus the account of the import, for the command to print and the caller to act on."""

    collection: Collection
    format: str = ""
    profiles: list[ProfileSuggestion] = field(default_factory=list)
    # Counts and facts: "3 folders", "5 variables", "body of 'Upload' inlined from ./a.json".
    notes: list[str] = field(default_factory=list)
    # What was left out, and why ("'Login' (PROPFIND): not a method explorer sends").
    skipped: list[str] = field(default_factory=list)
    # What was changed so no secret is written ("Cookie header of 'List': value moved to {{$env.COOKIE}}").
    changed: list[str] = field(default_factory=list)
    retired: list[RetiredToken] = field(default_factory=list)
    # Environment variables the user has to set for `{{$env.NAME}}` references the import created.
    env_vars: dict[str, str] = field(default_factory=dict)
    # The request names given so far, so that naming the thousandth request does not list the other 999.
    names: set[str] = field(default_factory=set, repr=False)

    def merge_profile(self, suggestion: ProfileSuggestion) -> ProfileSuggestion:
        """Add a suggestion unless the same client on the same server is already suggested; return the kept one."""
        for known in self.profiles:
            if known.key() == suggestion.key():
                return known
        taken = {p.name for p in self.profiles}
        base, number = suggestion.name, 2
        while suggestion.name in taken:
            suggestion.name = f"{base}-{number}"
            number += 1
        self.profiles.append(suggestion)
        return suggestion


Detector = Callable[[str, str], int]
Parser = Callable[[str, ImportOrigin], ImportResult]


@dataclass(frozen=True)
class ImportFormat:
    """One source format. `detect(text, filename)` scores 0 (not this) to 100 (surely this)."""

    name: str
    description: str
    detect: Detector
    parse: Parser


# Modules holding a `FORMAT`; loaded on first use so `explorer import` pays only for what it runs.
BUILTIN_MODULES: list[str] = [
    "explorer.core.importers.curl",
    "explorer.core.importers.httpfile",
    "explorer.core.importers.postman",
    "explorer.core.importers.openapi",
]

_registry: dict[str, ImportFormat] = {}
_loaded: set[str] = set()


def register(fmt: ImportFormat) -> None:
    """Add (or replace) a format by name."""
    _registry[fmt.name] = fmt


def _load_builtin() -> None:
    for module_name in BUILTIN_MODULES:
        if module_name in _loaded:
            continue
        _loaded.add(module_name)
        module = importlib.import_module(module_name)
        fmt = getattr(module, "FORMAT", None)
        if isinstance(fmt, ImportFormat) and fmt.name not in _registry:
            _registry[fmt.name] = fmt


def formats() -> dict[str, ImportFormat]:
    """Every known format by name."""
    _load_builtin()
    return dict(_registry)


def get_format(name: str) -> ImportFormat:
    known = formats()
    try:
        return known[name]
    except KeyError:
        raise ImportSourceError(
            f"{name!r} is not a format explorer imports.", hint=f"Known formats: {', '.join(sorted(known))}."
        ) from None


def detect_format(text: str, filename: str = "") -> ImportFormat:
    """The format that claims the text most surely; an error naming the known formats when none does."""
    best: tuple[int, ImportFormat] | None = None
    for fmt in formats().values():
        score = fmt.detect(text, filename)
        if score > 0 and (best is None or score > best[0]):
            best = (score, fmt)
    if best is None:
        raise ImportSourceError(
            f"Cannot tell what format {filename or 'the input'} is in.",
            hint=f"Pass --format ({', '.join(sorted(formats()))}).",
        )
    return best[1]


def import_text(text: str, origin: ImportOrigin | None = None, *, format: str | None = None) -> ImportResult:
    """Parse `text` in the given (or detected) format and make the result safe to write."""
    from explorer.core.importers.safety import make_safe

    origin = origin or ImportOrigin()
    # Windows line endings and a byte order mark are how many of these files arrive.
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    fmt = get_format(format) if format else detect_format(text, origin.path.name if origin.path else "")
    try:
        result = fmt.parse(text, origin)
    except RecursionError:
        # JSON nested thousands deep, or folders within folders: the parsers recurse once per level.
        raise ImportSourceError(f"{origin.label} is nested too deeply to import.") from None
    result.format = fmt.name
    make_safe(result)
    return result
