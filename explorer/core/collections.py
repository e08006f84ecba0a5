"""TOML collections: load and validate them, write them back tidily and atomically, refuse to write secrets.

A collection file looks like this (every request key except `name` and `url` may be left out):

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
    auth = true

    [requests.expect]
    status = 200

Errors name the file, the line for TOML syntax errors, and the key path (`requests[2].method`) for
anything the file says that explorer cannot use, so a user can go straight to the mistake.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import tomli_w

from explorer.core.atomic import write_text_atomic
from explorer.core.errors import CollectionError
from explorer.core.model import (
    METHODS,
    PAGINATION_STYLES,
    STATUS_CLASSES,
    Collection,
    Expect,
    Paginate,
    RequestSpec,
    StatusSpec,
)
from explorer.core.placeholders import NAME_RULE, VARIABLE_NAME
from explorer.core.safefile import FileRefused, read_regular_file

__all__ = [
    "SCHEMA_VERSION",
    "dumps_collection",
    "find_secrets",
    "load_collection",
    "load_collections_dir",
    "loads_collection",
    "new_collection",
    "save_collection",
]

SCHEMA_VERSION = 1

_TOP_KEYS = ("schema_version", "name", "description", "openapi", "variables", "requests")
_REQUEST_KEYS = (
    "name",
    "folder",
    "description",
    "method",
    "url",
    "params",
    "headers",
    "body",
    "content_type",
    "auth",
    "filter",
    "capture",
    "expect",
    "paginate",
)
_EXPECT_KEYS = ("status", "jq", "headers", "max_ms")
_PAGINATE_KEYS = (
    "style",
    "max_pages",
    "items",
    "offset_param",
    "count_param",
    "count",
    "total",
    "cursor",
    "cursor_param",
)
# More pages than this in one go is a mistake in the declaration rather than a list anyone reads.
MAX_PAGES = 1000
_STATUS_FORMS = 'must be an integer status, a list of them or a class such as "2xx"'
_FIX_HINT = "Fix the file and load it again; explorer has not changed it."
# An inline table longer than this is written as its own [requests.…] section instead.
_INLINE_LIMIT = 100


# --- loading -------------------------------------------------------------------------------------------


def load_collection(path: Path) -> Collection:
    """Read and validate one collection file. Raises `CollectionError` naming the file, line or key."""
    return _load(Path(path))[0]


def loads_collection(text: str, *, path: Path | None = None) -> Collection:
    """Validate collection text. `path` is only used in error messages and stored on the result."""
    return _parse(text, path)[0]


def load_collections_dir(path: Path) -> tuple[list[Collection], list[CollectionError]]:
    """Load every `*.toml` in a directory (not recursively), in file-name order.

    Failures are collected rather than raised so one broken file does not hide the others. A directory
    that does not exist yet holds no collections and is not an error.
    """
    path = Path(path)
    if not path.exists():
        return [], []
    if not path.is_dir():
        return [], [CollectionError("is not a directory", path=str(path))]
    try:
        files = sorted(p for p in path.iterdir() if p.suffix == ".toml" and not p.name.startswith("."))
    except OSError as error:
        return [], [CollectionError(f"cannot be listed: {_reason(error)}", path=str(path))]
    loaded: list[Collection] = []
    failed: list[CollectionError] = []
    for file in files:
        if file.is_dir():
            continue
        try:
            loaded.append(load_collection(file))
        except CollectionError as error:
            failed.append(error)
    return loaded, failed


def _load(path: Path) -> tuple[Collection, str]:
    source = str(path)
    try:
        data = read_regular_file(path)
    except FileNotFoundError:
        raise CollectionError("not found", path=source, hint="Check the path and file name.") from None
    except FileRefused as error:
        raise CollectionError(
            f"cannot be read: {_reason(error)}", path=source, hint="A collection is a regular TOML file."
        ) from None
    except OSError as error:
        raise CollectionError(
            f"cannot be read: {_reason(error)}", path=source, hint="Check the file's permissions."
        ) from error
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise CollectionError(
            "is not UTF-8 text", path=source, line=line, hint="Save the file as UTF-8 and load it again."
        ) from error
    # Some editors start UTF-8 files with a byte order mark, which TOML does not allow.
    return _parse(text.removeprefix("\ufeff"), path)


def _parse(text: str, path: Path | None, *, saving: bool = False) -> tuple[Collection, str]:
    source = str(path) if path is not None else ""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message, line = _syntax_error(error, text)
        raise CollectionError(f"invalid TOML: {message}", path=source, line=line, hint=_FIX_HINT) from None
    except RecursionError:
        # tomllib recurses once per level of nested arrays or inline tables.
        raise CollectionError("is nested too deeply to read", path=source, hint=_FIX_HINT) from None
    return _Reader(source, path, saving=saving).collection(data)


_AT_LINE = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_AT_END = re.compile(r"\s*\(at end of document\)\s*$")


def _syntax_error(error: tomllib.TOMLDecodeError, text: str) -> tuple[str, int | None]:
    """The message without its position, and the line: newer Pythons carry them as attributes."""
    lineno = getattr(error, "lineno", None)
    msg = getattr(error, "msg", None)
    message = msg if isinstance(msg, str) else str(error)
    found = _AT_LINE.search(message)
    if found:
        message = message[: found.start()]
        if not isinstance(lineno, int):
            lineno = int(found.group(1))
    elif _AT_END.search(message):
        message = _AT_END.sub("", message)
        if not isinstance(lineno, int):
            lineno = max(1, len(text.splitlines()))
    return message, lineno if isinstance(lineno, int) else None


class _Reader:
    """Turns parsed TOML into model objects, failing with the key path of the first problem."""

    def __init__(self, source: str, path: Path | None, *, saving: bool = False) -> None:
        self.source = source
        self.path = path
        # While saving, the text being checked is what explorer was about to write, not the user's file.
        self.saving = saving

    def error(self, key: str, message: str, hint: str = "") -> CollectionError:
        if self.saving:
            hint = f"{hint} Nothing was saved; fix this and save again.".lstrip()
        return CollectionError(message, path=self.source, key=key, hint=hint or _FIX_HINT)

    def collection(self, data: dict[str, Any]) -> tuple[Collection, str]:
        self.known_keys(data, _TOP_KEYS, "")
        version = data.get("schema_version")
        if version is None:
            raise self.error("schema_version", "is missing", hint=f"Add schema_version = {SCHEMA_VERSION} at the top.")
        if type(version) is not int:
            raise self.error("schema_version", f"must be an integer, not {_kind(version)}")
        if version > SCHEMA_VERSION:
            raise self.error(
                "schema_version",
                f"is {version}: this collection was written by a newer explorer "
                f"(this one reads version {SCHEMA_VERSION})",
                hint="Upgrade explorer to open it.",
            )
        if version < 1:
            raise self.error("schema_version", f"is {version}, which is not a version explorer ever wrote")
        default_name = self.path.stem if self.path is not None else Collection().name
        name = self.text(data, "name", "name", default_name)
        description = self.text(data, "description", "description", "")
        variables = self.text_table(data, "variables", "variables")
        collection = Collection(
            name=name,
            requests=self.requests(data),
            variables=variables,
            path=self.path,
            schema_version=version,
            openapi=self.text(data, "openapi", "openapi", ""),
        )
        return collection, description

    def requests(self, data: dict[str, Any]) -> list[RequestSpec]:
        raw = data.get("requests", [])
        if not isinstance(raw, list):
            raise self.error("requests", f"must be an array of tables ([[requests]]), not {_kind(raw)}")
        specs: list[RequestSpec] = []
        first_use: dict[str, int] = {}
        for index, item in enumerate(raw):
            where = f"requests[{index}]"
            if not isinstance(item, dict):
                raise self.error(where, f"must be a table ([[requests]]), not {_kind(item)}")
            spec = self.request(item, where)
            if spec.name in first_use:
                raise self.error(
                    f"{where}.name",
                    f"{spec.name!r} is also the name of requests[{first_use[spec.name]}]",
                    hint="Give each request in a collection its own name.",
                )
            first_use[spec.name] = index
            specs.append(spec)
        return specs

    def request(self, item: dict[str, Any], where: str) -> RequestSpec:
        self.known_keys(item, _REQUEST_KEYS, where)
        if "name" not in item:
            raise self.error(f"{where}.name", "is missing", hint="Every request needs a name.")
        name = self.text(item, "name", f"{where}.name", "")
        if not name.strip():
            raise self.error(f"{where}.name", "is empty", hint="Every request needs a name.")
        if "url" not in item:
            raise self.error(f"{where}.url", "is missing", hint="Every request needs a url.")
        method = self.text(item, "method", f"{where}.method", "GET").strip().upper()
        if method not in METHODS:
            raise self.error(
                f"{where}.method",
                f"{item['method']!r} is not an HTTP method explorer sends",
                hint=f"Use one of {', '.join(METHODS)}.",
            )
        auth = item.get("auth", True)
        if not isinstance(auth, bool):
            raise self.error(f"{where}.auth", f"must be true or false, not {_kind(auth)}")
        return RequestSpec(
            name=name,
            method=method,
            url=self.text(item, "url", f"{where}.url", ""),
            params=self.text_table(item, "params", f"{where}.params"),
            headers=self.text_table(item, "headers", f"{where}.headers"),
            body=self.text(item, "body", f"{where}.body", ""),
            content_type=self.text(item, "content_type", f"{where}.content_type", ""),
            auth=auth,
            folder=self.text(item, "folder", f"{where}.folder", ""),
            description=self.text(item, "description", f"{where}.description", ""),
            filter=self.text(item, "filter", f"{where}.filter", ""),
            capture=self.capture(item, f"{where}.capture"),
            expect=self.expect(item, f"{where}.expect"),
            paginate=self.paginate(item, f"{where}.paginate"),
        )

    def expect(self, item: dict[str, Any], where: str) -> Expect:
        raw = item.get("expect", {})
        if not isinstance(raw, dict):
            raise self.error(where, f"must be a table, not {_kind(raw)}")
        self.known_keys(raw, _EXPECT_KEYS, where)
        expressions = raw.get("jq", [])
        if isinstance(expressions, str):
            expressions = [expressions]
        if not isinstance(expressions, list) or not all(isinstance(e, str) for e in expressions):
            raise self.error(
                f"{where}.jq", "must be a list of jq expressions (strings)", hint='jq = [".items | length > 0"]'
            )
        for index, expression in enumerate(expressions):
            if not expression.strip():
                raise self.error(f"{where}.jq[{index}]", "is empty", hint="Write a jq expression that must be true.")
        max_ms = raw.get("max_ms")
        if max_ms is not None and (type(max_ms) not in (int, float) or max_ms <= 0):
            raise self.error(f"{where}.max_ms", f"must be a positive number of milliseconds, not {max_ms!r}")
        return Expect(
            status=self.status(raw.get("status"), f"{where}.status"),
            jq=tuple(expressions),
            headers=self.text_table(raw, "headers", f"{where}.headers"),
            max_ms=max_ms,
        )

    def status(self, status: object, where: str) -> StatusSpec | None:
        if status is None:
            return None
        if isinstance(status, str):
            if status.strip().lower() not in STATUS_CLASSES:
                raise self.error(
                    where, f'must be an integer status, a list of them or a class such as "2xx", not {status!r}'
                )
            return status.strip().lower()
        statuses: list[Any] = status if isinstance(status, list) else [status]
        if not statuses:
            raise self.error(where, "is an empty list", hint="List at least one status, e.g. [200, 201].")
        for value in statuses:
            if type(value) is not int:
                raise self.error(
                    where, f'must be an integer status, a list of them or a class such as "2xx", not {_kind(value)}'
                )
            if not 100 <= value <= 599:
                raise self.error(where, f"{value} is not an HTTP status (100 to 599)")
        checked: list[int] = statuses
        return tuple(checked) if isinstance(status, list) else checked[0]

    def capture(self, item: dict[str, Any], where: str) -> dict[str, str]:
        captures = self.text_table(item, "capture", where)
        for name, source in captures.items():
            if not VARIABLE_NAME.fullmatch(name):
                raise self.error(
                    _key_path(where, name),
                    "is not a variable name",
                    hint=f"Use {NAME_RULE}.",
                )
            if not source.strip() or (source.startswith("header:") and not source[7:].strip()):
                raise self.error(
                    _key_path(where, name),
                    "says where nothing is taken from",
                    hint='Use a jq expression (".items[0].id"), "header:Location" or "status".',
                )
        return captures

    def paginate(self, item: dict[str, Any], where: str) -> Paginate | None:
        raw = item.get("paginate")
        if raw is None:
            return None
        if not isinstance(raw, dict):
            raise self.error(where, f"must be a table, not {_kind(raw)}")
        self.known_keys(raw, _PAGINATE_KEYS, where)
        style = raw.get("style", "offset")
        if style not in PAGINATION_STYLES:
            raise self.error(
                f"{where}.style", f"{style!r} is not a pagination style", hint="Use offset, cursor or link."
            )
        numbers: dict[str, int | None] = {}
        for key in ("max_pages", "count"):
            value = raw.get(key)
            if value is not None and (type(value) is not int or not 1 <= value <= MAX_PAGES * 100):
                raise self.error(f"{where}.{key}", f"must be a positive integer, not {value!r}")
            numbers[key] = value
        if (numbers["max_pages"] or 0) > MAX_PAGES:
            raise self.error(f"{where}.max_pages", f"is more than {MAX_PAGES}")
        texts = {key: self.text(raw, key, f"{where}.{key}", "") for key in _PAGINATE_KEYS[2:] if key != "count"}
        defaults = Paginate()
        return Paginate(
            style=style,
            max_pages=numbers["max_pages"] or defaults.max_pages,
            count=numbers["count"],
            items=texts["items"],
            offset_param=texts["offset_param"] or defaults.offset_param,
            count_param=texts["count_param"] or defaults.count_param,
            total=texts["total"],
            cursor=texts["cursor"],
            cursor_param=texts["cursor_param"] or defaults.cursor_param,
        )

    def text(self, table: dict[str, Any], key: str, where: str, default: str) -> str:
        value = table.get(key, default)
        if not isinstance(value, str):
            raise self.error(where, f"must be a string, not {_kind(value)}")
        return value

    def text_table(self, table: dict[str, Any], key: str, where: str) -> dict[str, str]:
        raw = table.get(key, {})
        if not isinstance(raw, dict):
            raise self.error(where, f"must be a table of strings, not {_kind(raw)}")
        values: dict[str, str] = {}
        for name, value in raw.items():
            text = _scalar_text(value)
            if text is None:
                raise self.error(
                    _key_path(where, name),
                    f"must be a string, not {_kind(value)}",
                    hint=f"Each entry of {where.rsplit('.', 1)[-1]} is one value; quote it as a string.",
                )
            values[name] = text
        return values

    def known_keys(self, table: dict[str, Any], allowed: tuple[str, ...], where: str) -> None:
        for key in table:
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                suggestion = f"Did you mean {close[0]!r}?" if close else f"Known keys: {', '.join(allowed)}."
                raise self.error(_key_path(where, key), f"unknown key {key!r}", hint=suggestion)


def _scalar_text(value: object) -> str | None:
    """A TOML scalar as the text a request would send; None for arrays and tables."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dt.date | dt.time):  # datetime is a date
        return value.isoformat()
    return None


def _kind(value: object) -> str:
    """The TOML name of a value's type, for messages."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a float"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, dt.date | dt.time):
        return "a date or time"
    return type(value).__name__


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _key_path(parent: str, key: str) -> str:
    part = key if _BARE_KEY.fullmatch(key) else json.dumps(key, ensure_ascii=False)
    return f"{parent}.{part}" if parent else part


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


# --- writing -------------------------------------------------------------------------------------------


def new_collection(name: str) -> Collection:
    """An empty collection, not yet saved anywhere."""
    return Collection(name=name)


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
        lines += _request_lines(spec)
    return "\n".join(lines) + "\n"


def _request_lines(spec: RequestSpec) -> list[str]:
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
        if len(inline) <= _INLINE_LIMIT:
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
    for key in _PAGINATE_KEYS[2:]:
        value = getattr(paginate, key)
        if value is not None and value != getattr(defaults, key):
            lines.append(_pair(key, value))
    return lines


# A bare key, and a string that a JSON encoder writes as a valid TOML basic string (TOML also escapes DEL).
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_PLAIN_STRING = re.compile(r"[^\x00-\x1f\x7f\ud800-\udfff]*")


def _pair(key: str, value: object) -> str:
    """One `key = value` line (several for a multi-line string), formatted by tomli-w where it can."""
    if isinstance(value, str) and _BARE_KEY.fullmatch(key) and _PLAIN_STRING.fullmatch(value):
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
    _parse(text, target, saving=True)
    try:
        write_text_atomic(target, text)
    except OSError as error:
        raise CollectionError(
            f"could not be written: {_reason(error)}",
            path=source,
            hint="Check that the directory is writable; the previous file, if any, is unchanged.",
        ) from error
    collection.path = target
    return target


def _load_with_text(path: Path) -> tuple[Collection, str, str]:
    collection, description = _load(path)
    return collection, description, path.read_bytes().decode("utf-8").removeprefix("\ufeff")


def _edited(text: str, old: Collection, new: Collection, target: Path) -> str | None:
    """The user's file with only the changed parts rewritten (comments and layout kept), if that works out."""
    from explorer.core.collection_edit import edit_in_place

    edited = edit_in_place(text, old, new)
    if edited is None:
        return None
    try:
        check = _parse(edited, target, saving=True)[0]
    except CollectionError:
        return None
    # Anything the in-place edit got wrong falls back to a fresh file rather than saving something else.
    if check.requests != new.requests or check.variables != new.variables or check.name != new.name:
        return None
    return edited


# --- secrets -------------------------------------------------------------------------------------------

# A value that is only a reference such as `{{api_token}}` is safe: the secret lives elsewhere.
_REFERENCE = re.compile(r"\{\{\s*[^{}\s]+\s*\}\}")
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
_AUTH_SCHEMES = frozenset({"bearer", "basic", "digest", "token", "negotiate"})
_CREDENTIAL_HEADERS = frozenset({"authorization", "proxy-authorization"})
_SECRET_HEADER = re.compile(r"cookie|api[-_]?key|token|secret|password|session", re.IGNORECASE)
_SECRET_VARIABLE = re.compile(r"secret|token|password|passwd|api[-_]?key", re.IGNORECASE)
_SECRET_PARAMS = frozenset(
    {"access_token", "id_token", "refresh_token", "api_key", "apikey", "client_secret", "password"}
)
_URL_USERINFO = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://[^/?#@]*:([^/?#@]*)@")
_URL_SECRET_PARAM = re.compile(r"[?&]([^=&#]+)=([^&#]*)")


def find_secrets(collection: Collection) -> list[str]:
    """Key paths where the collection holds a literal token or secret, in file order.

    Looked for: a literal credential in an Authorization header, a literal value in a header named like
    an API key, cookie or token, a JWT anywhere, a password in a URL, a literal value in a query parameter
    or a variable whose name says it is a secret.
    """
    found: dict[str, None] = {}
    for name, value in collection.variables.items():
        where = _key_path("variables", name)
        if _looks_like_jwt(value) or (_SECRET_VARIABLE.search(name) and _is_literal(value)):
            found.setdefault(where)
    for index, spec in enumerate(collection.requests):
        for where in _request_secrets(spec, f"requests[{index}]"):
            found.setdefault(where)
    return list(found)


def _request_secrets(spec: RequestSpec, where: str) -> Iterator[str]:
    for key in ("name", "folder", "description"):
        if _looks_like_jwt(getattr(spec, key)):
            yield f"{where}.{key}"
    if _looks_like_jwt(spec.url) or _url_has_secret(spec.url):
        yield f"{where}.url"
    for name, value in spec.params.items():
        if _looks_like_jwt(value) or (name.lower() in _SECRET_PARAMS and _is_literal(value)):
            yield _key_path(f"{where}.params", name)
    for name, value in spec.headers.items():
        lowered = name.strip().lower()
        if lowered in _CREDENTIAL_HEADERS:
            secret = _has_literal_credential(value)
        else:
            secret = bool(_SECRET_HEADER.search(lowered)) and _is_literal(value)
        if secret or _looks_like_jwt(value):
            yield _key_path(f"{where}.headers", name)
    if _looks_like_jwt(spec.body):
        yield f"{where}.body"


def _is_literal(value: str) -> bool:
    """True when the value is more than blank space and `{{variable}}` references."""
    return bool(_REFERENCE.sub("", value).strip())


def _looks_like_jwt(value: str) -> bool:
    return _JWT.search(value) is not None


def _has_literal_credential(value: str) -> bool:
    words = value.split()
    if not words:
        return False
    if len(words) == 1:
        return _is_literal(words[0]) and words[0].lower() not in _AUTH_SCHEMES
    return any(_is_literal(word) for word in words[1:])


def _url_has_secret(url: str) -> bool:
    userinfo = _URL_USERINFO.match(url.strip())
    if userinfo and _is_literal(userinfo.group(1)):
        return True
    return any(name.lower() in _SECRET_PARAMS and _is_literal(value) for name, value in _URL_SECRET_PARAM.findall(url))
