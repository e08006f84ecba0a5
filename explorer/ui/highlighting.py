"""Colouring a response body one line at a time: a Pygments lexer and style, kept readable on the app's theme.

Only foreground colours (and bold, italic, underline) come from the Pygments style, so the background follows the
app theme, light or dark; colours too close to that background are pushed away from it (WCAG contrast ratio).
`overlay` lays search matches on top of a highlighted line.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING

from rich.color import Color as RichColor
from rich.color_triplet import ColorTriplet
from rich.segment import Segment
from rich.style import Style

from explorer.core.formatting import BodyKind, lexer_name

if TYPE_CHECKING:
    from pygments.lexer import Lexer
    from pygments.token import _TokenType

# Pygments is imported where it is used: the first frame has no body to colour, and the lexers' table alone is a
# noticeable part of a start-up.

# Colours closer than this to the background (WCAG contrast ratio) are pushed away from it.
MIN_CONTRAST = 3.0


def pygments_style_exists(name: str) -> bool:
    """Whether Pygments knows a style of that name (a theme names the style its bodies are coloured with)."""
    from pygments.styles import STYLE_MAP, get_all_styles

    # The built-in table answers almost every theme; only other names need the scan of installed plugins.
    return name in STYLE_MAP or name in set(get_all_styles())


def check_style(name: str) -> None:
    """Raise ValueError (Pygments' ClassNotFound) for a style name Pygments does not know."""
    from pygments.styles import get_style_by_name

    get_style_by_name(name)


class LineHighlighter:
    """Turns one line of a body into coloured segments, with a Pygments lexer and style.

    Only foreground colours (and bold, italic, underline) come from the style; `base` supplies the background.
    Colours too close to `background` are adjusted so they stay readable on light and dark themes alike.
    """

    def __init__(self, kind: BodyKind, style_name: str, background: ColorTriplet | None) -> None:
        self._lexer: Lexer | None = None if kind in ("text", "binary") else load_lexer(lexer_name(kind))
        self._colours = _token_colours(style_name, background)

    def segments(self, line: str, base: Style) -> list[Segment]:
        """`line` as segments styled `base` plus the colour of each token."""
        if self._lexer is None:
            return [Segment(line, base)]
        colour = self._colours
        segments: list[Segment] = []
        for _, token, value in self._lexer.get_tokens_unprocessed(line):
            style = colour(token)
            segments.append(Segment(value, base + style if style is not None else base))
        return segments


@lru_cache(maxsize=8)
def load_lexer(name: str) -> Lexer:
    """The Pygments lexer of that name, loaded once (its first use imports a module: do that in a thread)."""
    from pygments.lexers import get_lexer_by_name

    return get_lexer_by_name(name, stripnl=False, ensurenl=False, tabsize=0)


TokenColours = Callable[["_TokenType"], Style | None]


@lru_cache(maxsize=32)
def _token_colours(style_name: str, background: ColorTriplet | None) -> TokenColours:
    """A cached function from a token type to its Rich style (None for the default text colour)."""
    from pygments.styles import get_style_by_name
    from pygments.token import Token

    style = get_style_by_name(style_name)
    default = style.style_for_token(Token).get("color")

    @lru_cache(maxsize=512)
    def colour(token: _TokenType) -> Style | None:
        spec = style.style_for_token(token)
        hex_colour = spec.get("color")
        colour_value: RichColor | None = None
        if hex_colour and hex_colour != default and len(hex_colour) == 6:
            triplet = ColorTriplet(int(hex_colour[0:2], 16), int(hex_colour[2:4], 16), int(hex_colour[4:6], 16))
            if background is not None:
                triplet = _readable(triplet, background)
            colour_value = RichColor.from_triplet(triplet)
        if colour_value is None and not (spec.get("bold") or spec.get("italic") or spec.get("underline")):
            return None
        return Style(
            color=colour_value,
            bold=spec.get("bold") or None,
            italic=spec.get("italic") or None,
            underline=spec.get("underline") or None,
        )

    return colour


def _luminance(colour: ColorTriplet) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = colour
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _contrast(a: ColorTriplet, b: ColorTriplet) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _readable(colour: ColorTriplet, background: ColorTriplet) -> ColorTriplet:
    """`colour`, mixed towards black on a light background (white on a dark one) until it reads well."""
    target = (0, 0, 0) if _luminance(background) > 0.4 else (255, 255, 255)
    adjusted = colour
    step = 0
    while _contrast(adjusted, background) < MIN_CONTRAST and step < 10:
        step += 1
        mix = step / 10
        adjusted = ColorTriplet(*(round(c + (t - c) * mix) for c, t in zip(colour, target, strict=True)))
    return adjusted


def overlay(segments: list[Segment], spans: list[tuple[int, int, Style]]) -> list[Segment]:
    """`segments` with `spans` (sorted, not overlapping, in characters) styled on top."""
    result: list[Segment] = []
    spans_iter = iter(spans)
    span = next(spans_iter, None)
    offset = 0
    for segment in segments:
        text, style = segment.text, segment.style
        start, end = offset, offset + len(text)
        offset = end
        pos = start
        while span is not None and span[0] < end:
            first, last, extra = span
            if first > pos:
                result.append(Segment(text[pos - start : first - start], style))
                pos = first
            cut = min(last, end)
            if cut > pos:
                result.append(Segment(text[pos - start : cut - start], (style or Style()) + extra))
                pos = cut
            if last > end:
                break
            span = next(spans_iter, None)
        if pos < end:
            result.append(Segment(text[pos - start :], style))
    return result
