"""BodyView under the pilot: loading big bodies, moving, highlighting, searching, themes."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import Any

import pytest
from rich.segment import Segment
from textual.app import App, ComposeResult
from textual.notifications import SeverityLevel
from textual.pilot import Pilot
from textual.strip import Strip

from explorer.ui.widgets.body_view import BodyView

SIZE = (100, 30)


class BodyApp(App[None]):
    """Just a BodyView, and a record of what it reported."""

    def __init__(self) -> None:
        super().__init__()
        self.loaded: list[BodyView.Loaded] = []
        self.searches: list[BodyView.SearchFinished] = []
        self.search_requests = 0
        self.notified: list[tuple[str, str]] = []

    def compose(self) -> ComposeResult:
        yield BodyView()

    def on_mount(self) -> None:
        self.query_one(BodyView).focus()

    def on_body_view_loaded(self, message: BodyView.Loaded) -> None:
        self.loaded.append(message)

    def on_body_view_search_finished(self, message: BodyView.SearchFinished) -> None:
        self.searches.append(message)

    def on_body_view_search_requested(self, message: BodyView.SearchRequested) -> None:
        self.search_requests += 1

    def notify(self, message: str, *args: Any, severity: SeverityLevel = "information", **kwargs: Any) -> None:
        self.notified.append((severity, message))
        super().notify(message, *args, severity=severity, **kwargs)


@pytest.fixture(scope="module")
def five_megabytes() -> bytes:
    orders = []
    size = i = 0
    while size < 5 * 1024 * 1024:
        order = {
            "id": f"ord-{i:07d}",
            "total": {"amount": i * 1.25, "currency": "EUR"},
            "paid": i % 2 == 0,
            "note": None,
            "lines": [{"sku": f"SKU-{i % 977}", "quantity": 1 + i % 3}],
        }
        text = json.dumps(order)
        orders.append(text)
        size += len(text) + 1
        i += 1
    return ("[" + ",".join(orders) + "]").encode()


async def wait_until(pilot: Pilot[None], condition: Callable[[], object], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.02)


async def loaded(pilot: Pilot[None], body: bytes, content_type: str = "application/json") -> BodyView:
    app = pilot.app
    assert isinstance(app, BodyApp)
    view = app.query_one(BodyView)
    before = len(app.loaded)
    view.load(body, content_type)
    await wait_until(pilot, lambda: len(app.loaded) > before)
    await pilot.pause()
    return view


def coloured(strip: Strip) -> list[Segment]:
    """Segments with a foreground colour of their own (not the widget's text colour)."""
    return [s for s in strip if s.style is not None and s.style.color is not None and s.text.strip()]


def text_of(strip: Strip) -> str:
    return "".join(segment.text for segment in strip)


async def test_big_json_shows_first_lines_then_moves_instantly(five_megabytes: bytes) -> None:
    app = BodyApp()
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(BodyView)
        view.load(five_megabytes, "application/json")
        started = time.perf_counter()
        while view.line_count == 0:
            await asyncio.sleep(0.001)
        assert time.perf_counter() - started < 1.0
        assert not view.document.complete  # the first screen came before the rest
        await wait_until(pilot, lambda: app.loaded)
        message = app.loaded[-1]
        assert message.lines == view.line_count > 200_000
        assert message.note == ""
        assert view.virtual_size.height == view.line_count

        await pilot.press("end")
        assert view.cursor_line == view.line_count - 1
        height = view.scrollable_content_region.height
        assert view.scroll_offset.y == view.line_count - height
        last_row = view.render_line(height - 1)
        assert text_of(last_row).split() == [str(view.line_count), "]"]

        await pilot.press("home")
        assert view.cursor_line == 0
        assert view.scroll_offset.y == 0
        await pilot.press("down", "down")
        assert view.cursor_line == 2
        assert view.scroll_offset.y == 0
        await pilot.press("pagedown")
        assert view.cursor_line > 2
        await pilot.press("ctrl+end", "up")
        assert view.cursor_line == view.line_count - 2
        await pilot.press("ctrl+home")
        assert view.cursor_line == 0

        first = view.render_line(0)
        assert text_of(first).split() == ["1", "["]
        row = view.render_line(2)  # `    "id": "ord-0000000",`
        assert '"id": "ord-0000000",' in text_of(row)
        colours = {segment.text: segment.style.color for segment in coloured(row) if segment.style}
        assert colours['"id"'] != colours['"ord-0000000"']


async def test_keys_move_the_cursor_and_scroll_with_it() -> None:
    body = "\n".join(f"line {i}" for i in range(200)).encode()
    app = BodyApp()
    async with app.run_test(size=SIZE) as pilot:
        view = await loaded(pilot, body, "text/plain")
        height = view.scrollable_content_region.height
        view.cursor_line = height - 1
        await pilot.press("down")
        assert view.cursor_line == height
        assert view.scroll_offset.y == 1  # scrolled just enough to keep the cursor on screen
        await pilot.press("pageup")
        assert view.cursor_line == 1
        assert view.scroll_offset.y <= 1
        await pilot.press("up", "up", "up")
        assert view.cursor_line == 0
        await pilot.click(BodyView, offset=(10, 5))
        assert view.cursor_line == view.scroll_offset.y + 5


async def test_long_lines_scroll_sideways_and_keep_the_line_numbers() -> None:
    body = ("x" * 300 + "END\nshort").encode()
    app = BodyApp()
    async with app.run_test(size=SIZE) as pilot:
        view = await loaded(pilot, body, "text/plain")
        assert view.virtual_size.width == 4 + 303  # the gutter, then the longest line
        await pilot.press("right", "right")
        assert view.scroll_offset.x == 8
        view.scroll_to(x=view.max_scroll_x, animate=False)
        await pilot.pause()
        row = text_of(view.render_line(0))
        assert row.startswith("  1 ")
        assert row.rstrip().endswith("END")
        await pilot.press("left")
        assert view.scroll_offset.x == view.max_scroll_x - 4


async def test_very_long_line_is_shown_a_screen_at_a_time() -> None:
    body = b'{"blob": "' + b"A" * 2_000_000 + b'Z"}'
    app = BodyApp()
    async with app.run_test(size=SIZE) as pilot:
        view = await loaded(pilot, body)
        assert view.line_count == 3
        assert view.document.line_length(1) > 2_000_000
        view.scroll_to(x=view.max_scroll_x, animate=False)
        await pilot.pause()
        started = time.perf_counter()
        row = text_of(view.render_line(1))
        assert time.perf_counter() - started < 0.05
        assert row.rstrip().endswith('Z"')


async def test_search_jumps_between_matches() -> None:
    body = json.dumps([{"name": f"n{i}", "flag": "needle" if i % 10 == 3 else "hay"} for i in range(100)])
    app = BodyApp()
    async with app.run_test(size=SIZE) as pilot:
        view = await loaded(pilot, body.encode())
        await pilot.press("slash")
        assert app.search_requests == 1
        view.search("NEEDLE")
        await wait_until(pilot, lambda: app.searches)
        first = app.searches[-1].match
        assert first is not None
        assert view.cursor_line == first[0]
        assert view.document.line(first[0]) == '    "flag": "needle"'
        row = view.render_line(first[0] - view.scroll_offset.y)
        highlighted = [s for s in row if s.text == "needle"]
        assert highlighted and highlighted[0].style and highlighted[0].style.bgcolor is not None

        await pilot.press("n")
        await wait_until(pilot, lambda: len(app.searches) == 2)
        second = app.searches[-1].match
        assert second is not None and second[0] > first[0]
        await pilot.press("N")
        await wait_until(pilot, lambda: len(app.searches) == 3)
        assert app.searches[-1].match == first
        await pilot.press("N")  # wraps around to the last one
        await wait_until(pilot, lambda: len(app.searches) == 4)
        last = app.searches[-1].match
        assert last is not None and last[0] > second[0]
        assert view.cursor_line == last[0]

        view.search("no such thing")
        await wait_until(pilot, lambda: len(app.searches) == 5)
        assert app.searches[-1].match is None
        assert view.cursor_line == last[0]

        view.search("(", regex=True)
        await pilot.pause()
        assert app.notified[-1][0] == "error"
        assert "not a valid regular expression" in app.notified[-1][1]
        await pilot.press("escape")
        assert not view.check_action("next_match", ())


async def test_invalid_json_is_shown_raw_with_a_note() -> None:
    app = BodyApp()
    async with app.run_test(size=SIZE) as pilot:
        view = await loaded(pilot, b'{"a": 1,, "b": 2}')
        assert app.loaded[-1].note.startswith("Not valid JSON")
        assert view.document.line(0) == '{"a": 1,, "b": 2}'


async def test_binary_body_shows_a_summary() -> None:
    app = BodyApp()
    async with app.run_test(size=SIZE) as pilot:
        view = await loaded(pilot, b"\x89PNG\r\n\x1a\n" + bytes(5000), "image/png")
        assert "PNG image" in text_of(view.render_line(1))


async def test_a_new_load_replaces_the_one_in_progress(five_megabytes: bytes) -> None:
    app = BodyApp()
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(BodyView)
        view.load(five_megabytes, "application/json")
        first = view.document
        await asyncio.sleep(0.01)
        view.load(b"hello\nworld", "text/plain")
        await wait_until(pilot, lambda: app.loaded)
        await pilot.pause(0.2)
        assert [m.lines for m in app.loaded] == [2]
        assert view.line_count == 2
        assert not first.complete  # its build was cancelled
        view.clear()
        await pilot.pause()
        assert view.line_count == 0
        assert text_of(view.render_line(0)).strip() == ""


async def test_colours_follow_the_theme_and_the_pygments_style() -> None:
    app = BodyApp()
    async with app.run_test(size=SIZE) as pilot:
        view = await loaded(pilot, b'{"key": "value"}')
        view.cursor_line = 2

        def key_style() -> Segment:
            return next(s for s in view.render_line(1) if s.text == '"key"')

        dark = key_style()
        app.theme = "textual-light"
        await pilot.pause()
        light = key_style()
        assert dark.style and light.style
        assert dark.style.bgcolor != light.style.bgcolor  # the background is the theme's
        view.set_pygments_style("friendly")
        await pilot.pause()
        friendly = key_style()
        assert friendly.style and friendly.style.color != light.style.color
        with pytest.raises(ValueError):
            view.set_pygments_style("no-such-style")


async def test_placeholder_shows_while_there_are_no_lines() -> None:
    app = BodyApp()
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(BodyView)
        view.placeholder = "Nothing yet.\n\nSend something."
        await pilot.pause()
        rows = [text_of(view.render_line(y)).strip() for y in range(view.size.height)]
        assert [row for row in rows if row] == ["Nothing yet.", "Send something."]
        # Centred on both axes.
        middle = rows.index("Nothing yet.")
        assert abs(middle + 1 - view.size.height // 2) <= 1
        line = text_of(view.render_line(middle))
        assert abs(len(line) - len(line.lstrip()) - (len(line) - len(line.rstrip()))) <= 1
        await loaded(pilot, b'{"a": 1}')
        assert "Nothing yet." not in [text_of(view.render_line(y)).strip() for y in range(view.size.height)]
        view.clear()
        await pilot.pause()
        assert "Nothing yet." in [text_of(view.render_line(y)).strip() for y in range(view.size.height)]


async def test_wrap_shows_long_lines_whole_and_search_still_marks_the_match() -> None:
    # Line 2 is 250 characters: at 100 columns (less the gutter and the scrollbar) it takes three rows.
    long = "a" * 120 + "needle" + "b" * 124
    body = f"first\n{long}\nlast".encode()
    app = BodyApp()
    async with app.run_test(size=SIZE) as pilot:
        view = await loaded(pilot, body, "text/plain")
        assert view.check_action("toggle_wrap", ()) and not view.wrap
        await pilot.press("w")
        await wait_until(pilot, lambda: view.virtual_size.height == 5)
        rows = [text_of(view.render_line(y)).rstrip() for y in range(6)]
        width = view.scrollable_content_region.width - 4
        assert rows[0] == "  1 first"
        # The long line's rows, its number on the first only, together the whole line.
        assert rows[1].startswith("  2 ") and rows[2].startswith("    ") and rows[3].startswith("    ")
        assert "".join(row[4:] for row in rows[1:4]) == long
        assert len(rows[1]) == 4 + width
        assert rows[4] == "  3 last"
        assert view.virtual_size.width <= view.scrollable_content_region.width  # nothing to scroll sideways
        # The cursor moves by lines, a wrapped line being one.
        await pilot.press("down", "down")
        assert view.cursor_line == 2
        # Search marks the match on the row that shows it.
        view.search("needle")
        await wait_until(pilot, lambda: app.searches)
        assert app.searches[-1].match == (1, 120, 126)
        row = 1 + 120 // width
        marked = [s.text for s in view.render_line(row - view.scroll_offset.y) if s.style and s.style.bgcolor]
        assert any("needle" in text or text in "needle" for text in marked if text.strip("ab"))
        # Back to one row a line.
        await pilot.press("w")
        await wait_until(pilot, lambda: view.virtual_size.height == 3)
        assert text_of(view.render_line(2)).rstrip() == "  3 last"


async def test_wrap_follows_the_end_of_a_big_body_and_a_resize() -> None:
    # Compact JSON made of lines of several hundred characters each, as some APIs send their lists.
    line = json.dumps({"id": 1, "text": "x" * 300})
    body = "\n".join(line for _ in range(15_000)).encode()
    app = BodyApp()
    async with app.run_test(size=SIZE) as pilot:
        view = await loaded(pilot, body, "text/plain")
        await pilot.press("w")
        width = view.scrollable_content_region.width - 6
        rows_each = -(-len(line) // width)
        await wait_until(pilot, lambda: view.virtual_size.height == 15_000 * rows_each)
        await pilot.press("end")
        await pilot.pause()
        assert view.cursor_line == 14_999
        assert view.scroll_offset.y == view.max_scroll_y
        await pilot.resize_terminal(60, 30)
        await pilot.pause()
        narrower = view.scrollable_content_region.width - 6
        await wait_until(pilot, lambda: view.virtual_size.height == 15_000 * -(-len(line) // narrower))


async def test_a_placeholder_wider_than_the_view_wraps_rather_than_being_cut() -> None:
    app = BodyApp()
    async with app.run_test(size=(40, 20)) as pilot:
        view = app.query_one(BodyView)
        view.placeholder = (
            "Cancelled.\n\nThe request was stopped before its answer came. Press ctrl+j to send it again."
        )
        await pilot.pause()
        rows = [text_of(view.render_line(y)).strip() for y in range(view.size.height)]
        shown = [row for row in rows if row]
        assert shown[0] == "Cancelled." and len(shown) > 2
        assert " ".join(shown[1:]) == "The request was stopped before its answer came. Press ctrl+j to send it again."
        assert all(len(row) <= 40 for row in rows)
