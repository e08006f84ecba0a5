"""Replaying collections with the engine: expectations, errors that do not stop the run, rate limits."""

from __future__ import annotations

import httpx

from explorer.core.engine import Engine
from explorer.core.model import Collection, Expect, RequestSpec
from explorer.core.runner import report_json, run_requests, select
from explorer.sandbox import SandboxServer
from tests.integration.test_auth_flow import demo_profile


async def test_waits_out_rate_limits_and_reports_it() -> None:
    server = SandboxServer(port=0, rate_limit=2.0).start()
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        import asyncio

        await asyncio.sleep(seconds)

    spec = RequestSpec(name="who", url="{{api_url}}/api/v1/whoami", expect=Expect(status=200))
    collection = Collection(name="burst", requests=[spec.copy(name=f"who {i}") for i in range(7)])
    try:
        async with httpx.AsyncClient() as client:
            engine = Engine(demo_profile(server), client)
            results = await run_requests(engine, collection, collection.requests, sleep=sleep)
    finally:
        server.stop()
    assert all(r.passed for r in results), [r.expectation for r in results]
    assert waits and sum(r.waited for r in results) == sum(waits)


async def test_a_failing_request_does_not_stop_the_run(sandbox: SandboxServer) -> None:
    collection = Collection(
        name="mixed",
        requests=[
            RequestSpec(name="bad", url="{{api_url}}/x/{{missing}}"),
            RequestSpec(name="missing", url="{{api_url}}/v0/stores/store-999", expect=Expect(status=200)),
            RequestSpec(name="ok", url="{{api_url}}/v0/stores", folder="Config", expect=Expect(status=200)),
        ],
    )
    async with httpx.AsyncClient() as client:
        engine = Engine(demo_profile(sandbox), client)
        results = await run_requests(engine, collection, select(collection))
        folder_only = select(collection, folder="Config")
    assert [r.passed for r in results] == [False, False, True]
    assert results[0].error is not None and results[0].expectation == "error: Unknown variable"
    assert results[1].expectation == "status: expected 200, got 404 Not Found"
    assert [r.name for r in folder_only] == ["ok"]
    assert '"failed": 2' in report_json(results, collection=collection, profile="p", fetches=1)
