"""The composer's first line: the method, the URL and Send (Cancel while a request is on its way).

It holds no request of its own: `show` puts a method and URL in it, `method` and `url` read them back, and its
messages say what the user did (an edit, send, cancel, a curl command to fill the composer from).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button, Input

from explorer.ui.widgets.method_picker import MethodPicker
from explorer.ui.widgets.send_button import SendButton
from explorer.ui.widgets.url_input import UrlInput, looks_like_curl


class UrlBar(Horizontal):
    """Method, URL and Send. Posts `Edited`, `SendPressed`, `CancelPressed` and `CurlEntered`."""

    @dataclass
    class Edited(Message):
        """The user changed the method or the URL (not when `show` did)."""

        bar: UrlBar

        @property
        def control(self) -> UrlBar:
            return self.bar

    @dataclass
    class SendPressed(Message):
        """Enter in the URL, or Send pressed."""

    @dataclass
    class CancelPressed(Message):
        """Cancel pressed while a request is on its way."""

    @dataclass
    class CurlEntered(Message):
        """A curl command was pasted into the URL, or typed there and submitted."""

        text: str

    def compose(self) -> ComposeResult:
        yield MethodPicker(id="method")
        yield UrlInput(placeholder="{{api_url}}/v0/stores  (or paste a curl command)", id="url")
        # Cancel, and the busy indicator, while a request is on its way.
        yield SendButton(id="send")

    @on(Input.Changed, "#url")
    @on(MethodPicker.Changed)
    def _on_edited(self, event: Message) -> None:
        event.stop()
        self.post_message(self.Edited(self))

    @on(Input.Submitted, "#url")
    def _on_url_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if looks_like_curl(event.value):
            # Typed rather than pasted (a terminal without bracketed paste): fill the composer from it.
            self.post_message(self.CurlEntered(event.value))
        else:
            self.post_message(self.SendPressed())

    @on(UrlInput.CurlPasted)
    def _on_curl_pasted(self, event: UrlInput.CurlPasted) -> None:
        event.stop()
        self.post_message(self.CurlEntered(event.text))

    @on(Button.Pressed, "#send")
    def _on_send_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        busy = self.query_one("#send", SendButton).busy
        self.post_message(self.CancelPressed() if busy else self.SendPressed())

    @property
    def method(self) -> str:
        return self.query_one("#method", MethodPicker).method

    @property
    def url(self) -> str:
        return self.query_one("#url", Input).value

    def show(self, method: str, url: str) -> None:
        """Put a method and a URL in the bar. Not an edit: no `Edited` is posted."""
        with self.prevent(Input.Changed, MethodPicker.Changed):
            self.query_one("#method", MethodPicker).method = method
            self.query_one("#url", Input).value = url

    def set_busy(self, busy: bool) -> None:
        """A request is on its way (Send turns into Cancel, its letters pulsing), or it is over."""
        # Only the button changes: a class on the bar would restyle the composer.
        self.query_one("#send", SendButton).set_busy(busy)

    def focus_url(self, *, select: bool = False, end: bool = False) -> None:
        """Put the cursor in the URL; with `select`, the whole URL is selected so typing replaces it; with `end`,
        the cursor goes after the URL so typing adds to it (a new request's `{{api_url}}/`)."""
        url = self.query_one("#url", Input)
        if not end:
            url.focus()
            if select:
                # After the focus has been handled (which may place the cursor itself).
                self.call_after_refresh(url.select_all)
            return
        # Focused now (`focus()` waits a turn), so the cursor is placed after the field selects its text on focus.
        self.screen.set_focus(url)
        url.call_after_refresh(url.action_end)
