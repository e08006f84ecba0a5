"""The TUI's two guards against text that would act on the terminal instead of being shown.

Every notification passes through `ExplorerApp.notify`, which cleans its title and message with the core's
`clean()` (escapes shown as `\\x1b`) and never reads them as markup: this is where server and file text shown in
toasts is made safe, once. Everything else drawn on screen (panes, dialogs, tables) passes through
`ControlFilter` as the last step before the terminal: it drops any control character still left in a line, so
a value that reached a widget unescaped is shown without it rather than interpreted. Textual counts control
characters as zero cells wide, so dropping them leaves every line's layout as it was.

`LineFilter` is Textual's hook for processing rendered lines (the app's `get_line_filters()`); this module is
the one place that uses it.
"""

from __future__ import annotations

import re

from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter

from explorer.core.sanitize import clean

__all__ = ["ControlFilter", "clean_notification"]

# What a terminal interprets or reorders. Tab is drawn by Textual itself before this point.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")


class ControlFilter(LineFilter):
    """Drops control characters from rendered lines (the last guard; text should arrive cleaned)."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        # One search over the whole line: most lines hold no control character and pass untouched.
        if not any(_CONTROL.search(segment.text) for segment in segments):
            return segments
        return [
            Segment(_CONTROL.sub("", segment.text), segment.style, segment.control) if not segment.control else segment
            for segment in segments
        ]


def clean_notification(title: str, message: str) -> tuple[str, str]:
    """A toast's title (one line) and message (lines kept), with every control character shown escaped."""
    return clean(title), clean(message, multiline=True)
