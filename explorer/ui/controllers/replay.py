"""Replaying the collection (or one folder of it) with the active profile, into the tree and the results table.

The session plans the replay and says what to ask on production (`Session.plan_replay`); this controller asks,
runs the requests in a worker, marks each in the tree and fills the replay results.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.screen import Screen

from explorer.app.session import Session
from explorer.core.errors import ExplorerError
from explorer.core.model import RequestSpec
from explorer.ui.controllers.base import Controller
from explorer.ui.controllers.collection import CollectionController
from explorer.ui.controllers.requests import confirm_dialog
from explorer.ui.palette import PaletteCommand
from explorer.ui.screens.rooms import open_room
from explorer.ui.widgets.collection_tree import CollectionTree

if TYPE_CHECKING:
    # The runner and the results table are imported when a replay starts.
    from explorer.core.runner import RunResult
    from explorer.ui.widgets.run_results import RunResults


class ReplayController(Controller):
    """Replays, and opening the request behind a row of the results."""

    def __init__(
        self,
        screen: Screen[Any],
        session: Session,
        collections: CollectionController,
    ) -> None:
        super().__init__(screen)
        self.session = session
        self.collections = collections
        # Where each row of the last replay's results is in the collection.
        self._replayed: tuple[int, ...] = ()

    async def _results(self) -> RunResults:
        """The replay results pane, built the first time it is needed, brought to the front."""
        return await open_room(self.screen, "results", "tab-replay")  # type: ignore[return-value]

    def replay(self, folder: str | None = None) -> None:
        """Replay every request of the collection, or those of `folder`."""
        if self.session.when_ready(partial(self.replay, folder)):
            return
        if self.session.active_engine is None:
            self.notify("Choose a profile on the left first.", title="No profile", severity="warning")
            return
        collection = self.collections.collection
        if collection is None or not collection.requests:
            self.notify("Open a collection with --collection FILE, or save a request.", title="Nothing to replay")
            return
        self.run(self._replay(folder), name="Replay", group="replay", exclusive=True)

    def open_result(self, row: int) -> None:
        """Open the request behind row `row` of the results."""
        if 0 <= row < len(self._replayed):
            self.collections.open(self._replayed[row])

    async def _replay(self, folder: str | None) -> None:
        from explorer.core.runner import run_requests

        collection = self.collections.collection
        if collection is None:
            return
        try:
            plan = self.session.plan_replay(collection, folder)
        except ExplorerError as exc:
            self.notify_error(exc)
            return
        if plan is None:
            return
        if plan.confirmation is not None and not await self.app.push_screen_wait(confirm_dialog(plan.confirmation)):
            return
        positions = {id(spec): i for i, spec in enumerate(collection.requests)}
        order = {id(spec): i for i, spec in enumerate(plan.requests)}
        self._replayed = tuple(positions[id(spec)] for spec in plan.requests)
        tree = self.screen.query_one(CollectionTree)
        results = await self._results()
        tree.clear_results()
        results.start([r.name for r in plan.requests])
        engine = plan.engine
        fetches = engine.tokens.fetches

        def started(spec: RequestSpec) -> None:
            tree.mark_running(positions[id(spec)])

        def finished(result: RunResult) -> None:
            status = result.response.status if result.response is not None else None
            tree.mark_result(positions[id(result.request)], status, result.passed, result.elapsed)
            results.update_result(order[id(result.request)], status, result.elapsed, result.passed, _detail(result))

        # Captured values carry over between the replay and the rest of the session, both ways.
        captured = self.session.captured
        outcome = await run_requests(
            engine, collection, plan.requests, on_start=started, on_result=finished, captured=captured
        )
        fetched = engine.tokens.fetches - fetches
        results.finish(fetched)
        passed = sum(r.passed for r in outcome)
        self.screen.notify(
            f"{passed} of {len(outcome)} met expectations; {fetched} token fetch{'es' if fetched != 1 else ''}.",
            title="Replay finished",
            severity="information" if passed == len(outcome) else "warning",
        )

    def check(self) -> bool | None:
        """Whether a replay applies now (None: greyed, there is nothing to replay)."""
        collection = self.collections.collection
        return True if collection is not None and collection.requests else None

    def palette_commands(self) -> Iterable[PaletteCommand]:
        """One entry a folder (replaying everything is the bound action)."""
        collection = self.collections.collection
        if collection is None or not collection.requests or self.session.active is None:
            return
        for folder in collection.folders():
            yield PaletteCommand(
                f"collection: replay {folder}", f"Replay the requests in {folder}", partial(self.replay, folder)
            )


def _detail(result: RunResult) -> str:
    if result.error is not None:
        return f"{result.error.title}: {result.error.message}"
    detail = result.expectation
    if result.response is not None and result.response.retried_after_rejection:
        detail += " (token replaced after a rejection)"
    return detail
