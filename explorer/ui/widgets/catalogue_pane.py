"""The Catalogue pane: the operations of the active API description, filtered as you type.

A filter box, a status line (what is loading, how many operations, how many the token cannot call, problems in
the description) and the list. The screen hands it a catalogue and the token's scopes; the pane posts
`OperationHighlighted` and `OpenRequested` and never loads anything itself.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from explorer.core.openapi.model import Catalogue, Operation
from explorer.ui.redraw import update_text
from explorer.ui.textual_compat import SteadyInput
from explorer.ui.widgets.catalogue_list import CatalogueList


class CataloguePane(Vertical):
    """Filter, status and the grouped list of operations."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_filter", "Filter", show=False, id="catalogue.filter"),
    ]

    class OperationHighlighted(Message):
        def __init__(self, operation: Operation | None) -> None:
            super().__init__()
            self.operation = operation

    class Ready(Message):
        """The pane is on screen and can be given a catalogue."""

    class OpenRequested(Message):
        """Open this operation in the composer."""

        def __init__(self, operation: Operation) -> None:
            super().__init__()
            self.operation = operation

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.catalogue: Catalogue | None = None
        self._granted: frozenset[str] | None = None

    def compose(self) -> ComposeResult:
        yield SteadyInput(placeholder="Filter: path, summary, id, tag", id="catalogue-filter")
        yield Static("No API description loaded.", id="catalogue-status", markup=False)
        yield CatalogueList(id="catalogue-list")

    def on_mount(self) -> None:
        self.border_title = "Catalogue"
        self.post_message(self.Ready())

    @property
    def list(self) -> CatalogueList:
        return self.query_one(CatalogueList)

    @on(Input.Changed, "#catalogue-filter")
    def _on_filter(self, event: Input.Changed) -> None:
        event.stop()
        self._apply_filter(event.value)

    @on(Input.Submitted, "#catalogue-filter")
    def _on_filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.list.focus()

    @on(CatalogueList.Highlighted)
    def _on_highlighted(self, event: CatalogueList.Highlighted) -> None:
        event.stop()
        self.post_message(self.OperationHighlighted(event.operation))

    @on(CatalogueList.Chosen)
    def _on_chosen(self, event: CatalogueList.Chosen) -> None:
        event.stop()
        self.post_message(self.OpenRequested(event.operation))

    def action_focus_filter(self) -> None:
        self.query_one("#catalogue-filter", Input).focus()

    def show_loading(self, location: str) -> None:
        self._status(f"Reading {location} …", "-loading")

    def show_error(self, text: str) -> None:
        self.catalogue = None
        self.list.forget()
        self.list.show([])
        self._status(text, "-error")

    def show_none(self, text: str) -> None:
        self.catalogue = None
        self.list.forget()
        self.list.show([])
        self._status(text, "")

    def show_catalogue(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.list.forget()
        self._apply_filter(self.query_one("#catalogue-filter", Input).value)

    def set_granted(self, scopes: Collection[str] | None) -> None:
        self._granted = frozenset(scopes) if scopes is not None else None
        self.list.set_granted(scopes)
        if self.catalogue is not None:
            self._show_counts()

    def _apply_filter(self, text: str) -> None:
        if self.catalogue is None:
            return
        keep = self.list.operation
        self.list.show(self.catalogue.filter(text), keep=keep)
        self._show_counts()

    def _show_counts(self) -> None:
        catalogue = self.catalogue
        if catalogue is None:
            return
        total = len(catalogue.operations)
        shown = self.list.operation_count
        text = f"{shown} of {total} operations" if shown != total else f"{total} operations"
        lacking = self.list.lacking_count
        if lacking:
            text += f" · ✗ {lacking} need a scope the token lacks"
        if catalogue.problems:
            text += f" · {len(catalogue.problems)} problem(s) in the description"
        self._status(text, "-problems" if catalogue.problems else "")

    def _status(self, text: str, state: str) -> None:
        status = self.query_one("#catalogue-status", Static)
        update_text(status, text)  # on every filter keystroke: no layout of the screen unless it can grow
        status.set_classes(state)
