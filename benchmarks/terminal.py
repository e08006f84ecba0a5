"""A real terminal for the app: a tmux session on a socket of its own, read back with `capture-pane`.

The program starts behind a gate (`read` in a shell that then `exec`s it), so the launch clock starts when the
program itself starts, not when tmux's server does; after the `exec`, the pane's process is the app's process.
Screens are read by polling `tmux capture-pane -p` every `POLL` seconds; a moment is stamped when the capture
that first showed it returned, so each time is an upper bound, late by at most one poll plus one capture.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import signal
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

POLL = 0.01
_names = itertools.count(1)


class WaitTimeout(Exception):
    """A screen condition did not hold within its time; carries the last screen for the report."""

    def __init__(self, what: str, seconds: float, screen: list[str]) -> None:
        super().__init__(f"{what}: not seen within {seconds:g} s")
        self.what = what
        self.seconds = seconds
        self.screen = screen


@dataclass
class Seen:
    """When a condition was first seen to hold (perf_counter seconds) and the screen that showed it."""

    at: float
    screen: list[str]


class Terminal:
    """One program in one tmux session of `cols` x `rows`, on the socket `bench-<pid>-<label>-<n>`."""

    def __init__(self, label: str, *, cols: int = 200, rows: int = 50) -> None:
        self.socket = f"bench-{os.getpid()}-{label}-{next(_names)}"
        self.session = "app"
        self.cols = cols
        self.rows = rows
        self.pid: int | None = None

    # -- lifecycle -----------------------------------------------------------------------------------------

    def start(self, argv: Sequence[str], *, env: Mapping[str, str], cwd: Path) -> None:
        """Open the session with `argv` waiting at the gate; `release()` lets it run."""
        gate = ["sh", "-c", 'read _ && exec "$@"', "sh", *argv]
        self._tmux(
            "-f", "/dev/null",
            "start-server", ";",
            "set-option", "-g", "default-terminal", "tmux-256color", ";",
            "set-option", "-g", "status", "off", ";",
            "set-option", "-g", "remain-on-exit", "on", ";",
            "new-session", "-d", "-s", self.session, "-x", str(self.cols), "-y", str(self.rows), "-c", str(cwd),
            *gate,
            env=env,
        )  # fmt: skip
        self.pid = int(self._tmux("display-message", "-p", "-t", self.session, "#{pane_pid}").strip())

    def release(self) -> float:
        """Let the program start; returns the moment just before the key that lets it go."""
        return self.keys("Enter")

    def close(self) -> None:
        """End the session and make sure the program is gone (it gets SIGHUP, then SIGKILL after 5 s)."""
        self._tmux("kill-server", check=False)
        pid, self.pid = self.pid, None
        if pid is None:
            return
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and _alive(pid):
            time.sleep(0.02)
        if _alive(pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    def __enter__(self) -> Terminal:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- input ---------------------------------------------------------------------------------------------

    def keys(self, *keys: str) -> float:
        """Send tmux key names (Enter, Down, C-j, C-End, ...); returns the moment just before sending."""
        at = time.perf_counter()
        self._tmux("send-keys", "-t", self.session, *keys)
        return at

    def type(self, text: str) -> float:
        """Type `text` literally; returns the moment just before typing."""
        at = time.perf_counter()
        self._tmux("send-keys", "-t", self.session, "-l", text)
        return at

    # -- output --------------------------------------------------------------------------------------------

    def screen(self, *, styled: bool = False) -> list[str]:
        """The visible screen, one string a row; `styled` keeps the colour and attribute escapes."""
        flags = ["-p", "-e"] if styled else ["-p"]
        return self._tmux("capture-pane", *flags, "-t", self.session).splitlines()

    def dead(self) -> bool:
        """True once the program has exited (the pane stays, showing its last screen)."""
        return self._tmux("display-message", "-p", "-t", self.session, "#{pane_dead}", check=False).strip() == "1"

    def wait_for(
        self,
        what: str,
        condition: Callable[[list[str]], bool],
        timeout: float,
        *,
        poll: float = POLL,
        styled: bool = False,
    ) -> Seen:
        """Poll the screen until `condition` holds; raises WaitTimeout (also when the program exited)."""
        start = time.perf_counter()
        deadline = start + timeout
        screen: list[str] = []
        checks = 0
        while True:
            began = time.perf_counter()
            screen = self.screen(styled=styled)
            seen_at = time.perf_counter()
            if condition(screen):
                return Seen(seen_at, screen)
            checks += 1
            if seen_at >= deadline:
                raise WaitTimeout(what, timeout, screen)
            if checks % 50 == 0 and self.dead():
                raise WaitTimeout(f"{what} (the program exited)", seen_at - start, screen)
            time.sleep(max(0.0, poll - (time.perf_counter() - began)))

    # -- tmux ----------------------------------------------------------------------------------------------

    def _tmux(self, *args: str, env: Mapping[str, str] | None = None, check: bool = True) -> str:
        done = subprocess.run(
            ["tmux", "-L", self.socket, *args],
            capture_output=True,
            text=True,
            env=dict(env) if env is not None else None,
            timeout=20,
        )
        if check and done.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args[:3])}: {done.stderr.strip()}")
        return done.stdout


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie still answers signal 0; it has exited all the same.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False
