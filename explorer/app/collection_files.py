"""Collection files the user may open from the app, and copies of them (the read-only sample's, say).

Blocking (files are read and written): the app calls these from a thread.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from explorer.core.atomic import write_bytes_atomic
from explorer.core.collections import load_collection
from explorer.core.errors import CollectionError
from explorer.core.model import Collection

# How much of a .toml file is read to tell whether it is a collection (its first request is near the top).
_SNIFF_BYTES = 64 * 1024
# Files looked at in a folder; a folder with thousands of .toml files is not scanned whole.
_MAX_FILES = 200
# How many recently opened collections are remembered.
MAX_RECENT = 8


@dataclass(frozen=True)
class Known:
    """A collection file to offer: where it is and why it is offered ("recent", "sample", "in this folder")."""

    path: Path
    why: str


def remember(recent: Sequence[Path], path: Path) -> list[Path]:
    """`recent` with `path` first (once), at most MAX_RECENT long."""
    resolved = path.resolve()
    return [path, *(p for p in recent if p.resolve() != resolved)][:MAX_RECENT]


def looks_like_collection(path: Path) -> bool:
    """Whether a .toml file holds requests (read only its start; nothing is parsed)."""
    try:
        with path.open("rb") as file:
            start = file.read(_SNIFF_BYTES)
    except OSError:
        return False
    return b"[[requests]]" in start


def known_collections(recent: Iterable[Path], samples: Iterable[Path], folders: Iterable[Path]) -> list[Known]:
    """The collections to offer: recent ones that still exist, the shipped samples, and the .toml files with
    requests in `folders` (the working directory, say); each file once, in that order."""
    found: list[Known] = []
    seen: set[Path] = set()

    def add(path: Path, why: str) -> None:
        try:
            key = path.resolve()
        except OSError:
            return
        if key not in seen:
            seen.add(key)
            found.append(Known(path, why))

    for path in recent:
        if path.is_file():
            add(path, "recent")
    for path in samples:
        add(path, "read-only sample")
    for folder in folders:
        try:
            files = sorted(p for p in folder.glob("*.toml") if p.is_file())[:_MAX_FILES]
        except OSError:
            continue
        for path in files:
            if looks_like_collection(path):
                add(path, f"in {folder.name or folder}")
    return found


def copy_collection_file(source: Path, target: Path) -> Collection:
    """Copy a collection file as it is (comments and all) to the new file `target`, and load the copy.

    Raises CollectionError when the source cannot be read or the copy cannot be written.
    """
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise CollectionError(f"{exc.strerror or exc}.", path=str(source), hint="Nothing was copied.") from exc
    if target.exists():
        raise CollectionError(
            "the file exists.", path=str(target), hint="Choose a new file name: explorer does not replace it."
        )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_bytes_atomic(target, data)
    except OSError as exc:
        raise CollectionError(f"{exc.strerror or exc}.", path=str(target), hint="Choose another place.") from exc
    return load_collection(target)
