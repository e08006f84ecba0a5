"""The History pane: the requests sent, newest first, grouped by day, filtered as you type, with the profile and
stage of each, so "this worked on staging, fails on production" is one glance.

Enter reopens an entry (the request in the composer, its answer in the viewer); `s` reopens it and saves it to
the collection; space marks entries and `d` compares the answers of the two marked. The pane shows what it is
handed and posts what the user asks for: the history controller reads the file in a thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, ClassVar
from urllib.parse import urlsplit

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from explorer.core.formatting import human_duration
from explorer.ui.textual_compat import SteadyInput

if TYPE_CHECKING:
    from explorer.core.history import HistorySummary

_STATUS_STYLES = {2: "green", 3: "cyan", 4: "yellow", 5: "red"}

# The newest matches shown at once: enough to scroll through, few enough that a keystroke in the filter is answered
# at once (typing more narrows the list; the status line says when there are more).
PAGE = 200


def day_label(day: date, today: date) -> str:
    if day == today:
        return "Today"
    if (today - day).days == 1:
        return "Yesterday"
    return day.strftime("%A %d %B %Y")


def entry_line(item: HistorySummary, marked: bool, width: int = 0) -> Text:
    """One row: mark, time, method, status, profile and stage, path (and time taken at the end)."""
    status = str(item.status) if item.status is not None else "---"
    where = f"{item.profile} ({item.stage})" if item.stage and item.stage != item.profile else item.profile
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append("● " if marked else "  ", style="bold")
    line.append(datetime.fromtimestamp(item.at).strftime("%H:%M:%S "))
    line.append(f"{item.method:<6} ", style="bold")
    line.append(f"{status:>3}  ", style=_STATUS_STYLES.get((item.status or 0) // 100, "red"))
    line.append(f"{where[:22]:<22} ", style="italic")
    # The profile says which server: the path and query are what tell two requests apart.
    parts = urlsplit(item.url)
    shown = parts.path + (f"?{parts.query}" if parts.query else "") if parts.netloc else item.url
    line.append(shown)
    line.append(f"  {human_duration(item.elapsed)}", style="dim")
    if item.error:
        line.append(f"  {item.error}", style="red")
    if width > 0:
        # One line per entry, however narrow the pane: the list wraps what is longer.
        line.truncate(width, overflow="ellipsis")
    return line


def build_rows(items: list[HistorySummary], marked: frozenset[int], width: int, today: date) -> list[Option]:
    """The list's options for `items` (newest first): a day heading before each day's entries, then one row each.

    Pure, so the history controller builds them on its thread, not on the event loop.
    """
    options: list[Option] = []
    day: date | None = None
    for item in items:
        when = datetime.fromtimestamp(item.at).date()
        if when != day:
            day = when
            options.append(Option(Text(day_label(when, today), style="bold underline"), disabled=True))
        options.append(Option(entry_line(item, item.id in marked, width), id=str(item.id)))
    return options


class HistoryPane(Widget):
    """The history list with its filter."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", id="history.open"),
        Binding("s", "save", "Save request", id="history.save"),
        Binding("space", "mark", "Mark", id="history.mark"),
        Binding("d", "diff", "Diff", id="history.diff"),
        Binding("down", "to_list", "List", show=False, id="history.to_list"),
    ]

    @dataclass
    class Search(Message):
        """The filter changed (or the pane was opened): list the entries matching `text`."""

        text: str

    @dataclass
    class Chosen(Message):
        """Reopen entry `entry_id`; `save` also saves it to the collection."""

        entry_id: int
        save: bool = False

    @dataclass
    class CompareRequested(Message):
        """Compare the answers of two entries (older first)."""

        first: int
        second: int

    def __init__(self, *, today: date | None = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self._today = today
        self._items: dict[str, HistorySummary] = {}
        self._marked: list[int] = []
        self._rows_width = 0

    def compose(self) -> ComposeResult:
        yield SteadyInput(placeholder="Filter: URL, method, status, profile, stage…", id="history-filter")
        yield OptionList(id="history-list")
        yield Static("Reading the history…", id="history-status", markup=False)

    def on_mount(self) -> None:
        self.post_message(self.Search(""))

    @on(Input.Changed, "#history-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Search(event.value))

    @on(Input.Submitted, "#history-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_open()

    @on(OptionList.OptionSelected, "#history-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open()

    def action_to_list(self) -> None:
        self.query_one("#history-list", OptionList).focus()

    def action_open(self) -> None:
        item = self._highlighted()
        if item is not None:
            self.post_message(self.Chosen(item.id))

    def action_save(self) -> None:
        item = self._highlighted()
        if item is not None:
            self.post_message(self.Chosen(item.id, save=True))

    def action_mark(self) -> None:
        item = self._highlighted()
        if item is None:
            return
        if item.id in self._marked:
            self._marked.remove(item.id)
        else:
            self._marked = [*self._marked, item.id][-2:]
        self._redraw_rows()
        count = len(self._marked)
        hint = ": d compares their answers" if count == 2 else ""
        self.query_one("#history-status", Static).update(f"{count} marked{hint}")

    def action_diff(self) -> None:
        if len(self._marked) != 2:
            self.notify("Mark two entries with space first.", title="Compare", severity="warning")
            return
        first, second = sorted(self._marked, key=lambda i: self._items[str(i)].at if str(i) in self._items else 0)
        self.post_message(self.CompareRequested(first, second))

    @property
    def filter_text(self) -> str:
        return self.query_one("#history-filter", Input).value

    def row_inputs(self) -> tuple[frozenset[int], int, date]:
        """What `build_rows` needs from the pane: the marked entries, the row width and today."""
        self._rows_width = self._width()
        return frozenset(self._marked), self._rows_width, self._today or date.today()

    def show_entries(
        self,
        text: str,
        items: list[HistorySummary],
        options: list[Option] | None = None,
        *,
        more: bool = False,
        enabled: bool = True,
    ) -> None:
        """Show `items` (newest first), the answer to the search for `text` (dropped if the filter moved on).

        `options` are their rows from `build_rows` (built here when not given); `more`: older entries match too.
        """
        if text != self.filter_text:
            return
        if options is not None and self._rows_width != self._width():
            options = None  # built for a width the pane no longer has (its first layout came meanwhile)
        if options is None:
            options = build_rows(items, *self.row_inputs())
        self._items = {str(item.id): item for item in items}
        listing = self.query_one("#history-list", OptionList)
        listing.clear_options()
        listing.add_options(options)
        first = next((i for i, option in enumerate(options) if not option.disabled), None)
        if first is not None:
            listing.highlighted = first
        status = self.query_one("#history-status", Static)
        if not enabled:
            status.update("History is off (history = false in settings.toml, or its file could not be opened).")
        elif not items:
            status.update("Nothing recorded yet." if not text else "No request matches.")
        else:
            shown = f"{len(items)} request{'s' if len(items) != 1 else ''}"
            if more:
                shown = f"The newest {len(items)} requests (older ones match too: type more to narrow)"
            status.update(shown + (f" · {len(self._marked)} marked" if self._marked else ""))

    def on_resize(self) -> None:
        # Rows are cut to the list's width when drawn; a pane built before its first layout (or resized with the
        # terminal or the sidebar) draws them again at its real width.
        self._redraw_rows()

    def _redraw_rows(self) -> None:
        listing = self.query_one("#history-list", OptionList)
        for key, summary in self._items.items():
            listing.replace_option_prompt(key, entry_line(summary, summary.id in self._marked, self._width()))

    def _width(self) -> int:
        # Room for the scrollbar is kept whether it shows or not: it appears once the rows are in, and a row a
        # column too wide is wrapped at its last space, which hides the path.
        listing = self.query_one("#history-list", OptionList)
        scrollbar = 0 if listing.show_vertical_scrollbar else listing.styles.scrollbar_size_vertical
        return max(20, (listing.scrollable_content_region.width or self.size.width) - scrollbar - 1)

    def _highlighted(self) -> HistorySummary | None:
        listing = self.query_one("#history-list", OptionList)
        if listing.highlighted is None:
            return None
        option = listing.get_option_at_index(listing.highlighted)
        return self._items.get(option.id or "")
