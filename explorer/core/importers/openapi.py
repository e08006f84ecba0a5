"""OpenAPI 3.x and Swagger 2.0 descriptions as collections: one request per operation, a folder per tag.

Paths get `{{variables}}` for their parameters (with the spec's example or default as the collection's value
when it gives one), required query parameters and headers their default or example, bodies the spec's example or
one built from the schema, and `expect.status` the first 2xx response. The collection remembers the description
(`openapi = …`), so the scope doctor can explain a 403 when it is replayed.
"""

from __future__ import annotations

import re

from explorer.core.importers.base import ImportFormat, ImportOrigin, ImportResult, ImportSourceError
from explorer.core.importers.common import unique_name
from explorer.core.model import Collection

__all__ = ["FORMAT"]

_MARKER = re.compile(r"""^\s*["']?(openapi|swagger)["']?\s*:""", re.MULTILINE)


def detect(text: str, filename: str) -> int:
    head = text[:4096]
    if _MARKER.search(head):
        return 95
    if filename.lower().endswith((".yaml", ".yml", ".json")) and ('"paths"' in head or "\npaths:" in head):
        return 40
    return 0


def parse(text: str, origin: ImportOrigin) -> ImportResult:
    # Loaded here: every import detects the format through this module, and only OpenAPI needs the reader.
    from explorer.core.openapi.document import Document, SpecError, parse_bytes
    from explorer.core.openapi.reader import read_catalogue
    from explorer.core.openapi.requests import parameter_value, request_for, variable_name

    source = origin.label
    try:
        root = parse_bytes(text.encode("utf-8"), source)
        base = str(origin.path.resolve()) if origin.path is not None else ""
        catalogue = read_catalogue(Document(root, base), source)
    except SpecError as exc:
        raise ImportSourceError(exc.message, hint=exc.hint) from None
    catalogue.read_all()
    collection = Collection(name=catalogue.title or (origin.path.stem if origin.path else "Imported API"))
    if origin.path is not None:
        collection.openapi = str(origin.path.resolve())
    result = ImportResult(collection=collection, format="openapi")
    for operation in catalogue.operations:
        spec = request_for(operation)
        spec.name = unique_name(collection, spec.name)
        collection.requests.append(spec)
        for param in operation.path_parameters:
            value = parameter_value(param)
            name = variable_name(param.name)
            if value and name not in collection.variables and (param.example is not None or param.default is not None):
                collection.variables[name] = value
    folders = collection.folders()
    kind = f"Swagger {catalogue.version}" if catalogue.is_swagger else f"OpenAPI {catalogue.version}"
    result.notes.append(
        f"{kind}: {len(collection.requests)} operation(s) in {len(folders)} folder(s), one request each"
    )
    if catalogue.servers:
        result.notes.append(
            f"The description's server is {catalogue.servers[0]}; requests use {{{{api_url}}}} (the profile's api_url)"
        )
    flows = [s for s in catalogue.schemes.values() if s.client_credentials]
    if flows:
        result.notes.append(
            f"OAuth2 client credentials ({flows[0].token_url or 'token URL not given'}); "
            "each operation's scopes are shown by `explorer catalogue`"
        )
    result.skipped.extend(f"{where}: {what}" for where, what in catalogue.problems.items())
    return result


FORMAT = ImportFormat(
    name="openapi", description="OpenAPI 3.x / Swagger 2.0 (JSON or YAML)", detect=detect, parse=parse
)
