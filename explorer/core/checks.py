"""What a response is checked against (`[requests.expect]`) and the values taken from it (`[requests.capture]`).

Every failed check is a `CheckFailure` that names the check, what was expected and what the answer actually
had, so a report line reads `jq .items | length > 0: expected true, got false`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from explorer.core.http import ResponseRecord
from explorer.core.jqfilter import FilterError, as_text, first, is_true
from explorer.core.model import Expect, status_matches, status_text

# A value quoted in a failure is cut to this many characters: a report line, not a dump of the body.
QUOTE_LIMIT = 200


@dataclass(frozen=True)
class CheckFailure:
    """One expectation or capture that did not hold."""

    check: str
    expected: str
    actual: str
    detail: str = ""
    """A sentence that says it better than `expected … got …` (captures use it)."""

    def message(self) -> str:
        if self.detail:
            return self.detail
        return f"{self.check}: expected {self.expected}, got {self.actual}"

    def as_dict(self) -> dict[str, str]:
        return {"check": self.check, "expected": self.expected, "actual": self.actual, "message": self.message()}


def quote(value: Any) -> str:
    """A jq result as a short piece of JSON for a message."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text if len(text) <= QUOTE_LIMIT else text[: QUOTE_LIMIT - 1] + "…"


def describe_status(response: ResponseRecord) -> str:
    return f"{response.status} {response.reason}".strip()


def check_status(expect: Expect, response: ResponseRecord) -> CheckFailure | None:
    expected = expect.status
    if expected is None:
        # Without an expectation, any answer but a server error counts as success.
        if response.status < 500:
            return None
        return CheckFailure("status", "no server error", describe_status(response))
    if status_matches(expected, response.status):
        return None
    wanted = status_text(expected)
    if isinstance(expected, tuple):
        wanted = f"one of {wanted}"
    return CheckFailure("status", wanted, describe_status(response))


def header_matches(expected: str, actual: str) -> bool:
    """`*` asks only for the header; otherwise the value, or the value before its `;` parameters, compared
    without regard to case (so `application/json` matches `application/json; charset=utf-8`)."""
    wanted = expected.strip().lower()
    if wanted == "*":
        return True
    value = actual.strip().lower()
    return value == wanted or value.split(";", 1)[0].strip() == wanted


def check_expectations(expect: Expect, response: ResponseRecord, *, elapsed: float | None = None) -> list[CheckFailure]:
    """Every expectation the response does not meet, in the order the collection declares them.

    `elapsed` (seconds) replaces the response's own time, for a list fetched as several pages.
    """
    failures: list[CheckFailure] = []
    status = check_status(expect, response)
    if status is not None:
        failures.append(status)
    for name, wanted in expect.headers.items():
        present = any(key.lower() == name.lower() for key, _ in response.headers)
        actual = response.header(name)
        if not present:
            failures.append(CheckFailure(f"header {name}", _wanted_header(wanted), "no such header"))
        elif not header_matches(wanted, actual):
            failures.append(CheckFailure(f"header {name}", _wanted_header(wanted), json.dumps(actual)))
    for expression in expect.jq:
        failure = _check_jq(expression, response.body)
        if failure is not None:
            failures.append(failure)
    if expect.max_ms is not None:
        took = (response.elapsed if elapsed is None else elapsed) * 1000
        if took > expect.max_ms:
            failures.append(CheckFailure("max_ms", f"at most {expect.max_ms:g} ms", f"{took:.0f} ms"))
    return failures


def _wanted_header(wanted: str) -> str:
    return "the header" if wanted.strip() == "*" else json.dumps(wanted)


def _check_jq(expression: str, body: bytes) -> CheckFailure | None:
    check = f"jq {expression}"
    try:
        found, value = first(expression, body)
    except FilterError as exc:
        return CheckFailure(check, "true", exc.message, detail=f"{check}: {exc.message}")
    if not found:
        return CheckFailure(check, "true", "no result")
    if is_true(value):
        return None
    return CheckFailure(check, "true", quote(value))


def take_captures(capture: Mapping[str, str], response: ResponseRecord) -> tuple[dict[str, str], list[CheckFailure]]:
    """The captured values by name, and a failure for each capture that found nothing."""
    values: dict[str, str] = {}
    failures: list[CheckFailure] = []
    for name, source in capture.items():
        value, failure = capture_one(name, source, response)
        if failure is not None:
            failures.append(failure)
        else:
            values[name] = value
    return values, failures


def capture_one(name: str, source: str, response: ResponseRecord) -> tuple[str, CheckFailure | None]:
    """One capture: `status`, `header:Name`, or a jq expression on the JSON body (its first result)."""
    check = f"capture {name}"
    where = source.strip()
    if where == "status":
        return str(response.status), None
    if where.lower().startswith("header:"):
        header = where[len("header:") :].strip()
        if not any(key.lower() == header.lower() for key, _ in response.headers):
            detail = f"{check}: the answer has no {header} header ({describe_status(response)})"
            return "", CheckFailure(check, f"header {header}", "no such header", detail=detail)
        return response.header(header), None
    try:
        found, value = first(where, response.body)
    except FilterError as exc:
        return "", CheckFailure(check, where, exc.message, detail=f"{check}: {exc.message}")
    if not found or value is None:
        got = "no result" if not found else "null"
        detail = f"{check}: {where} found nothing in the body ({got}; the answer was {describe_status(response)})"
        return "", CheckFailure(check, where, got, detail=detail)
    return as_text(value), None
