"""Sending the request in the composer: the session's plan, the production question, the send, its progress;
and the list of methods the composer's method picker asks for.

`send(spec)` is the one way to send a request from any pane (the composer, a catalogue, a history entry): the
session checks it (`Session.plan_send`) and says what to ask first; the answer shows in the response pane.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.screen import Screen

from explorer.app.sending import Confirmation, SendPlan
from explorer.app.session import Session
from explorer.core.errors import ExplorerError
from explorer.core.http import ResponseRecord
from explorer.core.load_scope import LoadScope
from explorer.core.model import RequestSpec
from explorer.ui.controllers.base import Controller
from explorer.ui.palette import PaletteCommand
from explorer.ui.widgets.composer import RequestComposer
from explorer.ui.widgets.method_picker import MethodPicker
from explorer.ui.widgets.response import CANCELLED_HINT, ResponsePane

if TYPE_CHECKING:
    from explorer.core.engine import Engine
    from explorer.core.http import ResponseRecord
    from explorer.ui.dialogs import ConfirmDialog
    from explorer.ui.widgets.body_view import BodyView

# The worker group of the request on its way (the screen's keys follow it).
GROUP = "request"


def confirm_dialog(confirmation: Confirmation) -> ConfirmDialog:
    """The dialog that asks what the session wants confirmed."""
    from explorer.ui.dialogs import ConfirmDialog

    return ConfirmDialog(
        confirmation.title,
        confirmation.question,
        confirm_label=confirmation.confirm_label,
        cancel_label=confirmation.cancel_label,
        danger=confirmation.danger,
    )


class RequestController(Controller):
    """Send, cancel and search the answer."""

    def __init__(
        self,
        screen: Screen[Any],
        session: Session,
        *,
        variables: Callable[[], dict[str, str]],
        show_response: Callable[[], object],
        explain: Callable[[ResponseRecord, Engine], list[str] | None] | None = None,
        answered: Callable[[SendPlan, ResponseRecord | None, ExplorerError | None], object] | None = None,
        sending: Callable[[], object] | None = None,
        when_captured: Callable[[Callable[[], object]], bool] | None = None,
    ) -> None:
        """
        Args:
            variables: The collection's variables at the moment of sending.
            show_response: Bring the response pane to the front.
            answered: Told what came back of each send (history, captures, the request's filter).
            sending: Told that a request is on its way (the history prepares to record it meanwhile).
            when_captured: True when values are still being captured from an answer; the callable given runs
                once they are in (a send waits for them, so `{{value}}` is the one just captured).
        """
        super().__init__(screen)
        self.session = session
        self._variables = variables
        self._show_response = show_response
        # The scope doctor: why a 401 or 403 happened, shown under the status line.
        self._explain = explain
        self._answered = answered
        self._sending = sending
        self._when_captured = when_captured

    @property
    def busy(self) -> bool:
        """Whether a request is on its way."""
        return self.running(GROUP)

    def send(self, spec: RequestSpec, *, all_pages: bool = False) -> None:
        """Send `spec` with the active profile, after asking first when it would change data in production.

        `all_pages` fetches every page (as `[requests.paginate]` says, else by offset and count) into one answer.
        """
        again = partial(self.send, spec, all_pages=all_pages)
        if self.session.when_ready(again) or (self._when_captured is not None and self._when_captured(again)):
            return
        if all_pages and spec.paginate is None:
            from explorer.core.model import Paginate

            spec = spec.copy(paginate=Paginate())
        elif not all_pages and spec.paginate is not None:
            # A plain send asks for one page; "fetch all pages" walks them.
            spec = spec.copy(paginate=None)
        try:
            # Unknown variables and a missing URL are reported before anything is asked or sent.
            plan = self.session.plan_send(spec, self._variables())
        except ExplorerError as exc:
            # Said once, in the response pane (brought to the front), not in a toast as well.
            self.screen.query_one(ResponsePane).show_error(exc)
            self._show_response()
            return
        if plan is None:
            self.notify("Choose a profile on the left first.", title="No profile", severity="warning")
            return
        if plan.confirmation is None:
            self._start(plan)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._start(plan)

        self.app.push_screen(confirm_dialog(plan.confirmation), answered)

    def send_composed(self, *, all_pages: bool = False) -> None:
        """Send the request in the composer."""
        self.send(self.screen.query_one(RequestComposer).current_spec(), all_pages=all_pages)

    def cancel(self) -> None:
        if not self.busy:
            return
        self.screen.workers.cancel_group(self.screen, GROUP)
        self.screen.query_one(ResponsePane).clear(CANCELLED_HINT)

    def choose_method(self, picker: MethodPicker) -> None:
        """Open the list of methods under the method picker that asked for it; the one picked goes in it."""
        from explorer.ui.dialogs.method_menu import MethodMenu  # only when first asked for: not at start-up

        def picked(method: str | None) -> None:
            if method is not None:
                picker.method = method
            picker.focus()

        self.app.push_screen(MethodMenu(picker.method, at=picker.region.offset), picked)

    def search(self, view: BodyView) -> None:
        """Ask what to find in a body, then find it there."""
        from explorer.ui.dialogs import TextPrompt

        def found(text: str | None) -> None:
            if text:
                view.search(text)

        self.app.push_screen(
            TextPrompt("Search the body", "Text to find (n and N go to the next and previous):"), found
        )

    def _start(self, plan: SendPlan) -> None:
        self.run(self._send(plan), name="Request", group=GROUP, exclusive=True)

    async def _send(self, plan: SendPlan) -> None:
        # Each step below changes only what it must: the footer's keys are worked out again once per change
        # (set_busy, and the end of this worker), and the response pane keeps its layout while loading.
        composer = self.screen.query_one(RequestComposer)
        response = self.screen.query_one(ResponsePane)
        self._show_response()
        composer.set_busy(True)
        response.show_loading(0, None)
        if self._sending is not None:
            self._sending()
        with LoadScope():
            try:
                if plan.spec.paginate is not None:
                    record = await self._all_pages(plan, response)
                else:
                    # The pane redraws its progress at most every PROGRESS_INTERVAL, however fast chunks arrive.
                    record = await plan.engine.send(
                        plan.spec, plan.variables, captured=plan.captured, on_progress=response.show_loading
                    )
            except ExplorerError as exc:
                response.show_error(exc)
                if self._answered is not None:
                    self._answered(plan, None, exc)
            else:
                response.show_response(record)
                response.show_explanation(self._explain(record, plan.engine) if self._explain else None)
                if self._answered is not None:
                    self._answered(plan, record, None)
                if plan.spec.filter:
                    response.apply_filter(plan.spec.filter)
                if record.retried_after_rejection:
                    self.notify(
                        "The API rejected the token; explorer fetched a new one and sent the request again.",
                        title="Token replaced",
                    )
            finally:
                composer.set_busy(False)

    async def _all_pages(self, plan: SendPlan, response: ResponsePane) -> ResponseRecord:
        from explorer.core.http import prepare
        from explorer.core.pagination import fetch_all

        paginate = plan.spec.paginate
        assert paginate is not None
        engine, variables = plan.engine, plan.engine.variables(plan.variables, plan.captured)

        async def send(spec: RequestSpec) -> ResponseRecord:
            return await engine.send_prepared(prepare(spec, variables))

        response.show_pages(1, 0, paginate.max_pages)
        pages = await fetch_all(
            plan.spec, paginate, send, on_page=lambda n, items: response.show_pages(n + 1, items, paginate.max_pages)
        )
        if pages.failed is not None:
            failed = pages.failed
            self.notify(
                f"Page {len(pages.pages) + 1} answered {failed.status} {failed.reason}; the pages before it are shown.",
                title="All pages",
                severity="warning",
            )
        return pages.response

    def palette_commands(self) -> Iterable[PaletteCommand]:
        if self.session.active_engine is not None:
            yield PaletteCommand(
                "request: fetch all pages",
                "Send and follow every page into one answer (f7)",
                partial(self.send_composed, all_pages=True),
            )
