"""The request composer: method, URL, query parameters, headers, body and options of one request.

It edits a `RequestSpec` and asks for it to be sent; it never sends anything itself. Under the URL a muted line
shows the URL as it will go out, with the variables given by `set_variables` filled in and any unknown ones
called out. The Headers tab shows the Authorization header the profile's token will add, masked.

Only the Params tab is built with the composer; the Headers, Body and Options tabs are built the first time they
are opened (most requests are sent without opening them, and the app starts faster without them). Until then
their values live in plain attributes, so `load` and `current_spec` round-trip a whole request either way.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.reactive import var
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Button, Input, LoadingIndicator, Static, Switch, TabbedContent, TabPane

from explorer.core.http import merge_query, missing_variables, render
from explorer.core.model import RequestSpec, parse_status, status_text
from explorer.ui.widgets.composer_tabs import auth_text, body_language, body_tab, headers_tab, options_tab
from explorer.ui.widgets.key_values import KeyValueEditor
from explorer.ui.widgets.method_picker import MethodPicker
from explorer.ui.widgets.url_input import UrlInput, looks_like_curl

if TYPE_CHECKING:
    # The text area is imported when the Body tab is first opened.
    from textual.widgets import TextArea

# How long typing has to pause before `Changed` is posted.
CHANGED_DELAY = 0.3

# Tabs built the first time they are opened.
LAZY_TABS = ("tab-headers", "tab-body", "tab-options")


class RequestComposer(Widget):
    """Compose one request and ask for it to be sent. It never touches the network itself."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+j", "send", "Send", id="request.send"),
        Binding("escape", "cancel", "Cancel request", id="request.cancel"),
        Binding("ctrl+f", "format_json", "Format JSON", id="request.format_json"),
    ]

    dirty: var[bool] = var(False)
    """Whether the request differs from the one last given to `load`."""

    busy: var[bool] = var(False, init=False, bindings=True)
    """A request is on its way: Send turns into Cancel."""

    @dataclass
    class SendRequested(Message):
        """The user asked to send the request (ctrl+j, Enter in the URL, or the Send button)."""

        spec: RequestSpec

    @dataclass
    class CancelRequested(Message):
        """The user asked to cancel the request on its way (Escape or the Cancel button)."""

    @dataclass
    class Changed(Message):
        """The request was edited. Posted once typing pauses; a newer one replaces an older one still queued."""

        spec: RequestSpec

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, RequestComposer.Changed)

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        # The request last loaded: what `current_spec` builds on and what `dirty` compares with.
        self._loaded = RequestSpec()
        self._auth = True
        self._variables: dict[str, str] = {}
        self._token_preview: str | None = None
        # What the scope doctor says about this request's scopes, and whether it is a warning.
        self._scope_hint = ("", False)
        self._changed_timer: Timer | None = None
        self._last_posted: RequestSpec | None = None
        # The values of the tabs built lazily, kept here whether or not their widgets exist yet. The headers
        # editor keeps its pairs in a plain list itself, so it is made now and mounted with its tab.
        self._headers = KeyValueEditor(key_placeholder="Header", value_placeholder="Value", id="headers")
        self._body = ""
        self._content_type = ""
        self._expect = ""
        self._filter = ""
        self._built: set[str] = set()
        # What `load` asked to show before the composer was mounted (edits kept from earlier).
        self._pending_show: RequestSpec | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="composer-top"):
            yield MethodPicker(id="method")
            yield UrlInput(placeholder="{{api_url}}/v0/stores  (or paste a curl command)", id="url")
            # The busy indicator is built with the first request: it is not part of the first frame.
            yield Button("Send", variant="primary", id="send", tooltip="Send the request (ctrl+j)")
        yield Static("", id="resolved")
        with TabbedContent(id="composer-tabs"):
            with TabPane("Params", id="tab-params"):
                yield KeyValueEditor(key_placeholder="Parameter", value_placeholder="Value", id="params")
            # Filled by _build_tab when first opened.
            yield TabPane("Headers", id="tab-headers")
            yield TabPane("Body", id="tab-body")
            yield TabPane("Options", id="tab-options")

    def _compose_tab(self, pane: str) -> list[Widget]:
        """The widgets of a lazily built tab, showing the values held so far."""
        if pane == "tab-headers":
            return headers_tab(self._headers, auth=self._auth)
        if pane == "tab-body":
            return body_tab(self._body)
        return options_tab(auth=self._auth, expect=self._expect, content_type=self._content_type)

    def on_mount(self) -> None:
        self._show_spec(self._pending_show or self._loaded)
        self._pending_show = None

    def watch_busy(self, busy: bool) -> None:
        # Only the two widgets that change are touched: a class on the composer would restyle all of it.
        found = self.query("#busy")
        if found:
            found.first().display = busy
        elif busy:
            indicator = LoadingIndicator(id="busy")
            indicator.display = True
            self.query_one("#composer-top").mount(indicator, before="#send")
        send = self.query_one("#send", Button)
        send.label = "Cancel" if busy else "Send"
        send.variant = "error" if busy else "primary"
        send.tooltip = "Cancel the request (Escape)" if busy else "Send the request (ctrl+j)"

    @on(Input.Submitted, "#url")
    def _on_url_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if looks_like_curl(event.value):
            # Typed rather than pasted (a terminal without bracketed paste): fill the composer from it.
            self.fill_from_curl(event.value)
            return
        self.action_send()

    @on(UrlInput.CurlPasted)
    def _on_curl_pasted(self, event: UrlInput.CurlPasted) -> None:
        event.stop()
        self.fill_from_curl(event.text)

    @on(Button.Pressed, "#send")
    def _on_send_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if self.busy:
            self.action_cancel()
        else:
            self.action_send()

    @on(Input.Changed, "#url")
    @on(KeyValueEditor.Changed, "#params")
    def _on_target_changed(self, event: Message) -> None:
        event.stop()
        self._update_preview()
        self._edited()

    @on(TabbedContent.TabActivated, "#composer-tabs")
    async def _on_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id is not None:
            await self._build_tab(event.pane.id)

    @on(KeyValueEditor.Changed, "#headers")
    def _on_headers_changed(self, event: KeyValueEditor.Changed) -> None:
        event.stop()
        self._update_auth_row()
        self._edited()

    @on(MethodPicker.Changed)
    def _on_method_changed(self, event: MethodPicker.Changed) -> None:
        event.stop()
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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "send":
            # Shown but greyed while a request is on its way.
            return None if self.busy else True
        if action == "cancel":
            # Hidden otherwise, so Escape keeps its usual meaning.
            return self.busy
        if action == "format_json":
            return self.query_one("#composer-tabs", TabbedContent).active == "tab-body"
        return True

    def action_send(self) -> None:
        if self.busy:
            return
        self.post_message(self.SendRequested(self.current_spec()))

    def action_cancel(self) -> None:
        if self.busy:
            self.post_message(self.CancelRequested())

    def action_copy_curl(self) -> None:
        """Copy the request as a curl line; its token comes from `explorer token` when the line runs."""
        from explorer.core.exporters.curl import to_curl

        spec = self.current_spec()
        exported = to_curl(spec, self._variables, profile=self._variables.get("profile", ""))
        self.app.copy_to_clipboard(exported.text)
        missing = ", ".join("{{" + m + "}}" for m in exported.missing)
        note = f" ({missing} had no value and stay as they are)" if missing else ""
        self.notify(f"Copied as curl{note}. The token is fetched by `explorer token` when it runs.", title="Copied")

    def action_format_json(self) -> None:
        """Pretty-print the body if it is valid JSON (parsed off the event loop: bodies can be large)."""
        self._format_json(self._body)

    def load(self, spec: RequestSpec, *, edited: RequestSpec | None = None) -> None:
        """Show a request for editing. Not an edit: no `Changed` is posted. With `edited` (the unsaved edits
        kept from earlier), those are shown and `dirty` is True; else `dirty` becomes False."""
        self._loaded = spec.copy()
        shown = edited.copy() if edited is not None else self._loaded
        self._last_posted = shown
        if self._changed_timer is not None:
            self._changed_timer.stop()
        if self.is_mounted:
            self._show_spec(shown)
        else:
            self._pending_show = shown
        self.dirty = edited is not None and edited != spec
        self._update_preview_if_mounted()

    def watch_dirty(self) -> None:
        # The modified mark sits in front of the resolved URL.
        self._update_preview_if_mounted()

    @property
    def loaded(self) -> RequestSpec:
        """The request as last given to `load`, without the edits."""
        return self._loaded.copy()

    def fill_from_curl(self, text: str) -> None:
        """Fill the composer from a curl command (a hard-coded token becomes the profile's token)."""
        from explorer.core.errors import ExplorerError
        from explorer.core.importers import import_text
        from explorer.core.importers.safety import summarize_retired

        try:
            result = import_text(text, format="curl")
        except ExplorerError as error:
            self.notify(str(error), title=error.title, severity="error")
            return
        if not result.collection.requests:
            reason = result.skipped[0] if result.skipped else "it names no request explorer can send"
            self.notify(reason, title="Nothing to fill in", severity="warning")
            return
        pasted = result.collection.requests[0]
        spec = self._loaded.copy(
            method=pasted.method,
            url=pasted.url,
            params={},
            headers=pasted.headers,
            body=pasted.body,
            content_type=pasted.content_type,
            auth=pasted.auth,
        )
        self._show_spec(spec)
        self._edited()
        said = ["Filled from the curl command."]
        if result.retired:
            said.append(summarize_retired(result.retired) + ": the profile's token is used instead.")
        if result.env_vars:
            said.append("Read from the environment: " + ", ".join(f"${n}" for n in sorted(result.env_vars)) + ".")
        self.notify(" ".join(said), title="Pasted curl")

    def current_spec(self) -> RequestSpec:
        """The loaded request with the edits applied; its name, folder and description are kept."""
        if not self.is_mounted:
            return self._loaded.copy()
        return self._loaded.copy(
            method=self.query_one("#method", MethodPicker).method,
            url=self.query_one("#url", Input).value,
            params=self.query_one("#params", KeyValueEditor).value,
            headers=self._headers.value,
            body=self._body,
            content_type=self._content_type.strip(),
            auth=self._auth,
            expect=replace(self._loaded.expect, status=parse_status(self._expect)),
            filter=self._filter,
        )

    def set_filter(self, expression: str) -> None:
        """The jq filter last used on this request's answer: kept with the request (an edit, saved by ctrl+s)."""
        if expression != self._filter:
            self._filter = expression
            if self.is_mounted:
                self._edited()

    def set_variables(self, variables: Mapping[str, str]) -> None:
        """The variables the preview fills in (profile, built-ins and collection, already merged)."""
        self._variables = dict(variables)
        if self.is_mounted:
            self._update_preview()

    def set_scope_hint(self, text: str, *, warning: bool = False) -> None:
        """The scope doctor's line about the request (a scope the token lacks comes first on the preview line)."""
        if (text, warning) != self._scope_hint:
            self._scope_hint = (text, warning)
            if self.is_mounted:
                self._update_preview()

    def set_token_preview(self, masked: str | None) -> None:
        """The profile's current token, masked; None when there is none yet."""
        self._token_preview = masked
        if self.is_mounted:
            self._update_auth_row()

    def set_busy(self, busy: bool) -> None:
        """Show that a request is on its way (Send becomes Cancel), or that it is over."""
        self.busy = busy

    def focus_url(self, *, select: bool = False) -> None:
        """Put the cursor in the URL; with `select`, the whole URL is selected so typing replaces it."""
        url = self.query_one("#url", Input)
        url.focus()
        if select:
            # After the focus has been handled (which may place the cursor itself).
            self.call_after_refresh(url.select_all)

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
        await self.query_one(f"#{pane}", TabPane).mount_all(self._compose_tab(pane))
        self._update_auth_row()
        self._update_body_language()

    def _show_spec(self, spec: RequestSpec) -> None:
        self._headers.load(spec.headers)
        self._body = spec.body
        self._content_type = spec.content_type
        self._expect = status_text(spec.expect.status)
        self._filter = spec.filter
        self._auth = spec.auth
        with self.prevent(Input.Changed, Switch.Changed, MethodPicker.Changed):
            self.query_one("#method", MethodPicker).method = spec.method
            self.query_one("#url", Input).value = spec.url
            self.query_one("#params", KeyValueEditor).load(spec.params)
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
        self._update_preview()
        self._update_auth_row()
        self._update_body_language()
        self._update_tab_labels()

    def _body_editors(self) -> list[TextArea]:
        if "tab-body" not in self._built:
            return []
        from textual.widgets import TextArea

        return list(self.query("#body").results(TextArea))

    def _update_tab_labels(self) -> None:
        """Tab titles say what is in them, so a glance shows where the request has parameters or a body."""
        tabs = self.query_one("#composer-tabs", TabbedContent)
        params = len(self.query_one("#params", KeyValueEditor).value)
        headers = len(self._headers.value)
        has_body = bool(self._body.strip())
        labels = {
            "tab-params": f"Params ({params})" if params else "Params",
            "tab-headers": f"Headers ({headers})" if headers else "Headers",
            "tab-body": "Body •" if has_body else "Body",
        }
        for pane, label in labels.items():
            tab = tabs.get_tab(pane)
            if tab.label.plain != label:
                tab.label = label

    def _edited(self) -> None:
        """Something was typed: update `dirty` now, post `Changed` once typing pauses."""
        self._update_tab_labels()
        self.dirty = self.current_spec() != self._loaded
        if self._changed_timer is not None:
            self._changed_timer.stop()
        self._changed_timer = self.set_timer(CHANGED_DELAY, self._post_changed)

    def _post_changed(self) -> None:
        spec = self.current_spec()
        if spec != self._last_posted:
            self._last_posted = spec
            self.post_message(self.Changed(spec))

    def _update_preview_if_mounted(self) -> None:
        if self.is_mounted:
            self._update_preview()

    def _modified_mark(self) -> list[tuple[str, str] | str]:
        """The request's name and, when it has unsaved edits, a mark: where the composer says what it holds."""
        name = self._loaded.name
        parts: list[tuple[str, str] | str] = []
        if self.dirty:
            parts.append(("● modified ", "$text-warning bold"))
        if name:
            parts.append((f"{name}  ", "$foreground bold"))
        return parts

    def _update_preview(self) -> None:
        url = self.query_one("#url", Input).value.strip()
        params = self.query_one("#params", KeyValueEditor).value
        preview = self.query_one("#resolved", Static)
        if not url:
            preview.update(Content.assemble(*self._modified_mark(), "→ type a URL, e.g. {{api_url}}/v0/stores"))
            return
        unknown = missing_variables(RequestSpec(url=url, params=params), self._variables)
        # Unknown variables stay as typed, so the preview shows where they are.
        values = {**self._variables, **{name: f"{{{{{name}}}}}" for name in unknown}}
        query = [(render(key, values), render(value, values)) for key, value in params.items() if key]
        # Merged as the request will be (PreparedRequest.full_url), with the braces of unknown variables kept.
        resolved = merge_query(render(url, values), query, safe="{}$")
        # The URL takes the line's muted colour from the CSS; only unknown variables stand out.
        parts: list[tuple[str, str] | str] = [*self._modified_mark(), "→ " + resolved]
        if unknown:
            listed = ", ".join(f"{{{{{name}}}}}" for name in unknown)
            parts.append((f"  unknown: {listed}", "$error"))
        hint, warning = self._scope_hint
        if hint and warning:
            # A scope the token lacks matters more than the URL, which may be cut at the right edge.
            parts.insert(0, (f"✗ {hint}  ", "$warning"))
        elif hint:
            parts.append((f"  · {hint}", "$text-muted"))
        preview.set_class(bool(unknown), "-unknown")
        preview.update(Content.assemble(*parts))

    def _update_auth_row(self) -> None:
        if "tab-headers" not in self._built:
            return  # Shown when the Headers tab is built.
        value = self.query_one("#auth-value", Static)
        own = self._headers.has_key("authorization")
        content = auth_text(self._token_preview, sent=self._auth, overridden=own)
        value.update(content)
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
