"""The Variables view: every `{{name}}` a request can use now, and the session's own values, which the user edits.

Session values are the ones captured from answers (by `[requests.capture]` or with c on a body line) and the ones
typed here; they win over the profile's, the collection's and the built-in ones (see `variables_for`). The other
values are listed below them, with where each comes from: editing one gives it a session value, which then wins.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from explorer.core.placeholders import variable_name_problem
from explorer.ui.dialogs.text_prompt import TextPrompt
from explorer.ui.widgets.footer import KeysFooter

# Option ids: a session value's, and another source's (editing it makes a session value).
_SESSION = "session:"
_OTHER = "other:"


class VariablesDialog(ModalScreen["dict[str, str] | None"]):
    """Lists the variables; edits the session's. Returns the session's values as left when closed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="variables.close"),
        Binding("enter,e", "edit", "Edit value", id="variables.edit"),
        Binding("a,n", "add", "Add", id="variables.add"),
        Binding("delete,x", "forget", "Remove", id="variables.forget"),
        Binding("C", "clear", "Clear all", id="variables.clear"),
    ]

    def __init__(self, values: dict[str, str], others: dict[str, tuple[str, str]] | None = None) -> None:
        """
        Args:
            values: The session's values (captured, or typed here).
            others: The other variables a request can use: name → (value, where it comes from).
        """
        super().__init__()
        self._values = dict(values)
        self._others = dict(others or {})

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="variables-dialog") as box:
            box.border_title = "Variables"
            box.border_subtitle = "enter edit · a add · del remove · C clear · esc close"
            yield Static(
                "Session values (captured from answers by [requests.capture] or c on a body line, or typed here) "
                "win over the profile's, the collection's and the built-in ones. Editing one of those gives it a "
                "session value.",
                id="variables-hint",
                markup=False,
            )
            yield OptionList(id="variables-list")
        # Its own keys at the bottom, over the main screen's, which do not apply here.
        yield KeysFooter()

    def on_mount(self) -> None:
        self._fill()
        self.query_one("#variables-list", OptionList).focus()

    @property
    def values(self) -> dict[str, str]:
        """The session's values as they are now."""
        return dict(self._values)

    def _fill(self, keep: str | None = None) -> None:
        listing = self.query_one("#variables-list", OptionList)
        listing.clear_options()
        names = [*self._values, *self._others]
        width = max((len(name) for name in names), default=0) + 4
        listing.add_option(Option(Text("Session values", style="bold underline"), disabled=True))
        if not self._values:
            listing.add_option(Option("  None yet: a adds one, c on a body line captures one.", disabled=True))
        for name, value in self._values.items():
            line = Text.assemble("  ", (f"{{{{{name}}}}}".ljust(width), "bold"), " = ", value)
            listing.add_option(Option(line, id=_SESSION + name))
        if self._others:
            listing.add_option(Option(Text("Profile, collection and built-in", style="bold underline"), disabled=True))
        for name, (value, source) in self._others.items():
            overridden = name in self._values
            line = Text.assemble(
                "  ",
                (f"{{{{{name}}}}}".ljust(width), "strike dim" if overridden else ""),
                " = ",
                (value, "strike dim" if overridden else ""),
                (f"  {source}" + (", overridden" if overridden else ""), "italic dim"),
            )
            listing.add_option(Option(line, id=_OTHER + name))
        ids = [listing.get_option_at_index(i).id for i in range(listing.option_count)]
        wanted = next((i for i, key in enumerate(ids) if key is not None and key.endswith(":" + (keep or ""))), None)
        first = next((i for i, key in enumerate(ids) if key is not None), None)
        listing.highlighted = wanted if keep is not None and wanted is not None else first

    @on(OptionList.OptionSelected, "#variables-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        # The list takes enter for itself: a chosen row is edited.
        event.stop()
        self.action_edit()

    def _current(self) -> tuple[str, str] | None:
        """(the highlighted variable's name, its value), or None."""
        listing = self.query_one("#variables-list", OptionList)
        if listing.highlighted is None:
            return None
        key = listing.get_option_at_index(listing.highlighted).id or ""
        if key.startswith(_SESSION):
            name = key[len(_SESSION) :]
            return name, self._values.get(name, "")
        if key.startswith(_OTHER):
            name = key[len(_OTHER) :]
            return name, self._values.get(name, self._others.get(name, ("", ""))[0])
        return None

    def action_edit(self) -> None:
        current = self._current()
        if current is None:
            self.action_add()
            return
        name, value = current

        def edited(answer: str | None) -> None:
            if answer is not None:
                self._values[name] = answer
                self._fill(keep=name)

        self.app.push_screen(
            TextPrompt("Variable", f"The value of {{{{{name}}}}} for this session:", value=value, submit_label="Set"),
            edited,
        )

    def action_add(self) -> None:
        def named(name: str | None) -> None:
            if not name:
                return
            name = name.strip()
            value = self._values.get(name, self._others.get(name, ("", ""))[0])

            def valued(answer: str | None) -> None:
                if answer is not None:
                    self._values[name] = answer
                    self._fill(keep=name)

            self.app.push_screen(
                TextPrompt("Variable", f"The value of {{{{{name}}}}}:", value=value, submit_label="Add"), valued
            )

        self.app.push_screen(
            TextPrompt(
                "Add a variable",
                "Its name ({{name}} in requests):",
                validator=variable_name_problem,
                submit_label="Next",
            ),
            named,
        )

    def action_forget(self) -> None:
        current = self._current()
        if current is None or current[0] not in self._values:
            self.notify("Only session values can be removed.", title="Variables", severity="warning")
            return
        del self._values[current[0]]
        self._fill(keep=current[0])

    def action_clear(self) -> None:
        if self._values:
            self._values.clear()
            self._fill()

    def action_close(self) -> None:
        self.dismiss(self._values)
