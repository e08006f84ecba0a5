"""Replay a collection against one profile, check expectations, and write reports (JSON, JUnit XML)."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from xml.etree import ElementTree as ET

from explorer.core.checks import CheckFailure, check_expectations, take_captures
from explorer.core.engine import Engine
from explorer.core.errors import CollectionError, ExplorerError, TemplateError
from explorer.core.http import ResponseRecord, missing_variables, prepare, render
from explorer.core.jqfilter import check_expression
from explorer.core.model import Collection, RequestSpec
from explorer.core.pagination import AllPages, fetch_all, send_paced
from explorer.core.placeholders import PLACEHOLDER
from explorer.core.sanitize import xml_text
from explorer.core.scope_doctor import Denial, Doctor


@dataclass
class RunResult:
    request: RequestSpec
    response: ResponseRecord | None = None
    error: ExplorerError | None = None
    # Seconds spent waiting out rate limits (429 Retry-After) before the recorded answer.
    waited: float = 0.0
    failures: list[CheckFailure] = field(default_factory=list)
    """Expectations not met and captures that found nothing, each with the actual value."""
    captured: dict[str, str] = field(default_factory=dict)
    pages: AllPages | None = None
    """Set when the request declares `[requests.paginate]`: the pages behind the combined `response`."""
    denial: Denial | None = None
    """Why a 401 or 403 happened and what to do, when the run had a scope doctor."""

    @property
    def passed(self) -> bool:
        return self.error is None and self.response is not None and not self.failures

    @property
    def expectation(self) -> str:
        """A short phrase for the report: what was expected and whether it held."""
        if self.error is not None:
            return f"error: {self.error.title}"
        if self.failures:
            more = f" (and {len(self.failures) - 1} more)" if len(self.failures) > 1 else ""
            return self.failures[0].message() + more
        return "no expectation" if self.request.expect.is_empty() else "ok"

    @property
    def elapsed(self) -> float:
        if self.pages is not None:
            return self.pages.elapsed
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


async def run_requests(
    engine: Engine,
    collection: Collection,
    requests: Iterable[RequestSpec],
    *,
    on_start: Callable[[RequestSpec], None] | None = None,
    on_result: Callable[[RunResult], None] | None = None,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    captured: dict[str, str] | None = None,
    doctor: Doctor | None = None,
) -> list[RunResult]:
    """Replay in order. A failure of one request is recorded and the run goes on.

    Values captured by a request are `{{variables}}` for the ones after it; pass `captured` to share them with
    the caller (the TUI keeps them for its session). Every jq expression is checked before anything is sent.
    """
    requests = list(requests)
    check_expressions(collection, requests)
    values = captured if captured is not None else {}
    empty: dict[str, str] = {}
    results: list[RunResult] = []
    for spec in requests:
        if on_start is not None:
            on_start(spec)
        result = await _run_one(engine, collection, spec, sleep, values, empty)
        response = result.response
        # A 401 or 403 is explained unless the request expects it.
        if doctor is not None and response is not None and (not result.passed or spec.expect.is_empty()):
            result.denial = doctor.explain(response, engine.tokens.token)
        results.append(result)
        values.update(result.captured)
        for failure in result.failures:
            if failure.check.startswith("capture "):
                empty[failure.check.removeprefix("capture ")] = spec.name
        if on_result is not None:
            on_result(result)
    return results


async def _run_one(
    engine: Engine,
    collection: Collection,
    spec: RequestSpec,
    sleep: Callable[[float], Awaitable[None]],
    captured: dict[str, str],
    empty: dict[str, str],
) -> RunResult:
    variables = engine.variables(collection.variables, captured)

    async def send(request: RequestSpec) -> ResponseRecord:
        return await engine.send_prepared(prepare(request, variables))

    pages: AllPages | None = None
    try:
        unknown = missing_variables(spec, variables)
        if unknown:
            raise TemplateError(unknown, f"request {spec.name!r}")
        # Expectations may name values too: `.id == "{{order_id}}"`.
        expect = replace(
            spec.expect,
            jq=tuple(render(e, variables, where="expect.jq") for e in spec.expect.jq),
            headers={k: render(v, variables, where="expect.headers") for k, v in spec.expect.headers.items()},
        )
        if spec.paginate is not None:
            pages = await fetch_all(spec, spec.paginate, send, sleep=sleep)
            response, waited = pages.response, pages.waited
        else:
            paced = await send_paced(send, spec, sleep)
            response, waited = paced.response, paced.waited
    except TemplateError as exc:
        return RunResult(spec, error=_explain_missing(exc, empty))
    except ExplorerError as exc:
        return RunResult(spec, error=exc)
    except Exception as exc:
        return RunResult(spec, error=unexpected_error(exc))
    result = RunResult(spec, response=response, waited=waited, pages=pages)
    result.failures = check_expectations(expect, response, elapsed=result.elapsed)
    if pages is not None and pages.failed is not None:
        failed = pages.failed
        page = len(pages.pages) + 1
        result.failures.insert(0, CheckFailure(f"page {page}", "2xx", f"{failed.status} {failed.reason}".strip()))
    values, missing = take_captures(spec.capture, response)
    result.captured = values
    result.failures += missing
    return result


def _explain_missing(error: TemplateError, empty: dict[str, str]) -> ExplorerError:
    """A variable left empty by a failed capture says so, instead of only "has no value"."""
    causes = [f"the capture of {name} in {empty[name]!r} found nothing" for name in error.names if name in empty]
    if causes:
        text = "; ".join(causes)
        error.hint = f"{text[:1].upper()}{text[1:]}."
    return error


def check_expressions(collection: Collection, requests: Iterable[RequestSpec]) -> None:
    """Every jq expression the requests use compiles; else a `CollectionError` naming its key."""
    for spec in requests:
        index = next((i for i, r in enumerate(collection.requests) if r is spec), None)
        where = f"requests[{index}]" if index is not None else f"request {spec.name!r}"
        checks = [(f"{where}.expect.jq[{i}]", e) for i, e in enumerate(spec.expect.jq)]
        checks += [
            (f"{where}.capture.{name}", source)
            for name, source in spec.capture.items()
            if source.strip() != "status" and not source.strip().lower().startswith("header:")
        ]
        if spec.paginate is not None:
            checks += [
                (f"{where}.paginate.{key}", getattr(spec.paginate, key))
                for key in ("items", "total", "cursor")
                if getattr(spec.paginate, key)
            ]
        for key, expression in checks:
            # A {{variable}} is filled in before the expression runs; any value keeps the syntax checkable.
            error = check_expression(PLACEHOLDER.sub("0", expression))
            if error is not None:
                path = str(collection.path) if collection.path is not None else ""
                raise CollectionError(error.message, path=path, key=key, hint=error.hint)


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
                    "expected_status": _json_status(r),
                    "passed": r.passed,
                    "error": str(r.error) if r.error else None,
                    "failures": [f.as_dict() for f in r.failures],
                    "captured": r.captured,
                    "explanation": r.denial.lines() if r.denial else None,
                    **({"pages": len(r.pages.pages), "items": r.pages.items} if r.pages is not None else {}),
                }
                for r in results
            ],
        },
        indent=2,
    )


def _json_status(result: RunResult) -> int | list[int] | str | None:
    expected = result.request.expect.status
    return list(expected) if isinstance(expected, tuple) else expected


def unexpected_error(exc: Exception) -> ExplorerError:
    """An exception outside explorer's error tree, as a failed row: named, and owned up to as a bug."""
    detail = f": {exc}" if str(exc) else ""
    return ExplorerError(
        f"{type(exc).__name__}{detail}",
        title="Unexpected error",
        hint="This is a bug in explorer; the other requests still ran.",
    )


def report_junit(results: Sequence[RunResult], *, collection: Collection, profile: str) -> str:
    # XML 1.0 cannot hold most control characters, and a report is also read on terminals: every text that
    # came from a file or a server goes through xml_text().
    x = xml_text
    suite = ET.Element(
        "testsuite",
        name=x(collection.name),
        tests=str(len(results)),
        failures=str(sum(1 for r in results if not r.passed and r.error is None)),
        errors=str(sum(1 for r in results if r.error is not None)),
        time=f"{sum(r.elapsed for r in results):.3f}",
        timestamp=time.strftime("%Y-%m-%dT%H:%M:%S"),
    )
    ET.SubElement(ET.SubElement(suite, "properties"), "property", name="profile", value=x(profile))
    for r in results:
        case = ET.SubElement(
            suite,
            "testcase",
            classname=x(r.request.folder or collection.name),
            name=x(r.request.name),
            time=f"{r.elapsed:.3f}",
        )
        if r.error is not None:
            ET.SubElement(case, "error", message=x(r.error.title), type=type(r.error).__name__).text = x(r.error)
        elif not r.passed and r.response is not None:
            answered = f"{r.request.method} {r.response.request.url} answered {r.response.status} {r.response.reason}"
            lines = [answered, *(f.message() for f in r.failures), *(r.denial.lines() if r.denial else ())]
            ET.SubElement(case, "failure", message=x(r.expectation)).text = x("\n".join(lines))
    ET.indent(suite)
    return ET.tostring(suite, encoding="unicode", xml_declaration=True) + "\n"
