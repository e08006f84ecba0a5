"""Copying a response body to the clipboard, through the terminal (OSC 52: it works over SSH too).

A body can be megabytes: it is decoded and encoded for the terminal in a thread, and only the write is left to the
event loop. The text copied is the body as received, decoded with its charset (a jq result as jq printed it);
a binary body is not copied (saving it to a file keeps it whole). Nothing on show is masked in a body, so a copy
reveals nothing the screen hides.
"""

from __future__ import annotations

import base64

from textual.widget import Widget

from explorer.core.formatting import SNIFF_BYTES, body_kind, charset, human_size
from explorer.ui.textual_compat import copy_encoded_to_clipboard

# Many terminals take less than this through OSC 52 (or drop the copy without a word): the note says so.
LARGE_COPY = 1024 * 1024


def copy_body(widget: Widget, body: bytes, content_type: str, *, what: str) -> None:
    """Copy `body` to the clipboard in a thread of `widget` and say what was copied (`what`: "The body")."""
    if not body:
        widget.notify(f"{what} is empty: nothing to copy.", title="Copy", severity="warning")
        return
    if body_kind(content_type, body[:SNIFF_BYTES]) == "binary":
        widget.notify(
            f"{what} is binary ({human_size(len(body))}): save it to a file with ctrl+o instead.",
            title="Copy",
            severity="warning",
        )
        return
    widget.run_worker(
        lambda: _encode(widget, body, content_type, what),
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="copy-body",
        description="Copy the body",
    )


def _encode(widget: Widget, body: bytes, content_type: str, what: str) -> None:
    text = body.decode(charset(content_type), "replace")
    encoded = base64.b64encode(text.encode("utf-8")).decode("ascii")
    size = human_size(len(body))
    note = f"{what} ({size}) is on the clipboard."
    if len(body) > LARGE_COPY:
        note += " Some terminals take less than this from an app: if it is not all there, ctrl+o saves it to a file."
    widget.app.call_from_thread(_deliver, widget, text, encoded, note)


def _deliver(widget: Widget, text: str, encoded: str, note: str) -> None:
    copy_encoded_to_clipboard(widget.app, text, encoded)
    widget.notify(note, title="Copied")
