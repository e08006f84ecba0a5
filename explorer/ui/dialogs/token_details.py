"""Everything about the active token: all decoded claims as JSON, and the token exchange with secrets masked.

The claims are decoded without verification (explorer is the client, not the audience). The exchange is only
known for a token fetched in this session; a token read from the cache has none.
"""

from __future__ import annotations

import json
import time
from typing import ClassVar
from urllib.parse import parse_qsl

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import ScrollableContainer, Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TabbedContent, TabPane

from explorer.core.errors import ExplorerError, TokenError
from explorer.core.profiles import Profile
from explorer.core.tokens import Clock, Token, TokenTrace
from explorer.ui.presentation import local_datetime, relative_time
from explorer.ui.widgets.footer import KeysFooter


def claims_json(token: Token) -> str:
    return json.dumps({"header": dict(token.header), "claims": dict(token.claims)}, indent=2, sort_keys=False)


TIME_CLAIMS = {"iat": "issued", "nbf": "not before", "exp": "expires", "auth_time": "authenticated"}


def claim_times(token: Token, now: float) -> str:
    """The time claims in local time, relative to now: what the raw numbers in the JSON mean."""
    lines = []
    for claim, label in TIME_CLAIMS.items():
        value = token.claims.get(claim)
        if isinstance(value, int | float) and not isinstance(value, bool):
            lines.append(f"{claim:<9} {label:<13} {local_datetime(value)}  ({relative_time(value - now)})")
    return "\n".join(lines)


def exchange_text(trace: TokenTrace) -> str:
    """The exchange as an HTTP transcript with the secret and token masked, the form one field a line."""
    lines = [f"{trace.method} {trace.url}"]
    lines += [f"{name}: {value}" for name, value in trace.request_headers]
    lines.append("")
    lines += [f"{key}={value}" for key, value in parse_qsl(trace.request_body, keep_blank_values=True)]
    lines += ["", f"HTTP {trace.status}"]
    lines += [f"{name}: {value}" for name, value in trace.response_headers]
    lines += ["", _readable_json(trace.response_body)]
    return "\n".join(lines)


def _readable_json(text: str) -> str:
    """JSON re-indented with its characters as they are (the mask shows as •, not \\u2022)."""
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except ValueError:
        return text


def _body(text: str, language: str | None) -> Static:
    # Imported here: the highlighter loads Pygments' lexers, which only this dialog needs.
    from textual.highlight import highlight

    content = highlight(text, language=language) if language else text
    return Static(content, classes="details--body", markup=False)


class TokenDetails(ModalScreen[None]):
    """A read-only view of the token's claims and exchange, with its own keys in its footer. Escape closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,f2", "close", "Close", id="details.close"),
        Binding("left", "switch_tab(-1)", "Previous tab", key_display="←", priority=True, id="details.previous_tab"),
        Binding("right", "switch_tab(1)", "Next tab", key_display="→", priority=True, id="details.next_tab"),
    ]

    def __init__(
        self, profile: Profile, token: Token | None, error: ExplorerError | None = None, *, clock: Clock = time.time
    ) -> None:
        super().__init__(classes="token-details")
        self.profile = profile
        self.token = token
        self.error = error
        self._clock = clock

    def compose(self) -> ComposeResult:
        token = self.token
        with Vertical(classes="dialog -wide") as dialog:
            dialog.border_title = f"Token of {self.profile.name} ({self.profile.tenant})"
            dialog.border_subtitle = "escape closes"
            with TabbedContent():
                if token is not None:
                    with TabPane("Claims", id="details-claims"), ScrollableContainer():
                        if token.is_jwt:
                            times = claim_times(token, self._clock())
                            if times:
                                yield Static(times, classes="details--times", markup=False)
                            yield _body(claims_json(token), "json")
                        else:
                            yield Static("The token is opaque, not a JWT: it has no claims to show.", markup=False)
                    with TabPane("Response", id="details-response"), ScrollableContainer():
                        yield _body(json.dumps(dict(token.raw_response), indent=2, ensure_ascii=False), "json")
                trace = token.trace if token is not None else None
                with TabPane("Exchange", id="details-exchange"), ScrollableContainer():
                    if trace is not None:
                        yield _body(exchange_text(trace), "http")
                    elif self.error is not None:
                        yield Static(self._error_text(self.error), markup=False)
                    else:
                        yield Static(
                            "This token was read from the token cache, which does not keep the exchange. "
                            "Fetch a new token (ctrl+t) to see it.",
                            markup=False,
                        )
        # The dialog's own keys, over the main screen's (which do not apply while it is open).
        yield KeysFooter()

    def on_mount(self) -> None:
        self._focus_active_tab()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_switch_tab(self, step: int) -> None:
        tabs = self.query_one(TabbedContent)
        panes = [pane.id for pane in tabs.query(TabPane) if pane.id is not None]
        if tabs.active in panes:
            tabs.active = panes[(panes.index(tabs.active) + step) % len(panes)]
            self._focus_active_tab()

    def _focus_active_tab(self) -> None:
        # The open tab's text takes the focus, so the arrow keys scroll it.
        tabs = self.query_one(TabbedContent)
        pane = tabs.active_pane
        if pane is not None:
            for container in pane.query(ScrollableContainer):
                container.focus()
                return

    def _error_text(self, error: ExplorerError) -> str:
        lines = [f"{error.title}: {error.message}"]
        if error.hint:
            lines.append(error.hint)
        if isinstance(error, TokenError):
            lines.append(f"code: {error.code}" + (f", HTTP {error.status}" if error.status else ""))
            if error.description:
                lines.append(f"server said: {error.description}")
        lines.append(f"token URL: {self.profile.token_url}")
        return "\n".join(lines)
