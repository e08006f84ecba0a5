"""Quote text for POSIX shells: single quotes for what is literal, double quotes around what must expand.

A value is a list of pieces: literal text, an environment variable (`"${NAME}"`) or a command substitution
(`"$(explorer token --raw …)"`). Control characters other than newline and tab need `$'…'`, which bash, zsh
and ksh know but a strict POSIX sh does not; only such values use it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Command", "Env", "Piece", "quote", "quote_pieces"]

_SAFE = re.compile(r"[A-Za-z0-9_@%+=:,./-]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class Env:
    name: str


@dataclass(frozen=True)
class Command:
    text: str


Piece = str | Env | Command


def quote(text: str) -> str:
    """One shell word that stands for exactly `text`."""
    if text and _SAFE.fullmatch(text):
        return text
    if _CONTROL.search(text):
        return _ansi_c(text)
    return "'" + text.replace("'", "'\\''") + "'"


def _ansi_c(text: str) -> str:
    out = []
    for char in text:
        if char == "\\":
            out.append("\\\\")
        elif char == "'":
            out.append("\\'")
        elif char == "\n":
            out.append("\\n")
        elif char == "\r":
            out.append("\\r")
        elif char == "\t":
            out.append("\\t")
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\x{ord(char):02x}")
        else:
            out.append(char)
    return "$'" + "".join(out) + "'"


def _double(text: str) -> str:
    return re.sub(r'([\\"$`])', r"\\\1", text)


def quote_pieces(pieces: list[Piece]) -> str:
    """One shell word: literal text quoted, variables and commands expanded (and kept whole)."""
    if all(isinstance(p, str) for p in pieces):
        return quote("".join(p for p in pieces if isinstance(p, str)))
    if not any(isinstance(p, str) and _CONTROL.search(p) for p in pieces):
        # One double-quoted word reads best: "Authorization: Bearer $(explorer token --raw)".
        inner = []
        for piece in pieces:
            if isinstance(piece, Env):
                inner.append("${" + piece.name + "}")
            elif isinstance(piece, Command):
                inner.append("$(" + piece.text + ")")
            else:
                inner.append(_double(piece))
        return '"' + "".join(inner) + '"'
    words = []
    for piece in pieces:
        if isinstance(piece, Env):
            words.append('"${' + piece.name + '}"')
        elif isinstance(piece, Command):
            words.append('"$(' + piece.text + ')"')
        elif piece:
            words.append(quote(piece))
    return "".join(words)
