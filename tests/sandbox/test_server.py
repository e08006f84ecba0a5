"""The sandbox server itself: lifecycle, keep-alive, HEAD, chunked bodies, the request log, ready profiles."""

from __future__ import annotations

import http.client
import json
import socket
import tomllib
from typing import Any

import httpx
import pytest

from explorer.sandbox import DEMO_PROFILE_NAMES, SandboxServer, demo_profiles, sandbox_profiles_toml


def test_addresses_need_a_running_server() -> None:
    server = SandboxServer()
    with pytest.raises(RuntimeError, match="start"):
        _ = server.base_url
    server.stop()  # stopping a server that never started is harmless


def test_lifecycle_and_addresses() -> None:
    server = SandboxServer(rate_limit=None)
    assert server.start() is server
    assert server.start() is server  # starting twice keeps the first listener
    port = server.port
    try:
        assert server.base_url == f"http://127.0.0.1:{port}"
        assert server.api_url_for("demo") == f"{server.base_url}/api/demo"
        assert server.token_url("demo") == f"{server.base_url}/auth/realms/demo/protocol/openid-connect/token"
        assert httpx.get(f"{server.api_url_for('demo')}/health").status_code == 200
    finally:
        server.stop()
        server.stop()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=0.5)
    with pytest.raises(RuntimeError):
        _ = server.port


def test_stop_closes_kept_alive_connections() -> None:
    with SandboxServer(rate_limit=None) as server:
        port = server.port
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("GET", "/api/demo/health")
        assert connection.getresponse().read()
    with pytest.raises((ConnectionError, http.client.HTTPException, OSError)):
        connection.request("GET", "/api/demo/health")
        connection.getresponse().read()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=0.5)


def test_one_connection_serves_many_requests(sandbox: SandboxServer) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", sandbox.port, timeout=5)
    try:
        connection.connect()
        first_socket = connection.sock
        for _ in range(5):
            connection.request("GET", "/api/demo/health")
            response = connection.getresponse()
            assert response.status == 200
            assert response.getheader("Content-Length") == str(len(response.read()))
            assert connection.sock is first_socket
        # An error answer keeps the connection open too, even when its request had a body.
        connection.request("POST", "/api/demo/api/v1/nothing", body=b'{"a": 1}')
        response = connection.getresponse()
        assert response.status == 404
        response.read()
        connection.request("GET", "/api/demo/health")
        assert connection.getresponse().status == 200
        assert connection.sock is first_socket
    finally:
        connection.close()


def test_head_has_the_length_but_no_body(sandbox: SandboxServer) -> None:
    response = httpx.head(f"{sandbox.api_url_for('demo')}/health")
    assert response.status_code == 200
    assert int(response.headers["content-length"]) > 0
    assert response.content == b""


def test_a_chunked_body_is_read(sandbox: SandboxServer) -> None:
    def chunks() -> Any:
        yield b"grant_type=client_credentials&client_id=explorer-demo"
        yield b"&client_secret=demo-secret"

    response = httpx.post(
        sandbox.token_url("demo"),
        content=chunks(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 200, response.text


def test_the_request_log_records_method_path_and_status(http: httpx.Client) -> None:
    with SandboxServer(rate_limit=None) as server:
        http.get(f"{server.api_url_for('demo')}/health?verbose=1")
        http.get(f"{server.api_url_for('demo')}/api/v1/whoami")

        assert server.request_log() == [
            ("GET", "/api/demo/health", 200),
            ("GET", "/api/demo/api/v1/whoami", 401),
        ]


def test_the_root_lists_realms_and_apis(sandbox: SandboxServer) -> None:
    index = httpx.get(sandbox.base_url).json()
    assert f"{sandbox.base_url}/api/demo" in index["apis"]


def test_demo_profiles_work_against_the_server(sandbox: SandboxServer, http: httpx.Client) -> None:
    profiles = demo_profiles(sandbox)

    names = ["demo-sandbox", "demo-read-only", "demo-staging", "demo"]
    assert [p["name"] for p in profiles] == list(DEMO_PROFILE_NAMES) == names
    for profile in profiles:
        keys = {"name", "tenant", "client_id", "client_secret", "auth_url", "api_url", "scopes", "openapi"}
        assert set(profile) == keys
        assert http.get(profile["openapi"]).json()["servers"] == [{"url": profile["api_url"]}]
        token_url = f"{profile['auth_url']}/auth/realms/{profile['tenant']}/protocol/openid-connect/token"
        form = {
            "grant_type": "client_credentials",
            "client_id": profile["client_id"],
            "client_secret": profile["client_secret"],
            "scope": " ".join(profile["scopes"]),
        }
        token = http.post(token_url, data=form).json()["access_token"]
        whoami = http.get(f"{profile['api_url']}/api/v1/whoami", headers={"Authorization": f"Bearer {token}"})
        assert whoami.json()["tenant"] == profile["tenant"]


def test_the_profiles_file_is_toml_with_the_same_profiles(sandbox: SandboxServer) -> None:
    text = sandbox_profiles_toml(sandbox)
    data = tomllib.loads(text)

    assert data["default_profile"] == "demo-sandbox"
    for profile in demo_profiles(sandbox):
        table = data["profiles"][profile["name"]]
        expected = {k: v for k, v in profile.items() if k != "name"}
        assert {k: v for k, v in table.items() if k != "description"} == expected
    assert json.dumps(data)  # plain data all the way down
