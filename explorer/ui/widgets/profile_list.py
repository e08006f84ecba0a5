"""The profiles pane: profiles grouped by company, each with its stage badge; production is unmistakable.

Choosing a profile (Enter or a click) posts `ProfileList.ProfileSelected`; the screen switches the engine and
tells the list which profile is active with `set_active`. Moving the cursor alone switches nothing. n, e and d
ask for a new profile, or to edit or delete the one under the cursor (`ProfileList.ChangeRequested`).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from typing import ClassVar, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import ListItem, ListView, Static

from explorer.core.profiles import Profile
from explorer.ui.presentation import STAGE_LABELS


class CompanyItem(ListItem):
    """A company's heading in the list: not selectable. It draws itself (no child widgets to lay out)."""

    def __init__(self, company: str) -> None:
        super().__init__(classes="profile-company", disabled=True)
        self.company = company

    def render(self) -> Content:
        return Content(self.company)


class ProfileItem(ListItem):
    """One profile in the list: its name, and its stage badge on the right.

    It draws both itself, styled through component classes, rather than holding a row of labels: a list of
    profiles would otherwise be four widgets a profile to build, style and lay out at every start.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"profile-item--name", "profile-item--badge"}

    def __init__(self, profile: Profile, *, active: bool = False) -> None:
        super().__init__(classes=f"profile-item -{profile.stage.value}")
        self.profile = profile
        self.active = active
        self.set_class(active, "-active")
        self.tooltip = profile.description or None

    def render(self) -> Content:
        badge = f" {STAGE_LABELS[self.profile.stage]} "
        room = max(0, self.content_size.width - len(badge))
        name = Content(self._text()).truncate(room, ellipsis=True, pad=True).plain
        return Content.assemble(
            (name, self.get_visual_style("profile-item--name")),
            (badge, self.get_visual_style("profile-item--badge")),
        )

    def mark_active(self, active: bool) -> None:
        if active != self.active:
            self.active = active
            self.set_class(active, "-active")
            self.refresh()

    def _text(self) -> str:
        return ("● " if self.active else "  ") + self.profile.name


class ProfileList(Vertical):
    """Profiles grouped by company. An empty list shows how to get some."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "change('new')", "New", id="profile.new"),
        Binding("e", "change('edit')", "Edit", id="profile.edit"),
        Binding("d", "change('delete')", "Delete", id="profile.delete"),
    ]

    @dataclass
    class ChangeRequested(Message):
        """The user asked for a new profile, or to edit or delete `name`."""

        action: Literal["new", "edit", "delete"]
        name: str | None

    class ProfileSelected(Message):
        """The user chose a profile."""

        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name

    def __init__(
        self,
        profiles: list[Profile] | None = None,
        *,
        empty_text: str = "",
        active: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """
        Args:
            profiles: The profiles to show from the start (None: none yet, see `set_profiles`).
            empty_text: What the list says when there are no profiles.
            active: The active profile's name.
        """
        super().__init__(id=id, classes=classes)
        self._profiles: list[Profile] = list(profiles or [])
        self._empty_text: str | None = empty_text if profiles is not None else None
        self._active = active

    def compose(self) -> ComposeResult:
        # Built with its items, so the list is in the first frame without being filled a moment later.
        items = self._items(self._profiles)
        listview = ListView(*items, id="profile-listview", initial_index=self._cursor_index(items))
        listview.display = bool(self._profiles)
        yield listview
        help_text = Static(self._empty_text or "", id="profile-help", markup=False)
        help_text.display = not self._profiles and bool(self._empty_text)
        yield help_text

    def on_mount(self) -> None:
        self.border_title = "Profiles"

    @on(ListView.Selected, "#profile-listview")
    def _on_selected(self, event: ListView.Selected) -> None:
        event.stop()
        if isinstance(event.item, ProfileItem):
            self.post_message(self.ProfileSelected(event.item.profile.name))

    async def set_profiles(self, profiles: list[Profile], *, empty_text: str = "") -> None:
        """Show these profiles (grouped by company in first-seen order), or `empty_text` when there are none."""
        if profiles == self._profiles and empty_text == self._empty_text:
            # Already on show (the app shows the profiles before its session starts, and again once it has).
            self.set_active(self._active)
            return
        self._profiles = list(profiles)
        self._empty_text = empty_text
        listview = self.query_one("#profile-listview", ListView)
        await listview.clear()
        items = self._items(profiles)
        await listview.extend(items)
        help_text = self.query_one("#profile-help", Static)
        help_text.update(empty_text)
        help_text.display = not profiles and bool(empty_text)
        listview.display = bool(profiles)
        self.set_active(self._active)
        if listview.index is None and profiles:
            listview.index = self._cursor_index(items)

    def _items(self, profiles: list[Profile]) -> list[ListItem]:
        order = {company: i for i, company in enumerate(dict.fromkeys(p.company for p in profiles))}
        items: list[ListItem] = []
        ordered = sorted(profiles, key=lambda p: order[p.company])
        for company, group in groupby(ordered, key=lambda p: p.company):
            items.append(CompanyItem(company))
            items.extend(ProfileItem(profile, active=profile.name == self._active) for profile in group)
        return items

    def _cursor_index(self, items: list[ListItem]) -> int | None:
        """Where the cursor starts: on the active profile, else the first (not its company's heading)."""
        profiles = [i for i, item in enumerate(items) if isinstance(item, ProfileItem)]
        active = [i for i in profiles if isinstance(item := items[i], ProfileItem) and item.active]
        chosen = active or profiles
        return chosen[0] if chosen else None

    def set_active(self, name: str | None) -> None:
        """Mark the active profile and put the cursor on it."""
        self._active = name
        listview = self.query_one("#profile-listview", ListView)
        for index, item in enumerate(listview.children):
            if isinstance(item, ProfileItem):
                active = item.profile.name == name
                item.mark_active(active)
                if active:
                    listview.index = index

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "change" and parameters and parameters[0] in ("edit", "delete"):
            return True if self.highlighted is not None else None
        return True

    def action_change(self, action: Literal["new", "edit", "delete"]) -> None:
        self.post_message(self.ChangeRequested(action, self.highlighted))

    @property
    def highlighted(self) -> str | None:
        """The profile under the cursor."""
        item = self.query_one("#profile-listview", ListView).highlighted_child
        return item.profile.name if isinstance(item, ProfileItem) else None

    @property
    def profile_names(self) -> list[str]:
        return [p.name for p in self._profiles]

    def focus_list(self) -> None:
        self.query_one("#profile-listview", ListView).focus()
