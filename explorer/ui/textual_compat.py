"""Every place explorer leans on Textual's internals, in one module.

Each use below says what it buys and what the public way would cost. The figures come from
`python -m benchmarks.bench_internals` (the real app headless, 200 x 50, medians of 3) on the shared 2-core machine
with a load average of 11, where everything takes several times as long as on a quiet machine: compare the pairs,
not the absolute values. They were measured with Textual 8.2, which `pyproject.toml` pins (`textual>=8.2,<8.3`);
`tests/ui/test_textual_compat.py` fails, naming the internal, when an upgrade moves or renames one of them. When
it does, re-measure with `python -m benchmarks.run` before choosing between adapting the use and the public way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from textual.content import Content
from textual.css.model import RuleSet
from textual.css.scalar import Unit
from textual.events import Resize, ScreenResume
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.widgets import Input, Static, Tab

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen

__all__ = [
    "SteadyInput",
    "ThemeCssPreset",
    "copy_encoded_to_clipboard",
    "hash_rules_in_c",
    "relabel_tab",
    "resize_scroll_area",
    "set_virtual_size_keeping_layout",
    "skip_first_resume_restyle",
    "skip_same_size_resize",
]


class ThemeCssPreset:
    """1. The first `refresh_css` skipped: the CSS is parsed and applied once at start-up, not twice.

    Setting `App.theme` in `__init__` makes Textual queue a `refresh_css` (its `_watch_theme`), which parses every
    CSS source again and restyles every widget, although nothing has been parsed or styled yet. explorer hands the
    stylesheet the theme's variables before the first parse and skips that one queued refresh when the variables
    are still the same. One `refresh_css` of the main screen took 597 ms [520-963] under that load (the whole
    launch took ~0.5 s on a quiet machine, `benchmarks.run --only launch`). Public way: let it run, that much
    later on the first usable frame.
    """

    def __init__(self, app: App[Any]) -> None:
        self._variables: dict[str, str] | None = app.get_css_variables()
        app.stylesheet.set_variables(self._variables)

    def skip_refresh(self, app: App[Any]) -> bool:
        """Whether this `refresh_css` is the one the theme queued before anything was parsed (asked once)."""
        variables, self._variables = self._variables, None
        return variables is not None and variables == app.get_css_variables()


def set_virtual_size_keeping_layout(view: ScrollView, size: Size, *, shrink: bool = False) -> bool:
    """2. A scrollable area resized without laying the screen out again (a growing body, a filtered list).

    Assigning `virtual_size` lays out the whole screen and repaints all of the view. While a body is formatted
    its line count grows many times a second, and while the scrollbars that show stay the same only their thumbs
    change: this sets the reactive without its layout (`set_reactive`) and tells the scrollbars their new range
    (`window_virtual_size`, which Textual's own layout otherwise writes). The frame after a resize took 93 ms
    this way against 143 ms after `view.virtual_size = size` (a layout of the whole screen), once per resize while
    a 5 MB or 50 MB body loads, which is when the worst key must stay under 100 ms. The catalogue's list
    (`shrink=True`) changes its length on every keystroke of its filter, which must answer within 50 ms.
    Public way: assign `virtual_size`.

    Returns False, having changed nothing, when a scrollbar would appear or go (then the layout is needed), or
    when the area shrinks and `shrink` is not set.
    """
    old = view.virtual_size
    room = view.scrollable_content_region.size
    grows = size.width >= old.width and size.height >= old.height
    vertical_same = _scrollbar_stays(
        view.styles.overflow_y, view.show_vertical_scrollbar, size.height, old.height, room.height
    )
    horizontal_same = _scrollbar_stays(
        view.styles.overflow_x, view.show_horizontal_scrollbar, size.width, old.width, room.width
    )
    if not ((grows or shrink) and vertical_same and horizontal_same and view.is_mounted):
        return False
    view.set_reactive(ScrollView.virtual_size, size)
    if view.show_vertical_scrollbar:
        view.vertical_scrollbar.window_virtual_size = size.height
    if view.show_horizontal_scrollbar:
        view.horizontal_scrollbar.window_virtual_size = size.width
    return True


def _scrollbar_stays(overflow: str, shown: bool, new: int, old: int, room: int) -> bool:
    """Whether one axis's scrollbar stays as it is when the area goes from `old` to `new` cells with `room` to show
    them: one the stylesheet always shows (`overflow: scroll`) stays whatever the size; one on show stays while the
    area grows or still overflows; one not on show stays away while the area fits."""
    if overflow == "scroll":
        return True
    if shown:
        return new >= old or new > room
    return new <= room


def resize_scroll_area(view: ScrollView, size: Size, *, shrink: bool = False) -> None:
    """Give `view` a scrollable area of `size`: without a layout of the screen where the scrollbars stay
    (`set_virtual_size_keeping_layout`), else the public way."""
    if size != view.virtual_size and not set_virtual_size_keeping_layout(view, size, shrink=shrink):
        view.virtual_size = size


def skip_first_resume_restyle(event: ScreenResume, *, resumed_before: bool) -> bool:
    """Textual restyles every widget of a screen when it resumes. The first time, every widget was styled a moment
    before, when it was mounted, and nothing has changed since: that pass would only delay the first frame. The
    flag is `ScreenResume.refresh_styles`, read by Screen's own handler, which runs after the screen's. Returns
    True (the screen has resumed once)."""
    if not resumed_before:
        event.refresh_styles = False
    return True


def copy_encoded_to_clipboard(app: App[Any], text: str, encoded: str) -> None:
    """3. `App.copy_to_clipboard` with the base64 of `text` (`encoded`) already made, in a thread.

    `copy_to_clipboard` encodes on the event loop: 108 ms for a 5 MB body on the shared machine, a key's whole
    budget. Here a thread encodes and the loop only hands the OSC 52 sequence to the driver's writer thread.
    Public way: `app.copy_to_clipboard(text)` on the event loop.
    """
    app._clipboard = text
    driver = app._driver
    if driver is not None:
        driver.write(f"\x1b]52;c;{encoded}\a")


class SteadyInput(Input):
    """4. An Input whose typing does not lay the whole screen out again.

    Input's `_watch_value` sets `virtual_size` to the text's width on every change, and `virtual_size` lays out
    the screen: with explorer's ~140 widgets that layout and the repaint after it were most of a keystroke in the
    URL (2 layouts a key, about 90 ms of CPU a key on the shared machine under load). When the input's size is
    fixed by its CSS (not `auto`), only its own scrolling depends on that width: this sets it first without the
    layout (`set_reactive`), so Input's watcher finds it unchanged. Public way: a plain Input.
    """

    def _watch_value(self, value: str) -> None:
        if not self.styles.auto_dimensions:
            self.set_reactive(Input.virtual_size, Size(self.content_width, 1))
        super()._watch_value(value)


def relabel_tab(tab: Tab, label: str) -> None:
    """5. A tab relabelled without laying the screen out when it keeps its width.

    `Tab.label = …` lays out the whole screen (its `Static.update`) even when the tab keeps its width. The response
    pane's Headers tab counts the answer's headers as the answer arrives, while a key typed must answer within
    100 ms and the body loads: the stylesheet gives that tab the room of a count ("Headers (12)"), so the label
    changes inside the same width. Then this sets the label (`Tab._label`, which the `label` property reads) and
    its text without the layout, and without `Tab.Relabelled`, whose handler moves the tabs' underline, which
    stays where it is. Public way: `tab.label = label`, a layout of the screen and a second one for the tab's
    new size when the width does change.
    """
    if tab.label.plain == label:
        return
    if not tab.is_mounted or _tab_width(tab, tab.label.plain) != _tab_width(tab, label):
        tab.label = label
        return
    tab._label = Content(label)
    Static.update(tab, tab._label, layout=False)


def _tab_width(tab: Tab, label: str) -> int:
    """The width of `tab` showing `label`: its text and gutter, or its minimum width in cells when larger."""
    width = cell_len(label) + tab.styles.gutter.width
    minimum = tab.styles.min_width
    if minimum is not None and minimum.unit == Unit.CELLS:
        width = max(width, int(minimum.value))
    return width


def skip_same_size_resize(screen: Screen[Any], event: Resize) -> bool:
    """6. A resize to the size the screen already has lays nothing out.

    Textual lays a screen out and draws it whole on every resize event, even one of the size it already has, and
    a terminal app gets three as it starts (the app's own, the driver's, the terminal's answer about its size):
    five layouts before the app settled, against two with the same-size ones skipped (main screen, 120 x 35,
    headless). One costs ~6 ms when nothing changed (`python -m benchmarks.bench_internals`), and writes a whole
    frame to the terminal; anything that did change still asks for its own layout, which the update timer makes.
    This stops Screen's own handler, which runs after the screen's; `event.prevent_default()` is public, but
    the size of the last layout is the compositor's (private). Public way: let every
    resize lay the screen out. Returns True when the event was skipped.
    """
    # The size of the last layout (the screen's own `size` is already the terminal's new one).
    if event.size != screen._compositor.size:
        return False
    event.prevent_default()
    return True


# What RuleSet's own hash was; test_textual_compat checks it is still the rule's identity (see below).
TEXTUAL_RULE_HASH = RuleSet.__hash__


def hash_rules_in_c() -> None:
    """7. A style rule hashed by C code, not by a Python method.

    Textual's `Stylesheet.apply` (once per widget mounted, and again per class change) sorts out a widget's rules
    by testing every rule of the stylesheet (~500 for explorer's) against a set, which hashes each one with
    `RuleSet.__hash__`, a Python method returning `id(self)`. `object.__hash__` is the same identity hash in C:
    styling the main screen's 140 widgets took 74 ms against 92 ms (`python -m benchmarks.bench_internals`).
    Public way: none (it is how Textual hashes its rules).
    """
    RuleSet.__hash__ = object.__hash__  # type: ignore[method-assign]
