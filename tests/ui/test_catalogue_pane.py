"""The Catalogue pane on its own: grouped rows, filtering as you type, the missing-scope mark, details."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import on
from textual.app import App, ComposeResult
from textual.message import Message

from explorer.core.openapi.document import Document
from explorer.core.openapi.model import Catalogue
from explorer.core.openapi.reader import read_catalogue
from explorer.ui.widgets.catalogue_list import CatalogueList
from explorer.ui.widgets.catalogue_pane import CataloguePane
from explorer.ui.widgets.operation_details import OperationDetails, describe_operation

STYLES = Path(__file__).resolve().parents[2] / "explorer" / "ui" / "styles" / "widgets.tcss"

SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Shop", "version": "1"},
    "components": {
        "securitySchemes": {"cc": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "t", "scopes": {}}}}}
    },
    "security": [{"cc": ["orders:read"]}],
    "paths": {
        "/orders": {
            "get": {"summary": "List orders", "tags": ["Orders"]},
            "post": {
                "summary": "Create an order",
                "tags": ["Orders"],
                "security": [{"cc": ["orders:write"]}],
                "requestBody": {
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["sku"],
                                "properties": {"sku": {"type": "string", "example": "SKU-1"}},
                            }
                        }
                    }
                },
                "responses": {"201": {"description": "Made"}},
            },
        },
        "/stores/{store_id}": {"get": {"summary": "Get a store", "tags": ["Stores"], "operationId": "getStore"}},
        "/health": {"get": {"summary": "Health", "security": []}},
    },
}


def catalogue() -> Catalogue:
    return read_catalogue(Document(SPEC), "shop.json")


class PaneApp(App[None]):
    CSS_PATH = STYLES

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[Message] = []

    def compose(self) -> ComposeResult:
        yield CataloguePane()
        yield OperationDetails()

    @on(CataloguePane.OpenRequested)
    @on(CataloguePane.OperationHighlighted)
    def record(self, message: Message) -> None:
        self.messages.append(message)

    def rows(self) -> list[str]:
        view = self.query_one(CatalogueList)
        return [view.render_line(y).text.rstrip() for y in range(len(view.rows))]


async def test_grouped_rows_filter_and_missing_mark() -> None:
    app = PaneApp()
    async with app.run_test(size=(80, 24)) as pilot:
        pane = app.query_one(CataloguePane)
        pane.show_catalogue(catalogue())
        pane.set_granted(["orders:read"])
        await pilot.pause()
        assert app.rows() == [
            "Orders",
            " GET    /orders  List orders",
            "✗POST   /orders  Create an order",
            "Stores",
            " GET    /stores/{store_id}  Get a store",
            "(no tag)",
            " GET    /health  Health",
        ]
        status = str(pane.query_one("#catalogue-status").render())
        assert "4 operations" in status and "1 need a scope the token lacks" in status
        await pilot.press("slash", *"store")
        await pilot.pause()
        assert app.rows() == ["Stores", " GET    /stores/{store_id}  Get a store"]
        assert "1 of 4 operations" in str(pane.query_one("#catalogue-status").render())
        await pilot.press("enter", "enter")  # leaves the filter for the list, then opens the operation
        await pilot.pause()
        opened = [m for m in app.messages if isinstance(m, CataloguePane.OpenRequested)]
        assert [m.operation.operation_id for m in opened] == ["getStore"]


async def test_keys_move_over_headings_and_unknown_scopes_mark_nothing() -> None:
    app = PaneApp()
    async with app.run_test(size=(80, 24)) as pilot:
        pane = app.query_one(CataloguePane)
        pane.show_catalogue(catalogue())
        pane.list.focus()
        await pilot.pause()
        assert pane.list.operation is not None and pane.list.operation.summary == "List orders"
        await pilot.press("down", "down")
        assert pane.list.operation is not None and pane.list.operation.summary == "Get a store"
        await pilot.press("end")
        assert pane.list.operation is not None and pane.list.operation.summary == "Health"
        await pilot.press("home")
        assert pane.list.operation is not None and pane.list.operation.summary == "List orders"
        assert not any(row.startswith("✗") for row in app.rows())
        highlighted = [m for m in app.messages if isinstance(m, CataloguePane.OperationHighlighted)]
        assert highlighted and highlighted[-1].operation is pane.list.operation


def test_details_show_granted_and_missing_scopes_and_the_example() -> None:
    post = next(op for op in catalogue().operations if op.method == "POST")
    text = describe_operation(post, ["orders:read"]).plain
    assert "POST /orders" in text and "✗ orders:write" in text and "missing" in text
    assert '"sku": "SKU-1"' in text and "201" in text and "Made" in text
    granted = describe_operation(post, ["orders:write"]).plain
    assert "✓ orders:write" in granted
    legacy = describe_operation(post, [], legacy=True).plain
    assert "scopes are not checked" in legacy


def many_operations(count: int) -> Catalogue:
    paths = {
        f"/items/{n}": {"get": {"summary": f"Item number{n}", "tags": ["Items"], "security": [{"cc": [f"s{n % 2}"]}]}}
        for n in range(count)
    }
    return read_catalogue(Document({**SPEC, "paths": paths}), "many.json")


async def test_a_keystroke_that_keeps_the_operation_leaves_its_details_and_the_list_follows_the_filter() -> None:
    app = PaneApp()
    async with app.run_test(size=(80, 24)) as pilot:
        pane = app.query_one(CataloguePane)
        pane.show_catalogue(many_operations(60))
        pane.set_granted(["s0"])
        await pilot.pause()
        view = pane.list
        assert view.operation is not None and view.operation.summary == "Item number0"
        assert view.lacking_count == 30
        assert view.show_vertical_scrollbar and view.vertical_scrollbar.window_virtual_size == 61
        before = len(app.messages)
        # "number1" keeps 11 of the 60 (1 and 10 … 19): still more than the room, and the highlighted one is not
        # among them, so the cursor moves and its details are asked for once.
        pane.action_focus_filter()
        await pilot.press(*"number1")
        await pilot.pause()
        assert view.operation_count == 11 and len(view.rows) == 12
        assert view.virtual_size.height == 12 and view.vertical_scrollbar.window_virtual_size == 12
        assert view.lacking_count == 11 - 5  # odd numbers lack s1: 1, 11, 13, 15, 17, 19
        highlighted = [m for m in app.messages[before:] if isinstance(m, CataloguePane.OperationHighlighted)]
        assert [m.operation.summary for m in highlighted if m.operation] == ["Item number1"]
        # Keystrokes that keep "Item number1" under the cursor: no new request for its details.
        before = len(app.messages)
        await pilot.press("backspace", "1")
        await pilot.pause()
        assert view.operation is not None and view.operation.summary == "Item number1"
        assert not [m for m in app.messages[before:] if isinstance(m, CataloguePane.OperationHighlighted)]
        # A filter that fits on one screen: the scrollbar goes (this change needs the layout).
        await pilot.press(*"9")
        await pilot.pause()
        assert view.operation_count == 1 and not view.show_vertical_scrollbar
        assert "1 of 60 operations" in str(pane.query_one("#catalogue-status").render())
