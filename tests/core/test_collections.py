from __future__ import annotations

import sys
import textwrap
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.core import atomic
from explorer.core.collection_secrets import find_secrets
from explorer.core.collection_writer import dumps_collection, save_collection
from explorer.core.collections import load_collection, load_collections_dir, loads_collection, new_collection
from explorer.core.errors import CollectionError
from explorer.core.model import METHODS, Collection, Expect, Paginate, RequestSpec

SAMPLES = Path(__file__).resolve().parents[2] / "sample_requests"
JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJleHBsb3Jlci1kZW1vIn0.c2lnbmF0dXJl"

EXAMPLE = """\
schema_version = 1
name = "NewStore essentials"
description = "Shared with the team"

[variables]
store_id = "store-001"

[[requests]]
name = "List stores"
folder = "Configuration"
description = "First page of stores"
method = "get"
url = "{{api_url}}/v0/stores"
params = { limit = "10" }
headers = { Accept = "application/json" }
body = ""
content_type = ""
auth = true

[requests.expect]
status = 200

[[requests]]
name = "Health"
url = "{{api_url}}/health"
auth = false
"""


def write(tmp_path: Path, text: str, name: str = "c.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def load_error(tmp_path: Path, text: str) -> CollectionError:
    path = write(tmp_path, text)
    with pytest.raises(CollectionError) as caught:
        load_collection(path)
    return caught.value


# --- loading -------------------------------------------------------------------------------------------


def test_loads_the_documented_format(tmp_path: Path) -> None:
    path = write(tmp_path, EXAMPLE)
    collection = load_collection(path)
    assert collection.name == "NewStore essentials"
    assert collection.path == path
    assert collection.schema_version == 1
    assert collection.variables == {"store_id": "store-001"}
    first, second = collection.requests
    assert first == RequestSpec(
        name="List stores",
        method="GET",
        url="{{api_url}}/v0/stores",
        params={"limit": "10"},
        headers={"Accept": "application/json"},
        folder="Configuration",
        description="First page of stores",
        expect=Expect(status=200),
    )
    assert second == RequestSpec(name="Health", url="{{api_url}}/health", auth=False)


def test_name_defaults_to_file_stem(tmp_path: Path) -> None:
    path = write(tmp_path, "schema_version = 1\n", name="orders.toml")
    assert load_collection(path).name == "orders"


def test_scalars_in_tables_become_text(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        schema_version = 1
        name = "x"
        [variables]
        count = 10
        ratio = 0.5
        flag = true
        day = 2024-05-01
        [[requests]]
        name = "r"
        url = "u"
        params = { limit = 25, full = false }
        """,
    )
    collection = load_collection(path)
    assert collection.variables == {"count": "10", "ratio": "0.5", "flag": "true", "day": "2024-05-01"}
    assert collection.requests[0].params == {"limit": "25", "full": "false"}


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CollectionError, match="not found") as caught:
        load_collection(tmp_path / "nope.toml")
    assert caught.value.path.endswith("nope.toml")


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(CollectionError, match="directory"):
        load_collection(tmp_path)


def test_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_bytes(b'schema_version = 1\nname = "caf\xe9"\n')
    with pytest.raises(CollectionError, match="UTF-8") as caught:
        load_collection(path)
    assert caught.value.line == 2


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_bytes(b'\xef\xbb\xbfschema_version = 1\nname = "x"\n')
    assert load_collection(path).name == "x"


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    error = load_error(tmp_path, 'schema_version = 1\nname = "x"\n[[requests]]\nname = \n')
    assert error.line == 4
    assert "c.toml" in error.path
    assert "line 4" in str(error)
    assert "(at line" not in error.message


def test_syntax_error_at_end_of_document(tmp_path: Path) -> None:
    error = load_error(tmp_path, 'schema_version = 1\nname = "unterminated')
    assert error.line == 2
    assert "at end of document" not in error.message


@pytest.mark.parametrize(
    ("text", "key", "fragment"),
    [
        ('name = "x"\n', "schema_version", "missing"),
        ('schema_version = "1"\n', "schema_version", "integer"),
        ("schema_version = true\n", "schema_version", "integer"),
        ("schema_version = 0\n", "schema_version", "version"),
        ("schema_version = 1\nname = 3\n", "name", "string"),
        ("schema_version = 1\nnmae = 'x'\n", "nmae", "unknown key"),
        ("schema_version = 1\nrequests = 'x'\n", "requests", "array of tables"),
        ("schema_version = 1\nrequests = [1]\n", "requests[0]", "table"),
        ("schema_version = 1\nvariables = 'x'\n", "variables", "table"),
        ("schema_version = 1\n[variables]\nstore_id = [1]\n", "variables.store_id", "string"),
        ("schema_version = 1\n[variables]\nstore_id = { a = 1 }\n", "variables.store_id", "string"),
        ('schema_version = 1\n[variables]\n"a b" = []\n', 'variables."a b"', "string"),
    ],
)
def test_top_level_errors_name_the_key(tmp_path: Path, text: str, key: str, fragment: str) -> None:
    error = load_error(tmp_path, text)
    assert error.key == key
    assert fragment in error.message
    assert f"key {key}" in str(error)


def test_newer_schema_version(tmp_path: Path) -> None:
    error = load_error(tmp_path, "schema_version = 2\n")
    assert "written by a newer explorer" in error.message
    assert "Upgrade" in error.hint


REQUEST_HEAD = 'schema_version = 1\nname = "x"\n[[requests]]\nname = "a"\nurl = "u"\n[[requests]]\n'


@pytest.mark.parametrize(
    ("body", "key", "fragment"),
    [
        ('url = "u"\n', "requests[1].name", "missing"),
        ('name = "  "\nurl = "u"\n', "requests[1].name", "empty"),
        ('name = 5\nurl = "u"\n', "requests[1].name", "string"),
        ('name = "b"\n', "requests[1].url", "missing"),
        ('name = "b"\nurl = 1\n', "requests[1].url", "string"),
        ('name = "b"\nurl = "u"\nmethod = "FETCH"\n', "requests[1].method", "HTTP method"),
        ('name = "b"\nurl = "u"\nmethod = 1\n', "requests[1].method", "string"),
        ('name = "b"\nurl = "u"\nauth = "yes"\n', "requests[1].auth", "true or false"),
        ('name = "b"\nurl = "u"\nbody = { a = 1 }\n', "requests[1].body", "string"),
        ('name = "b"\nurl = "u"\nhedaers = {}\n', "requests[1].hedaers", "unknown key"),
        ('name = "b"\nurl = "u"\nparams = ["a"]\n', "requests[1].params", "table"),
        ('name = "b"\nurl = "u"\nheaders = { Accept = ["a"] }\n', "requests[1].headers.Accept", "string"),
        ('name = "b"\nurl = "u"\nexpect = 200\n', "requests[1].expect", "table"),
        ('name = "b"\nurl = "u"\n[requests.expect]\nstatus = "200"\n', "requests[1].expect.status", "integer"),
        ('name = "b"\nurl = "u"\n[requests.expect]\nstatus = true\n', "requests[1].expect.status", "integer"),
        ('name = "b"\nurl = "u"\n[requests.expect]\nstatus = 99\n', "requests[1].expect.status", "100 to 599"),
        ('name = "b"\nurl = "u"\n[requests.expect]\nstatus = 600\n', "requests[1].expect.status", "100 to 599"),
        ('name = "b"\nurl = "u"\n[requests.expect]\nstaus = 200\n', "requests[1].expect.staus", "unknown key"),
    ],
)
def test_request_errors_name_the_key_path(tmp_path: Path, body: str, key: str, fragment: str) -> None:
    error = load_error(tmp_path, REQUEST_HEAD + body)
    assert error.key == key
    assert fragment in error.message


def test_typo_gets_a_suggestion(tmp_path: Path) -> None:
    error = load_error(tmp_path, REQUEST_HEAD + 'name = "b"\nurl = "u"\nhedaers = {}\n')
    assert "'headers'" in error.hint


def test_duplicate_names_name_both_indexes(tmp_path: Path) -> None:
    error = load_error(tmp_path, REQUEST_HEAD + 'name = "a"\nurl = "v"\n')
    assert error.key == "requests[1].name"
    assert "requests[0]" in error.message


def test_method_is_case_insensitive_and_stored_upper(tmp_path: Path) -> None:
    path = write(tmp_path, REQUEST_HEAD + 'name = "b"\nurl = "u"\nmethod = " patch "\n')
    assert load_collection(path).requests[1].method == "PATCH"


# --- writing -------------------------------------------------------------------------------------------


def test_dumps_is_tidy_and_ordered() -> None:
    collection = Collection(
        name="NewStore essentials",
        variables={"store_id": "store-001"},
        requests=[
            RequestSpec(
                name="List stores",
                folder="Configuration",
                url="{{api_url}}/v0/stores",
                params={"limit": "10"},
                headers={"Accept": "application/json"},
                expect=Expect(status=200),
            ),
            RequestSpec(name="Health", url="{{api_url}}/health", auth=False),
        ],
    )
    assert dumps_collection(collection) == textwrap.dedent(
        """\
        schema_version = 1
        name = "NewStore essentials"

        [variables]
        store_id = "store-001"

        [[requests]]
        name = "List stores"
        folder = "Configuration"
        method = "GET"
        url = "{{api_url}}/v0/stores"
        params = { limit = "10" }
        headers = { Accept = "application/json" }
        auth = true

        [requests.expect]
        status = 200

        [[requests]]
        name = "Health"
        method = "GET"
        url = "{{api_url}}/health"
        auth = false
        """
    )


def test_json_body_is_written_readably() -> None:
    body = '{\n  "email": "ada@example.com",\n  "note": "it\'s"\n}'
    spec = RequestSpec(name="Create", method="POST", url="u", body=body, content_type="application/json")
    text = dumps_collection(Collection(name="x", requests=[spec]))
    assert 'body = \'\'\'\n{\n  "email": "ada@example.com",' in text
    assert loads_collection(text).requests[0] == spec


def test_long_tables_become_sections() -> None:
    headers = {f"X-Header-{i}": "value " * 4 for i in range(6)}
    spec = RequestSpec(name="r", url="u", headers=headers, expect=Expect(status=204))
    text = dumps_collection(Collection(name="x", requests=[spec]))
    assert "[requests.headers]" in text
    assert text.index("[requests.headers]") < text.index("[requests.expect]")
    assert loads_collection(text).requests[0] == spec


def test_new_collection_round_trips() -> None:
    collection = new_collection("Scratch")
    assert collection.requests == [] and collection.path is None
    assert loads_collection(dumps_collection(collection)) == collection


def test_example_round_trips_through_a_file(tmp_path: Path) -> None:
    loaded = load_collection(write(tmp_path, EXAMPLE))
    target = tmp_path / "copy.toml"
    save_collection(loaded, target)
    again = load_collection(target)
    loaded.path = again.path = None
    assert again == loaded


# Text that TOML can hold: anything but surrogates (not encodable as UTF-8).
texts = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
bodies = st.one_of(
    texts,
    st.lists(texts, max_size=4).map("\n".join),
    st.lists(texts, max_size=4).map("\r\n".join),
    st.sampled_from(["'''", "a'", "x\n'", '"""', "\\", "\n", "\n\n", "\t\n\x7f", '{\n  "a": "b\'"\n}']),
)
string_tables = st.dictionaries(texts, texts, max_size=4)


@st.composite
def request_specs(draw: st.DrawFn, name: str) -> RequestSpec:
    return RequestSpec(
        name=name,
        method=draw(st.sampled_from(METHODS)),
        url=draw(texts),
        params=draw(string_tables),
        headers=draw(string_tables),
        body=draw(bodies),
        content_type=draw(texts),
        auth=draw(st.booleans()),
        folder=draw(texts),
        description=draw(bodies),
        expect=Expect(
            status=draw(
                st.none()
                | st.integers(100, 599)
                | st.lists(st.integers(100, 599), min_size=1, max_size=3).map(tuple)
                | st.sampled_from(["1xx", "2xx", "3xx", "4xx", "5xx"])
            ),
            jq=tuple(draw(st.lists(texts.filter(str.strip), max_size=2))),
            headers=draw(string_tables),
            max_ms=draw(st.none() | st.integers(1, 10**6) | st.floats(0.5, 1e6)),
        ),
        capture=draw(
            st.dictionaries(st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True), nonblank, max_size=3)
        ),
        paginate=draw(st.none() | paginations()),
        filter=draw(texts),
    )


nonblank = texts.filter(lambda t: bool(t.strip()) and not (t.startswith("header:") and not t[7:].strip()))


@st.composite
def paginations(draw: st.DrawFn) -> Paginate:
    optional = st.just("") | nonblank
    return Paginate(
        style=draw(st.sampled_from(["offset", "cursor", "link"])),
        max_pages=draw(st.integers(1, 1000)),
        items=draw(optional),
        offset_param=draw(nonblank),
        count_param=draw(nonblank),
        count=draw(st.none() | st.integers(1, 1000)),
        total=draw(optional),
        cursor=draw(optional),
        cursor_param=draw(nonblank),
    )


@st.composite
def collections(draw: st.DrawFn) -> Collection:
    names = draw(st.lists(texts.filter(str.strip), max_size=4, unique=True))
    return Collection(
        name=draw(texts),
        requests=[draw(request_specs(name)) for name in names],
        variables=draw(string_tables),
    )


@settings(max_examples=300, deadline=None)
@given(collections())
def test_round_trip_property(collection: Collection) -> None:
    assert loads_collection(dumps_collection(collection)) == collection


@settings(max_examples=50, deadline=None)
@given(collections(), texts)
def test_round_trip_property_through_save(
    tmp_path_factory: pytest.TempPathFactory, collection: Collection, description: str
) -> None:
    target = tmp_path_factory.mktemp("rt") / "c.toml"
    target.write_text(dumps_collection(Collection(), description=description), encoding="utf-8")
    collection.requests = [spec for spec in collection.requests if not find_secrets(Collection(requests=[spec]))]
    collection.variables = {}
    assert save_collection(collection, target) == target
    assert load_collection(target) == collection
    # The file's own description survives a save (the file is edited in place, so its layout is its own).
    assert tomllib.loads(target.read_text(encoding="utf-8")).get("description", "") == description


# --- saving --------------------------------------------------------------------------------------------


def test_save_uses_loaded_path_and_sets_path(tmp_path: Path) -> None:
    path = write(tmp_path, EXAMPLE)
    collection = load_collection(path)
    collection.requests[1].url = "{{api_url}}/healthz"
    assert save_collection(collection) == path
    assert load_collection(path).requests[1].url == "{{api_url}}/healthz"
    # The top-level description is not part of the model but is kept in the file.
    assert 'description = "Shared with the team"' in path.read_text(encoding="utf-8")

    elsewhere = tmp_path / "sub" / "other.toml"
    assert save_collection(collection, elsewhere) == elsewhere
    assert collection.path == elsewhere


def test_save_without_a_path() -> None:
    with pytest.raises(CollectionError, match="not been saved"):
        save_collection(new_collection("x"))


def test_save_refuses_to_overwrite_an_unreadable_file(tmp_path: Path) -> None:
    broken = write(tmp_path, 'schema_version = 1\nname = "half written\n')
    before = broken.read_bytes()
    with pytest.raises(CollectionError, match="could not be read; it was not overwritten") as caught:
        save_collection(new_collection("x"), broken)
    assert "line 2" in caught.value.hint or "invalid TOML" in caught.value.hint
    assert broken.read_bytes() == before


def test_save_refuses_to_overwrite_a_file_that_fails_validation(tmp_path: Path) -> None:
    newer = write(tmp_path, "schema_version = 7\n")
    with pytest.raises(CollectionError, match="not overwritten"):
        save_collection(new_collection("x"), newer)
    assert newer.read_text(encoding="utf-8") == "schema_version = 7\n"


def test_save_refuses_when_the_loaded_file_broke_since(tmp_path: Path) -> None:
    path = write(tmp_path, EXAMPLE)
    collection = load_collection(path)
    path.write_text("edited elsewhere = [", encoding="utf-8")
    with pytest.raises(CollectionError, match="not overwritten"):
        save_collection(collection)
    assert path.read_text(encoding="utf-8") == "edited elsewhere = ["


def test_save_can_overwrite_unreadable_when_asked(tmp_path: Path) -> None:
    broken = write(tmp_path, "not toml at all [")
    save_collection(new_collection("x"), broken, overwrite_unreadable=True)
    assert load_collection(broken).name == "x"


def test_save_refuses_an_invalid_collection_and_writes_nothing(tmp_path: Path) -> None:
    collection = Collection(name="x", requests=[RequestSpec(name="a", url="u"), RequestSpec(name="a", url="v")])
    target = tmp_path / "c.toml"
    with pytest.raises(CollectionError, match="requests\\[0\\]") as caught:
        save_collection(collection, target)
    assert caught.value.key == "requests[1].name"
    assert "Nothing was saved" in caught.value.hint
    assert str(caught.value).count("c.toml") == 1
    assert not target.exists()

    bad_method = Collection(name="x", requests=[RequestSpec(name="a", url="u", method="FETCH")])
    with pytest.raises(CollectionError) as caught:
        save_collection(bad_method, target)
    assert caught.value.key == "requests[0].method"
    assert not target.exists()


def test_save_reports_write_failures(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = write(tmp_path, EXAMPLE)

    def failing_replace(src: str, dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(atomic.os, "replace", failing_replace)
    with pytest.raises(CollectionError, match="Permission denied"):
        save_collection(new_collection("x"), target)
    assert target.read_text(encoding="utf-8") == textwrap.dedent(EXAMPLE)


# --- secrets -------------------------------------------------------------------------------------------


def with_request(**fields: object) -> Collection:
    spec = RequestSpec(name="r", url="{{api_url}}/v0/stores")
    return Collection(name="x", requests=[spec.copy(**fields)])


@pytest.mark.parametrize(
    ("collection", "paths"),
    [
        (with_request(headers={"Authorization": "Bearer abc.def"}), ["requests[0].headers.Authorization"]),
        (with_request(headers={"authorization": "Basic ZGVtbzpzZWNyZXQ="}), ["requests[0].headers.authorization"]),
        (with_request(headers={"Authorization": "abc123"}), ["requests[0].headers.Authorization"]),
        (with_request(headers={"X-Api-Key": "k-123"}), ["requests[0].headers.X-Api-Key"]),
        (with_request(headers={"api-key": "k-123"}), ["requests[0].headers.api-key"]),
        (with_request(headers={"Cookie": "session=abc"}), ["requests[0].headers.Cookie"]),
        (with_request(headers={"Accept": JWT}), ["requests[0].headers.Accept"]),
        (with_request(params={"q": f"x {JWT}"}), ["requests[0].params.q"]),
        (with_request(params={"access_token": "abc"}), ["requests[0].params.access_token"]),
        (with_request(url=f"{{{{api_url}}}}/x?jwt={JWT}"), ["requests[0].url"]),
        (with_request(url="https://user:hunter2@example.com/"), ["requests[0].url"]),
        (with_request(url="https://example.com/?api_key=abc"), ["requests[0].url"]),
        (with_request(body=f'{{"token": "{JWT}"}}'), ["requests[0].body"]),
        (with_request(description=f"copied from {JWT}"), ["requests[0].description"]),
        (Collection(variables={"client_secret": "s3cr3t"}), ["variables.client_secret"]),
        (Collection(variables={"API_TOKEN": "abc"}), ["variables.API_TOKEN"]),
        (Collection(variables={"db_password": "abc"}), ["variables.db_password"]),
        (Collection(variables={"anything": JWT}), ["variables.anything"]),
        (Collection(variables={"my token": "abc"}), ['variables."my token"']),
    ],
)
def test_find_secrets(collection: Collection, paths: list[str]) -> None:
    assert find_secrets(collection) == paths


@pytest.mark.parametrize(
    "collection",
    [
        with_request(headers={"Authorization": "Bearer {{access_token}}"}),
        with_request(headers={"Authorization": "{{auth_header}}"}),
        with_request(headers={"Authorization": "Bearer"}),
        with_request(headers={"Authorization": ""}),
        with_request(headers={"X-Api-Key": "{{ api_key }}"}),
        with_request(headers={"Idempotency-Key": "{{reservation_key}}", "Accept": "application/json"}),
        with_request(params={"cursor": "abc", "page_token": "next-2"}),
        with_request(url="https://{{user}}:{{password}}@example.com/"),
        with_request(body='{"email": "ada@example.com"}'),
        Collection(variables={"client_secret": "", "api_token": "{{env_token}}", "store_id": "store-001"}),
    ],
)
def test_no_false_alarms(collection: Collection) -> None:
    assert find_secrets(collection) == []


def test_save_refuses_secrets_and_names_the_key(tmp_path: Path) -> None:
    collection = with_request(headers={"Authorization": f"Bearer {JWT}"})
    collection.variables = {"api_token": "abc"}
    target = tmp_path / "c.toml"
    with pytest.raises(CollectionError) as caught:
        save_collection(collection, target)
    error = caught.value
    assert error.key == "variables.api_token"
    assert "requests[0].headers.Authorization" in error.message
    assert "{{variable}}" in error.hint
    assert not target.exists()


# --- directories and shipped samples -------------------------------------------------------------------


def test_load_collections_dir_collects_failures(tmp_path: Path) -> None:
    write(tmp_path, 'schema_version = 1\nname = "b"\n', name="b.toml")
    write(tmp_path, 'schema_version = 1\nname = "a"\n', name="a.toml")
    write(tmp_path, "broken = [", name="c.toml")
    write(tmp_path, "ignored", name="notes.txt")
    write(tmp_path, "ignored", name=".c.toml.abc.tmp")
    (tmp_path / "dir.toml").mkdir()
    loaded, failed = load_collections_dir(tmp_path)
    assert [c.name for c in loaded] == ["a", "b"]
    assert len(failed) == 1 and failed[0].path.endswith("c.toml") and failed[0].line == 1


def test_load_collections_dir_missing_is_empty(tmp_path: Path) -> None:
    assert load_collections_dir(tmp_path / "none") == ([], [])


def test_load_collections_dir_on_a_file(tmp_path: Path) -> None:
    loaded, failed = load_collections_dir(write(tmp_path, "x = 1"))
    assert loaded == [] and len(failed) == 1


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")
def test_unreadable_file_is_reported(tmp_path: Path) -> None:
    import os

    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    path = write(tmp_path, EXAMPLE)
    path.chmod(0)
    with pytest.raises(CollectionError, match="cannot be read"):
        load_collection(path)


def test_every_sample_collection_loads() -> None:
    files = sorted(SAMPLES.glob("*.toml"))
    assert files, "sample_requests/ holds no collections"
    loaded, failed = load_collections_dir(SAMPLES)
    assert failed == []
    assert len(loaded) == len(files)
    for collection in loaded:
        assert collection.requests
        assert find_secrets(collection) == []


ISSUE_EXAMPLE = """
schema_version = 1

[[requests]]
name = "List orders"
method = "GET"
url = "{{api_url}}/v0/orders"
[requests.capture]
order_id = ".orders[0].id"        # a jq expression on the JSON body (first result)
location = "header:Location"      # a response header
[requests.expect]
status = "2xx"                    # 200, [200, 201] or "2xx"
jq = [".orders | length > 0"]     # each must be true
max_ms = 2000
[requests.paginate]
style = "link"                    # "offset" | "cursor" | "link"
max_pages = 10
"""


def test_the_loop_keys_load_as_written() -> None:
    spec = loads_collection(ISSUE_EXAMPLE).requests[0]
    assert spec.capture == {"order_id": ".orders[0].id", "location": "header:Location"}
    assert spec.expect == Expect(status="2xx", jq=(".orders | length > 0",), max_ms=2000)
    assert spec.paginate == Paginate(style="link", max_pages=10)
    again = loads_collection(dumps_collection(loads_collection(ISSUE_EXAMPLE)))
    assert again.requests[0] == spec
    text = dumps_collection(loads_collection(ISSUE_EXAMPLE))
    assert '[requests.capture]\norder_id = ".orders[0].id"' in text
    assert '[requests.expect]\nstatus = "2xx"\njq = [\n    ".orders | length > 0",\n]\nmax_ms = 2000' in text or (
        '[requests.expect]\nstatus = "2xx"\njq = [".orders | length > 0"]\nmax_ms = 2000' in text
    )
    assert '[requests.paginate]\nstyle = "link"\nmax_pages = 10' in text


@pytest.mark.parametrize(
    ("snippet", "key", "words"),
    [
        ('[requests.expect]\nstatus = "2xy"', "requests[0].expect.status", '"2xx"'),
        ("[requests.expect]\nstatus = []", "requests[0].expect.status", "empty list"),
        ("[requests.expect]\nstatus = [200, 700]", "requests[0].expect.status", "700"),
        ("[requests.expect]\njq = [1]", "requests[0].expect.jq", "list of jq expressions"),
        ('[requests.expect]\njq = [" "]', "requests[0].expect.jq[0]", "empty"),
        ("[requests.expect]\nmax_ms = -1", "requests[0].expect.max_ms", "positive"),
        ("[requests.expect]\nstatuss = 200", "requests[0].expect.statuss", "Did you mean 'status'"),
        ('[requests.capture]\n"2x" = ".a"', "requests[0].capture.2x", "variable name"),
        ('[requests.capture]\nx = "header:"', "requests[0].capture.x", "nothing"),
        ('[requests.paginate]\nstyle = "page"', "requests[0].paginate.style", "offset, cursor or link"),
        ("[requests.paginate]\nmax_pages = 0", "requests[0].paginate.max_pages", "positive"),
        ("[requests.paginate]\nmax_pages = 5000", "requests[0].paginate.max_pages", "more than"),
        ('[requests.paginate]\nstyle = "cursor"\ncursr = ".n"', "requests[0].paginate.cursr", "cursor"),
        ("filter = 3", "requests[0].filter", "string"),
    ],
)
def test_loop_key_errors_name_the_key(snippet: str, key: str, words: str) -> None:
    text = f'schema_version = 1\n[[requests]]\nname = "a"\nurl = "u"\n{snippet}\n'
    with pytest.raises(CollectionError) as caught:
        loads_collection(text)
    assert caught.value.key == key
    assert words in str(caught.value)
