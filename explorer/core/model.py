"""Plain data: a request as the user composed it, what it is expected to answer, and a collection of them."""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass, field, replace
from pathlib import Path

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
# Methods that change data: production profiles ask before sending these.
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


# What `expect.status` may say: one status, a list of them, or a class such as "2xx".
StatusSpec = int | tuple[int, ...] | str
STATUS_CLASSES = ("1xx", "2xx", "3xx", "4xx", "5xx")
PAGINATION_STYLES = ("offset", "cursor", "link")


def status_matches(expected: StatusSpec, status: int) -> bool:
    if isinstance(expected, str):
        return str(status // 100) == expected[:1]
    if isinstance(expected, tuple):
        return status in expected
    return status == expected


def status_text(expected: StatusSpec | None) -> str:
    """The expectation as a user types it: `200`, `200, 201` or `2xx`; "" for none."""
    if expected is None:
        return ""
    if isinstance(expected, tuple):
        return ", ".join(str(s) for s in expected)
    return str(expected)


def parse_status(text: str) -> StatusSpec | None:
    """What a user typed as the expected status; None when it is empty or not a status."""
    text = text.strip().lower()
    if text in STATUS_CLASSES:
        return text
    try:
        statuses = tuple(int(part) for part in text.replace(",", " ").split())
    except ValueError:
        return None
    if not statuses or not all(100 <= s <= 599 for s in statuses):
        return None
    return statuses[0] if len(statuses) == 1 else statuses


def free_name(taken: Container[str], wanted: str) -> str:
    """`wanted`, or `wanted (2)`, `wanted (3)`… whichever `taken` does not hold (requests, folders)."""
    if wanted not in taken:
        return wanted
    number = 2
    while f"{wanted} ({number})" in taken:
        number += 1
    return f"{wanted} ({number})"


@dataclass
class Expect:
    """What a replay checks. Empty means the request only has to get an answer (not a server error).

    `headers` maps a header name to the value it must have (`*`: only present); `jq` holds expressions on the
    JSON body that must each be true; `max_ms` bounds the time to the whole answer.
    """

    status: StatusSpec | None = None
    jq: tuple[str, ...] = ()
    headers: dict[str, str] = field(default_factory=dict)
    max_ms: float | None = None

    def is_empty(self) -> bool:
        return self.status is None and not self.jq and not self.headers and self.max_ms is None

    def copy(self) -> Expect:
        return Expect(status=self.status, jq=self.jq, headers=dict(self.headers), max_ms=self.max_ms)


@dataclass
class Paginate:
    """How to fetch every page of a list: `offset` (offset/count parameters), `cursor` (a value from the body
    sent back as a parameter) or `link` (RFC 8288 `Link: <…>; rel="next"`). Empty fields mean the defaults."""

    style: str = "offset"
    max_pages: int = 10
    items: str = ""
    """jq path to the list on each page that the combined view joins (default: the page's only list)."""
    offset_param: str = "offset"
    count_param: str = "count"
    count: int | None = None
    """Items per page sent as `count_param` (default: the request's own value, else what the API chooses)."""
    total: str = ""
    """jq path to the total number of items (default: `.pagination_info.total`, `.pagination.total`)."""
    cursor: str = ""
    """jq path to the next page's cursor (default: `.next_cursor`); null or empty ends the list."""
    cursor_param: str = "cursor"

    def copy(self) -> Paginate:
        return replace(self)


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
    capture: dict[str, str] = field(default_factory=dict)
    """Variables taken from the answer: a jq expression on the JSON body, `header:Name`, or `status`."""
    paginate: Paginate | None = None
    filter: str = ""
    """The jq filter last used on this request's answer, shown again when the answer comes back."""

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
            expect=self.expect.copy(),
            capture=dict(self.capture),
            paginate=self.paginate.copy() if self.paginate is not None else None,
            filter=self.filter,
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
    # The API description its requests call (OpenAPI / Swagger): a URL, or a path relative to the file.
    openapi: str = ""

    def folders(self) -> list[str]:
        """Folder names in first-seen order ("" for requests outside any folder is left out)."""
        seen: dict[str, None] = {}
        for request in self.requests:
            if request.folder:
                seen.setdefault(request.folder, None)
        return list(seen)
