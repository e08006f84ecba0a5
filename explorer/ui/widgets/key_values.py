"""An editable table of name/value pairs, used for a request's query parameters and headers.

There is always one empty row at the end: typing into it makes it a real row and a new empty row appears under
it. The pairs live in a plain list (the model); the inputs only show and edit it, so `pairs` and `value` are
right even before the rows are on screen.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Input

Pair = tuple[str, str]


class _DeleteButton(Button, can_focus=False):
    """A row's delete button: for the mouse; the keyboard uses ctrl+d, so Tab skips it."""


class _Row(Horizontal):
    """One pair: a name input, a value input and a delete button."""

    def __init__(self, name: str, value: str, *, key_placeholder: str, value_placeholder: str) -> None:
        super().__init__(classes="kv-row")
        # Made here, not in compose, so a row just mounted can already be shown a new pair.
        self.key_input = Input(name, placeholder=key_placeholder, compact=True, classes="kv-key")
        self.value_input = Input(value, placeholder=value_placeholder, compact=True, classes="kv-value")

    def compose(self) -> ComposeResult:
        yield self.key_input
        yield self.value_input
        yield _DeleteButton("✕", compact=True, classes="kv-delete", tooltip="Delete this row (ctrl+d)")

    def show(self, pair: Pair) -> None:
        """Show a pair without reporting it as an edit."""
        with self.prevent(Input.Changed):
            if self.key_input.value != pair[0]:
                self.key_input.value = pair[0]
            if self.value_input.value != pair[1]:
                self.value_input.value = pair[1]


class KeyValueEditor(Widget):
    """Rows of name/value inputs with a trailing empty row; ctrl+n goes to a new row, ctrl+d deletes one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "add_row", "Add row", id="key_values.add"),
        # A priority binding: the focused Input would otherwise take ctrl+d as "delete right".
        Binding("ctrl+d", "delete_row", "Delete row", priority=True, id="key_values.delete"),
    ]

    @dataclass
    class Changed(Message):
        """The user added, edited or deleted a pair."""

        editor: KeyValueEditor

        @property
        def control(self) -> KeyValueEditor:
            return self.editor

    def __init__(
        self,
        pairs: Mapping[str, str] | Iterable[Pair] = (),
        *,
        key_placeholder: str = "Name",
        value_placeholder: str = "Value",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._pairs: list[Pair] = _as_pairs(pairs)
        self._key_placeholder = key_placeholder
        self._value_placeholder = value_placeholder
        # The row widgets in model order, the empty last row included. Kept by hand rather than read from
        # the DOM, where a removed row lingers until its removal has been processed.
        self._row_widgets: list[_Row] = []

    def compose(self) -> ComposeResult:
        self._row_widgets = [self._new_row(pair) for pair in [*self._pairs, ("", "")]]
        with VerticalScroll(classes="kv-rows"):
            yield from self._row_widgets
            # Inside the scrolling part, after the rows, so it stays reachable however many rows there are.
            yield Button("+ Add", compact=True, classes="kv-add", tooltip="Add a row (ctrl+n)")

    @on(Input.Changed, ".kv-row Input")
    def _on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        row = event.input.parent
        if not isinstance(row, _Row) or row not in self._row_widgets:
            return
        position = self._row_widgets.index(row)
        pair = (row.key_input.value, row.value_input.value)
        if position < len(self._pairs):
            if self._pairs[position] == pair:
                return
            self._pairs[position] = pair
        else:
            if pair == ("", ""):
                return
            # The trailing empty row was typed into: it becomes a real row and a fresh empty row follows.
            self._pairs.append(pair)
            self._append_rows([("", "")])
        self.post_message(self.Changed(self))

    @on(Input.Submitted, ".kv-row Input")
    def _on_input_submitted(self, event: Input.Submitted) -> None:
        # Enter moves on to the next input, like in a spreadsheet, instead of leaving the table.
        event.stop()
        self.screen.focus_next()

    @on(Button.Pressed, ".kv-delete")
    def _on_delete_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        row = event.button.parent
        if isinstance(row, _Row):
            self._delete(row)

    @on(Button.Pressed, ".kv-add")
    def _on_add_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_add_row()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "delete_row":
            # Only when a row has the focus, so ctrl+d keeps its meaning elsewhere.
            return self._focused_row() is not None
        return True

    def action_add_row(self) -> None:
        """Go to the empty row at the end, ready to type a new name."""
        if self._row_widgets:
            self._row_widgets[-1].key_input.focus()

    def action_delete_row(self) -> None:
        """Delete the row with the focus (the empty last row is only cleared)."""
        row = self._focused_row()
        if row is not None:
            self._delete(row, keep_focus=True)

    @property
    def pairs(self) -> list[Pair]:
        """Every row but the empty last one, in order, as typed (rows without a name included)."""
        return list(self._pairs)

    @property
    def value(self) -> dict[str, str]:
        """The pairs with a name, as a dict (a later row with the same name wins)."""
        return {key.strip(): value for key, value in self._pairs if key.strip()}

    def has_key(self, name: str) -> bool:
        """Whether a row has this name, ignoring case and surrounding spaces (header names)."""
        wanted = name.strip().lower()
        return any(key.strip().lower() == wanted for key, _ in self._pairs)

    def load(self, pairs: Mapping[str, str] | Iterable[Pair]) -> None:
        """Replace every row. This is not an edit: no Changed message is posted."""
        self._pairs = _as_pairs(pairs)
        if not self._row_widgets:
            return  # Not composed yet: compose shows the new pairs.
        wanted = [*self._pairs, ("", "")]
        rows = self._row_widgets
        # Reuse the rows on screen, so loading a request does not rebuild every input.
        for row, pair in zip(rows, wanted, strict=False):
            row.show(pair)
        if len(rows) > len(wanted):
            for row in rows[len(wanted) :]:
                row.remove()
            del rows[len(wanted) :]
        else:
            self._append_rows(wanted[len(rows) :])

    def _new_row(self, pair: Pair) -> _Row:
        return _Row(
            pair[0],
            pair[1],
            key_placeholder=self._key_placeholder,
            value_placeholder=self._value_placeholder,
        )

    def _append_rows(self, pairs: list[Pair]) -> None:
        if not pairs:
            return
        new_rows = [self._new_row(pair) for pair in pairs]
        self._row_widgets.extend(new_rows)
        self.query_one(".kv-rows", VerticalScroll).mount_all(new_rows, before=self.query_one(".kv-add", Button))

    def _focused_row(self) -> _Row | None:
        focused = self.screen.focused if self.is_attached else None
        if focused is None:
            return None
        for node in focused.ancestors_with_self:
            if isinstance(node, _Row) and node in self._row_widgets:
                return node
        return None

    def _delete(self, row: _Row, *, keep_focus: bool = False) -> None:
        rows = self._row_widgets
        position = rows.index(row)
        if position >= len(self._pairs):
            # The empty last row stays; clearing it is all a delete can do.
            row.show(("", ""))
            if keep_focus:
                row.key_input.focus()
            return
        del self._pairs[position]
        del rows[position]
        if keep_focus:
            # Focus the row that moves into this place, on the same column.
            target = rows[position]
            (target.value_input if row.value_input.has_focus else target.key_input).focus()
        row.remove()
        self.post_message(self.Changed(self))


def _as_pairs(pairs: Mapping[str, str] | Iterable[Pair]) -> list[Pair]:
    items = pairs.items() if isinstance(pairs, Mapping) else pairs
    return [(str(key), str(value)) for key, value in items]
