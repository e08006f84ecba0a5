"""The token pane: what the active profile's token is doing, second by second.

State (none, fetching, valid, expiring soon, expired, error), a countdown from `expires_at - clock()` that ticks
every second, a bar of the lifetime left, the granted scopes (or that the client is a legacy one), key claims,
the fetch latency, and what the engine did last ("re-fetched 12:03:01, ahead of expiry"). The screen feeds it
data; its buttons only ask the screen to act (`ActionRequested`).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, ClassVar, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Label, ProgressBar

from explorer.core.errors import ExplorerError
from explorer.core.formatting import countdown, human_duration
from explorer.core.profiles import Profile
from explorer.core.tokens import Clock, FetchReason, Token, TokenEventKind, TokenState
from explorer.ui.presentation import clock_time, compact_scopes, describe_event, lifetime, short_duration
from explorer.ui.redraw import update_text

if TYPE_CHECKING:
    from explorer.core.tokens import TokenEvent

WidgetType = TypeVar("WidgetType", bound=Widget)

STATE_ICONS = {
    TokenState.NONE: "○",
    TokenState.FETCHING: "◌",
    TokenState.VALID: "●",
    TokenState.EXPIRING: "◐",
    TokenState.EXPIRED: "○",
    TokenState.ERROR: "✕",
}


class TokenFacts(Widget):
    """The token's one-line rows (client, issuer, …) in one widget: a muted label column and a value each."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"token-facts--label"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._rows: tuple[tuple[str, str], ...] = ()

    @property
    def rows(self) -> tuple[tuple[str, str], ...]:
        """The rows on show, as (label, value)."""
        return self._rows

    def show(self, rows: tuple[tuple[str, str], ...]) -> None:
        if rows != self._rows:
            self._rows = rows
            self.refresh(layout=True)

    def render(self) -> Content:
        label_style = self.get_visual_style("token-facts--label")
        width = max((len(label) for label, _value in TokenPanel.ROWS), default=0) + 1
        return Content("\n").join(
            Content.assemble((label, label_style), " " * (width - len(label)), value) for label, value in self._rows
        )


class TokenPanel(Vertical, can_focus=True):
    """Token state and countdown of the active profile.

    The pane is one stop in the tab order (its buttons are for the mouse); its keys do what the buttons do.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f", "request('fetch')", "Fetch", id="token.pane_fetch"),
        Binding("c", "request('copy')", "Copy", id="token.pane_copy"),
        Binding("d,enter", "request('details')", "Details", id="token.pane_details"),
        Binding("x", "request('forget')", "Forget", id="token.pane_forget"),
    ]

    ROWS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("scopes", "scopes"),
        ("client", "client"),
        ("issuer", "issuer"),
        ("subject", "subject"),
        ("issued", "issued"),
        ("expires", "expires"),
        ("fetched", "fetched"),
    )
    """Name and label of each row. Scopes wrap under their label; the others are one line each, cut short."""

    class ActionRequested(Message):
        """A button asked for a token action: "fetch", "copy", "details" or "forget"."""

        def __init__(self, action: str) -> None:
            super().__init__()
            self.action = action

    def __init__(self, *, clock: Clock = time.time, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._clock = clock
        self._profile: Profile | None = None
        self._token: Token | None = None
        self._fetching = False
        self._error: ExplorerError | None = None
        self._note = ""
        self._state = TokenState.NONE
        self._state_class = ""
        self._composed = False
        self._widgets: dict[str, Widget] = {}
        self._texts: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        # The state class and the buttons start as they will be shown, so mounting restyles nothing again.
        state = self._current_state()
        self._state_class = f"-{state.name.lower()}"
        self.update_classes({f"-{value.name.lower()}": value is state for value in TokenState}, update=False)
        enabled = self._enabled_buttons(state)
        with Horizontal(id="token-head"):
            yield Label("", id="token-state", markup=False)
            yield Label("", id="token-countdown", markup=False)
        yield ProgressBar(total=1, show_eta=False, show_percentage=True, id="token-bar")
        with Horizontal(classes="token-row", id="token-row-scopes"):
            yield Label("scopes", classes="token--key", markup=False)
            yield Label("", classes="token--value", id="token-scopes", markup=False)
        # The one-line rows in one widget: a pane of a label and a value per row was 18 widgets to lay out.
        yield TokenFacts(id="token-facts")
        yield Label("", id="token-note", markup=False)
        with Horizontal(id="token-actions"):
            for label, key, tooltip in (
                ("Fetch", "fetch", "Fetch a new token (ctrl+t)"),
                ("Copy", "copy", "Copy the token (ctrl+y)"),
                ("Details", "details", "Claims and exchange (f2)"),
                ("Forget", "forget", "Drop the token and secret"),
            ):
                button_id = f"token-{key}"
                button = Button(label, id=button_id, compact=True, tooltip=tooltip, disabled=not enabled[button_id])
                button.can_focus = False
                yield button

    def on_mount(self) -> None:
        self.border_title = "Token"
        self._composed = True
        self._render_all()
        self.set_interval(1, self.refresh_countdown, name="token-countdown")

    @on(Button.Pressed)
    def _on_button(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id:
            self.post_message(self.ActionRequested(event.button.id.removeprefix("token-")))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "request" and parameters:
            # The keys are greyed out when their button is.
            return True if self._enabled_buttons(self._current_state()).get(f"token-{parameters[0]}") else None
        return True

    def action_request(self, action: str) -> None:
        if self.check_action("request", (action,)):
            self.post_message(self.ActionRequested(action))

    # -- data in -------------------------------------------------------------------------------------------

    def set_profile(self, profile: Profile | None, token: Token | None = None) -> None:
        """A new active profile, with the token already known for it (if any)."""
        self._profile = profile
        self._token = token
        self._fetching = False
        self._error = None
        self._note = ""
        self._render_all()

    def apply_event(self, event: TokenEvent) -> None:
        """Update from what the engine did."""
        now = self._clock()
        if event.kind == TokenEventKind.FETCHING:
            self._fetching = True
        elif event.kind in (TokenEventKind.FETCHED, TokenEventKind.CACHED):
            self._fetching = False
            self._error = None
            self._token = event.token
        elif event.kind == TokenEventKind.FAILED:
            self._fetching = False
            self._error = event.error
        elif event.kind == TokenEventKind.FORGOTTEN:
            self._fetching = False
            self._error = None
            self._token = None
        # A first fetch needs no note: the rows say when and how fast.
        first = event.kind == TokenEventKind.FETCHED and event.reason == FetchReason.FIRST
        text = "" if first else describe_event(event, now)
        if text or event.kind != TokenEventKind.FETCHING:
            self._note = text
        self._render_all()

    def stop_fetching(self) -> None:
        """The fetch was cancelled (e.g. the secret prompt was dismissed)."""
        if self._fetching:
            self._fetching = False
            self._note = ""
            self._render_all()

    @property
    def token(self) -> Token | None:
        return self._token

    @property
    def state(self) -> TokenState:
        return self._state

    # -- rendering -----------------------------------------------------------------------------------------

    def refresh_countdown(self) -> None:
        """Recompute what depends on the time; called every second."""
        state = self._current_state()
        if state != self._state:
            self._render_all()
            return
        self._render_clock()

    def _current_state(self) -> TokenState:
        if self._fetching:
            return TokenState.FETCHING
        if self._error is not None:
            return TokenState.ERROR
        if self._token is None:
            return TokenState.NONE
        return self._token.state(self._clock())

    def _render_all(self) -> None:
        if not self._composed:
            return
        self._state = state = self._current_state()
        state_class = f"-{state.name.lower()}"
        if state_class != self._state_class:
            # One class change, made only when the state changes: each restyles the whole pane.
            self.update_classes({f"-{value.name.lower()}": value is state for value in TokenState})
            self._state_class = state_class
        self._set_text("token-state", f"{STATE_ICONS[state]} {state.value.upper()}")
        self._render_clock()
        self._render_rows()
        note = self._note
        if self._error is not None and not self._fetching:
            note = f"{self._error.title}: {self._error.message}"
        elif self._token is not None and self._token.warnings and not note:
            note = self._token.warnings[0]
        elif self._profile is None:
            note = "Choose a profile to see its token."
        elif self._token is None and not self._fetching and not note:
            note = "No token yet. Fetch one with ctrl+t."
        elif state is TokenState.EXPIRED:
            note = "Expired. The next request fetches a new token; ctrl+t fetches one now."
        self._set_text("token-note", note)
        self._show("token-note", bool(note))
        for button_id, enabled in self._enabled_buttons(state).items():
            self._enable(button_id, enabled)

    def _enabled_buttons(self, state: TokenState) -> dict[str, bool]:
        has_token = self._token is not None
        return {
            "token-fetch": self._profile is not None and not self._fetching,
            "token-copy": has_token and state is not TokenState.EXPIRED,
            "token-forget": has_token,
            "token-details": has_token or self._error is not None,
        }

    def _render_clock(self) -> None:
        token = self._token
        bar = self._widget("token-bar", ProgressBar)
        if token is None:
            self._set_text("token-countdown", "--:--:--")
            bar.update(total=1, progress=0)
            return
        left = max(0.0, token.remaining(self._clock()))
        self._set_text("token-countdown", countdown(left))
        bar.update(total=max(token.ttl, 1.0), progress=min(left, token.ttl))

    def _render_rows(self) -> None:
        token = self._token
        profile = self._profile
        values: dict[str, str] = {}
        if token is not None:
            claims = token.claims
            values["scopes"] = compact_scopes(token.scopes) if token.scopes else "legacy client: no scopes"
            values["client"] = token.client_id or (profile.client_id if profile else "")
            if claims:
                values["issuer"] = str(claims.get("iss", ""))
                values["subject"] = str(claims.get("preferred_username") or claims.get("sub", ""))
            values["issued"] = clock_time(token.issued_at)
            values["expires"] = f"{clock_time(token.expires_at)}  ({short_duration(lifetime(token))} lifetime)"
            values["fetched"] = "from cache" if token.from_cache else f"in {human_duration(token.latency)}"
        elif profile is not None:
            values["client"] = profile.client_id
            values["scopes"] = compact_scopes(profile.scopes) if profile.scopes else "none requested"
        self._set_text("token-scopes", values.get("scopes", ""))
        self._show("token-row-scopes", bool(values.get("scopes")))
        facts = tuple((label, values[key]) for key, label in self.ROWS if key != "scopes" and values.get(key))
        self._widget("token-facts", TokenFacts).show(facts)
        self._show("token-facts", bool(facts))
        scopes = self._widget("token-scopes", Label)
        scopes.set_class(token is not None and token.is_legacy, "-legacy")
        granted = token.scopes if token is not None else ()
        scopes.tooltip = "\n".join(granted) if granted else None

    # Updating only what changed keeps the one-second tick cheap.

    def _widget(self, widget_id: str, kind: type[WidgetType]) -> WidgetType:
        found = self._widgets.get(widget_id)
        if found is None:
            found = self._widgets[widget_id] = self.query_one(f"#{widget_id}", kind)
        assert isinstance(found, kind)
        return found

    def _set_text(self, widget_id: str, text: str) -> None:
        if self._texts.get(widget_id) != text:
            self._texts[widget_id] = text
            update_text(self._widget(widget_id, Label), text)  # the countdown, every second

    def _show(self, widget_id: str, visible: bool) -> None:
        widget = self._widget(widget_id, Widget)
        if widget.display != visible:
            widget.display = visible

    def _enable(self, widget_id: str, enabled: bool) -> None:
        button = self._widget(widget_id, Button)
        if button.disabled == enabled:
            button.disabled = not enabled
            if self.has_focus:
                self.refresh_bindings()
