"""`explorer profiles`: the profiles in the profiles file, with stage and where each secret comes from."""

from __future__ import annotations

import argparse

from explorer.cli.common import config_path, load_config


def _secret_source(value: str) -> str:
    if value.startswith("env:"):
        return f"${value[4:]}"
    if value in ("keyring", "prompt") or value.startswith("keyring:"):
        return value
    return "plain text (move it to env: or keyring)"


def profiles_command(args: argparse.Namespace) -> int:
    config = load_config(args)
    print(f"Profiles in {config_path(args)}:")
    if not config.profiles:
        print("  none")
        return 0
    width = max(len(name) for name in config.profiles)
    for name, profile in config.profiles.items():
        mark = "*" if name == config.default_profile else " "
        print(
            f"{mark} {name:<{width}}  {profile.stage.value:<10}  {profile.client_id}  "
            f"secret: {_secret_source(profile.secret_source)}  api: {profile.api_url}"
        )
    return 0
