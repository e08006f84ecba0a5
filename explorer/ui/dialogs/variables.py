"""The Variables view: values captured from answers this session, usable as `{{name}}`; delete removes one."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option


class VariablesDialog(ModalScreen["dict[str, str] | None"]):
    """Shows the captured values; returns them as left (after deletions) when closed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="variables.close"),
        Binding("delete,x", "forget", "Forget", id="variables.forget"),
    ]

    def __init__(self, values: dict[str, str]) -> None:
        super().__init__()
        self._values = dict(values)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="variables-dialog") as box:
            box.border_title = "Captured values"
            box.border_subtitle = "delete forget · esc close"
            yield Static(
                "Taken from answers by [requests.capture], or from a body with c. Later requests use them as "
                "{{name}}; they win over the collection's variables.",
                id="variables-hint",
                markup=False,
            )
            yield OptionList(id="variables-list")

    def on_mount(self) -> None:
        self._fill()
        self.query_one("#variables-list", OptionList).focus()

    def _fill(self) -> None:
        listing = self.query_one("#variables-list", OptionList)
        listing.clear_options()
        if not self._values:
            listing.add_option(Option("Nothing captured yet.", disabled=True))
            return
        width = max(len(name) for name in self._values)
        for name, value in self._values.items():
            line = Text.assemble((f"{{{{{name}}}}}".ljust(width + 4), "bold"), " = ", value)
            listing.add_option(Option(line, id=name))
        listing.highlighted = 0

    def action_forget(self) -> None:
        listing = self.query_one("#variables-list", OptionList)
        if listing.highlighted is None:
            return
        name = listing.get_option_at_index(listing.highlighted).id
        if name in self._values:
            del self._values[name]
            self._fill()

    def action_close(self) -> None:
        self.dismiss(self._values)
