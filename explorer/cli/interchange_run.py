"""`explorer run --dry-run` (each request as it would be sent, nothing sent) and `explorer run --har FILE`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from explorer.cli.exporting import optional_profile
from explorer.cli.output import say
from explorer.core.atomic import write_text_atomic
from explorer.core.dryrun import dry_run
from explorer.core.exporters.har import Redactor, env_values, har_document, har_entry, token_entry
from explorer.core.http import variables_for
from explorer.core.model import Collection, RequestSpec
from explorer.core.runner import RunResult
from explorer.core.tokens import Token


def dry_run_command(args: argparse.Namespace, collection: Collection, requests: list[RequestSpec]) -> int:
    profile = optional_profile(args)
    variables = variables_for(profile, collection.variables)
    who = f"profile {profile.name} ({profile.tenant})" if profile is not None else "no profile"
    say(f"Dry run: {len(requests)} request(s) from {collection.name!r} with {who}; nothing is sent.\n")
    missing: list[str] = []
    for spec in requests:
        shown = dry_run(spec, variables, profile=profile.name if profile else "")
        say(shown.text)
        missing += [m for m in shown.missing if m not in missing]
    if missing:
        names = ", ".join("{{" + m + "}}" for m in missing)
        say(f"explorer: note: {names} had no value; they are shown as they are", file=sys.stderr)
    return 0


def write_har(path: Path, collection: Collection, results: list[RunResult], tokens: list[Token], out: TextIO) -> None:
    redactor = Redactor(env_values(collection.requests))
    entries = []
    for token in tokens:
        if token.trace is not None and not token.from_cache:
            entries.append(token_entry(token.trace, token.issued_at, redactor))
    skipped = 0
    for result in results:
        if result.response is None:
            skipped += 1
            continue
        entries.append(har_entry(result.response, redactor, comment=result.request.name))
    note = f"{collection.name}: {len(results)} request(s); credentials redacted"
    write_text_atomic(path, har_document(entries, comment=note))
    extra = f" ({skipped} without an answer left out)" if skipped else ""
    say(f"HAR written to {path}: {len(entries)} entries{extra}, tokens and secrets redacted.", file=out)
