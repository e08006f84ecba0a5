"""Reading a captured screen: plain text, styled cells, and the rows of a body view with line numbers.

Both apps measured show a JSON body pretty-printed with a line-number gutter on the right-hand side of the
screen, so a body row is a row where a border is followed by a line number and the line's text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SGR = re.compile(r"\x1b\[[0-9;:]*m")
_ESCAPE = re.compile(r"\x1b(?:\[[0-9;:?]*[A-Za-z]|\][^\x07\x1b]*(?:\x07|\x1b\\))")
# A border (any box-drawing or block character), then a line number and one or two spaces: "│   12 ",
# "││ 13729  ", or "╯13745 " where the body's last row meets a neighbour's corner.
_GUTTER = re.compile(r"[\u2500-\u259f] *(\d+) {1,2}")
_TRAILING = " │┃▐▌▊▎▏"


def plain(line: str) -> str:
    """A styled line without its escape sequences."""
    return _ESCAPE.sub("", line)


def cells(line: str) -> list[tuple[str, str]]:
    """A styled line as (character, the SGR codes in force) per character."""
    out: list[tuple[str, str]] = []
    style = ""
    pos = 0
    for match in _ESCAPE.finditer(line):
        out += [(ch, style) for ch in line[pos : match.start()]]
        code = match.group(0)
        if _SGR.fullmatch(code):
            style = "" if code in ("\x1b[0m", "\x1b[m") else style + code
        pos = match.end()
    out += [(ch, style) for ch in line[pos:]]
    return out


@dataclass(frozen=True)
class BodyRow:
    row: int  # screen row
    column: int  # screen column where the gutter starts
    number: int  # the line number in the gutter
    text: str  # the line's text after the gutter, trailing blanks and borders removed


def body_rows(screen: list[str], *, min_column: int = 20) -> list[BodyRow]:
    """The body-view rows of a plain screen, top to bottom."""
    rows: list[BodyRow] = []
    for index, line in enumerate(screen):
        found = [m for m in _GUTTER.finditer(line) if m.start() >= min_column]
        if found:
            m = found[-1]
            rows.append(BodyRow(index, m.start() + 1, int(m.group(1)), line[m.end() :].rstrip(_TRAILING)))
    return rows


def body_contains(screen: list[str], text: str) -> bool:
    """True when a body row shows `text`: the body, not just a URL or a status line, is on screen."""
    return any(text in row.text for row in body_rows(screen))


def at_top(screen: list[str]) -> bool:
    """The first line of the document ("{" numbered 1) is in view."""
    return any(row.number == 1 and row.text.strip() == "{" for row in body_rows(screen))


def at_bottom(screen: list[str]) -> bool:
    """The last line of a JSON document with an array before its end ("]" then "}") is the last row in view."""
    rows = [r for r in body_rows(screen) if r.text.strip()]
    return len(rows) >= 2 and rows[-1].text.strip() == "}" and rows[-2].text.strip() == "]"


def body_signature(styled_screen: list[str]) -> tuple[tuple[int, tuple[tuple[str, str], ...]], ...]:
    """The body rows of a styled screen with their styles, from the gutter rightwards (a cursor line shows)."""
    plain_screen = [plain(line) for line in styled_screen]
    signature = []
    for row in body_rows(plain_screen):
        signature.append((row.number, tuple(cells(styled_screen[row.row])[row.column :])))
    return tuple(signature)


def first_row_with(screen: list[str], text: str) -> str | None:
    """The topmost row showing `text` (the URL bar, above everything else that might repeat it)."""
    return next((line for line in screen if text in line), None)
