"""Whatever the input, an import ends in a result or one clear error, never a traceback."""

from __future__ import annotations

import contextlib
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.core.errors import ExplorerError
from explorer.core.importers import import_text

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "info",
                    "item",
                    "request",
                    "url",
                    "header",
                    "body",
                    "mode",
                    "raw",
                    "auth",
                    "type",
                    "bearer",
                    "oauth2",
                    "variable",
                    "key",
                    "value",
                    "name",
                    "query",
                    "urlencoded",
                    "formdata",
                    "values",
                    "method",
                    "event",
                ]
            ),
            children,
            max_size=5,
        )
    ),
    max_leaves=30,
)
_SHELL = st.text(alphabet="curl -XHdFGuk'\"$\\\n @=:;{}/ahttps", max_size=60)


def _ok(text: str, fmt: str) -> None:
    with contextlib.suppress(ExplorerError):
        import_text(text, format=fmt)


@settings(max_examples=200, deadline=None)
@given(_SHELL)
def test_curl_text(text: str) -> None:
    _ok("curl " + text, "curl")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="GETPOS /{}#@=:<>\nhtps.x-", max_size=80))
def test_http_text(text: str) -> None:
    _ok(text, "http")


@settings(max_examples=200, deadline=None)
@given(_JSON)
def test_postman_json(data: object) -> None:
    _ok(json.dumps(data), "postman")
