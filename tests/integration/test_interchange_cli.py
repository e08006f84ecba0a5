"""Export, dry run and HAR as a user runs them: real processes, the sandbox, files in a tmp dir."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from explorer.core.collections import load_collection
from explorer.sandbox import SandboxServer
from tests.core.importers.helpers import make_jwt
from tests.integration.test_cli import ROOT, config, explorer

__all__ = ["config"]

TOKEN = make_jwt(azp="acme-client", exp=1772323200, iss="https://id.p.newstore.net/auth/realms/acme-staging")
NEWSTORE_CURL = (
    "curl -X POST 'https://acme-staging.p.newstore.net/v0/d/orders' \\\n"
    f"  -H 'Authorization: Bearer {TOKEN}' \\\n"
    "  -H 'Content-Type: application/json' \\\n"
    '  --data-raw $\'{"id": "o-1", "note": "it\\\'s"}\'\n'
    "curl -G https://acme-staging.p.newstore.net/v0/stores -d limit=5 -H 'X-Api-Key: k-12345' -b 'sid=abc123'\n"
    "curl -F 'a=1' -F 'b=two words' https://h.test/upload\n"
)


def _requests(path: Path) -> list[tuple[str, str, dict[str, str], str, bool]]:
    return [(r.method, r.url, r.headers, r.body, r.auth) for r in load_collection(path).requests]


def test_curl_import_export_import_gives_the_same_requests(tmp_path: Path) -> None:
    source = tmp_path / "docs.sh"
    source.write_text(NEWSTORE_CURL)
    first = tmp_path / "first.toml"
    assert explorer("import", str(source), "-o", str(first)).returncode == 0
    exported = explorer("export", str(first), "--format", "curl", "--profile", "acme-staging", "--config", "/nope")
    # A profile not made yet is named in the token call all the same (the README's example, just after an
    # import), with a note; an .http export needs the profile itself, so there it is a configuration error.
    assert exported.returncode == 0 and "Traceback" not in exported.stderr
    assert '"Authorization: Bearer $(explorer token --raw --profile acme-staging)"' in exported.stdout
    assert "does not exist" in exported.stderr
    exported = explorer("export", str(first), "--format", "http", "--profile", "acme-staging", "--config", "/nope")
    assert exported.returncode == 2 and "Traceback" not in exported.stderr
    exported = explorer("export", str(first), "--format", "curl", "--config", str(tmp_path / "none.toml"))
    assert exported.returncode == 0, exported.stderr
    assert '-H "Authorization: Bearer $(explorer token --raw)"' in exported.stdout
    assert TOKEN not in exported.stdout and "k-12345" not in exported.stdout and "abc123" not in exported.stdout
    again = tmp_path / "again.sh"
    again.write_text(exported.stdout)
    second = tmp_path / "second.toml"
    assert explorer("import", str(again), "-o", str(second)).returncode == 0
    assert [r[:5] for r in _requests(second)] == [r[:5] for r in _requests(first)]


def test_export_with_a_profile_curl_and_http(tmp_path: Path, config: Path, sandbox: SandboxServer) -> None:
    collection = ROOT / "sample_requests" / "newstore.toml"
    curl = explorer(
        "export", str(collection), "--format", "curl", "--request", "List stores", "--profile", "demo-sandbox",
        config=config,
    )  # fmt: skip
    assert curl.returncode == 0, curl.stderr
    assert sandbox.base_url in curl.stdout
    assert '"Authorization: Bearer $(explorer token --raw --profile demo-sandbox)"' in curl.stdout
    out = tmp_path / "api.http"
    http = explorer(
        "export", str(collection), "--format", "http", "--profile", "demo-sandbox", "-o", str(out), config=config
    )
    assert http.returncode == 0, http.stderr
    text = out.read_text()
    assert 'Authorization: Bearer {{$auth.token("demo-sandbox")}}' in text
    env = json.loads((tmp_path / "http-client.env.json").read_text())
    auth = env["demo-sandbox"]["Security"]["Auth"]["demo-sandbox"]
    assert auth["Grant Type"] == "Client Credentials"
    assert auth["Client ID"] == "explorer-demo"
    assert auth["Client Secret"] == "{{client_secret}}"
    assert "demo-secret" not in (tmp_path / "http-client.env.json").read_text() + text
    refused = explorer("export", str(collection), "--format", "http", "-o", str(out), config=config)
    assert refused.returncode == 1 and "exists" in refused.stderr


def test_dry_run_sends_nothing_and_masks(tmp_path: Path, config: Path) -> None:
    collection = tmp_path / "c.toml"
    collection.write_text(
        'schema_version = 1\nname = "C"\n[variables]\nlimit = "3"\n'
        '[[requests]]\nname = "Stores"\nurl = "{{api_url}}/v0/stores"\nparams = { limit = "{{limit}}" }\n'
        '[[requests]]\nname = "Create"\nmethod = "POST"\nurl = "{{api_url}}/v0/x/{{unknown}}"\n'
        'headers = { X-Api-Key = "{{$env.KEY}}" }\nbody = \'{"a": 1}\'\nauth = false\n'
    )
    result = explorer("run", str(collection), "--dry-run", "--profile", "demo-sandbox", config=config)
    assert result.returncode == 0, result.stderr
    assert "/api/demo-sandbox/v0/stores?limit=3" in result.stdout
    assert "Authorization: Bearer ••••••••" in result.stdout
    assert "X-Api-Key: ${KEY}" in result.stdout
    assert '{"a": 1}' in result.stdout and "Content-Type: application/json" in result.stdout
    assert "{{unknown}}" in result.stderr
    without = explorer("run", str(collection), "--dry-run", "--config", str(tmp_path / "none.toml"))
    assert without.returncode == 0 and "{{api_url}}/v0/stores?limit=3" in without.stdout


def check_har(document: dict[str, Any]) -> None:
    """The required parts of HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/), with their types."""
    log = document["log"]
    assert log["version"] == "1.2"
    assert isinstance(log["creator"]["name"], str) and isinstance(log["creator"]["version"], str)
    for entry in log["entries"]:
        assert isinstance(entry["startedDateTime"], str) and entry["startedDateTime"].endswith("Z")
        assert isinstance(entry["time"], int | float) and entry["time"] >= 0
        assert isinstance(entry["cache"], dict)
        assert all(isinstance(entry["timings"][k], int | float) for k in ("send", "wait", "receive"))
        request, response = entry["request"], entry["response"]
        for key, kind in (("method", str), ("url", str), ("httpVersion", str), ("cookies", list), ("headers", list)):
            assert isinstance(request[key], kind), key
        assert isinstance(request["queryString"], list)
        assert isinstance(request["headersSize"], int) and isinstance(request["bodySize"], int)
        if "postData" in request:
            assert isinstance(request["postData"]["mimeType"], str)
        assert isinstance(response["status"], int) and isinstance(response["statusText"], str)
        assert isinstance(response["httpVersion"], str) and isinstance(response["redirectURL"], str)
        content = response["content"]
        assert isinstance(content["size"], int) and isinstance(content["mimeType"], str)
        for pair in request["headers"] + response["headers"] + request["queryString"]:
            assert set(pair) >= {"name", "value"}


def test_har_of_a_real_run_is_valid_and_redacted(tmp_path: Path, config: Path) -> None:
    explorer("token", "--forget", "--all", config=config)
    har = tmp_path / "run.har"
    result = explorer("run", str(ROOT / "sample_requests" / "newstore.toml"), "--har", str(har), config=config)
    assert result.returncode == 0, result.stdout + result.stderr
    token = explorer("token", "--raw", config=config).stdout.strip()
    text = har.read_text()
    document = json.loads(text)
    check_har(document)
    entries = document["log"]["entries"]
    assert entries[0]["comment"].startswith("token exchange")
    assert len(entries) > 2
    assert token and token not in text
    assert "demo-secret" not in text
    assert token.split(".")[1] not in text
