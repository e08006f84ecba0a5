"""Profiles: the session's start, the profiles shown (the file's, or the demo's), and switching between them.

The session decides (which profile to open, what waits for the start, which profiles were offered); this
controller starts it after the first frame and shows what it says in the profile list, the token pane and the
top bar.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.screen import Screen

from explorer.app.session import Session
from explorer.core.profiles import ProfilesConfig
from explorer.ui.controllers.base import Controller
from explorer.ui.controllers.profile_edit import ProfileEditor
from explorer.ui.controllers.tokens import TokenController
from explorer.ui.palette import PaletteCommand
from explorer.ui.widgets.profile_list import ProfileList
from explorer.ui.widgets.token_panel import TokenPanel
from explorer.ui.widgets.top_bar import TopBar

if TYPE_CHECKING:
    from explorer.app.settings import AppSettings


def empty_profiles_text(profiles: ProfilesConfig) -> str:
    """What the profile list says when there are none."""
    where = profiles.path or "the profiles file"
    return f"No profiles yet.\n\nPress n to make one (saved to {where}), or try the built-in sandbox: explorer --demo"


class ProfileController(Controller):
    """Start the session, show its profiles, switch the active one."""

    def __init__(
        self,
        screen: Screen[Any],
        session: Session,
        settings: AppSettings,
        tokens: TokenController,
        *,
        changed: Callable[[], object],
    ) -> None:
        """
        Args:
            changed: Called after the shown profile changed (the screen updates what depends on it).
        """
        super().__init__(screen)
        self.session = session
        self.settings = settings
        self.tokens = tokens
        self._changed = changed
        # The session's client is open (see _start); the demo's sandbox could not start (see demo_failed).
        self._opened = False
        self._no_demo = False
        self.editor = ProfileEditor(screen, session, demo=settings.demo, show=self.show_profiles)

    def build_list(self) -> ProfileList:
        """The profile list of the first frame."""
        if self.settings.demo:
            return ProfileList([], empty_text="Starting the demo sandbox…", id="profiles")
        # Built with the profiles, and the one the session will open marked (see `preview`).
        profiles = self.session.profiles
        return ProfileList(
            list(profiles.profiles.values()),
            empty_text=empty_profiles_text(profiles),
            active=self.session.default_profile_name(self.settings.profile),
            id="profiles",
        )

    def build_token_panel(self) -> TokenPanel:
        """The token pane of the first frame."""
        panel = TokenPanel(clock=self.session.clock, id="token")
        if not self.settings.demo:
            # Built showing the profile the session will open, not restyled a moment later.
            name = self.session.default_profile_name(self.settings.profile)
            if name is not None:
                profile = self.session.profiles.profiles[name]
                panel.set_profile(profile, self.session.cached_token(profile))
        return panel

    def show_first(self) -> None:
        """The first frame shows the profiles and the one the session will open; the session (the HTTP client and
        the engines, httpx with them) starts once it is on screen: drawing it needs none of them."""
        if not self.settings.demo:
            self.preview()
        self._changed()
        self.screen.call_after_refresh(self.start)

    def preview(self) -> None:
        """Before the start: show the profile the session will open, with its cached token."""
        profile = self.session.preview(self.settings.profile)
        if profile is not None:
            self.screen.query_one(ProfileList).set_active(profile.name)
            self.screen.query_one(TokenPanel).set_profile(profile, self.session.cached_token(profile))

    def start(self) -> None:
        """Start the session (the HTTP client, the engines), then run what waited for it."""
        self.run(self._start(), name="Starting the session", group="session")

    async def _start(self) -> None:
        session = self.session
        try:
            await session.open()
            if not self.settings.demo:
                await self.show_profiles(session.profiles)
        except BaseException:
            session.mark_ready()  # what waited is dropped: the worker's failure is reported
            raise
        self._opened = True
        if self.settings.demo and not session.has_offer() and not self._no_demo:
            # The demo's profiles come with its sandbox, which starts in a thread: a request sent meanwhile (the
            # first ctrl+j) waits for them too, rather than finding no profile to send with.
            return
        await self._become_ready()

    async def _become_ready(self) -> None:
        waiting = self.session.mark_ready()
        await self._show_offered()
        for action in waiting:
            action()

    def offer(self, profiles: ProfilesConfig, secrets: dict[str, str] | None = None) -> None:
        """Profiles from elsewhere (the demo's, once its sandbox runs): shown now, or once the session is ready."""
        self.session.offer(profiles, secrets)
        if self.session.ready:
            self.screen.call_later(self._show_offered)
        elif self._opened:
            self.screen.call_later(self._become_ready)

    def demo_failed(self) -> None:
        """The demo's sandbox could not start (the app says so): the session starts without its profiles."""
        self._no_demo = True
        if self._opened and not self.session.ready:
            self.screen.call_later(self._become_ready)

    async def _show_offered(self) -> None:
        offered = self.session.take_offered()
        if offered is not None:
            await self.show_profiles(*offered)

    async def show_profiles(
        self, profiles: ProfilesConfig, secrets: dict[str, str] | None = None, *, wanted: str | None = None
    ) -> None:
        """Show a set of profiles (the file's, or the demo's once it runs) and open the chosen one."""
        name, problem = self.session.use_profiles(profiles, secrets, wanted=wanted or self.settings.profile)
        profile_list = self.screen.query_one(ProfileList)
        await profile_list.set_profiles(list(profiles.profiles.values()), empty_text=empty_profiles_text(profiles))
        if problem is not None:
            self.notify(problem, title="Unknown profile", severity="error")
        if name is not None:
            self.switch(name)
        self._changed()
        self.screen.refresh_bindings()

    def selected(self, name: str) -> None:
        """The user chose a profile in the list (kept until the session has started)."""
        if not self.session.when_ready(partial(self.switch, name)):
            self.switch(name)

    def switch(self, name: str) -> None:
        """Make `name` the active profile and get its token (from the cache when it is still good)."""
        engine = self.session.activate(name)
        self.screen.query_one(ProfileList).set_active(name)
        self.screen.query_one(TokenPanel).set_profile(engine.profile, engine.tokens.token)
        self._changed()
        self.screen.refresh_bindings()
        self.tokens.fetch(engine, force=False)

    def show_active(self) -> None:
        """The shown profile in the top bar and the terminal's title."""
        profile = self.session.shown_profile
        self.screen.query_one(TopBar).show_profile(profile)
        self.app.sub_title = f"{profile.name} ({profile.tenant}, {profile.stage.value})" if profile else ""

    def change(self, action: str, name: str | None) -> None:
        """n, e or d in the profile list: the form for a new profile, or to edit or delete one."""
        if action == "new":
            self.editor.new()
        elif action == "edit":
            self.editor.edit(name)
        elif action == "delete":
            self.editor.delete(name)

    def palette_commands(self) -> Iterable[PaletteCommand]:
        yield from self.editor.palette_commands()
        active = self.session.active
        for name, profile in self.session.profiles.profiles.items():
            if active is None or name != active.name:
                help_text = f"{profile.tenant} ({profile.stage.value}), client {profile.client_id}"
                yield PaletteCommand(f"profile: switch to {name}", help_text, partial(self.switch, name))
