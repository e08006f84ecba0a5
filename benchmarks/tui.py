"""The measurements made through the terminal, the same for every app under test (see apps.py for how each
app is driven). Each run starts the app afresh in its own tmux session, so one run's memory or caches never
carry into the next; every wait has a time limit and every session is ended in a `finally`.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import procfs, screens
from benchmarks.apps import SETUP_TIMEOUT, App, settle
from benchmarks.terminal import Terminal, WaitTimeout

BODY_MARK = '"product_id"'  # a key of every product in the catalog export, first seen on line 8
URL_MARK = "catalog/export"
ECHO_KEY = "Q"  # in no URL bar before the test types it
KEY_PACE = 0.03  # at most one key every 30 ms, about a fast typist's pace
TAIL_MAX = 5.0  # without a busy time from the body runs, keys go on this long after the body shows
IDLE_KEYS = 6  # keys typed before sending, for the app's echo delay when it has nothing else to do


@dataclass
class LaunchResult:
    usable: float
    idle: float | None
    # CPU time (user + system) the app's process had used when its main screen showed: on a busy machine the wall
    # time includes waiting for a core, this does not.
    usable_cpu: float | None = None


@dataclass
class BodyResult:
    visible: float | None = None  # None: over the cap
    busy: float | None = None  # send → the app idle again (formatting and highlighting done)
    moves: dict[str, float | None] = field(default_factory=dict)
    peak_rss_mib: float | None = None
    rss_before_mib: float | None = None


@dataclass
class KeysResult:
    delays: list[tuple[float, float, bool]] = field(default_factory=list)  # (pressed after send, delay, loading)
    capped: bool = False
    body_visible: float | None = None
    idle_delays: list[float] = field(default_factory=list)

    @property
    def worst(self) -> float | None:
        return max((d for _, d, _ in self.delays), default=None)

    @property
    def median(self) -> float | None:
        return statistics.median(d for _, d, _ in self.delays) if self.delays else None

    @property
    def during_load(self) -> int:
        return sum(loading for _, _, loading in self.delays)

    @property
    def idle_median(self) -> float | None:
        return statistics.median(self.idle_delays) if self.idle_delays else None


def _start(term: Terminal, app: App, variant: str, url: str, env: Mapping[str, str], workdir: Path) -> float:
    term.start(app.argv(variant, url), env=app.env(env), cwd=workdir)
    return term.release()


def measure_launch(app: App, variant: str, url: str, env: Mapping[str, str], workdir: Path) -> LaunchResult:
    """Spawn → first frame that shows the app's main screen (app.usable), and spawn → the app idle."""
    with Terminal(app.name) as term:
        t0 = _start(term, app, variant, url, env, workdir)
        seen = term.wait_for(f"{app.name} main screen", app.usable, SETUP_TIMEOUT)
        assert term.pid is not None
        cpu = procfs.cpu_seconds(term.pid)
        idle = procfs.wait_idle(term.pid, timeout=SETUP_TIMEOUT)
        return LaunchResult(seen.at - t0, idle - t0 if idle is not None else None, cpu)


def measure_body(
    app: App, url: str, env: Mapping[str, str], workdir: Path, *, cap: float, move_cap: float
) -> BodyResult:
    """Send → body on screen; then one line down, to the end, to the top; then the peak memory."""
    result = BodyResult()
    with Terminal(app.name) as term:
        _start(term, app, "config", url, env, workdir)
        term.wait_for(f"{app.name} main screen", app.usable, SETUP_TIMEOUT)
        app.load_request(term, url)
        settle(term)
        assert term.pid is not None
        pid = term.pid
        result.rss_before_mib = procfs.peak_rss_mib(pid)
        t0 = term.keys(app.send_key)
        try:
            seen = term.wait_for("body visible", lambda s: screens.body_contains(s, BODY_MARK), cap)
        except WaitTimeout:
            if term.dead():
                raise
            result.peak_rss_mib = procfs.peak_rss_mib(pid)
            return result
        result.visible = seen.at - t0
        idle = procfs.wait_idle(pid, timeout=max(1.0, cap - (time.perf_counter() - t0)))
        result.busy = idle - t0 if idle is not None else None
        app.focus_body(term)
        moves: list[tuple[str, str, Callable[[list[str]], bool], bool]] = []
        before = term.screen(styled=app.styled_down)
        moves.append(("down", app.down_key, lambda s: app.moved_down(before, s), app.styled_down))
        moves.append(("bottom", app.bottom_key, screens.at_bottom, False))
        moves.append(("top", app.top_key, screens.at_top, False))
        for name, key, condition, styled in moves:
            settle(term, timeout=move_cap)
            if name == "down":
                before[:] = term.screen(styled=styled)
            pressed = term.keys(key)
            try:
                moved = term.wait_for(f"move {name}", condition, move_cap, styled=styled)
                result.moves[name] = moved.at - pressed
            except WaitTimeout:
                if term.dead():
                    raise
                result.moves[name] = None
        settle(term, timeout=move_cap)
        result.peak_rss_mib = procfs.peak_rss_mib(pid)
    return result


def _echoes(screen: list[str]) -> int:
    row = screens.first_row_with(screen, URL_MARK)
    return row.count(ECHO_KEY) if row is not None else -1


def _showing(count: int) -> Callable[[list[str]], bool]:
    """A condition: the URL bar shows ECHO_KEY `count` times."""
    return lambda screen: _echoes(screen) == count


def _press(term: Terminal, typed: int) -> tuple[float, int]:
    """Type ECHO_KEY when the URL bar has none, else delete it; returns (pressed at, echoes to expect)."""
    if typed:
        return term.keys("BSpace"), 0
    return term.type(ECHO_KEY), 1


def measure_keys(
    app: App, url: str, env: Mapping[str, str], workdir: Path, *, cap: float, busy: float | None
) -> KeysResult:
    """Type into the URL bar while the response loads; each key's delay until it shows on screen.

    Keys alternate between typing ECHO_KEY and deleting it, so the URL is the same after every second key,
    at most one every KEY_PACE seconds. They go on from the send until the app has done all its work on the
    response: `busy`, the time from send to idle that the body runs measured (an app may keep formatting or
    highlighting after its first screen of body), or TAIL_MAX after the body shows when that is unknown.
    First, IDLE_KEYS keys are typed with nothing loading, for the app's echo delay at rest.
    """
    result = KeysResult()
    with Terminal(app.name) as term:
        _start(term, app, "config", url, env, workdir)
        term.wait_for(f"{app.name} main screen", app.usable, SETUP_TIMEOUT)
        app.load_request(term, url)
        settle(term)
        if _echoes(term.screen()) != 0:
            raise WaitTimeout(f"a URL bar without {ECHO_KEY!r}", 0, term.screen())
        typed = 0
        for _ in range(IDLE_KEYS):
            pressed, typed = _press(term, typed)
            seen = term.wait_for("key echo at rest", _showing(typed), SETUP_TIMEOUT)
            result.idle_delays.append(seen.at - pressed)
            time.sleep(KEY_PACE)
        settle(term)
        t0 = term.keys(app.send_key)
        deadline = t0 + cap
        screen: list[str] = []
        for _ in range(int(cap / KEY_PACE) + 1):  # bounded: each key takes at least KEY_PACE
            # The first key too waits KEY_PACE, so the send key is handled before the URL changes.
            time.sleep(max(0.0, KEY_PACE - (time.perf_counter() - t0)))
            loading = result.body_visible is None
            pressed, typed = _press(term, typed)
            try:
                seen = term.wait_for("key echo", _showing(typed), max(0.0, deadline - time.perf_counter()))
            except WaitTimeout:
                if term.dead():
                    raise
                result.capped = True
                break
            screen = seen.screen
            result.delays.append((pressed - t0, seen.at - pressed, loading))
            if loading and screens.body_contains(seen.screen, BODY_MARK):
                result.body_visible = seen.at - t0
            now = time.perf_counter()
            if result.body_visible is not None:
                until = max(busy, result.body_visible) if busy is not None else result.body_visible + TAIL_MAX
                if now - t0 >= until:
                    break
            if now >= deadline:
                result.capped = result.body_visible is None
                break
            time.sleep(max(0.0, pressed + KEY_PACE - time.perf_counter()))
        if result.body_visible is None and not result.capped:
            raise WaitTimeout(f"the body while typing ({len(result.delays)} keys)", cap, screen)
    return result
