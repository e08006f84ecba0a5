"""curl lines as people write them: quoting, continuations, bundles, data kinds, auth, tokens retired."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from explorer.core.collection_secrets import find_secrets
from explorer.core.collection_writer import dumps_collection
from explorer.core.importers import ImportOrigin, ImportSourceError, import_text
from explorer.core.importers.curl import FORM_BOUNDARY, parse_curl_command
from explorer.core.importers.shellwords import split_commands
from tests.core.importers.helpers import assert_no_secret, make_jwt


def one(text: str, origin: ImportOrigin | None = None):  # type: ignore[no-untyped-def]
    result = import_text(text, origin, format="curl")
    assert len(result.collection.requests) == 1, result.skipped
    return result.collection.requests[0], result


def test_shell_words_quotes_ansi_c_and_continuations() -> None:
    text = "curl 'a b' \"c \\\"d\\\" $HOME\" $'e\\nf\\x41\\'' g\\ h \\\n  --next\r\ncurl x; curl y && curl z"
    commands = split_commands(text.replace("\r\n", "\n"))
    assert commands[0].words == ["curl", "a b", 'c "d" {{$env.HOME}}', "e\nfA'", "g h", "--next"]
    assert [c.words for c in commands[1:]] == [["curl", "x"], ["curl", "y"], ["curl", "z"]]


def test_get_with_headers_and_bundled_flags() -> None:
    spec, result = one("curl -sSLk -HAccept:application/json -H 'X-Trace: 1' https://example.com/a?b=1 -o out.json")
    assert spec.method == "GET"
    assert spec.url == "https://example.com/a?b=1"
    assert spec.headers == {"Accept": "application/json", "X-Trace": "1"}
    assert spec.auth is False
    assert any("--insecure" in s for s in result.skipped)


def test_data_kinds_and_default_method() -> None:
    spec, _ = one("curl example.com -d a=1 --data-raw '@b' --data-urlencode 'c=x y&z' --data-binary $'q\\n'")
    assert spec.method == "POST"
    assert spec.url == "http://example.com"
    assert spec.body == "a=1&@b&c=x+y%26z&q\n"
    assert spec.headers["Content-Type"] == "application/x-www-form-urlencoded"


def test_json_option_sets_headers() -> None:
    spec, _ = one("""curl --json '{"a": 1}' https://api.test/x""")
    assert spec.body == '{"a": 1}'
    assert spec.headers == {"Accept": "application/json", "Content-Type": "application/json"}


def test_explicit_content_type_wins_and_method_option() -> None:
    spec, _ = one("curl -XPUT https://h/x -H 'content-type: text/plain' -d hi")
    assert spec.method == "PUT"
    assert spec.headers == {"content-type": "text/plain"}


def test_get_moves_data_to_query_and_head() -> None:
    spec, _ = one("curl -G https://h/s?a=1 -d q=x -d n=2")
    assert (spec.method, spec.url, spec.body) == ("GET", "https://h/s?a=1&q=x&n=2", "")
    spec, _ = one("curl -I https://h/")
    assert spec.method == "HEAD"


def test_data_from_file_is_inlined_without_newlines(tmp_path: Path) -> None:
    (tmp_path / "body.txt").write_text("a=1\nb=2\n")
    source = tmp_path / "cmds.sh"
    spec, result = one("curl -d @body.txt https://h/x", ImportOrigin(path=source))
    assert spec.body == "a=1b=2"
    assert any("inlined" in n for n in result.notes)
    spec, result = one("curl --data-binary @missing.json https://h/x", ImportOrigin(path=source))
    assert spec.body == ""
    assert any("missing.json" in s for s in result.skipped)


def test_form_fields_become_multipart() -> None:
    spec, _ = one("curl -F name=joe -F 'kind=x;y' https://h/up")
    assert spec.method == "POST"
    assert spec.headers["Content-Type"] == f"multipart/form-data; boundary={FORM_BOUNDARY}"
    assert 'name="name"\r\n\r\njoe\r\n' in spec.body
    assert 'name="kind"\r\n\r\nx;y\r\n' in spec.body


def test_user_agent_referer_cookie() -> None:
    spec, result = one("curl -A 'agent/1' -e https://ref/ -b 'a=1' -b 'b=2' https://h/")
    assert spec.headers["User-Agent"] == "agent/1"
    assert spec.headers["Referer"] == "https://ref/"
    # A cookie is a credential: its value goes to the environment, never into the file.
    assert spec.headers["Cookie"] == "{{$env.COOKIE}}"
    assert "COOKIE" in result.env_vars


def test_basic_auth_never_written() -> None:
    spec, result = one("curl -u alice:wonderland https://h/")
    assert spec.headers["Authorization"] == "Basic {{$env.BASIC_ALICE}}"
    text = dumps_collection(result.collection)
    assert_no_secret(text, "wonderland", base64.b64encode(b"alice:wonderland").decode())


def test_bearer_token_retired_and_described() -> None:
    token = make_jwt(azp="acme-client", exp=1772323200, iss="https://id.p.newstore.net/auth/realms/acme-staging")
    spec, result = one(f"curl https://acme-staging.p.newstore.net/v0/stores -H 'Authorization: Bearer {token}'")
    assert spec.headers == {}
    assert spec.auth is True
    assert result.retired[0].client_id == "acme-client"
    assert [p.tenant for p in result.profiles] == ["acme-staging"]
    assert result.profiles[0].client_id == "acme-client"
    assert_no_secret(dumps_collection(result.collection), token)
    assert find_secrets(result.collection) == []


def test_access_token_query_and_oauth2_bearer_retired() -> None:
    spec, result = one("curl 'https://h/x?access_token=abc&limit=5' --oauth2-bearer tok")
    assert spec.url == "https://h/x?limit=5"
    assert "Authorization" not in spec.headers
    assert spec.auth is True
    assert len(result.retired) == 2


def test_env_and_explorer_token_references_become_auth() -> None:
    spec, result = one('curl -H "Authorization: Bearer $(explorer token --raw --profile p)" https://h/')
    assert spec.auth is True and spec.headers == {}
    assert result.retired == []
    spec, _ = one('curl -H "Authorization: Bearer $TOKEN" https://h/')
    assert spec.auth is True and spec.headers == {}


def test_token_endpoint_becomes_profile_not_request() -> None:
    text = (
        "curl -X POST https://id.p.newstore.net/auth/realms/acme/protocol/openid-connect/token "
        "-u 'acme-client:s3cret' -d grant_type=client_credentials -d 'scope=a b'\n"
        "curl https://acme.p.newstore.net/v0/stores\n"
    )
    result = import_text(text, format="curl")
    assert [r.url for r in result.collection.requests] == ["https://acme.p.newstore.net/v0/stores"]
    (profile,) = result.profiles
    assert (profile.tenant, profile.client_id, profile.scopes, profile.client_auth) == (
        "acme",
        "acme-client",
        ("a", "b"),
        "basic",
    )
    assert profile.secret_source == "keyring"
    assert "s3cret" not in str(profile.table())


def test_v0_password_grant_becomes_profile() -> None:
    text = "curl -X POST https://acme-staging.p.newstore.net/v0/token"
    text += " -d grant_type=password -d username=u -d password=p"
    result = import_text(text, format="curl")
    assert result.collection.requests == []
    assert result.profiles[0].tenant == "acme-staging"
    assert any("v0" in i for i in result.profiles[0].instructions)


def test_secret_fields_in_json_body_move_to_env() -> None:
    spec, result = one("""curl https://h/login --data-raw '{"user": "a", "password": "hunter2"}'""")
    assert spec.body == '{"user": "a", "password": "{{$env.PASSWORD}}"}'
    assert "PASSWORD" in result.env_vars


def test_many_commands_other_lines_skipped_and_names_unique() -> None:
    result = import_text("echo hi\ncurl https://h/a\ncurl https://h/a\n", format="curl")
    assert [r.name for r in result.collection.requests] == ["GET /a", "GET /a (2)"]
    assert any("'echo'" in s for s in result.skipped)


def test_unknown_method_skipped_and_no_curl_is_an_error() -> None:
    result = import_text("curl -X PROPFIND https://h/dav\ncurl https://h/", format="curl")
    assert len(result.collection.requests) == 1
    assert any("PROPFIND" in s for s in result.skipped)
    with pytest.raises(ImportSourceError):
        import_text("echo nothing here", format="curl")


def test_windows_line_endings_and_detection() -> None:
    result = import_text("curl https://h/x \\\r\n  -H 'A: b'\r\n")
    assert result.format == "curl"
    assert result.collection.requests[0].headers == {"A": "b"}


def test_parse_one_command_for_pasting() -> None:
    draft = parse_curl_command("curl -X PATCH 'https://h/x' -d '{}'")
    assert (draft.method, draft.url, draft.body) == ("PATCH", "https://h/x", "{}")
    with pytest.raises(ImportSourceError):
        parse_curl_command("ls -l")
