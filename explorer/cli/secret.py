"""`explorer secret set|delete PROFILE`: keep a client secret in the OS keyring, never in a file."""

from __future__ import annotations

import argparse
import getpass
import sys

from explorer.cli.common import load_config
from explorer.cli.output import say
from explorer.core.errors import SecretError
from explorer.core.sanitize import clean
from explorer.core.secrets import delete_secret, store_secret


def secret_command(args: argparse.Namespace) -> int:
    config = load_config(args)
    profile = config.get(args.name)
    if args.action == "delete":
        removed = delete_secret(profile)
        say(f"{'Deleted' if removed else 'There was no'} keyring secret for profile {clean(profile.name)!r}.")
        return 0
    if sys.stdin.isatty():
        value = getpass.getpass(clean(f"Client secret for {profile.client_id} on {profile.tenant} (hidden): "))
    else:
        value = sys.stdin.readline().rstrip("\r\n")
    if not value:
        raise SecretError("No secret was given; nothing was stored.")
    store_secret(profile, value)
    say(f"Stored the client secret for profile {clean(profile.name)!r} in the OS keyring.")
    if profile.secret_source not in ("keyring", f"keyring:{profile.name}"):
        say(f'To use it, set client_secret = "keyring" in profile {clean(profile.name)!r}.')
    return 0
