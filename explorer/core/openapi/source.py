"""Where a profile's or a collection's API description comes from: a file, or a URL fetched into the cache.

A fetched description is kept in the user cache dir (`specs/`), with its ETag and Last-Modified, and read from
there until the user asks for a refresh, which sends a conditional request (a 304 keeps the copy). A URL that
answers 401 or 403 without credentials is asked again with the profile's Bearer token.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from explorer.core.atomic import write_bytes_atomic, write_text_atomic
from explorer.core.openapi.document import Document, SpecError, load_document, parse_bytes
from explorer.core.openapi.location import is_url
from explorer.core.openapi.model import Catalogue
from explorer.core.openapi.reader import read_catalogue
from explorer.core.safefile import read_regular_file
from explorer.core.userpaths import path_from_env, user_path

if TYPE_CHECKING:
    import httpx

SPEC_CACHE_ENV = "EXPLORER_SPEC_CACHE"
# Anything bigger is not an API description anyone can use here.
MAX_SPEC_BYTES = 256 * 1024 * 1024

TokenGetter = Callable[[], Awaitable[str]]


def spec_cache_dir() -> Path:
    """`EXPLORER_SPEC_CACHE` (a directory), else specs/ in the user cache dir. A fetched description is always
    kept (the catalogue reads it from there), so "off" means the default place here."""
    return path_from_env(SPEC_CACHE_ENV, "cache", "specs") or user_path("cache", "specs")


@dataclass(frozen=True)
class CachedSpec:
    url: str
    path: Path
    etag: str = ""
    last_modified: str = ""
    fetched_at: float = 0.0
    # "fetched", "not modified" or "cached": what the last look did.
    outcome: str = "cached"


def _entry(url: str, cache_dir: Path) -> tuple[Path, Path]:
    name = hashlib.sha256(url.encode("utf-8")).hexdigest()[:32]
    return cache_dir / f"{name}.spec", cache_dir / f"{name}.json"


def cached_spec(url: str, cache_dir: Path | None = None) -> CachedSpec | None:
    """The cached copy of `url`, if there is a readable one."""
    data_path, meta_path = _entry(url, cache_dir or spec_cache_dir())
    try:
        meta: dict[str, Any] = json.loads(read_regular_file(meta_path).decode("utf-8"))
    except (OSError, ValueError):
        return None
    if not data_path.is_file() or meta.get("url") != url:
        return None
    return CachedSpec(
        url,
        data_path,
        str(meta.get("etag") or ""),
        str(meta.get("last_modified") or ""),
        float(meta.get("fetched_at") or 0),
    )


async def fetch_spec(
    url: str,
    client: httpx.AsyncClient,
    *,
    refresh: bool = False,
    token: TokenGetter | None = None,
    cache_dir: Path | None = None,
    clock: Callable[[], float] = time.time,
) -> CachedSpec:
    """The description at `url`, from the cache unless `refresh` (or nothing is cached yet)."""
    import httpx

    directory = cache_dir or spec_cache_dir()
    known = cached_spec(url, directory)
    if known is not None and not refresh:
        return known
    headers = {"Accept": "application/json, application/yaml;q=0.9, */*;q=0.5"}
    if known is not None:
        if known.etag:
            headers["If-None-Match"] = known.etag
        if known.last_modified:
            headers["If-Modified-Since"] = known.last_modified
    try:
        response = await client.get(url, headers=headers, follow_redirects=True, timeout=60.0)
        if response.status_code in (401, 403) and token is not None:
            headers["Authorization"] = f"Bearer {await token()}"
            response = await client.get(url, headers=headers, follow_redirects=True, timeout=60.0)
    except httpx.HTTPError as exc:
        if known is not None:
            return known  # offline: the copy we have is better than nothing
        raise SpecError(
            f"Cannot fetch the API description {url}: {exc or type(exc).__name__}.",
            hint="Check the URL and the network.",
        ) from None
    if response.status_code == 304 and known is not None:
        return _store_meta(known, directory, clock(), "not modified")
    if response.status_code != 200:
        raise SpecError(
            f"Fetching the API description {url} answered {response.status_code} {response.reason_phrase}.",
            hint="Check the URL; a description behind a login needs the profile's token (its scopes).",
        )
    if len(response.content) > MAX_SPEC_BYTES:
        raise SpecError(f"The API description at {url} is larger than {MAX_SPEC_BYTES // 2**20} MB.")
    data_path, _ = _entry(url, directory)
    directory.mkdir(parents=True, exist_ok=True)
    write_bytes_atomic(data_path, response.content)
    fresh = CachedSpec(
        url,
        data_path,
        response.headers.get("etag", ""),
        response.headers.get("last-modified", ""),
    )
    return _store_meta(fresh, directory, clock(), "fetched")


def _store_meta(spec: CachedSpec, directory: Path, now: float, outcome: str) -> CachedSpec:
    _, meta_path = _entry(spec.url, directory)
    meta = {"url": spec.url, "etag": spec.etag, "last_modified": spec.last_modified, "fetched_at": now}
    write_text_atomic(meta_path, json.dumps(meta, indent=2) + "\n")
    return CachedSpec(spec.url, spec.path, spec.etag, spec.last_modified, now, outcome)


def read_spec_file(path: Path, *, base: str = "", pieces: bool = True) -> Catalogue:
    """Parse and read a spec file (blocking: call from a thread in the app). `base` names it in messages.

    `pieces=False` when nothing else runs meanwhile (a headless command): see `parse_bytes`.
    """
    doc = load_document(path, pieces=pieces)
    if base:
        doc.base = base if is_url(base) else doc.base
    return read_catalogue(doc, base or str(path))


def read_spec_bytes(data: bytes, source: str) -> Catalogue:
    return read_catalogue(Document(parse_bytes(data, source), source), source)


async def load_catalogue(
    location: str,
    client: httpx.AsyncClient | None = None,
    *,
    refresh: bool = False,
    token: TokenGetter | None = None,
    cache_dir: Path | None = None,
) -> Catalogue:
    """Read the description at a path or URL. Parsing runs in a thread, so the event loop stays free."""
    import asyncio

    if not location:
        raise SpecError("No API description is set.", hint='Set `openapi = "…"` in the profile or the collection.')
    if not is_url(location):
        return _settled(await asyncio.to_thread(read_spec_file, Path(location)))
    if client is None:
        from explorer.core.engine import make_client

        async with make_client() as own:
            cached = await fetch_spec(location, own, refresh=refresh, token=token, cache_dir=cache_dir)
    else:
        cached = await fetch_spec(location, client, refresh=refresh, token=token, cache_dir=cache_dir)
    return _settled(await asyncio.to_thread(read_spec_file, cached.path, base=location))


def _settled(catalogue: Catalogue) -> Catalogue:
    """The catalogue, its objects moved out of the cyclic collector's sight.

    A large description is a million objects that live as long as the catalogue. Left to the collector, the
    first full collection after the load scans them all (about 100 ms on the 5,000-operation benchmark), and it
    lands on whichever keystroke happens to trigger it (bench_catalogue, the pane as the app builds it: worst
    filter key 101-130 ms without, 36-54 ms with). Freezing costs nothing now; what the catalogue holds is still
    freed by reference counting when it goes.
    """
    from explorer.core.load_scope import settle

    settle()  # not gc.freeze(): a load scope around this would unfreeze it when it ends
    return catalogue
