"""The composer's URL field: an Input that hands a pasted curl command to the composer instead of keeping
only its first line (a pasted command usually spans several lines joined by backslashes)."""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.message import Message

from explorer.ui.textual_compat import SteadyInput


def looks_like_curl(text: str) -> bool:
    return text.lstrip().lstrip("$ ").startswith("curl ")


class UrlInput(SteadyInput):
    """An Input for the request's URL that recognises a pasted curl command."""

    @dataclass
    class CurlPasted(Message):
        """A curl command was pasted (or typed and submitted) into the URL field."""

        text: str

    def on_paste(self, event: events.Paste) -> None:
        # Runs before Input's own paste handler, which prevent_default() then skips; other text pastes as usual.
        if looks_like_curl(event.text):
            event.stop()
            event.prevent_default()
            self.post_message(self.CurlPasted(event.text))
