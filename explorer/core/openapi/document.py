"""A spec document as parsed JSON or YAML, with `$ref`s followed on demand (inside it and to relative files).

Nothing is copied: a `$ref` is resolved when something reads through it, and the parsed tree is shared by every
operation. A reference that cannot be followed is reported with the JSON pointer of the place that made it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from explorer.core.errors import ExplorerError
from explorer.core.safefile import read_regular_file

# A chain of references longer than this is a loop (`A -> B -> A`) or something no reader should follow.
MAX_REF_HOPS = 64
# The largest description file read: the biggest public ones are tens of megabytes.
MAX_SPEC_FILE = 256 * 1024 * 1024


class SpecError(ExplorerError):
    """A spec could not be read at all (not found, not JSON or YAML, not an API description)."""

    title = "API description unreadable"
    exit_code = 2


class _RemoteReference(SpecError):
    """A `$ref` to another server (or from a description that came from one)."""


def escape(token: str) -> str:
    """One JSON pointer token (RFC 6901): `~` as `~0`, `/` as `~1`."""
    return token.replace("~", "~0").replace("/", "~1")


def pointer(*tokens: str | int) -> str:
    """`#/paths/~1orders/get` from ("paths", "/orders", "get")."""
    return "#/" + "/".join(escape(str(t)) for t in tokens) if tokens else "#"


def _yaml_loader() -> type[Any]:
    import yaml

    base: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):  # type: ignore[misc]
        """Safe loading without timestamps: a date in a spec is text, as it is in JSON."""

    Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in base.yaml_implicit_resolvers.items()
    }
    return Loader


_WHITESPACE = re.compile(r"[ \t\n\r]*")
# Below this size a document is parsed in one call; above it, in pieces (see `loads_in_pieces`).
PIECES_FROM = 512 * 1024


def loads_in_pieces(text: str, depth: int = 3) -> Any:
    """`json.loads`, but the outer `depth` levels of objects are read member by member.

    `json.loads` is one call that keeps the interpreter lock until the whole document is read: ~100 ms for a
    10 MB description, during which no other thread (the UI's event loop) runs. Read in pieces, the lock changes
    hands between members (a path item, a schema), each a fraction of a millisecond.
    """
    decoder = json.JSONDecoder()
    scan = decoder.raw_decode
    match = _WHITESPACE.match

    def skip(text: str, index: int) -> int:
        found = match(text, index)  # the pattern matches the empty string, so it always matches
        return found.end() if found is not None else index

    def value(index: int, level: int) -> tuple[Any, int]:
        index = skip(text, index)
        if level <= 0 or text[index : index + 1] != "{":
            return scan(text, index)
        result: dict[str, Any] = {}
        index = skip(text, index + 1)
        if text[index : index + 1] == "}":
            return result, index + 1
        while True:
            key, index = scan(text, index)
            if not isinstance(key, str):
                raise ValueError(f"expected a property name at character {index}")
            index = skip(text, index)
            if text[index : index + 1] != ":":
                raise ValueError(f"expected ':' at character {index}")
            result[key], index = value(index + 1, level - 1)
            index = skip(text, index)
            mark = text[index : index + 1]
            if mark == ",":
                index = skip(text, index + 1)
            elif mark == "}":
                return result, index + 1
            else:
                raise ValueError(f"expected ',' or '}}' at character {index}")

    result, end = value(0, depth)
    if skip(text, end) != len(text):
        raise ValueError(f"extra data at character {end}")
    return result


def parse_bytes(data: bytes, source: str, *, pieces: bool = True) -> Any:
    """JSON when it looks like JSON, else YAML (PyYAML's C loader when it is built in).

    `pieces=False`: a large JSON document in one call, which is quicker when no other thread needs the
    interpreter meanwhile (a headless command); see `loads_in_pieces`.
    """
    text_start = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if text_start[:1] in (b"{", b"["):
        try:
            if pieces and len(data) >= PIECES_FROM:
                try:
                    return loads_in_pieces(data.decode("utf-8-sig"))
                except (ValueError, UnicodeDecodeError):
                    pass  # json.loads below says what is wrong, in its words
            return json.loads(data)
        except ValueError as exc:
            raise SpecError(f"{source} is not valid JSON: {exc}.", hint="Check the file, or its URL.") from None
        except RecursionError:
            raise SpecError(f"{source} is nested too deeply to read.") from None
    import yaml

    try:
        return yaml.load(data, Loader=_yaml_loader())
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" (line {where.line + 1})" if where is not None else ""
        raise SpecError(f"{source} is neither JSON nor valid YAML{line}.", hint="Check the file, or its URL.") from None
    except RecursionError:
        raise SpecError(f"{source} is nested too deeply to read.") from None


@dataclass
class Document:
    """One parsed file. `base` is its path (relative `$ref`s are read next to it) or its URL."""

    root: Any
    base: str = ""
    _others: dict[str, Document] = field(default_factory=dict, repr=False)
    # Problems met while following references: pointer -> message, each reported once.
    problems: dict[str, str] = field(default_factory=dict, repr=False)

    def at(self, path: str) -> Any:
        """The node at a JSON pointer of this document ("#/components/schemas/Order"); KeyError if absent."""
        node = self.root
        text = path[1:] if path.startswith("#") else path
        if not text:
            return node
        if not text.startswith("/"):
            raise KeyError(path)
        for raw in text[1:].split("/"):
            token = unquote(raw).replace("~1", "/").replace("~0", "~")
            if isinstance(node, Mapping):
                if token in node:
                    node = node[token]
                elif token.isdigit() and int(token) in node:  # YAML response codes read as numbers
                    node = node[int(token)]
                else:
                    raise KeyError(path)
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                raise KeyError(path)
        return node

    def deref(self, node: Any, where: str = "") -> tuple[Any, Document]:
        """Follow `$ref`s until a node that is not one; returns it and the document it lives in.

        A reference that cannot be followed gives an empty mapping and a problem at `where`.
        """
        doc = self
        for _ in range(MAX_REF_HOPS):
            if type(node) is not dict:  # parsed JSON and YAML are plain dicts (and this runs a lot)
                return node, doc
            ref = node.get("$ref")
            if not isinstance(ref, str):
                return node, doc
            try:
                node, doc = doc._follow(ref)
            except KeyError:
                self.problems.setdefault(where or ref, f"the reference {ref} points at nothing")
                return {}, doc
            except _RemoteReference:
                message = f"skipped the reference {ref}: remote references are not fetched (only files next to the "
                self.problems.setdefault(where or ref, message + "description are read)")
                return {}, doc
            except SpecError as exc:
                self.problems.setdefault(where or ref, f"the reference {ref} cannot be read: {exc.message}")
                return {}, doc
        self.problems.setdefault(where or "#", "a chain of references loops back on itself")
        return {}, doc

    def _follow(self, ref: str) -> tuple[Any, Document]:
        target, _, fragment = ref.partition("#")
        doc = self if not target else self._other(target)
        return doc.at("#" + fragment), doc

    def _other(self, target: str) -> Document:
        # References to other servers are reported, not fetched: reading a description must not make requests
        # the user did not ask for (to hosts the profile's token is not meant for).
        try:
            remote = urlsplit(target).scheme in ("http", "https") or urlsplit(self.base).scheme in ("http", "https")
            if not remote:
                path = (Path(self.base).parent / unquote(target)).resolve() if self.base else Path(target).resolve()
        except (ValueError, OSError) as exc:  # "http://[x", a NUL in the name, a loop of links
            raise SpecError(f"not a file or address explorer can read ({exc})") from None
        if remote:
            raise _RemoteReference(target)
        known = self._others.get(str(path))
        if known is not None:
            return known
        data = read_spec_bytes(path)
        other = Document(parse_bytes(data, str(path)), str(path), self._others, self.problems)
        self._others[str(path)] = other
        return other


def read_spec_bytes(path: Path) -> bytes:
    """The bytes of a description file: a regular file of at most `MAX_SPEC_FILE` (never a FIFO, a device or a
    directory, which would block or never end). Raises `SpecError` saying why not."""
    try:
        return read_regular_file(Path(path), limit=MAX_SPEC_FILE)
    except FileNotFoundError:
        raise SpecError(f"The API description {path} does not exist.", hint="Check the path.") from None
    except OSError as exc:
        raise SpecError(f"Cannot read the API description {path}: {exc.strerror or exc}.") from None


def load_document(path: Path, *, pieces: bool = True) -> Document:
    """Read and parse a spec file (`pieces`: see `parse_bytes`)."""
    data = read_spec_bytes(path)
    return Document(parse_bytes(data, str(path), pieces=pieces), str(path))
