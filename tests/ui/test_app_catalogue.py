"""The catalogue in the app: f4 shows the sandbox's operations, Enter opens one in the composer, the composer
warns about a scope the token lacks, and the response pane explains the 403."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Static

from explorer.sandbox import SandboxServer
from explorer.ui.dialogs.path_params import PathParamsDialog
from explorer.ui.widgets.catalogue_list import CatalogueList
from explorer.ui.widgets.catalogue_pane import CataloguePane
from explorer.ui.widgets.composer import RequestComposer
from explorer.ui.widgets.operation_details import OperationDetails
from explorer.ui.widgets.response import ResponsePane

from .conftest import SIZE, AppFactory, Notes, wait_until


def reader_profiles(tmp_path: Path, sandbox: SandboxServer) -> Path:
    base = sandbox.base_url
    path = tmp_path / "profiles.toml"
    path.write_text(
        f"""default_profile = "reader"

[profiles.reader]
tenant = "demo-sandbox"
client_id = "read-only"
client_secret = "read-only-secret"
auth_url = "{base}"
api_url = "{base}/api/demo-sandbox"
openapi = "{base}/api/demo-sandbox/openapi.json"
"""
    )
    return path


async def test_catalogue_opens_an_operation_warns_and_explains_the_403(
    build_app: AppFactory, tmp_path: Path, sandbox: SandboxServer
) -> None:
    app = build_app(config=reader_profiles(tmp_path, sandbox))
    async with app.run_test(size=SIZE) as pilot:
        main = app.main
        await wait_until(pilot, lambda: main.session.shown_token() is not None, "a token")
        await pilot.press("f4")
        await wait_until(pilot, lambda: main.catalogue.catalogue is not None, "the catalogue")
        pane = main.query_one(CataloguePane)
        listed = pane.query_one(CatalogueList)
        assert listed.operation_count == len(main.catalogue.catalogue.operations) == 20
        rows = [listed.render_line(y).text for y in range(len(listed.rows))]
        assert any(row.startswith("✗POST") and "/api/v1/taxes/preview" in row for row in rows)
        assert any(row.startswith(" GET") and "/api/v1/orders/{order_id}" in row for row in rows)
        # Filter as you type, then Enter leaves the filter and Enter opens the operation.
        await pilot.press(*"taxes")
        await pilot.pause()
        assert listed.operation_count == 1
        details = main.query_one(OperationDetails)
        await wait_until(pilot, lambda: "taxes:preview" in str(details.query_one(Static).render()), "details")
        assert "missing" in str(details.query_one(Static).render())
        await pilot.press("enter", "enter")
        composer = main.query_one(RequestComposer)
        await wait_until(pilot, lambda: composer.current_spec().method == "POST", "the request in the composer")
        spec = composer.current_spec()
        assert spec.url == "{{api_url}}/api/v1/taxes/preview"
        assert '"shipping_address"' in spec.body and spec.expect.status == 200
        resolved = composer.query_one("#resolved", Static)
        assert "the token lacks taxes:preview" in str(resolved.render())
        # Sent anyway: the answer is a 403, and the response pane says why and what to do.
        await pilot.press("ctrl+j")
        response = main.query_one(ResponsePane)
        await wait_until(pilot, lambda: response.record is not None, "the answer")
        assert response.record is not None and response.record.status == 403
        doctor = response.query_one("#response-doctor", Static)
        assert doctor.display
        text = str(doctor.render())
        assert "the token lacks the scope taxes:preview" in text
        assert "Add taxes:preview to the API client read-only" in text and "ctrl+t" in text


async def test_catalogue_path_parameters_become_variables(
    build_app: AppFactory, tmp_path: Path, sandbox: SandboxServer
) -> None:
    app = build_app(config=reader_profiles(tmp_path, sandbox))
    async with app.run_test(size=SIZE) as pilot:
        main = app.main
        # The scope hint below needs the token's scopes: wait for the token as a user would see it.
        await wait_until(pilot, lambda: main.session.shown_token() is not None, "a token")
        await pilot.press("f4")
        await wait_until(pilot, lambda: main.catalogue.catalogue is not None, "the catalogue")
        await pilot.press(*"getorder", "enter", "enter")
        composer = main.query_one(RequestComposer)
        await wait_until(pilot, lambda: "order_id" in composer.current_spec().url, "the request")
        assert composer.current_spec().url == "{{api_url}}/api/v1/orders/{{order_id}}"
        assert "✓ orders:read" in str(composer.query_one("#resolved", Static).render())
        # {{order_id}} has no value yet: the path parameters are asked for, with what the spec says of them.
        await wait_until(pilot, lambda: isinstance(app.screen, PathParamsDialog), "the path parameters")
        dialog = app.screen
        labels = " ".join(str(label.render()) for label in dialog.query(".path-param--label"))
        assert "{{order_id}}" in labels and "string" in labels
        await pilot.press(*"ord-000007", "enter")
        await wait_until(pilot, lambda: main.session.captured.get("order_id") == "ord-000007", "the value kept")
        assert app.screen is not dialog
        resolved = str(composer.query_one("#resolved", Static).render())
        await wait_until(
            pilot, lambda: "/orders/ord-000007" in str(composer.query_one("#resolved", Static).render()), resolved
        )
        # Opened again, the value is known: nothing is asked.
        await pilot.press("f4")
        catalogue = main.query_one(CataloguePane)
        catalogue.query_one(Input).focus()
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, PathParamsDialog)


async def test_path_parameters_left_for_later_leave_the_request_open(
    build_app: AppFactory, tmp_path: Path, sandbox: SandboxServer, notes: Notes
) -> None:
    app = build_app(config=reader_profiles(tmp_path, sandbox))
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        main = app.main
        await pilot.press("f4")
        await wait_until(pilot, lambda: main.catalogue.catalogue is not None, "the catalogue")
        await pilot.press(*"getorder", "enter", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, PathParamsDialog), "the path parameters")
        await pilot.press("escape")
        await wait_until(pilot, lambda: notes.find("Path parameters") is not None, "the note")
        note = notes.find("Path parameters")
        assert note is not None and "{{order_id}}" in note.message
        assert "order_id" not in main.session.captured
        assert main.query_one(RequestComposer).current_spec().url.endswith("/orders/{{order_id}}")


async def test_no_description_no_catalogue_tab(build_app: AppFactory, profiles_file: Path) -> None:
    app = build_app(config=profiles_file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not app.main.query("#catalogue") and app.main.check_action("catalogue", ()) is False
