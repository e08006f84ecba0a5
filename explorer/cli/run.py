"""`explorer run`: replay a collection against a profile, one line per request, exit 1 if any fails."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import TextIO

from explorer.cli.common import chosen_profile, load_config, terminal_prompt, token_cache
from explorer.core.atomic import write_text_atomic
from explorer.core.collections import load_collection
from explorer.core.model import Collection, RequestSpec
from explorer.core.profiles import Profile
from explorer.core.runner import RunResult, report_json, report_junit, run_requests, select


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
    results, fetches = asyncio.run(_run(profile, collection, requests, args.verbose, out))
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
    profile: Profile, collection: Collection, requests: list[RequestSpec], verbose: bool, out: TextIO
) -> tuple[list[RunResult], int]:
    from explorer.core.engine import Engine, make_client

    width = max((len(r.name) for r in requests), default=10)

    def show(result: RunResult) -> None:
        print(_line(result, width), file=out, flush=True)
        if verbose and result.response is not None:
            print(result.response.body.decode("utf-8", "replace"), file=out)

    async with make_client() as client:
        engine = Engine(profile, client, cache=token_cache(), prompt=terminal_prompt)
        results = await run_requests(engine, collection, requests, on_result=show)
        return results, engine.tokens.fetches
