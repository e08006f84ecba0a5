"""What the headless commands share: finding the profiles file, the token cache, asking for a secret."""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

from explorer.cli.output import tell, warn
from explorer.core.errors import SecretError
from explorer.core.profiles import Profile, ProfilesConfig, default_config_path, load_profiles, profile_choice
from explorer.core.sanitize import clean
from explorer.core.tokens import TokenCache, token_cache_path


def config_path(args: argparse.Namespace) -> Path:
    given = getattr(args, "config", None)
    return Path(given).expanduser() if given else default_config_path()


def load_config(args: argparse.Namespace) -> ProfilesConfig:
    config = load_profiles(config_path(args))
    for warning in config.warnings:
        warn(warning)
    return config


def chosen_profile(args: argparse.Namespace, config: ProfilesConfig) -> Profile:
    profile = config.get(profile_choice(getattr(args, "profile", None)))
    timeout = getattr(args, "timeout", None)
    if timeout is not None:
        profile = replace(profile, limits=replace(profile.limits, deadline=timeout))
    return profile


def token_cache() -> TokenCache:
    return TokenCache(token_cache_path(), clock=time.time)


async def terminal_prompt(profile: Profile, reason: SecretError) -> str | None:
    """A hidden prompt on the terminal; scripts without one get the original error."""
    import asyncio
    import getpass

    if not sys.stdin.isatty():
        raise reason
    tell(reason.message)
    question = clean(f"Client secret for {profile.client_id} on {profile.tenant}: ")
    return await asyncio.to_thread(getpass.getpass, question)
