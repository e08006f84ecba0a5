"""The main screen: profiles, token and collection on the left; the request and its response on the right.

The screen arranges panes and routes what they ask for: panes (explorer/ui/widgets) post messages, the screen
hands each to a controller (explorer/ui/controllers), and the controllers ask the session (explorer/app) and
hand the results back to the panes. Tabbed areas are lists of rooms (see `sidebar_rooms`, `result_rooms`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar, cast

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.dom import DOMNode
from textual.message import Message
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from explorer.app.session import Session
from explorer.core.model import Collection
from explorer.ui.controllers.base import runs
from explorer.ui.controllers.captures import CaptureController
from explorer.ui.controllers.catalogue import CatalogueController
from explorer.ui.controllers.collection import CollectionController
from explorer.ui.controllers.collection_open import CollectionOpener
from explorer.ui.controllers.folders import FolderController
from explorer.ui.controllers.history import HistoryController
from explorer.ui.controllers.panes import PaneController
from explorer.ui.controllers.profiles import ProfileController
from explorer.ui.controllers.replay import ReplayController
from explorer.ui.controllers.request_edits import RequestEditController
from explorer.ui.controllers.requests import RequestController
from explorer.ui.controllers.save_body import SaveBody
from explorer.ui.controllers.save_har import SaveHar
from explorer.ui.controllers.tokens import TokenController, TokenUpdated
from explorer.ui.notify import report_worker_failure
from explorer.ui.palette import PaletteCommand, bound_commands
from explorer.ui.panes import MAX_JUMP_KEYS, breakpoint_classes, jump_binding_keys
from explorer.ui.screens.rooms import Room, Rooms, compose_rooms, lazy_room
from explorer.ui.textual_compat import skip_first_resume_restyle, skip_same_size_resize
from explorer.ui.widgets.body_view import BodyView
from explorer.ui.widgets.collection_tree import CollectionTree
from explorer.ui.widgets.composer import RequestComposer
from explorer.ui.widgets.footer import KeysFooter
from explorer.ui.widgets.method_picker import MethodPicker
from explorer.ui.widgets.profile_list import ProfileList
from explorer.ui.widgets.response import ResponsePane
from explorer.ui.widgets.token_panel import TokenPanel
from explorer.ui.widgets.top_bar import TopBar

if TYPE_CHECKING:
    from explorer.app.sending import SendPlan
    from explorer.app.settings import AppSettings
    from explorer.core.errors import ExplorerError
    from explorer.core.http import ResponseRecord
    from explorer.ui.app import ExplorerApp
    from explorer.ui.widgets.catalogue_pane import CataloguePane
    from explorer.ui.widgets.history_pane import HistoryPane
    from explorer.ui.widgets.run_results import RunResults


_CATALOGUE = "explorer.ui.widgets.catalogue_pane:CataloguePane"
_OPERATION = "explorer.ui.widgets.operation_details:OperationDetails"


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
        Binding("f3", "history", "History", id="history.show", show=False),
        Binding("f5", "variables", "Variables", id="variables.show", show=False),
        Binding("f7", "all_pages", "All pages", id="request.all_pages", show=False),
        # One key per pane, in `panes()` order, with priority: one key away from anywhere, the URL included.
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
        self.edits = RequestEditController(self, self.collections)
        self.values = CaptureController(self, session, self.collections)
        self.history = HistoryController(
            self, session, collections=self.collections, save_new=self.edits.save_new, show_response=self._show_response
        )
        self.opener = CollectionOpener(self, self.collections)
        self.catalogue = CatalogueController(
            self,
            session,
            demo=settings.demo,
            collection=lambda: self.collection,
            variables=self.values.profile_variables,
            open_request=self.collections.load_request,
            variables_changed=self.values.update_composer,
        )
        self.requests = RequestController(
            self,
            session,
            variables=self.values.send_variables,
            show_response=self._show_response,
            explain=self.catalogue.explain,
            answered=self._answered,
            sending=self.history.sending,
            when_captured=self.values.when_captured,
        )
        self.replays = ReplayController(self, session, self.collections)
        self.pane_keys = PaneController(self, sidebar_rooms=self.sidebar_rooms, result_rooms=self.result_rooms)
        self.save_body = SaveBody(self)
        self.save_har = SaveHar(self, session)

    @property
    def collection(self) -> Collection | None:
        """The collection on screen."""
        return self.collections.collection

    # -- layout --------------------------------------------------------------------------------------------

    def sidebar_rooms(self) -> list[Room]:
        """The panes below the profiles and the token; a second one turns the area into tabs."""
        tree = Room("tab-collection", "Collection", lambda: CollectionTree(self.collection, id="tree"), pane_id="tree")
        rooms = [tree]
        if self.catalogue.available():
            rooms.append(lazy_room("tab-catalogue", "Catalogue", _CATALOGUE, pane_id="catalogue"))
        return rooms

    def result_rooms(self) -> list[Room]:
        """The panes below the composer."""
        rooms = [
            Room("tab-response", "Response", lambda: ResponsePane(id="response"), pane_id="response"),
            lazy_room("tab-replay", "Replay", "explorer.ui.widgets.run_results:RunResults", pane_id="run-results"),
            lazy_room("tab-history", "History", "explorer.ui.widgets.history_pane:HistoryPane", pane_id="history"),
        ]
        if self.catalogue.available():
            rooms.append(lazy_room("tab-operation", "Operation", _OPERATION, pane_id="operation"))
        return rooms

    def compose(self) -> ComposeResult:
        # The layout's size classes, set before the panes mount: Textual sets them on the first resize, which
        # otherwise restyles every widget of the screen just before the first frame.
        self.update_classes(breakpoint_classes(self.app))
        yield TopBar(id="topbar")
        with Horizontal(id="body"):
            with Vertical(id="sidebar"):
                yield self.profiles.build_list()
                yield self.profiles.build_token_panel()
                yield from compose_rooms(self.sidebar_rooms(), id="sidebar-rooms")
            with Vertical(id="workspace"):
                composer = RequestComposer(id="composer")
                self.collections.load_first(composer)
                yield composer
                yield from compose_rooms(self.result_rooms(), id="results")
        yield KeysFooter()

    async def on_mount(self) -> None:
        if self._pygments_style:
            self.query_one(ResponsePane).set_pygments_style(self._pygments_style)
        self.collections.show_first()
        self.set_interval(1, self.tokens.auto_refresh_tick, name="token-auto-refresh")
        self.profiles.show_first()

    async def on_unmount(self) -> None:
        await self.session.close()
        await asyncio.to_thread(self.history.close)

    def on_resize(self, event: events.Resize) -> None:
        skip_same_size_resize(self, event)  # textual_compat: layouts saved at start-up
        # A resize can hide the pane with the focus (the first one, the sidebar at 80x24).
        self.call_after_refresh(self.pane_keys.keep_focus_visible)

    def on_screen_resume(self, event: events.ScreenResume) -> None:  # textual_compat: a first-frame saving
        self._resumed = skip_first_resume_restyle(event, resumed_before=self._resumed)

    def _show_response(self) -> None:
        self.query_one("#results", Rooms).show("tab-response")

    # -- what panes ask for --------------------------------------------------------------------------------

    @on(ProfileList.ProfileSelected)
    def _on_profile_selected(self, message: ProfileList.ProfileSelected) -> None:
        self.profiles.selected(message.name)

    @on(TokenPanel.ActionRequested)
    def _on_token_action(self, message: TokenPanel.ActionRequested) -> None:
        self.tokens.run_action(message.action)

    @on(TokenUpdated)
    def _on_token_updated(self, message: TokenUpdated) -> None:
        if self.tokens.updated(message.profile, message.event):
            self.catalogue.token_changed()
            self.catalogue.update_scope_hint(self.query_one(RequestComposer).current_spec())
            self.refresh_bindings()

    @on(RequestComposer.SendRequested)
    @on(RequestComposer.Changed)
    @on(RequestComposer.CancelRequested)
    @on(MethodPicker.MenuRequested)
    @on(BodyView.SearchRequested)
    @on(ResponsePane.SaveRequested)
    @on(ResponsePane.HarRequested)
    @on(ResponsePane.CaptureRequested)
    @on(ResponsePane.FilterApplied)
    @on(ProfileList.ChangeRequested)
    @on(CollectionTree.RequestSelected)
    @on(CollectionTree.NewRequested)
    @on(CollectionTree.RenameRequested)
    @on(CollectionTree.DuplicateRequested)
    @on(CollectionTree.DeleteRequested)
    @on(CollectionTree.FolderEditRequested)
    @on(CollectionTree.OpenRequested)
    @on(CollectionTree.RunRequested)
    def _route(self, message: Message) -> None:
        """Hand what a pane asks for to the controller that does it (answered here: it goes no further)."""
        message.stop()
        match message:
            case RequestComposer.SendRequested():
                self.requests.send(message.spec)
            case RequestComposer.Changed():
                self.collections.edited()
                self.catalogue.update_scope_hint(message.spec)
            case RequestComposer.CancelRequested():
                self.requests.cancel()
            case MethodPicker.MenuRequested():
                self.requests.choose_method(message.picker)
            case BodyView.SearchRequested():
                self.requests.search(message.body_view)
            case ResponsePane.SaveRequested():
                self.save_body.save(message.record)
            case ResponsePane.HarRequested():
                self.save_har.save(message.record, self.query_one(RequestComposer).current_spec())
            case ProfileList.ChangeRequested():
                self.profiles.change(message.action, message.name)
            case ResponsePane.CaptureRequested():
                self.values.capture_from_body(message.line, message.body)
            case ResponsePane.FilterApplied():
                self.query_one(RequestComposer).set_filter(message.expression)
            case CollectionTree.RequestSelected():
                self.collections.opened(message.index, message.spec)
                self.catalogue.update_scope_hint(message.spec)
            case CollectionTree.NewRequested():
                self.collections.new_request(message.folder)
            case CollectionTree.RenameRequested():
                self.edits.rename(message.index)
            case CollectionTree.DuplicateRequested():
                self.edits.duplicate(message.index)
            case CollectionTree.DeleteRequested():
                self.edits.delete(message.index)
            case CollectionTree.FolderEditRequested():
                self.folders.edit(message.action, message.folder, message.index)
            case CollectionTree.OpenRequested():
                self.opener.open()
            case CollectionTree.RunRequested():
                self.replays.replay(message.folder)

    # The lazily built panes' messages are handled by name rather than with @on, so that their modules are
    # imported with their first use, not at start-up.

    def on_catalogue_pane_operation_highlighted(self, message: CataloguePane.OperationHighlighted) -> None:
        message.stop()
        self.catalogue.show_details(message.operation)

    def on_catalogue_pane_open_requested(self, message: CataloguePane.OpenRequested) -> None:
        message.stop()
        self.catalogue.open(message.operation)
        self.catalogue.update_scope_hint(self.query_one(RequestComposer).current_spec())

    def on_catalogue_pane_ready(self, message: CataloguePane.Ready) -> None:
        message.stop()
        self.catalogue.reload()

    def on_run_results_result_selected(self, message: RunResults.ResultSelected) -> None:
        message.stop()
        self.replays.open_result(message.index)

    def on_history_pane_search(self, message: HistoryPane.Search) -> None:
        message.stop()
        self.history.search(message.text)

    def on_history_pane_chosen(self, message: HistoryPane.Chosen) -> None:
        message.stop()
        self.history.open(message.entry_id, save=message.save)

    def on_history_pane_compare_requested(self, message: HistoryPane.CompareRequested) -> None:
        message.stop()
        self.history.compare(message.first, message.second)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_worker_failure(self, event)
        # Only the screen's own workers decide its keys (widgets' workers, e.g. search, bubble up here too).
        over = event.state in (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED)
        if over and event.worker.node is self:
            self.refresh_bindings()

    # -- actions (the bindings'): each is run by the controller that owns it --------------------------------

    action_send = runs("requests.send_composed")
    action_all_pages = runs("requests.send_composed", all_pages=True)
    action_cancel_request = runs("requests.cancel")
    action_catalogue = runs("catalogue.show")
    action_token_fetch = runs("tokens.fetch_now")
    action_token_copy = runs("tokens.copy")
    action_token_details = runs("tokens.details")
    action_token_forget = runs("tokens.forget")
    action_save = runs("edits.save")
    action_replay = runs("replays.replay")
    action_history = runs("history.show")
    action_variables = runs("values.show")
    action_toggle_sidebar = runs("pane_keys.toggle_sidebar")
    action_jump = runs("pane_keys.jump")
    action_maximize_pane = runs("pane_keys.maximize")
    action_help = runs("pane_keys.help")

    def action_focus_url(self) -> None:
        self.query_one(RequestComposer).focus_url(select=True)

    def action_copy_curl(self) -> None:
        self.query_one(RequestComposer).action_copy_curl()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "catalogue":
            # Hidden, not greyed out, without a description: the footer stays as it was.
            return self.catalogue.available()
        if action == "cancel_request":
            return self.requests.busy
        if action == "send":
            # Before the session has started, the profile it will open decides (so the footer does not change); in
            # the demo, the sandbox's profiles are on their way, and a send waits for them.
            waiting_for_demo = self.settings.demo and not self.session.ready
            return True if self.session.shown_profile is not None or waiting_for_demo else None
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
        yield from bound_commands(self.app, self.palette_nodes(), cast("ExplorerApp", self.app).keymap)
        yield from self.pane_keys.palette_commands()
        sources = (self.catalogue, self.tokens, self.profiles, self.collections, self.edits, self.folders, self.opener)
        for source in (*sources, self.replays, self.history, self.values, self.requests):
            yield from source.palette_commands()

    # -- what changed --------------------------------------------------------------------------------------

    def _answered(self, plan: SendPlan, record: ResponseRecord | None, error: ExplorerError | None) -> None:
        self.history.answered(plan, record, error)
        if record is not None:
            self.values.take(plan.spec, record)

    def profile_changed(self) -> None:
        """The shown profile changed: the top bar, the composer's variables and token preview follow."""
        self.profiles.show_active()
        self.values.update_composer()
        self.tokens.update_preview()
        self.catalogue.profile_changed()

    def collection_changed(self) -> None:
        """The collection on screen changed (saved, edited)."""
        self.values.update_composer()
        self.catalogue.collection_changed()
        self.query_one(TopBar).show_collection(self.collection)
        self.refresh_bindings()

    def set_pygments_style(self, name: str) -> None:
        """The Pygments style bodies are highlighted with (the theme's)."""
        self._pygments_style = name
        if self.is_mounted:
            self.query_one(ResponsePane).set_pygments_style(name)
