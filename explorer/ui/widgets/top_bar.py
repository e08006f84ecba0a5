"""The line at the top: the app's name, the active profile's stage badge, tenant and API, and the collection."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label

from explorer.core.model import Collection
from explorer.core.profiles import Profile
from explorer.ui.presentation import STAGE_LABELS, stage_classes


class TopBar(Horizontal):
    """Which profile and which collection the screen works with."""

    def compose(self) -> ComposeResult:
        yield Label("explorer", id="topbar-title")
        yield Label("", id="topbar-stage")
        yield Label("", id="topbar-profile", markup=False)
        yield Label("", id="topbar-collection", markup=False)

    def show_profile(self, profile: Profile | None) -> None:
        label = self.query_one("#topbar-profile", Label)
        badge = self.query_one("#topbar-stage", Label)
        if profile is None:
            label.update("no profile")
            badge.update("")
            badge.set_classes("")
            return
        tenant = f"  ·  tenant {profile.tenant}" if profile.tenant != profile.name else ""
        label.update(f"{profile.name}{tenant}  ·  {profile.api_url}")
        badge.update(STAGE_LABELS[profile.stage])
        badge.set_classes(stage_classes(profile.stage))

    def show_collection(self, collection: Collection | None) -> None:
        label = self.query_one("#topbar-collection", Label)
        if collection is None:
            label.update("no collection")
            label.tooltip = None
            return
        path = collection.path
        label.update(f"{collection.name}  ·  {path.name}" if path is not None else collection.name)
        label.tooltip = str(path) if path is not None else None
