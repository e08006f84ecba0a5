"""`.http` / `.rest` files (JetBrains HTTP Client, VS Code REST Client, httpyac) as requests.

`###` separates requests (the rest of the line names one), `# @name x` names one too, `@x = y` defines a file
variable, `< ./file` bodies are inlined when the file is there (the report says which). The environment files
next to the source (`http-client.env.json`, `http-client.private.env.json`) and any given with `--env` give
variables (from the first environment) and profiles (from each `Security.Auth` client-credentials entry).
Everything in the private file is treated as secret: its values are never copied.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from explorer.core.importers.base import ImportFormat, ImportOrigin, ImportResult, ImportSourceError
from explorer.core.importers.common import Draft, add_request, read_body_file, translate_variables, with_scheme
from explorer.core.importers.oauth_profile import client_credentials_profile
from explorer.core.importers.safety import env_name
from explorer.core.model import Collection
from explorer.core.safefile import read_regular_file

__all__ = ["FORMAT", "parse_http"]

_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "CONNECT")
_REQUEST_LINE = re.compile(
    r"^(?:(?P<method>[A-Za-z]+)\s+)?(?P<url>(?:https?://|\{\{|/|[A-Za-z0-9.-]+(?::\d+)?/)\S*.*?)(?:\s+HTTP/[\d.]+)?\s*$"
)
_VARIABLE = re.compile(r"^@([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*?)\s*$")
_NAME = re.compile(r"^(?:#|//)\s*@name[\s=]+(.+?)\s*$")
_AUTH_TOKEN = re.compile(r"\{\{\s*\$auth\.(?:token|idToken)\(\s*\"([^\"]*)\"\s*\)\s*\}\}")
_HEADER = re.compile(r"^([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*:\s?(.*)$")


def detect(text: str, filename: str) -> int:
    if filename.lower().endswith((".http", ".rest")):
        return 95
    if re.search(r"(?m)^###", text) and re.search(r"(?m)^(?:GET|POST|PUT|PATCH|DELETE)\s+\S", text):
        return 80
    if re.match(r"\s*(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+(?:https?://|\{\{)", text):
        return 70
    return 0


def parse_http(text: str, origin: ImportOrigin) -> ImportResult:
    name = origin.path.stem if origin.path is not None else "Imported from .http"
    result = ImportResult(collection=Collection(name=name))
    variables = result.collection.variables
    private = _environments(result, origin)
    block: list[tuple[int, str]] = []
    title = ""
    found = 0
    for number, line in enumerate([*text.split("\n"), "###"], start=1):
        if line.startswith("###"):
            found += _block(result, origin, block, title, variables)
            block, title = [], line[3:].strip().lstrip("#").strip()
            continue
        block.append((number, line))
    if not found and not result.skipped:
        raise ImportSourceError(f"{origin.label} holds no request.", hint="Each request starts with METHOD URL.")
    _private_to_env(result, private)
    for spec in result.collection.requests:
        spec.url = translate_variables(spec.url)
        spec.body = translate_variables(spec.body)
        spec.headers = {k: translate_variables(v) for k, v in spec.headers.items()}
    return result


def _block(
    result: ImportResult, origin: ImportOrigin, lines: list[tuple[int, str]], title: str, variables: dict[str, str]
) -> int:
    name = title
    index = 0
    request_line = None
    while index < len(lines):
        number, line = lines[index]
        stripped = line.strip()
        index += 1
        if not stripped:
            continue
        named = _NAME.match(stripped)
        if named:
            name = named.group(1)
            continue
        if stripped.startswith(("#", "//")):
            continue
        variable = _VARIABLE.match(stripped)
        if variable:
            variables[variable.group(1)] = variable.group(2)
            continue
        request_line = (number, stripped)
        break
    if request_line is None:
        return 0
    number, stripped = request_line
    match = _REQUEST_LINE.match(stripped)
    if match is None:
        result.skipped.append(f"line {number}: {stripped[:60]!r} is not a request line")
        return 0
    method = (match.group("method") or "GET").upper()
    url = match.group("url").strip()
    # A long query may go on over indented lines that start with ? or &.
    while index < len(lines) and lines[index][1][:1] in " \t" and lines[index][1].strip()[:1] in ("?", "&", "/"):
        url += lines[index][1].strip()
        index += 1
    draft = Draft(name=name, method=method, url=url, where=f"line {number}")
    while index < len(lines):
        line = lines[index][1]
        index += 1
        if not line.strip():
            break
        if line.strip().startswith(("#", "//")):
            continue
        header = _HEADER.match(line.strip())
        if header is None:
            # No blank line before the body: some files do this; the rest is the body.
            index -= 1
            break
        draft.headers.append((header.group(1), header.group(2).strip()))
    body_lines: list[str] = []
    for _, line in lines[index:]:
        if line.startswith(("> ", ">>", "<>")) or line.strip().startswith("> {%"):
            break
        body_lines.append(line)
    body = "\n".join(body_lines).strip("\n")
    host = draft.header("host")
    if draft.url.startswith("/") and host:
        # `GET /path` with a Host header: the editors send it to that host.
        draft.remove_header("host")
        draft.url = f"{'https' if host.endswith(':443') else 'http'}://{host.strip()}{draft.url}"
    draft.url = with_scheme(draft.url)
    content_type = (draft.header("content-type") or "").lower()
    if content_type.startswith("application/x-www-form-urlencoded") and "\n" in body:
        # A form body may go on over lines that start with &: the editors join them.
        body = "".join(line.strip() for line in body.splitlines())
    file_ref = re.fullmatch(r"<@?\s+(\S.*)", body.strip())
    if file_ref:
        what = f"{draft.name or draft.url!r} (line {number})"
        body = read_body_file(result, origin, file_ref.group(1).strip(), what) or ""
    draft.body = body
    for key, value in list(draft.headers):
        token = _AUTH_TOKEN.search(value)
        if token:
            draft.remove_header(key)
            draft.auth = True
            result.notes.append(f"{draft.name or draft.url!r}: {{{{$auth.token(...)}}}} became auth = true")
    return 1 if add_request(result, draft) is not None else 0


def _load_json(path: Path, result: ImportResult) -> dict[str, Any] | None:
    try:
        data = json.loads(read_regular_file(path).decode("utf-8-sig"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, RecursionError) as error:
        result.skipped.append(f"{path.name}: not readable as JSON ({error})")
        return None
    if not isinstance(data, dict):
        result.skipped.append(f"{path.name}: not an environment file")
        return None
    return data


def _environments(result: ImportResult, origin: ImportOrigin) -> set[str]:
    """Variables from the first environment, profiles from every one; the names of the private values."""
    files: list[tuple[Path, bool]] = []
    if origin.path is not None:
        for candidate, private in (("http-client.env.json", False), ("http-client.private.env.json", True)):
            path = origin.directory / candidate
            if path.exists():
                files.append((path, private))
    files += [(p, "private" in p.name) for p in origin.environments]
    chosen = ""
    private_names: set[str] = set()
    shared: dict[str, str] = {}
    settings: dict[str, dict[str, Any]] = {}
    for path, private in files:
        data = _load_json(path, result)
        if data is None:
            continue
        names = [k for k in data if k != "$shared" and isinstance(data[k], dict)]
        if not chosen and names:
            chosen = names[0]
            others = [n for n in names[1:]]
            note = f"environment {chosen!r} of {path.name} gave the variables"
            result.notes.append(note + (f" (also there: {', '.join(others)})" if others else ""))
        for env, values in data.items():
            if not isinstance(values, dict):
                continue
            for key, value in values.items():
                if key == "Security" and isinstance(value, dict):
                    settings.setdefault(env, {}).update(
                        value.get("Auth", {}) if isinstance(value.get("Auth"), dict) else {}
                    )
                    continue
                if isinstance(value, dict | list):
                    continue
                if private:
                    private_names.add(key)
                    continue
                if env == "$shared":
                    shared.setdefault(key, str(value))
                elif env == chosen:
                    result.collection.variables[key] = str(value)
    for key, value in shared.items():
        result.collection.variables.setdefault(key, value)
    for key in private_names:
        result.collection.variables.pop(key, None)
    for env, auths in settings.items():
        env_vars = {k: str(v) for k, v in _flat(env, files, result).items()}
        for auth_id, config in auths.items():
            if isinstance(config, dict):
                _auth_profile(result, env, auth_id, config, env_vars)
    return private_names


def _flat(env: str, files: list[tuple[Path, bool]], result: ImportResult) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for path, private in files:
        if private:
            continue
        data = _load_json(path, result) or {}
        for section in ("$shared", env):
            part = data.get(section)
            if isinstance(part, dict):
                values.update({k: v for k, v in part.items() if not isinstance(v, dict | list)})
    return values


def _auth_profile(result: ImportResult, env: str, auth_id: str, config: dict[str, Any], values: dict[str, str]) -> None:
    def get(key: str) -> str:
        raw = str(config.get(key, ""))
        return re.sub(r"\{\{\s*([^{}]+?)\s*\}\}", lambda m: values.get(m.group(1), m.group(0)), raw)

    if str(config.get("Type", "OAuth2")).lower() != "oauth2":
        result.skipped.append(f"Security.Auth {auth_id!r} ({env}): only OAuth2 is carried over")
        return
    grant = get("Grant Type").lower().replace("_", " ")
    if grant and grant != "client credentials":
        result.skipped.append(
            f"Security.Auth {auth_id!r} ({env}): grant {get('Grant Type')!r} is not client credentials"
        )
        return
    mode = get("Client Credentials").lower()
    suggestion = client_credentials_profile(
        f"{env}-{auth_id}",
        token_url=get("Token URL"),
        client_id=get("Client ID"),
        scopes=get("Scope"),
        client_auth="basic" if mode == "basic" else "post",
        origin=f"Security.Auth {auth_id!r} of environment {env!r}",
    )
    result.merge_profile(suggestion)


def _private_to_env(result: ImportResult, private: set[str]) -> None:
    if not private:
        return
    pattern = re.compile(r"\{\{\s*(" + "|".join(re.escape(n) for n in sorted(private)) + r")\s*\}\}")

    def swap(match: re.Match[str]) -> str:
        name = env_name(match.group(1))
        result.env_vars.setdefault(name, f"private variable {match.group(1)!r}")
        return "{{$env." + name + "}}"

    for spec in result.collection.requests:
        before = (spec.url, spec.body, dict(spec.headers))
        spec.url = pattern.sub(swap, spec.url)
        spec.body = pattern.sub(swap, spec.body)
        spec.headers = {k: pattern.sub(swap, v) for k, v in spec.headers.items()}
        if before != (spec.url, spec.body, spec.headers):
            result.changed.append(f"{spec.name!r}: private environment values are read from the environment")


FORMAT = ImportFormat(name="http", description=".http / .rest files", detect=detect, parse=parse_http)
