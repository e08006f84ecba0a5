"""Requests as curl command lines.

A request that uses the profile's token gets `-H "Authorization: Bearer $(explorer token --raw --profile P)"`:
the token is fetched when the line runs, never written. `{{variables}}` are filled from the collection and the
profile; `{{$env.NAME}}` stays a shell variable; a variable without a value is left as `{{name}}` and reported.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from explorer.core.exporters.shell import Command, Env, Piece, quote, quote_pieces
from explorer.core.http import DYNAMIC_VARIABLES
from explorer.core.model import RequestSpec
from explorer.core.placeholders import PLACEHOLDER

__all__ = ["CurlExport", "to_curl", "token_command"]

_JSON_START = ("{", "[")


@dataclass
class CurlExport:
    text: str
    missing: list[str] = field(default_factory=list)


def token_command(profile: str) -> str:
    suffix = f" --profile {quote(profile)}" if profile else ""
    return f"explorer token --raw{suffix}"


class _Renderer:
    def __init__(self, variables: Mapping[str, str]) -> None:
        self.variables = variables
        self.missing: list[str] = []

    def pieces(self, text: str) -> list[Piece]:
        pieces: list[Piece] = []
        position = 0
        for match in PLACEHOLDER.finditer(text):
            pieces.append(text[position : match.start()])
            position = match.end()
            name = match.group(1)
            if name.startswith("$env."):
                pieces.append(Env(name[5:]))
            elif name in self.variables:
                pieces.append(self.variables[name])
            elif name in DYNAMIC_VARIABLES:
                pieces.append(DYNAMIC_VARIABLES[name]())
            else:
                if name not in self.missing:
                    self.missing.append(name)
                pieces.append(match.group(0))
        pieces.append(text[position:])
        return [p for p in pieces if p != ""] or [""]

    def word(self, text: str) -> str:
        return quote_pieces(self.pieces(text))


def request_url(spec: RequestSpec) -> str:
    """The URL with the params table added to its query (`{{variables}}` left to fill in)."""
    if not spec.params:
        return spec.url
    from urllib.parse import quote as url_quote

    def encode(text: str) -> str:
        parts = re.split(r"(\{\{[^{}]*\}\})", text)
        return "".join(p if p.startswith("{{") else url_quote(p, safe="") for p in parts)

    query = "&".join(f"{encode(k)}={encode(v)}" for k, v in spec.params.items() if k)
    return spec.url + ("&" if "?" in spec.url else "?") + query


def to_curl(spec: RequestSpec, variables: Mapping[str, str], *, profile: str = "") -> CurlExport:
    """One curl line (continued over several with backslashes) for the request."""
    render = _Renderer(variables)
    lines = ["curl"]
    method = spec.method.upper()
    has_body = bool(spec.body)
    if method == "HEAD":
        lines[0] += " --head"
    elif not (method == "GET" and not has_body) and not (method == "POST" and has_body):
        lines[0] += f" -X {method}"
    lines[0] += " " + render.word(request_url(spec))
    names = {k.strip().lower() for k in spec.headers}
    for key, value in spec.headers.items():
        if key.strip():
            lines.append("-H " + render.word(f"{key}: {value}"))
    if spec.content_type and "content-type" not in names:
        lines.append("-H " + render.word(f"Content-Type: {spec.content_type}"))
    elif has_body and "content-type" not in names and spec.body.lstrip()[:1] in _JSON_START:
        lines.append("-H " + quote("Content-Type: application/json"))
    if spec.auth and "authorization" not in names:
        lines.append("-H " + quote_pieces(["Authorization: Bearer ", Command(token_command(profile))]))
    if has_body:
        lines.append("--data-raw " + render.word(spec.body))
    return CurlExport(text=" \\\n  ".join(lines), missing=render.missing)
