"""The main screen: profiles, token and collection on the left; the request and its response on the right.

It wires the widgets to the session: widgets post messages up, the screen acts (in workers for anything that
waits on the network or a file) and hands data down. Every failure ends up as a titled notification.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.widget import AwaitMount, Widget
from textual.widgets import Label, TabbedContent, TabPane
from textual.worker import Worker, WorkerState

from explorer.app.session import Session
from explorer.core.errors import ExplorerError, SecretError
from explorer.core.http import variables_for
from explorer.core.model import UNSAFE_METHODS, Collection, RequestSpec
from explorer.core.profiles import Profile, ProfilesConfig
from explorer.core.tokens import Token
from explorer.ui.dialogs.confirm import ConfirmDialog
from explorer.ui.dialogs.secret_prompt import SecretPrompt
from explorer.ui.dialogs.text_prompt import TextPrompt
from explorer.ui.dialogs.token_details import TokenDetails
from explorer.ui.load_scope import LoadScope
from explorer.ui.palette import PaletteCommand
from explorer.ui.screens.collection_actions import CollectionActions
from explorer.ui.widgets.body_view import BodyView
from explorer.ui.widgets.collection_tree import CollectionTree
from explorer.ui.widgets.composer import RequestComposer
from explorer.ui.widgets.footer import KeysFooter
from explorer.ui.widgets.profile_list import STAGE_LABELS, ProfileList, stage_classes
from explorer.ui.widgets.response import ResponsePane
from explorer.ui.widgets.token_panel import TokenPanel

if TYPE_CHECKING:
    # The engine (and httpx with it) is imported when the session starts, after the first frame.
    from explorer.app.settings import AppSettings
    from explorer.core.engine import Engine
    from explorer.core.tokens import TokenEvent
    from explorer.ui.widgets.run_results import RunResults


@dataclass
class TokenUpdated(Message):
    """The engine of `profile` did something with its token."""

    profile: str
    event: TokenEvent


def report_worker_failure(node: App[Any] | Widget, event: Worker.StateChanged) -> None:
    """The one fallback for what a worker did not expect: a notification, never a traceback or a crash."""
    if event.state is not WorkerState.ERROR:
        return
    error = event.worker.error
    detail = f"{type(error).__name__}: {error}" if error is not None else "unknown failure"
    node.notify(f"{event.worker.name or 'A task'} failed. {detail}", title="Unexpected error", severity="error")


class MainScreen(CollectionActions):
    """Profiles, token, collection; request and response."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+j", "send", "Send", id="request.send"),
        Binding("escape", "cancel_request", "Cancel", id="request.cancel"),
        Binding("ctrl+t", "token_fetch", "Fetch token", id="token.fetch"),
        Binding("ctrl+y", "token_copy", "Copy token", id="token.copy"),
        Binding("f2", "token_details", "Token info", id="token.details"),
        Binding("ctrl+s", "save", "Save", id="collection.save"),
        Binding("ctrl+r", "replay", "Replay", id="collection.replay"),
        Binding("ctrl+l", "focus_url", "Edit URL", id="request.focus_url", show=False),
    ]

    def __init__(self, session: Session, settings: AppSettings, collection: Collection | None) -> None:
        super().__init__(id="main")
        self.session = session
        self.settings = settings
        self.collection = collection
        self.renew_tokens = settings.auto_refresh
        session.prompt = self._ask_secret
        session.on_event = self._token_event
        self._pygments_style = ""
        # False until the session has started (after the first frame). Until then the profile it will open is
        # shown (`_previewed`), and what needs its engine waits in `_deferred`.
        self._ready = False
        self._previewed: Profile | None = None
        self._deferred: list[Callable[[], object]] = []
        self._pending_profiles: tuple[ProfilesConfig, dict[str, str] | None] | None = None
        self._run_results: tuple[RunResults, AwaitMount] | None = None
        self._resumed = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Label("explorer", id="topbar-title")
            yield Label("", id="topbar-stage")
            yield Label("", id="topbar-profile", markup=False)
            yield Label("", id="topbar-collection", markup=False)
        with Horizontal(id="body"):
            with Vertical(id="sidebar"):
                yield self._profile_list()
                yield self._token_panel()
                yield CollectionTree(self.collection, id="tree")
            with Vertical(id="workspace"):
                yield RequestComposer(id="composer")
                with TabbedContent(id="results"):
                    with TabPane("Response", id="tab-response"):
                        yield ResponsePane(id="response")
                    # The replay results are built when first needed (see run_results).
                    yield TabPane("Replay", id="tab-replay")
        yield KeysFooter()

    def _profile_list(self) -> ProfileList:
        if self.settings.demo:
            return ProfileList([], empty_text="Starting the demo sandbox…", id="profiles")
        # Built with the profiles, and the one the session will open marked (see _preview_profile).
        profiles = self.session.profiles
        return ProfileList(
            list(profiles.profiles.values()),
            empty_text=self._empty_profiles_text(profiles),
            active=self.session.default_profile_name(self.settings.profile),
            id="profiles",
        )

    def _token_panel(self) -> TokenPanel:
        panel = TokenPanel(clock=self.session.clock, id="token")
        if not self.settings.demo:
            # Built showing the profile the session will open (see _preview_profile), not restyled a moment later.
            name = self.session.default_profile_name(self.settings.profile)
            if name is not None:
                profile = self.session.profiles.profiles[name]
                panel.set_profile(profile, self.session.cached_token(profile))
        return panel

    async def on_mount(self) -> None:
        self.query_one(CollectionTree).border_title = "Collection"
        if self._pygments_style:
            self.query_one(ResponsePane).set_pygments_style(self._pygments_style)
        self.query_one(CollectionTree).set_collection(self.collection)
        self._show_collection_name()
        self.set_interval(1, self._auto_refresh_tick, name="token-auto-refresh")
        if self.collection is not None and self.collection.requests:
            # Something to send straight away: the collection's first request.
            self.loaded_index = 0
            self.query_one(RequestComposer).load(self.collection.requests[0])
            self.query_one(CollectionTree).select_index(0)
        if not self.settings.demo:
            # The profiles, and the one the session will open, are in the first frame.
            self._preview_profile()
        self._show_active_profile()
        self._update_variables()
        self._update_token_preview()
        # The HTTP client and the engines (httpx with them) are not needed to draw the screen: they start once
        # it is on screen.
        self.call_after_refresh(self._start_session)

    @work(exit_on_error=False, group="session", name="Starting the session")
    async def _start_session(self) -> None:
        try:
            await self.session.open()
            if not self.settings.demo:
                await self.show_profiles(self.session.profiles)
        finally:
            self._ready = True
            self._previewed = None
        await self._show_offered_profiles()
        deferred, self._deferred = self._deferred, []
        for action in deferred:
            action()

    def _defer(self, action: Callable[[], object]) -> bool:
        """While the session starts, keep `action` (it needs an engine) to run once it has; True when kept."""
        if self._ready:
            return False
        self._deferred.append(action)
        return True

    async def on_unmount(self) -> None:
        await self.session.close()

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # Textual restyles every widget of a screen when it resumes. The first time, every widget was styled a
        # moment before, when it was mounted, and nothing has changed since: that pass would only delay the
        # first frame. (Screen's own handler runs after this one and reads the flag.)
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False

    @on(TabbedContent.TabActivated, "#results")
    async def _on_results_tab(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id == "tab-replay":
            await self.run_results()

    async def run_results(self) -> RunResults:
        """The replay results, built the first time they are needed (a replay, or the Replay tab opened)."""
        if self._run_results is None:
            # Imported here with the table it shows: replays are rare, start-ups are not.
            from explorer.ui.widgets.run_results import RunResults

            results = RunResults(id="run-results")
            self._run_results = (results, self.query_one("#tab-replay", TabPane).mount(results))
        results, mounted = self._run_results
        await mounted
        return results

    # -- profiles ------------------------------------------------------------------------------------------

    def offer_profiles(self, profiles: ProfilesConfig, secrets: dict[str, str] | None = None) -> None:
        """Profiles from elsewhere (the demo's, once its sandbox runs): shown now, or once the screen is ready."""
        self._pending_profiles = (profiles, secrets)
        if self._ready:
            self.call_later(self._show_offered_profiles)

    async def _show_offered_profiles(self) -> None:
        offered, self._pending_profiles = self._pending_profiles, None
        if offered is not None:
            await self.show_profiles(*offered)

    async def show_profiles(
        self, profiles: ProfilesConfig, secrets: dict[str, str] | None = None, *, wanted: str | None = None
    ) -> None:
        """Show a set of profiles (the file's, or the demo's once it runs) and open the chosen one."""
        if secrets is not None or profiles is not self.session.profiles:
            self.session.replace_profiles(profiles, secrets)
        await self._show_profile_list(profiles)
        asked = wanted or self.settings.profile
        if asked and asked not in profiles.profiles:
            self.notify(
                f"There is no profile named {asked!r}. Known: {', '.join(profiles.profiles) or 'none'}.",
                title="Unknown profile",
                severity="error",
                markup=False,
            )
        name = self.session.default_profile_name(asked)
        if name is not None:
            self.switch_profile(name)
        self._update_variables()
        self.refresh_bindings()

    async def _show_profile_list(self, profiles: ProfilesConfig) -> None:
        empty = self._empty_profiles_text(profiles)
        await self.query_one(ProfileList).set_profiles(list(profiles.profiles.values()), empty_text=empty)

    @staticmethod
    def _empty_profiles_text(profiles: ProfilesConfig) -> str:
        where = profiles.path or "the profiles file"
        return f"No profiles yet.\n\nCreate {where} (README.md, Profiles), or try the built-in sandbox: explorer --demo"

    def _preview_profile(self) -> None:
        """Show the profile the session will open, with its cached token, before the session has started."""
        name = self.session.default_profile_name(self.settings.profile)
        if name is None:
            return
        profile = self.session.profiles.profiles[name]
        self._previewed = profile
        self.query_one(ProfileList).set_active(name)
        self.query_one(TokenPanel).set_profile(profile, self.session.cached_token(profile))

    @property
    def _shown_profile(self) -> Profile | None:
        """The active profile, or before the session has started, the one it will open."""
        return self.session.active if self.session.active is not None else self._previewed

    def _shown_token(self) -> Token | None:
        engine = self.session.active_engine
        if engine is not None:
            return engine.tokens.token
        previewed = self._previewed
        return self.session.cached_token(previewed) if previewed is not None else None

    @on(ProfileList.ProfileSelected)
    def _on_profile_selected(self, message: ProfileList.ProfileSelected) -> None:
        if not self._defer(partial(self.switch_profile, message.name)):
            self.switch_profile(message.name)

    def switch_profile(self, name: str) -> None:
        """Make `name` the active profile and get its token (from the cache when it is still good)."""
        engine = self.session.activate(name)
        self.query_one(ProfileList).set_active(name)
        self.query_one(TokenPanel).set_profile(engine.profile, engine.tokens.token)
        self._show_active_profile()
        self._update_variables()
        self._update_token_preview()
        self.refresh_bindings()
        self._fetch_token(engine, force=False)

    def _show_active_profile(self) -> None:
        profile = self._shown_profile
        label = self.query_one("#topbar-profile", Label)
        badge = self.query_one("#topbar-stage", Label)
        if profile is None:
            label.update("no profile")
            badge.update("")
            badge.set_classes("")
            self.app.sub_title = ""
            return
        tenant = f"  ·  tenant {profile.tenant}" if profile.tenant != profile.name else ""
        label.update(f"{profile.name}{tenant}  ·  {profile.api_url}")
        badge.update(STAGE_LABELS[profile.stage])
        badge.set_classes(stage_classes(profile.stage))
        self.app.sub_title = f"{profile.name} ({profile.tenant}, {profile.stage.value})"

    def _update_variables(self) -> None:
        profile = self._shown_profile
        variables = self.collection.variables if self.collection is not None else {}
        # What the profile's engine gives (Engine.variables), without waiting for the engine.
        merged = variables_for(profile, variables) if profile is not None else dict(variables)
        self.query_one(RequestComposer).set_variables(merged)

    # -- token ---------------------------------------------------------------------------------------------

    def _token_event(self, profile: str, event: TokenEvent) -> None:
        # Called by the engine on the event loop, inside the request or fetch that caused it.
        self.post_message(TokenUpdated(profile, event))

    @on(TokenUpdated)
    def _on_token_updated(self, message: TokenUpdated) -> None:
        active = self.session.active
        if active is None or message.profile != active.name:
            return
        self.query_one(TokenPanel).apply_event(message.event)
        self._update_token_preview()
        self.refresh_bindings()

    def _update_token_preview(self) -> None:
        token = self._shown_token()
        self.query_one(RequestComposer).set_token_preview(token.masked() if token is not None else None)

    async def _ask_secret(self, profile: Profile, reason: SecretError) -> str | None:
        # The engine asks from inside a worker (a request, a fetch or a replay), where waiting for a screen is allowed.
        return await self.app.push_screen_wait(SecretPrompt(profile, reason))

    @work(exit_on_error=False, group="token", name="Token fetch")
    async def _fetch_token(self, engine: Engine, force: bool) -> None:
        try:
            await engine.token(force=force)
        except ExplorerError as exc:
            if engine.profile == self.session.active:
                severity: SeverityLevel = "warning" if isinstance(exc, SecretError) else "error"
                self.notify(str(exc), title=exc.title, severity=severity, markup=False)
        finally:
            if engine.profile == self.session.active:
                self.query_one(TokenPanel).stop_fetching()
            self.refresh_bindings()

    def _auto_refresh_tick(self) -> None:
        """Renew the token shortly before it expires, once the user has fetched one in this session."""
        engine = self.session.active_engine
        if not self.renew_tokens or engine is None:
            return
        manager = engine.tokens
        if manager.fetches == 0 or manager.last_error is not None:
            return
        if any(w.node is self and w.group == "token" and w.is_running for w in self.workers):
            return
        if manager.needs_fetch(manager.token):
            self._fetch_token(engine, force=False)

    @on(TokenPanel.ActionRequested)
    def _on_token_action(self, message: TokenPanel.ActionRequested) -> None:
        actions = {"fetch": self.action_token_fetch, "copy": self.action_token_copy}
        actions |= {"details": self.action_token_details, "forget": self.action_token_forget}
        if message.action in actions:
            actions[message.action]()

    def action_token_fetch(self) -> None:
        if self._defer(self.action_token_fetch):
            return
        engine = self.session.active_engine
        if engine is not None:
            self._fetch_token(engine, force=True)

    def action_token_copy(self) -> None:
        if self._defer(self.action_token_copy):
            return
        engine = self.session.active_engine
        token = engine.tokens.token if engine is not None else None
        if token is None:
            self.notify("There is no token to copy yet.", title="No token", severity="warning")
            return
        self.app.copy_to_clipboard(token.access_token)
        self.notify(f"{token.masked()} is on the clipboard.", title="Token copied", markup=False)

    def action_token_details(self) -> None:
        if self._defer(self.action_token_details):
            return
        engine = self.session.active_engine
        if engine is None:
            return
        panel = self.query_one(TokenPanel)
        # The panel's token still carries the exchange when it was fetched in this session.
        token = panel.token or engine.tokens.token
        self.app.push_screen(TokenDetails(engine.profile, token, engine.tokens.last_error, clock=self.session.clock))

    def action_token_forget(self) -> None:
        if self._defer(self.action_token_forget):
            return
        engine = self.session.active_engine
        if engine is not None:
            engine.tokens.forget()
            self.notify(f"The token and secret of {engine.profile.name} are forgotten.", title="Token forgotten")

    # -- requests ------------------------------------------------------------------------------------------

    @on(RequestComposer.SendRequested)
    def _on_send_requested(self, message: RequestComposer.SendRequested) -> None:
        message.stop()
        self.send_request(message.spec)

    @on(RequestComposer.CancelRequested)
    def _on_cancel_requested(self, message: RequestComposer.CancelRequested) -> None:
        message.stop()
        self.action_cancel_request()

    def action_send(self) -> None:
        self.send_request(self.query_one(RequestComposer).current_spec())

    def send_request(self, spec: RequestSpec) -> None:
        """Send, after asking first when it would change data in production."""
        if self._defer(partial(self.send_request, spec)):
            return
        engine = self.session.active_engine
        if engine is None:
            self.notify("Choose a profile on the left first.", title="No profile", severity="warning")
            return
        try:
            # Unknown variables and a missing URL are reported before anything is asked or sent.
            engine.prepare(spec, self._collection_variables())
        except ExplorerError as exc:
            self.query_one(ResponsePane).show_error(exc)
            self.query_one("#results", TabbedContent).active = "tab-response"
            self.notify(str(exc), title=exc.title, severity="error", markup=False)
            return
        if engine.profile.is_production and spec.method.upper() in UNSAFE_METHODS:
            question = ConfirmDialog(
                "Production",
                f"Send {spec.method.upper()} to {engine.profile.tenant}, a PRODUCTION tenant?\n\n"
                "This may change live data.",
                confirm_label=f"Send {spec.method.upper()}",
                cancel_label="Cancel",
                danger=True,
            )

            def answered(yes: bool | None) -> None:
                if yes:
                    self._send(engine, spec)

            self.app.push_screen(question, answered)
            return
        self._send(engine, spec)

    @work(exclusive=True, exit_on_error=False, group="request", name="Request")
    async def _send(self, engine: Engine, spec: RequestSpec) -> None:
        # Each step below changes only what it must: the footer's keys are worked out again once per change
        # (set_busy, and the end of this worker), and the response pane keeps its layout while loading.
        composer = self.query_one(RequestComposer)
        response = self.query_one(ResponsePane)
        self.query_one("#results", TabbedContent).active = "tab-response"
        composer.set_busy(True)
        response.show_loading(0, None)
        with LoadScope():
            try:
                # Every chunk is reported; the pane redraws its progress at most every PROGRESS_INTERVAL.
                record = await engine.send(spec, self._collection_variables(), on_progress=response.show_loading)
            except ExplorerError as exc:
                response.show_error(exc)
                self.notify(str(exc), title=exc.title, severity="error", markup=False)
            else:
                response.show_response(record)
                if record.retried_after_rejection:
                    self.notify(
                        "The API rejected the token; explorer fetched a new one and sent the request again.",
                        title="Token replaced",
                    )
            finally:
                composer.set_busy(False)

    def _collection_variables(self) -> dict[str, str]:
        return dict(self.collection.variables) if self.collection is not None else {}

    def _request_running(self) -> bool:
        return any(w.node is self and w.group == "request" and w.is_running for w in self.workers)

    def action_cancel_request(self) -> None:
        if not self._request_running():
            return
        self.workers.cancel_group(self, "request")
        self.query_one(ResponsePane).clear()
        self.notify("The request was cancelled.", title="Cancelled")

    @on(BodyView.SearchRequested)
    def _on_search_requested(self, message: BodyView.SearchRequested) -> None:
        message.stop()
        view = message.body_view

        def search(text: str | None) -> None:
            if text:
                view.search(text)

        self.app.push_screen(
            TextPrompt("Search the body", "Text to find (n and N go to the next and previous):"), search
        )

    def action_focus_url(self) -> None:
        self.query_one(RequestComposer).focus_url()

    # -- everything else -----------------------------------------------------------------------------------

    def set_pygments_style(self, name: str) -> None:
        """The Pygments style bodies are highlighted with (the theme's)."""
        self._pygments_style = name
        if self.is_mounted:
            self.query_one(ResponsePane).set_pygments_style(name)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_worker_failure(self, event)
        # Only the screen's own workers (request, token fetch, replay) decide which of its keys apply; the state
        # changes of the widgets' workers (body formatting, search) bubble up here too.
        over = event.state in (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED)
        if over and event.worker.node is self:
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        engine = self.session.active_engine
        if action == "cancel_request":
            return self._request_running()
        # Before the session has started, the profile it will open decides (so the footer does not change).
        has_profile = self._shown_profile is not None
        if action in ("send", "token_fetch"):
            return True if has_profile else None
        if action in ("token_copy", "token_forget"):
            return True if has_profile and self._shown_token() is not None else None
        if action == "token_details":
            failed = engine is not None and engine.tokens.last_error is not None
            return True if has_profile and (self._shown_token() is not None or failed) else None
        return super().check_action(action, parameters)

    def palette_commands(self) -> Iterable[PaletteCommand]:
        engine = self.session.active_engine
        token = engine.tokens.token if engine is not None else None
        if engine is not None:
            yield PaletteCommand("request: send", "Send the request in the composer", self.action_send)
            yield PaletteCommand(
                "token: fetch now", "Fetch a new token for the active profile", self.action_token_fetch
            )
        if self._request_running():
            yield PaletteCommand("request: cancel", "Cancel the request on its way", self.action_cancel_request)
        yield PaletteCommand("request: focus URL", "Put the cursor in the URL", self.action_focus_url)
        yield PaletteCommand("request: new", "Start a new, empty request", self.new_request)
        if token is not None:
            yield PaletteCommand("token: copy", "Copy the access token to the clipboard", self.action_token_copy)
            yield PaletteCommand("token: forget", "Drop the token and the secret from memory", self.action_token_forget)
        if engine is not None and (token is not None or engine.tokens.last_error is not None):
            yield PaletteCommand(
                "token: show details", "Decoded claims and the token exchange", self.action_token_details
            )
        if self.query_one(ResponsePane).record is not None:
            response = self.query_one(ResponsePane)
            yield PaletteCommand(
                "response: save body", "Save the raw body to a file (ctrl+o)", response.action_save_body
            )
            body = response.query_one("#response-body", BodyView)
            yield PaletteCommand(
                "response: search body",
                "Find text in the body (/, then n and N)",
                partial(self._on_search_requested, BodyView.SearchRequested(body)),
            )
        verb = "off" if self.renew_tokens else "on"
        yield PaletteCommand(f"token: turn auto-refresh {verb}", "Renew the token before it expires", self._toggle_auto)
        for name, profile in self.session.profiles.profiles.items():
            if self.session.active is None or name != self.session.active.name:
                help_text = f"{profile.tenant} ({profile.stage.value}), client {profile.client_id}"
                yield PaletteCommand(f"profile: switch to {name}", help_text, partial(self.switch_profile, name))
        yield from self.collection_commands()

    def _toggle_auto(self) -> None:
        self.renew_tokens = not self.renew_tokens
        state = "on" if self.renew_tokens else "off"
        self.notify(
            f"Tokens are {'renewed before they expire' if self.renew_tokens else 'fetched when needed'}.",
            title=f"Auto-refresh {state}",
        )

    def collection_changed(self) -> None:
        self._update_variables()
        self._show_collection_name()
        self.refresh_bindings()

    def _show_collection_name(self) -> None:
        label = self.query_one("#topbar-collection", Label)
        collection = self.collection
        if collection is None:
            label.update("no collection")
            label.tooltip = None
            return
        path = collection.path
        label.update(f"{collection.name}  ·  {path.name}" if path is not None else collection.name)
        label.tooltip = str(path) if path is not None else None
