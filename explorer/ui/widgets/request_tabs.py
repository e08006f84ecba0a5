"""The composer's tabs: the request's query parameters, headers, body and options.

Only the Params tab is built with the tabs; the Headers, Body and Options tabs are built the first time they are
opened (most requests are sent without opening them, and the app starts faster without them). Until then their
values live in plain attributes, so `show` and the values read back round-trip a whole request either way. The
Headers tab shows the Authorization header the profile's token will add, masked.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on, work
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Input, Label, Static, Switch

from explorer.core.formatting import looks_like_json, media_type
from explorer.core.model import RequestSpec, status_text
from explorer.ui.widgets.key_values import KeyValueEditor
from explorer.ui.widgets.tabbed import TabbedPanes, TabPane

if TYPE_CHECKING:
    # The text area is imported when the Body tab is first opened.
    from textual.widgets import TextArea

CONTENT_TYPES = (
    "application/json",
    "application/x-www-form-urlencoded",
    "application/xml",
    "multipart/form-data",
    "text/plain",
)

# Tabs built the first time they are opened.
LAZY_TABS = ("tab-headers", "tab-body", "tab-options")


class RequestTabs(TabbedPanes):
    """Params, Headers, Body and Options of one request. Posts `Edited` when the user changes one."""

    @dataclass
    class Edited(Message):
        """The user edited a tab (not when `show` did). `params`: the query parameters changed, so the URL
        that goes out did too."""

        tabs: RequestTabs
        params: bool = False

        @property
        def control(self) -> RequestTabs:
            return self.tabs

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        # The values of the tabs built lazily, kept here whether or not their widgets exist yet. The editors
        # keep their pairs in a plain list themselves, so they are made now and mounted with their tabs.
        self._params = KeyValueEditor(key_placeholder="Parameter", value_placeholder="Value", id="params")
        self._headers = KeyValueEditor(key_placeholder="Header", value_placeholder="Value", id="headers")
        self._body = ""
        self._content_type = ""
        self._expect = ""
        self._auth = True
        self._token_preview: str | None = None
        self._built: set[str] = set()
        self.compose_add_child(TabPane("Params", self._params, id="tab-params"))
        # Filled by _build_tab when first opened.
        self.compose_add_child(TabPane("Headers", id="tab-headers"))
        self.compose_add_child(TabPane("Body", id="tab-body"))
        self.compose_add_child(TabPane("Options", id="tab-options"))

    @on(TabbedPanes.TabActivated)
    async def _on_tab_activated(self, event: TabbedPanes.TabActivated) -> None:
        if event.tabbed is self and event.pane.id is not None:
            await self._build_tab(event.pane.id)

    @on(KeyValueEditor.Changed, "#params")
    def _on_params_changed(self, event: KeyValueEditor.Changed) -> None:
        event.stop()
        self._edited(params=True)

    @on(KeyValueEditor.Changed, "#headers")
    def _on_headers_changed(self, event: KeyValueEditor.Changed) -> None:
        event.stop()
        self._update_auth_row()
        self._edited()

    @on(Input.Changed, "#expect")
    def _on_expect_changed(self, event: Input.Changed) -> None:
        event.stop()
        # A tab built with the values held so far reports them once more: that is no edit.
        if event.value != self._expect:
            self._expect = event.value
            self._edited()

    @on(Input.Changed, "#content-type")
    def _on_content_type_changed(self, event: Input.Changed) -> None:
        event.stop()
        if event.value != self._content_type:
            self._content_type = event.value
            self._update_body_language()
            self._edited()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        # By name rather than with @on, so that the text area is imported only when the Body tab is opened.
        if event.text_area.id != "body":
            return
        event.stop()
        if event.text_area.text != self._body:
            self._body = event.text_area.text
            self._update_body_language()
            self._edited()

    @on(Switch.Changed, "#auth-switch, #auth-option")
    def _on_auth_switched(self, event: Switch.Changed) -> None:
        event.stop()
        if event.value == self._auth:
            return
        self._auth = event.value
        # The Headers tab and the Options tab each have a switch for the same setting.
        for switch in self.query("#auth-switch, #auth-option").results(Switch):
            if switch is not event.switch:
                with self.prevent(Switch.Changed):
                    switch.value = event.value
        self._update_auth_row()
        self._edited()

    # -- the values ----------------------------------------------------------------------------------------

    @property
    def params(self) -> dict[str, str]:
        return self._params.value

    @property
    def headers(self) -> dict[str, str]:
        return self._headers.value

    @property
    def body(self) -> str:
        return self._body

    @property
    def content_type(self) -> str:
        return self._content_type

    @property
    def expect(self) -> str:
        """The expected status as typed (`200`, `200 201`, `2xx`, or empty for any)."""
        return self._expect

    @property
    def auth(self) -> bool:
        """Whether the profile's token is attached."""
        return self._auth

    def show(self, spec: RequestSpec) -> None:
        """Show a request's parameters, headers, body and options. Not an edit: no `Edited` is posted."""
        self._headers.load(spec.headers)
        self._body = spec.body
        self._content_type = spec.content_type
        self._expect = status_text(spec.expect.status)
        self._auth = spec.auth
        with self.prevent(Input.Changed, Switch.Changed, KeyValueEditor.Changed):
            self._params.load(spec.params)
            # The widgets of the tabs built so far; the others are built with these values.
            for body in self._body_editors():
                if body.text != spec.body:
                    with body.prevent(body.Changed):
                        body.load_text(spec.body)
            for field in self.query("#content-type").results(Input):
                field.value = spec.content_type
            for field in self.query("#expect").results(Input):
                field.value = self._expect
            for switch in self.query("#auth-switch, #auth-option").results(Switch):
                switch.value = spec.auth
        self._update_auth_row()
        self._update_body_language()
        self.update_labels()

    def set_token_preview(self, masked: str | None) -> None:
        """The profile's current token, masked; None when there is none yet."""
        self._token_preview = masked
        self._update_auth_row()

    def format_body(self) -> None:
        """Pretty-print the body if it is valid JSON (parsed off the event loop: bodies can be large)."""
        self._format_json(self._body)

    def update_labels(self) -> None:
        """Tab titles say what is in them, so a glance shows where the request has parameters or a body."""
        params = len(self._params.value)
        headers = len(self._headers.value)
        has_body = bool(self._body.strip())
        labels = {
            "tab-params": f"Params ({params})" if params else "Params",
            "tab-headers": f"Headers ({headers})" if headers else "Headers",
            "tab-body": "Body •" if has_body else "Body",
        }
        for pane, label in labels.items():
            self.set_label(pane, label)

    # -- inside --------------------------------------------------------------------------------------------

    def _edited(self, *, params: bool = False) -> None:
        self.update_labels()
        self.post_message(self.Edited(self, params=params))

    @work(thread=True, exclusive=True, exit_on_error=False, group="format-json")
    def _format_json(self, text: str) -> None:
        try:
            formatted = json.dumps(json.loads(text), indent=2, ensure_ascii=False)
        except ValueError as exc:
            self.app.call_from_thread(
                self.notify, f"The body is not valid JSON: {exc}", title="Format JSON", severity="warning", markup=False
            )
            return
        self.app.call_from_thread(self._apply_formatted, text, formatted)

    def _apply_formatted(self, original: str, formatted: str) -> None:
        editors = self._body_editors()
        # Typing went on while the body was parsed: the result is stale, keep what the user typed.
        if not editors or editors[0].text != original or formatted == original:
            return
        body = editors[0]
        # A replace rather than load_text, so ctrl+z brings the original back.
        body.replace(formatted, (0, 0), body.document.end)

    async def _build_tab(self, pane: str) -> None:
        """Build a lazily built tab the first time it is opened."""
        if pane not in LAZY_TABS or pane in self._built:
            return
        self._built.add(pane)
        if pane == "tab-headers":
            widgets = headers_tab(self._headers, auth=self._auth)
        elif pane == "tab-body":
            widgets = body_tab(self._body)
        else:
            widgets = options_tab(auth=self._auth, expect=self._expect, content_type=self._content_type)
        await self.get_pane(pane).mount_all(widgets)
        self._update_auth_row()
        self._update_body_language()

    def _body_editors(self) -> list[TextArea]:
        if "tab-body" not in self._built:
            return []
        from textual.widgets import TextArea

        return list(self.query("#body").results(TextArea))

    def _update_auth_row(self) -> None:
        if "tab-headers" not in self._built:
            return  # Shown when the Headers tab is built.
        own = self._headers.has_key("authorization")
        self.query_one("#auth-value", Static).update(auth_text(self._token_preview, sent=self._auth, overridden=own))
        self.query_one("#auth-row").set_class(own and self._auth, "-overridden").set_class(not self._auth, "-off")

    def _update_body_language(self) -> None:
        editors = self._body_editors()
        if not editors:
            return  # Set when the Body tab is built.
        from textual.widgets.text_area import LanguageDoesNotExist

        body = editors[0]
        language = body_language(self._content_type, self._body)
        if body.language != language:
            try:
                body.language = language
            except LanguageDoesNotExist:
                # Syntax highlighting is installed without a JSON grammar: plain text still edits fine.
                body.language = None


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
