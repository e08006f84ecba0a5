"""Every place explorer leans on Textual's internals, in one module.

Each use below says what it buys and what the public way would cost. The figures come from
`python -m benchmarks.bench_internals` (the real app headless) on the shared 2-core machine: those of 1 to 6 with a
load average of 11, where everything takes several times as long as on a quiet machine (compare the pairs, not
the absolute values), those of 7 to 9 with a load average of 1.2. They were measured with Textual 8.2, which
`pyproject.toml` pins (`textual>=8.2,<8.3`); `tests/ui/test_textual_compat.py` fails, naming the internal, when an
upgrade moves or renames one of them. When it does, re-measure with `python -m benchmarks.run` before choosing
between adapting the use and the public way.
"""

from __future__ import annotations

import contextlib
import hashlib
import operator
import os
import pickle
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import textual
from textual.css.model import RuleSet
from textual.css.stylesheet import Stylesheet
from textual.dom import DOMNode
from textual.events import Resize, ScreenResume
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.widget import Widget
from textual.widgets import Input

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen

__all__ = [
    "ParsedCssStore",
    "SteadyInput",
    "ThemeCssPreset",
    "copy_encoded_to_clipboard",
    "hash_rules_in_c",
    "parse_new_css_only",
    "resize_scroll_area",
    "set_virtual_size_keeping_layout",
    "skip_first_resume_restyle",
    "skip_same_size_resize",
    "style_mounted_widgets_only",
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


def skip_same_size_resize(screen: Screen[Any], event: Resize) -> bool:
    """5. A resize to the size the screen already has lays nothing out.

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
    """6. A style rule hashed by C code, not by a Python method.

    Textual's `Stylesheet.apply` (once per widget mounted, and again per class change) sorts out a widget's rules
    by testing every rule of the stylesheet (~500 for explorer's) against a set, which hashes each one with
    `RuleSet.__hash__`, a Python method returning `id(self)`. `object.__hash__` is the same identity hash in C:
    styling the main screen's 140 widgets took 74 ms against 92 ms (`python -m benchmarks.bench_internals`).
    Public way: none (it is how Textual hashes its rules).
    """
    RuleSet.__hash__ = object.__hash__  # type: ignore[method-assign]


# Textual's own parse and map (test_textual_compat compares what they make with what the versions below make).
TEXTUAL_PARSE = Stylesheet.parse
TEXTUAL_RULES_MAP: property = Stylesheet.rules_map  # type: ignore[assignment]


def parse_new_css_only() -> None:
    """7. The CSS a widget class brings parsed alone, not the whole stylesheet again.

    Textual parses its stylesheet when a widget is styled after any source was added, and every widget class
    mounted for the first time adds its DEFAULT_CSS. The main screen mounts in ~16 waves, so its first frame went
    through 16 whole parses (each source but the new ones from Textual's cache) and 16 rebuilds of the map from
    selector names to the ~550 rules. When the sources were only added to, as then, this parses the new ones alone
    (with Textual's parse) and adds their rules to the end of the list and of the map: the same list and map a
    whole parse makes, in the same order. Any other change (a source that changed, a new theme's reparse) takes
    Textual's own path. The first frame's stylings (which parse) took 90 ms against 107 ms with Textual's parse
    (`bench_internals`, "first frame": a fresh process, 120 x 35, medians of 7; processor time to the first frame
    717 ms against 788 ms, within the noise). Public way: none (it is how Textual parses).
    """
    Stylesheet.parse = _parse_new_sources  # type: ignore[method-assign,assignment]
    Stylesheet.rules_map = property(_rules_map_grown)  # type: ignore[method-assign,assignment]


def _parse_new_sources(stylesheet: Stylesheet) -> None:
    parsed: tuple[list[RuleSet], dict[Any, Any]] | None = stylesheet.__dict__.get("_explorer_parsed")
    whole = stylesheet.source
    if parsed is not None and parsed[0] is stylesheet._rules and _extends(parsed[1], whole):
        rules, sources = parsed
        # Textual's parse over the new sources only: its cache, variables and error handling stay its own.
        stylesheet.source = dict(list(whole.items())[len(sources) :])
        try:
            TEXTUAL_PARSE(stylesheet)
        finally:
            stylesheet.source = whole
        stylesheet._rules = rules + stylesheet._rules
    else:
        TEXTUAL_PARSE(stylesheet)
    stylesheet.__dict__["_explorer_parsed"] = (stylesheet._rules, dict(whole))


def _extends(before: dict[Any, Any], after: dict[Any, Any]) -> bool:
    """Whether `after` is `before` with sources added at the end (a changed source or a new order is not)."""
    if len(after) < len(before):
        return False
    return all(
        key == old_key and after[key] == value for key, (old_key, value) in zip(after, before.items(), strict=False)
    )


def _rules_map_grown(stylesheet: Stylesheet) -> dict[str, list[RuleSet]]:
    if stylesheet._rules_map is None:
        rules = stylesheet.rules
        built: tuple[list[RuleSet], dict[str, list[RuleSet]]] | None = stylesheet.__dict__.get("_explorer_mapped")
        if built is not None and len(rules) >= len(built[0]) and all(map(operator.is_, built[0], rules)):
            base, old = built
            grown = {name: list(entries) for name, entries in old.items()}
            for rule in rules[len(base) :]:
                for name in rule.selector_names:
                    grown.setdefault(name, []).append(rule)
            stylesheet._rules_map = grown
        else:
            stylesheet._rules_map = TEXTUAL_RULES_MAP.fget(stylesheet)  # type: ignore[misc]
        stylesheet.__dict__["_explorer_mapped"] = (rules, stylesheet._rules_map)
    return stylesheet._rules_map


# The modules whose classes a parsed rule is made of: a new Textual rewrites them, and the stored rules go.
_RULE_MODULES = ("css/model.py", "css/styles.py", "css/tokenizer.py", "css/scalar.py", "color.py")
_STORE_FORMAT = 1
# Textual keeps 64 sources' rules (an LRU): seeding more would push out the first frame's own.
_STORE_MOST = 60


class ParsedCssStore:
    """8. The stylesheet parsed at one start kept for the next.

    Parsing the CSS the main screen needs (explorer's three .tcss files and the DEFAULT_CSS of ~35 widget
    classes, ~550 rules) took ~100 ms of every start. Textual caches each source's rules by its text
    (`Stylesheet._parse_cache`): after the first frame this writes that cache to a file, and the next start hands
    its entries back before anything is parsed, in ~15 ms. The first frame's processor time: 717 ms against 876 ms
    without it (`bench_internals`, "first frame", medians of 7; its stylings, which parse: 90 ms against 201 ms).
    An entry serves only the same CSS text from the same place, so a changed widget is parsed afresh; the file holds
    one theme's variables for one Python and one install of Textual, and is ignored (then written again) when any
    of these differ or it cannot be read. It holds no secret: rules and colours. Public way: parse at every start.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._seeded: set[Any] = set()
        self._header: tuple[Any, ...] | None = None

    def seed(self, stylesheet: Stylesheet) -> int:
        """Hand `stylesheet` the rules stored for its variables (call once they are set); how many."""
        if self.path is None:
            return 0  # no store: nothing to read, nor to check a file against
        self._header = _store_header(stylesheet._variables)
        if not self._header:
            return 0
        try:
            with self.path.open("rb") as handle:
                if pickle.load(handle) != self._header:
                    return 0
                entries: list[tuple[Any, list[RuleSet]]] = pickle.load(handle)
        except Exception:  # missing, cut short, from another version: parse as if there were none
            return 0
        cache = stylesheet._parse_cache
        for key, rules in entries[:_STORE_MOST]:
            cache.set(key, rules)
            self._seeded.add(key)
        return len(self._seeded)

    def writer(self, stylesheet: Stylesheet) -> Callable[[], None] | None:
        """What writes what was parsed, for a thread, or None when the stored file already holds it all.

        Called on the event loop once the first frame is drawn: it takes a copy of the entries there."""
        cache = stylesheet._parse_cache
        held = cache.keys()  # an LRU cache: not iterable itself
        keys = [key for key in held if key[1] in stylesheet.source]
        if self.path is None or not self._header or not keys or set(keys) <= self._seeded:
            return None
        entries = [(key, cache.get(key)) for key in keys[-_STORE_MOST:]]
        path, header = self.path, self._header
        self._seeded = set(keys)

        def write() -> None:
            from explorer.core.atomic import write_bytes_atomic

            data = pickle.dumps(header, protocol=pickle.HIGHEST_PROTOCOL)
            data += pickle.dumps(entries, protocol=pickle.HIGHEST_PROTOCOL)
            with contextlib.suppress(OSError):  # a cache: the next start parses, as without one
                write_bytes_atomic(path, data, new_mode=0o600)

        return write


def _store_header(variables: Mapping[str, str]) -> tuple[Any, ...]:
    root = Path(textual.__file__).parent
    installed = []
    for name in _RULE_MODULES:
        try:
            stat = os.stat(root / name)
        except OSError:
            return ()
        installed.append((name, stat.st_size, stat.st_mtime_ns))
    digest = hashlib.sha256(repr(sorted(variables.items())).encode()).hexdigest()
    return ("explorer parsed css", _STORE_FORMAT, sys.version_info[:2], str(root), tuple(installed), digest)


# Textual's own: test_textual_compat checks that it still styles a widget that has no parent yet.
TEXTUAL_UPDATE_NODE_STYLES = DOMNode.update_node_styles


def style_mounted_widgets_only() -> None:
    """9. A widget that is not in the DOM yet is not styled when its classes change: it is styled as it mounts.

    Textual restyles a widget (and each of its component classes) at once when a class of it changes, even while
    it is being made and has no parent: styles nothing will use, since mounting styles it again. Input and Button
    set their `compact` reactive in their constructor, whose class toggle removes and then adds
    `-textual-compact`, and an Input given a value validates it, which adds `-valid`. The main screen's first
    frame styled widgets 256 times, 58 of them on widgets not yet mounted (an Input counts once and once per
    component class). This skips the update for a widget without a parent; anything else (the app, a screen, a
    mounted widget) is updated as before. The first frame's stylings: 198 taking 90 ms, against 256 taking 126 ms
    (`bench_internals`, "first frame", medians of 7). Public way: let them be styled for nothing.
    """
    DOMNode.update_node_styles = _update_node_styles_if_mounted  # type: ignore[method-assign,assignment]


def _update_node_styles_if_mounted(node: DOMNode, animate: bool = True) -> None:
    if isinstance(node, Widget) and node._parent is None:
        return  # styled when it is mounted (App._register), with the classes it has then
    TEXTUAL_UPDATE_NODE_STYLES(node, animate=animate)
