"""Postman v2.1 and v2.0 collections and environments, written by hand the way Postman exports them."""

from __future__ import annotations

import json
from pathlib import Path

from explorer.core.collection_secrets import find_secrets
from explorer.core.collection_writer import dumps_collection
from explorer.core.collections import loads_collection
from explorer.core.importers import ImportOrigin, import_text
from tests.core.importers.helpers import assert_no_secret, make_jwt

TOKEN = make_jwt(azp="acme-client", exp=1772323200, iss="https://id.p.newstore.net/auth/realms/acme")

V21 = {
    "info": {
        "name": "NewStore",
        "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
    },
    "auth": {"type": "bearer", "bearer": [{"key": "token", "value": "{{token}}", "type": "string"}]},
    "variable": [
        {"key": "baseUrl", "value": "https://acme.p.newstore.net"},
        {"key": "token", "value": TOKEN},
        {"key": "apiKey", "value": "k-123", "type": "secret"},
        {"key": "off", "value": "x", "disabled": True},
    ],
    "item": [
        {
            "name": "Orders",
            "item": [
                {
                    "name": "Returns",
                    "item": [
                        {
                            "name": "Get return",
                            "event": [
                                {
                                    "listen": "test",
                                    "script": {"exec": ["pm.test('ok', () => pm.response.to.have.status(200));"]},
                                }
                            ],
                            "request": {
                                "method": "GET",
                                "header": [
                                    {"key": "Accept", "value": "application/json"},
                                    {"key": "X-Debug", "value": "1", "disabled": True},
                                    {"key": "X-Key", "value": "{{apiKey}}"},
                                ],
                                "url": {
                                    "raw": "{{baseUrl}}/v0/returns/:id?expand=items&skip=1",
                                    "host": ["{{baseUrl}}"],
                                    "path": ["v0", "returns", ":id"],
                                    "query": [
                                        {"key": "expand", "value": "items"},
                                        {"key": "skip", "value": "1", "disabled": True},
                                    ],
                                    "variable": [{"key": "id", "value": "r-1"}],
                                },
                            },
                        }
                    ],
                },
                {
                    "name": "Create order",
                    "request": {
                        "method": "POST",
                        "header": [],
                        "body": {
                            "mode": "raw",
                            "raw": '{"id": "{{$guid}}"}',
                            "options": {"raw": {"language": "json"}},
                        },
                        "url": "{{baseUrl}}/v0/d/orders",
                    },
                },
            ],
        },
        {
            "name": "Form",
            "request": {
                "auth": {"type": "noauth"},
                "method": "POST",
                "body": {
                    "mode": "urlencoded",
                    "urlencoded": [
                        {"key": "a", "value": "x y"},
                        {"key": "b", "value": "{{baseUrl}}"},
                        {"key": "c", "value": "no", "disabled": True},
                    ],
                },
                "url": {"protocol": "https", "host": ["h", "test"], "path": ["form"]},
            },
        },
        {
            "name": "Upload",
            "request": {
                "auth": {
                    "type": "basic",
                    "basic": [{"key": "username", "value": "u"}, {"key": "password", "value": "pw"}],
                },
                "method": "POST",
                "body": {"mode": "formdata", "formdata": [{"key": "f", "value": "v", "type": "text"}]},
                "url": "https://h.test/up",
            },
        },
        {
            "name": "Token",
            "request": {
                "method": "POST",
                "body": {
                    "mode": "urlencoded",
                    "urlencoded": [
                        {"key": "grant_type", "value": "client_credentials"},
                        {"key": "client_id", "value": "acme-client"},
                        {"key": "client_secret", "value": "s3cret"},
                    ],
                },
                "url": "https://id.p.newstore.net/auth/realms/acme/protocol/openid-connect/token",
            },
        },
    ],
}


def test_v21_folders_variables_bodies_and_auth() -> None:
    result = import_text(json.dumps(V21))
    assert result.format == "postman"
    collection = result.collection
    assert collection.name == "NewStore"
    assert collection.variables == {"baseUrl": "https://acme.p.newstore.net"}
    names = [r.name for r in collection.requests]
    assert names == ["Get return", "Create order", "Form", "Upload"]
    get, create, form, upload = collection.requests
    assert get.folder == "Orders/Returns"
    assert get.url == "{{baseUrl}}/v0/returns/r-1?expand=items"
    assert get.headers == {"Accept": "application/json", "X-Key": "{{$env.APIKEY}}"}
    assert get.auth is True and get.expect.status == 200
    assert create.body == '{"id": "{{$uuid}}"}'
    assert create.headers == {"Content-Type": "application/json"}
    assert form.auth is False
    assert form.url == "https://h.test/form"
    assert form.body == "a=x+y&b={{baseUrl}}"
    assert upload.headers["Authorization"] == "Basic {{$env.BASIC_U}}"
    assert upload.body.startswith("------explorer-form-boundary\r\n")
    assert [p.tenant for p in result.profiles] == ["acme"]
    text = dumps_collection(collection)
    assert_no_secret(text, TOKEN, "k-123", "pw", "s3cret")
    assert find_secrets(collection) == []
    assert loads_collection(text).requests[0].expect.status == 200


def test_v20_url_strings_object_auth_and_oauth2_profile() -> None:
    v20 = {
        "info": {"name": "Old", "schema": "https://schema.getpostman.com/json/collection/v2.0.0/collection.json"},
        "item": [
            {
                "name": "Folder",
                "auth": {
                    "type": "oauth2",
                    "oauth2": {
                        "grant_type": "client_credentials",
                        "accessTokenUrl": "https://id.p.newstore.net/auth/realms/acme-staging/protocol/openid-connect/token",
                        "clientId": "cid",
                        "clientSecret": "csecret",
                        "scope": "a b",
                        "client_authentication": "header",
                        "accessToken": TOKEN,
                    },
                },
                "item": [
                    {"name": "Stores", "request": "https://acme-staging.p.newstore.net/v0/stores"},
                    {
                        "name": "Headers as text",
                        "request": {
                            "url": "https://h.test/x",
                            "method": "PUT",
                            "header": "A: 1\nB: 2",
                            "auth": {"type": "bearer", "bearer": {"token": "plain-token"}},
                        },
                    },
                ],
            },
            {"name": "Broken", "request": {"method": "GET"}},
            {"name": "Missing"},
        ],
    }
    result = import_text(json.dumps(v20), format="postman")
    stores, headers = result.collection.requests
    assert (stores.method, stores.url, stores.auth, stores.headers) == (
        "GET",
        "https://acme-staging.p.newstore.net/v0/stores",
        True,
        {},
    )
    assert headers.headers == {"A": "1", "B": "2"}
    assert headers.auth is True
    # The OAuth2 settings give one profile; the stale token's claims name another client (acme-client on acme).
    profile, from_token = result.profiles
    assert (from_token.tenant, from_token.client_id) == ("acme", "acme-client")
    assert (profile.tenant, profile.client_id, profile.scopes, profile.client_auth) == (
        "acme-staging",
        "cid",
        ("a", "b"),
        "basic",
    )
    assert len(result.skipped) == 2
    assert_no_secret(dumps_collection(result.collection), TOKEN, "csecret", "plain-token")
    assert len(result.retired) == 2


def test_environment_file_gives_variables_secrets_to_env(tmp_path: Path) -> None:
    env = tmp_path / "dev.postman_environment.json"
    env.write_text(
        json.dumps(
            {
                "name": "dev",
                "values": [
                    {"key": "baseUrl", "value": "https://dev.test", "enabled": True},
                    {"key": "password", "value": "pw", "type": "secret", "enabled": True},
                    {"key": "off", "value": "x", "enabled": False},
                ],
                "_postman_variable_scope": "environment",
            }
        )
    )
    collection = {
        "info": {"name": "C", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
        "item": [
            {
                "name": "Login",
                "request": {
                    "method": "POST",
                    "url": "{{baseUrl}}/login",
                    "body": {"mode": "raw", "raw": '{"p": "{{password}}"}'},
                },
            }
        ],
    }
    result = import_text(json.dumps(collection), ImportOrigin(environments=(env,)))
    assert result.collection.variables == {"baseUrl": "https://dev.test"}
    assert result.collection.requests[0].body == '{"p": "{{$env.PASSWORD}}"}'
    alone = import_text(env.read_text())
    assert alone.collection.variables == {"baseUrl": "https://dev.test"}
    assert "PASSWORD" in alone.env_vars


def test_graphql_and_disabled_body() -> None:
    collection = {
        "info": {"name": "G", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
        "item": [
            {
                "name": "Q",
                "request": {
                    "method": "POST",
                    "url": "https://h.test/graphql",
                    "body": {"mode": "graphql", "graphql": {"query": "{ a }", "variables": '{"x": 1}'}},
                },
            },
            {
                "name": "D",
                "request": {
                    "method": "POST",
                    "url": "https://h.test/",
                    "body": {"mode": "raw", "raw": "x", "disabled": True},
                },
            },
        ],
    }
    q, d = import_text(json.dumps(collection)).collection.requests
    assert json.loads(q.body) == {"query": "{ a }", "variables": {"x": 1}}
    assert d.body == ""
