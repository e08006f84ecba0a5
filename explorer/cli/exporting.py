"""`explorer export COLLECTION --format curl|http`: requests as curl lines or a `.http` file, without tokens.

The profile (`--profile`, else the default one when a profiles file exists) fills `{{api_url}}` and friends and
names the `explorer token` call or the `.http` auth entry; without one those stay as they are.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from explorer.cli.common import config_path
from explorer.cli.output import say
from explorer.core.atomic import write_text_atomic
from explorer.core.collections import load_collection
from explorer.core.errors import ConfigError, ExplorerError
from explorer.core.http import variables_for
from explorer.core.profiles import Profile, load_profiles, profile_choice


def optional_profile(args: argparse.Namespace) -> Profile | None:
    """The named profile (an error if unknown), else the default one if there is a usable profiles file."""
    name = profile_choice(getattr(args, "profile", None))
    path = config_path(args)
    if name is None and not path.exists():
        return None
    try:
        config = load_profiles(path)
        return config.get(name)
    except ConfigError:
        if name is not None:
            raise
        return None


def export_command(args: argparse.Namespace) -> int:
    # The runner brings httpx (and with it Rich): not for `explorer --help`, which builds this parser.
    from explorer.core.runner import select

    collection = load_collection(Path(args.collection))
    specs = select(collection, args.request, args.folder)
    token_profile = ""
    try:
        profile = optional_profile(args)
    except ConfigError as error:
        if args.format != "curl" or not args.profile:
            raise
        # A curl line only names the profile in `explorer token --profile P`: it can be written before the
        # profile exists (just after an import, say), with the variables the profile would fill left as they are.
        profile, token_profile = None, args.profile
        say(f"explorer: note: {error.message} The lines name it for explorer token all the same.", file=sys.stderr)
    output = Path(args.output).expanduser() if args.output else None
    if output is not None and output.exists() and not args.force:
        raise ExplorerError(
            f"{output} exists; nothing was written.", title="Export refused", hint="Pass --force to replace it."
        )
    if args.format == "curl":
        from explorer.core.exporters.curl import to_curl

        variables = variables_for(profile, collection.variables)
        missing: list[str] = []
        blocks = []
        for spec in specs:
            exported = to_curl(spec, variables, profile=profile.name if profile else token_profile)
            missing += [m for m in exported.missing if m not in missing]
            blocks.append(f"# {spec.name}\n{exported.text}")
        text = "\n\n".join(blocks) + "\n"
        _write(output, text)
        if missing:
            names = ", ".join("{{" + m + "}}" for m in missing)
            say(f"explorer: note: {names} had no value and were left as they are", file=sys.stderr)
        return 0
    from explorer.core.exporters.httpfile import dumps_env, merge_env, to_http

    exported_http = to_http(collection, specs, profile)
    _write(output, exported_http.text)
    if output is None:
        say("# http-client.env.json (written next to the .http file with --output):", file=sys.stderr)
        say(dumps_env(exported_http.environment), file=sys.stderr, end="")
        return 0
    env_path = output.parent / "http-client.env.json"
    existing: dict[str, object] = {}
    if env_path.exists():
        try:
            loaded = json.loads(env_path.read_text(encoding="utf-8-sig"))
        except (OSError, ValueError) as error:
            raise ExplorerError(
                f"{env_path} could not be read ({error}); it was not changed.", title="Export refused"
            ) from None
        existing = loaded if isinstance(loaded, dict) else {}
    write_text_atomic(env_path, dumps_env(merge_env(existing, exported_http.environment)))
    say(
        f"Wrote {len(specs)} request(s) to {output} and the profile's auth entry to {env_path}. Put the client "
        'secret in http-client.private.env.json as "client_secret" (never commit that file).',
        file=sys.stderr,
    )
    return 0


def _write(output: Path | None, text: str) -> None:
    if output is None:
        sys.stdout.write(text)
    else:
        write_text_atomic(output, text)
