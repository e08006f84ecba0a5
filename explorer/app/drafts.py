"""Unsaved edits, per request, kept for the session: open another request and come back, the edit is still there.

A draft is keyed by the request's name in its collection (names are unique there) or `NEW` for a request not
in the collection yet. It holds the request as it was loaded and as edited; an edit that is undone again (the
two equal) is no draft. Nothing here is ever written to a file: saving goes through the collection.
"""

from __future__ import annotations

from dataclasses import dataclass

from explorer.core.model import RequestSpec

# The key of the request that is not in the collection (yet).
NEW = "\0new"


@dataclass(frozen=True)
class Draft:
    original: RequestSpec
    edited: RequestSpec


class Drafts:
    """The unsaved edits of one collection's requests (and of one new request)."""

    def __init__(self) -> None:
        self._drafts: dict[str, Draft] = {}

    def put(self, key: str, original: RequestSpec, edited: RequestSpec) -> None:
        """Remember `edited` for `key`; an edit that matches the original again forgets it."""
        if edited == original:
            self._drafts.pop(key, None)
        else:
            self._drafts[key] = Draft(original.copy(), edited.copy())

    def get(self, key: str) -> Draft | None:
        return self._drafts.get(key)

    def discard(self, key: str) -> None:
        self._drafts.pop(key, None)

    def rename(self, old: str, new: str) -> None:
        """The request was renamed: its draft follows it."""
        draft = self._drafts.pop(old, None)
        if draft is not None:
            self._drafts[new] = draft

    def clear(self) -> None:
        self._drafts.clear()

    def keys(self) -> set[str]:
        return set(self._drafts)

    def saved_names(self) -> list[str]:
        """The names of the collection's requests with edits (the new request left out), in no set order."""
        return [key for key in self._drafts if key != NEW]

    def __len__(self) -> int:
        return len(self._drafts)

    def __bool__(self) -> bool:
        return bool(self._drafts)
