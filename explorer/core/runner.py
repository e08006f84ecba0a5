"""Replay a collection against one profile, check expectations, and write reports (JSON, JUnit XML)."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from explorer.core.engine import Engine
from explorer.core.errors import ExplorerError
from explorer.core.http import ResponseRecord
from explorer.core.model import Collection, RequestSpec


@dataclass
class RunResult:
    request: RequestSpec
    response: ResponseRecord | None = None
    error: ExplorerError | None = None
    # Seconds spent waiting out rate limits (429 Retry-After) before the recorded answer.
    waited: float = 0.0

    @property
    def passed(self) -> bool:
        if self.error is not None or self.response is None:
            return False
        expected = self.request.expect.status
        if expected is None:
            # Without an expectation, any answer but a server error counts as success.
            return self.response.status < 500
        return self.response.status == expected

    @property
    def expectation(self) -> str:
        """A short phrase for the report: what was expected and whether it held."""
        expected = self.request.expect.status
        if self.error is not None:
            return f"error: {self.error.title}"
        assert self.response is not None
        if expected is None:
            return "no expectation" if self.passed else "server error"
        return "ok" if self.passed else f"expected {expected}"

    @property
    def elapsed(self) -> float:
        return self.response.elapsed if self.response is not None else 0.0


def select(collection: Collection, names: Sequence[str] = (), folder: str = "") -> list[RequestSpec]:
    """The requests to run, in collection order. Unknown names raise a usage error."""
    chosen = [r for r in collection.requests if not folder or r.folder == folder]
    if folder and not chosen:
        raise ExplorerError(f"The collection has no folder {folder!r}.", title="Nothing to run")
    if names:
        known = {r.name for r in chosen}
        unknown = [n for n in names if n not in known]
        if unknown:
            err = ExplorerError(
                f"No request named {unknown[0]!r} in {collection.name!r}.",
                title="Nothing to run",
                hint=f"Requests: {', '.join(r.name for r in chosen)}.",
            )
            err.exit_code = 2
            raise err
        wanted = set(names)
        chosen = [r for r in chosen if r.name in wanted]
    return chosen


# A replay waits out a 429's Retry-After this many times per request, each wait at most MAX_RETRY_WAIT seconds.
RATE_LIMIT_RETRIES = 2
MAX_RETRY_WAIT = 30.0


async def run_requests(
    engine: Engine,
    collection: Collection,
    requests: Iterable[RequestSpec],
    *,
    on_start: Callable[[RequestSpec], None] | None = None,
    on_result: Callable[[RunResult], None] | None = None,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> list[RunResult]:
    """Replay in order. A failure of one request is recorded and the run goes on."""
    results: list[RunResult] = []
    for spec in requests:
        if on_start is not None:
            on_start(spec)
        result = await _run_one(engine, collection, spec, sleep)
        results.append(result)
        if on_result is not None:
            on_result(result)
    return results


async def _run_one(
    engine: Engine, collection: Collection, spec: RequestSpec, sleep: Callable[[float], Awaitable[None]]
) -> RunResult:
    waited = 0.0
    for attempt in range(RATE_LIMIT_RETRIES + 1):
        try:
            response = await engine.send(spec, collection.variables)
        except ExplorerError as exc:
            return RunResult(spec, error=exc)
        delay = response.retry_after
        if response.status != 429 or delay is None or delay > MAX_RETRY_WAIT or attempt == RATE_LIMIT_RETRIES:
            break
        # Rate limited: the API said when to come back, so wait rather than report a failure.
        await sleep(delay)
        waited += delay
    result = RunResult(spec, response=response)
    result.waited = waited
    return result


def report_json(results: Sequence[RunResult], *, collection: Collection, profile: str, fetches: int) -> str:
    return json.dumps(
        {
            "collection": collection.name,
            "profile": profile,
            "token_fetches": fetches,
            "passed": sum(r.passed for r in results),
            "failed": sum(not r.passed for r in results),
            "results": [
                {
                    "name": r.request.name,
                    "folder": r.request.folder,
                    "method": r.request.method,
                    "status": r.response.status if r.response else None,
                    "elapsed_ms": round(r.elapsed * 1000, 1),
                    "size": r.response.size if r.response else None,
                    "expected_status": r.request.expect.status,
                    "passed": r.passed,
                    "error": str(r.error) if r.error else None,
                }
                for r in results
            ],
        },
        indent=2,
    )


def report_junit(results: Sequence[RunResult], *, collection: Collection, profile: str) -> str:
    suite = ET.Element(
        "testsuite",
        name=collection.name,
        tests=str(len(results)),
        failures=str(sum(1 for r in results if not r.passed and r.error is None)),
        errors=str(sum(1 for r in results if r.error is not None)),
        time=f"{sum(r.elapsed for r in results):.3f}",
        timestamp=time.strftime("%Y-%m-%dT%H:%M:%S"),
    )
    ET.SubElement(ET.SubElement(suite, "properties"), "property", name="profile", value=profile)
    for r in results:
        case = ET.SubElement(
            suite,
            "testcase",
            classname=r.request.folder or collection.name,
            name=r.request.name,
            time=f"{r.elapsed:.3f}",
        )
        if r.error is not None:
            ET.SubElement(case, "error", message=r.error.title, type=type(r.error).__name__).text = str(r.error)
        elif not r.passed and r.response is not None:
            ET.SubElement(
                case, "failure", message=f"status {r.response.status}, {r.expectation}"
            ).text = f"{r.request.method} {r.response.request.url} answered {r.response.status} {r.response.reason}"
    ET.indent(suite)
    return ET.tostring(suite, encoding="unicode", xml_declaration=True) + "\n"
