"""An API that misbehaves: each request ends in a record or one clean RequestError, within the deadline and the
body cap; a replay records each failure as a row and still writes valid reports."""

from __future__ import annotations

import json
import time
from xml.etree import ElementTree as ET

import httpx
import pytest

from explorer.core.bodyread import Limits
from explorer.core.engine import Engine
from explorer.core.errors import ExplorerError, RequestError
from explorer.core.model import Collection, RequestSpec
from explorer.core.profiles import Profile
from explorer.core.runner import report_json, report_junit, run_requests
from tests.hostile_server import API_FAULTS, NASTY, TRANSPORT_FAULTS, HostileServer, assert_clean

BAD_REQUESTS = {
    "bad-port": ("http://127.0.0.1:99999/x", {}),
    "bad-ipv6": ("http://[::1/x", {}),
    "bad-ipv4": ("http://256.1.1.1/x", {}),
    "control-in-url": ("http://127.0.0.1/\x1b[2J", {}),
    "long-url": ("http://127.0.0.1/" + "a" * 70_000, {}),
    "bad-idna": ("http://xn--/x", {}),
    "no-host": ("http:///x", {}),
    "non-ascii-header": ("http://127.0.0.1:1/", {"X-Name": "é"}),
    "crlf-header": ("{api}", {"X": "a\r\nX-Injected: 1"}),
    "space-in-header-name": ("{api}", {"X Y": "a"}),
}


def _engine(server: HostileServer, client: httpx.AsyncClient, **limits: float) -> Engine:
    profile = Profile(
        name="hostile",
        tenant="acme-sandbox",
        client_id="c",
        secret_source="s",
        token_url_override=server.token_url("ok"),
        api_url_override=server.api_url(),
        limits=Limits(**limits),  # type: ignore[arg-type]
    )
    return Engine(profile, client)


@pytest.mark.parametrize("fault", sorted(set(API_FAULTS) | set(TRANSPORT_FAULTS)))
async def test_every_answer_is_a_record_or_one_clean_error(hostile: HostileServer, fault: str) -> None:
    started = time.monotonic()
    async with httpx.AsyncClient() as client:
        engine = _engine(hostile, client, deadline=2.0, max_body=4 * 1024 * 1024)
        try:
            record = await engine.send(RequestSpec(name=fault, url=hostile.api_url(fault)))
        except RequestError as exc:
            assert_clean(exc.one_line())
            if fault in ("drip", "slow-headers"):
                assert exc.code == "timeout"
            if fault in ("endless", "bomb"):
                assert exc.code == "body_too_large" and "stopped after 4 MB; the body is larger" in exc.message
            if fault in ("bad-gzip", "bad-deflate", "truncated-gzip"):
                assert exc.code == "bad_encoding"
        else:
            assert fault in API_FAULTS or fault in ("bad-br", "reason-esc", "header-esc"), fault
            assert record.size <= 4 * 1024 * 1024
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("case", sorted(BAD_REQUESTS))
async def test_requests_httpx_refuses_are_one_clean_error(hostile: HostileServer, case: str) -> None:
    url, headers = BAD_REQUESTS[case]
    async with httpx.AsyncClient() as client:
        engine = _engine(hostile, client, deadline=5.0)
        with pytest.raises(RequestError) as caught:
            await engine.send(RequestSpec(name=case, url=url.format(api=hostile.api_url()), headers=headers))
    line = caught.value.one_line()
    assert_clean(line)
    assert "X-Injected: 1" not in line or "\\r\\n" in line


async def test_a_bomb_inflates_no_further_than_the_cap(hostile: HostileServer) -> None:
    async with httpx.AsyncClient() as client:
        engine = _engine(hostile, client, max_body=1024 * 1024)
        with pytest.raises(RequestError, match="stopped after 1 MB; the body is larger"):
            await engine.send(RequestSpec(name="bomb", url=hostile.api_url("bomb")))


async def test_a_replay_goes_on_and_its_reports_stay_valid(hostile: HostileServer) -> None:
    specs = [RequestSpec(name=f"{fault}{NASTY}", url=hostile.api_url(fault)) for fault in sorted(API_FAULTS)]
    specs += [
        RequestSpec(name=f"{case}", url=url.format(api=hostile.api_url()), headers=headers)
        for case, (url, headers) in sorted(BAD_REQUESTS.items())
    ]
    specs += [
        RequestSpec(name="drip", url=hostile.api_url("drip")),
        RequestSpec(name="bomb", url=hostile.api_url("bomb")),
    ]
    collection = Collection(name=f"hostile{NASTY}", requests=specs)
    async with httpx.AsyncClient() as client:
        engine = _engine(hostile, client, deadline=1.5, max_body=1024 * 1024)
        results = await run_requests(engine, collection, specs)
    assert len(results) == len(specs)
    assert all(r.error is None or isinstance(r.error, ExplorerError) for r in results)
    assert sum(r.error is not None for r in results) >= len(BAD_REQUESTS) + 2
    suite = ET.fromstring(report_junit(results, collection=collection, profile=f"p{NASTY}"))
    assert suite.get("name", "").startswith("hostile\\x1b[31m")
    report = json.loads(report_json(results, collection=collection, profile="p", fetches=1))
    assert len(report["results"]) == len(specs)
