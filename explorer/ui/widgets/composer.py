"""The request composer: the method and URL (`UrlBar`), the resolved URL, and the request's tabs (`RequestTabs`).

It edits a `RequestSpec` and asks for it to be sent; it never sends anything itself. Under the URL a muted line
shows the URL as it will go out, with the variables given by `set_variables` filled in and any unknown ones
called out, after the request's name and a mark when it has unsaved edits.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.reactive import var
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Static

from explorer.core.http import merge_query, missing_variables, render
from explorer.core.model import RequestSpec, parse_status
from explorer.ui.redraw import update_text
from explorer.ui.widgets.request_tabs import RequestTabs
from explorer.ui.widgets.url_bar import UrlBar

# How long typing has to pause before `Changed` is posted.
CHANGED_DELAY = 0.3


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
        self._variables: dict[str, str] = {}
        # What the scope doctor says about this request's scopes, and whether it is a warning.
        self._scope_hint = ("", False)
        self._changed_timer: Timer | None = None
        self._last_posted: RequestSpec | None = None
        self._filter = ""
        # The tabs hold their values whether or not their widgets exist yet: made now, mounted with the composer.
        self._tabs = RequestTabs(id="composer-tabs")
        # What `load` asked to show before the composer was mounted (edits kept from earlier).
        self._pending_show: RequestSpec | None = None

    def compose(self) -> ComposeResult:
        yield UrlBar(id="composer-top")
        yield Static("", id="resolved")
        yield self._tabs

    def on_mount(self) -> None:
        self._show_spec(self._pending_show or self._loaded)
        self._pending_show = None

    def watch_busy(self, busy: bool) -> None:
        self.query_one(UrlBar).set_busy(busy)

    @on(UrlBar.SendPressed)
    def _on_send_pressed(self, event: UrlBar.SendPressed) -> None:
        event.stop()
        self.action_send()

    @on(UrlBar.CancelPressed)
    def _on_cancel_pressed(self, event: UrlBar.CancelPressed) -> None:
        event.stop()
        self.action_cancel()

    @on(UrlBar.CurlEntered)
    def _on_curl_entered(self, event: UrlBar.CurlEntered) -> None:
        event.stop()
        self.fill_from_curl(event.text)

    @on(UrlBar.Edited)
    def _on_bar_edited(self, event: UrlBar.Edited) -> None:
        event.stop()
        self._update_preview()
        self._edited()

    @on(RequestTabs.Edited)
    def _on_tabs_edited(self, event: RequestTabs.Edited) -> None:
        event.stop()
        if event.params:
            self._update_preview()
        self._edited()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "send":
            # Shown but greyed while a request is on its way.
            return None if self.busy else True
        if action == "cancel":
            # Hidden otherwise, so Escape keeps its usual meaning.
            return self.busy
        if action == "format_json":
            return self._tabs.active == "tab-body"
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
        self._tabs.format_body()

    def load(self, spec: RequestSpec, *, edited: RequestSpec | None = None) -> None:
        """Show a request for editing. Not an edit: no `Changed` is posted. With `edited` (the unsaved edits
        kept from earlier), those are shown and `dirty` is True; else `dirty` becomes False."""
        self._loaded = spec.copy()
        shown = edited.copy() if edited is not None else self._loaded
        self._last_posted = shown
        if self._changed_timer is not None:
            self._changed_timer.stop()
        if not self.is_mounted:
            self._pending_show = shown
        elif self.current_spec() != shown:
            # Not when it holds that request already (the first one, loaded before the composer was built, is
            # opened again as the screen mounts): showing it again would rebuild the rows and relabel the tabs.
            self._show_spec(shown)
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
        bar, tabs = self.query_one(UrlBar), self._tabs
        return self._loaded.copy(
            method=bar.method,
            url=bar.url,
            params=tabs.params,
            headers=tabs.headers,
            body=tabs.body,
            content_type=tabs.content_type.strip(),
            auth=tabs.auth,
            expect=replace(self._loaded.expect, status=parse_status(tabs.expect)),
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
        self._tabs.set_token_preview(masked)

    def set_busy(self, busy: bool) -> None:
        """Show that a request is on its way (Send becomes Cancel), or that it is over."""
        self.busy = busy

    def focus_url(self, *, select: bool = False, end: bool = False) -> None:
        """Put the cursor in the URL; with `select`, the whole URL is selected so typing replaces it; with `end`,
        the cursor goes after it so typing adds to it."""
        self.query_one(UrlBar).focus_url(select=select, end=end)

    def _show_spec(self, spec: RequestSpec) -> None:
        self._filter = spec.filter
        self.query_one(UrlBar).show(spec.method, spec.url)
        self._tabs.show(spec)
        self._update_preview()

    def _edited(self) -> None:
        """Something was typed: update `dirty` now, post `Changed` once typing pauses."""
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
        url = self.query_one(UrlBar).url.strip()
        params = self._tabs.params
        preview = self.query_one("#resolved", Static)
        if not url:
            update_text(preview, Content.assemble(*self._modified_mark(), "→ type a URL, e.g. {{api_url}}/v0/stores"))
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
        update_text(preview, Content.assemble(*parts))  # every keystroke: no layout for a line of fixed height
