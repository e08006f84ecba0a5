"""Fetch every page of a list and combine them into one answer.

Three styles, as real APIs page: `offset` (NewStore's `offset`/`count` parameters and `pagination_info.total`),
`cursor` (a value in the body, sent back as a parameter for the next page) and `link` (RFC 8288
`Link: <…>; rel="next"`). A page answered 429 is asked again after its `Retry-After`. The combined answer is the
first page with its list replaced by the items of every page, so a filter or check written for one page reads
the whole list.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urljoin, urlsplit

from explorer.core.errors import ExplorerError
from explorer.core.http import ResponseRecord
from explorer.core.jqfilter import FilterError, first, run
from explorer.core.model import Paginate, RequestSpec

Send = Callable[[RequestSpec], Awaitable[ResponseRecord]]
Sleep = Callable[[float], Awaitable[None]]
# Told after each page: the page's number and the number of items so far.
OnPage = Callable[[int, int], None]

# A page answered 429 is asked again this many times, each wait at most MAX_RETRY_WAIT seconds.
RATE_LIMIT_RETRIES = 2
MAX_RETRY_WAIT = 30.0
DEFAULT_TOTAL = "(.pagination_info.total? // .pagination.total? // empty)"
DEFAULT_CURSOR = ".next_cursor"


class PaginationError(ExplorerError):
    """The pages could not be fetched or combined as declared."""

    title = "Pagination failed"


@dataclass
class Paced:
    """An answer, and the seconds spent waiting out rate limits before it."""

    response: ResponseRecord
    waited: float = 0.0


async def send_paced(send: Send, spec: RequestSpec, sleep: Sleep = asyncio.sleep) -> Paced:
    """Send, and on a 429 with a Retry-After wait as told and ask again (a few times, for a short wait)."""
    waited = 0.0
    for attempt in range(RATE_LIMIT_RETRIES + 1):
        response = await send(spec)
        delay = response.retry_after
        if response.status != 429 or delay is None or delay > MAX_RETRY_WAIT or attempt == RATE_LIMIT_RETRIES:
            return Paced(response, waited)
        await sleep(delay)
        waited += delay
    raise AssertionError("unreachable")  # pragma: no cover


@dataclass
class AllPages:
    """The pages fetched and the answer they make together."""

    response: ResponseRecord
    pages: list[ResponseRecord]
    items: int = 0
    complete: bool = True
    """False when `max_pages` stopped the walk before the last page."""
    failed: ResponseRecord | None = None
    """A later page that did not answer 2xx; the combined answer holds the pages before it."""
    waited: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def elapsed(self) -> float:
        return sum(page.elapsed for page in self.pages) + (self.failed.elapsed if self.failed else 0.0)


async def fetch_all(
    spec: RequestSpec,
    paginate: Paginate,
    send: Send,
    *,
    sleep: Sleep = asyncio.sleep,
    on_page: OnPage | None = None,
) -> AllPages:
    """Walk the pages of `spec` (at most `paginate.max_pages`). Raises `PaginationError` or `FilterError`."""
    walker = _Walker(spec, paginate)
    pages: list[ResponseRecord] = []
    items: list[Any] = []
    waited = 0.0
    request: RequestSpec | None = walker.first_request()
    complete = True
    failed: ResponseRecord | None = None
    first_page: dict[str, Any] | list[Any] | None = None
    path: list[Any] = []
    while request is not None:
        if len(pages) >= paginate.max_pages:
            complete = False
            break
        paced = await send_paced(send, request, sleep)
        waited += paced.waited
        response = paced.response
        if not 200 <= response.status < 300:
            if not pages:
                # The first page failed: that answer is the result, as a single request would show it.
                return AllPages(response, [response], waited=waited)
            failed = response
            break
        document = _json(response, len(pages) + 1)
        if first_page is None:
            first_page, path = document, _items_path(document, paginate.items)
        page_items = _get_path(document, path, len(pages) + 1)
        pages.append(response)
        items.extend(page_items)
        if on_page is not None:
            on_page(len(pages), len(items))
        request = walker.next_request(request, response, page_items)
    assert first_page is not None
    combined = _combined(pages, first_page, path, items, waited)
    result = AllPages(combined, pages, items=len(items), complete=complete, failed=failed, waited=waited)
    note = f"{len(pages)} page{'s' if len(pages) != 1 else ''} combined: {len(items)} items"
    if not complete:
        note += f" (stopped at max_pages = {paginate.max_pages}; there are more)"
    if failed is not None:
        note += f" (page {len(pages) + 1} answered {failed.status} {failed.reason})"
    result.notes.append(note)
    combined.notes.append(note)
    return result


class _Walker:
    """What to ask for next, by style."""

    def __init__(self, spec: RequestSpec, paginate: Paginate) -> None:
        self.spec = spec
        self.paginate = paginate
        self.count = paginate.count
        if self.count is None and paginate.style == "offset":
            given = spec.params.get(paginate.count_param, "").strip()
            self.count = int(given) if given.isdigit() and int(given) > 0 else None
        self.origin = ""
        self.seen: set[str] = set()

    def first_request(self) -> RequestSpec:
        if self.paginate.style != "offset":
            return self.spec
        given = self.spec.params.get(self.paginate.offset_param, "0").strip()
        return self._offset_request(int(given) if given.isdigit() else 0)

    def _offset_request(self, offset: int) -> RequestSpec:
        params = dict(self.spec.params)
        params[self.paginate.offset_param] = str(offset)
        if self.count is not None:
            params[self.paginate.count_param] = str(self.count)
        return self.spec.copy(params=params)

    def next_request(self, request: RequestSpec, response: ResponseRecord, page: list[Any]) -> RequestSpec | None:
        style = self.paginate.style
        if style == "offset":
            return self._next_offset(request, response, page)
        if style == "cursor":
            return self._next_cursor(response)
        return self._next_link(response)

    def _next_offset(self, request: RequestSpec, response: ResponseRecord, page: list[Any]) -> RequestSpec | None:
        if not page or (self.count is not None and len(page) < self.count):
            return None
        offset = int(request.params[self.paginate.offset_param]) + len(page)
        found, total = first(self.paginate.total or DEFAULT_TOTAL, response.body)
        if found and isinstance(total, int | float) and offset >= total:
            return None
        return self._offset_request(offset)

    def _next_cursor(self, response: ResponseRecord) -> RequestSpec | None:
        found, cursor = first(self.paginate.cursor or DEFAULT_CURSOR, response.body)
        if not found or cursor is None or cursor is False or cursor == "":
            return None
        value = cursor if isinstance(cursor, str) else json.dumps(cursor)
        if value in self.seen:
            raise PaginationError(
                f"The API gave the cursor {value!r} twice; the pages would never end.",
                hint="Check the cursor path in [requests.paginate].",
            )
        self.seen.add(value)
        return self.spec.copy(params={**self.spec.params, self.paginate.cursor_param: value})

    def _next_link(self, response: ResponseRecord) -> RequestSpec | None:
        target = next_link([value for key, value in response.headers if key.lower() == "link"])
        if target is None:
            return None
        url = urljoin(response.request.url, target)
        first_url = urlsplit(response.request.url)
        self.origin = self.origin or f"{first_url.scheme}://{first_url.netloc}"
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != self.origin:
            # The token goes with every page: it is never sent to another server.
            raise PaginationError(
                f"The next page is on another server ({parts.netloc}); explorer does not send the token there.",
                hint="Fetch that page yourself if it should be trusted.",
            )
        if url in self.seen:
            raise PaginationError(f"The Link header points back to {url}; the pages would never end.")
        self.seen.add(url)
        return self.spec.copy(url=url, params={})


_LINK_PARAM = re.compile(r'\s*;\s*([^\s=;,]+)\s*(?:=\s*("(?:[^"\\]|\\.)*"|[^;,\s]*))?')


def parse_links(value: str) -> list[tuple[str, dict[str, str]]]:
    """The links of one Link header value (RFC 8288): each target with its parameters (names lower-cased)."""
    links: list[tuple[str, dict[str, str]]] = []
    position = 0
    while True:
        start = value.find("<", position)
        end = value.find(">", start + 1)
        if start < 0 or end < 0:
            return links
        params: dict[str, str] = {}
        position = end + 1
        while (match := _LINK_PARAM.match(value, position)) is not None:
            raw = match.group(2) or ""
            if raw.startswith('"'):
                raw = re.sub(r"\\(.)", r"\1", raw[1:-1])
            params.setdefault(match.group(1).lower(), raw)
            position = match.end()
        links.append((value[start + 1 : end].strip(), params))


def next_link(values: list[str]) -> str | None:
    """The target of the `rel="next"` link in Link header values, or None."""
    for value in values:
        for target, params in parse_links(value):
            if "next" in params.get("rel", "").lower().split():
                return target
    return None


def _json(response: ResponseRecord, page: int) -> Any:
    try:
        return json.loads(response.body)
    except ValueError:
        raise PaginationError(
            f"Page {page} is not JSON ({response.content_type or 'no content type'}); pages can only be combined "
            "from JSON lists."
        ) from None


def _items_path(document: Any, expression: str) -> list[Any]:
    """Where the list of items is: `items = …` from the declaration, else the page itself or its only list."""
    if expression:
        try:
            paths = run(f"path({expression})", json.dumps(document), limit=1)
        except FilterError as exc:
            raise PaginationError(f"items = {expression!r} is not a path in the first page: {exc.message}") from None
        if not paths:
            raise PaginationError(f"items = {expression!r} finds nothing in the first page.")
        return list(paths[0])
    if isinstance(document, list):
        return []
    lists = [key for key, value in document.items() if isinstance(value, list)] if isinstance(document, dict) else []
    if len(lists) == 1:
        return [lists[0]]
    found = ", ".join(f".{key}" for key in lists) or "none"
    raise PaginationError(
        f"Cannot tell which list of the page holds the items (lists at the top: {found}).",
        hint='Say it in [requests.paginate], e.g. items = ".items".',
    )


def _get_path(document: Any, path: list[Any], page: int) -> list[Any]:
    value = document
    for step in path:
        try:
            value = value[step]
        except (KeyError, IndexError, TypeError):
            value = None
            break
    if value is None:
        return []
    if not isinstance(value, list):
        raise PaginationError(f"Page {page} has no list at {_show_path(path)}.")
    return value


def _show_path(path: list[Any]) -> str:
    return "".join(f"[{step}]" if isinstance(step, int) else f".{step}" for step in path) or "."


def _combined(
    pages: list[ResponseRecord], first_page: Any, path: list[Any], items: list[Any], waited: float
) -> ResponseRecord:
    if path:
        document = first_page
        target = document
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = items
    else:
        document = items
    body = json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
    head = pages[0]
    headers = [(k, v) for k, v in head.headers if k.lower() not in ("content-length", "content-encoding", "link")]
    headers.append(("content-length", str(len(body))))
    return replace(
        head,
        body=body,
        headers=headers,
        elapsed=sum(page.elapsed for page in pages),
        retried_after_rejection=any(page.retried_after_rejection for page in pages),
        notes=list(head.notes),
    )
