"""The catalogue: reading the active API description, the token's scopes on its operations, opening one in the
composer, and the scope doctor's word on the composer's request and on a 401 or 403.

The description is read in a worker (a fetched one comes from the cache, a big one is parsed in a thread that
hands the interpreter back between path items); the pane only shows what it is given.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.screen import Screen

from explorer.app.session import Session
from explorer.core.errors import ExplorerError
from explorer.core.http import ResponseRecord
from explorer.core.load_scope import LoadScope
from explorer.core.model import Collection, RequestSpec
from explorer.core.tokens import Token
from explorer.ui.controllers.base import Controller
from explorer.ui.palette import PaletteCommand
from explorer.ui.panes import show_sidebar
from explorer.ui.screens.rooms import Rooms
from explorer.ui.widgets.composer import RequestComposer

if TYPE_CHECKING:
    # The description reader is imported when a catalogue is first shown: start-up does not pay for it.
    from explorer.app.catalogue import CatalogueStore
    from explorer.core.engine import Engine
    from explorer.core.openapi.model import Catalogue, Operation
    from explorer.core.scope_doctor import Doctor
    from explorer.ui.widgets.catalogue_pane import CataloguePane
    from explorer.ui.widgets.operation_details import OperationDetails

GROUP = "catalogue"


class CatalogueController(Controller):
    def __init__(
        self,
        screen: Screen[Any],
        session: Session,
        *,
        demo: bool,
        collection: Callable[[], Collection | None],
        variables: Callable[[], dict[str, str]],
        open_request: Callable[[RequestSpec], None],
        variables_changed: Callable[[], object] = lambda: None,
    ) -> None:
        """
        Args:
            demo: The demo's profiles have an API description (before the sandbox has started and offered them).
            collection: The collection on screen (its `openapi` wins over the profile's).
            variables: The variables a request is sent with (to tell which path variables need a value).
            open_request: Load a request into the composer.
            variables_changed: Called when path parameters asked for became session values.
        """
        super().__init__(screen)
        self.session = session
        self._store: CatalogueStore | None = None
        self._demo = demo
        self._collection = collection
        self._variables = variables
        self._open_request = open_request
        self._variables_changed = variables_changed
        self.location = ""
        self.catalogue: Catalogue | None = None
        self.doctor: Doctor | None = None
        self._highlighted: Operation | None = None

    def available(self) -> bool:
        """Whether an API description can be set: the demo's profiles have one, and so may the user's files.
        Without one the layout (and the start-up) stays as it was."""
        collection = self._collection()
        return (
            self._demo
            or any(p.openapi for p in self.session.profiles.profiles.values())
            or (collection is not None and bool(collection.openapi))
        )

    def _pane(self) -> CataloguePane | None:
        """The Catalogue pane, when it has been built."""
        panes = self.screen.query("#catalogue")
        return panes.first() if panes else None  # type: ignore[return-value]

    async def _details(self) -> OperationDetails | None:
        """The details pane, built and brought to the front (None where the layout has none)."""
        areas = self.screen.query("#results")
        if not areas or "tab-operation" not in areas.first(Rooms).rooms:
            return None
        area = areas.first(Rooms)
        details = await area.pane("tab-operation")
        area.show("tab-operation")
        return details  # type: ignore[return-value]

    async def show(self) -> None:
        """Bring the Catalogue to the front (building it the first time) and put the cursor in its filter."""
        areas = self.screen.query("#sidebar-rooms")
        if not areas:
            return
        area = areas.first(Rooms)
        # The catalogue lives in the sidebar: show it, where the user or a narrow screen had hidden it.
        show_sidebar(self.screen, True)
        pane = await area.pane("tab-catalogue")
        area.show("tab-catalogue")
        pane.action_focus_filter()  # type: ignore[attr-defined]

    def profile_changed(self) -> None:
        """Another profile is shown: its description (once the pane is built)."""
        if self._pane() is not None:
            self.reload()

    def collection_changed(self) -> None:
        """The collection changed: read the description again if it now names another one."""
        from explorer.app.catalogue import spec_location

        if self._pane() is None:
            return
        if self.location != spec_location(self.session.shown_profile, self._collection()):
            self.reload()

    def update_scope_hint(self, spec: RequestSpec) -> None:
        """The composer's word on the scopes `spec` needs."""
        text, warning = self.scope_hint(spec)
        self.screen.query_one(RequestComposer).set_scope_hint(text, warning=warning)

    def palette_commands(self) -> Iterable[PaletteCommand]:
        if self.available():
            yield PaletteCommand(
                "catalogue: refresh",
                "Read the API description again (fetch it anew)",
                partial(self.reload, refresh=True),
            )

    @property
    def store(self) -> CatalogueStore:
        if self._store is None:
            from explorer.app.catalogue import CatalogueStore

            self._store = CatalogueStore()
        return self._store

    # -- what the active profile's token allows ------------------------------------------------------------

    def token(self) -> Token | None:
        return self.session.shown_token()

    def granted(self) -> tuple[str, ...] | None:
        """The token's scopes; None when there is no token yet, or it is a legacy client's (nothing to check)."""
        token = self.token()
        if token is None or token.is_legacy:
            return None
        return token.scopes

    # -- loading -------------------------------------------------------------------------------------------

    def reload(self, *, refresh: bool = False) -> None:
        """Read the description of the active profile or collection (again with `refresh`)."""
        from explorer.app.catalogue import spec_location

        profile = self.session.shown_profile
        location = spec_location(profile, self._collection())
        if location and location == self.location and not refresh and self.running(GROUP):
            return  # already on its way
        self.location = location
        pane = self._pane()
        if not location:
            self.catalogue = None
            self.doctor = None
            if pane is not None:
                pane.show_none(
                    'No API description. Set openapi = "https://…/openapi.json" (or a file) in the profile '
                    "or the collection."
                )
            return
        cached = None if refresh else self.store.get(location)
        if cached is not None:
            self._loaded(location, cached)
            return
        if pane is not None:
            pane.show_loading(location)
        self.run(self._load(location, refresh), name="Read the API description", group=GROUP, exclusive=True)

    async def _load(self, location: str, refresh: bool) -> None:
        engine = self.session.active_engine

        async def bearer() -> str:
            if engine is None:
                raise ExplorerError("No profile is active to fetch a token with.")
            return (await engine.token()).access_token

        try:
            with LoadScope():
                catalogue = await self.store.load(location, self.session.client, token=bearer, refresh=refresh)
        except ExplorerError as exc:
            pane = self._pane()
            if pane is not None:
                pane.show_error(f"{exc.title}: {exc}")
            self.notify_error(exc)
            return
        if location == self.location:
            self._loaded(location, catalogue)
            if catalogue.problems:
                self.notify(catalogue.problem_summary(), title="API description read in part", severity="warning")

    def _loaded(self, location: str, catalogue: Catalogue) -> None:
        from explorer.core.scope_doctor import REFETCH_TUI, Doctor

        self.catalogue = catalogue
        profile = self.session.shown_profile
        self.doctor = Doctor(
            catalogue,
            api_url=profile.api_url if profile else "",
            client_id=profile.client_id if profile else "",
            requested=profile.scopes if profile else (),
            refetch=REFETCH_TUI,
        )
        pane = self._pane()
        if pane is not None:
            pane.show_catalogue(catalogue)
            pane.set_granted(self.granted())

    def token_changed(self) -> None:
        pane = self._pane()
        if pane is not None and self.catalogue is not None:
            pane.set_granted(self.granted())

    # -- operations ----------------------------------------------------------------------------------------

    def show_details(self, op: Operation | None) -> None:
        self._highlighted = op
        if op is not None:
            self.run(self._show_details(op), name="Show an operation", group="catalogue-details", exclusive=True)

    async def _show_details(self, op: Operation) -> None:
        details = await self._details()
        if details is not None and op is self._highlighted:
            token = self.token()
            details.show(op, self.granted(), legacy=token is not None and token.is_legacy)

    def open(self, op: Operation) -> None:
        """Open `op` in the composer; when a path variable has no value yet, ask for the path parameters."""
        from explorer.app.catalogue import open_operation

        variables = self._variables()
        opened = open_operation(op, variables)
        self._open_request(opened.request)
        if opened.unknown:
            self.run(self._ask_path_params(op, variables), name="Path parameters", group="catalogue-path-params")

    async def _ask_path_params(self, op: Operation, variables: dict[str, str]) -> None:
        from explorer.app.catalogue import path_params
        from explorer.ui.dialogs.path_params import PathParam, PathParamsDialog

        params = [PathParam(p.name, p.value, p.about) for p in path_params(op, variables)]
        values = await self.app.push_screen_wait(PathParamsDialog(f"{op.method} {op.path}", params))
        if values:
            # Session values: they win over the profile's and the collection's, and f5 lists and edits them.
            self.session.captured.update(values)
            self._variables_changed()
        missing = [param.name for param in params if not (values or {}).get(param.name)]
        if missing and not all(name in variables for name in missing):
            listed = ", ".join(f"{{{{{name}}}}}" for name in missing if name not in variables)
            self.notify(f"{listed} has no value yet: f5 sets it, or edit the URL.", title="Path parameters")

    # -- the scope doctor ----------------------------------------------------------------------------------

    def scope_hint(self, spec: RequestSpec) -> tuple[str, bool]:
        """What the composer says about `spec`'s scopes ("" when nothing), and whether it is a warning."""
        if self.doctor is None:
            return "", False
        token = self.token()
        check = self.doctor.check(spec.method, spec.url, token)
        if not check.needed:
            return "", False
        needed = " ".join(check.needed)
        if check.missing:
            return f"the token lacks {' '.join(check.missing)}", True
        if check.legacy:
            return f"needs {needed}; a legacy client: scopes not checked", False
        if check.granted is None:
            return f"needs {needed}", False
        return f"✓ {needed}", False

    def explain(self, record: ResponseRecord, engine: Engine | None) -> list[str] | None:
        """The scope doctor's lines for a 401 or 403 (None for any other answer)."""
        if record.status not in (401, 403):
            return None
        from explorer.core.scope_doctor import Doctor

        profile = self.session.shown_profile
        doctor = self.doctor or Doctor(
            None,
            api_url=profile.api_url if profile else "",
            client_id=profile.client_id if profile else "",
            requested=profile.scopes if profile else (),
        )
        token = engine.tokens.token if engine is not None else self.token()
        denial = doctor.explain(record, token)
        return denial.lines() if denial is not None else None
