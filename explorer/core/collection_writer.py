"""Collections written back: a fresh TOML file for a new collection, or the user's own file edited in place
(comments and layout kept), always atomically, never with a secret in it and never a file that would not load.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import tomli_w

from explorer.core.atomic import write_text_atomic
from explorer.core.collection_secrets import find_secrets
from explorer.core.collections import (
    BARE_KEY,
    INLINE_LIMIT,
    PAGINATE_KEYS,
    SCHEMA_VERSION,
    load_with_description,
    os_reason,
    parse_collection,
)
from explorer.core.errors import CollectionError
from explorer.core.model import Collection, Expect, Paginate, RequestSpec

__all__ = ["dumps_collection", "save_collection"]


def dumps_collection(collection: Collection, *, description: str = "") -> str:
    """The collection as TOML, in the documented key order, leaving out empty optional fields.

    `description` is the file's top-level description, which the model does not hold; `save_collection`
    carries it over from the file it replaces.
    """
    lines = [f"schema_version = {SCHEMA_VERSION}", _pair("name", collection.name)]
    if description:
        lines.append(_pair("description", description))
    if collection.openapi:
        lines.append(_pair("openapi", collection.openapi))
    if collection.variables:
        lines += ["", "[variables]"]
        lines += [_pair(key, value) for key, value in collection.variables.items()]
    for spec in collection.requests:
        lines += ["", "[[requests]]"]
        lines += request_lines(spec)
    return "\n".join(lines) + "\n"


def request_lines(spec: RequestSpec) -> list[str]:
    lines = [_pair("name", spec.name)]
    if spec.folder:
        lines.append(_pair("folder", spec.folder))
    if spec.description:
        lines.append(_pair("description", spec.description))
    lines += [_pair("method", spec.method), _pair("url", spec.url)]
    sections: list[str] = []
    for key, table in (("params", spec.params), ("headers", spec.headers)):
        if not table:
            continue
        inline = f"{key} = {_inline_table(table)}"
        if len(inline) <= INLINE_LIMIT:
            lines.append(inline)
        else:
            sections += ["", f"[requests.{key}]"] + [_pair(k, v) for k, v in table.items()]
    if spec.body:
        lines.append(_pair("body", spec.body))
    if spec.content_type:
        lines.append(_pair("content_type", spec.content_type))
    lines.append(_pair("auth", spec.auth))
    if spec.filter:
        lines.append(_pair("filter", spec.filter))
    if spec.capture:
        sections += ["", "[requests.capture]"] + [_pair(k, v) for k, v in spec.capture.items()]
    if not spec.expect.is_empty():
        sections += ["", "[requests.expect]", *_expect_lines(spec.expect)]
    if spec.paginate is not None:
        sections += ["", "[requests.paginate]", *_paginate_lines(spec.paginate)]
    return lines + sections


def _expect_lines(expect: Expect) -> list[str]:
    lines: list[str] = []
    if expect.status is not None:
        status = list(expect.status) if isinstance(expect.status, tuple) else expect.status
        lines.append(_pair("status", status))
    if expect.jq:
        lines.append(_pair("jq", list(expect.jq)))
    if expect.headers:
        lines.append(f"headers = {_inline_table(expect.headers)}")
    if expect.max_ms is not None:
        lines.append(_pair("max_ms", int(expect.max_ms) if float(expect.max_ms).is_integer() else expect.max_ms))
    return lines


def _paginate_lines(paginate: Paginate) -> list[str]:
    defaults = Paginate()
    lines = [_pair("style", paginate.style), _pair("max_pages", paginate.max_pages)]
    for key in PAGINATE_KEYS[2:]:
        value = getattr(paginate, key)
        if value is not None and value != getattr(defaults, key):
            lines.append(_pair(key, value))
    return lines


# A bare key, and a string that a JSON encoder writes as a valid TOML basic string (TOML also escapes DEL).
_PLAIN_STRING = re.compile(r"[^\x00-\x1f\x7f\ud800-\udfff]*")


def _pair(key: str, value: object) -> str:
    """One `key = value` line (several for a multi-line string), formatted by tomli-w where it can."""
    if isinstance(value, str) and BARE_KEY.fullmatch(key) and _PLAIN_STRING.fullmatch(value):
        # The common case, written directly: tomli-w per line is most of the time of a large import.
        return f"{key} = {json.dumps(value, ensure_ascii=False)}"
    if isinstance(value, str) and _fits_literal_block(value):
        # A JSON body reads best as it is, without a backslash before every quote.
        name = tomli_w.dumps({key: 0}).removesuffix(" = 0\n")
        return f"{name} = '''\n{value}'''"
    # tomli-w turns CRLF into LF inside multi-line strings, so text holding CRLF stays on one escaped line.
    multiline = isinstance(value, str) and "\n" in value and "\r\n" not in value
    return tomli_w.dumps({key: value}, multiline_strings=multiline).removesuffix("\n")


# Control characters other than tab and newline cannot appear in a literal string.
_NOT_IN_LITERAL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _fits_literal_block(value: str) -> bool:
    """Whether the text can be a multi-line literal string ('''…''') exactly as it is."""
    if "\n" not in value or "'''" in value or value.endswith("'"):
        return False
    return _NOT_IN_LITERAL.search(value) is None


def _inline_table(table: dict[str, str]) -> str:
    return "{ " + ", ".join(_pair(key, value) for key, value in table.items()) + " }"


# --- saving --------------------------------------------------------------------------------------------


def save_collection(
    collection: Collection, path: Path | None = None, *, overwrite_unreadable: bool = False, replace: bool = False
) -> Path:
    """Write the collection atomically to `path` (or where it was loaded from) and return that path.

    Refuses, with a `CollectionError`, to write a token or secret (see `find_secrets`), to write a
    collection that would not load again, and to replace a file that exists but is not a readable
    collection unless `overwrite_unreadable` is set. A top-level `description` in the replaced file is
    kept, and so are its comments and layout: only the tables of requests that changed are rewritten.
    `replace` writes a fresh file whatever is there (an import with --force). On success `collection.path` is
    set to the path written.
    """
    target = Path(path) if path is not None else collection.path
    if target is None:
        raise CollectionError("this collection has not been saved yet", hint="Choose a file to save it to.")
    source = str(target)
    found = find_secrets(collection)
    if found:
        also = f" (also at {', '.join(found[1:])})" if len(found) > 1 else ""
        raise CollectionError(
            f"a token or secret would be written to the file{also}; nothing was saved",
            path=source,
            key=found[0],
            hint="Replace the value with a {{variable}} reference and keep the secret in the profile "
            "(env: or keyring). explorer adds the Authorization header itself when auth = true.",
        )
    description = ""
    text = ""
    if target.exists() and not replace:
        try:
            loaded, description, existing_text = _load_with_text(target)
        except CollectionError as error:
            if not overwrite_unreadable:
                raise CollectionError(
                    "exists and could not be read; it was not overwritten",
                    path=source,
                    hint=f"Fix or move that file first, or save elsewhere. ({error.message})",
                ) from error
        else:
            text = _edited(existing_text, loaded, collection, target) or ""
    if not text:
        text = dumps_collection(collection, description=description)
    # What would not load again must not be written: the next save would then refuse to replace it.
    parse_collection(text, target, saving=True)
    try:
        write_text_atomic(target, text)
    except OSError as error:
        raise CollectionError(
            f"could not be written: {os_reason(error)}",
            path=source,
            hint="Check that the directory is writable; the previous file, if any, is unchanged.",
        ) from error
    collection.path = target
    return target


def _load_with_text(path: Path) -> tuple[Collection, str, str]:
    collection, description = load_with_description(path)
    return collection, description, path.read_bytes().decode("utf-8").removeprefix("\ufeff")


def _edited(text: str, old: Collection, new: Collection, target: Path) -> str | None:
    """The user's file with only the changed parts rewritten (comments and layout kept), if that works out."""
    from explorer.core.collection_edit import edit_in_place

    edited = edit_in_place(text, old, new)
    if edited is None:
        return None
    try:
        check = parse_collection(edited, target, saving=True)[0]
    except CollectionError:
        return None
    # Anything the in-place edit got wrong falls back to a fresh file rather than saving something else.
    if check.requests != new.requests or check.variables != new.variables or check.name != new.name:
        return None
    return edited
