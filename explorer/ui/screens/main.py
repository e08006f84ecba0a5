"""The main screen: profiles, token and collection on the left; the request and its response on the right.

The screen arranges panes and routes what they ask for: panes (explorer/ui/widgets) post messages, the screen
hands each to a controller (explorer/ui/controllers), and the controllers ask the session (explorer/app) and
hand the results back to the panes. Tabbed areas are lists of rooms (see `sidebar_rooms`, `result_rooms`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.dom import DOMNode
from textual.message import Message
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from explorer.app.session import Session
from explorer.core.http import variables_for
from explorer.core.model import Collection, RequestSpec
from explorer.core.profiles import ProfilesConfig
from explorer.ui.controllers.captures import CaptureController
from explorer.ui.controllers.catalogue import CatalogueController
from explorer.ui.controllers.collection import CollectionController
from explorer.ui.controllers.folders import FolderController
from explorer.ui.controllers.history import HistoryController
from explorer.ui.controllers.profiles import ProfileController, empty_profiles_text
from explorer.ui.controllers.replay import ReplayController
from explorer.ui.controllers.requests import RequestController
from explorer.ui.controllers.save_body import SaveBody
from explorer.ui.controllers.tokens import TokenController
from explorer.ui.notify import report_worker_failure
from explorer.ui.palette import PaletteCommand, bound_commands
from explorer.ui.panes import (
    MAX_JUMP_KEYS,
    Pane,
    bring_forward,
    focus_pane,
    jump_binding_keys,
    jump_key,
    pane_of,
    pane_widget,
)
from explorer.ui.screens.rooms import Room, Rooms, compose_rooms
from explorer.ui.widgets.body_view import BodyView
from explorer.ui.widgets.collection_tree import CollectionTree
from explorer.ui.widgets.composer import RequestComposer
from explorer.ui.widgets.footer import KeysFooter
from explorer.ui.widgets.profile_list import ProfileList
from explorer.ui.widgets.response import ResponsePane
from explorer.ui.widgets.token_panel import TokenPanel
from explorer.ui.widgets.top_bar import TopBar

if TYPE_CHECKING:
    from explorer.app.sending import SendPlan
    from explorer.app.settings import AppSettings
    from explorer.core.errors import ExplorerError
    from explorer.core.http import ResponseRecord
    from explorer.core.model import RequestSpec
    from explorer.core.tokens import TokenEvent
    from explorer.ui.widgets.catalogue_pane import CataloguePane
    from explorer.ui.widgets.history_pane import HistoryPane
    from explorer.ui.widgets.operation_details import OperationDetails
    from explorer.ui.widgets.run_results import RunResults


@dataclass
class TokenUpdated(Message):
    """The engine of `profile` did something with its token."""

    profile: str
    event: TokenEvent


def _catalogue_pane() -> CataloguePane:
    from explorer.ui.widgets.catalogue_pane import CataloguePane

    return CataloguePane(id="catalogue")


def _operation_details() -> OperationDetails:
    from explorer.ui.widgets.operation_details import OperationDetails

    return OperationDetails(id="operation")


# Listed with the panes in the help screen rather than with the other keys.
_PANE_ACTIONS = ("jump(", "toggle_sidebar", "maximize_pane")


def _run_results() -> RunResults:
    # Imported here with the table it shows: replays are rare, start-ups are not.
    from explorer.ui.widgets.run_results import RunResults

    return RunResults(id="run-results")


def _history_pane() -> HistoryPane:
    from explorer.ui.widgets.history_pane import HistoryPane

    return HistoryPane(id="history")


class MainScreen(Screen[None]):
    """Profiles, token, collection; request and response."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+j", "send", "Send", id="request.send"),
        Binding("escape", "cancel_request", "Cancel", id="request.cancel"),
        Binding("ctrl+t", "token_fetch", "Token", id="token.fetch"),
        # Copy and details are in the token pane's own keys, the help screen and the palette: the footer is short.
        Binding("ctrl+y", "token_copy", "Copy token", id="token.copy", show=False),
        Binding("f2", "token_details", "Token info", id="token.details", show=False),
        Binding("ctrl+s", "save", "Save", id="collection.save"),
        Binding("ctrl+r", "replay", "Replay", id="collection.replay", show=False),
        Binding("ctrl+l", "focus_url", "Edit URL", id="request.focus_url", show=False, priority=True),
        Binding("f4", "catalogue", "Catalogue", id="catalogue.show"),
        Binding("f6", "copy_curl", "Copy as curl", id="request.copy_curl", show=False),
        Binding("f3", "history", "History", id="history.show"),
        Binding("f5", "variables", "Variables", id="variables.show", show=False),
        Binding("f7", "all_pages", "All pages", id="request.all_pages", show=False),
        # One key per pane, in the order of `panes()`; the footer shows the first as "alt+1…".
        # Priority: the panes are one key away from anywhere, the URL field included.
        Binding(jump_binding_keys(0), "jump(0)", "Panes", key_display="alt+1…", priority=True, id="pane.jump_1"),
        *(
            Binding(
                jump_binding_keys(n), f"jump({n})", f"Pane {n + 1}", show=False, priority=True, id=f"pane.jump_{n + 1}"
            )
            for n in range(1, MAX_JUMP_KEYS)
        ),
        Binding("ctrl+b", "toggle_sidebar", "Sidebar", id="pane.sidebar", priority=True),
        Binding("alt+z", "maximize_pane", "Zoom", show=False, priority=True, id="pane.maximize"),
        Binding("f1", "help", "Keys", id="app.help"),
        Binding("question_mark", "help", "Keys", show=False, id="app.help_question"),
    ]

    def __init__(self, session: Session, settings: AppSettings, collection: Collection | None) -> None:
        super().__init__(id="main")
        self.session = session
        self.settings = settings
        self._pygments_style = ""
        self._resumed = False
        self.tokens = TokenController(self, session)
        self.profiles = ProfileController(self, session, settings, self.tokens, changed=self.profile_changed)
        self.collections = CollectionController(self, collection, changed=self.collection_changed)
        self.folders = FolderController(self, self.collections)
        self.requests = RequestController(
            self,
            session,
            variables=self._send_variables,
            show_response=self._show_response,
            explain=lambda record, engine: self.catalogue.explain(record, engine),
            answered=self._answered,
        )
        self.history = HistoryController(
            self,
            session,
            enabled=lambda: getattr(self.app, "user", None) is None or self.app.user.history,  # type: ignore[attr-defined]
            reopen=self._reopen,
            save=lambda: self.collections.save(as_new=True),
            pane=self.history_pane,
        )
        self.values = CaptureController(
            self,
            session,
            variables_changed=self._update_variables,
            collection_variables=lambda: dict(self.collections.variables),
        )
        self.replays = ReplayController(self, session, self.collections, results=self.run_results)
        self.catalogue = CatalogueController(
            self,
            session,
            collection=lambda: self.collection,
            variables=lambda: self._variables(),
            pane=self._catalogue_pane,
            details=self._operation_details,
            open_request=self.collections.load_request,
        )
        self.save_body = SaveBody(self)
        session.prompt = self.tokens.ask_secret
        session.on_event = self._token_event

    def _token_event(self, profile: str, event: TokenEvent) -> None:
        # Called by the engine on the event loop, inside the request or fetch that caused it.
        self.post_message(TokenUpdated(profile, event))

    @property
    def collection(self) -> Collection | None:
        """The collection on screen."""
        return self.collections.collection

    # -- layout --------------------------------------------------------------------------------------------

    def sidebar_rooms(self) -> list[Room]:
        """The panes below the profiles and the token; a second one turns the area into tabs."""
        rooms = [
            Room("tab-collection", "Collection", lambda: CollectionTree(self.collection, id="tree"), pane_id="tree")
        ]
        if self._has_catalogue():
            rooms.append(Room("tab-catalogue", "Catalogue", _catalogue_pane, lazy=True, pane_id="catalogue"))
        return rooms

    def result_rooms(self) -> list[Room]:
        """The panes below the composer."""
        rooms = [
            Room("tab-response", "Response", lambda: ResponsePane(id="response"), pane_id="response"),
            Room("tab-replay", "Replay", _run_results, lazy=True, pane_id="run-results"),
            Room("tab-history", "History", _history_pane, lazy=True, pane_id="history"),
        ]
        if self._has_catalogue():
            rooms.append(Room("tab-operation", "Operation", _operation_details, lazy=True, pane_id="operation"))
        return rooms

    def _has_catalogue(self) -> bool:
        """Whether an API description can be set: the demo's profiles have one, and so may the user's files.
        Without one the layout (and the start-up) stays as it was."""
        profiles = self.session.profiles.profiles.values()
        return (
            self.settings.demo
            or any(p.openapi for p in profiles)
            or (self.collection is not None and bool(self.collection.openapi))
        )

    def _catalogue_pane(self) -> CataloguePane | None:
        panes = self.query("#catalogue")
        return panes.first() if panes else None  # type: ignore[return-value]

    async def _operation_details(self) -> OperationDetails | None:
        rooms = self.query("#results")
        if not rooms or "tab-operation" not in rooms.first(Rooms).rooms:
            return None
        area = rooms.first(Rooms)
        details = await area.pane("tab-operation")
        area.show("tab-operation")
        return details  # type: ignore[return-value]

    def _variables(self) -> dict[str, str]:
        profile = self.session.shown_profile
        variables, captured = self.collections.variables, self.session.captured
        return variables_for(profile, variables, captured) if profile is not None else {**variables, **captured}

    def compose(self) -> ComposeResult:
        yield TopBar(id="topbar")
        with Horizontal(id="body"):
            with Vertical(id="sidebar"):
                yield self._profile_list()
                yield self._token_panel()
                yield from compose_rooms(self.sidebar_rooms(), id="sidebar-rooms")
            with Vertical(id="workspace"):
                yield RequestComposer(id="composer")
                yield from compose_rooms(self.result_rooms(), id="results")
        yield KeysFooter()

    def _profile_list(self) -> ProfileList:
        if self.settings.demo:
            return ProfileList([], empty_text="Starting the demo sandbox…", id="profiles")
        # Built with the profiles, and the one the session will open marked (see ProfileController.preview).
        profiles = self.session.profiles
        return ProfileList(
            list(profiles.profiles.values()),
            empty_text=empty_profiles_text(profiles),
            active=self.session.default_profile_name(self.settings.profile),
            id="profiles",
        )

    def _token_panel(self) -> TokenPanel:
        panel = TokenPanel(clock=self.session.clock, id="token")
        if not self.settings.demo:
            # Built showing the profile the session will open, not restyled a moment later.
            name = self.session.default_profile_name(self.settings.profile)
            if name is not None:
                profile = self.session.profiles.profiles[name]
                panel.set_profile(profile, self.session.cached_token(profile))
        return panel

    async def on_mount(self) -> None:
        tree = self.query_one(CollectionTree)
        tree.border_title = "Collection"
        if self._pygments_style:
            self.query_one(ResponsePane).set_pygments_style(self._pygments_style)
        tree.set_collection(self.collection)
        self.query_one(TopBar).show_collection(self.collection)
        self.set_interval(1, self.tokens.auto_refresh_tick, name="token-auto-refresh")
        if self.collection is not None and self.collection.requests:
            # Something to send straight away: the collection's first request.
            self.collections.open(0)
        if not self.settings.demo:
            # The profiles, and the one the session will open, are in the first frame.
            self.profiles.preview()
        self.profile_changed()
        # The HTTP client and the engines (httpx with them) are not needed to draw the screen: they start once
        # it is on screen.
        self.call_after_refresh(self.profiles.start)

    async def on_unmount(self) -> None:
        await self.session.close()
        # The history's queued writes finish on their thread.
        await asyncio.to_thread(self.history.close)

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # Textual restyles every widget of a screen when it resumes. The first time, every widget was styled a
        # moment before, when it was mounted, and nothing has changed since: that pass would only delay the
        # first frame. (Screen's own handler runs after this one and reads the flag.)
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False

    async def run_results(self) -> RunResults:
        """The replay results, built the first time they are needed, brought to the front."""
        rooms = self.query_one("#results", Rooms)
        results = await rooms.pane("tab-replay")
        rooms.show("tab-replay")
        return results  # type: ignore[return-value]

    async def history_pane(self) -> HistoryPane:
        """The History pane, built the first time it is needed, brought to the front."""
        rooms = self.query_one("#results", Rooms)
        pane = await rooms.pane("tab-history")
        rooms.show("tab-history")
        return pane  # type: ignore[return-value]

    def _show_response(self) -> None:
        self.query_one("#results", Rooms).show("tab-response")

    # -- panes: one key each, the sidebar shown or hidden, one pane maximized ------------------------------

    def panes(self) -> list[Pane]:
        """Every pane in jump-key order: the sidebar's, then the request and the panes below it."""
        panes = [Pane("Profiles", "profiles", in_sidebar=True), Pane("Token", "token", in_sidebar=True)]
        panes += self._room_panes(self.sidebar_rooms(), "sidebar-rooms", in_sidebar=True)
        panes.append(Pane("Request", "composer"))
        panes += self._room_panes(self.result_rooms(), "results", in_sidebar=False)
        return panes

    @staticmethod
    def _room_panes(rooms: list[Room], area: str, *, in_sidebar: bool) -> list[Pane]:
        tabbed = len(rooms) > 1 or any(room.lazy for room in rooms)
        return [
            Pane(
                room.title,
                room.pane_id or room.tab_id,
                area=area if tabbed else None,
                tab=room.tab_id if tabbed else None,
                in_sidebar=in_sidebar,
            )
            for room in rooms
        ]

    @property
    def sidebar_shown(self) -> bool:
        return bool(self.query_one("#sidebar").display)

    def show_sidebar(self, show: bool) -> None:
        """Show or hide the sidebar (under 100 columns it starts hidden)."""
        self.set_class(show, "-sidebar-open").set_class(not show, "-sidebar-closed")

    def action_toggle_sidebar(self) -> None:
        show = not self.sidebar_shown
        if not show and self.focused is not None and self.query_one("#sidebar") in self.focused.ancestors:
            # The focus would vanish with the sidebar: it goes to the request.
            self.query_one(RequestComposer).focus_url()
        self.show_sidebar(show)

    def action_jump(self, position: int) -> None:
        """Focus the pane at `position` of `panes()`, showing the sidebar or bringing its tab forward first."""
        panes = self.panes()
        if not 0 <= position < len(panes):
            self.app.bell()
            return
        pane = panes[position]
        if self.maximized is not None:
            self.minimize()
        if pane.in_sidebar and not self.sidebar_shown:
            self.show_sidebar(True)
        elif not pane.in_sidebar and self.has_class("-narrow") and self.sidebar_shown:
            # On a narrow screen the sidebar makes way again for the pane asked for.
            self.show_sidebar(False)
        bring_forward(self, pane)
        # A tab just brought forward (or a lazy pane built for it) is on screen after the next refresh.
        self.call_after_refresh(self._focus_pane, pane)

    def _focus_pane(self, pane: Pane) -> None:
        widget = pane_widget(self, pane)
        if widget is None or not focus_pane(widget):
            self.notify(f"The {pane.name} pane has nothing to focus yet.", title=pane.name, severity="warning")

    def action_maximize_pane(self) -> None:
        """Give the focused pane the whole screen, or put it back (Escape does that too)."""
        if self.maximized is not None:
            self.minimize()
            return
        pane = pane_of(self, self.panes(), self.focused)
        widget = pane_widget(self, pane) if pane is not None else None
        if widget is None:
            # Not in a pane (nothing focused): the response, which is what one reads.
            widget = self.query_one(ResponsePane)
        self.maximized = widget

    def action_help(self) -> None:
        from explorer.ui.dialogs.keys_help import KeysHelp

        pane = pane_of(self, self.panes(), self.focused)
        self.app.push_screen(KeysHelp("Keys", self.key_sections(pane)))

    def key_sections(self, pane: Pane | None) -> list[tuple[str, list[tuple[str, str]]]]:
        """The keys that work now: the focused pane's, the panes', everywhere."""
        own: list[tuple[str, str]] = []
        everywhere: list[tuple[str, str]] = []
        seen: set[tuple[str, str]] = set()
        for node, binding, enabled, _tooltip in self.active_bindings.values():
            if not enabled or not binding.description or binding.action.startswith(_PANE_ACTIONS):
                continue
            row = (self.app.get_key_display(binding), binding.description)
            if row in seen:
                continue
            seen.add(row)
            (everywhere if node is self or node is self.app else own).append(row)
        panes = [
            (key, f"go to {item.name}")
            for position, item in enumerate(self.panes())
            if (key := jump_key(position)) is not None
        ]
        panes += [("ctrl+b", "show or hide the sidebar"), ("alt+z", "maximize the focused pane, or put it back")]
        title = f"{pane.name} pane" if pane is not None else "Here"
        return [(title, own), ("Panes", panes), ("Everywhere", everywhere)]

    # -- what panes ask for --------------------------------------------------------------------------------

    @on(ProfileList.ProfileSelected)
    def _on_profile_selected(self, message: ProfileList.ProfileSelected) -> None:
        self.profiles.selected(message.name)

    @on(TokenPanel.ActionRequested)
    def _on_token_action(self, message: TokenPanel.ActionRequested) -> None:
        actions = {"fetch": self.tokens.fetch_now, "copy": self.tokens.copy}
        actions |= {"details": self.tokens.details, "forget": self.tokens.forget}
        if message.action in actions:
            actions[message.action]()

    @on(TokenUpdated)
    def _on_token_updated(self, message: TokenUpdated) -> None:
        active = self.session.active
        if active is None or message.profile != active.name:
            return
        self.query_one(TokenPanel).apply_event(message.event)
        self._update_token_preview()
        self.catalogue.token_changed()
        self._update_scope_hint(self.query_one(RequestComposer).current_spec())
        self.refresh_bindings()

    @on(RequestComposer.SendRequested)
    def _on_send_requested(self, message: RequestComposer.SendRequested) -> None:
        message.stop()
        self.requests.send(message.spec)

    @on(RequestComposer.Changed)
    def _on_request_edited(self, message: RequestComposer.Changed) -> None:
        message.stop()
        self.collections.edited()

    @on(RequestComposer.CancelRequested)
    def _on_cancel_requested(self, message: RequestComposer.CancelRequested) -> None:
        message.stop()
        self.requests.cancel()

    @on(BodyView.SearchRequested)
    def _on_search_requested(self, message: BodyView.SearchRequested) -> None:
        message.stop()
        self.requests.search(message.body_view)

    @on(ResponsePane.SaveRequested)
    def _on_save_body(self, message: ResponsePane.SaveRequested) -> None:
        message.stop()
        self.save_body.save(message.record)

    @on(CollectionTree.RequestSelected)
    def _on_request_selected(self, message: CollectionTree.RequestSelected) -> None:
        message.stop()
        self.collections.opened(message.index, message.spec)
        self._update_scope_hint(message.spec)

    @on(CollectionTree.NewRequested)
    def _on_new_requested(self, message: CollectionTree.NewRequested) -> None:
        message.stop()
        self.collections.new_request()

    @on(CollectionTree.RenameRequested)
    def _on_rename(self, message: CollectionTree.RenameRequested) -> None:
        message.stop()
        self.collections.rename(message.index)

    @on(CollectionTree.DuplicateRequested)
    def _on_duplicate(self, message: CollectionTree.DuplicateRequested) -> None:
        message.stop()
        self.collections.duplicate(message.index)

    @on(CollectionTree.DeleteRequested)
    def _on_delete(self, message: CollectionTree.DeleteRequested) -> None:
        message.stop()
        self.collections.delete(message.index)

    @on(CollectionTree.FolderEditRequested)
    def _on_folder_edit(self, message: CollectionTree.FolderEditRequested) -> None:
        message.stop()
        self.folders.edit(message.action, message.folder, message.index)

    @on(CollectionTree.RunRequested)
    def _on_run_requested(self, message: CollectionTree.RunRequested) -> None:
        message.stop()
        self.replays.replay(message.folder)

    # By name rather than with @on, so that the catalogue's modules are imported only when it is first opened.
    def on_catalogue_pane_operation_highlighted(self, message: CataloguePane.OperationHighlighted) -> None:
        message.stop()
        self.catalogue.show_details(message.operation)

    def on_catalogue_pane_open_requested(self, message: CataloguePane.OpenRequested) -> None:
        message.stop()
        self.catalogue.open(message.operation)
        self._update_scope_hint(self.query_one(RequestComposer).current_spec())

    def on_catalogue_pane_ready(self, message: CataloguePane.Ready) -> None:
        message.stop()
        self.catalogue.reload()

    @on(RequestComposer.Changed)
    def _on_composer_changed(self, message: RequestComposer.Changed) -> None:
        self._update_scope_hint(message.spec)

    # By name rather than with @on, so that the results table is imported only with the first replay.
    def on_run_results_result_selected(self, message: RunResults.ResultSelected) -> None:
        message.stop()
        self.replays.open_result(message.index)

    # The History pane too: imported with its first use.
    def on_history_pane_search(self, message: HistoryPane.Search) -> None:
        message.stop()
        self.history.search(self.query_one("#history"), message.text)  # type: ignore[arg-type]

    def on_history_pane_chosen(self, message: HistoryPane.Chosen) -> None:
        message.stop()
        self.history.open(message.entry_id, save=message.save)

    def on_history_pane_compare_requested(self, message: HistoryPane.CompareRequested) -> None:
        message.stop()
        self.history.compare(message.first, message.second)

    @on(ResponsePane.CaptureRequested)
    def _on_capture_requested(self, message: ResponsePane.CaptureRequested) -> None:
        message.stop()
        self.values.capture_from_body(message.line, message.body)

    @on(ResponsePane.FilterApplied)
    def _on_filter_applied(self, message: ResponsePane.FilterApplied) -> None:
        message.stop()
        self.query_one(RequestComposer).set_filter(message.expression)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_worker_failure(self, event)
        # Only the screen's own workers (request, token fetch, replay) decide which of its keys apply; the state
        # changes of the widgets' workers (body formatting, search) bubble up here too.
        over = event.state in (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED)
        if over and event.worker.node is self:
            self.refresh_bindings()

    # -- actions -------------------------------------------------------------------------------------------

    def action_send(self) -> None:
        self.requests.send(self.query_one(RequestComposer).current_spec())

    async def action_catalogue(self) -> None:
        """Bring the Catalogue to the front (building it the first time) and put the cursor in its filter."""
        rooms = self.query("#sidebar-rooms")
        if not rooms:
            return
        area = rooms.first(Rooms)
        # The catalogue lives in the sidebar: show it where the screen is narrow enough to have hidden it.
        self.remove_class("-sidebar-closed")
        if self.has_class("-narrow") or self.app.screen.has_class("-narrow"):
            self.add_class("-sidebar-open")
        pane = await area.pane("tab-catalogue")
        area.show("tab-catalogue")
        pane.action_focus_filter()  # type: ignore[attr-defined]

    def action_catalogue_refresh(self) -> None:
        self.catalogue.reload(refresh=True)

    def action_cancel_request(self) -> None:
        self.requests.cancel()

    def action_token_fetch(self) -> None:
        self.tokens.fetch_now()

    def action_token_copy(self) -> None:
        self.tokens.copy()

    def action_token_details(self) -> None:
        self.tokens.details()

    def action_token_forget(self) -> None:
        self.tokens.forget()

    def action_save(self) -> None:
        self.collections.save()

    def action_replay(self) -> None:
        self.replays.replay(None)

    def action_focus_url(self) -> None:
        self.query_one(RequestComposer).focus_url(select=True)

    def action_copy_curl(self) -> None:
        self.query_one(RequestComposer).action_copy_curl()

    def action_history(self) -> None:
        self.history.show()

    def action_variables(self) -> None:
        self.values.show()

    def action_all_pages(self) -> None:
        self.requests.send(self.query_one(RequestComposer).current_spec(), all_pages=True)

    # -- what came back ------------------------------------------------------------------------------------

    def _send_variables(self) -> dict[str, str]:
        # The session adds the values captured earlier (see `variables_for`).
        return dict(self.collections.variables)

    def _answered(self, plan: SendPlan, record: ResponseRecord | None, error: ExplorerError | None) -> None:
        url = ""
        if record is None:
            try:
                url = plan.engine.prepare(plan.spec, plan.variables, plan.captured).full_url()
            except Exception:  # the URL itself may be what failed
                url = plan.spec.url
        self.history.record(plan.spec, record, error=error, url=url)
        if record is None:
            return
        self.values.take(plan.spec, record)
        if plan.spec.filter:
            self.query_one(ResponsePane).apply_filter(plan.spec.filter)

    def _reopen(self, spec: RequestSpec, record: ResponseRecord | None) -> None:
        self.collections.loaded_index = None
        self.query_one(RequestComposer).load(spec)
        response = self.query_one(ResponsePane)
        if record is not None:
            response.show_response(record)
        else:
            response.clear()
        self._show_response()
        # The focus leaves the History pane too: a focus left behind in a hidden tab brings that tab back.
        response.query_one("#response-body").focus()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "catalogue":
            # Hidden, not greyed out, without a description: the footer stays as it was.
            return self._has_catalogue()
        if action == "cancel_request":
            return self.requests.busy
        if action == "send":
            # Before the session has started, the profile it will open decides (so the footer does not change).
            return True if self.session.shown_profile is not None else None
        if action.startswith("token_"):
            return self.tokens.check(action.removeprefix("token_"))
        if action == "replay":
            return self.replays.check()
        return True

    def palette_nodes(self) -> list[DOMNode]:
        """Whose bindings the palette offers (see explorer/ui/palette.py), whatever has the focus."""
        nodes: list[DOMNode] = [self]
        response = self.query_one(ResponsePane)
        if response.record is not None:
            nodes += [response, response.query_one("#response-body", BodyView)]
        return nodes

    def palette_commands(self) -> Iterable[PaletteCommand]:
        keymap = getattr(self.app, "keymap", {})
        yield from bound_commands(self.app, self.palette_nodes(), keymap)
        for position, pane in enumerate(self.panes()):
            key = jump_key(position)
            yield PaletteCommand(
                f"pane: go to {pane.name}",
                f"Focus the {pane.name} pane",
                partial(self.action_jump, position),
                key or "",
            )
        yield PaletteCommand("request: new", "Start a new, empty request", self.collections.new_request)
        if self._has_catalogue():
            yield PaletteCommand(
                "catalogue: refresh", "Read the API description again (fetch it anew)", self.action_catalogue_refresh
            )
        yield from self.tokens.palette_commands()
        yield from self.profiles.palette_commands()
        yield from self.collections.palette_commands()
        yield from self.replays.palette_commands()
        yield from self.history.palette_commands()
        yield from self.values.palette_commands()
        if self.session.active_engine is not None:
            yield PaletteCommand(
                "request: fetch all pages", "Send and follow every page into one answer (f7)", self.action_all_pages
            )

    # -- what the panes show -------------------------------------------------------------------------------

    def offer_profiles(self, profiles: ProfilesConfig, secrets: dict[str, str] | None = None) -> None:
        """Profiles from elsewhere (the demo's, once its sandbox runs)."""
        self.profiles.offer(profiles, secrets)

    def switch_profile(self, name: str) -> None:
        """Make `name` the active profile."""
        self.profiles.switch(name)

    def profile_changed(self) -> None:
        """The shown profile changed: the top bar, the composer's variables and token preview follow."""
        self.profiles.show_active()
        self._update_variables()
        self._update_token_preview()
        if self._catalogue_pane() is not None:
            self.catalogue.reload()

    def collection_changed(self) -> None:
        """The collection on screen changed (saved, edited)."""
        self._update_variables()
        if self._catalogue_pane() is not None and self.catalogue.location != self._catalogue_location():
            self.catalogue.reload()
        self.query_one(TopBar).show_collection(self.collection)
        self.refresh_bindings()

    def _update_variables(self) -> None:
        profile = self.session.shown_profile
        variables = self.collections.variables
        # What the profile's engine gives (Engine.variables), without waiting for the engine.
        captured = self.session.captured
        merged = variables_for(profile, variables, captured) if profile is not None else {**variables, **captured}
        self.query_one(RequestComposer).set_variables(merged)

    def _catalogue_location(self) -> str:
        from explorer.app.catalogue import spec_location

        return spec_location(self.session.shown_profile, self.collection)

    def _update_scope_hint(self, spec: RequestSpec) -> None:
        text, warning = self.catalogue.scope_hint(spec)
        self.query_one(RequestComposer).set_scope_hint(text, warning=warning)

    def _update_token_preview(self) -> None:
        token = self.session.shown_token()
        self.query_one(RequestComposer).set_token_preview(token.masked() if token is not None else None)

    def set_pygments_style(self, name: str) -> None:
        """The Pygments style bodies are highlighted with (the theme's)."""
        self._pygments_style = name
        if self.is_mounted:
            self.query_one(ResponsePane).set_pygments_style(name)
