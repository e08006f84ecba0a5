"""`explorer catalogue`: the operations of an API description, with the scopes each needs and whether the
profile's token has them.

The description is `--spec FILE|URL`, else the profile's `openapi`. The token's scopes come from the token cache
(a token is fetched when none is cached); with `--spec` and no profiles file the scopes are listed unchecked.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from explorer.cli.common import chosen_profile, config_path, terminal_prompt, token_cache
from explorer.cli.output import run_async, say
from explorer.core.errors import ConfigError, ExplorerError
from explorer.core.openapi.location import is_url, resolve_location
from explorer.core.openapi.model import Catalogue, Operation
from explorer.core.openapi.source import read_spec_file
from explorer.core.profiles import Profile, load_profiles
from explorer.core.tokens import Token


def catalogue_command(args: argparse.Namespace) -> int:
    profile = _profile(args)
    location = resolve_location(args.spec, Path.cwd() / "spec") if args.spec else (profile.openapi if profile else "")
    if not location:
        raise ConfigError(
            "No API description to read.",
            hint='Pass --spec FILE|URL, or set openapi = "…" in the profile.',
        )
    token = _token(profile, args.spec is not None) if profile is not None else None
    catalogue = _load(location, profile, args.refresh)
    granted = token.scopes if token is not None else None
    legacy = token is not None and token.is_legacy
    operations = catalogue.filter(args.filter or "")
    if args.json:
        say(json.dumps([_as_json(op, granted, legacy) for op in operations], indent=2, ensure_ascii=False))
    else:
        _print_table(catalogue, operations, granted, legacy, profile)
    if catalogue.problems:
        say(f"explorer: warning: {catalogue.problem_summary()}", file=sys.stderr)
    return 0


def _profile(args: argparse.Namespace) -> Profile | None:
    """The chosen profile; with --spec, none is needed (a missing profiles file is then no error)."""
    path = config_path(args)
    if args.spec and not getattr(args, "profile", None) and not path.exists():
        return None
    config = load_profiles(path, missing_ok=bool(args.spec))
    for warning in config.warnings:
        say(f"explorer: warning: {warning}", file=sys.stderr)
    if args.spec and not config.profiles:
        return None
    try:
        return chosen_profile(args, config)
    except ConfigError:
        if args.spec and not getattr(args, "profile", None):
            return None  # several profiles and none chosen: list the spec without checking scopes
        raise


def _token(profile: Profile, spec_given: bool) -> Token | None:
    """The profile's cached token (even expired: its scopes are what the client is granted), else a new one."""
    cached = token_cache().get(profile.cache_key, include_expired=True)
    if cached is not None:
        return cached

    try:
        return run_async(_fetch_token(profile))
    except ExplorerError as exc:
        if not spec_given and not profile.openapi:
            raise
        say(f"explorer: warning: scopes not checked: {exc.one_line()}", file=sys.stderr)
        return None


async def _fetch_token(profile: Profile) -> Token:
    from explorer.core.engine import Engine, make_client

    async with make_client() as client:
        return await Engine(profile, client, cache=token_cache(), prompt=terminal_prompt).token()


def _load(location: str, profile: Profile | None, refresh: bool) -> Catalogue:
    if not is_url(location):
        # No event loop to keep answering here: the document is parsed in one call, the quickest way.
        return read_spec_file(Path(location), pieces=False)

    return run_async(_fetch_catalogue(location, profile, refresh))


async def _fetch_catalogue(location: str, profile: Profile | None, refresh: bool) -> Catalogue:
    from explorer.core.engine import Engine, make_client
    from explorer.core.openapi.source import load_catalogue

    async with make_client() as client:
        getter = None
        if profile is not None:
            engine = Engine(profile, client, cache=token_cache(), prompt=terminal_prompt)

            async def getter() -> str:
                return (await engine.token()).access_token

        return await load_catalogue(location, client, refresh=refresh, token=getter)


def _missing(op: Operation, granted: tuple[str, ...] | None, legacy: bool) -> list[str]:
    if granted is None or legacy:
        return []
    have = set(granted)
    return [s for s in op.scopes if s not in have]


def _as_json(op: Operation, granted: tuple[str, ...] | None, legacy: bool) -> dict[str, Any]:
    return {
        "method": op.method,
        "path": op.path,
        "operation_id": op.operation_id,
        "summary": op.summary,
        "tags": list(op.tags),
        "scopes": list(op.scopes),
        "missing_scopes": _missing(op, granted, legacy),
        "scopes_checked": granted is not None and not legacy,
        "deprecated": op.deprecated,
        "pointer": op.pointer,
    }


def _print_table(
    catalogue: Catalogue,
    operations: list[Operation],
    granted: tuple[str, ...] | None,
    legacy: bool,
    profile: Profile | None,
) -> None:
    title = catalogue.title or "API"
    version = f" {catalogue.api_version}" if catalogue.api_version else ""
    kind = f"Swagger {catalogue.version}" if catalogue.is_swagger else f"OpenAPI {catalogue.version}"
    shown = (
        f"{len(operations)} of {len(catalogue.operations)}"
        if len(operations) != len(catalogue.operations)
        else (str(len(operations)))
    )
    out = [f"{title}{version} ({kind}): {shown} operation{'s' if len(catalogue.operations) != 1 else ''}"]
    if profile is None:
        out.append("Scopes are not checked: no profile (pass --profile to check them against its token).")
    elif granted is None:
        out.append(f"Scopes are not checked: no token for profile {profile.name}.")
    elif legacy:
        out.append(f"Profile {profile.name} uses a legacy client (a token without scopes): scopes are not checked.")
    else:
        out.append(f"Checked against the token of profile {profile.name}: ✗ marks a scope it lacks.")
    width = min(max((len(op.path) for op in operations), default=10), 60)
    for op in operations:
        missing = set(_missing(op, granted, legacy))
        scopes = " ".join(f"✗{s}" if s in missing else s for s in op.scopes)
        mark = "✗" if missing else " "
        summary = op.summary or op.operation_id
        line = f"{mark} {op.method:<7} {op.path:<{width}}  {summary}"
        if scopes:
            line += f"  [{scopes}]"
        out.append(line.rstrip())
    sys.stdout.write("\n".join(out) + "\n")
