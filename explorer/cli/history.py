"""`explorer history`: the requests recorded in the history file, newest first; `--clear` empties it."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime

from explorer.cli.output import say
from explorer.core.errors import ConfigError
from explorer.core.formatting import human_duration, human_size
from explorer.core.history import HistoryStore, HistorySummary
from explorer.core.sanitize import clean
from explorer.core.userpaths import HISTORY_ENV, history_path


def history_enabled() -> bool:
    """False when the user's settings.toml says `history = false`."""
    from explorer.app.settings import AppSettings, load_user_settings

    user, _error = load_user_settings(AppSettings().settings_file)
    return user.history


def open_history() -> HistoryStore | None:
    """The history file for recording, or None when history is off (settings or EXPLORER_HISTORY=off)."""
    path = history_path()
    if path is None or not history_enabled():
        return None
    return HistoryStore(path)


def _as_dict(item: HistorySummary) -> dict[str, object]:
    return {
        "id": item.id,
        "at": datetime.fromtimestamp(item.at).astimezone().isoformat(timespec="seconds"),
        "source": item.source,
        "name": item.name,
        "profile": item.profile,
        "tenant": item.tenant,
        "stage": item.stage,
        "method": item.method,
        "url": item.url,
        "status": item.status,
        "reason": item.reason,
        "elapsed_ms": round(item.elapsed * 1000, 1),
        "size": item.size,
        "error": item.error or None,
    }


def _line(item: HistorySummary) -> str:
    when = datetime.fromtimestamp(item.at).strftime("%Y-%m-%d %H:%M:%S")
    status = str(item.status) if item.status is not None else "---"
    where = f"{item.profile} ({item.stage})" if item.stage else item.profile
    tail = f"  {item.error}" if item.error else ""
    return (
        f"{when}  {where:<24}  {item.method:<6} {status:>3}  {human_duration(item.elapsed):>8}  "
        f"{human_size(item.size):>9}  {item.url}{tail}"
    )


def history_command(args: argparse.Namespace) -> int:
    path = history_path()
    if path is None:
        raise ConfigError(f"History is turned off ({HISTORY_ENV}=off).", hint=f"Unset {HISTORY_ENV} to use it.")
    if args.limit is not None and args.limit < 1:
        raise ConfigError("--limit must be at least 1.")
    if not history_enabled() and not args.clear:
        say(
            "explorer: history is turned off (history = false in settings.toml); nothing new is recorded.",
            file=sys.stderr,
        )
    if not path.exists():
        if args.json:
            say("[]")
        else:
            say("Cleared 0 entries." if args.clear else "No requests recorded yet.")
        return 0
    with HistoryStore(path) as store:
        if args.clear:
            deleted = store.clear()
            say(f"Cleared {deleted} entr{'y' if deleted == 1 else 'ies'} from {path}.")
            return 0
        entries = store.recent(limit=args.limit or 50, profile=getattr(args, "profile", None))
    if args.json:
        say(json.dumps([_as_dict(item) for item in entries], indent=2))
        return 0
    if not entries:
        say("No requests recorded yet." if not getattr(args, "profile", None) else "No requests for this profile.")
        return 0
    for item in entries:
        say(clean(_line(item)))
    return 0
