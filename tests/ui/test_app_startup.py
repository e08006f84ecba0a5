"""Start-up: the first frame needs neither httpx nor an engine; what is asked for before the session runs waits."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

from textual.widgets import Label

from explorer.app.settings import AppSettings
from explorer.core.model import RequestSpec
from explorer.core.tokens import TokenState
from explorer.ui.app import make_app
from explorer.ui.widgets.composer import RequestComposer
from explorer.ui.widgets.profile_list import ProfileList
from explorer.ui.widgets.response import ResponsePane
from explorer.ui.widgets.token_panel import TokenPanel

from .conftest import SIZE, AppFactory, wait_until


def test_after_the_first_frame_the_collector_runs_without_the_objects_made_to_start() -> None:
    # In a child process: freezing the heap is process-wide.
    code = (
        "import gc; gc.disable(); from explorer.ui.launch import after_first_frame; "
        "before = len(gc.get_objects()); after_first_frame(); "
        "print(gc.isenabled(), gc.get_freeze_count() >= before, len(gc.get_objects()) < before // 10)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["True", "True", "True"]


def test_the_ui_modules_do_not_import_httpx() -> None:
    # httpx and the engine come with the session, which starts once the first frame is on screen.
    code = "import sys, explorer.ui.launch, explorer.ui.app; print(' '.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    loaded = set(out.split())
    assert "httpx" not in loaded
    assert not loaded & {"explorer.core.engine", "explorer.core.auth", "explorer.core.runner"}
    # jq (about 60 ms to import) and the history file come when first used.
    assert not loaded & {"jq", "sqlite3", "explorer.core.jqfilter", "explorer.core.history"}
    # Dialogs and exporters come with the action that opens or uses them: the first frame needs none.
    assert not [name for name in loaded if name.startswith("explorer.ui.dialogs")]
    assert "explorer.core.exporters.har" not in loaded


async def test_before_the_session_starts_the_profile_shows_and_a_send_waits(
    build_app: AppFactory, profiles_file: Path
) -> None:
    app = build_app(config=profiles_file, profile="sandbox")
    # Hold the session back, as a slow start would.
    gate = asyncio.Event()
    open_session = app.session.open

    async def slow_open() -> None:
        await gate.wait()
        await open_session()

    app.session.open = slow_open  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        main = app.main
        assert main.session.active is None
        # The profile the session will open is on screen already, and Send is offered.
        assert "sandbox" in str(main.query_one("#topbar-profile", Label).content)
        assert main.query_one(ProfileList).query(".-active")
        assert "No token yet" in str(main.query_one("#token-note", Label).content)
        assert main.check_action("send", ()) is True
        composer = main.query_one(RequestComposer)
        composer.load(RequestSpec(url="{{api_url}}/v0/stores"))
        composer.focus_url()
        await pilot.press("ctrl+j")
        await pilot.pause()
        pane = main.query_one(ResponsePane)
        assert pane.record is None
        # Once the session runs, the request that waited is sent, with a token fetched for it.
        gate.set()
        await wait_until(pilot, lambda: pane.record is not None, "the response")
        assert pane.record is not None and pane.record.status == 200
        assert main.session.active is not None and main.session.active.name == "sandbox"
        await wait_until(pilot, lambda: main.query_one(TokenPanel).state is TokenState.VALID, "a token")


async def test_after_first_frame_is_called_once_the_screen_is_up(tmp_path: Path) -> None:
    calls: list[bool] = []
    settings = AppSettings(config_dir=tmp_path / "config", cursor_blink=False)
    app = make_app(settings, after_first_frame=lambda: calls.append(app.main.is_mounted))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert calls == [True]
