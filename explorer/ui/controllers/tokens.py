"""The active profile's token: fetch, copy, details, forget, the secret prompt and renewal before expiry.

The session decides (which engine, whether a token is due for renewal, whether an action must wait for the
start-up); this controller runs the fetches in workers and tells the token pane and the user what happened.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.message import Message
from textual.screen import Screen

from explorer.app.session import Session
from explorer.core.errors import ExplorerError, SecretError
from explorer.core.profiles import Profile
from explorer.core.tokens import TokenEvent
from explorer.ui.controllers.base import Controller
from explorer.ui.palette import PaletteCommand
from explorer.ui.widgets.composer import RequestComposer
from explorer.ui.widgets.token_panel import TokenPanel

if TYPE_CHECKING:
    from explorer.core.engine import Engine

# The worker group of token fetches (the screen's keys follow it).
GROUP = "token"


@dataclass
class TokenUpdated(Message):
    """The engine of `profile` did something with its token."""

    profile: str
    event: TokenEvent


class TokenController(Controller):
    """Token actions of the active profile."""

    def __init__(self, screen: Screen[Any], session: Session) -> None:
        super().__init__(screen)
        self.session = session
        # The engines ask for a secret and report what they do with their tokens through the session.
        session.prompt = self.ask_secret
        session.on_event = self.engine_event

    def engine_event(self, profile: str, event: TokenEvent) -> None:
        """The session's `on_event`: called by the engine on the event loop, inside the request or fetch that
        caused it; the screen hears of it as a message."""
        self.screen.post_message(TokenUpdated(profile, event))

    def run_action(self, action: str) -> None:
        """One of the token pane's own keys: fetch, copy, details, forget."""
        actions = {"fetch": self.fetch_now, "copy": self.copy, "details": self.details, "forget": self.forget}
        if action in actions:
            actions[action]()

    def updated(self, profile: str, event: TokenEvent) -> bool:
        """The engine of `profile` did something with its token: the token pane and the composer's preview
        follow. False when `profile` is not the active one (nothing shown changed)."""
        active = self.session.active
        if active is None or profile != active.name:
            return False
        self.screen.query_one(TokenPanel).apply_event(event)
        self.update_preview()
        return True

    def update_preview(self) -> None:
        """The masked token the composer shows in its Authorization header preview."""
        token = self.session.shown_token()
        self.screen.query_one(RequestComposer).set_token_preview(token.masked() if token is not None else None)

    async def ask_secret(self, profile: Profile, reason: SecretError) -> str | None:
        """The engine's prompt: asked from inside a worker (a request, a fetch or a replay), where waiting for a
        screen is allowed."""
        from explorer.ui.dialogs.secret_prompt import SecretPrompt

        return await self.app.push_screen_wait(SecretPrompt(profile, reason))

    def fetch(self, engine: Engine, *, force: bool) -> None:
        """Get `engine`'s token (from the cache when still good, unless `force`) in a worker."""
        self.run(self._fetch(engine, force), name="Token fetch", group=GROUP)

    async def _fetch(self, engine: Engine, force: bool) -> None:
        try:
            await engine.token(force=force)
        except ExplorerError as exc:
            if engine.profile == self.session.active:
                self.notify_error(exc, severity="warning" if isinstance(exc, SecretError) else "error")
        finally:
            if engine.profile == self.session.active:
                self.screen.query_one(TokenPanel).stop_fetching()
            self.screen.refresh_bindings()

    def auto_refresh_tick(self) -> None:
        """Renew the token shortly before it expires (the session says when); called every second."""
        engine = self.session.engine_to_renew()
        if engine is not None and not self.running(GROUP):
            self.fetch(engine, force=False)

    def fetch_now(self) -> None:
        if self.session.when_ready(self.fetch_now):
            return
        engine = self.session.active_engine
        if engine is not None:
            self.session.token_wanted(engine)
            self.fetch(engine, force=True)

    def copy(self) -> None:
        if self.session.when_ready(self.copy):
            return
        engine = self.session.active_engine
        token = engine.tokens.token if engine is not None else None
        if token is None:
            self.notify("There is no token to copy yet.", title="No token", severity="warning")
            return
        self.app.copy_to_clipboard(token.access_token)
        self.notify(f"{token.masked()} is on the clipboard.", title="Token copied")

    def details(self) -> None:
        from explorer.ui.dialogs.token_details import TokenDetails

        if self.session.when_ready(self.details):
            return
        engine = self.session.active_engine
        if engine is None:
            return
        # The panel's token still carries the exchange when it was fetched in this session.
        token = self.screen.query_one(TokenPanel).token or engine.tokens.token
        self.app.push_screen(TokenDetails(engine.profile, token, engine.tokens.last_error, clock=self.session.clock))

    def forget(self) -> None:
        if self.session.when_ready(self.forget):
            return
        engine = self.session.active_engine
        if engine is not None:
            self.session.forget_token(engine)
            self.notify(
                f"The token and secret of {engine.profile.name} are forgotten. No new token is fetched until you "
                "fetch one (ctrl+t) or send a request.",
                title="Token forgotten",
            )

    def toggle_auto_refresh(self) -> None:
        session = self.session
        session.renew_tokens = not session.renew_tokens
        state = "on" if session.renew_tokens else "off"
        self.notify(
            f"Tokens are {'renewed before they expire' if session.renew_tokens else 'fetched when needed'}.",
            title=f"Auto-refresh {state}",
        )

    def check(self, action: str) -> bool | None:
        """Whether a token action applies now (None greys it out); before the start, the profile it will open
        decides, so the footer does not change."""
        session = self.session
        has_profile = session.shown_profile is not None
        if action == "fetch":
            return True if has_profile else None
        if action in ("copy", "forget"):
            return True if has_profile and session.shown_token() is not None else None
        if action == "details":
            return True if has_profile and (session.shown_token() is not None or session.token_failed) else None
        return True

    def palette_commands(self) -> Iterable[PaletteCommand]:
        """The token actions without a key (fetch, copy and details come from the bindings)."""
        if self.session.shown_token() is not None:
            yield PaletteCommand("token: forget", "Drop the token and the secret from memory", self.forget)
        verb = "off" if self.session.renew_tokens else "on"
        yield PaletteCommand(
            f"token: turn auto-refresh {verb}", "Renew the token before it expires", self.toggle_auto_refresh
        )
