"""Every pane one key away: jump keys, the sidebar shown and hidden, a pane maximized, the keys help."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from explorer.ui.dialogs.keys_help import KeysHelp
from explorer.ui.widgets.collection_tree import CollectionTree
from explorer.ui.widgets.composer import RequestComposer
from explorer.ui.widgets.response import ResponsePane
from explorer.ui.widgets.token_panel import TokenPanel

from ..snapshots.test_snapshots import build, show_response


def _pane_names(app: object) -> list[str]:
    return [pane.name for pane in app.main.pane_keys.panes()]  # type: ignore[attr-defined]


async def test_alt_digits_reach_every_pane_at_80x24(tmp_path: Path) -> None:
    app = build(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.main
        assert _pane_names(app) == ["Profiles", "Token", "Collection", "Request", "Response", "Replay", "History"]
        assert not screen.pane_keys.sidebar_shown
        await pilot.press("alt+3")
        await pilot.pause()
        assert screen.pane_keys.sidebar_shown
        assert app.focused is not None and screen.query_one(CollectionTree) in app.focused.ancestors_with_self
        await pilot.press("alt+2")
        await pilot.pause()
        assert app.focused is screen.query_one(TokenPanel)
        # From the URL field too (the keys win over typing), and the narrow sidebar makes way again.
        await pilot.press("alt+4")
        await pilot.pause()
        assert app.focused is not None and screen.query_one(RequestComposer) in app.focused.ancestors_with_self
        assert not screen.pane_keys.sidebar_shown
        screen.query_one(RequestComposer).focus_url()
        await pilot.press("alt+1")
        await pilot.pause()
        assert screen.pane_keys.sidebar_shown and app.focused is not None and app.focused.id == "profile-listview"
        # Escape then 1, as terminals send alt+1 (Textual reads it as macOS's Option+1 character).
        await pilot.press("alt+4")
        await pilot.press("inverted_exclamation_mark")
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "profile-listview"
        # From the URL too, where the character would otherwise be typed (Escape 3 arrives as £).
        url = screen.query_one(RequestComposer).query_one("#url", Input)
        before = url.value
        screen.query_one(RequestComposer).focus_url()
        await pilot.press("pound_sign")
        await pilot.pause()
        assert url.value == before
        assert app.focused is not None and screen.query_one(CollectionTree) in app.focused.ancestors_with_self
        await pilot.press("alt+6")
        await pilot.pause(0.3)
        assert screen.query_one("#results").active == "tab-replay"
        # The same from the URL field: the character would otherwise be typed into the URL (it was: "™").
        url = screen.query_one(RequestComposer).query_one("#url", Input)
        before = url.value
        url.focus()
        await pilot.press("trade_mark_sign")
        await pilot.pause()
        assert app.focused is screen.query_one(TokenPanel)
        assert url.value == before


async def test_the_sidebar_toggles_and_the_focus_never_vanishes_with_it(tmp_path: Path) -> None:
    app = build(tmp_path)
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        screen = app.main
        assert screen.pane_keys.sidebar_shown
        screen.query_one(TokenPanel).focus()
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert not screen.pane_keys.sidebar_shown
        assert app.focused is screen.query_one(RequestComposer).query_one("#url", Input)
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert screen.pane_keys.sidebar_shown


async def test_zoom_gives_the_response_the_screen_and_escape_brings_it_back(tmp_path: Path) -> None:
    app = build(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await show_response(pilot)
        screen = app.main
        await pilot.press("alt+5")
        await pilot.pause()
        await pilot.press("alt+z")
        await pilot.pause()
        pane = screen.query_one(ResponsePane)
        assert screen.maximized is pane
        assert pane.region.height >= 20
        await pilot.press("escape")
        await pilot.pause()
        assert screen.maximized is None
        await pilot.press("alt+z", "alt+z")
        await pilot.pause()
        assert screen.maximized is None


async def test_help_lists_the_focused_panes_keys_first(tmp_path: Path) -> None:
    app = build(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("alt+3")
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, KeysHelp)
        text = str(app.screen.query_one("#keys-text").render())
        assert text.startswith("Collection pane")
        assert "New request" in text and "Rename" in text
        assert "alt+5" in text and "go to Response" in text
        assert "Send" in text
        await pilot.press("escape")
        await pilot.pause()
        # In the URL field ? is typed, and F1 opens the help.
        app.main.query_one(RequestComposer).focus_url()
        await pilot.press("question_mark")
        await pilot.pause()
        assert app.screen is app.main
        assert app.main.query_one(RequestComposer).query_one("#url", Input).value.endswith("?")
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, KeysHelp)
        assert str(app.screen.query_one("#keys-text").render()).startswith("Request pane")


async def test_ctrl_l_selects_the_whole_url_so_typing_replaces_it(tmp_path: Path) -> None:
    app = build(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        url = app.main.query_one(RequestComposer).query_one("#url", Input)
        for _ in range(2):  # from elsewhere, and again from inside the URL itself
            await pilot.press("ctrl+l")
            await pilot.pause()
            assert app.focused is url
            assert url.selected_text == url.value
        await pilot.press(*"https://example.com/x")
        assert url.value == "https://example.com/x"


async def test_every_key_of_the_main_screen_reaches_a_controller(tmp_path: Path) -> None:
    """Each binding's action exists, and those that a controller runs name a method it has (a rename would
    otherwise fail only when the key is pressed)."""
    from textual.actions import parse
    from textual.binding import Binding

    app = build(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.main
        for binding in Binding.make_bindings(screen.BINDINGS):
            _namespace, name, _parameters = parse(binding.action)
            action = getattr(screen, f"action_{name}")
            path = getattr(action, "runs", None)
            if path is not None:
                controller, method = path.split(".")
                assert callable(getattr(getattr(screen, controller), method)), binding.action
