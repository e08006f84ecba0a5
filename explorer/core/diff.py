"""Two response bodies compared: key by key when both are JSON (added, removed, changed), line by line otherwise."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

# A diff longer than this many changes is cut: past that, the two answers are simply different.
MAX_CHANGES = 5000
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class Change:
    """One difference: `kind` is "added", "removed" or "changed"; `path` is jq-style (`.items[2].id`)."""

    kind: str
    path: str
    old: Any = None
    new: Any = None

    def line(self) -> str:
        if self.kind == "added":
            return f"+ {self.path}: {_short(self.new)}"
        if self.kind == "removed":
            return f"- {self.path}: {_short(self.old)}"
        return f"~ {self.path}: {_short(self.old)} → {_short(self.new)}"


@dataclass
class BodyDiff:
    """What differs between two bodies. `json` tells which kind of comparison was made."""

    json: bool
    changes: list[Change]
    text_lines: list[str]
    truncated: bool = False

    @property
    def same(self) -> bool:
        return not self.changes and not self.text_lines

    def summary(self) -> str:
        if self.same:
            return "The two bodies are the same."
        if self.json:
            counts = {kind: sum(1 for c in self.changes if c.kind == kind) for kind in ("added", "removed", "changed")}
            text = f"{counts['added']} added, {counts['removed']} removed, {counts['changed']} changed"
        else:
            added = sum(1 for line in self.text_lines if line.startswith("+") and not line.startswith("+++"))
            removed = sum(1 for line in self.text_lines if line.startswith("-") and not line.startswith("---"))
            text = f"{added} lines added, {removed} removed"
        return text + (" (only the first changes are shown)" if self.truncated else "")

    def lines(self) -> list[str]:
        return [change.line() for change in self.changes] if self.json else list(self.text_lines)


def diff_bodies(old: bytes, new: bytes, *, old_label: str = "old", new_label: str = "new") -> BodyDiff:
    """Compare two bodies: as JSON when both parse, else as text."""
    try:
        left, right = json.loads(old), json.loads(new)
    except ValueError:
        pass
    else:
        changes: list[Change] = []
        truncated = False
        for change in _walk(left, right, ""):
            if len(changes) >= MAX_CHANGES:
                truncated = True
                break
            changes.append(change)
        return BodyDiff(True, changes, [], truncated)
    old_text = old.decode("utf-8", "replace").splitlines()
    new_text = new.decode("utf-8", "replace").splitlines()
    lines = list(difflib.unified_diff(old_text, new_text, old_label, new_label, lineterm=""))
    truncated = len(lines) > MAX_CHANGES
    return BodyDiff(False, [], lines[:MAX_CHANGES], truncated)


def _walk(left: Any, right: Any, path: str) -> Iterator[Change]:
    if isinstance(left, dict) and isinstance(right, dict):
        for key in left:
            child = _key(path, key)
            if key not in right:
                yield Change("removed", child, old=left[key])
            else:
                yield from _walk(left[key], right[key], child)
        for key in right:
            if key not in left:
                yield Change("added", _key(path, key), new=right[key])
    elif isinstance(left, list) and isinstance(right, list):
        for index in range(max(len(left), len(right))):
            child = f"{path}[{index}]"
            if index >= len(right):
                yield Change("removed", child, old=left[index])
            elif index >= len(left):
                yield Change("added", child, new=right[index])
            else:
                yield from _walk(left[index], right[index], child)
    elif left != right or type(left) is not type(right):
        yield Change("changed", path or ".", old=left, new=right)


def _key(path: str, key: str) -> str:
    return f"{path}.{key}" if _IDENTIFIER.fullmatch(key) else f"{path}[{json.dumps(key)}]"


def _short(value: Any, limit: int = 80) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text if len(text) <= limit else text[: limit - 1] + "…"
