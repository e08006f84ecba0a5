"""The exploration loop headless: capture a value, use it in the next request, assert with jq, fetch all pages."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import httpx
import pytest

from explorer.core.collections import loads_collection
from explorer.core.engine import Engine
from explorer.core.errors import CollectionError
from explorer.core.model import Collection, Paginate, RequestSpec
from explorer.core.pagination import PaginationError, fetch_all, next_link
from explorer.core.runner import report_json, report_junit, run_requests
from explorer.sandbox import SandboxServer
from tests.integration.test_auth_flow import demo_profile

CHAIN = """
schema_version = 1
name = "Orders loop"

[[requests]]
name = "List orders"
method = "GET"
url = "{{api_url}}/api/v1/orders"
params = { count = "5", status = "completed" }
[requests.capture]
order_id = ".items[0].order_id"
listed_status = "status"
kind = "header:Content-Type"
[requests.expect]
status = "2xx"
jq = [".items | length > 0", ".items | all(.status == \\"completed\\")"]
headers = { "Content-Type" = "application/json" }
max_ms = 5000

[[requests]]
name = "Get order"
method = "GET"
url = "{{api_url}}/api/v1/orders/{{order_id}}"
[requests.expect]
status = [200, 203]
jq = [".order_id == \\"{{order_id}}\\"", ".status == \\"completed\\""]
"""


async def run(sandbox: SandboxServer, collection: Collection, **kwargs: object) -> list:  # type: ignore[type-arg]
    async with httpx.AsyncClient() as client:
        engine = Engine(demo_profile(sandbox), client)
        return await run_requests(engine, collection, collection.requests, **kwargs)  # type: ignore[arg-type]


async def test_capture_from_a_list_then_fetch_its_detail(sandbox: SandboxServer) -> None:
    collection = loads_collection(CHAIN)
    captured: dict[str, str] = {}
    results = await run(sandbox, collection, captured=captured)
    assert [r.expectation for r in results] == ["ok", "ok"]
    listed, detail = results
    order_id = listed.captured["order_id"]
    assert order_id.startswith("ord-") or order_id  # the sandbox's own ids
    assert listed.captured["listed_status"] == "200" and listed.captured["kind"].startswith("application/json")
    assert detail.response.request.url.endswith(f"/api/v1/orders/{order_id}")
    assert json.loads(detail.response.body)["order_id"] == order_id
    assert captured["order_id"] == order_id  # shared with the caller (the TUI's session)


async def test_a_capture_that_finds_nothing_fails_its_row_and_explains_the_next(sandbox: SandboxServer) -> None:
    text = CHAIN.replace('status = "completed"', 'status = "completed", offset = "100000"').replace(
        '".items | length > 0", ', ""
    )
    results = await run(sandbox, loads_collection(text))
    listed, detail = results
    assert not listed.passed
    assert any(f.message().startswith("capture order_id: .items[0].order_id found nothing") for f in listed.failures)
    assert detail.error is not None and "{{order_id}}" in detail.error.message
    assert detail.error.hint == "The capture of order_id in 'List orders' found nothing."


async def test_failures_reach_the_reports_with_actual_values(sandbox: SandboxServer) -> None:
    text = CHAIN.replace("status = [200, 203]", "status = 201").replace("max_ms = 5000", "max_ms = 0.001")
    collection = loads_collection(text)
    results = await run(sandbox, collection)
    report = json.loads(report_json(results, collection=collection, profile="p", fetches=1))
    listed = report["results"][0]
    assert listed["failures"][0]["check"] == "max_ms" and listed["failures"][0]["actual"].endswith(" ms")
    assert report["results"][1]["expected_status"] == 201
    assert report["results"][1]["failures"][0]["message"] == "status: expected 201, got 200 OK"
    suite = ET.fromstring(report_junit(results, collection=collection, profile="p"))
    failure = suite.findall("testcase")[1].find("failure")
    assert failure is not None and failure.get("message") == "status: expected 201, got 200 OK"
    assert "status: expected 201, got 200 OK" in (failure.text or "")


async def test_bad_jq_is_reported_with_its_key_before_anything_is_sent(sandbox: SandboxServer) -> None:
    collection = loads_collection(CHAIN.replace('".items | length > 0"', '".items | length >"'))
    before = sandbox.token_requests
    with pytest.raises(CollectionError) as caught:
        await run(sandbox, collection)
    assert caught.value.key == "requests[0].expect.jq[0]"
    assert sandbox.token_requests == before


PAGED = """
schema_version = 1
name = "Pages"

[[requests]]
name = "All stores"
url = "{{api_url}}/v0/stores"
params = { count = "10" }
[requests.paginate]
style = "offset"
max_pages = 10
[requests.expect]
jq = [".items | length == 24", ".items | map(.store_id) | unique | length == 24"]

[[requests]]
name = "All audit events"
url = "{{api_url}}/api/v1/audit/events"
params = { limit = "100" }
[requests.paginate]
style = "cursor"
cursor = ".next_cursor"
items = ".events"
[requests.expect]
jq = [".events | length == 480"]

[[requests]]
name = "All products"
url = "{{api_url}}/api/v1/catalog/products"
params = { per_page = "25" }
[requests.paginate]
style = "link"
[requests.expect]
jq = ["length == 60", "map(.product_id) | unique | length == 60"]

[[requests]]
name = "Two pages only"
url = "{{api_url}}/api/v1/catalog/products"
params = { per_page = "7" }
[requests.paginate]
style = "link"
max_pages = 2
"""


async def test_all_pages_in_the_three_styles_make_one_row_each(sandbox: SandboxServer) -> None:
    results = await run(sandbox, loads_collection(PAGED))
    assert [r.expectation for r in results] == ["ok", "ok", "ok", "no expectation"]
    assert [len(r.pages.pages) for r in results] == [3, 5, 3, 2]
    assert [r.pages.items for r in results] == [24, 480, 60, 14]
    assert not results[3].pages.complete and "max_pages = 2" in results[3].pages.notes[0]
    combined = json.loads(results[0].response.body)
    assert combined["pagination_info"]["offset"] == 0  # the first page's shape, with every item
    assert results[0].elapsed == pytest.approx(sum(p.elapsed for p in results[0].pages.pages))


async def test_pages_wait_out_429s() -> None:
    server = SandboxServer(port=0, rate_limit=1.0).start()
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        import asyncio

        waits.append(seconds)
        await asyncio.sleep(seconds)

    spec = RequestSpec(
        name="stores", url="{{api_url}}/v0/stores", params={"count": "2"}, paginate=Paginate(max_pages=6)
    )
    try:
        results = await run(server, Collection(requests=[spec]), sleep=sleep)
    finally:
        server.stop()
    assert results[0].passed, results[0].expectation
    assert len(results[0].pages.pages) == 6 and waits and results[0].waited == sum(waits)


async def test_link_pages_never_carry_the_token_to_another_server(sandbox: SandboxServer) -> None:
    from explorer.core.http import ResponseRecord, SentRequest

    def page(link: str) -> ResponseRecord:
        return ResponseRecord(
            200,
            "OK",
            "HTTP/1.1",
            [("Link", link)],
            0.01,
            b"[1]",
            SentRequest("GET", "https://api.a/x", (), b"", True, False),
        )

    sent: list[str] = []

    async def send(spec: RequestSpec) -> ResponseRecord:
        sent.append(spec.url)
        return page('<https://evil.example/x?page=2>; rel="next"')

    with pytest.raises(PaginationError, match="another server"):
        await fetch_all(RequestSpec(url="https://api.a/x"), Paginate(style="link"), send)
    assert sent == ["https://api.a/x"]


def test_next_link_parsing() -> None:
    assert next_link(['<https://a/x?page=2>; rel="next", <https://a/x?page=9>; rel="last"']) == "https://a/x?page=2"
    assert next_link(['<https://a/1>; rel="prev"', '</x?p=3>; title="n, m"; REL=next']) == "/x?p=3"
    assert next_link(['<https://a/1>; rel="prev nexty"']) is None
    assert next_link([]) is None


def test_paging_a_body_without_one_list_asks_for_items(tmp_path: Path) -> None:
    from explorer.core.pagination import _items_path

    with pytest.raises(PaginationError, match=r"lists at the top: \.a, \.b"):
        _items_path({"a": [], "b": []}, "")
    assert _items_path({"data": {"rows": []}}, ".data.rows") == ["data", "rows"]
