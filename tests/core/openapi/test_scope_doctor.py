"""Matching requests to operations, checking scopes, and explaining 401s and 403s."""

from __future__ import annotations

import json
from typing import Any

from explorer.core.openapi.document import Document
from explorer.core.openapi.matching import OperationMatcher
from explorer.core.openapi.reader import read_catalogue
from explorer.core.scope_doctor import REFETCH_CLI, check_scopes, explain_denial, parse_www_authenticate

SPEC: dict[str, Any] = {
    "openapi": "3.0.0",
    "info": {},
    "servers": [{"url": "https://api.example.com/v1"}],
    "components": {
        "securitySchemes": {"cc": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "t", "scopes": {}}}}}
    },
    "security": [{"cc": ["orders:read"]}],
    "paths": {
        "/orders": {"get": {}, "post": {"security": [{"cc": ["orders:write"]}]}},
        "/orders/{id}": {"get": {}},
        "/orders/search": {"get": {}},
        "/files/{name}.json": {"get": {}},
        "/health": {"get": {"security": []}},
    },
}
CATALOGUE = read_catalogue(Document(SPEC))
MATCHER = OperationMatcher(CATALOGUE)


def path_of(method: str, url: str, api_url: str = "") -> str | None:
    found = MATCHER.match(method, url, api_url)
    return found.path if found else None


def test_matching_by_method_and_template() -> None:
    assert path_of("get", "https://api.example.com/v1/orders/42?x=1") == "/orders/{id}"
    assert path_of("GET", "https://api.example.com/v1/orders/search") == "/orders/search"
    assert path_of("POST", "https://api.example.com/v1/orders") == "/orders"
    assert path_of("GET", "https://api.example.com/v1/files/report.json") == "/files/{name}.json"
    assert path_of("DELETE", "https://api.example.com/v1/orders") is None
    assert path_of("GET", "https://api.example.com/v1/nothing") is None
    # Another base path (the profile's api_url), or none known: the end of the path decides.
    assert path_of("GET", "http://127.0.0.1:9/api/acme/orders/7", "http://127.0.0.1:9/api/acme") == "/orders/{id}"
    assert path_of("GET", "http://gateway/x/y/orders/7") == "/orders/{id}"


def test_check_scopes() -> None:
    post = MATCHER.match("POST", "/v1/orders")
    check = check_scopes(post, ("orders:read",))
    assert check.missing == ("orders:write",) and "lacks orders:write" in check.summary()
    assert check_scopes(post, None).missing == () and "no token yet" in check_scopes(post, None).summary()
    legacy = check_scopes(post, (), legacy=True)
    assert not legacy.checked and "not checked" in legacy.summary()
    assert check_scopes(post, ("orders:write",)).summary().endswith("the token has them.")
    assert check_scopes(MATCHER.match("GET", "/v1/health"), ()).summary() == ""


def test_parse_www_authenticate() -> None:
    (bearer,) = parse_www_authenticate('Bearer realm="acme", error="insufficient_scope", scope="a b"')
    assert bearer.scheme == "bearer" and bearer.params == {
        "realm": "acme",
        "error": "insufficient_scope",
        "scope": "a b",
    }
    two = parse_www_authenticate('Basic realm="x", Bearer error=invalid_token, error_description="it\\"s old"')
    assert [c.scheme for c in two] == ["basic", "bearer"]
    assert two[1].params == {"error": "invalid_token", "error_description": 'it"s old'}
    assert parse_www_authenticate("Bearer") == [parse_www_authenticate("Bearer")[0]]


def test_403_insufficient_scope_explained() -> None:
    post = MATCHER.match("POST", "/v1/orders")
    header = ("WWW-Authenticate", 'Bearer error="insufficient_scope", scope="orders:write"')
    denial = explain_denial(403, [header], b"", operation=post, granted=("orders:read",), client_id="shop-app")
    assert denial is not None
    text = denial.text()
    assert denial.missing == ("orders:write",)
    assert "the token lacks the scope orders:write" in text
    assert "Token has: orders:read" in text and 'error="insufficient_scope"' in text
    assert "Add orders:write to the API client shop-app" in text and "ctrl+t" in text
    # The profile asks for named scopes: the missing one must be asked for too.
    asked = explain_denial(
        403, [header], b"", operation=post, granted=(), requested=("orders:read",), refetch=REFETCH_CLI
    )
    assert asked is not None and "Add orders:write to the profile's scopes." in asked.advice
    assert "explorer token --fetch" in asked.text()


def test_problem_json_and_no_spec() -> None:
    body = json.dumps({"title": "Forbidden", "detail": "needs taxes", "required_scope": "taxes:preview"}).encode()
    headers = [("Content-Type", "application/problem+json")]
    denial = explain_denial(403, headers, body, granted=("orders:read",))
    assert denial is not None and denial.missing == ("taxes:preview",)
    assert "Forbidden: needs taxes" in denial.server_said
    # The server's word alone, with the token unknown.
    header = [("www-authenticate", 'Bearer error="insufficient_scope", scope="x:y"')]
    unknown = explain_denial(403, header, b"")
    assert unknown is not None and unknown.missing == ("x:y",)
    assert explain_denial(200, [], b"") is None


def test_401_and_other_refusals() -> None:
    header = [("WWW-Authenticate", 'Bearer error="invalid_token"')]
    denial = explain_denial(401, header, b"")
    assert denial is not None and "did not accept the token" in denial.headline
    get = MATCHER.match("GET", "/v1/orders")
    other = explain_denial(403, [], b"{}", operation=get, granted=("orders:read",))
    assert other is not None and "another reason" in other.headline
    expired = explain_denial(403, [], b'{"detail": "The access token expired at 12:00"}', granted=("orders:read",))
    assert expired is not None and "expired" in expired.headline
    legacy = explain_denial(403, [], b"", operation=get, granted=(), legacy=True)
    assert legacy is not None and "legacy client" in legacy.headline
