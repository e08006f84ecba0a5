"""`explorer run`: replay a collection against a profile, one line per request, exit 1 if any fails."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from explorer.cli.common import chosen_profile, load_config, terminal_prompt, token_cache
from explorer.core.atomic import write_text_atomic
from explorer.core.collections import load_collection
from explorer.core.model import Collection, RequestSpec
from explorer.core.profiles import Profile
from explorer.core.runner import RunResult, report_json, report_junit, run_requests, select

if TYPE_CHECKING:
    from explorer.core.engine import Engine
    from explorer.core.history import HistoryStore


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def _line(result: RunResult, width: int) -> str:
    mark = "✓" if result.passed else "✗"
    status = str(result.response.status) if result.response is not None else "---"
    detail = result.expectation
    if result.error is not None:
        detail = f"{result.error.title}: {result.error}"
    elif result.response is not None and result.response.retried_after_rejection:
        detail += " (token replaced after a rejection)"
    if result.waited:
        detail += f" (rate limited: waited {result.waited:g} s)"
    return f"{mark} {status:>3}  {result.request.name:<{width}}  {_ms(result.elapsed):>8}  {detail}"


def run_command(args: argparse.Namespace) -> int:
    collection = load_collection(Path(args.collection))
    requests = select(collection, args.request, args.folder)
    config = load_config(args)
    profile = chosen_profile(args, config)
    report_to_stdout = bool(args.report) and not args.output
    # With a report on stdout, the progress lines go to stderr so the report stays parseable.
    out = sys.stderr if report_to_stdout else sys.stdout
    print(f"Running {len(requests)} request(s) from {collection.name!r} as {profile.name} ({profile.tenant})", file=out)
    history = None
    if getattr(args, "record", False):
        from explorer.cli.history import open_history

        history = open_history()
        if history is None:
            print("explorer: history is turned off; --record records nothing.", file=sys.stderr)
    try:
        results, fetches = asyncio.run(_run(profile, collection, requests, args.verbose, out, history))
    finally:
        if history is not None:
            history.close()
    passed = sum(r.passed for r in results)
    failed = len(results) - passed
    plural = "es" if fetches != 1 else ""
    print(
        f"{passed} of {len(results)} request(s) met expectations; {failed} did not. {fetches} token fetch{plural}.",
        file=out,
    )
    if args.report:
        text = (
            report_json(results, collection=collection, profile=profile.name, fetches=fetches)
            if args.report == "json"
            else report_junit(results, collection=collection, profile=profile.name)
        )
        if args.output:
            write_text_atomic(Path(args.output), text if text.endswith("\n") else text + "\n")
        else:
            sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0 if failed == 0 else 1


async def _run(
    profile: Profile,
    collection: Collection,
    requests: list[RequestSpec],
    verbose: bool,
    out: TextIO,
    history: HistoryStore | None = None,
) -> tuple[list[RunResult], int]:
    from explorer.core.engine import Engine, make_client

    width = max((len(r.name) for r in requests), default=10)
    fetches_before = 0

    def started(spec: RequestSpec) -> None:
        nonlocal fetches_before
        fetches_before = engine.tokens.fetches

    def show(result: RunResult) -> None:
        print(_line(result, width), file=out, flush=True)
        for failure in result.failures[1:]:
            print(f"{'':{width + 17}}  {failure.message()}", file=out)
        if result.pages is not None and result.pages.notes:
            print(f"{'':{width + 17}}  {result.pages.notes[0]}", file=out)
        if verbose and result.response is not None:
            print(result.response.body.decode("utf-8", "replace"), file=out)
        if history is not None:
            _record(history, engine, collection, result, fetched=engine.tokens.fetches > fetches_before)

    async with make_client() as client:
        engine = Engine(profile, client, cache=token_cache(), prompt=terminal_prompt)
        results = await run_requests(engine, collection, requests, on_start=started, on_result=show)
        return results, engine.tokens.fetches


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
        print(f"explorer: warning: {exc.one_line()}", file=sys.stderr)
