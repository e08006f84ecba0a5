"""Which operation a request is: its method and URL matched against the path templates of a catalogue.

The URL's path is tried without the API's base path (the profile's `api_url`, the spec's servers or basePath);
when none of them is a prefix, the template that matches the end of the path wins. Literal segments beat
`{parameters}`, so `/orders/search` is not taken for `/orders/{id}`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from urllib.parse import unquote, urlsplit

from explorer.core.openapi.model import Catalogue, Operation

_PARAM = re.compile(r"\{[^}/]*\}")


def _path_of(url: str) -> str:
    """The path of a URL; none for one that cannot be split (a server `host: "["` in a description)."""
    try:
        return urlsplit(url).path
    except ValueError:
        return ""


def _segments(path: str) -> list[str]:
    return [s for s in path.split("/") if s]


class _Template:
    __slots__ = ("operation", "parts", "score")

    def __init__(self, operation: Operation) -> None:
        self.operation = operation
        self.parts: list[str | re.Pattern[str]] = []
        literal = 0.0
        for segment in _segments(operation.path):
            if "{" in segment:
                pieces = _PARAM.split(segment)
                regex = "[^/]+".join(re.escape(p) for p in pieces)
                self.parts.append(re.compile(f"^{regex}$"))
                literal += sum(len(p) for p in pieces) / 100  # `{id}.json` is more specific than `{id}`
            else:
                self.parts.append(segment)
                literal += 1
        self.score = literal

    def matches(self, segments: Sequence[str]) -> bool:
        if len(segments) != len(self.parts):
            return False
        for part, segment in zip(self.parts, segments, strict=True):
            if isinstance(part, str):
                if part != segment:
                    return False
            elif not part.match(segment):
                return False
        return True


class OperationMatcher:
    """Built once per catalogue; `match` is a dictionary look-up plus a few comparisons."""

    def __init__(self, catalogue: Catalogue) -> None:
        self._by_method: dict[str, list[_Template]] = {}
        for op in catalogue.operations:
            self._by_method.setdefault(op.method, []).append(_Template(op))
        for templates in self._by_method.values():
            templates.sort(key=lambda t: -t.score)
        self._bases = [_path_of(s).rstrip("/") for s in catalogue.servers]

    def match(self, method: str, url: str, api_url: str = "") -> Operation | None:
        templates = self._by_method.get(method.upper())
        if not templates:
            return None
        path = unquote(_path_of(url) if "://" in url else url.split("?", 1)[0])
        bases = [_path_of(api_url).rstrip("/")] if api_url else []
        for base in _unique([*bases, *self._bases, ""]):
            if base and not (path == base or path.startswith(base + "/")):
                continue
            found = _first(templates, _segments(path[len(base) :]))
            if found is not None:
                return found
        # No base path fits: the longest, most literal template that matches the end of the path.
        segments = _segments(path)
        best: tuple[int, float, Operation] | None = None
        for template in templates:
            size = len(template.parts)
            if 0 < size <= len(segments) and template.matches(segments[-size:]):
                key = (size, template.score, template.operation)
                if best is None or key[:2] > best[:2]:
                    best = key
        return best[2] if best is not None else None


def _first(templates: Iterable[_Template], segments: Sequence[str]) -> Operation | None:
    for template in templates:
        if template.matches(segments):
            return template.operation
    return None


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
