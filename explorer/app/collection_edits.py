"""Edits to a collection as plain functions that return a changed copy, so the one on screen stays as it was
until the file is written (a save that fails changes nothing)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from explorer.core.model import Collection, RequestSpec, free_name


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
    return free_name({r.name for i, r in enumerate(collection.requests) if i != skip}, wanted)


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


def rename_folder(collection: Collection, old: str, new: str) -> Collection:
    """Every request of folder `old` moved to `new` (an existing folder's requests are joined, in order)."""
    changed = copy_collection(collection)
    target = new.strip()
    moved = [r for r in changed.requests if r.folder == old]
    for request in moved:
        request.folder = target
    if target in collection.folders() and target != old:
        # Joined to an existing folder: its requests follow that folder's, where the tree shows them.
        rest = [r for r in changed.requests if r.folder != target]
        joined = [r for r in changed.requests if r.folder == target and r not in moved] + moved
        first = next(i for i, r in enumerate(changed.requests) if r.folder == target)
        changed.requests = rest[:first] + joined + rest[first:]
    return changed


def delete_folder(collection: Collection, folder: str) -> Collection:
    """The collection without `folder` and its requests."""
    changed = copy_collection(collection)
    changed.requests = [r for r in changed.requests if r.folder != folder]
    return changed


def duplicate_folder(collection: Collection, folder: str) -> tuple[Collection, str]:
    """A copy of `folder` and its requests after the last request, as `folder copy` (names made unique)."""
    changed = copy_collection(collection)
    twin = unique_folder(collection, f"{folder} copy")
    for request in [r for r in collection.requests if r.folder == folder]:
        changed.requests.append(request.copy(name=unique_name(changed, f"{request.name} copy"), folder=twin))
    return changed, twin


def unique_folder(collection: Collection, wanted: str, *, also_taken: tuple[str, ...] = ()) -> str:
    """`wanted`, or `wanted (2)`… so that no folder of the collection (nor in `also_taken`) has the name."""
    return free_name(set(collection.folders()) | set(also_taken), wanted)


def move_request(collection: Collection, index: int, folder: str) -> tuple[Collection, int]:
    """The request at `index` moved into `folder` ("" for none), after that folder's last request."""
    changed = copy_collection(collection)
    request = changed.requests.pop(index)
    request.folder = folder.strip()
    positions = [i for i, r in enumerate(changed.requests) if r.folder == request.folder]
    position = positions[-1] + 1 if positions else len(changed.requests)
    changed.requests.insert(position, request)
    return changed, position


_VERSION = re.compile(r"v\d+(\.\d+)*", re.IGNORECASE)
_VERBS = {
    "POST": "Create",
    "PUT": "Update",
    "PATCH": "Update",
    "DELETE": "Delete",
    "HEAD": "Check",
    "OPTIONS": "Options for",
}


def suggest_name(spec: RequestSpec) -> str:
    """A readable name for a new request from its method and URL: `GET …/v0/stores` → `List stores`,
    `GET …/stores/{{store_id}}` → `Get store`, `POST …/customer/profiles` → `Create customer profile`."""
    path = urlsplit(render_free(spec.url)).path if "://" in spec.url else render_free(spec.url)
    segments = [s for s in path.split("?")[0].split("/") if s]
    # A segment that is a variable (or holds one) names a thing of the collection before it.
    words: list[str] = []
    ends_in_item = False
    for segment in segments:
        if "{{" in segment or segment.startswith(":"):
            if words:
                words[-1] = _singular(words[-1])
            ends_in_item = True
            continue
        if segment.lower() in ("api", "rest") or _VERSION.fullmatch(segment):
            continue
        words.append(segment.replace("-", " ").replace("_", " ").strip())
        ends_in_item = False
    words = [w for w in words if w][-2:]
    if not words:
        return "New request"
    method = spec.method.upper()
    if method == "GET":
        # A list is a plural at the end of the path; one thing is an id after it, or a singular word.
        verb = "Get" if ends_in_item or _singular(words[-1]) == words[-1] else "List"
    else:
        verb = _VERBS.get(method, method.title())
        if method == "POST" and not ends_in_item:
            words[-1] = _singular(words[-1])
    return f"{verb} {' '.join(words)}"


def render_free(url: str) -> str:
    """The URL with a leading `{{api_url}}`-style base variable left out."""
    return re.sub(r"^\{\{[^}]*\}\}", "", url.strip())


def _singular(word: str) -> str:
    lower = word.lower()
    if lower.endswith("ies") and len(word) > 3:
        return word[:-3] + "y"
    if lower.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if lower.endswith("s") and not lower.endswith("ss"):
        return word[:-1]
    return word
