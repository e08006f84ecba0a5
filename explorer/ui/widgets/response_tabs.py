"""The response pane's Headers and Request tabs: built the first time they are opened, filled while on show.

Neither is part of the first frame (the headers table imports with its first use); the pane fills the one on show
when a response arrives and the other when it is opened.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from explorer.core.http import ResponseRecord
from explorer.ui.widgets.body_view import BodyView

BODY_TAB = "response-tab-body"
HEADERS_TAB = "response-tab-headers"
REQUEST_TAB = "response-tab-request"


def build_tab(tab: str, pygments_style: str) -> list[Widget]:
    """The widgets of the Headers or the Request tab, empty: `fill_tab` fills them."""
    if tab == HEADERS_TAB:
        # Imported with the first look at the headers: the table is not part of the first frame.
        from textual.widgets import DataTable

        table: DataTable[Text] = DataTable(cursor_type="row", zebra_stripes=True, id="response-headers")
        table.add_columns("Header", "Value")
        return [table]
    return [
        Static("", id="request-summary"),
        BodyView(pygments_style=pygments_style, id="request-body"),
    ]


def fill_tab(pane: Widget, tab: str, record: ResponseRecord | None) -> None:
    """Show `record` (None: no response) in the Headers or the Request tab of `pane`."""
    if tab == HEADERS_TAB:
        _show_headers(pane, record)
    else:
        _show_request(pane, record)


def _show_headers(pane: Widget, record: ResponseRecord | None) -> None:
    from textual.widgets import DataTable

    table: DataTable[Text] = pane.query_one("#response-headers", DataTable)
    table.clear()
    for name, value in record.headers if record is not None else ():
        # Text, not str: the table would read brackets in a header value as markup.
        table.add_row(Text(name), Text(value))


def _show_request(pane: Widget, record: ResponseRecord | None) -> None:
    summary = pane.query_one("#request-summary", Static)
    request_body = pane.query_one("#request-body", BodyView)
    if record is None:
        summary.update(Content.styled("No response yet.", "$foreground-muted"))
        request_body.display = False
        request_body.clear()
        return
    sent = record.request
    parts: list[str | tuple[str, str]] = [(sent.method, "bold"), " ", sent.url, "\n"]
    if sent.token_attached:
        parts.append(("The profile's Bearer token was attached.\n", "$foreground-muted"))
    parts.append("\n")
    for name, value in sent.headers:
        parts.extend([(name, "$accent"), ": ", value, "\n"])
    if not sent.body:
        parts.extend(["\n", ("No body.", "$foreground-muted")])
    summary.update(Content.assemble(*parts))
    request_body.display = bool(sent.body)
    content_type = next((value for name, value in sent.headers if name.lower() == "content-type"), "")
    if sent.body:
        request_body.load(sent.body, content_type)
    else:
        request_body.clear()
