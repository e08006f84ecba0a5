"""Edits to a collection as plain functions that return a changed copy, so the one on screen stays as it was
until the file is written (a save that fails changes nothing)."""

from __future__ import annotations

from pathlib import Path

from explorer.core.model import Collection, RequestSpec


def copy_collection(collection: Collection) -> Collection:
    return Collection(
        name=collection.name,
        requests=[request.copy() for request in collection.requests],
        variables=dict(collection.variables),
        path=collection.path,
        schema_version=collection.schema_version,
    )


def unique_name(collection: Collection, wanted: str, *, skip: int | None = None) -> str:
    """`wanted`, or `wanted (2)`, `wanted (3)`… so that no other request has the name."""
    taken = {r.name for i, r in enumerate(collection.requests) if i != skip}
    if wanted not in taken:
        return wanted
    number = 2
    while f"{wanted} ({number})" in taken:
        number += 1
    return f"{wanted} ({number})"


def replace_request(collection: Collection, index: int, spec: RequestSpec) -> Collection:
    """The request at `index` replaced by `spec`, keeping the old one's name and folder."""
    changed = copy_collection(collection)
    old = changed.requests[index]
    changed.requests[index] = spec.copy(name=old.name, folder=old.folder)
    return changed


def add_request(collection: Collection, spec: RequestSpec, name: str, folder: str) -> tuple[Collection, int]:
    """`spec` added under `name` (made unique) in `folder`, after the folder's last request."""
    changed = copy_collection(collection)
    fresh = spec.copy(name=unique_name(changed, name.strip() or "New request"), folder=folder.strip())
    positions = [i for i, r in enumerate(changed.requests) if r.folder == fresh.folder]
    index = positions[-1] + 1 if positions else len(changed.requests)
    changed.requests.insert(index, fresh)
    return changed, index


def rename_request(collection: Collection, index: int, name: str) -> Collection:
    changed = copy_collection(collection)
    changed.requests[index].name = unique_name(changed, name.strip(), skip=index)
    return changed


def duplicate_request(collection: Collection, index: int) -> tuple[Collection, int]:
    changed = copy_collection(collection)
    original = changed.requests[index]
    twin = original.copy(name=unique_name(changed, f"{original.name} copy"))
    changed.requests.insert(index + 1, twin)
    return changed, index + 1


def delete_request(collection: Collection, index: int) -> Collection:
    changed = copy_collection(collection)
    del changed.requests[index]
    return changed


def collection_name_for(path: Path) -> str:
    """A readable collection name from a file name: `my-orders.toml` → `My orders`."""
    words = path.stem.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:] if words else "Untitled collection"
