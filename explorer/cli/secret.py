"""`explorer secret set|delete PROFILE`: keep a client secret in the OS keyring, never in a file."""

from __future__ import annotations

import argparse
import getpass
import sys

from explorer.cli.common import load_config
from explorer.core.errors import SecretError
from explorer.core.secrets import delete_secret, store_secret


def secret_command(args: argparse.Namespace) -> int:
    config = load_config(args)
    profile = config.get(args.name)
    if args.action == "delete":
        removed = delete_secret(profile)
        print(f"{'Deleted' if removed else 'There was no'} keyring secret for profile {profile.name!r}.")
        return 0
    if sys.stdin.isatty():
        value = getpass.getpass(f"Client secret for {profile.client_id} on {profile.tenant} (hidden): ")
    else:
        value = sys.stdin.readline().rstrip("\r\n")
    if not value:
        raise SecretError("No secret was given; nothing was stored.")
    store_secret(profile, value)
    print(f"Stored the client secret for profile {profile.name!r} in the OS keyring.")
    if profile.secret_source not in ("keyring", f"keyring:{profile.name}"):
        print(f'To use it, set client_secret = "keyring" in profile {profile.name!r}.')
    return 0
