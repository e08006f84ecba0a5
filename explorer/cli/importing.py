"""`explorer import SOURCE`: curl lines, .http files, Postman collections (and more) as an explorer collection.

Prints what it did: requests, folders, variables, what was skipped and why, what was changed so that no
token or secret is written, the environment variables to set, and the profiles the source implies.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import TextIO

from explorer.cli.output import say
from explorer.core.collection_secrets import find_secrets
from explorer.core.collection_writer import dumps_collection, save_collection
from explorer.core.collections import load_collection
from explorer.core.errors import CollectionError
from explorer.core.importers import ImportOrigin, ImportResult, ImportSourceError, import_text
from explorer.core.importers.common import unique_name
from explorer.core.importers.safety import summarize_retired
from explorer.core.model import Collection
from explorer.core.safefile import read_regular_file

# Postman exports with many requests and examples run to megabytes; more than this is not a collection.
MAX_IMPORT_FILE = 64 * 1024 * 1024


def import_command(args: argparse.Namespace) -> int:
    source = str(args.source)
    path = None if source == "-" else Path(source).expanduser()
    text = _read_source(path)
    origin = ImportOrigin(path=path, environments=tuple(Path(e).expanduser() for e in args.env))
    result = import_text(text, origin, format=args.format)
    to_stdout = args.output == "-"
    out: TextIO = sys.stderr if to_stdout else sys.stdout
    if args.into:
        written = _merge_into(Path(args.into).expanduser(), result, out)
    elif to_stdout:
        _check_safe(result.collection, "standard output")
        sys.stdout.write(dumps_collection(result.collection))
        written = "standard output"
    else:
        target = Path(args.output).expanduser() if args.output else _default_output(path)
        if target.exists() and not args.force:
            raise CollectionError(
                "exists; nothing was written",
                path=str(target),
                hint="Pass --into to add to it, --force to replace it, or --output for another file.",
            )
        result.collection.path = None
        save_collection(result.collection, target, overwrite_unreadable=bool(args.force), replace=bool(args.force))
        written = str(target)
    _report(result, written, out)
    _profiles(result, args.profiles_output, out)
    return 0


def _read_source(path: Path | None) -> str:
    if path is None:
        return sys.stdin.read()
    try:
        data = read_regular_file(path, limit=MAX_IMPORT_FILE)
    except FileNotFoundError:
        raise ImportSourceError(f"{path} does not exist.", hint="Check the path.") from None
    except OSError as error:
        raise ImportSourceError(f"Cannot read {path}: {error.strerror or error}.") from None
    for encoding in ("utf-8", "utf-16"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _default_output(path: Path | None) -> Path:
    return Path((path.stem if path is not None else "imported") + ".toml")


def _check_safe(collection: Collection, where: str) -> None:
    found = find_secrets(collection)
    if found:
        raise CollectionError(
            f"a token or secret would be written to {where} ({', '.join(found)}); nothing was written",
            hint="Report this: the import should have moved it out.",
        )


def _merge_into(target: Path, result: ImportResult, out: TextIO) -> str:
    existing = load_collection(target)
    for spec in result.collection.requests:
        name = unique_name(existing, spec.name)
        if name != spec.name:
            say(f"  {spec.name!r} is already a request there: added as {name!r}", file=out)
            spec.name = name
        existing.requests.append(spec)
    for key, value in result.collection.variables.items():
        if key in existing.variables and existing.variables[key] != value:
            say(f"  variable {key!r} kept its value in {target.name} (the source says {value!r})", file=out)
            continue
        existing.variables[key] = value
    save_collection(existing, target)
    return str(target)


_ABOUT_REQUEST = re.compile(r"^('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")(?: \([^)]*\))?: (.*)$", re.DOTALL)


def _grouped(lines: list[str], shown: int = 3) -> list[str]:
    """The same change to many requests as one line: `… (in 'A', 'B', 'C' and 347 more)`."""
    groups: dict[str, list[str]] = {}
    for line in lines:
        found = _ABOUT_REQUEST.match(line)
        if found is None:
            groups.setdefault(line, [])
        else:
            groups.setdefault(found.group(2), []).append(found.group(1))
    out = []
    for what, names in groups.items():
        if len(names) <= 1:
            out.append(f"{names[0]}: {what}" if names else what)
            continue
        listed = ", ".join(names[:shown])
        more = f" and {len(names) - shown} more" if len(names) > shown else ""
        out.append(f"{what} (in {listed}{more})")
    return out


def _report(result: ImportResult, written: str, out: TextIO) -> None:
    collection = result.collection
    count = len(collection.requests)
    say(f"Imported {count} request{'s' if count != 1 else ''} ({result.format}) into {written}", file=out)
    folders = collection.folders()
    facts = []
    if folders:
        facts.append(f"{len(folders)} folder{'s' if len(folders) != 1 else ''}")
    if collection.variables:
        facts.append(f"{len(collection.variables)} variable{'s' if len(collection.variables) != 1 else ''}")
    if facts:
        say(f"  {', '.join(facts)}", file=out)
    for note in result.notes:
        say(f"  {note}", file=out)
    if result.retired:
        say(f"  {summarize_retired(result.retired)}", file=out)
    if result.changed:
        say("Changed so that no token or secret is written:", file=out)
        for change in _grouped(result.changed):
            say(f"  - {change}", file=out)
    if result.skipped:
        say("Skipped:", file=out)
        for skipped in _grouped(result.skipped):
            say(f"  - {skipped}", file=out)
    if result.env_vars:
        say("Set these environment variables before sending (the values were not copied):", file=out)
        for name, what in sorted(result.env_vars.items()):
            say(f"  export {name}=…   # {what}", file=out)


def _profiles(result: ImportResult, profiles_output: str | None, out: TextIO) -> None:
    if not result.profiles:
        return
    tables = {p.name: p.table() for p in result.profiles}
    if profiles_output:
        from explorer.core.profiles_file import add_profiles

        added, present = add_profiles(Path(profiles_output).expanduser(), tables)
        if added:
            say(f"Profiles added to {profiles_output}: {', '.join(added)}", file=out)
        if present:
            say(f"Already in {profiles_output} (left as they are): {', '.join(present)}", file=out)
    else:
        say("Profiles for these requests (add them to your profiles file, or pass --profiles-output):", file=out)
        import tomlkit  # here: only an import that suggests profiles pays for it

        document = tomlkit.document()
        document["profiles"] = tables
        for line in tomlkit.dumps(document).strip().splitlines():
            say(f"  {line}", file=out)
    for profile in result.profiles:
        say(f"Profile {profile.name!r} (from {profile.origin}):", file=out)
        if profile.secret_source == "keyring":
            say(f"  store its client secret with: explorer secret set {profile.name}", file=out)
        elif profile.secret_source.startswith("env:"):
            say(f"  set its client secret in ${profile.secret_source[4:]}", file=out)
        for instruction in profile.instructions:
            say(f"  {instruction}", file=out)
