"""`.http` / `.rest` files with JetBrains environments, VS Code variables and file bodies."""

from __future__ import annotations

import json
from pathlib import Path

from explorer.core.collection_secrets import find_secrets
from explorer.core.collection_writer import dumps_collection
from explorer.core.importers import ImportOrigin, import_text
from tests.core.importers.helpers import assert_no_secret

HTTP = """\
@host = https://acme-staging.p.newstore.net
@limit = 10

### List stores
GET {{host}}/v0/stores?limit={{limit}}
    &offset=0
Accept: application/json
Authorization: Bearer {{$auth.token("newstore")}}

###
# @name createOrder
POST {{host}}/v0/d/orders HTTP/1.1
Content-Type: application/json
Authorization: Bearer {{token}}
X-Request-Id: {{$random.uuid}}

{
  "id": "{{$uuid}}",
  "key": "{{apiKey}}"
}

> {% client.global.set("id", response.body.id); %}

### Upload
// a comment
POST {{host}}/upload
Content-Type: text/plain

< ./data.txt

###
https://example.com/plain

### VS Code style
PUT https://example.com/x?u={{$processEnv USER_ID}}
"""

ENV = {
    "dev": {
        "token": "abc",
        "Security": {
            "Auth": {
                "newstore": {
                    "Type": "OAuth2",
                    "Grant Type": "Client Credentials",
                    "Client ID": "{{client}}",
                    "Client Secret": "topsecret",
                    "Token URL": "https://id.p.newstore.net/auth/realms/acme-staging/protocol/openid-connect/token",
                    "Scope": "orders:read stores:read",
                    "Client Credentials": "basic",
                }
            }
        },
        "client": "acme-client",
    },
    "prod": {"host": "https://acme.p.newstore.net"},
}


def write(tmp_path: Path) -> Path:
    source = tmp_path / "api.http"
    source.write_text(HTTP.replace("\n", "\r\n"))
    (tmp_path / "data.txt").write_text("hello\n")
    (tmp_path / "http-client.env.json").write_text(json.dumps(ENV))
    (tmp_path / "http-client.private.env.json").write_text(json.dumps({"dev": {"apiKey": "k-123"}}))
    return source


def test_requests_names_variables_and_bodies(tmp_path: Path) -> None:
    source = write(tmp_path)
    result = import_text(source.read_bytes().decode(), ImportOrigin(path=source))
    assert result.format == "http"
    names = [r.name for r in result.collection.requests]
    assert names == ["List stores", "createOrder", "Upload", "GET /plain", "VS Code style"]
    stores, create, upload, plain, vscode = result.collection.requests
    assert stores.url == "{{host}}/v0/stores?limit={{limit}}&offset=0"
    assert stores.headers == {"Accept": "application/json"}
    assert stores.auth is True
    assert create.method == "POST" and create.auth is True
    assert create.headers == {"Content-Type": "application/json", "X-Request-Id": "{{$uuid}}"}
    assert create.body == '{\n  "id": "{{$uuid}}",\n  "key": "{{$env.APIKEY}}"\n}'
    assert upload.body == "hello\n"
    assert plain.method == "GET" and plain.url == "https://example.com/plain" and plain.auth is False
    assert vscode.url == "https://example.com/x?u={{$env.USER_ID}}"
    assert result.collection.variables == {
        "host": "https://acme-staging.p.newstore.net",
        "limit": "10",
        "client": "acme-client",
    }


def test_security_auth_becomes_profile_secret_never_copied(tmp_path: Path) -> None:
    source = write(tmp_path)
    result = import_text(source.read_bytes().decode(), ImportOrigin(path=source))
    (profile,) = result.profiles
    assert (profile.tenant, profile.client_id, profile.client_auth, profile.scopes) == (
        "acme-staging",
        "acme-client",
        "basic",
        ("orders:read", "stores:read"),
    )
    assert profile.secret_source == "keyring"
    text = dumps_collection(result.collection) + json.dumps(profile.table())
    assert_no_secret(text, "topsecret", "k-123", "abc")
    assert find_secrets(result.collection) == []
    assert "APIKEY" in result.env_vars


def test_missing_body_file_and_non_request_text(tmp_path: Path) -> None:
    source = tmp_path / "x.rest"
    source.write_text("POST https://h.test/a\n\n< ./nope.json\n\n###\nthis is not a request\n")
    result = import_text(source.read_bytes().decode(), ImportOrigin(path=source))
    (spec,) = result.collection.requests
    assert spec.body == ""
    assert any("nope.json" in s for s in result.skipped)
    assert any("not a request line" in s for s in result.skipped)
