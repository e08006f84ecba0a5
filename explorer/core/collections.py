"""TOML collections read and checked (`collection_writer` writes them back, `collection_secrets` keeps secrets out).

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
from pathlib import Path
from typing import Any

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
    "load_collection",
    "load_collections_dir",
    "loads_collection",
    "new_collection",
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
PAGINATE_KEYS = (
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
INLINE_LIMIT = 100


# --- loading -------------------------------------------------------------------------------------------


def load_collection(path: Path) -> Collection:
    """Read and validate one collection file. Raises `CollectionError` naming the file, line or key."""
    return load_with_description(Path(path))[0]


def loads_collection(text: str, *, path: Path | None = None) -> Collection:
    """Validate collection text. `path` is only used in error messages and stored on the result."""
    return parse_collection(text, path)[0]


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
        return [], [CollectionError(f"cannot be listed: {os_reason(error)}", path=str(path))]
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


def load_with_description(path: Path) -> tuple[Collection, str]:
    source = str(path)
    try:
        data = read_regular_file(path)
    except FileNotFoundError:
        raise CollectionError("not found", path=source, hint="Check the path and file name.") from None
    except FileRefused as error:
        raise CollectionError(
            f"cannot be read: {os_reason(error)}", path=source, hint="A collection is a regular TOML file."
        ) from None
    except OSError as error:
        raise CollectionError(
            f"cannot be read: {os_reason(error)}", path=source, hint="Check the file's permissions."
        ) from error
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise CollectionError(
            "is not UTF-8 text", path=source, line=line, hint="Save the file as UTF-8 and load it again."
        ) from error
    # Some editors start UTF-8 files with a byte order mark, which TOML does not allow.
    return parse_collection(text.removeprefix("\ufeff"), path)


def parse_collection(text: str, path: Path | None, *, saving: bool = False) -> tuple[Collection, str]:
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
                    key_path(where, name),
                    "is not a variable name",
                    hint=f"Use {NAME_RULE}.",
                )
            if not source.strip() or (source.startswith("header:") and not source[7:].strip()):
                raise self.error(
                    key_path(where, name),
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
        self.known_keys(raw, PAGINATE_KEYS, where)
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
        texts = {key: self.text(raw, key, f"{where}.{key}", "") for key in PAGINATE_KEYS[2:] if key != "count"}
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
                    key_path(where, name),
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
                raise self.error(key_path(where, key), f"unknown key {key!r}", hint=suggestion)


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


BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def key_path(parent: str, key: str) -> str:
    part = key if BARE_KEY.fullmatch(key) else json.dumps(key, ensure_ascii=False)
    return f"{parent}.{part}" if parent else part


def os_reason(error: OSError) -> str:
    return error.strerror or str(error)


# --- writing -------------------------------------------------------------------------------------------


def new_collection(name: str) -> Collection:
    """An empty collection, not yet saved anywhere."""
    return Collection(name=name)
