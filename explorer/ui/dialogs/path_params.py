"""Asks for the path parameters of an operation opened from the catalogue: `/orders/{order_id}` needs an
`{{order_id}}` before it can be sent.

One input per parameter, prefilled with the variable's current value (or the spec's example or default), with
what the spec says about it. Enter moves to the next input and, on the last one, sets them all; Escape leaves the
request open without values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from explorer.ui.widgets.footer import KeysFooter


@dataclass(frozen=True)
class PathParam:
    """One path parameter: its `{{variable}}` name, the value to start with, and a line about it."""

    name: str
    value: str = ""
    about: str = ""


class PathParamsDialog(ModalScreen["dict[str, str] | None"]):
    """Returns the values typed (name → value, empty ones left out), or None when the user escapes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel"),
    ]

    def __init__(self, operation: str, params: list[PathParam]) -> None:
        """
        Args:
            operation: How the operation is named in the title (`GET /orders/{order_id}`).
            params: The path parameters, in the order of the path.
        """
        super().__init__()
        self._operation = operation
        self._params = params

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="path-params-dialog") as dialog:
            dialog.border_title = "Path parameters"
            yield Static(
                f"{self._operation} needs these values. They are kept as session variables (f5 lists them) "
                "and the URL uses them as {{name}}.",
                classes="dialog--prompt",
                markup=False,
            )
            with VerticalScroll(id="path-params"):
                for index, param in enumerate(self._params):
                    label = f"{{{{{param.name}}}}}" + (f"  {param.about}" if param.about else "")
                    yield Static(label, classes="path-param--label", markup=False)
                    yield Input(param.value, placeholder=param.name, id=f"path-param-{index}")
            with Horizontal(classes="dialog--buttons"):
                yield Button("Later", id="path-params-cancel", classes="dialog--cancel")
                yield Button("Set", variant="primary", id="path-params-submit")
        # Its own keys at the bottom, over the main screen's, which do not apply here.
        yield KeysFooter()

    def on_mount(self) -> None:
        inputs = self.query(Input)
        empty = next((field for field in inputs if not field.value), None)
        (empty or inputs.first()).focus()

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        event.stop()
        inputs = list(self.query(Input))
        index = inputs.index(event.input)
        if index + 1 < len(inputs):
            inputs[index + 1].focus()
        else:
            self.action_submit()

    @on(Button.Pressed, "#path-params-submit")
    def _on_submit(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#path-params-cancel")
    def _on_cancel(self) -> None:
        self.action_cancel()

    def action_submit(self) -> None:
        values = {
            param.name: self.query_one(f"#path-param-{index}", Input).value.strip()
            for index, param in enumerate(self._params)
        }
        self.dismiss({name: value for name, value in values.items() if value})

    def action_cancel(self) -> None:
        self.dismiss(None)
