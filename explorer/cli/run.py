"""`explorer run`: replay a collection against a profile, one line per request, exit 1 if any fails."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from explorer.cli.common import chosen_profile, config_path, load_config, terminal_prompt, token_cache
from explorer.cli.output import run_async, say, warn
from explorer.core.atomic import write_text_atomic
from explorer.core.collections import load_collection
from explorer.core.errors import ConfigError, ExplorerError
from explorer.core.model import Collection, RequestSpec
from explorer.core.profiles import Profile
from explorer.core.runner import RunResult, report_json, report_junit, run_requests, select
from explorer.core.safefile import check_write_target
from explorer.core.sanitize import clean
from explorer.core.tokens import Token, TokenEvent, TokenEventKind

if TYPE_CHECKING:
    import httpx

    from explorer.core.engine import Engine
    from explorer.core.history import HistoryStore
    from explorer.core.scope_doctor import Doctor


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def _line(result: RunResult, width: int) -> str:
    mark = "✓" if result.passed else "✗"
    status = str(result.response.status) if result.response is not None else "---"
    detail = result.expectation
    if result.error is not None:
        detail = clean(result.error.one_line())
    elif result.response is not None and result.response.retried_after_rejection:
        detail += " (token replaced after a rejection)"
    if result.waited:
        detail += f" (rate limited: waited {result.waited:g} s)"
    return f"{mark} {status:>3}  {clean(result.request.name):<{width}}  {_ms(result.elapsed):>8}  {detail}"


def run_command(args: argparse.Namespace) -> int:
    collection = load_collection(Path(args.collection))
    requests = select(collection, args.request, args.folder)
    if getattr(args, "dry_run", False):
        from explorer.cli.interchange_run import dry_run_command

        return dry_run_command(args, collection, requests)
    config = load_config(args)
    profile = chosen_profile(args, config)
    output_path = _output_path(args, [Path(args.collection), config_path(args)]) if args.output else None
    report_to_stdout = bool(args.report) and not args.output
    # With a report on stdout, the progress lines go to stderr so the report stays parseable.
    out = sys.stderr if report_to_stdout else sys.stdout
    say(
        f"Running {len(requests)} request(s) from {clean(collection.name)!r} as {clean(profile.name)} "
        f"({profile.tenant})",
        file=out,
    )
    tokens: list[Token] = []
    history = None
    if getattr(args, "record", False):
        from explorer.cli.history import open_history

        history = open_history()
        if history is None:
            warn("history is turned off; --record records nothing.")
    try:
        results, fetches = run_async(_run(profile, collection, requests, args.verbose, out, history, tokens))
    finally:
        if history is not None:
            history.close()
    passed = sum(r.passed for r in results)
    failed = len(results) - passed
    plural = "es" if fetches != 1 else ""
    say(
        f"{passed} of {len(results)} request(s) met expectations; {failed} did not. {fetches} token fetch{plural}.",
        file=out,
    )
    if getattr(args, "har", None):
        from explorer.cli.interchange_run import write_har

        write_har(Path(args.har), collection, results, tokens, out)
    if args.report:
        text = (
            report_json(results, collection=collection, profile=profile.name, fetches=fetches)
            if args.report == "json"
            else report_junit(results, collection=collection, profile=profile.name)
        )
        if output_path is not None:
            _write_report(output_path, text if text.endswith("\n") else text + "\n")
        else:
            sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0 if failed == 0 else 1


def _output_path(args: argparse.Namespace, inputs: list[Path]) -> Path:
    """Where the report goes, checked before anything is sent: a run of minutes should not end in "cannot
    write there", and a report must never replace the collection or profiles file it was made from."""
    path = Path(args.output).expanduser()
    try:
        check_write_target(path)
    except OSError as exc:
        raise ConfigError(f"Cannot write the report to {path}: {exc.strerror or exc}.") from None
    for given in inputs:
        try:
            same = path.exists() and given.exists() and path.samefile(given)
        except OSError:
            same = False
        if same:
            raise ConfigError(
                f"The report would replace {given}, which this run reads.", hint="Choose another --output file."
            )
    return path


def _write_report(path: Path, text: str) -> None:
    try:
        write_text_atomic(path, text)
    except OSError as exc:
        raise ExplorerError(
            f"Cannot write the report to {path}: {exc.strerror or exc}.",
            title="Report not written",
            hint="The run's results are above; the file, if it existed, is unchanged.",
        ) from None


async def _run(
    profile: Profile,
    collection: Collection,
    requests: list[RequestSpec],
    verbose: bool,
    out: TextIO,
    history: HistoryStore | None = None,
    tokens: list[Token] | None = None,
) -> tuple[list[RunResult], int]:
    from explorer.core.engine import Engine, make_client

    width = max((len(clean(r.name)) for r in requests), default=10)
    fetches_before = 0

    def started(spec: RequestSpec) -> None:
        nonlocal fetches_before
        fetches_before = engine.tokens.fetches

    def show(result: RunResult) -> None:
        say(_line(result, width), file=out, flush=True)
        for failure in result.failures[1:]:
            say(f"{'':{width + 17}}  {failure.message()}", file=out)
        if result.pages is not None and result.pages.notes:
            say(f"{'':{width + 17}}  {result.pages.notes[0]}", file=out)
        if result.denial is not None:
            for line in result.denial.lines():
                say(f"      {clean(line)}", file=out)
        if verbose and result.response is not None:
            say(result.response.body.decode("utf-8", "replace"), file=out)
        if history is not None:
            _record(history, engine, collection, result, fetched=engine.tokens.fetches > fetches_before)

    async with make_client() as client:

        def fetched(event: TokenEvent) -> None:
            # Tokens fetched during the run, for the HAR's token-exchange entries (their traces are redacted).
            if tokens is not None and event.kind is TokenEventKind.FETCHED and event.token is not None:
                tokens.append(event.token)

        engine = Engine(profile, client, cache=token_cache(), prompt=terminal_prompt, on_event=fetched)
        doctor = await _doctor(profile, collection, client, engine)
        results = await run_requests(engine, collection, requests, on_start=started, on_result=show, doctor=doctor)
        return results, engine.tokens.fetches


async def _doctor(profile: Profile, collection: Collection, client: httpx.AsyncClient, engine: Engine) -> Doctor:
    """Explains 401s and 403s, with the collection's (else the profile's) API description when one is set."""
    from explorer.core.openapi.location import resolve_location
    from explorer.core.openapi.source import load_catalogue
    from explorer.core.scope_doctor import REFETCH_CLI, Doctor

    location = resolve_location(collection.openapi, collection.path) if collection.openapi else profile.openapi
    catalogue = None
    if location:

        async def bearer() -> str:
            return (await engine.token()).access_token

        try:
            catalogue = await load_catalogue(location, client, token=bearer)
        except ExplorerError as exc:
            warn(f"scopes not explained: {exc.one_line()}")
    return Doctor(
        catalogue, api_url=profile.api_url, client_id=profile.client_id, requested=profile.scopes, refetch=REFETCH_CLI
    )


def _record(history: HistoryStore, engine: Engine, collection: Collection, result: RunResult, *, fetched: bool) -> None:
    from explorer.core.history import HistoryError, entry_for

    profile = engine.profile
    token = engine.tokens.token
    entry = entry_for(
        result.request,
        result.response,
        profile=profile.name,
        tenant=profile.tenant,
        stage=profile.stage.value,
        client_id=profile.client_id,
        scopes=token.scopes if token is not None else (),
        source="run",
        collection=collection.name,
        error=result.error.one_line() if result.error is not None else "",
        token_fetched=fetched,
    )
    try:
        history.add(entry)
    except HistoryError as exc:
        warn(exc.one_line())
