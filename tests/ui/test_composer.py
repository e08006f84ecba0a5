"""The request composer: loading and reading back a request, the resolved URL, auth, sending and editing."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import App, ComposeResult
from textual.content import Content
from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import Button, Input, Static, Switch, TextArea

from explorer.core.model import Expect, RequestSpec
from explorer.ui.dialogs.method_menu import MethodMenu
from explorer.ui.widgets.composer import RequestComposer
from explorer.ui.widgets.key_values import KeyValueEditor
from explorer.ui.widgets.method_picker import MethodPicker
from explorer.ui.widgets.send_button import SendButton
from explorer.ui.widgets.tabbed import TabbedPanes, TabPane

from .conftest import AppFactory, Notes, wait_until

STYLES = Path(__file__).resolve().parents[2] / "explorer" / "ui" / "styles" / "widgets.tcss"

SPEC = RequestSpec(
    name="Create order",
    method="POST",
    url="{{api_url}}/v0/orders",
    params={"dry_run": "true"},
    headers={"X-Trace": "abc", "Accept": "application/json"},
    body='{"items": []}',
    content_type="application/json",
    auth=False,
    folder="Orders",
    description="Places an order",
    expect=Expect(status=201),
)


async def open_tab(pilot: Pilot[None], composer: RequestComposer, pane: str) -> None:
    """Open a tab of the composer and wait until its widgets (built on first opening) are there."""
    composer.query_one("#composer-tabs", TabbedPanes).active = pane
    tab = composer.query_one(f"#{pane}", TabPane)
    await wait_until(pilot, lambda: bool(tab.children) and all(c.is_mounted for c in tab.children), f"the {pane}")
    await pilot.pause()


class ComposerApp(App[None]):
    CSS_PATH = STYLES

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[Message] = []

    def compose(self) -> ComposeResult:
        yield RequestComposer()

    @on(RequestComposer.SendRequested)
    @on(RequestComposer.CancelRequested)
    @on(RequestComposer.Changed)
    @on(MethodPicker.MenuRequested)
    def record(self, message: Message) -> None:
        self.messages.append(message)

    @property
    def composer(self) -> RequestComposer:
        return self.query_one(RequestComposer)

    def sent(self) -> list[RequestSpec]:
        return [m.spec for m in self.messages if isinstance(m, RequestComposer.SendRequested)]


def text(static: Static) -> str:
    return str(static.visual)


async def test_load_then_current_spec_round_trips() -> None:
    app = ComposerApp()
    async with app.run_test(size=(120, 40)) as pilot:
        app.composer.load(SPEC)
        await pilot.pause()
        # The Headers, Body and Options tabs are built when first opened; the request round-trips without them.
        assert not app.composer.query("#body")
        assert app.composer.current_spec() == SPEC
        assert not app.composer.dirty
        tabs = app.composer.query_one("#composer-tabs", TabbedPanes)
        assert tabs.label("tab-headers") == "Headers (2)"
        assert tabs.label("tab-body") == "Body •"
        for pane in ("tab-headers", "tab-body", "tab-options"):
            tabs.active = pane
            await pilot.pause()
        # Built with the values loaded before they existed.
        body = app.composer.query_one("#body", TextArea)
        assert body.text == SPEC.body
        assert body.language == "json"
        assert app.composer.query_one("#headers", KeyValueEditor).value == SPEC.headers
        assert not app.composer.query_one("#auth-switch", Switch).value
        assert not app.composer.query_one("#auth-option", Switch).value
        assert app.composer.query_one("#expect", Input).value == "201"
        assert app.composer.query_one("#content-type", Input).value == "application/json"
        assert app.composer.current_spec() == SPEC
        assert not app.composer.dirty
        # Loading is not an edit, and neither is building a tab.
        await pilot.pause(0.5)
        assert not any(isinstance(m, RequestComposer.Changed) for m in app.messages)
        # Once built, a tab's widgets follow the next request loaded.
        other = RequestSpec(url="https://b", headers={"X-Other": "1"}, body="plain", auth=True)
        app.composer.load(other)
        await pilot.pause()
        assert body.text == "plain"
        assert body.language is None
        assert app.composer.query_one("#auth-switch", Switch).value
        assert app.composer.query_one("#expect", Input).value == ""
        assert app.composer.current_spec() == other


async def test_edits_in_lazily_built_tabs_reach_the_spec() -> None:
    app = ComposerApp()
    async with app.run_test(size=(120, 40)) as pilot:
        app.composer.load(RequestSpec(url="https://a"))
        tabs = app.composer.query_one("#composer-tabs", TabbedPanes)
        await open_tab(pilot, app.composer, "tab-options")
        app.composer.query_one("#expect", Input).focus()
        await pilot.press(*"204")
        await pilot.click("#auth-option")
        await open_tab(pilot, app.composer, "tab-body")
        app.composer.query_one("#body", TextArea).focus()
        await pilot.press(*"hi")
        await pilot.pause()
        spec = app.composer.current_spec()
        assert spec.expect.status == 204
        assert spec.auth is False
        assert spec.body == "hi"
        assert app.composer.dirty
        assert tabs.label("tab-body") == "Body •"
        # The Headers tab, built after the switch in Options was turned off, shows it off too.
        await open_tab(pilot, app.composer, "tab-headers")
        assert not app.composer.query_one("#auth-switch", Switch).value
        assert "not sent" in text(app.composer.query_one("#auth-value", Static))


async def test_load_before_mount_is_shown_once_mounted() -> None:
    composer = RequestComposer()
    composer.load(SPEC)

    class EarlyApp(App[None]):
        CSS_PATH = STYLES

        def compose(self) -> ComposeResult:
            yield composer

    async with EarlyApp().run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert composer.current_spec() == SPEC
        assert composer.query_one("#url", Input).value == SPEC.url


async def test_typing_a_url_updates_the_preview_and_flags_unknown_variables() -> None:
    app = ComposerApp()
    async with app.run_test(size=(120, 40)) as pilot:
        app.composer.set_variables({"api_url": "https://api.example/t"})
        app.composer.load(RequestSpec(params={"limit": "5"}))
        app.composer.focus_url()
        await pilot.press(*"{{api_url}}/{{id}}")
        await pilot.pause()
        preview = app.composer.query_one("#resolved", Static)
        assert "https://api.example/t/{{id}}?limit=5" in text(preview)
        assert "unknown: {{id}}" in text(preview)
        assert preview.has_class("-unknown")
        assert app.composer.dirty
        app.composer.set_variables({"api_url": "https://api.example/t", "id": "s1"})
        assert "https://api.example/t/s1?limit=5" in text(preview)
        assert "unknown" not in text(preview)
        assert not preview.has_class("-unknown")


async def test_ctrl_j_and_enter_in_the_url_send_the_edited_spec() -> None:
    app = ComposerApp()
    async with app.run_test(size=(120, 40)) as pilot:
        app.composer.load(RequestSpec(name="Stores", url="{{api_url}}/v0/stores"))
        app.composer.focus_url()
        await pilot.press("end", *"?x=1", "ctrl+j")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        sent = app.sent()
        assert len(sent) == 2
        assert sent[0].url == "{{api_url}}/v0/stores?x=1"
        assert sent[0].name == "Stores"
        assert sent[0].method == "GET"


async def test_changed_is_posted_once_typing_pauses() -> None:
    app = ComposerApp()
    async with app.run_test(size=(120, 40)) as pilot:
        app.composer.load(RequestSpec(url="https://a"))
        url = app.composer.query_one("#url", Input)
        # Two edits in a row, as fast typing makes them: only the last one is reported.
        url.value = "https://ab"
        url.value = "https://abc"
        await pilot.pause()
        assert app.composer.dirty
        await pilot.pause(0.6)
        changed = [m for m in app.messages if isinstance(m, RequestComposer.Changed)]
        assert [m.spec.url for m in changed] == ["https://abc"]
        # Undoing the edit makes the request clean again.
        url.value = "https://a"
        await pilot.pause()
        assert not app.composer.dirty


async def test_method_picker_takes_a_letter_and_arrows_move_on() -> None:
    app = ComposerApp()
    async with app.run_test(size=(120, 40)) as pilot:
        app.composer.load(RequestSpec(url="https://a"))
        picker = app.composer.query_one(MethodPicker)
        picker.focus()
        await pilot.press("p")
        assert app.composer.current_spec().method == "POST"
        await pilot.press("u")
        assert app.composer.current_spec().method == "PUT"
        await pilot.press("a")
        assert app.composer.current_spec().method == "PATCH"
        await pilot.press("d")
        assert app.composer.current_spec().method == "DELETE"
        await pilot.pause()
        assert picker.has_class("-delete")
        assert app.composer.dirty
        # Arrows never change the method: they move the focus along the row.
        await pilot.press("up", "down")
        assert app.composer.current_spec().method == "DELETE"
        await pilot.press("right")
        assert app.focused is app.composer.query_one("#url", Input)
        await pilot.press("shift+tab")
        assert app.focused is picker
        await pilot.press("left")
        assert app.focused is not picker


async def test_enter_on_the_method_asks_for_the_list() -> None:
    app = ComposerApp()
    async with app.run_test(size=(120, 40)) as pilot:
        picker = app.composer.query_one(MethodPicker)
        picker.focus()
        await pilot.press("enter")
        await pilot.pause()
        # The picker asks; the screen opens the list (below).
        assert [m.picker for m in app.messages if isinstance(m, MethodPicker.MenuRequested)] == [picker]
        assert not isinstance(app.screen, MethodMenu)


async def test_enter_on_the_method_opens_a_list_to_pick_from(build_app: AppFactory) -> None:
    app = build_app()
    async with app.run_test(size=(120, 40)) as pilot:
        composer = app.main.query_one(RequestComposer)
        composer.load(RequestSpec(url="https://a"))
        picker = composer.query_one(MethodPicker)
        picker.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MethodMenu)
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert composer.current_spec().method == "PUT"
        assert app.focused is picker
        # A letter in the list picks at once; Escape leaves the method as it was.
        await pilot.press("enter", "o")
        await pilot.pause()
        assert composer.current_spec().method == "OPTIONS"
        await pilot.press("enter", "up", "escape")
        await pilot.pause()
        assert composer.current_spec().method == "OPTIONS"
        assert not isinstance(app.screen, MethodMenu)


async def test_auth_switch_off_gives_a_spec_without_auth() -> None:
    app = ComposerApp()
    async with app.run_test(size=(120, 40)) as pilot:
        app.composer.load(RequestSpec(url="https://a"))
        app.composer.set_token_preview("eyJhbG…wxyz")
        await open_tab(pilot, app.composer, "tab-headers")
        assert "Bearer eyJhbG…wxyz" in text(app.composer.query_one("#auth-value", Static))
        await pilot.click("#auth-switch")
        await pilot.pause()
        assert app.composer.current_spec().auth is False
        assert "not sent" in text(app.composer.query_one("#auth-value", Static))
        await pilot.press("ctrl+j")
        await pilot.pause()
        assert app.sent()[-1].auth is False
        # The Options tab has a switch for the same setting: built now, it is off too, and the two move together.
        await open_tab(pilot, app.composer, "tab-options")
        option = app.composer.query_one("#auth-option", Switch)
        assert not option.value
        await pilot.click("#auth-option")
        await pilot.pause()
        assert app.composer.query_one("#auth-switch", Switch).value
        assert app.composer.current_spec().auth is True


async def test_token_row_before_any_token() -> None:
    app = ComposerApp()
    async with app.run_test(size=(120, 40)) as pilot:
        app.composer.load(RequestSpec(url="https://a"))
        app.composer.set_token_preview(None)
        await open_tab(pilot, app.composer, "tab-headers")
        assert "fetched when you send" in text(app.composer.query_one("#auth-value", Static))


async def test_a_literal_authorization_header_overrides_the_token() -> None:
    app = ComposerApp()
    async with app.run_test(size=(120, 40)) as pilot:
        app.composer.load(RequestSpec(url="https://a"))
        app.composer.set_token_preview("eyJhbG…wxyz")
        await open_tab(pilot, app.composer, "tab-headers")
        headers = app.composer.query_one("#headers", KeyValueEditor)
        headers.query(".kv-key").first(Input).focus()
        await pilot.press(*"authorization", "tab", *"Basic x")
        await pilot.pause()
        assert "overridden by your Authorization header" in text(app.composer.query_one("#auth-value", Static))
        spec = app.composer.current_spec()
        assert spec.headers == {"authorization": "Basic x"}
        assert spec.auth is True


async def test_key_value_rows_grow_and_delete() -> None:
    app = ComposerApp()
    async with app.run_test(size=(120, 40)) as pilot:
        app.composer.load(RequestSpec(url="https://a"))
        await pilot.pause()
        params = app.composer.query_one("#params", KeyValueEditor)
        assert len(params.query(".kv-row")) == 1
        params.query(".kv-key").first(Input).focus()
        await pilot.press(*"limit", "tab", "5")
        await pilot.pause()
        # The empty row typed into became a row, and a new empty row followed.
        assert len(params.query(".kv-row")) == 2
        await pilot.press("ctrl+n", *"page", "tab", "2")
        await pilot.pause()
        assert params.value == {"limit": "5", "page": "2"}
        assert "?limit=5&page=2" in text(app.composer.query_one("#resolved", Static))
        params.query(".kv-key").first(Input).focus()
        await pilot.press("ctrl+d")
        await pilot.pause()
        assert params.value == {"page": "2"}
        assert app.composer.current_spec().params == {"page": "2"}
        assert len(params.query(".kv-row")) == 2


async def test_format_json_pretty_prints_and_complains_about_invalid_json(notes: Notes) -> None:
    app = ComposerApp()
    async with app.run_test(size=(120, 40), message_hook=notes.hook) as pilot:
        app.composer.load(RequestSpec(url="https://a", body='{"a":1,"b":[1,2]}'))
        await open_tab(pilot, app.composer, "tab-body")
        body = app.composer.query_one("#body", TextArea)
        body.focus()
        await pilot.press("ctrl+f")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert body.text == '{\n  "a": 1,\n  "b": [\n    1,\n    2\n  ]\n}'
        assert app.composer.dirty
        body.load_text("{oops")
        await pilot.press("ctrl+f")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert body.text == "{oops"
        assert any("not valid JSON" in n.message for n in notes.seen)


async def test_busy_turns_send_into_cancel() -> None:
    app = ComposerApp()
    async with app.run_test(size=(120, 40)) as pilot:
        app.composer.load(RequestSpec(url="https://a"))
        app.composer.focus_url()
        button = app.composer.query_one("#send", Button)
        width = button.size.width
        app.composer.set_busy(True)
        await pilot.pause()
        assert str(button.label) == "Cancel"
        # The same width (no layout), and the button is the busy indicator: a wave runs through its letters.
        assert button.size.width == width
        assert isinstance(button, SendButton) and button.auto_refresh is not None
        drawn = button.render()
        assert isinstance(drawn, Content) and drawn.plain == "Cancel"
        assert len({span.style for span in drawn.spans}) > 1
        await pilot.press("ctrl+j")
        await pilot.press("escape")
        await pilot.pause()
        assert app.sent() == []
        assert any(isinstance(m, RequestComposer.CancelRequested) for m in app.messages)
        app.composer.set_busy(False)
        await pilot.pause()
        assert str(button.label) == "Send" and button.auto_refresh is None
        await pilot.click("#send")
        await pilot.pause()
        assert len(app.sent()) == 1


CURL_WITH_TOKEN = (
    "curl -X POST 'https://acme-staging.p.newstore.net/v0/d/orders' \\\n"
    "  -H 'Authorization: Bearer eyJhbGciOiJub25lIn0.eyJhenAiOiJhY21lIiwiZXhwIjoxfQ.c2ln' \\\n"
    "  -H 'Content-Type: application/json' --data-raw '{\"id\": \"o-1\"}'"
)


async def test_pasting_curl_into_the_url_fills_the_composer() -> None:
    from textual import events

    app = ComposerApp()
    async with app.run_test(size=(100, 30)) as pilot:
        composer = app.query_one(RequestComposer)
        composer.load(RequestSpec(name="Mine", folder="F", url="https://old.test/"))
        url = composer.query_one("#url", Input)
        url.focus()
        await pilot.pause()
        url.post_message(events.Paste(CURL_WITH_TOKEN))
        await wait_until(pilot, lambda: url.value.startswith("https://acme-staging"), "the pasted URL")
        spec = composer.current_spec()
        assert (spec.name, spec.folder) == ("Mine", "F")
        assert (spec.method, spec.url, spec.body) == (
            "POST",
            "https://acme-staging.p.newstore.net/v0/d/orders",
            '{"id": "o-1"}',
        )
        # The pasted token is not kept: the request uses the profile's token.
        assert spec.headers == {"Content-Type": "application/json"}
        assert spec.auth is True
        assert composer.dirty
        # Anything else pastes as text.
        url.value = ""
        url.post_message(events.Paste("https://plain.test/a"))
        await wait_until(pilot, lambda: url.value == "https://plain.test/a", "the pasted text")


async def test_typed_curl_submitted_fills_and_does_not_send() -> None:
    app = ComposerApp()
    async with app.run_test(size=(100, 30)) as pilot:
        composer = app.query_one(RequestComposer)
        url = composer.query_one("#url", Input)
        url.value = "curl -X DELETE https://h.test/x/1 -H 'A: b'"
        url.focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: url.value == "https://h.test/x/1", "the URL from curl")
        assert composer.current_spec().method == "DELETE"
        assert not any(isinstance(m, RequestComposer.SendRequested) for m in app.messages)


async def test_copy_as_curl_puts_a_tokenless_line_on_the_clipboard() -> None:
    app = ComposerApp()
    async with app.run_test(size=(100, 30)) as pilot:
        composer = app.query_one(RequestComposer)
        composer.set_variables({"api_url": "https://acme-sandbox.p.newstore.net", "profile": "acme-sandbox"})
        composer.load(RequestSpec(name="Stores", url="{{api_url}}/v0/stores", params={"limit": "5"}))
        await pilot.pause()
        composer.action_copy_curl()
        await pilot.pause()
        assert app.clipboard == (
            "curl 'https://acme-sandbox.p.newstore.net/v0/stores?limit=5' \\\n"
            '  -H "Authorization: Bearer $(explorer token --raw --profile acme-sandbox)"'
        )
