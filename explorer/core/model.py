"""Plain data: a request as the user composed it, what it is expected to answer, and a collection of them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
# Methods that change data: production profiles ask before sending these.
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass
class Expect:
    """What a replay checks. Empty means the request only has to get an answer."""

    status: int | None = None

    def is_empty(self) -> bool:
        return self.status is None


@dataclass
class RequestSpec:
    """One request, before templating. Every text field may hold `{{variables}}`."""

    name: str = ""
    method: str = "GET"
    url: str = ""
    params: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    body: str = ""
    content_type: str = ""
    auth: bool = True
    folder: str = ""
    description: str = ""
    expect: Expect = field(default_factory=Expect)

    def copy(self, **changes: object) -> RequestSpec:
        """A deep enough copy: dicts are new, so editing one never touches the other."""
        fresh = RequestSpec(
            name=self.name,
            method=self.method,
            url=self.url,
            params=dict(self.params),
            headers=dict(self.headers),
            body=self.body,
            content_type=self.content_type,
            auth=self.auth,
            folder=self.folder,
            description=self.description,
            expect=Expect(status=self.expect.status),
        )
        for key, value in changes.items():
            setattr(fresh, key, value)
        return fresh


@dataclass
class Collection:
    """A named list of requests with shared variables, stored as TOML."""

    name: str = "Untitled collection"
    requests: list[RequestSpec] = field(default_factory=list)
    variables: dict[str, str] = field(default_factory=dict)
    path: Path | None = None
    schema_version: int = 1

    def folders(self) -> list[str]:
        """Folder names in first-seen order ("" for requests outside any folder is left out)."""
        seen: dict[str, None] = {}
        for request in self.requests:
            if request.folder:
                seen.setdefault(request.folder, None)
        return list(seen)
