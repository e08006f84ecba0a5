"""Searching a response body from an inline bar: find as you type, "3 of 41", next and previous, back to the body."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from explorer.core.model import RequestSpec
from explorer.ui.widgets.body_view import BodyView
from explorer.ui.widgets.search_bar import SearchBar, count_text

from .conftest import SIZE, AppFactory, Notes, wait_until
from .test_app_loop import send


def test_the_count_reads_as_a_sentence() -> None:
    assert count_text(2, 41, 100_000, found=True, complete=True) == "3 of 41"
    assert count_text(0, 100_000, 100_000, found=True, complete=True) == "1 of 100000+"
    assert count_text(0, 0, 100_000, found=False, complete=True) == "no match"
    assert count_text(0, 5, 100_000, found=True, complete=False) == "1 of 5 so far"


async def test_search_bar_counts_matches_and_steps_through_them(
    build_app: AppFactory, profiles_file: Path, notes: Notes
) -> None:
    app = build_app(config=profiles_file, profile="sandbox")
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        pane = await send(pilot, app, RequestSpec(name="stores", url="{{api_url}}/v0/stores"))
        body = pane.query_one("#response-body", BodyView)
        await wait_until(pilot, lambda: body.line_count > 10, "the body")
        body.focus()
        await pilot.press("slash")
        bar = pane.query_one(SearchBar)
        assert bar.display and app.focused is bar.query_one("#search-input")
        # The body stays in view: the bar takes one line under it, no dialog covers it.
        assert app.screen is app.main and body.region.height > 10
        count = bar.query_one("#search-count", Static)
        await pilot.press(*"store")
        total = body.document.count("store")[1]
        assert total > 2
        await wait_until(pilot, lambda: str(count.visual) == f"1 of {total}", "the count")
        first = body.document.search("store", 0)
        assert first is not None and body.cursor_line == first[0]
        # The next match may be on the same line ("store_id": "store-001").
        await pilot.press("enter")
        await wait_until(pilot, lambda: str(count.visual) == f"2 of {total}", "the next match")
        await pilot.press("up")
        await wait_until(pilot, lambda: str(count.visual) == f"1 of {total}", "the previous match")
        await pilot.press("up")
        await wait_until(pilot, lambda: str(count.visual) == f"{total} of {total}", "around to the last")
        await pilot.press(*"zzz")
        await wait_until(pilot, lambda: str(count.visual) == "no match", "no match")
        assert notes.find("Search") is None, "the bar says it; no toast"
        await pilot.press("escape")
        assert not bar.display and app.focused is body
