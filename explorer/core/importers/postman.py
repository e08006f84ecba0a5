"""Postman collections (v2.0, v2.1; v1 reshaped by `postman_v1`) and environments as requests, variables, profiles.

Folders nest (`Orders/Returns`), disabled headers, query parameters and form fields stay out, path variables
(`:id`) are filled in, raw / urlencoded / form-data / file / GraphQL bodies are read, and auth is inherited from
folder and collection as Postman does: `bearer` becomes the profile's token (`auth = true`), `oauth2` with the
client-credentials grant becomes a profile, `basic` and `apikey` read their secret from the environment.
A test script's `pm.response.to.have.status(N)` becomes the request's expected status.
"""

from __future__ import annotations

import base64
import json
import re
from typing import Any

from explorer.core.importers.base import ImportFormat, ImportOrigin, ImportResult, ImportSourceError
from explorer.core.importers.common import (
    Draft,
    FormPart,
    add_request,
    form_encode,
    multipart_body,
    read_body_file,
    translate_variables,
    with_scheme,
)
from explorer.core.importers.oauth_profile import client_credentials_profile
from explorer.core.importers.postman_v1 import is_v1, to_v2
from explorer.core.importers.safety import env_name
from explorer.core.model import Collection
from explorer.core.safefile import read_regular_file

__all__ = ["FORMAT", "parse_postman"]

_LANGUAGE_TYPES = {
    "json": "application/json",
    "xml": "application/xml",
    "html": "text/html",
    "javascript": "application/javascript",
    "text": "text/plain",
    "graphql": "application/json",
}
_EXPECT_STATUS = re.compile(
    r"pm\.response\.to\.have\.status\(\s*(\d{3})\s*\)|pm\.expect\(\s*pm\.response\.code\s*\)\.to\.(?:eql|equal|be\.equal)\(\s*(\d{3})\s*\)"
    r"|responseCode\.code\s*===?\s*(\d{3})"
)
Auth = dict[str, Any] | None


def detect(text: str, filename: str) -> int:
    head = text.lstrip()[:4000]
    if not head.startswith("{"):
        return 0
    if "schema.getpostman.com" in head or ('"info"' in head and '"item"' in text):
        return 95
    if '"requests"' in head and ('"order"' in text or '"folders"' in text):
        return 80
    if '"_postman_variable_scope"' in text or ('"values"' in head and '"name"' in head):
        return 60
    return 0


def parse_postman(text: str, origin: ImportOrigin) -> ImportResult:
    try:
        data = json.loads(text)
    except ValueError as error:
        raise ImportSourceError(f"{origin.label} is not valid JSON: {error}.") from None
    if not isinstance(data, dict):
        raise ImportSourceError(f"{origin.label} is not a Postman collection.")
    reader = _Reader(origin)
    if "values" in data and "item" not in data:
        reader.environment(data, origin.label)
        reader.result.collection.name = _text(data.get("name")) or "Postman environment"
        return reader.result
    if is_v1(data):
        data = to_v2(data)
        reader.result.notes.append("Postman collection v1 (the old format): read as v2.1 would be")
    for path in origin.environments:
        try:
            env = json.loads(read_regular_file(path).decode("utf-8-sig"))
        except (OSError, ValueError, RecursionError) as error:
            reader.result.skipped.append(f"{path.name}: not readable as a Postman environment ({error})")
            continue
        if isinstance(env, dict):
            reader.environment(env, path.name)
    reader.collection(data)
    return reader.result


def _text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return _text(value.get("content"))
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _enabled(items: object) -> list[dict[str, Any]]:
    if not isinstance(items, list):
        return []
    return [i for i in items if isinstance(i, dict) and not i.get("disabled") and i.get("enabled", True) is not False]


def _own_auth(value: object) -> Auth:
    """An item's own auth; None when it has none or says to inherit its parent's."""
    if not isinstance(value, dict) or value.get("type") == "inherit":
        return None
    return value


def _auth_params(auth: dict[str, Any], kind: str) -> dict[str, str]:
    """v2.1 keeps auth settings as [{key, value}], v2.0 as an object."""
    raw = auth.get(kind)
    if isinstance(raw, list):
        return {str(i.get("key")): _text(i.get("value")) for i in raw if isinstance(i, dict)}
    if isinstance(raw, dict):
        return {str(k): _text(v) for k, v in raw.items()}
    return {}


class _Reader:
    def __init__(self, origin: ImportOrigin) -> None:
        self.origin = origin
        self.result = ImportResult(collection=Collection(name="Postman collection"))
        self.secret_variables: set[str] = set()
        self.scripts = 0

    # --- collection and folders ----------------------------------------------------------------------

    def collection(self, data: dict[str, Any]) -> None:
        info = data.get("info") if isinstance(data.get("info"), dict) else {}
        assert isinstance(info, dict)
        self.result.collection.name = _text(info.get("name")) or (
            self.origin.path.stem if self.origin.path else "Postman collection"
        )
        for variable in _enabled(data.get("variable")):
            key = _text(variable.get("key") or variable.get("id"))
            if key:
                self.variable(key, variable.get("value"), variable.get("type") == "secret")
        auth = data.get("auth") if isinstance(data.get("auth"), dict) else None
        self.items(data.get("item"), "", auth)
        if self.scripts:
            self.result.skipped.append(
                f"{self.scripts} pre-request or test script(s): explorer runs no scripts "
                "(a status check in a test became the request's expected status)"
            )
        self.result.collection.variables = {
            k: v for k, v in self.result.collection.variables.items() if k not in self.secret_variables
        }
        self.secrets_to_env()

    def variable(self, key: str, value: object, secret: bool) -> None:
        if secret:
            self.secret_variables.add(key)
        self.result.collection.variables[key] = _text(value)

    def environment(self, data: dict[str, Any], label: str) -> None:
        values = _enabled(data.get("values"))
        for item in values:
            key = _text(item.get("key"))
            if key:
                self.variable(key, item.get("value"), item.get("type") == "secret")
        self.result.notes.append(f"environment {_text(data.get('name')) or label!r}: {len(values)} variable(s)")
        if "item" not in data:
            self.result.collection.variables = {
                k: v for k, v in self.result.collection.variables.items() if k not in self.secret_variables
            }
            for name in sorted(self.secret_variables):
                self.result.env_vars.setdefault(env_name(name), f"secret variable {name!r}")

    def items(self, items: object, folder: str, auth: Auth) -> None:
        if not isinstance(items, list):
            return
        for item in items:
            if not isinstance(item, dict):
                continue
            name = _text(item.get("name")).strip()
            own = _own_auth(item.get("auth"))
            if isinstance(item.get("item"), list):
                self.items(item["item"], f"{folder}/{name}" if folder else name, own or auth)
                continue
            request = item.get("request")
            if request is None:
                self.result.skipped.append(f"{name or 'an item'!r} in {folder or 'the collection'}: no request")
                continue
            self.request(item, request, name, folder, auth)

    # --- one request ---------------------------------------------------------------------------------

    def request(self, item: dict[str, Any], request: object, name: str, folder: str, inherited: Auth) -> None:
        if isinstance(request, str):
            request = {"url": request, "method": "GET"}
        if not isinstance(request, dict):
            self.result.skipped.append(f"{name!r}: the request is not an object")
            return
        where = f"{folder}/{name}" if folder else name
        draft = Draft(
            name=name,
            method=_text(request.get("method")) or "GET",
            url=self.url(request.get("url")),
            folder=folder,
            description=_text(request.get("description") or item.get("description")).strip(),
            where=f"item {where!r}",
        )
        header = request.get("header")
        if isinstance(header, str):
            for line in header.splitlines():
                key, sep, value = line.partition(":")
                if sep and key.strip() and not key.strip().startswith("//"):
                    draft.headers.append((key.strip(), value.strip()))
        for entry in _enabled(header):
            key = _text(entry.get("key")).strip()
            if key:
                draft.headers.append((key, _text(entry.get("value"))))
        self.body(draft, request.get("body"), where)
        auth = _own_auth(request.get("auth")) or inherited
        self.auth(draft, auth, where)
        expected = self.expected_status(item.get("event"))
        spec = add_request(self.result, self.translated(draft))
        if spec is not None and expected is not None:
            spec.expect.status = expected

    def translated(self, draft: Draft) -> Draft:
        draft.url = translate_variables(draft.url)
        draft.body = translate_variables(draft.body)
        draft.headers = [(k, translate_variables(v)) for k, v in draft.headers]
        return draft

    def url(self, url: object) -> str:
        if isinstance(url, str):
            return with_scheme(url)
        if not isinstance(url, dict):
            return ""
        raw = _text(url.get("raw"))
        if not raw:
            raw = self.build_url(url)
        base, _, query_text = raw.partition("?")
        fragment = ""
        if "#" in query_text:
            query_text, _, fragment = query_text.partition("#")
        elif "#" in base:
            base, _, fragment = base.partition("#")
        if isinstance(url.get("query"), list):
            pairs = []
            for entry in _enabled(url["query"]):
                key, value = _text(entry.get("key")), entry.get("value")
                pairs.append(key if value is None else f"{key}={_text(value)}")
            query_text = "&".join(pairs)
        for variable in url.get("variable") or []:
            if not isinstance(variable, dict):
                continue
            key = _text(variable.get("key") or variable.get("id"))
            value = _text(variable.get("value")) or "{{" + key + "}}"
            if key:
                base = re.sub(r"(?<=/):" + re.escape(key) + r"(?=/|$)", value.replace("\\", "\\\\"), base)
        full = base + ("?" + query_text if query_text else "") + ("#" + fragment if fragment else "")
        return with_scheme(full)

    def build_url(self, url: dict[str, Any]) -> str:
        host = url.get("host")
        host_text = ".".join(_text(h) for h in host) if isinstance(host, list) else _text(host)
        path = url.get("path")
        path_text = "/".join(_text(p) for p in path) if isinstance(path, list) else _text(path).lstrip("/")
        protocol = _text(url.get("protocol"))
        port = _text(url.get("port"))
        text = (f"{protocol}://" if protocol else "") + host_text + (f":{port}" if port else "")
        return text + ("/" + path_text if path_text else "")

    def body(self, draft: Draft, body: object, where: str) -> None:
        if not isinstance(body, dict) or body.get("disabled"):
            return
        mode = _text(body.get("mode"))
        content_type = ""
        if mode == "raw":
            draft.body = _text(body.get("raw"))
            options = body.get("options")
            language = ""
            if isinstance(options, dict) and isinstance(options.get("raw"), dict):
                language = _text(options["raw"].get("language"))
            content_type = _LANGUAGE_TYPES.get(language, "") if draft.body else ""
            if not content_type and draft.body.lstrip()[:1] in ("{", "["):
                content_type = "application/json"
        elif mode == "urlencoded":
            pairs = [(_text(e.get("key")), _text(e.get("value"))) for e in _enabled(body.get("urlencoded"))]
            draft.body = form_encode(pairs)
            content_type = "application/x-www-form-urlencoded" if draft.body else ""
        elif mode == "formdata":
            parts: list[FormPart] = []
            for entry in _enabled(body.get("formdata")):
                key = _text(entry.get("key"))
                if entry.get("type") == "file":
                    source = entry.get("src")
                    name = source[0] if isinstance(source, list) and source else _text(source)
                    text = (
                        read_body_file(self.result, self.origin, name, f"{where}, form field {key!r}") if name else None
                    )
                    if text is None:
                        if not name:
                            self.result.skipped.append(f"{where}: form field {key!r} names no file")
                        continue
                    parts.append(FormPart(key, text, name.rsplit("/", 1)[-1], _text(entry.get("contentType"))))
                else:
                    parts.append(FormPart(key, _text(entry.get("value")), "", _text(entry.get("contentType"))))
            if parts:
                draft.body, content_type = multipart_body(parts)
        elif mode == "file":
            source = body.get("file")
            name = _text(source.get("src")) if isinstance(source, dict) else ""
            if name:
                draft.body = read_body_file(self.result, self.origin, name, where) or ""
        elif mode == "graphql":
            graphql = body.get("graphql") if isinstance(body.get("graphql"), dict) else {}
            assert isinstance(graphql, dict)
            variables_text = _text(graphql.get("variables")).strip()
            try:
                variables = json.loads(variables_text) if variables_text else {}
            except ValueError:
                variables = {}
            draft.body = json.dumps({"query": _text(graphql.get("query")), "variables": variables})
            content_type = "application/json"
        if content_type and draft.header("content-type") is None:
            draft.headers.append(("Content-Type", content_type))

    def auth(self, draft: Draft, auth: Auth, where: str) -> None:
        if auth is None:
            return
        kind = _text(auth.get("type"))
        params = _auth_params(auth, kind)
        if kind in ("noauth", ""):
            return
        if kind == "bearer":
            token = params.get("token", "")
            if token and draft.header("authorization") is None:
                draft.headers.append(("Authorization", f"Bearer {token}"))
            draft.auth = True
        elif kind == "basic":
            user, password = params.get("username", ""), params.get("password", "")
            if draft.header("authorization") is not None:
                return
            if "{{" in user + password or password:
                name = env_name("basic", re.sub(r"\{\{|\}\}", "", user) or "auth")
                self.result.env_vars.setdefault(name, f"base64 of {user}:PASSWORD for {draft.name!r}")
                draft.headers.append(("Authorization", "Basic {{$env." + name + "}}"))
                self.result.changed.append(f"{draft.name!r}: basic auth reads its credential from ${name}")
            else:
                draft.headers.append(("Authorization", "Basic " + base64.b64encode(f"{user}:".encode()).decode()))
        elif kind == "apikey":
            key, value = params.get("key", "") or "X-API-Key", params.get("value", "")
            if value and "{{" not in value:
                name = env_name(key)
                self.result.env_vars.setdefault(name, f"the API key {key!r} of {draft.name!r}")
                self.result.changed.append(f"{draft.name!r}: API key {key!r} moved to ${name}")
                value = "{{$env." + name + "}}"
            if params.get("in") == "query":
                draft.url += ("&" if "?" in draft.url else "?") + f"{key}={value}"
            elif draft.header(key) is None:
                draft.headers.append((key, value))
        elif kind == "oauth2":
            self.oauth2(draft, params, where)
        else:
            self.result.skipped.append(f"{where}: {kind} auth is not carried over")

    def oauth2(self, draft: Draft, params: dict[str, str], where: str) -> None:
        draft.auth = True
        token = params.get("accessToken", "")
        # The token Postman kept from its last fetch: retired like any hard-coded one.
        if token and "{{" not in token and draft.header("authorization") is None:
            draft.headers.append(("Authorization", f"Bearer {token}"))
        grant = params.get("grant_type", "") or "authorization_code"
        if grant != "client_credentials":
            self.result.skipped.append(
                f"{where}: OAuth2 {grant} grant is not carried; it uses the profile's client-credentials token"
            )
            return
        values = self.result.collection.variables

        def resolve(text: str) -> str:
            return re.sub(r"\{\{\s*([^{}]+?)\s*\}\}", lambda m: values.get(m.group(1), m.group(0)), text)

        suggestion = client_credentials_profile(
            "postman",
            token_url=resolve(params.get("accessTokenUrl", "")),
            client_id=resolve(params.get("clientId", "")),
            scopes=resolve(params.get("scope", "")),
            client_auth="basic" if params.get("client_authentication") == "header" else "post",
            origin=f"the OAuth2 settings of {where}",
        )
        self.result.merge_profile(suggestion)

    def expected_status(self, events: object) -> int | None:
        if not isinstance(events, list):
            return None
        status = None
        for event in events:
            if not isinstance(event, dict):
                continue
            script = event.get("script")
            lines = script.get("exec") if isinstance(script, dict) else None
            text = "\n".join(_text(x) for x in lines) if isinstance(lines, list) else _text(lines)
            if not text.strip():
                continue
            self.scripts += 1
            if event.get("listen") == "test" and status is None:
                found = _EXPECT_STATUS.search(text)
                if found:
                    status = int(next(g for g in found.groups() if g))
        return status

    def secrets_to_env(self) -> None:
        if not self.secret_variables:
            return
        pattern = re.compile(r"\{\{\s*(" + "|".join(re.escape(n) for n in sorted(self.secret_variables)) + r")\s*\}\}")

        def swap(match: re.Match[str]) -> str:
            # A bearer token variable is retired later; other secrets are read from the environment.
            name = env_name(match.group(1))
            self.result.env_vars.setdefault(name, f"secret variable {match.group(1)!r}")
            return "{{$env." + name + "}}"

        for spec in self.result.collection.requests:
            spec.url = pattern.sub(swap, spec.url)
            spec.body = pattern.sub(swap, spec.body)
            spec.headers = {k: pattern.sub(swap, v) for k, v in spec.headers.items()}


FORMAT = ImportFormat(
    name="postman", description="Postman collections v1 / v2.0 / v2.1", detect=detect, parse=parse_postman
)
