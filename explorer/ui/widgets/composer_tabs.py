"""The composer's lazily built tabs (Headers, Body, Options) and the rules of what they show.

Built the first time a tab is opened, with the values the composer held until then (see `RequestComposer`).
"""

from __future__ import annotations

from textual.containers import Horizontal
from textual.content import Content
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Input, Label, Static, Switch

from explorer.core.formatting import looks_like_json, media_type
from explorer.ui.widgets.key_values import KeyValueEditor

CONTENT_TYPES = (
    "application/json",
    "application/x-www-form-urlencoded",
    "application/xml",
    "multipart/form-data",
    "text/plain",
)


def headers_tab(headers: KeyValueEditor, *, auth: bool) -> list[Widget]:
    """The Authorization row the profile's token makes, over the request's own headers."""
    auth_row = Horizontal(
        Static("Authorization", id="auth-name"),
        Static("", id="auth-value"),
        Switch(value=auth, id="auth-switch", tooltip="Attach the profile's Bearer token"),
        id="auth-row",
    )
    return [auth_row, headers]


def body_tab(body: str) -> list[Widget]:
    """The body editor (the text area and its grammars load with this tab)."""
    from textual.widgets import TextArea

    editor = TextArea.code_editor(
        body,
        theme="css",
        soft_wrap=False,
        tab_behavior="indent",
        id="body",
        placeholder='{"name": "…"}',
    )
    return [editor, Static("ctrl+f formats JSON · Esc leaves the editor", classes="composer--hint")]


def options_tab(*, auth: bool, expect: str, content_type: str) -> list[Widget]:
    """The token switch, the expected status and the content type."""
    return [
        Horizontal(
            Switch(value=auth, id="auth-option"),
            Label("Attach the profile's Bearer token", classes="composer--option-label"),
            classes="composer--option",
        ),
        Horizontal(
            Label("Expected status", classes="composer--option-name"),
            Input(
                expect,
                placeholder="any",
                max_length=40,
                tooltip="200, a list (200 201) or a class (2xx)",
                id="expect",
            ),
            classes="composer--option",
        ),
        Horizontal(
            Label("Content type", classes="composer--option-name"),
            Input(
                content_type,
                placeholder="from the body: JSON when it starts with { or [",
                suggester=SuggestFromList(CONTENT_TYPES, case_sensitive=False),
                id="content-type",
            ),
            classes="composer--option",
        ),
    ]


def auth_text(token_preview: str | None, *, sent: bool, overridden: bool) -> Content:
    """What the Authorization row says: the masked token and where it comes from, or why it is not sent."""
    token = f"Bearer {token_preview}" if token_preview else "Bearer ••••••••"
    if not sent:
        return Content.styled("not sent: the token is off for this request", "$foreground-muted")
    if overridden:
        return Content.assemble(
            (token, "$foreground-muted strike"), ("  overridden by your Authorization header", "$warning")
        )
    if token_preview is None:
        return Content.assemble((token, "$foreground-muted"), ("  fetched when you send", "$foreground-muted italic"))
    return Content.assemble((token, ""), ("  from the profile", "$foreground-muted"))


def body_language(content_type: str, body: str) -> str | None:
    """The body editor's grammar: a content type decides; without one, a body that starts like JSON is JSON
    (as when it is sent)."""
    kind = media_type(content_type)
    is_json = kind.endswith(("/json", "+json")) if kind else looks_like_json(body)
    return "json" if is_json else None
