"""Send, or Cancel while a request is on its way: then the button is also the busy indicator.

While busy its letters brighten one after the other, a wave running through "Cancel" (the pulse of Textual's
LoadingIndicator, drawn in the label). Nothing is shown, hidden or resized: the button keeps its width, set by the
stylesheet, so a send or its end repaints the button and lays nothing out (a layout of the whole screen, and the
frame after it, is what makes a key typed at that moment wait).
"""

from __future__ import annotations

from time import monotonic

from textual.color import Gradient
from textual.content import Content
from textual.style import Style
from textual.visual import VisualType
from textual.widgets import Button

SEND_TOOLTIP = "Send the request (ctrl+j)"
CANCEL_TOOLTIP = "Cancel the request (Escape)"
# How often the wave is redrawn while busy, and how fast it runs (waves a second).
FRAME_INTERVAL = 1 / 12
WAVE_SPEED = 0.8


class SendButton(Button):
    """The URL bar's Send button: Cancel, and the busy indicator, while a request is on its way."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("Send", variant="primary", id=id, tooltip=SEND_TOOLTIP)
        self._busy_since: float | None = None

    @property
    def busy(self) -> bool:
        return self._busy_since is not None

    def set_busy(self, busy: bool) -> None:
        """Cancel (the wave running) while a request is on its way, Send when it is over."""
        if busy == self.busy:
            return
        self._busy_since = monotonic() if busy else None
        # Of the same width as the button, which the stylesheet fixes: no layout for the new label.
        self.label = "Cancel" if busy else "Send"
        self.variant = "error" if busy else "primary"
        self.tooltip = CANCEL_TOOLTIP if busy else SEND_TOOLTIP
        self.auto_refresh = FRAME_INTERVAL if busy and self.app.animation_level != "none" else None

    def render(self) -> VisualType:
        label = self.label
        assert isinstance(label, Content)
        if self._busy_since is None or self.app.animation_level == "none":
            return label
        _, _, background, colour = self.colors
        gradient = Gradient((0.0, background.blend(colour, 0.45)), (0.7, colour), (1.0, colour))
        elapsed = monotonic() - self._busy_since
        letters = [
            (letter, Style(foreground=gradient.get_color((1 - (elapsed * WAVE_SPEED - index / 8) % 1) ** 2)))
            for index, letter in enumerate(label.plain)
        ]
        return Content.assemble(*letters)
