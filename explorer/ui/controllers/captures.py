"""Values carried from one answer to the next in the app: `[requests.capture]` after each send, a value taken by
hand from the body (the line under the cursor, or a jq path), and the Variables view that lists them.

Captured values live in the session (`Session.captured`) and are `{{name}}` for every later send and replay.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from textual.screen import Screen

from explorer.core.http import variables_for
from explorer.core.placeholders import VARIABLE_NAME, variable_name_problem
from explorer.ui.controllers.base import Controller
from explorer.ui.palette import PaletteCommand
from explorer.ui.widgets.composer import RequestComposer

if TYPE_CHECKING:
    from explorer.app.session import Session
    from explorer.core.checks import CheckFailure
    from explorer.core.http import ResponseRecord
    from explorer.core.model import RequestSpec
    from explorer.ui.controllers.collection import CollectionController

# `"key": value,` on a pretty-printed JSON line.
_JSON_LINE = re.compile(r'^\s*(?:"((?:[^"\\]|\\.)*)"\s*:\s*)?(.*?),?\s*$')


def value_of_line(line: str) -> tuple[str, str]:
    """The key (or "") and the value on one line of a pretty-printed JSON body; other text is the value."""
    found = _JSON_LINE.match(line)
    if found is None:
        return "", line.strip()
    key, raw = found.group(1) or "", found.group(2).strip()
    try:
        value = json.loads(raw)
    except ValueError:
        return key, raw
    if isinstance(value, str):
        return key, value
    return key, json.dumps(value, ensure_ascii=False)


class CaptureController(Controller):
    """Take captures after a send; capture by hand; show the Variables view."""

    def __init__(self, screen: Screen[Any], session: Session, collections: CollectionController) -> None:
        super().__init__(screen)
        self.session = session
        self._collections = collections
        # Answers whose captures are still being taken, and what waits for them (a send).
        self._pending = 0
        self._after: list[Callable[[], object]] = []

    # -- the variables a request sees ----------------------------------------------------------------------

    def send_variables(self) -> dict[str, str]:
        """The collection's variables a request is sent with (the session adds the values captured earlier: see
        `variables_for`)."""
        return dict(self._collections.variables)

    def profile_variables(self) -> dict[str, str]:
        """Every variable as the shown profile's engine sees them (Engine.variables), without waiting for it."""
        profile = self.session.shown_profile
        variables, captured = self._collections.variables, self.session.captured
        return variables_for(profile, variables, captured) if profile is not None else {**variables, **captured}

    def update_composer(self) -> None:
        """Tell the composer every variable it can offer."""
        self.screen.query_one(RequestComposer).set_variables(self.profile_variables())

    # -- captures ------------------------------------------------------------------------------------------

    def take(self, spec: RequestSpec, record: ResponseRecord) -> None:
        """Apply the request's `[requests.capture]` to its answer."""
        if not spec.capture:
            return
        capture = dict(spec.capture)

        def work() -> None:
            # Imported with the first capture: jq is not needed to start the app. On a thread: a jq capture on a
            # body of megabytes takes a while.
            from explorer.core.checks import take_captures

            try:
                values, failures = take_captures(capture, record)
            except BaseException:
                self.app.call_from_thread(self._settled)
                raise
            self.app.call_from_thread(self._taken, values, failures)

        self._pending += 1
        self.run_in_thread(work, name="Captures", group="captures")

    def when_captured(self, then: Callable[[], object]) -> bool:
        """True when an answer's captures are still being taken: `then` runs once they are in."""
        if not self._pending:
            return False
        self._after.append(then)
        return True

    def _settled(self) -> None:
        self._pending -= 1
        if not self._pending:
            waiting, self._after = self._after, []
            for then in waiting:
                then()

    def _taken(self, values: dict[str, str], failures: list[CheckFailure]) -> None:
        try:
            self._keep(values, failures)
        finally:
            self._settled()

    def _keep(self, values: dict[str, str], failures: list[CheckFailure]) -> None:
        self.session.captured.update(values)
        if values:
            listed = ", ".join(f"{name} = {value[:40]}" for name, value in values.items())
            self.notify(listed, title="Captured")
            self.update_composer()
        for failure in failures:
            self.notify(failure.message(), title="Capture found nothing", severity="warning")

    def capture_from_body(self, line: str, body: bytes) -> None:
        """Ask for a value (the line's, or a jq path on the body) and a name, then keep it."""
        key, value = value_of_line(line)
        self.run(self._capture_flow(key, value, body), name="Capture", group="capture", exclusive=True)

    async def _capture_flow(self, key: str, value: str, body: bytes) -> None:
        from explorer.ui.dialogs import TextPrompt

        answer = await self.app.push_screen_wait(
            TextPrompt(
                "Capture a value",
                "The value from the line under the cursor, or a jq path on the body (starting with a dot):",
                value=value,
                submit_label="Next",
            )
        )
        if answer is None:
            return
        if answer.startswith("."):
            from explorer.core.jqfilter import FilterError, as_text, first

            try:
                # On a thread: a jq path on a body of megabytes takes a while.
                found, result = await asyncio.to_thread(first, answer, body)
            except FilterError as exc:
                self.notify_error(exc)
                return
            if not found or result is None:
                self.notify(f"{answer} finds nothing in the body.", title="Nothing captured", severity="warning")
                return
            answer = as_text(result)
        suggested = key if key and VARIABLE_NAME.fullmatch(key) else ""
        name = await self.app.push_screen_wait(
            TextPrompt(
                "Capture a value",
                f"Name for {answer[:60]!r} ({{{{name}}}} in requests):",
                value=suggested,
                validator=variable_name_problem,
                submit_label="Capture",
            )
        )
        if not name:
            return
        self.session.captured[name.strip()] = answer
        self.update_composer()
        self.notify(f"{{{{{name.strip()}}}}} = {answer[:60]}", title="Captured")

    def show(self) -> None:
        from explorer.core.http import variable_sources
        from explorer.ui.dialogs.variables import VariablesDialog

        def closed(result: dict[str, str] | None) -> None:
            if result is not None and result != self.session.captured:
                self.session.captured.clear()
                self.session.captured.update(result)
                self.update_composer()

        others = variable_sources(self.session.shown_profile, dict(self._collections.variables))
        self.app.push_screen(VariablesDialog(dict(self.session.captured), others), closed)

    def palette_commands(self) -> Iterable[PaletteCommand]:
        yield PaletteCommand(
            "variables: show and edit", "Every {{variable}}; edit, add or remove this session's values (f5)", self.show
        )
