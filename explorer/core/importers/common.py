"""Building blocks the importers share: a request draft, header merging, names, variables, file bodies."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from explorer.core.importers.base import ImportOrigin, ImportResult
from explorer.core.model import METHODS, Collection, RequestSpec, free_name
from explorer.core.safefile import read_regular_file

# Other tools' dynamic variables, spelled the way explorer's templating knows them.
_DYNAMIC = {
    "$guid": "$uuid",
    "$random.uuid": "$uuid",
    "$randomUUID": "$uuid",
    "$timestamp": "$timestamp",
    "$isoTimestamp": "$isoTimestamp",
    "$datetime iso8601": "$isoTimestamp",
    "$randomInt": "$randomInt",
    "$random.integer": "$randomInt",
}
_PROCESS_ENV = re.compile(r"\{\{\s*\$(?:processEnv|dotenv)\s+%?([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
_DYNAMIC_REF = re.compile(r"\{\{\s*(\$[A-Za-z][A-Za-z0-9_. ]*?)\s*\}\}")


def translate_variables(text: str) -> str:
    """`{{$guid}}`, `{{$random.uuid}}`, `{{$processEnv X}}` … in explorer's spelling; other text as it is."""
    if "{{" not in text:
        return text
    text = _PROCESS_ENV.sub(lambda m: "{{$env." + m.group(1) + "}}", text)

    def dynamic(match: re.Match[str]) -> str:
        name = match.group(1)
        mapped = _DYNAMIC.get(name)
        return "{{" + mapped + "}}" if mapped else match.group(0)

    return _DYNAMIC_REF.sub(dynamic, text)


@dataclass
class Draft:
    """A request while it is being read: headers keep their order and repeats until `to_spec`."""

    name: str = ""
    method: str = "GET"
    url: str = ""
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: str = ""
    content_type: str = ""
    auth: bool = False
    folder: str = ""
    description: str = ""
    # Where it came from in the source, for messages ("line 12", "item 'Orders/List'").
    where: str = ""

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        for key, value in reversed(self.headers):
            if key.lower() == lowered:
                return value
        return None

    def set_header(self, name: str, value: str) -> None:
        self.remove_header(name)
        self.headers.append((name, value))

    def remove_header(self, name: str) -> None:
        lowered = name.lower()
        self.headers = [(k, v) for k, v in self.headers if k.lower() != lowered]

    def to_spec(self) -> RequestSpec:
        merged: dict[str, str] = {}
        names: dict[str, str] = {}
        for key, value in self.headers:
            key = key.strip()
            if not key:
                continue
            first = names.setdefault(key.lower(), key)
            if first in merged:
                # One header table per request: repeats join the way HTTP allows (cookies with "; ").
                joiner = "; " if key.lower() == "cookie" else ", "
                merged[first] = f"{merged[first]}{joiner}{value}" if merged[first] else value
            else:
                merged[first] = value
        return RequestSpec(
            name=self.name,
            method=self.method,
            url=self.url,
            headers=merged,
            body=self.body,
            content_type=self.content_type,
            auth=self.auth,
            folder=self.folder,
            description=self.description,
        )


def default_name(method: str, url: str) -> str:
    """`GET /v0/orders` from a URL: the path tells requests apart better than the host."""
    rest = re.sub(r"^[A-Za-z][A-Za-z0-9+.-]*://", "", url.strip())
    path = rest[rest.find("/") :] if "/" in rest else "/"
    path = path.split("?", 1)[0].split("#", 1)[0] or "/"
    if len(path) > 60:
        path = path[:57] + "…"
    return f"{method} {path}"


def add_request(result: ImportResult, draft: Draft) -> RequestSpec | None:
    """Check a draft and add it to the collection under a name no other request has; None when skipped."""
    method = draft.method.strip().upper() or "GET"
    label = draft.name or default_name(method, draft.url)
    if method not in METHODS:
        result.skipped.append(f"{label!r}{_at(draft)}: {method} is not a method explorer sends")
        return None
    if not draft.url.strip():
        result.skipped.append(f"{label!r}{_at(draft)}: it has no URL")
        return None
    draft.method = method
    draft.url = draft.url.strip()
    draft.name = free_name(result.names, label.strip() or default_name(method, draft.url))
    result.names.add(draft.name)
    spec = draft.to_spec()
    result.collection.requests.append(spec)
    return spec


def _at(draft: Draft) -> str:
    return f" ({draft.where})" if draft.where else ""


def unique_name(collection: Collection, name: str) -> str:
    return free_name({r.name for r in collection.requests}, name)


def with_scheme(url: str) -> str:
    """curl and editors accept `example.com/x`; explorer needs the scheme they assume (http)."""
    stripped = url.strip()
    if not stripped or stripped.startswith("{{") or re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", stripped):
        return stripped
    return "http://" + stripped


def read_body_file(result: ImportResult, origin: ImportOrigin, name: str, what: str) -> str | None:
    """A body named by a file (`@file`, `< file`), inlined when it is UTF-8 text next to the source."""
    path = Path(name).expanduser()
    if not path.is_absolute():
        path = origin.directory / path
    try:
        data = read_regular_file(path)
    except OSError as error:
        reason = "not found" if isinstance(error, FileNotFoundError) else f"not read ({error.strerror or error})"
        result.skipped.append(f"{what}: body file {name} {reason}; the body was left empty")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        result.skipped.append(f"{what}: body file {name} is not text; the body was left empty")
        return None
    result.notes.append(f"{what}: body inlined from {name}")
    return text


FORM_BOUNDARY = "----explorer-form-boundary"


@dataclass
class FormPart:
    name: str
    value: str
    filename: str = ""
    content_type: str = ""


def multipart_body(parts: list[FormPart]) -> tuple[str, str]:
    """A multipart/form-data body as text, and its Content-Type (with the fixed boundary it uses)."""
    lines: list[str] = []
    for part in parts:
        disposition = f'Content-Disposition: form-data; name="{part.name}"'
        if part.filename:
            disposition += f'; filename="{part.filename}"'
        lines += [f"--{FORM_BOUNDARY}", disposition]
        if part.content_type:
            lines.append(f"Content-Type: {part.content_type}")
        lines += ["", part.value]
    lines.append(f"--{FORM_BOUNDARY}--")
    return "\r\n".join(lines) + "\r\n", f"multipart/form-data; boundary={FORM_BOUNDARY}"


_REF = re.compile(r"(\{\{[^{}]*\}\})")


def form_encode(pairs: list[tuple[str, str]]) -> str:
    """`a=1&b=x+y`, leaving `{{variables}}` as they are so they are filled in when sent."""
    from urllib.parse import quote_plus

    def encode(text: str) -> str:
        return "".join(piece if _REF.fullmatch(piece) else quote_plus(piece, safe="*") for piece in _REF.split(text))

    return "&".join(f"{encode(k)}={encode(v)}" for k, v in pairs)
