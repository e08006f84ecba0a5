"""`explorer profiles`: the profiles in the profiles file, with stage and where each secret comes from."""

from __future__ import annotations

import argparse

from explorer.cli.common import config_path, load_config
from explorer.cli.output import say
from explorer.core.sanitize import clean


def _secret_source(value: str) -> str:
    if value.startswith("env:"):
        return f"${value[4:]}"
    if value in ("keyring", "prompt") or value.startswith("keyring:"):
        return value
    return "plain text (move it to env: or keyring)"


def profiles_command(args: argparse.Namespace) -> int:
    config = load_config(args)
    say(f"Profiles in {clean(config_path(args))}:")
    if not config.profiles:
        say("  none")
        return 0
    width = max(len(clean(name)) for name in config.profiles)
    for name, profile in config.profiles.items():
        mark = "*" if name == config.default_profile else " "
        say(
            f"{mark} {clean(name):<{width}}  {profile.stage.value:<10}  {clean(profile.client_id)}  "
            f"secret: {clean(_secret_source(profile.secret_source))}  api: {clean(profile.api_url)}"
        )
    return 0
