"""Save a collection by editing the user's file in place: only the tables of requests that changed change.

A collection edited by hand keeps its comments, key order, blank lines and string styles through a save from
the app. Each changed request's table is brought up to date key by key from the table `collections` writes
for it (`request_lines`, the one place that turns a RequestSpec into TOML, so every key it knows is covered);
unchanged requests, variables and everything else are left byte for byte. Requests moved to another place (a
request moved to another folder) take their tables with them, and the comments above each. When the result
would not load back as exactly the collection being saved, the caller writes the whole file afresh instead.
"""

from __future__ import annotations

import itertools
from typing import Any

import tomlkit
import tomlkit.exceptions
from tomlkit.items import AoT, Comment, Table, Whitespace

from explorer.core.model import Collection, RequestSpec

__all__ = ["edit_in_place"]

# Keys `request_lines` always writes; a table without them already means the same thing.
_DEFAULTS = {("auth", True), ("method", "GET")}


def _fresh_table(spec: RequestSpec) -> Table:
    from explorer.core.collection_writer import request_lines

    table = tomlkit.parse("[[requests]]\n" + "\n".join(request_lines(spec)) + "\n")["requests"][0]
    assert isinstance(table, Table)
    return table


def _plain(value: Any) -> Any:
    return value.unwrap() if hasattr(value, "unwrap") else value


def _same(key: str, old: Any, new: Any) -> bool:
    # The file may spell a method in lower case; it reads as the same request.
    if key == "method" and isinstance(old, str) and isinstance(new, str):
        return old.strip().upper() == new
    return bool(old == new)


def _update_table(table: Table, spec: RequestSpec) -> None:
    fresh = _fresh_table(spec)
    for key in list(table.keys()):
        if key not in fresh:
            del table[key]
    for key, value in fresh.items():
        plain = _plain(value)
        if key in table:
            if not _same(key, _plain(table[key]), plain):
                table[key] = value
        elif (key, plain) not in _DEFAULTS:
            table[key] = value


def _match(old: list[RequestSpec], new: list[RequestSpec]) -> list[int | None]:
    """For each new request, the index of the old one it replaces (same name, else a rename in place)."""
    by_name = {spec.name: index for index, spec in enumerate(old)}
    matched: list[int | None] = [by_name.get(spec.name) for spec in new]
    used = {i for i in matched if i is not None}
    # A renamed request: an unmatched new one where an unmatched old one was, one for one or at the same place.
    unused = [i for i in range(len(old)) if i not in used]
    unmatched = [n for n, i in enumerate(matched) if i is None]
    if len(unused) == len(unmatched):
        for n, i in zip(unmatched, unused, strict=True):
            matched[n] = i
    else:
        for n in unmatched:
            if n in unused:
                matched[n] = n
                unused.remove(n)
    return matched


def edit_in_place(text: str, old: Collection, new: Collection) -> str | None:
    """The user's file text with `new` written into it; None when only a fresh file would do."""
    try:
        document = tomlkit.parse(text)
    except tomlkit.exceptions.TOMLKitError:
        return None
    matched = _match(old.requests, new.requests)
    if _plain(document.get("name")) != new.name:
        document["name"] = new.name
    if (new.openapi or document.get("openapi") is not None) and _plain(document.get("openapi")) != new.openapi:
        if new.openapi:
            document["openapi"] = new.openapi
        else:
            del document["openapi"]
    if not _variables(document, new.variables):
        return None
    return _requests(document, old, new, matched)


def _variables(document: tomlkit.TOMLDocument, variables: dict[str, str]) -> bool:
    table = document.get("variables")
    if table is None:
        if variables:
            document["variables"] = variables
        return True
    if not isinstance(table, dict):
        return False
    for key in list(table.keys()):
        if key not in variables:
            del table[key]
    for key, value in variables.items():
        if key not in table or _plain(table[key]) != value:
            table[key] = value
    return True


def _requests(
    document: tomlkit.TOMLDocument, old: Collection, new: Collection, matched: list[int | None]
) -> str | None:
    aot = document.get("requests")
    if aot is None:
        if not new.requests:
            return tomlkit.dumps(document)
        aot = tomlkit.aot()
        document["requests"] = aot
    if not isinstance(aot, AoT) or len(aot) != len(old.requests):
        return None
    tables = list(aot)
    order = [i for i in matched if i is not None]
    if order != sorted(order):
        return _reordered(document, aot, old, new, matched)
    kept = {i for i in matched if i is not None}
    # Remove the tables of deleted requests, last first so indexes stay true.
    for index in sorted(set(range(len(tables))) - kept, reverse=True):
        del aot[index]
    for position, (spec, source) in enumerate(zip(new.requests, matched, strict=True)):
        if source is None:
            fresh = _fresh_table(spec)
            # A blank line before each new [[requests]], as the rest of the file has.
            fresh.trivia.indent = "\n"
            aot.insert(position, fresh)
        elif old.requests[source] != spec:
            _update_table(tables[source], spec)
    return tomlkit.dumps(document)


def _reordered(
    document: tomlkit.TOMLDocument, aot: AoT, old: Collection, new: Collection, matched: list[int | None]
) -> str:
    """The requests' tables in the new order: each keeps its comments, and those written above it move with it."""
    tables = list(aot)
    # The comments and blank lines above a table are parsed as the end of the table before it: they become the
    # lines before the table's own header, so they go where it goes.
    for before, table in itertools.pairwise(tables):
        table.trivia.indent = _detach_trailing(before) + table.trivia.indent
    # The first one's are the end of the table before the requests (usually [variables]).
    body = document.body
    place = next((i for i, (_key, item) in enumerate(body) if item is aot), 0)
    above = body[place - 1][1] if place and body[place - 1][0] is not None else None
    if isinstance(above, Table) and tables:
        tables[0].trivia.indent = _detach_trailing(above) + tables[0].trivia.indent
    for index in range(len(tables) - 1, -1, -1):
        del aot[index]
    for position, (spec, source) in enumerate(zip(new.requests, matched, strict=True)):
        if source is None:
            table = _fresh_table(spec)
        else:
            table = tables[source]
            if old.requests[source] != spec:
                _update_table(table, spec)
        if (position or place) and not table.trivia.indent.startswith("\n"):
            # A blank line before each [[requests]], as the rest of the file has.
            table.trivia.indent = "\n" + table.trivia.indent
        aot.append(table)
    return tomlkit.dumps(document)


def _detach_trailing(table: Table) -> str:
    """Take the blank lines and comments off the end of `table` (or of its last sub-table) and return them."""
    body = table.value.body
    if body and body[-1][0] is not None and isinstance(body[-1][1], Table):
        return _detach_trailing(body[-1][1])
    trailing: list[str] = []
    while body and body[-1][0] is None and isinstance(body[-1][1], Whitespace | Comment):
        trailing.append(body.pop()[1].as_string())
    return "".join(reversed(trailing))
