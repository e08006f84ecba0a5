"""How the UI words times, durations, stages and token events, and the letters that pick a method: one home
for the small rules every pane shares.

Plain functions of plain data (no widgets), so panes and dialogs import them without importing each other.
Sizes, request durations and countdowns (`human_size`, `human_duration`, `countdown`) live in
`explorer.core.formatting`, which the headless commands share.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from explorer.core.formatting import human_duration
from explorer.core.profiles import Stage
from explorer.core.tokens import FetchReason, Token, TokenEventKind

if TYPE_CHECKING:
    from explorer.core.tokens import TokenEvent

STAGE_LABELS = {Stage.SANDBOX: "SANDBOX", Stage.STAGING: "STAGING", Stage.PRODUCTION: "PROD"}

# What a token event's reason reads as after "fetched" or "re-fetched".
REASONS = {
    FetchReason.FIRST: "",
    FetchReason.MANUAL: "on request",
    FetchReason.AHEAD_OF_EXPIRY: "ahead of expiry",
    FetchReason.EXPIRED: "after it expired",
    FetchReason.REJECTED: "after the API rejected it",
}
REFETCHES = frozenset({FetchReason.AHEAD_OF_EXPIRY, FetchReason.EXPIRED, FetchReason.REJECTED})


def stage_classes(stage: Stage) -> str:
    """CSS classes of a stage badge; the colours come from the theme (see app.tcss)."""
    return f"stage-badge -{stage.value}"


def clock_time(epoch: float) -> str:
    """The local time of day of an instant, HH:MM:SS."""
    return time.strftime("%H:%M:%S", time.localtime(epoch))


def local_datetime(epoch: float) -> str:
    """The local date and time of an instant, YYYY-MM-DD HH:MM:SS."""
    return time.strftime("%Y-%m-%d ", time.localtime(epoch)) + clock_time(epoch)


def short_duration(seconds: float) -> str:
    """A lifetime as people say it: 45 s, 3 min, 1 h 30 min."""
    whole = round(seconds)
    if whole < 120:
        return f"{whole} s"
    minutes = round(seconds / 60)
    if minutes < 120:
        return f"{minutes} min"
    return f"{minutes // 60} h" + (f" {minutes % 60} min" if minutes % 60 else "")


def relative_time(delta: float) -> str:
    """A moment relative to now: `in 3 min`, `45 s ago`."""
    return f"in {short_duration(delta)}" if delta >= 0 else f"{short_duration(-delta)} ago"


def wait_time(seconds: float) -> str:
    """A wait a server asks for (Retry-After): whole seconds, or finer below one."""
    return f"{seconds:.0f} s" if seconds >= 1 else human_duration(seconds)


def compact_scopes(scopes: tuple[str, ...]) -> str:
    """Scopes sorted, with siblings merged (`customer:profile:read,write`), so more fit on a line."""
    merged: dict[str, list[str]] = {}
    for scope in sorted(scopes):
        head, sep, tail = scope.rpartition(":")
        if sep:
            merged.setdefault(head + ":", []).append(tail)
        else:
            merged.setdefault(scope, [])
    return "  ".join(head + ",".join(tails) for head, tails in merged.items())


def lifetime(token: Token) -> float:
    """The lifetime the server granted (`expires_in`), else what the token's times say."""
    granted = token.raw_response.get("expires_in")
    if isinstance(granted, int | float) and not isinstance(granted, bool) and granted > 0:
        return float(granted)
    return token.ttl


def describe_event(event: TokenEvent, when: float) -> str:
    """A short line for what the engine just did, or "" when there is nothing to say."""
    reason = REASONS[event.reason]
    if event.kind == TokenEventKind.FETCHED:
        verb = "re-fetched" if event.reason in REFETCHES else "fetched"
        return f"{verb} {clock_time(when)}" + (f", {reason}" if reason else "")
    if event.kind == TokenEventKind.CACHED:
        return f"reused from the token cache {clock_time(when)}"
    if event.kind == TokenEventKind.FORGOTTEN:
        return f"forgotten {clock_time(when)}"
    if event.kind == TokenEventKind.FETCHING:
        return "fetching" + (f" {reason}" if reason else "") + "…"
    return ""


# One letter per method, the one a user would guess: its first, or the one that tells it apart (the method
# picker and its list both take them).
METHOD_KEYS = {"GET": "g", "POST": "p", "PUT": "u", "PATCH": "a", "DELETE": "d", "HEAD": "h", "OPTIONS": "o"}
KEY_METHODS = {letter: method for method, letter in METHOD_KEYS.items()}


def method_for_key(character: str | None) -> str | None:
    """The method a typed letter stands for (see METHOD_KEYS), or None."""
    return KEY_METHODS.get((character or "").lower())
