"""Fetching API descriptions: the cache, conditional refreshes, and a description behind the Bearer token."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from explorer.core.openapi.document import SpecError
from explorer.core.openapi.location import resolve_location
from explorer.core.openapi.source import cached_spec, fetch_spec, load_catalogue
from explorer.sandbox import SandboxServer


async def test_fetched_once_then_cached_then_refreshed_with_the_etag(tmp_path: Path, sandbox: SandboxServer) -> None:
    url = f"{sandbox.api_url_for('demo')}/openapi.json"
    sandbox.reset_counters()
    async with httpx.AsyncClient() as client:
        first = await fetch_spec(url, client, cache_dir=tmp_path)
        assert first.outcome == "fetched" and first.etag and first.path.read_bytes().startswith(b"{")
        second = await fetch_spec(url, client, cache_dir=tmp_path)
        assert second.outcome == "cached" and second.path == first.path
        third = await fetch_spec(url, client, cache_dir=tmp_path, refresh=True)
        assert third.outcome == "not modified"
        catalogue = await load_catalogue(url, client, cache_dir=tmp_path)
    assert len(catalogue.operations) > 10
    served = [entry for entry in sandbox.request_log() if entry.path.endswith("/openapi.json")]
    assert [entry.status for entry in served] == [200, 304]
    assert cached_spec(url, tmp_path) is not None and cached_spec("http://other/", tmp_path) is None


class _Guarded(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.headers.get("Authorization") != "Bearer sesame":
            self.send_response(401)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = b"openapi: 3.0.0\ninfo: {title: private}\npaths: {/x: {get: {}}}\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def guarded() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Guarded)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/spec.yaml"
    finally:
        server.shutdown()
        server.server_close()


async def test_a_description_behind_the_token_gets_it(tmp_path: Path, guarded: str) -> None:
    asked: list[bool] = []

    async def token() -> str:
        asked.append(True)
        return "sesame"

    async with httpx.AsyncClient() as client:
        with pytest.raises(SpecError, match="answered 401"):
            await fetch_spec(guarded, client, cache_dir=tmp_path)
        catalogue = await load_catalogue(guarded, client, token=token, cache_dir=tmp_path)
    assert catalogue.title == "private" and asked == [True]


async def test_unreachable_is_one_error_and_paths_resolve_next_to_their_file(tmp_path: Path) -> None:
    async with httpx.AsyncClient() as client:
        with pytest.raises(SpecError, match="Cannot fetch"):
            await fetch_spec("http://127.0.0.1:1/spec.json", client, cache_dir=tmp_path)
    assert resolve_location("specs/a.yaml", tmp_path / "coll.toml") == str(tmp_path / "specs" / "a.yaml")
    assert resolve_location("https://x/y.json", tmp_path / "coll.toml") == "https://x/y.json"
