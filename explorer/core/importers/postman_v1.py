"""Postman collections in the old v1 format, reshaped into v2.1 so the one reader handles both.

v1 keeps every request in one flat `requests` list; folders (`folders`, with `order` and `folders_order`
lists of ids) and the collection's `order` say where each goes. Headers are a `Key: value` text or a
`headerData` list, the body is `dataMode` with `rawModeData` or `data`, tests are one script text, and auth is
either v2's `auth` object or the older `currentHelper` with `helperAttributes`.
"""

from __future__ import annotations

from typing import Any

__all__ = ["is_v1", "to_v2"]

_HELPERS = {"bearerAuth": "bearer", "basicAuth": "basic", "oAuth2": "oauth2", "apiKeyAuth": "apikey"}


def is_v1(data: dict[str, Any]) -> bool:
    return "item" not in data and isinstance(data.get("requests"), list)


def to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """The same collection as a v2.1 document (folders nested, requests in their order)."""
    requests = {str(r.get("id")): r for r in data["requests"] if isinstance(r, dict)}
    folders = {str(f.get("id")): f for f in data.get("folders") or [] if isinstance(f, dict)}
    placed: set[str] = set()
    seen_folders: set[str] = set()

    def folder_items(folder: dict[str, Any]) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        for child in _ids(folder.get("folders_order")):
            if child in folders and child not in seen_folders:
                seen_folders.add(child)
                items.append(_folder(folders[child], folder_items(folders[child])))
        items += _requests(_ids(folder.get("order")), requests, placed)
        own = [i for i, r in requests.items() if str(r.get("folder")) == str(folder.get("id"))]
        items += _requests(own, requests, placed)
        return items

    nested = {child for f in folders.values() for child in _ids(f.get("folders_order"))}
    roots = [i for i in _ids(data.get("folders_order")) if i in folders] or list(folders)
    roots += [i for i in folders if i not in roots]
    items: list[dict[str, Any]] = []
    for folder_id in roots:
        if folder_id in nested or folder_id in seen_folders:
            continue
        seen_folders.add(folder_id)
        items.append(_folder(folders[folder_id], folder_items(folders[folder_id])))
    items += _requests(_ids(data.get("order")), requests, placed)
    # Requests no order names still belong to the collection (or to the folder their `folder` names).
    items += _requests([i for i in requests if i not in placed], requests, placed)
    document: dict[str, Any] = {
        "info": {"name": data.get("name") or "Postman collection", "description": data.get("description") or ""},
        "item": items,
    }
    if isinstance(data.get("variables"), list):
        document["variable"] = data["variables"]
    if isinstance(data.get("auth"), dict):
        document["auth"] = data["auth"]
    return document


def _ids(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def _folder(folder: dict[str, Any], items: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {"name": folder.get("name") or "Folder", "item": items}
    if isinstance(folder.get("auth"), dict):
        out["auth"] = folder["auth"]
    return out


def _requests(ids: list[str], requests: dict[str, dict[str, Any]], placed: set[str]) -> list[dict[str, Any]]:
    items = []
    for request_id in ids:
        if request_id in requests and request_id not in placed:
            placed.add(request_id)
            items.append(_item(requests[request_id]))
    return items


def _item(request: dict[str, Any]) -> dict[str, Any]:
    url: dict[str, Any] | str = request.get("url") or ""
    variables = request.get("pathVariableData")
    if isinstance(variables, list) and variables:
        url = {"raw": url, "variable": variables}
    elif isinstance(request.get("pathVariables"), dict) and request["pathVariables"]:
        url = {"raw": url, "variable": [{"key": k, "value": v} for k, v in request["pathVariables"].items()]}
    headers = request.get("headerData") if isinstance(request.get("headerData"), list) else request.get("headers")
    v2: dict[str, Any] = {
        "method": request.get("method") or "GET",
        "url": url,
        "header": headers or [],
        "description": request.get("description") or "",
    }
    body = _body(request)
    if body is not None:
        v2["body"] = body
    auth = _auth(request)
    if auth is not None:
        v2["auth"] = auth
    item: dict[str, Any] = {"name": request.get("name") or "", "request": v2}
    events = []
    for listen, key in (("prerequest", "preRequestScript"), ("test", "tests")):
        script = request.get(key)
        if isinstance(script, str) and script.strip():
            events.append({"listen": listen, "script": {"exec": script.splitlines()}})
    if events:
        item["event"] = events
    return item


def _body(request: dict[str, Any]) -> dict[str, Any] | None:
    mode = request.get("dataMode")
    data = request.get("data") if isinstance(request.get("data"), list) else []
    if mode == "raw":
        raw = request.get("rawModeData")
        if isinstance(raw, str) and raw:
            return {"mode": "raw", "raw": raw}
    elif mode == "urlencoded":
        return {"mode": "urlencoded", "urlencoded": data}
    elif mode == "params":
        return {"mode": "formdata", "formdata": data}
    elif mode == "graphql":
        graphql = request.get("graphqlModeData")
        if isinstance(graphql, dict):
            return {"mode": "graphql", "graphql": graphql}
    return None


def _auth(request: dict[str, Any]) -> dict[str, Any] | None:
    if isinstance(request.get("auth"), dict):
        auth: dict[str, Any] = request["auth"]
        return auth
    helper = request.get("currentHelper")
    attributes = request.get("helperAttributes")
    kind = _HELPERS.get(helper) if isinstance(helper, str) else None
    if kind is None or not isinstance(attributes, dict):
        return None
    values = {k: v for k, v in attributes.items() if k not in ("id", "saveToRequest")}
    if kind == "oauth2":
        values = {
            "accessTokenUrl": attributes.get("accessTokenUrl") or attributes.get("tokenUrl") or "",
            "clientId": attributes.get("clientId") or "",
            "clientSecret": attributes.get("clientSecret") or "",
            "scope": attributes.get("scope") or "",
            "grant_type": attributes.get("grantType") or attributes.get("grant_type") or "",
        }
    return {"type": kind, kind: values}
