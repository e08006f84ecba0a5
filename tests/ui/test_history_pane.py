"""The History pane on its own: one line per entry, each showing its path, however the list's width comes."""

from __future__ import annotations

from datetime import date

from textual.app import App, ComposeResult
from textual.widgets import OptionList

from explorer.core.history import HistorySummary
from explorer.ui.widgets.history_pane import HistoryPane, build_rows


def summaries(count: int) -> list[HistorySummary]:
    return [
        HistorySummary(
            id=n,
            at=1_790_000_000 + n,
            source="tui",
            name="",
            profile="demo-sandbox",
            tenant="acme-sandbox",
            stage="sandbox",
            method="GET",
            url=f"https://api.example/api/demo-sandbox/v0/stores/store-{n:03d}?offset=0&count=10&expand=all",
            status=200,
            reason="OK",
            elapsed=0.1,
            size=10,
            error="",
        )
        for n in range(count, 0, -1)
    ]


class PaneApp(App[None]):
    def compose(self) -> ComposeResult:
        yield HistoryPane(today=date(2026, 9, 20))


async def test_rows_longer_than_the_list_keep_their_path_when_the_scrollbar_comes() -> None:
    # Rows are cut to the list's width; the scrollbar appears only once they are in, taking two columns. A row
    # cut for the width without it was wrapped at its last space, and the path went out of sight.
    app = PaneApp()
    async with app.run_test(size=(100, 20)) as pilot:
        pane = app.query_one(HistoryPane)
        items = summaries(40)
        pane.show_entries("", items, build_rows(items, *pane.row_inputs()))
        await pilot.pause()
        listing = pane.query_one("#history-list", OptionList)
        assert listing.show_vertical_scrollbar
        lines = [listing.render_line(y).text for y in range(1, 12)]
        assert all("/api/demo-sandbox/v0/stores/store-" in line for line in lines), lines
        assert all(line.rstrip().endswith("…") for line in lines)
