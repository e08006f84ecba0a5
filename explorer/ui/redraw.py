"""Text updates that lay the screen out only when they can change a widget's size.

`Static.update` lays out the whole screen by default: with explorer's ~140 widgets that layout, and the repaint
that follows it, costs tens of milliseconds. Lines that change on every keystroke (the composer's resolved URL,
the catalogue's count) or every second (the token's countdown) would pay it each time for nothing.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content
from textual.widgets import Static


def can_resize(widget: Static, old: str, new: str) -> bool:
    """Whether showing `new` instead of `old` can change the widget's size under its CSS."""
    styles = widget.styles
    width_auto = styles.width is not None and styles.width.is_auto
    height_auto = styles.height is None or styles.height.is_auto
    if not width_auto and not height_auto:
        return False  # both fixed by the CSS: the text changes nothing around it
    if height_auto and not width_auto:
        return old != new  # wrapped to the width: any change may change the number of lines
    return cell_len(old) != cell_len(new) or old.count("\n") != new.count("\n")


def update_text(widget: Static, content: str | Content) -> None:
    """`widget.update(content)`, with a layout of the screen only when the new text can change its size."""
    widget.update(content, layout=can_resize(widget, str(widget.content), str(content)))
