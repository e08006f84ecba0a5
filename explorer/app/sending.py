"""Before anything goes out: prepare, then ask on production, then send. The rules, without the screens.

`Session.plan_send` and `Session.plan_replay` check what can be checked before a byte is sent (a profile is
chosen, every variable is known, the URL is whole, the folder exists) and say whether the user must confirm
first. The UI shows the question it is given and, on yes, sends. The production rule lives here only: a
request that may change data (`UNSAFE_METHODS`) on a production tenant is never sent without a yes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from explorer.core.model import UNSAFE_METHODS, RequestSpec
from explorer.core.profiles import Profile

if TYPE_CHECKING:
    from explorer.core.engine import Engine


@dataclass(frozen=True)
class Confirmation:
    """A question the user answers before something is sent; "yes" sends."""

    title: str
    question: str
    confirm_label: str
    cancel_label: str = "Cancel"
    danger: bool = True


@dataclass(frozen=True)
class SendPlan:
    """A request that is ready to go: the engine to send it with, and what to ask first (if anything)."""

    engine: Engine
    spec: RequestSpec
    variables: dict[str, str]
    confirmation: Confirmation | None
    # Values captured from earlier answers: they win over the profile's (see `variables_for`).
    captured: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ReplayPlan:
    """The requests of a replay, in order, and what to ask first (if anything)."""

    engine: Engine
    requests: list[RequestSpec]
    confirmation: Confirmation | None


def unsafe_requests(requests: Sequence[RequestSpec]) -> list[RequestSpec]:
    """The requests that may change data (POST, PUT, PATCH, DELETE)."""
    return [spec for spec in requests if spec.method.upper() in UNSAFE_METHODS]


def send_confirmation(profile: Profile, spec: RequestSpec) -> Confirmation | None:
    """The question before sending `spec` with `profile`, or None when it may go straight away."""
    if not profile.is_production or not unsafe_requests([spec]):
        return None
    method = spec.method.upper()
    return Confirmation(
        "Production",
        f"Send {method} to {profile.tenant}, a PRODUCTION tenant?\n\nThis may change live data.",
        confirm_label=f"Send {method}",
    )


def replay_confirmation(profile: Profile, requests: Sequence[RequestSpec]) -> Confirmation | None:
    """The question before replaying `requests` with `profile`, or None when they may go straight away."""
    unsafe = unsafe_requests(requests)
    if not profile.is_production or not unsafe:
        return None
    methods = ", ".join(sorted({spec.method.upper() for spec in unsafe}))
    return Confirmation(
        "Production",
        f"Replay {len(requests)} request(s) on {profile.tenant}, a PRODUCTION tenant? "
        f"{len(unsafe)} of them may change live data ({methods}).",
        confirm_label="Replay",
        cancel_label="No",
    )
