"""Inputs shaped like the files people really have: Windows cmd curl lines, curl's less common options,
Postman v1 exports and v2 edge cases. Each checks method, URL, headers and body, and that no secret leaks."""

from __future__ import annotations

import json
from pathlib import Path

from explorer.core.collection_secrets import find_secrets
from explorer.core.collection_writer import dumps_collection
from explorer.core.importers import ImportOrigin, import_text
from explorer.core.importers.cmdwords import looks_like_cmd, split_cmd_commands
from explorer.core.importers.curl import parse_curl_command
from tests.core.importers.helpers import assert_no_secret, make_jwt

JWT = make_jwt(azp="shop-client", exp=1772323200)


def curl(text: str, tmp_path: Path | None = None):  # type: ignore[no-untyped-def]
    origin = ImportOrigin(path=tmp_path / "lines.sh") if tmp_path else None
    result = import_text(text, origin, format="curl")
    assert len(result.collection.requests) == 1, result.skipped
    return result.collection.requests[0], result


def test_chrome_copy_as_curl_cmd() -> None:
    text = (
        'curl ^"https://api.example.com/v0/orders?limit=10^&offset=0^" ^\n'
        '  -H ^"accept: application/json^" ^\n'
        f'  -H ^"authorization: Bearer {JWT}^" ^\n'
        '  --data-raw ^"^{^\\^"name^\\^":^\\^"x y^\\^",^\\^"pct^\\^":^\\^"100%^\\^"^}^" ^\n'
        "  --compressed\n"
    )
    assert looks_like_cmd(text)
    spec, result = curl(text)
    assert spec.method == "POST"
    assert spec.url == "https://api.example.com/v0/orders?limit=10&offset=0"
    assert spec.headers["accept"] == "application/json"
    assert "authorization" not in {k.lower() for k in spec.headers} and spec.auth is True
    assert json.loads(spec.body) == {"name": "x y", "pct": "100%"}
    assert_no_secret(dumps_collection(result.collection), JWT)


def test_cmd_continuations_with_plain_quotes_crlf_and_an_argument_line_break() -> None:
    text = 'curl -X PUT "https://e.com/a b" ^\r\n  -H "X-A: 1" ^\r\n  -d "{\\"k\\": \\"v\\"}"\r\ncurl https://e.com/two'
    commands = split_cmd_commands(text)
    assert [c.words for c in commands] == [
        ["curl", "-X", "PUT", "https://e.com/a b", "-H", "X-A: 1", "-d", '{"k": "v"}'],
        ["curl", "https://e.com/two"],
    ]
    assert commands[1].line == 4
    # A caret before two line breaks is a line break inside the argument.
    assert split_cmd_commands('curl -d ^"a^\n\nb^" x')[0].words == ["curl", "-d", "a\nb", "x"]
    assert parse_curl_command('curl ^"https://e.com/p^" ^\n -H ^"X-B: 2^"').headers == [("X-B", "2")]


def test_posix_lines_are_not_read_as_cmd() -> None:
    assert not looks_like_cmd("curl 'https://e.com/?a=^b' \\\n  -H 'X: 1'")


def test_less_common_curl_options(tmp_path: Path) -> None:
    (tmp_path / "body.json").write_text('{"k": "v"}')
    (tmp_path / "headers.txt").write_text("X-From-File: yes\n# a comment\nAccept: text/plain\n")
    (tmp_path / "up.txt").write_text("hello\n")
    spec, _ = curl("curl --url https://e.com/a -XPOST -d@body.json", tmp_path)
    assert (spec.method, spec.url, spec.body) == ("POST", "https://e.com/a", '{"k": "v"}')
    spec, _ = curl("curl -H @headers.txt e.com/h", tmp_path)
    assert spec.url == "http://e.com/h" and spec.headers == {"X-From-File": "yes", "Accept": "text/plain"}
    spec, _ = curl("curl --data-ascii a=1 --data-ascii b=2 https://e.com/p")
    assert (spec.method, spec.body) == ("POST", "a=1&b=2")
    spec, _ = curl("curl --get -d q=1 -d r=2 https://e.com/s")
    assert (spec.method, spec.url, spec.body) == ("GET", "https://e.com/s?q=1&r=2", "")
    spec, _ = curl("curl -I https://e.com/h")
    assert spec.method == "HEAD"
    spec, _ = curl("curl --head --location -g 'https://e.com/a?x[]=1'")
    assert (spec.method, spec.url) == ("HEAD", "https://e.com/a?x[]=1")
    spec, _ = curl("curl -d '' https://e.com/empty")
    assert spec.method == "POST" and spec.body == ""
    spec, _ = curl("curl -A agent --user-agent 'Mozilla/5.0 (X11)' -e https://r.example https://e.com/u")
    assert spec.headers == {"User-Agent": "Mozilla/5.0 (X11)", "Referer": "https://r.example"}
    spec, _ = curl("curl -A agent -H 'User-Agent: mine' https://e.com/u")
    assert spec.headers == {"User-Agent": "mine"}
    spec, result = curl("curl --oauth2-bearer abc123 https://e.com/o")
    assert spec.auth is True and "abc123" not in dumps_collection(result.collection)
    spec, _ = curl("curl -F name=@up.txt -F 'meta={\"a\":1};type=application/json' https://e.com/up", tmp_path)
    assert spec.method == "POST" and spec.headers["Content-Type"].startswith("multipart/form-data; boundary=")
    assert 'filename="up.txt"' in spec.body and "hello" in spec.body
    assert 'name="meta"\r\nContent-Type: application/json\r\n\r\n{"a":1}\r\n' in spec.body


def test_multipart_type_without_boundary_gets_one() -> None:
    spec, _ = curl("curl -H 'Content-Type: multipart/form-data' -F a=1 https://e.com/f")
    assert "boundary=" in spec.headers["Content-Type"]


def test_missing_header_file_is_said() -> None:
    _, result = curl("curl -H @nowhere.txt https://e.com/x")
    assert any("header file nowhere.txt not found" in s for s in result.skipped)


V1 = {
    "id": "c1",
    "name": "Old shop",
    "order": ["r3"],
    "folders": [
        {"id": "f1", "name": "Orders", "order": ["r1", "r2"], "folders_order": ["f2"]},
        {"id": "f2", "name": "Returns", "order": ["r4"]},
    ],
    "requests": [
        {
            "id": "r1",
            "name": "List orders",
            "method": "GET",
            "url": "https://acme.example.com/v0/orders",
            "headers": f"Accept: application/json\nAuthorization: Bearer {JWT}\n",
            "tests": "pm.response.to.have.status(200);",
        },
        {
            "id": "r2",
            "name": "Create order",
            "method": "POST",
            "url": "{{base}}/v0/stores/:store/orders",
            "pathVariableData": [{"key": "store", "value": "s1"}],
            "headerData": [{"key": "Content-Type", "value": "application/json"}, {"key": "X", "enabled": False}],
            "dataMode": "raw",
            "rawModeData": '{"a": 1}',
        },
        {
            "id": "r3",
            "name": "Login",
            "method": "POST",
            "url": "https://acme.example.com/login",
            "dataMode": "urlencoded",
            "data": [{"key": "user", "value": "me"}, {"key": "x", "value": "y", "enabled": False}],
            "currentHelper": "basicAuth",
            "helperAttributes": {"username": "me", "password": "hunter2"},
        },
        {"id": "r4", "name": "Return", "method": "DELETE", "url": "https://acme.example.com/v0/returns/1"},
        {"id": "r5", "name": "Loose", "method": "GET", "url": "acme.example.com/health"},
    ],
}


def test_postman_v1_is_read() -> None:
    result = import_text(json.dumps(V1))
    assert result.format == "postman"
    specs = {s.name: s for s in result.collection.requests}
    assert set(specs) == {"List orders", "Create order", "Login", "Return", "Loose"}
    assert specs["Return"].folder == "Orders/Returns" and specs["List orders"].folder == "Orders"
    assert specs["List orders"].auth is True and specs["List orders"].headers == {"Accept": "application/json"}
    assert specs["List orders"].expect.status == 200
    assert specs["Create order"].url == "{{base}}/v0/stores/s1/orders" and specs["Create order"].body == '{"a": 1}'
    assert specs["Login"].body == "user=me"
    assert specs["Login"].headers["Authorization"].startswith("Basic {{$env.")
    assert specs["Loose"].url == "http://acme.example.com/health"
    text = dumps_collection(result.collection)
    assert_no_secret(text, JWT, "hunter2")
    assert not find_secrets(result.collection)
    assert any("v1" in note for note in result.notes)


def test_postman_inherit_auth_takes_the_parents() -> None:
    collection = {
        "info": {"name": "x", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
        "auth": {"type": "bearer", "bearer": [{"key": "token", "value": JWT}]},
        "item": [
            {
                "name": "F",
                "auth": {"type": "inherit"},
                "item": [{"name": "a", "request": {"url": "https://e.com/a", "auth": {"type": "inherit"}}}],
            },
            {"name": "b", "request": {"url": "https://e.com/b", "auth": {"type": "noauth"}}},
        ],
    }
    result = import_text(json.dumps(collection))
    specs = {s.name: s for s in result.collection.requests}
    assert specs["a"].auth is True and specs["b"].auth is False
    assert_no_secret(dumps_collection(result.collection), JWT)


def test_curl_next_starts_another_request() -> None:
    result = import_text("curl -d a=1 https://e.com/one --next -X PUT https://e.com/two -H 'X: 1'", format="curl")
    one, two = result.collection.requests
    assert (one.method, one.url, one.body) == ("POST", "https://e.com/one", "a=1")
    assert (two.method, two.url, two.body, two.headers) == ("PUT", "https://e.com/two", "", {"X": "1"})


def test_http_file_host_header_and_form_continuation_lines() -> None:
    text = (
        "PATCH /relative/path\nHost: api.example.com\nContent-Type: application/json\n\n{}\n\n###\n"
        "POST https://api.example.com/form\nContent-Type: application/x-www-form-urlencoded\n\nname=foo\n&page=2\n"
    )
    result = import_text(text, format="http")
    patch, form = result.collection.requests
    assert patch.url == "http://api.example.com/relative/path" and "Host" not in patch.headers
    assert form.body == "name=foo&page=2"


def test_powershell_backtick_continuations() -> None:
    spec, _ = curl('curl.exe -X POST `\n  -H "Content-Type: application/json" `\n  -d "{}" `\n  https://e.com/ps\n')
    assert (spec.method, spec.url, spec.body) == ("POST", "https://e.com/ps", "{}")
    assert spec.headers == {"Content-Type": "application/json"}


def test_http_file_methods_in_lower_case() -> None:
    result = import_text("get https://e.com/a\n\n###\npost https://e.com/b HTTP/1.1\n\nx=1\n", format="http")
    assert [(s.method, s.url) for s in result.collection.requests] == [
        ("GET", "https://e.com/a"),
        ("POST", "https://e.com/b"),
    ]
