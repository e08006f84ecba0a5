"""The catalogue as the app uses it: where the active description comes from, loading it, and an operation
turned into the request the composer opens. No Textual here.

The collection's `openapi` wins over the profile's (a collection is written against one API); a profile without
one has no catalogue. Loaded catalogues are kept by location, so switching back to a profile is instant; a
refresh reads the description again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from explorer.core.http import is_known
from explorer.core.model import Collection, RequestSpec
from explorer.core.openapi.location import resolve_location
from explorer.core.openapi.model import Catalogue, Operation
from explorer.core.openapi.requests import parameter_value, path_variables, request_for, variable_name
from explorer.core.openapi.source import load_catalogue
from explorer.core.profiles import Profile

if TYPE_CHECKING:
    import httpx


def spec_location(profile: Profile | None, collection: Collection | None) -> str:
    """The description the catalogue shows: the collection's, else the profile's ("" when neither has one)."""
    if collection is not None and collection.openapi:
        return resolve_location(collection.openapi, collection.path)
    return profile.openapi if profile is not None else ""


@dataclass
class OpenedOperation:
    """The request for an operation, and the path variables that still need a value."""

    request: RequestSpec
    unknown: list[str]


def open_operation(op: Operation, variables: Mapping[str, str]) -> OpenedOperation:
    request = request_for(op)
    unknown = [name for name in path_variables(op) if not is_known(name, variables)]
    return OpenedOperation(request, list(dict.fromkeys(unknown)))


@dataclass(frozen=True)
class PathParamInfo:
    """A path parameter to ask for: its `{{variable}}` name, the value to start with, and what the spec says."""

    name: str
    value: str
    about: str


def path_params(op: Operation, variables: Mapping[str, str]) -> list[PathParamInfo]:
    """The operation's path parameters in path order, each with its current value (else the spec's example or
    default) and a line from the spec (type, required, description)."""
    described = {variable_name(p.name): p for p in op.parameters if p.location == "path"}
    found: list[PathParamInfo] = []
    for name in dict.fromkeys(path_variables(op)):
        param = described.get(name)
        value = variables.get(name, "")
        if not value and param is not None and (param.example is not None or param.default is not None):
            value = parameter_value(param)
        about = ""
        if param is not None:
            first_line = next(iter(param.description.strip().splitlines()), "")
            about = " · ".join(part for part in (param.type, first_line) if part)
        found.append(PathParamInfo(name, value, about))
    return found


class CatalogueStore:
    """Catalogues by location, loaded once each (again on refresh)."""

    def __init__(self) -> None:
        self._loaded: dict[str, Catalogue] = {}

    def get(self, location: str) -> Catalogue | None:
        return self._loaded.get(location)

    async def load(
        self,
        location: str,
        client: httpx.AsyncClient | None,
        *,
        token: Callable[[], Awaitable[str]] | None = None,
        refresh: bool = False,
    ) -> Catalogue:
        if not refresh and location in self._loaded:
            return self._loaded[location]
        catalogue = await load_catalogue(location, client, refresh=refresh, token=token)
        self._loaded[location] = catalogue
        return catalogue
