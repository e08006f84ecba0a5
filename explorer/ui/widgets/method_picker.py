"""The HTTP method of the request being composed, as a compact button that asks for the list of methods.

The list is a dialog: the picker posts `MenuRequested` and the screen opens it (widgets never open dialogs).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from explorer.core.model import METHODS
from explorer.ui.presentation import method_for_key


class MethodPicker(Widget, can_focus=True):
    """The HTTP method as a compact button: Enter (or Space, or a click) asks for the list of methods, a letter
    (g, p, u, a, d, h, o) picks one at once. Left and right move the focus on, as in the rest of the row."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,space", "open_menu", "Choose method", show=False, id="request.method_menu"),
        Binding("right", "app.focus_next", "Next field", show=False, id="request.method_right"),
        Binding("left", "app.focus_previous", "Previous field", show=False, id="request.method_left"),
    ]

    method: reactive[str] = reactive("GET")
    """The method shown, upper case."""

    @dataclass
    class Changed(Message):
        """The user picked another method."""

        picker: MethodPicker
        method: str

        @property
        def control(self) -> MethodPicker:
            return self.picker

    @dataclass
    class MenuRequested(Message):
        """The user asked for the list of methods (Enter, Space or a click); what they pick goes in `picker`."""

        picker: MethodPicker

        @property
        def control(self) -> MethodPicker:
            return self.picker

    def __init__(
        self,
        method: str = "GET",
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.tooltip = "Method: Enter for the list, or its letter (g GET, p POST, u PUT, a PATCH, d DELETE)"
        self.set_reactive(MethodPicker.method, method.upper())

    def validate_method(self, method: str) -> str:
        return method.strip().upper() or "GET"

    def watch_method(self, method: str) -> None:
        for known in METHODS:
            self.set_class(known == method, f"-{known.lower()}")
        self.post_message(self.Changed(self, method))

    def on_mount(self) -> None:
        self.set_class(True, f"-{self.method.lower()}")

    def on_key(self, event: events.Key) -> None:
        letter = event.character or ""
        if len(letter) != 1 or not letter.isalpha():
            return
        event.stop()
        event.prevent_default()
        method = method_for_key(letter)
        if method is None:
            self.app.bell()
            return
        self.method = method

    def on_click(self) -> None:
        self.action_open_menu()

    def render(self) -> Content:
        return Content(self.method)

    def action_open_menu(self) -> None:
        self.post_message(self.MenuRequested(self))
