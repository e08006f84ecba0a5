"""Text from outside (servers, files, the command line) made safe to show on a terminal or write to a report.

A terminal interprets control characters: ESC starts a sequence that can recolour, retitle, move the cursor,
write to the clipboard or (on some terminals) answer back as if typed; CR and backspace overwrite what was shown;
Unicode's bidirectional overrides reorder it. `clean()` is the one function every message, pane and notification
passes through before it leaves the program: each such character is shown as a visible escape (`\\x1b`,
`\\u202e`) and never sent as itself. It also escapes lone surrogates (undecodable bytes in file names), which
would otherwise make the write to stdout fail.
"""

from __future__ import annotations

import re

__all__ = ["clean", "has_controls", "is_b64token", "shorten", "xml_text"]

# C0 controls, DEL, C1 controls; Unicode's invisible reordering marks and line separators; the BOM (a zero-width
# character that hides a difference between two names); lone surrogates; the two XML non-characters.
_OTHER_UNSAFE = r"\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff\ud800-\udfff\ufffe\uffff"
_UNSAFE = re.compile(rf"[\x00-\x1f{_OTHER_UNSAFE}]")
# The same, but a newline and a tab may stay: for bodies and multi-line text shown in a pane.
_UNSAFE_MULTILINE = re.compile(rf"[\x00-\x08\x0b-\x1f{_OTHER_UNSAFE}]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# An escape as `clean()` writes it, so `shorten()` can avoid cutting one in half.
_ESCAPE = re.compile(r"\\(?:x[0-9a-f]{2}|u[0-9a-f]{4}|[nrt])")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def clean(text: object, *, multiline: bool = False) -> str:
    """`text` (any object, as `str()` shows it) with every control character shown as a visible escape.

    One line by default: newlines and tabs are escaped too, so a value cannot start a line of its own. With
    `multiline`, newlines and tabs stay and a CRLF becomes a newline (a lone CR is still escaped: it would go
    back to the start of the line and hide what was written there).
    """
    value = text if isinstance(text, str) else str(text)
    if multiline:
        if "\r\n" in value:
            value = value.replace("\r\n", "\n")
        pattern = _UNSAFE_MULTILINE
    else:
        pattern = _UNSAFE
    if pattern.search(value) is None:
        return value
    return pattern.sub(_escape, value)


def has_controls(text: str) -> bool:
    """Whether `text` holds anything `clean()` would escape (newlines and tabs count)."""
    return _UNSAFE.search(text) is not None


def shorten(text: object, width: int, *, ellipsis: str = "…") -> str:
    """`clean(text)` cut to at most `width` characters, never in the middle of an escape."""
    value = clean(text)
    if len(value) <= width:
        return value
    keep = max(0, width - len(ellipsis))
    # An escape that straddles the cut is dropped whole rather than left as a misleading fragment.
    for found in _ESCAPE.finditer(value, max(0, keep - 6), keep + 6):
        if found.start() < keep < found.end():
            keep = found.start()
            break
    return value[:keep] + ellipsis


# RFC 6750 §2.1: what may follow "Bearer " in an Authorization header. Nothing else is ever attached or printed
# for a shell to paste into a header: no space, no CR or LF, no second header.
_B64TOKEN = re.compile(r"[A-Za-z0-9\-._~+/]+=*")


def is_b64token(value: str) -> bool:
    return _B64TOKEN.fullmatch(value) is not None


def xml_text(text: object) -> str:
    """Text that XML 1.0 can hold and a terminal will not interpret (for JUnit reports): newlines and tabs
    stay, every other control character, surrogate and non-character is a visible escape."""
    return clean(text, multiline=True)
