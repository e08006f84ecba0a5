"""What /proc tells about the app's process: peak and current resident memory, CPU time, when it goes idle."""

from __future__ import annotations

import os
import time
from pathlib import Path

_TICKS = os.sysconf("SC_CLK_TCK")


def status_kib(pid: int, field: str) -> int | None:
    """A `Vm…` field of /proc/PID/status in KiB (VmHWM: peak resident set; VmRSS: resident now)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return None


def peak_rss_mib(pid: int) -> float | None:
    """VmHWM of the process, in MiB: the most resident memory it has had at any moment."""
    kib = status_kib(pid, "VmHWM")
    return kib / 1024 if kib is not None else None


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (children of all its threads, recursively)."""
    found: list[int] = []
    stack = [pid]
    while stack and len(found) < 1000:
        current = stack.pop()
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                children = [int(c) for c in (task / "children").read_text().split()]
            except (OSError, ValueError):
                continue
            found += children
            stack += children
    return found


def cpu_seconds(pid: int) -> float | None:
    """User plus system CPU time of the process (all its threads) so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    # After the command name: state is field 3, utime field 14 and stime field 15 of the full line.
    return (int(fields[11]) + int(fields[12])) / _TICKS


def wait_idle(pid: int, *, timeout: float, window: float = 0.25, busy_share: float = 0.1) -> float | None:
    """Wait until the process uses under `busy_share` of one core for `window` seconds.

    Returns the moment (perf_counter) the quiet window began, or None when it was still busy at `timeout`.
    """
    deadline = time.perf_counter() + timeout
    last = cpu_seconds(pid)
    window_start = time.perf_counter()
    while time.perf_counter() < deadline:
        time.sleep(window / 5)
        now_cpu = cpu_seconds(pid)
        if now_cpu is None or last is None:
            return None
        now = time.perf_counter()
        if now_cpu - last > busy_share * (now - window_start):
            last, window_start = now_cpu, now
        elif now - window_start >= window:
            return window_start
    return None
