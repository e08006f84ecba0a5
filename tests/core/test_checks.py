"""Expectations, captures and jq filters on a response, each failure with the actual value."""

from __future__ import annotations

import json
import threading

import pytest

from explorer.core import jqfilter
from explorer.core.checks import capture_one, check_expectations, header_matches, take_captures
from explorer.core.http import ResponseRecord, SentRequest
from explorer.core.model import Expect, parse_status, status_matches, status_text


def answer(body: object, status: int = 200, headers: list[tuple[str, str]] | None = None) -> ResponseRecord:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return ResponseRecord(
        status=status,
        reason={200: "OK", 201: "Created", 404: "Not Found"}.get(status, ""),
        http_version="HTTP/1.1",
        headers=headers or [("Content-Type", "application/json; charset=utf-8")],
        elapsed=0.25,
        body=raw,
        request=SentRequest("GET", "https://a/x", (), b"", True, False),
    )


ORDERS = {"orders": [{"id": "o-1", "total": 12.5}, {"id": "o-2", "total": 3}], "count": 2}


@pytest.mark.parametrize(
    ("expected", "status", "ok"),
    [(200, 200, True), (200, 201, False), ((200, 201), 201, True), ("2xx", 204, True), ("2xx", 302, False)],
)
def test_status_forms(expected: int | tuple[int, ...] | str, status: int, ok: bool) -> None:
    assert status_matches(expected, status) is ok
    assert (check_expectations(Expect(status=expected), answer({}, status)) == []) is ok


def test_status_text_round_trips() -> None:
    for typed, parsed in (("200", 200), ("200, 201", (200, 201)), ("2XX", "2xx"), ("", None), ("abc", None)):
        assert parse_status(typed) == parsed
    assert status_text((200, 201)) == "200, 201" and status_text("4xx") == "4xx" and status_text(None) == ""


def test_each_failure_carries_the_actual_value() -> None:
    expect = Expect(
        status=(200, 201),
        jq=(".orders | length > 5", '.orders[0].id == "o-1"', ".missing[]"),
        headers={"Content-Type": "application/json", "X-Request-Id": "*", "Cache-Control": "no-store"},
        max_ms=100,
    )
    failures = check_expectations(
        expect, answer(ORDERS, 404, [("Content-Type", "text/html"), ("Cache-Control", "max-age=5")])
    )
    messages = [f.message() for f in failures]
    assert messages == [
        "status: expected one of 200, 201, got 404 Not Found",
        'header Content-Type: expected "application/json", got "text/html"',
        "header X-Request-Id: expected the header, got no such header",
        'header Cache-Control: expected "no-store", got "max-age=5"',
        "jq .orders | length > 5: expected true, got false",
        "jq .missing[]: Cannot iterate over null (null).",
        "max_ms: expected at most 100 ms, got 250 ms",
    ]


def test_no_expectation_means_no_server_error() -> None:
    assert check_expectations(Expect(), answer({}, 404)) == []
    assert [f.message() for f in check_expectations(Expect(), answer({}, 503))] == [
        "status: expected no server error, got 503"
    ]


def test_jq_on_a_body_that_is_not_json() -> None:
    failures = check_expectations(Expect(jq=(".a",)), answer(b"<html>oops</html>"))
    assert "The body is not JSON" in failures[0].message()


def test_header_matching_ignores_parameters_and_case() -> None:
    assert header_matches("application/json", "Application/JSON; charset=utf-8")
    assert not header_matches("application/json", "application/jsonx")
    assert header_matches("*", "")


def test_captures_take_jq_header_and_status() -> None:
    response = answer(ORDERS, 201, [("Location", "https://a/orders/o-9"), ("Content-Type", "application/json")])
    values, failures = take_captures(
        {"order_id": ".orders[0].id", "total": ".orders[1].total", "where": "header:location", "code": "status",
         "first": ".orders[0]"},
        response,
    )  # fmt: skip
    assert failures == []
    assert values == {
        "order_id": "o-1", "total": "3", "where": "https://a/orders/o-9", "code": "201",
        "first": '{"id":"o-1","total":12.5}',
    }  # fmt: skip


def test_a_capture_that_finds_nothing_fails_clearly() -> None:
    empty = answer({"orders": []})
    _, failure = capture_one("order_id", ".orders[0].id", empty)
    assert failure is not None
    assert failure.message() == (
        "capture order_id: .orders[0].id found nothing in the body (null; the answer was 200 OK)"
    )
    _, failure = capture_one("order_id", ".orders[]", empty)
    assert failure is not None and "(no result;" in failure.message()
    _, failure = capture_one("where", "header:Location", empty)
    assert failure is not None and failure.message() == "capture where: the answer has no Location header (200 OK)"


def test_jq_errors_are_clear_messages() -> None:
    with pytest.raises(jqfilter.FilterError) as caught:
        jqfilter.run(".items |", b"{}")
    assert caught.value.message.startswith("'.items |' is not a valid jq expression: syntax error")
    assert "jq:" not in caught.value.message
    assert jqfilter.check_expression("map(select(.a > 1))") is None
    with pytest.raises(jqfilter.FilterError, match="empty"):
        jqfilter.run("  ", b"{}")


def test_filter_results_and_rendering() -> None:
    body = json.dumps({"items": [{"id": n, "ok": n % 2 == 0} for n in range(6)]})
    assert jqfilter.run(".items | length", body) == [6]
    assert jqfilter.run(".items | map(select(.ok)) | map(.id)", body) == [[0, 2, 4]]
    assert jqfilter.run(".items[].id", body, limit=2) == [0, 1]
    assert jqfilter.render([1, {"a": 2}]) == '1\n{\n  "a": 2\n}\n'


def test_a_cancelled_filter_job_gives_nothing() -> None:
    body = json.dumps(list(range(200_000)))
    job = jqfilter.FilterJob(".[] | . * 2", body)
    results: list[object] = []
    thread = threading.Thread(target=lambda: results.append(job.run()))
    job.cancel()
    thread.start()
    thread.join(timeout=10)
    assert results == [None] and job.cancelled
