"""The Textual app: theme registration, app-wide bindings and palette, the demo sandbox, saved preferences.

`make_app(settings, …)` is the one place that wires things: it reads what the app needs from disk (before the
app starts), builds the session and the app. Tests build the app the same way with a fixed clock and settings.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import ClassVar

from textual import events, on, work
from textual.app import App
from textual.binding import Binding, BindingType, Keymap
from textual.command import Provider
from textual.filter import LineFilter
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.theme import Theme
from textual.worker import Worker

from explorer.app.collection_files import remember
from explorer.app.demo import DemoEnvironment, start_demo
from explorer.app.session import BackgroundFileCache, Session
from explorer.app.settings import DEFAULT_THEME, AppSettings, Startup, read_startup, save_user_settings
from explorer.core.themes import DEFAULT_DARK_PYGMENTS, DEFAULT_LIGHT_PYGMENTS, ThemeSpec
from explorer.core.tokens import Clock, TokenCache
from explorer.core.userpaths import style_cache_path
from explorer.ui.controllers.collection import CollectionOpened, is_shipped
from explorer.ui.highlighting import pygments_style_exists
from explorer.ui.notify import report_worker_failure
from explorer.ui.palette import ExplorerCommands, PaletteCommand, bound_commands
from explorer.ui.panes import typed_jump
from explorer.ui.screens.main import MainScreen
from explorer.ui.terminal_safety import ControlFilter, clean_notification
from explorer.ui.textual_compat import (
    ParsedCssStore,
    ThemeCssPreset,
    hash_rules_in_c,
    parse_new_css_only,
    style_mounted_widgets_only,
)


def textual_theme(spec: ThemeSpec) -> Theme:
    return Theme(
        name=spec.name,
        primary=spec.primary,
        secondary=spec.secondary,
        accent=spec.accent,
        background=spec.background,
        surface=spec.surface,
        panel=spec.panel,
        foreground=spec.foreground,
        success=spec.success,
        warning=spec.warning,
        error=spec.error,
        boost=spec.boost,
        dark=spec.dark,
        variables=dict(spec.variables),
    )


@dataclass
class DemoStarted(Message):
    """The demo sandbox listens (posted from the thread that started it)."""

    demo: DemoEnvironment


class ExplorerApp(App[None]):
    """explorer's terminal UI."""

    TITLE = "explorer"
    CSS_PATH = ["styles/widgets.tcss", "styles/app.tcss", "styles/layout.tcss"]
    # Classes on every screen that styles/layout.tcss adapts the layout to.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-medium"), (160, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-mid"), (45, "-tall")]
    # One provider for every entry, Textual's own included, so that all are ranked by the same rule.
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {ExplorerCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        # Shown in the palette ("app: quit") rather than the footer, which needs the room.
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True, show=False),
    ]

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every toast of the app goes out here: its text may quote a server or a file, so it is cleaned of
        control characters and never read as markup (`[link=…]` in an error description stays text)."""
        title, message = clean_notification(title, message)
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def get_line_filters(self) -> Sequence[LineFilter]:
        return [*super().get_line_filters(), self._control_filter]

    def __init__(
        self,
        startup: Startup,
        session: Session,
        *,
        after_first_frame: Callable[[], object] | None = None,
        style_cache: Path | None = None,
    ) -> None:
        # Before any widget is styled (see textual_compat).
        hash_rules_in_c()
        parse_new_css_only()
        style_mounted_widgets_only()
        super().__init__()
        self._control_filter = ControlFilter()
        self._after_first_frame = after_first_frame
        self.startup = startup
        self.settings = startup.settings
        self.session = session
        self.user = startup.user
        self.demo: DemoEnvironment | None = None
        # The user's keys by binding id (see set_keymap): the palette shows them beside its entries.
        self.keymap: dict[str, str] = {}
        self._main: MainScreen | None = None
        self._theme_specs: dict[str, ThemeSpec] = {}
        for spec in startup.themes:
            self.register_theme(textual_theme(spec))
            self._theme_specs[spec.name] = spec
        self._unknown_theme: str | None = None
        wanted = startup.theme_name
        if wanted not in self.available_themes:
            self._unknown_theme = wanted
            wanted = DEFAULT_THEME if DEFAULT_THEME in self.available_themes else "textual-dark"
        self.theme = wanted
        # Setting the theme queues a refresh of the CSS that would parse and apply it all a second time.
        self._css_preset = ThemeCssPreset(self)
        self._css_store = ParsedCssStore(style_cache)
        self._css_store.seed(self.stylesheet)

    @property
    def main(self) -> MainScreen:
        """The main screen (the first on the stack, whatever dialog is open above it)."""
        if self._main is None:
            self._main = MainScreen(self.session, self.settings, self.startup.collection)
        return self._main

    def get_default_screen(self) -> Screen[None]:
        return self.main

    def refresh_css(self, animate: bool = True) -> None:
        if not self._css_preset.skip_refresh(self):
            super().refresh_css(animate=animate)

    def on_mount(self) -> None:
        self.main.set_pygments_style(self.pygments_style())
        self._report_startup()
        self.call_after_refresh(self._first_frame_shown)

    def _first_frame_shown(self) -> None:
        if self._after_first_frame is not None:
            self._after_first_frame()
        write_css = self._css_store.writer(self.stylesheet)
        if write_css is not None:
            self.run_worker(write_css, name="store the parsed stylesheet", thread=True, exit_on_error=False)
        if self.settings.demo:
            # Making the sandbox's key takes the interpreter for a while: not before the screen is up.
            self._start_demo()

    async def on_unmount(self) -> None:
        await self.session.close()
        demo, self.demo = self.demo, None
        if demo is not None:
            await asyncio.to_thread(demo.stop)
        if isinstance(self.session.cache, BackgroundFileCache):
            await asyncio.to_thread(self.session.cache.close)

    async def on_event(self, event: events.Event) -> None:
        # alt+digit from a terminal arrives as a character a focused text field would take (see typed_jump).
        if isinstance(event, events.Key) and not event.is_forwarded and self.screen is self.main:
            position = typed_jump(event.key)
            if position is not None:
                event.stop()
                await self.main.run_action(f"jump({position})")
                return
        await super().on_event(event)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # Snapshot tests turn the blink off so every frame of a focused input is the same.
        if not self.settings.cursor_blink and hasattr(event.widget, "cursor_blink"):
            event.widget.cursor_blink = False

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_worker_failure(self, event)

    # -- start-up ------------------------------------------------------------------------------------------

    def _report_startup(self) -> None:
        startup = self.startup
        if startup.profiles_error is not None:
            error = startup.profiles_error
            self.notify(f"{error}", title=error.title, severity="error", timeout=20, markup=False)
        elif startup.profiles_missing and not self.settings.demo:
            path = startup.profiles.path
            self.notify(
                f"There is no profiles file at {path}. Create one (README.md shows how), pass --config FILE, "
                "or try `explorer --demo` to explore a built-in sandbox.",
                title="No profiles yet",
                severity="warning",
                timeout=20,
                markup=False,
            )
        for warning in startup.profiles.warnings:
            self.notify(warning, title="Profiles", severity="warning", markup=False)
        if startup.collection_error is not None:
            failed = startup.collection_error
            self.notify(
                f"{failed}\nThe file was left as it is.",
                title="Collection not loaded",
                severity="error",
                timeout=20,
                markup=False,
            )
        if startup.theme_errors:
            listed = "\n".join(f"• {error.message}" for error in startup.theme_errors)
            count = len(startup.theme_errors)
            self.notify(
                listed,
                title=f"{count} theme{'s' if count != 1 else ''} not loaded",
                severity="warning",
                timeout=15,
                markup=False,
            )
        if self._unknown_theme is not None:
            known = ", ".join(sorted(self._theme_specs)) or "none"
            self.notify(
                f"There is no theme {self._unknown_theme!r}; using {self.theme}. Themes: {known}.",
                title="Unknown theme",
                severity="warning",
                markup=False,
            )
        if startup.settings_error is not None:
            self.notify(str(startup.settings_error), title=startup.settings_error.title, severity="warning")

    @work(thread=True, exit_on_error=False, name="Starting the demo sandbox")
    def _start_demo(self) -> None:
        # Key generation and binding a port take a moment: never on the event loop.
        try:
            demo = start_demo(self.settings.demo_token_ttl)
        except OSError as exc:
            self.call_from_thread(
                self.notify, f"The demo sandbox could not start: {exc}.", title="Demo", severity="error"
            )
            self.call_from_thread(self.main.profiles.demo_failed)
            return
        self.post_message(DemoStarted(demo))

    @on(DemoStarted)
    def _demo_ready(self, message: DemoStarted) -> None:
        demo = message.demo
        self.demo = demo
        self.main.profiles.offer(demo.profiles, demo.secrets)
        self.notify(
            f"A sandbox runs at {demo.server.base_url} with three stages. Tokens live "
            f"{self.settings.demo_token_ttl} s here, so you can watch them renew.",
            title="Demo mode",
            markup=False,
        )

    # -- themes --------------------------------------------------------------------------------------------

    def pygments_style(self, name: str | None = None) -> str:
        spec = self._theme_specs.get(name or self.theme)
        if spec is not None:
            return spec.pygments_style
        theme = self.get_theme(name or self.theme)
        return DEFAULT_DARK_PYGMENTS if theme is None or theme.dark else DEFAULT_LIGHT_PYGMENTS

    def set_theme(self, name: str) -> None:
        """Switch theme now and remember it for next time."""
        self.theme = name
        self.main.set_pygments_style(self.pygments_style(name))
        self.user.theme = name
        self._save_settings()

    @on(CollectionOpened)
    def _on_collection_opened(self, message: CollectionOpened) -> None:
        # The demo leaves the user's preferences alone (a theme chosen on purpose is the exception).
        if self.settings.demo or is_shipped(message.path) or self.user.last_collection == message.path:
            return
        self.user.last_collection = message.path
        self.user.recent_collections = remember(self.user.recent_collections, message.path)
        self._save_settings()

    @work(thread=True, exclusive=True, exit_on_error=False, group="settings", name="Saving settings")
    def _save_settings(self) -> None:
        try:
            save_user_settings(self.settings.settings_file, self.user)
        except OSError as exc:
            self.call_from_thread(
                self.notify,
                f"{self.settings.settings_file}: {exc.strerror or exc}.",
                title="Settings not saved",
                severity="warning",
            )

    # -- palette -------------------------------------------------------------------------------------------

    def palette_commands(self) -> Iterable[PaletteCommand]:
        for name in sorted(self._theme_specs):
            spec = self._theme_specs[name]
            about = spec.description or ("dark" if spec.dark else "light")
            current = " (current)" if name == self.theme else ""
            yield PaletteCommand(
                f"theme: {name}", f"{about}{current}; bodies in {spec.pygments_style}", partial(self.set_theme, name)
            )
        yield from bound_commands(self, [self], self.keymap)
        # The one Textual command not already here under another name (keys, maximize, theme, quit).
        yield PaletteCommand(
            "app: save screenshot",
            "An SVG of the screen in your Downloads folder",
            # Once the palette is gone, so that it is not in the picture.
            lambda: self.set_timer(0.1, self.deliver_screenshot),
        )

    def set_keymap(self, keymap: Keymap) -> None:
        super().set_keymap(keymap)
        self.keymap = dict(keymap)

    def update_keymap(self, keymap: Keymap) -> None:
        super().update_keymap(keymap)
        self.keymap.update(keymap)

    async def action_quit(self) -> None:
        """Quit; with unsaved edits, ask first: save them all, discard them, or stay."""
        from explorer.ui.dialogs.unsaved import Answer, UnsavedDialog

        collections = self.main.collections
        unsaved = collections.unsaved()
        screen = self.screen
        if isinstance(screen, UnsavedDialog):
            # ctrl+q again while asked: quit, discarding (the dialog says so). Asked about something else (opening
            # another collection), that question goes and the one about quitting comes.
            if screen.quitting:
                screen.action_quit_discarding()
                return
            screen.dismiss("cancel")
        if not unsaved:
            self.exit()
            return

        async def answered(answer: Answer | None) -> None:
            if answer == "discard" or (answer == "save" and await collections.save_all()):
                self.exit()

        dialog = UnsavedDialog(
            "Quit", unsaved, can_save=collections.can_save_all(), discard_label="Discard and quit", quitting=True
        )
        self.push_screen(dialog, answered)


def make_app(
    settings: AppSettings,
    *,
    clock: Clock = time.time,
    startup: Startup | None = None,
    after_first_frame: Callable[[], object] | None = None,
) -> ExplorerApp:
    """Read what the app needs (before it starts), build the session and the app.

    `after_first_frame` is called once the first frame is on screen (`explorer` turns the garbage collector
    back on there).
    """
    if startup is None:
        startup = read_startup(settings, style_exists=pygments_style_exists)
    cache: TokenCache
    path = None
    if settings.token_cache_file and not settings.demo:
        from explorer.core.tokens import token_cache_path

        path = token_cache_path()
    cache = BackgroundFileCache(path, clock=clock) if path is not None else TokenCache(None, clock=clock)
    session = Session(startup.profiles, cache=cache, clock=clock, auto_refresh=settings.auto_refresh)
    if isinstance(cache, BackgroundFileCache):
        cache.preload(session.cache_keys())
    return ExplorerApp(startup, session, after_first_frame=after_first_frame, style_cache=style_cache_path())
