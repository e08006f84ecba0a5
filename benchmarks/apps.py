"""The apps under test, as the benchmark drives them: how to start each, when its screen is usable, how to put a
URL in its URL bar, send it, reach its body view, and move in it. Keys and screen texts are each app's own.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Mapping
from pathlib import Path

from benchmarks import procfs, screens
from benchmarks.terminal import Terminal, WaitTimeout

SETUP_TIMEOUT = 30.0


def _has(screen: list[str], *texts: str) -> bool:
    return all(any(text in line for line in screen) for text in texts)


def click(term: Terminal, column: int, row: int) -> None:
    """A left click at a 0-based cell, as an xterm SGR mouse report (both apps turn mouse reporting on)."""
    term.type(f"\x1b[<0;{column + 1};{row + 1}M\x1b[<0;{column + 1};{row + 1}m")


def settle(term: Terminal, timeout: float = SETUP_TIMEOUT) -> None:
    """Wait until the app's process is idle, so set-up keys are not lost in a busy moment."""
    if term.pid is not None:
        procfs.wait_idle(term.pid, timeout=timeout)


class App:
    """What every app under test provides. `home` is its own isolated user directory (config, cache, data)."""

    name = "app"
    send_key = "C-j"
    down_key = "Down"
    bottom_key = "End"
    top_key = "Home"
    styled_down = False  # whether the move of one line shows only in colours (a cursor line), not in text

    def __init__(self, home: Path) -> None:
        self.home = home

    def env(self, base: Mapping[str, str]) -> dict[str, str]:
        env = dict(base)
        for var, sub in (("XDG_CONFIG_HOME", "config"), ("XDG_CACHE_HOME", "cache"), ("XDG_DATA_HOME", "data")):
            path = self.home / sub
            path.mkdir(parents=True, exist_ok=True)
            env[var] = str(path)
        env["HOME"] = str(self.home)
        env["COLORTERM"] = "truecolor"
        env.pop("TMUX", None)
        # Compiled bytecode, as an installed app has: written on the warm-up run into the suite's work dir (one
        # cache for every app, each under its own source paths), never into the source tree.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(self.home.parent / "pycache")
        return env

    def argv(self, variant: str, url: str) -> list[str]:
        raise NotImplementedError

    def usable(self, screen: list[str]) -> bool:
        raise NotImplementedError

    def load_request(self, term: Terminal, url: str) -> None:
        """From a usable screen to: `url` in the URL bar, the URL bar focused, ready for `send_key`."""
        raise NotImplementedError

    def focus_body(self, term: Terminal) -> None:
        """Put the focus (and the cursor) on line 2 of the body view with a click."""
        screen = term.screen()
        row = next((r for r in screens.body_rows(screen) if r.number == 2), None)
        if row is None:
            raise WaitTimeout("line 2 of the body", 0, screen)
        click(term, row.column + 12, row.row)
        time.sleep(0.2)
        settle(term)

    def moved_down(self, before: list[str], after: list[str]) -> bool:
        """After `down_key`: the screen shows the cursor one line further (screens are styled if styled_down)."""
        return screens.body_signature(after) != screens.body_signature(before)


class Explorer(App):
    name = "explorer"
    styled_down = True  # BodyView's cursor line is a highlight; its text does not change

    def __init__(self, home: Path, executable: str, profiles: Path) -> None:
        super().__init__(home)
        self.executable = executable
        self.profiles = profiles

    def env(self, base: Mapping[str, str]) -> dict[str, str]:
        env = super().env(base)
        env["EXPLORER_TOKEN_CACHE"] = str(self.home / "tokens.json")
        return env

    def argv(self, variant: str, url: str) -> list[str]:
        if variant == "demo":
            return [self.executable, "--demo"]
        return [self.executable, "--config", str(self.profiles)]

    def usable(self, screen: list[str]) -> bool:
        # The main screen is drawn: the footer offers Send and the response pane says it waits for one.
        return _has(screen, "^j Send", "No response yet")

    def load_request(self, term: Terminal, url: str) -> None:
        fragment = url.split("/api/v1/", 1)[-1]
        settle(term)
        for _ in range(3):
            term.keys("C-l")  # focuses the URL input, which selects its text: typing replaces it
            time.sleep(0.2)
            term.type(url)
            try:
                term.wait_for("the URL typed in", lambda s: _has(s, fragment), 5)
                return
            except WaitTimeout:
                settle(term)
        raise WaitTimeout("the URL typed into explorer's URL input", 15, term.screen())


class TextualFloor(App):
    """A bare Textual app (benchmarks/floor_app.py): what any Textual app of this kind costs to launch."""

    name = "Textual floor"

    def __init__(self, home: Path, python: str) -> None:
        super().__init__(home)
        self.python = python

    def argv(self, variant: str, url: str) -> list[str]:
        return [self.python, str(Path(__file__).with_name("floor_app.py"))]

    def usable(self, screen: list[str]) -> bool:
        return _has(screen, "^j Send", "No response yet")


class Posting(App):
    name = "Posting"
    bottom_key = "G"
    top_key = "g"

    def __init__(self, home: Path, executable: str, token: str) -> None:
        super().__init__(home)
        self.executable = executable
        self.token = token
        self._collections = 0

    def argv(self, variant: str, url: str) -> list[str]:
        # A collection holding one saved request: the URL and the bearer token explorer would attach itself.
        self._collections += 1
        collection = self.home / f"collection-{self._collections}"
        collection.mkdir(parents=True, exist_ok=True)
        (collection / "catalog.posting.yaml").write_text(
            "name: catalog\n"
            "method: GET\n"
            f"url: {url}\n"
            "headers:\n"
            "- name: Authorization\n"
            f"  value: Bearer {self.token}\n"
            "- name: Accept\n"
            "  value: application/json\n",
            encoding="utf-8",
        )
        return [self.executable, "--collection", str(collection)]

    def usable(self, screen: list[str]) -> bool:
        # The URL bar (its placeholder), the footer's Send and the saved request in the collection browser.
        return _has(screen, "Enter a URL", "^j Send", "GET catalog")

    def load_request(self, term: Terminal, url: str) -> None:
        fragment = url.split("/api/v1/", 1)[-1]
        settle(term)
        for _ in range(3):
            term.keys("C-o")  # jump mode: every target gets a key; Tab is the collection browser's
            try:
                term.wait_for("jump mode", lambda s: _has(s, "ESC to dismiss"), 5)
                term.keys("Tab")
                term.wait_for("jump mode over", lambda s: not _has(s, "ESC to dismiss"), 5)
                time.sleep(0.2)
                term.keys("Enter")  # opens the highlighted request, the only one
                term.wait_for("the request opened", lambda s: _has(s, fragment), 5)
            except WaitTimeout:
                term.keys("Escape")
                settle(term)
                continue
            settle(term)
            term.keys("C-l")  # focus the URL bar, where the keys typed during loading go
            time.sleep(0.3)
            return
        raise WaitTimeout("the saved request opened in Posting", 15, term.screen())

    _POSITION = re.compile(r"(\d+):(\d+)\s+read-only")

    def moved_down(self, before: list[str], after: list[str]) -> bool:
        # Posting's body is a read-only TextArea with a "line:column" indicator under it.
        def line(screen: list[str]) -> int | None:
            for text in screen:
                found = self._POSITION.search(text)
                if found:
                    return int(found.group(1))
            return None

        old, new = line(before), line(after)
        return old is not None and new is not None and new == old + 1


def posting_version(executable: str) -> tuple[str, str]:
    """Posting's and its Textual's versions, read from its venv."""
    site = Path(executable).resolve().parent.parent / "lib"
    found = {"posting": "?", "textual": "?"}
    for dist in site.glob("python*/site-packages/*.dist-info"):
        name, _, version = dist.name[: -len(".dist-info")].partition("-")
        if name.lower() in found:
            found[name.lower()] = version
    return found["posting"], found["textual"]


def environment_without_terminal(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The harness's environment, minus what would tie the app to the harness's own terminal."""
    env = dict(os.environ if base is None else base)
    for var in ("TMUX", "TMUX_PANE", "COLUMNS", "LINES"):
        env.pop(var, None)
    return env
