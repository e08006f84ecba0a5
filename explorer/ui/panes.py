"""The panes of a screen, each one key away: which widget a pane is, how to bring it forward and focus it.

A screen lists its panes in order (`Pane`s); alt+1, alt+2, … jump to them in that order, the command palette
offers "pane: go to …" for each, and the help screen names the keys. A pane inside a tabbed area (a `Room`)
names its area and tab, so jumping to it brings its tab to the front. New panes join by being listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.app import App
from textual.screen import Screen
from textual.widget import Widget

from explorer.ui.widgets.tabbed import TabbedPanes, TabStrip

# Panes get alt+1 … alt+9, in the order the screen lists them.
MAX_JUMP_KEYS = 9


@dataclass(frozen=True)
class Pane:
    """One pane: a name for people, the id of its widget, and where it lives when it is a tab of an area."""

    name: str
    widget_id: str
    # The tabbed area (its id) and the tab that holds the pane, when it is one of several.
    area: str | None = None
    tab: str | None = None
    # In the sidebar, which can be hidden.
    in_sidebar: bool = False


# What alt+1 … alt+9 arrive as: terminals send Escape and the digit, which Textual reads as the character
# macOS's Option key makes (Option+1 is ¡), so a binding names both.
_OPTION_DIGITS = (
    "inverted_exclamation_mark",
    "trade_mark_sign",
    "pound_sign",
    "cent_sign",
    "infinity",
    "section_sign",
    "pilcrow_sign",
    "bullet",
    "ª",
)


def breakpoint_classes(app: App[Any]) -> dict[str, bool]:
    """The size classes Textual gives a screen of `app`'s size (the app's breakpoints: the last threshold
    the width, or the height, reaches), each name mapped to whether it applies."""
    width, height = app.size
    classes: dict[str, bool] = {}
    for dimension, breakpoints in ((width, app.HORIZONTAL_BREAKPOINTS), (height, app.VERTICAL_BREAKPOINTS)):
        reached = [name for threshold, name in sorted(breakpoints or []) if dimension >= threshold]
        classes.update(dict.fromkeys((name for _, name in breakpoints or []), False))
        if reached:
            classes[reached[-1]] = True
    return classes


def jump_binding_keys(position: int) -> str:
    """The keys of a binding for the pane at `position` (0-based), as Textual names them."""
    return f"alt+{position + 1},{_OPTION_DIGITS[position]}"


def typed_jump(key: str) -> int | None:
    """The pane position (0-based) a key from a terminal's alt+digit stands for, else None.

    Textual reads Escape-then-digit as a character (alt+2 as ™), and a focused text field takes characters before
    any binding, even one with priority: the app asks this first, so the pane keys work from any field of the
    main screen (the URL, a header's value …) too.
    """
    return _OPTION_DIGITS.index(key) if key in _OPTION_DIGITS else None


def jump_key(position: int) -> str | None:
    """The key of the pane at `position` (0-based): alt+1 …, None past the ninth."""
    return f"alt+{position + 1}" if position < MAX_JUMP_KEYS else None


def pane_widget(screen: Screen[Any], pane: Pane) -> Widget | None:
    """The pane's widget, if it is built (a lazy tab is built when first opened)."""
    found = screen.query(f"#{pane.widget_id}")
    return found.first() if found else None


def bring_forward(screen: Screen[Any], pane: Pane) -> None:
    """Bring the tab that holds the pane to the front of its area (building it, if it is a lazy one)."""
    if pane.area is None or pane.tab is None:
        return
    areas = screen.query(f"#{pane.area}").results(TabbedPanes)
    for area in areas:
        if area.active != pane.tab:
            area.active = pane.tab


def focus_pane(widget: Widget) -> bool:
    """Give the focus to the pane's widget or the first thing in it that takes the focus; False if none does."""
    if widget.focusable:
        widget.focus()
        return True
    # The focus chain leaves out what is not displayed (a hint hidden once there is something to show). A row of
    # tabs is only a way to what is under it: the pane's content comes first (the response's body, say).
    inside = [child for child in widget.screen.focus_chain if widget in child.ancestors]
    for child in sorted(inside, key=lambda child: isinstance(child, TabStrip)):
        child.focus()
        return True
    for child in widget.query("*"):
        if child.focusable:
            child.focus()
            return True
    return False


def pane_of(screen: Screen[Any], panes: list[Pane], widget: Widget | None) -> Pane | None:
    """The pane that holds `widget` (the focused one, say), or None."""
    node = widget
    ids = {pane.widget_id: pane for pane in panes}
    while node is not None and node is not screen:
        if node.id in ids:
            return ids[node.id]
        parent = node.parent
        node = parent if isinstance(parent, Widget) else None
    return None


# -- the sidebar -------------------------------------------------------------------------------------------------
# One rule, that of layout.tcss, read from the screen's classes (they change at once; the computed display follows
# only once styles are updated): the user hides it anywhere (-sidebar-closed), and a narrow screen hides it unless
# the user showed it (-sidebar-open).


def sidebar_shown(screen: Screen[Any]) -> bool:
    """Whether the sidebar is on screen."""
    if screen.has_class("-sidebar-closed"):
        return False
    return not screen.has_class("-narrow") or screen.has_class("-sidebar-open")


def show_sidebar(screen: Screen[Any], show: bool) -> None:
    """Show or hide the sidebar, whatever the width."""
    screen.set_class(show, "-sidebar-open").set_class(not show, "-sidebar-closed")


def focus_in_sidebar(screen: Screen[Any]) -> bool:
    """Whether the focus is on something in the sidebar."""
    focused = screen.focused
    return focused is not None and screen.query_one("#sidebar") in focused.ancestors
