"""Saving from the app edits the user's file in place: one request's table changes, nothing else does."""

from __future__ import annotations

import difflib
from pathlib import Path

from explorer.core.collection_writer import save_collection
from explorer.core.collections import load_collection
from explorer.core.model import RequestSpec

HAND_WRITTEN = """\
# Our NewStore requests -- edited by hand, please keep the comments.
schema_version = 1
name   =   "Hand made"          # aligned on purpose
openapi = "https://example.test/openapi.json"

[variables]
store_id = 'store-001'   # the demo store
limit = "10"

# ---------------------------------------------------------------- stores
[[requests]]
name = "List stores"
folder = "Stores"
url = "{{api_url}}/v0/stores"
params = {limit = "{{limit}}"}     # tight inline table
filter = ".items[0]"

  [requests.expect]   # indented section
  status = [200, 304]
  jq = [".items | length > 0"]

  [requests.paginate]
  style = "offset"
  max_pages = 3

# ---------------------------------------------------------------- orders
[[requests]]
name = "Create order"
folder = "Orders"
method = "post"
url = "{{api_url}}/v0/d/orders"
headers = { Content-Type = "application/json", X-Trace = "1" }
body = '''
{
  "id": "{{$uuid}}",
  "store": "{{store_id}}"
}'''
auth = true

[requests.capture]
order_id = ".id"

[requests.expect]
status = 201
"""


def diff(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def test_saving_one_request_changes_only_its_lines(tmp_path: Path) -> None:
    path = tmp_path / "hand.toml"
    path.write_text(HAND_WRITTEN)
    collection = load_collection(path)
    collection.requests[1].headers["X-Trace"] = "2"
    collection.requests[1].expect.status = 202
    save_collection(collection)
    after = path.read_text()
    assert diff(HAND_WRITTEN, after) == [
        '-headers = { Content-Type = "application/json", X-Trace = "1" }',
        "-status = 201",
        '+headers = { Content-Type = "application/json", X-Trace = "2" }',
        "+status = 202",
    ] or diff(HAND_WRITTEN, after) == [
        '-headers = { Content-Type = "application/json", X-Trace = "1" }',
        '+headers = { Content-Type = "application/json", X-Trace = "2" }',
        "-status = 201",
        "+status = 202",
    ]
    assert load_collection(path) == collection


def test_unchanged_save_is_byte_for_byte_and_every_key_survives(tmp_path: Path) -> None:
    path = tmp_path / "hand.toml"
    path.write_text(HAND_WRITTEN)
    collection = load_collection(path)
    save_collection(collection)
    assert path.read_text() == HAND_WRITTEN
    again = load_collection(path)
    first = again.requests[0]
    assert first.paginate is not None and first.paginate.max_pages == 3
    assert first.expect.jq == (".items | length > 0",)
    assert again.requests[1].capture == {"order_id": ".id"}
    assert again.openapi == "https://example.test/openapi.json"


def test_add_rename_delete_and_variables_keep_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "hand.toml"
    path.write_text(HAND_WRITTEN)
    collection = load_collection(path)
    collection.requests[0].name = "All stores"
    collection.requests.append(RequestSpec(name="Health", url="{{api_url}}/health", auth=False))
    collection.variables["limit"] = "20"
    save_collection(collection)
    after = path.read_text()
    assert "# Our NewStore requests -- edited by hand, please keep the comments." in after
    assert 'name   =   "Hand made"          # aligned on purpose' in after
    assert "store_id = 'store-001'   # the demo store" in after
    assert 'params = {limit = "{{limit}}"}     # tight inline table' in after
    assert "  [requests.expect]   # indented section" in after
    assert 'name = "All stores"' in after and 'name = "List stores"' not in after
    assert after.rstrip().endswith('name = "Health"\nmethod = "GET"\nurl = "{{api_url}}/health"\nauth = false')
    assert load_collection(path) == collection
    del collection.requests[1]
    save_collection(collection)
    after = path.read_text()
    assert "Create order" not in after and "[requests.capture]" not in after
    assert "# ---------------------------------------------------------------- stores" in after
    assert load_collection(path) == collection


def test_reordered_requests_take_their_tables_and_comments_with_them(tmp_path: Path) -> None:
    path = tmp_path / "hand.toml"
    path.write_text(HAND_WRITTEN)
    collection = load_collection(path)
    collection.requests.reverse()
    collection.requests[0].folder = "Stores"
    save_collection(collection)
    assert load_collection(path) == collection
    after = path.read_text()
    # Every comment is still there, each above the request it was written for.
    orders = after.index("# ---------------------------------------------------------------- orders")
    stores = after.index("# ---------------------------------------------------------------- stores")
    assert orders < after.index('name = "Create order"') < stores < after.index('name = "List stores"')
    assert "  [requests.expect]   # indented section" in after
    assert 'headers = { Content-Type = "application/json", X-Trace = "1" }' in after
    assert '[[requests]]\nname = "Create order"\nfolder = "Stores"' in after
