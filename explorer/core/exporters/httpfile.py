"""Requests as a JetBrains-style `.http` file, with the `http-client.env.json` that carries the profile.

A request that uses the profile's token gets `Authorization: Bearer {{$auth.token("P")}}`; the environment
file's `Security.Auth` entry for P holds the profile's token URL, client id, scopes and client authentication,
and `{{client_secret}}` where the secret goes: the user keeps it in `http-client.private.env.json`, never in a
file that is shared. Collection variables become `@name = value` lines; the profile's own (`api_url`,
`tenant`, …) go into the environment.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from explorer.core.model import Collection, RequestSpec
from explorer.core.profiles import Profile

__all__ = ["HttpExport", "env_file", "to_http"]

_DYNAMIC = {
    "$uuid": "$random.uuid",
    "$timestamp": "$timestamp",
    "$isoTimestamp": "$isoTimestamp",
    "$randomInt": "$randomInt",
}
_PLACEHOLDER = re.compile(r"\{\{\s*(\$[A-Za-z][A-Za-z0-9_.]*)\s*\}\}")
SECRET_PLACEHOLDER = "{{client_secret}}"


@dataclass
class HttpExport:
    text: str
    environment: dict[str, Any]


def _translate(text: str) -> str:
    return _PLACEHOLDER.sub(lambda m: "{{" + _DYNAMIC.get(m.group(1), m.group(1)) + "}}", text)


def _url(spec: RequestSpec) -> str:
    if not spec.params:
        return spec.url
    query = "&".join(f"{k}={v}" for k, v in spec.params.items() if k)
    return spec.url + ("&" if "?" in spec.url else "?") + query


def _request(spec: RequestSpec, auth_id: str) -> list[str]:
    lines = [f"### {spec.name}"]
    if spec.description:
        lines += [f"# {line}" for line in spec.description.splitlines()]
    lines.append(f"{spec.method} {_translate(_url(spec))}")
    names = {k.strip().lower() for k in spec.headers}
    for key, value in spec.headers.items():
        if key.strip():
            lines.append(f"{key}: {_translate(value)}")
    if spec.content_type and "content-type" not in names:
        lines.append(f"Content-Type: {spec.content_type}")
    if spec.auth and "authorization" not in names:
        lines.append('Authorization: Bearer {{$auth.token("' + auth_id + '")}}')
    if spec.body:
        lines += ["", _translate(spec.body).replace("\r\n", "\n").rstrip("\n")]
    return lines


def to_http(collection: Collection, specs: Sequence[RequestSpec], profile: Profile | None) -> HttpExport:
    auth_id = profile.name if profile is not None else "explorer"
    lines: list[str] = []
    for key, value in collection.variables.items():
        if "\n" not in value:
            lines.append(f"@{key} = {value}")
    if lines:
        lines.append("")
    for spec in specs:
        lines += _request(spec, auth_id)
        lines.append("")
    return HttpExport(text="\n".join(lines).rstrip("\n") + "\n", environment=env_file(profile))


def env_file(profile: Profile | None) -> dict[str, Any]:
    """`{env: {variables…, "Security": {"Auth": {profile: {…}}}}}` for the profile (placeholders without one)."""
    if profile is None:
        auth: dict[str, Any] = {
            "Type": "OAuth2",
            "Grant Type": "Client Credentials",
            "Token URL": "{{token_url}}",
            "Client ID": "{{client_id}}",
            "Client Secret": SECRET_PLACEHOLDER,
        }
        return {"explorer": {"token_url": "", "client_id": "", "Security": {"Auth": {"explorer": auth}}}}
    auth = {
        "Type": "OAuth2",
        "Grant Type": "Client Credentials",
        "Token URL": profile.token_url,
        "Client ID": profile.client_id,
        "Client Secret": SECRET_PLACEHOLDER,
        "Client Credentials": "basic" if profile.client_auth == "basic" else "in body",
    }
    if profile.scopes:
        auth["Scope"] = " ".join(profile.scopes)
    values: dict[str, Any] = dict(profile.variables)
    values.update(profile.builtin_variables())
    values["Security"] = {"Auth": {profile.name: auth}}
    return {profile.name: values}


def merge_env(existing: dict[str, Any], update: dict[str, Any]) -> dict[str, Any]:
    """An environment file with `update`'s environments written over (the others kept as they were)."""
    merged = dict(existing)
    for name, values in update.items():
        current = merged.get(name)
        merged[name] = {**current, **values} if isinstance(current, dict) else values
    return merged


def dumps_env(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
