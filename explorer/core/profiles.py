"""The profiles file: which tenants a user talks to, with which client, and where its secret lives.

A profile names a NewStore tenant (company plus stage: `acme-sandbox`, `acme-staging`, `acme`) or any OAuth2
client-credentials server through `token_url`. The file is TOML in the user's config directory, overridable with
`--config FILE` or `EXPLORER_CONFIG`.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from explorer.core.bodyread import DEFAULT_DEADLINE, DEFAULT_MAX_BODY, Limits
from explorer.core.errors import ConfigError
from explorer.core.safefile import read_regular_file
from explorer.core.tokens import cache_key
from explorer.core.userpaths import user_path

DEFAULT_AUTH_URL = "https://id.p.newstore.net"
CONFIG_ENV = "EXPLORER_CONFIG"
PROFILE_ENV = "EXPLORER_PROFILE"

# What a Keycloak realm in a URL path may be called here: no '/', no '..', no spaces or control characters.
_TENANT = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")

_PROFILE_KEYS = {
    "tenant",
    "client_id",
    "client_secret",
    "auth_url",
    "token_url",
    "api_url",
    "scopes",
    "client_auth",
    "variables",
    "description",
    "timeout",
    "max_body_mb",
    "openapi",
}
# Bounds on the two limits a profile may set: beyond them a value is a typo, not a wish.
_MAX_TIMEOUT = 24 * 3600
_MAX_BODY_MB = 64 * 1024


class Stage(StrEnum):
    """The stage a tenant runs in, derived from its name."""

    SANDBOX = "sandbox"
    STAGING = "staging"
    PRODUCTION = "production"


def stage_of(tenant: str) -> Stage:
    if tenant.endswith("-sandbox"):
        return Stage.SANDBOX
    if tenant.endswith("-staging"):
        return Stage.STAGING
    return Stage.PRODUCTION


def company_of(tenant: str) -> str:
    for suffix in ("-sandbox", "-staging"):
        if tenant.endswith(suffix):
            return tenant[: -len(suffix)]
    return tenant


@dataclass(frozen=True)
class Profile:
    """One API client on one tenant. `secret_source` says where the client secret comes from (`env:VAR`,
    `keyring`, `prompt`, or a literal); the profiles file spells it `client_secret`."""

    name: str
    tenant: str
    client_id: str
    secret_source: str = "keyring"
    auth_url: str = DEFAULT_AUTH_URL
    token_url_override: str = ""
    api_url_override: str = ""
    scopes: tuple[str, ...] = ()
    client_auth: str = "post"
    variables: Mapping[str, str] = field(default_factory=dict)
    description: str = ""
    limits: Limits = field(default_factory=Limits)
    """The total deadline of one request and the largest body kept (`timeout`, `max_body_mb` in the file)."""
    openapi: str = ""
    """The API description (OpenAPI / Swagger): a URL, or a path (relative to the profiles file)."""

    @property
    def stage(self) -> Stage:
        return stage_of(self.tenant)

    @property
    def company(self) -> str:
        return company_of(self.tenant)

    @property
    def is_production(self) -> bool:
        return self.stage is Stage.PRODUCTION

    @property
    def token_url(self) -> str:
        if self.token_url_override:
            return self.token_url_override
        base = self.auth_url.rstrip("/")
        return f"{base}/auth/realms/{self.tenant}/protocol/openid-connect/token"

    @property
    def cache_key(self) -> str:
        """Where this profile's token is kept in the token cache: one per token URL, client and scopes."""

        return cache_key(self.token_url, self.client_id, self.scopes)

    @property
    def api_url(self) -> str:
        if self.api_url_override:
            return self.api_url_override.rstrip("/")
        return f"https://{self.tenant}.p.newstore.net"

    def builtin_variables(self) -> dict[str, str]:
        """Variables every request can use without defining them."""
        return {
            "tenant": self.tenant,
            "stage": self.stage.value,
            "api_url": self.api_url,
            "profile": self.name,
            "company": self.company,
            "client_id": self.client_id,
        }


@dataclass
class ProfilesConfig:
    """The parsed profiles file. `warnings` are things worth telling the user that are not errors."""

    path: Path | None
    profiles: dict[str, Profile]
    default_profile: str = ""
    warnings: list[str] = field(default_factory=list)

    def get(self, name: str | None) -> Profile:
        """The named profile, else the default one, else the only one."""
        chosen = name or self.default_profile
        if not chosen:
            if len(self.profiles) == 1:
                return next(iter(self.profiles.values()))
            if not self.profiles:
                raise ConfigError(
                    f"No profiles are defined in {self.path or 'the profiles file'}.",
                    hint="Add a [profiles.NAME] table, or run `explorer sandbox` for a ready one.",
                )
            raise ConfigError(
                "Several profiles are defined and none was chosen.",
                hint=f"Pass --profile (one of: {', '.join(self.profiles)}) or set default_profile.",
            )
        try:
            return self.profiles[chosen]
        except KeyError:
            known = ", ".join(self.profiles) or "none"
            raise ConfigError(f"There is no profile named {chosen!r}.", hint=f"Known profiles: {known}.") from None


def profile_choice(given: str | None, env: Mapping[str, str] | None = None) -> str | None:
    """The profile asked for: named on the command line, else in $EXPLORER_PROFILE; None means the file's default."""
    env = os.environ if env is None else env
    return given or env.get(PROFILE_ENV) or None


def default_config_path(env: Mapping[str, str] | None = None) -> Path:
    """`EXPLORER_CONFIG`, else profiles.toml in the platform's config directory (nothing is created)."""
    env = os.environ if env is None else env
    if env.get(CONFIG_ENV):
        return Path(env[CONFIG_ENV]).expanduser()
    return user_path("config", "profiles.toml")


def load_profiles(path: Path, *, missing_ok: bool = False) -> ProfilesConfig:
    """Read and validate a profiles file. Errors name the file, the line or the key."""
    try:
        raw = read_regular_file(path)
    except FileNotFoundError:
        if missing_ok:
            return ProfilesConfig(path=path, profiles={})
        raise ConfigError(
            f"The profiles file {path} does not exist.",
            hint="Create it (see README.md), pass --config FILE, or try `explorer --demo`.",
        ) from None
    except OSError as exc:
        raise ConfigError(f"Cannot read the profiles file {path}: {exc.strerror or exc}.") from None
    try:
        data = tomllib.loads(raw.decode("utf-8").removeprefix("\ufeff"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: the file is not UTF-8 text.") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}.", hint="Fix the line named above.") from None
    except RecursionError:
        # tomllib recurses once per level of nested arrays or inline tables.
        raise ConfigError(f"{path}: the TOML is nested too deeply to read.", hint="Fix the file.") from None
    return parse_profiles(data, path)


def parse_profiles(data: Mapping[str, Any], path: Path | None = None) -> ProfilesConfig:
    where = str(path) if path else "profiles"
    warnings: list[str] = []
    unknown_top = set(data) - {"default_profile", "profiles"}
    if unknown_top:
        raise ConfigError(f"{where}: unknown key {sorted(unknown_top)[0]!r} at the top level.")
    default = data.get("default_profile", "")
    if not isinstance(default, str):
        raise ConfigError(f"{where}: default_profile must be a string.")
    tables = data.get("profiles", {})
    if not isinstance(tables, dict):
        raise ConfigError(f"{where}: profiles must be a table of [profiles.NAME] tables.")
    profiles: dict[str, Profile] = {}
    for name, table in tables.items():
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: profiles.{name} must be a table.")
        profiles[name] = _parse_profile(name, table, where, warnings, path)
    if default and default not in profiles:
        raise ConfigError(
            f"{where}: default_profile {default!r} is not defined.",
            hint=f"Known profiles: {', '.join(profiles) or 'none'}.",
        )
    return ProfilesConfig(path=path, profiles=profiles, default_profile=default, warnings=warnings)


def _parse_profile(
    name: str, table: dict[str, Any], where: str, warnings: list[str], base: Path | None = None
) -> Profile:
    key = f"profiles.{name}"
    unknown = set(table) - _PROFILE_KEYS
    if unknown:
        raise ConfigError(
            f"{where}: unknown key {key}.{sorted(unknown)[0]}.",
            hint=f"Known keys: {', '.join(sorted(_PROFILE_KEYS))}.",
        )

    def text(field_name: str, *, required: bool = False, default: str = "") -> str:
        value = table.get(field_name, default)
        if not isinstance(value, str):
            raise ConfigError(f"{where}: {key}.{field_name} must be a string.")
        if required and not value.strip():
            raise ConfigError(f"{where}: {key}.{field_name} is required.")
        return value.strip()

    tenant = text("tenant", required=True)
    if not _TENANT.fullmatch(tenant) or ".." in tenant:
        raise ConfigError(
            f"{where}: {key}.tenant {tenant!r} is not a tenant name.",
            hint="A tenant is letters, digits, '-', '_' and '.', like acme-sandbox (it names a Keycloak realm).",
        )
    client_id = text("client_id", required=True)
    secret = text("client_secret", default="keyring")
    if secret and not _is_secret_reference(secret) and not _is_loopback(table):
        warnings.append(
            f"Profile {name!r} keeps its client secret in plain text in {where}; "
            "prefer env:VAR or keyring (`explorer secret set {name}`).".replace("{name}", name)
        )
    client_auth = text("client_auth", default="post")
    if client_auth not in ("post", "basic"):
        raise ConfigError(f'{where}: {key}.client_auth must be "post" or "basic".')
    scopes_raw = table.get("scopes", [])
    if isinstance(scopes_raw, str):
        scopes_raw = scopes_raw.split()
    if not isinstance(scopes_raw, list) or not all(isinstance(s, str) for s in scopes_raw):
        raise ConfigError(f"{where}: {key}.scopes must be a list of strings.")
    variables_raw = table.get("variables", {})
    if not isinstance(variables_raw, dict):
        raise ConfigError(f"{where}: {key}.variables must be a table.")
    variables: dict[str, str] = {}
    for var, value in variables_raw.items():
        if isinstance(value, dict | list):
            raise ConfigError(f"{where}: {key}.variables.{var} must be a string, number or boolean.")
        variables[var] = str(value).lower() if isinstance(value, bool) else str(value)
    for url_key in ("auth_url", "token_url", "api_url"):
        value = text(url_key)
        if value and not value.startswith(("http://", "https://")):
            raise ConfigError(f"{where}: {key}.{url_key} must start with http:// or https://.")
        problem = _url_problem(value) if value else ""
        if problem:
            raise ConfigError(f"{where}: {key}.{url_key} {problem}.", hint="Fix the URL in the profile.")
    limits = _limits(table, f"{where}: {key}")
    openapi = text("openapi")
    if openapi and base is not None:
        from explorer.core.openapi.location import resolve_location

        openapi = resolve_location(openapi, base)
    return Profile(
        name=name,
        tenant=tenant,
        client_id=client_id,
        secret_source=secret,
        auth_url=text("auth_url") or DEFAULT_AUTH_URL,
        token_url_override=text("token_url"),
        api_url_override=text("api_url"),
        scopes=tuple(s for s in scopes_raw if s),
        client_auth=client_auth,
        variables=variables,
        description=text("description"),
        limits=limits,
        openapi=openapi,
    )


def _limits(table: Mapping[str, Any], where: str) -> Limits:
    timeout = table.get("timeout", DEFAULT_DEADLINE)
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not 0 < timeout <= _MAX_TIMEOUT:
        raise ConfigError(f"{where}.timeout must be a number of seconds from 1 to {_MAX_TIMEOUT}.")
    max_mb = table.get("max_body_mb", DEFAULT_MAX_BODY // (1024 * 1024))
    if isinstance(max_mb, bool) or not isinstance(max_mb, int | float) or not 0 < max_mb <= _MAX_BODY_MB:
        raise ConfigError(f"{where}.max_body_mb must be a number of megabytes from 1 to {_MAX_BODY_MB}.")
    return Limits(deadline=float(timeout), max_body=int(max_mb * 1024 * 1024))


def _url_problem(url: str) -> str:
    """Why a URL from the profiles file cannot be used, or "" (httpx would refuse it only when sending)."""
    if any(ch.isspace() or ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F for ch in url):
        return "holds a space or a control character"
    if len(url) > 2048:
        return "is longer than 2048 characters"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number from 0 to 65535
    except ValueError as exc:
        return f"is not a valid URL ({exc})"
    if not parts.hostname:
        return "has no host name"
    return ""


def _is_loopback(table: dict[str, Any]) -> bool:
    """A literal secret for a token server on this machine (the sandbox) is test data, not worth a warning."""
    url = str(table.get("token_url") or table.get("auth_url") or "")
    host = urlsplit(url).hostname or ""
    return host in ("127.0.0.1", "localhost", "::1")


def _is_secret_reference(value: str) -> bool:
    return value in ("keyring", "prompt") or value.startswith(("env:", "keyring:"))
