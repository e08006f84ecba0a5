"""Tabbed areas whose row of tabs is one widget.

Textual's `TabbedContent` builds its row of tabs from 5 widgets plus one per tab (a scrolling container, two
boxes, the tabs and an underline), and moves the underline with an animation. The main screen has four tabbed
areas on show at start-up (the sidebar's rooms, the request's tabs, the results' rooms, the response's tabs): 33
widgets to style, lay out and draw before the first frame. `TabStrip` draws the labels and the underline itself,
one widget per area, in Textual's look; `TabbedPanes` puts it over a `ContentSwitcher` of `TabPane`s and
says which one is on show (`TabActivated`). A label that changes (a count) repaints the row without a layout.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import ContentSwitcher

__all__ = ["Tab", "TabPane", "TabStrip", "TabbedPanes"]

# The underline's pieces (as Textual's `Bar` draws them): a whole cell, and the right and left halves of one.
BAR, HALF_RIGHT, HALF_LEFT = "━", "╸", "╺"
NOT_REVERSED = Style(reverse=False)


@dataclass(frozen=True)
class Tab:
    """One tab: the id of the pane it shows, its label, and the fewest cells its label takes (room for a count that
    comes later, so the tabs after it stay where they are)."""

    pane_id: str
    label: str
    min_width: int = 0


class TabStrip(Widget, can_focus=True):
    """A row of tab labels over an underline that marks the active one; ← and → move between tabs when focused.

    On a short screen (height 1, see styles/layout.tcss) the underline goes and the active label is reversed."""

    DEFAULT_CSS = """
    TabStrip {
        width: 1fr;
        height: 2;
        & > .tab-strip--tab { color: $foreground 50%; }
        & > .tab-strip--hover { color: $foreground; }
        & > .tab-strip--active { color: $foreground; }
        & > .tab-strip--bar { color: $block-cursor-background; background: $foreground 10%; }
        &:focus > .tab-strip--active {
            text-style: $block-cursor-text-style;
            color: $block-cursor-foreground;
            background: $block-cursor-background;
        }
        &:focus > .tab-strip--bar { background: $foreground 30%; }
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "tab-strip--tab",
        "tab-strip--hover",
        "tab-strip--active",
        "tab-strip--bar",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "previous_tab", "Previous tab", show=False),
        Binding("right", "next_tab", "Next tab", show=False),
    ]
    ALLOW_SELECT = False

    active: reactive[str] = reactive("", init=False)
    """The pane id of the active tab."""

    @dataclass
    class Chosen(Message):
        """A tab was clicked or moved to with a key."""

        strip: TabStrip
        pane_id: str

    def __init__(self, tabs: Sequence[Tab], *, active: str = "", id: str | None = None) -> None:
        super().__init__(id=id)
        self._tabs = list(tabs)
        self.set_reactive(TabStrip.active, active or (self._tabs[0].pane_id if self._tabs else ""))
        self._hover: int | None = None

    def set_label(self, pane_id: str, label: str) -> None:
        """Relabel a tab: the row is repainted, nothing is laid out (the strip's size does not depend on it)."""
        index = self._index(pane_id)
        tab = self._tabs[index]
        if tab.label != label:
            self._tabs[index] = Tab(tab.pane_id, label, tab.min_width)
            self.refresh()

    def _index(self, pane_id: str) -> int:
        for index, tab in enumerate(self._tabs):
            if tab.pane_id == pane_id:
                return index
        raise ValueError(f"no tab for {pane_id!r}")

    def _spans(self) -> list[tuple[int, int]]:
        """Where each label's text sits: (first cell, cells), after a cell of padding on each side."""
        spans = []
        x = 0
        for tab in self._tabs:
            width = max(cell_len(tab.label), tab.min_width - 2)
            spans.append((x + 1, width))
            x += width + 2
        return spans

    def tab_at(self, x: int) -> str | None:
        """The pane id of the tab over column `x`, if any."""
        for tab, (start, width) in zip(self._tabs, self._spans(), strict=True):
            if start - 1 <= x < start + width + 1:
                return tab.pane_id
        return None

    def watch_active(self) -> None:
        self.refresh()

    def _choose(self, pane_id: str) -> None:
        self.post_message(self.Chosen(self, pane_id))

    def action_next_tab(self) -> None:
        self._step(1)

    def action_previous_tab(self) -> None:
        self._step(-1)

    def _step(self, step: int) -> None:
        if self._tabs:
            index = (self._index(self.active) + step) % len(self._tabs) if self.active else 0
            self._choose(self._tabs[index].pane_id)

    def on_click(self, event: events.Click) -> None:
        pane_id = self.tab_at(event.x)
        if pane_id is not None:
            event.stop()
            self._choose(pane_id)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        pane_id = self.tab_at(event.x)
        hover = None if pane_id is None else self._index(pane_id)
        if hover != self._hover:
            self._hover = hover
            self.refresh()

    def on_leave(self, event: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        if y == 0:
            return self._labels(width, base)
        if y == 1:
            return self._underline(width, base)
        return Strip.blank(width, base)

    def _labels(self, width: int, base: Style) -> Strip:
        segments: list[Segment] = []
        styles = {name: self.get_component_rich_style(f"tab-strip--{name}") for name in ("tab", "hover", "active")}
        for index, (tab, (_, cells)) in enumerate(zip(self._tabs, self._spans(), strict=True)):
            if tab.pane_id == self.active:
                style = styles["active"]
            elif index == self._hover:
                style = styles["hover"]
            else:
                style = styles["tab"]
            # The padding (and the room kept for a longer label) take the tab's colours but not a reversed label's
            # (a short screen's active tab).
            padding = style + NOT_REVERSED
            fill = " " * (cells - cell_len(tab.label))
            segments += [Segment(" ", padding), Segment(tab.label, style), Segment(f"{fill} ", padding)]
        return Strip(segments).adjust_cell_length(width, base)

    def _underline(self, width: int, base: Style) -> Strip:
        # As Textual's underline draws it: the bar's colour for the active tab, its background colour for the rest,
        # both over the strip's own background.
        bar = self.get_component_rich_style("tab-strip--bar")
        highlight = Style(color=bar.color, bgcolor=base.bgcolor)
        rest = Style(color=bar.bgcolor, bgcolor=base.bgcolor)
        spans = self._spans()
        if self.active not in {tab.pane_id for tab in self._tabs}:
            return Strip([Segment(BAR * width, rest)], width)
        start, cells = spans[self._index(self.active)]
        end = min(start + cells, width)
        segments = [Segment(BAR * (start - 1) + HALF_RIGHT, rest)] if start > 0 else []
        segments.append(Segment(BAR * (end - start), highlight))
        if end < width:
            segments.append(Segment(HALF_LEFT + BAR * (width - end - 1), rest))
        return Strip(segments).adjust_cell_length(width)


class TabPane(Widget):
    """One pane of a `TabbedPanes`: its tab's label, and what it shows."""

    DEFAULT_CSS = """
    TabPane {
        height: auto;
    }
    """

    @dataclass
    class Focused(Message):
        """Something in the pane took the focus."""

        pane: TabPane

    def __init__(self, title: str, *children: Widget, id: str, min_width: int = 0) -> None:
        super().__init__(*children, id=id)
        self.tab = Tab(id, title, min_width)

    def _on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self.post_message(self.Focused(self))


class TabbedPanes(Widget):
    """`TabPane`s under a `TabStrip` of their labels, one on show at a time. The panes are given as children
    (positionally, with `with`, or `compose_add_child`)."""

    DEFAULT_CSS = """
    TabbedPanes {
        height: auto;
        & > TabStrip { dock: top; }
        & > ContentSwitcher { height: auto; }
    }
    """

    active: reactive[str] = reactive("", init=False)
    """The id of the pane on show."""

    class TabActivated(Message):
        """Another pane is on show (not posted for the first one)."""

        ALLOW_SELECTOR_MATCH: ClassVar[set[str]] = {"pane"}

        def __init__(self, tabbed: TabbedPanes, pane: TabPane) -> None:
            self.tabbed = tabbed
            self.pane = pane
            super().__init__()

        @property
        def control(self) -> TabbedPanes:
            return self.tabbed

    def __init__(self, *panes: TabPane, id: str | None = None) -> None:
        super().__init__(id=id)
        self._panes: list[TabPane] = list(panes)
        self._strip: TabStrip | None = None

    def compose_add_child(self, widget: Widget) -> None:
        if not isinstance(widget, TabPane):
            raise TypeError(f"a TabbedPanes holds TabPanes, not {widget!r}")
        self._panes.append(widget)

    def compose(self) -> ComposeResult:
        if not self.active and self._panes:
            self.set_reactive(TabbedPanes.active, self._panes[0].tab.pane_id)
        self._strip = TabStrip([pane.tab for pane in self._panes], active=self.active)
        yield self._strip
        yield ContentSwitcher(*self._panes, initial=self.active or None)

    def get_pane(self, pane_id: str) -> TabPane:
        for pane in self._panes:
            if pane.id == pane_id:
                return pane
        raise ValueError(f"no pane {pane_id!r}")

    def label(self, pane_id: str) -> str:
        return self.get_pane(pane_id).tab.label

    def set_label(self, pane_id: str, label: str) -> None:
        pane = self.get_pane(pane_id)
        pane.tab = Tab(pane.tab.pane_id, label, pane.tab.min_width)
        if self._strip is not None:
            self._strip.set_label(pane_id, label)

    def validate_active(self, pane_id: str) -> str:
        self.get_pane(pane_id)  # raises ValueError for a pane it does not hold
        return pane_id

    def watch_active(self, pane_id: str) -> None:
        if self._strip is None:
            return  # not composed yet: it starts on this pane
        self._strip.active = pane_id
        self.get_child_by_type(ContentSwitcher).current = pane_id
        self.post_message(self.TabActivated(self, self.get_pane(pane_id)))

    @on(TabStrip.Chosen)
    def _on_chosen(self, message: TabStrip.Chosen) -> None:
        if message.strip is self._strip:
            message.stop()
            self.active = message.pane_id

    @on(TabPane.Focused)
    def _on_pane_focused(self, message: TabPane.Focused) -> None:
        # Something in a pane took the focus (a jump key, a click): its tab comes to the front.
        if message.pane in self._panes:
            message.stop()
            self.active = message.pane.tab.pane_id
