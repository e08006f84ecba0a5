"""Make an imported collection safe to write: retire hard-coded tokens, move secrets out, spot token calls.

Run on every import whatever the format, so the rules live in one place:

- A call to a token endpoint (Keycloak's `…/protocol/openid-connect/token`, NewStore's `/v0/token`, any
  request whose body asks for a `grant_type`) is not a request the user wants to replay: it becomes a profile
  suggestion (token URL, client id, scopes; the secret never kept) and leaves the collection.
- A hard-coded `Authorization: Bearer …` header, an `access_token=` query parameter or a token variable is
  the old way (NewStore's Token API v0): it is removed and the request gets `auth = true`, the profile's
  automatic token. What the tokens said about themselves (client, expiry) is kept for the report.
- Any other literal secret (a Basic credential, an API key header, a cookie, a password in a body or URL) is
  replaced by `{{$env.NAME}}`, a reference to an environment variable the report tells the user to set.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from urllib.parse import parse_qsl, unquote_plus, urlsplit

from explorer.core.importers.base import ImportResult, ProfileSuggestion, RetiredToken
from explorer.core.model import RequestSpec
from explorer.core.profiles import DEFAULT_AUTH_URL
from explorer.core.tokens import decode_jwt_unverified

__all__ = ["env_name", "make_safe", "summarize_retired"]

_REFERENCE = re.compile(r"\{\{\s*([^{}]+?)\s*\}\}")
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
_TOKEN_VARIABLE = re.compile(
    r"^(?:access[-_]?token|accesstoken|token|bearer(?:[-_]?token)?|auth[-_]?token|jwt|id[-_]?token|"
    r"refresh[-_]?token|api[-_]?token|newstore[-_]?token|ns[-_]?token|oauth[-_]?token)$",
    re.IGNORECASE,
)
_SECRET_VARIABLE = re.compile(r"secret|token|password|passwd|pwd|api[-_]?key|apikey|private[-_]?key", re.IGNORECASE)
_SECRET_HEADER = re.compile(r"cookie|api[-_]?key|token|secret|password|session|signature", re.IGNORECASE)
_SECRET_FIELDS = re.compile(
    r"^(?:password|passwd|client[-_]?secret|secret|access[-_]?token|refresh[-_]?token|id[-_]?token|"
    r"api[-_]?key|apikey|token|private[-_]?key)$",
    re.IGNORECASE,
)
_TOKEN_PARAMS = frozenset({"access_token", "id_token", "token", "bearer"})
_SECRET_PARAMS = frozenset({"api_key", "apikey", "client_secret", "password", "refresh_token", "key", "secret"})
_KEYCLOAK = re.compile(r"^(?P<base>.*?)(?:/auth)?/realms/(?P<realm>[^/]+)/protocol/openid-connect/token/?$")
_NEWSTORE_HOST = re.compile(r"^(?P<tenant>[a-z0-9-]+)\.(?:p|x)\.newstore\.net$")
_TOKEN_PATH = re.compile(r"/(?:v0/token|oauth2?/token|connect/token|oauth2?/v\d+(?:\.\d+)?/token|token)/?$")


def env_name(*parts: str) -> str:
    """An environment variable name from words: `X-Api-Key` → `X_API_KEY`."""
    name = "_".join(re.sub(r"[^A-Za-z0-9]+", "_", p).strip("_") for p in parts if p).upper()
    if not name or name[0].isdigit():
        name = "SECRET_" + name
    return name


def make_safe(result: ImportResult) -> None:
    variables = result.collection.variables
    _retire_token_endpoints(result)
    token_vars = {name for name in variables if _TOKEN_VARIABLE.match(name)}
    for name, value in variables.items():
        if _JWT.search(value) and name not in token_vars:
            token_vars.add(name)
    secret_vars = {
        name
        for name, value in variables.items()
        if name not in token_vars and _SECRET_VARIABLE.search(name) and _is_literal(value)
    }
    for name in sorted(token_vars):
        value = variables.pop(name)
        if _is_literal(value):
            result.retired.append(_retired(value, f"variable {name}"))
        result.changed.append(f"variable {name!r} held a token: removed (requests use the profile's token)")
    for name in sorted(secret_vars):
        variables.pop(name)
        env = env_name(name)
        result.env_vars.setdefault(env, f"the value of variable {name!r}")
        result.changed.append(f"variable {name!r} held a secret: requests read it from ${env}")
    for spec in result.collection.requests:
        _Request(spec, result, token_vars, secret_vars).run()
    _profiles_from_tokens(result)


def summarize_retired(retired: list[RetiredToken]) -> str:
    """`5 hard-coded tokens removed; they were JWTs for client X, expired 2026-03-01`."""
    import datetime as dt

    count = len(retired)
    text = f"{count} hard-coded token{'s' if count != 1 else ''} removed"
    jwts = [r for r in retired if r.is_jwt]
    if not jwts:
        return text
    clients = sorted({r.client_id for r in jwts if r.client_id})
    expiries = sorted({r.expires_at for r in jwts if r.expires_at is not None})
    what = ("they were JWTs" if count > 1 else "it was a JWT") if len(jwts) == count else f"{len(jwts)} of them JWTs"
    if clients:
        what += f" for client{'s' if len(clients) > 1 else ''} {', '.join(clients)}"
    if expiries:
        days = sorted({dt.datetime.fromtimestamp(e, dt.UTC).date().isoformat() for e in expiries})
        now = dt.datetime.now(dt.UTC).timestamp()
        verb = "expired" if max(expiries) < now else "expiring"
        what += f", {verb} {days[0] if len(days) == 1 else days[0] + ' to ' + days[-1]}"
    return f"{text}; {what}"


def _retired(token: str, where: str) -> RetiredToken:
    _, claims = decode_jwt_unverified(token.strip())
    client = ""
    for key in ("client_id", "clientId", "azp"):
        if isinstance(claims.get(key), str):
            client = claims[key]
            break
    expiry = claims.get("exp")
    issuer = claims.get("iss")
    scope = claims.get("scope")
    return RetiredToken(
        where=where,
        client_id=client,
        expires_at=float(expiry) if isinstance(expiry, int | float) else None,
        is_jwt=bool(claims),
        issuer=issuer if isinstance(issuer, str) else "",
        scopes=tuple(scope.split()) if isinstance(scope, str) else (),
    )


_ISSUER = re.compile(r"^(?P<base>https?://[^?#]*?)(?:/auth)?/realms/(?P<realm>[^/?#]+)/?$")


def _profiles_from_tokens(result: ImportResult) -> None:
    """A retired JWT names its realm and client: that is the profile that replaces it."""
    for token in result.retired:
        found = _ISSUER.match(token.issuer) if token.client_id else None
        if found is None:
            continue
        realm, base = found.group("realm"), found.group("base").rstrip("/")
        suggestion = ProfileSuggestion(
            name=realm,
            client_id=token.client_id,
            tenant=realm,
            auth_url="" if base == DEFAULT_AUTH_URL else base,
            scopes=token.scopes,
            origin="the claims of a hard-coded token",
        )
        if not any(p.tenant == realm and p.client_id == token.client_id for p in result.profiles):
            result.merge_profile(suggestion)


def _is_literal(value: str) -> bool:
    return bool(_REFERENCE.sub("", value).strip())


def _only_reference(value: str) -> str | None:
    match = _REFERENCE.fullmatch(value.strip())
    return match.group(1).strip() if match else None


class _Request:
    """The safety rules applied to one request."""

    def __init__(self, spec: RequestSpec, result: ImportResult, token_vars: set[str], secret_vars: set[str]) -> None:
        self.spec = spec
        self.result = result
        self.token_vars = token_vars
        self.secret_vars = secret_vars

    def run(self) -> None:
        self.headers()
        self.url()
        self.body()
        self.references()

    def env(self, label: str, *parts: str) -> str:
        name = env_name(*parts)
        self.result.env_vars.setdefault(name, label)
        return "{{$env." + name + "}}"

    def retire(self, token: str, where: str) -> None:
        self.spec.auth = True
        reference = _only_reference(token)
        if reference is not None:
            self.result.changed.append(
                f"{self.spec.name!r}: {where} used {{{{{reference}}}}}; removed, auth = true (the profile's token)"
            )
        elif token.startswith("$(") and "explorer token" in token:
            self.result.changed.append(f"{self.spec.name!r}: `explorer token` in {where} became auth = true")
        else:
            self.result.retired.append(_retired(token, f"{self.spec.name}: {where}"))
            self.result.changed.append(f"{self.spec.name!r}: hard-coded token in {where} removed, auth = true")

    def headers(self) -> None:
        spec = self.spec
        for name in list(spec.headers):
            value = spec.headers[name]
            lowered = name.strip().lower()
            if lowered in ("authorization", "proxy-authorization"):
                scheme, _, credential = value.strip().partition(" ")
                if lowered == "authorization" and scheme.lower() == "bearer":
                    del spec.headers[name]
                    if credential.strip():
                        self.retire(credential.strip(), "the Authorization header")
                    continue
                if not _is_literal(credential or scheme) or (not credential and scheme.lower() in ("basic",)):
                    continue
                if scheme.lower() == "basic" and credential:
                    user = _basic_user(credential)
                    label = f"base64 of {user}:PASSWORD" if user else "the Basic credential"
                    spec.headers[name] = "Basic " + self.env(f"{label} for {spec.name!r}", "basic", user or "auth")
                elif credential:
                    spec.headers[name] = f"{scheme} " + self.env(f"the {scheme} credential for {spec.name!r}", scheme)
                else:
                    spec.headers[name] = self.env(f"the {name} header of {spec.name!r}", name)
                self.result.changed.append(f"{spec.name!r}: {name} credential moved to {spec.headers[name]}")
                continue
            if _SECRET_HEADER.search(lowered) and _is_literal(value):
                if _JWT.fullmatch(value.strip()) or lowered in ("x-auth-token", "x-access-token", "access-token"):
                    del spec.headers[name]
                    self.retire(value.strip(), f"the {name} header")
                    continue
                spec.headers[name] = self.env(f"the {name} header of {spec.name!r}", name)
                self.result.changed.append(f"{spec.name!r}: {name} value moved to {spec.headers[name]}")
            elif _JWT.search(value):
                spec.headers[name] = _JWT.sub(lambda _m: self.env("a token", "token"), value)
                self.result.changed.append(f"{spec.name!r}: a token in header {name} moved to $TOKEN")

    def url(self) -> None:
        spec = self.spec
        url = spec.url
        # A password in the URL (https://user:pass@host) goes to the environment.
        userinfo = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*://)([^/?#@:]*):([^/?#@]*)@", url)
        if userinfo and _is_literal(userinfo.group(3)):
            reference = self.env(f"the password of {userinfo.group(2)} in {spec.name!r}", "password", userinfo.group(2))
            url = f"{userinfo.group(1)}{userinfo.group(2)}:{reference}@{url[userinfo.end() :]}"
            self.result.changed.append(f"{spec.name!r}: password in the URL moved to {reference}")
        base, sep, query = url.partition("?")
        if sep:
            fragment = ""
            if "#" in query:
                query, _, fragment = query.partition("#")
                fragment = "#" + fragment
            kept: list[str] = []
            for part in query.split("&"):
                key, eq, value = part.partition("=")
                lowered = unquote_plus(key).lower()
                if eq and lowered in _TOKEN_PARAMS and value:
                    self.retire(unquote_plus(value), f"the {key}= query parameter")
                    continue
                if eq and value and (lowered in _SECRET_PARAMS or _JWT.search(value)) and _is_literal(value):
                    part = f"{key}=" + self.env(f"the {key} query parameter of {spec.name!r}", key)
                    self.result.changed.append(f"{spec.name!r}: {key}= in the URL moved to the environment")
                kept.append(part)
            url = base + ("?" + "&".join(kept) if kept else "") + fragment
        spec.url = url
        for key in list(spec.params):
            value = spec.params[key]
            if key.lower() in _TOKEN_PARAMS and value:
                del spec.params[key]
                self.retire(value, f"the {key} parameter")
            elif key.lower() in _SECRET_PARAMS and _is_literal(value):
                spec.params[key] = self.env(f"the {key} parameter of {spec.name!r}", key)

    def body(self) -> None:
        spec = self.spec
        body = spec.body
        if not body:
            return
        kind = (spec.content_type or spec.headers.get("Content-Type", "") or "").lower()
        stripped = body.lstrip()
        if stripped[:1] in "{[" or "json" in kind:
            body = self._json_fields(body)
        elif "=" in body and "\n" not in body.strip() and ("urlencoded" in kind or not kind):
            body = self._form_fields(body)
        if _JWT.search(body):
            body = _JWT.sub(lambda _m: self.env("a token", "token"), body)
            self.result.changed.append(f"{spec.name!r}: a token in the body moved to $TOKEN")
        spec.body = body

    def _json_fields(self, body: str) -> str:
        pattern = re.compile(r'"([A-Za-z_][A-Za-z0-9_-]*)"(\s*:\s*)"((?:[^"\\]|\\.)*)"')

        def replace(match: re.Match[str]) -> str:
            key, colon, value = match.groups()
            if not _SECRET_FIELDS.match(key) or not _is_literal(value):
                return match.group(0)
            reference = self.env(f"the {key} field of {self.spec.name!r}", key)
            self.result.changed.append(f"{self.spec.name!r}: the {key} field of the body moved to {reference}")
            return f'"{key}"{colon}"{reference}"'

        return pattern.sub(replace, body)

    def _form_fields(self, body: str) -> str:
        parts = []
        for part in body.split("&"):
            key, eq, value = part.partition("=")
            if eq and value and _SECRET_FIELDS.match(unquote_plus(key)) and _is_literal(value):
                reference = self.env(f"the {key} field of {self.spec.name!r}", key)
                self.result.changed.append(f"{self.spec.name!r}: the {key} field of the body moved to {reference}")
                part = f"{key}={reference}"
            parts.append(part)
        return "&".join(parts)

    def references(self) -> None:
        """`{{token}}` and `{{api_key}}` left anywhere: the variables are gone, so read the environment."""
        removed = self.token_vars | self.secret_vars
        if not removed:
            return

        def swap(match: re.Match[str]) -> str:
            name = match.group(1).strip()
            if name not in removed:
                return match.group(0)
            return self.env(f"the value of variable {name!r}", name)

        spec = self.spec
        spec.url = _REFERENCE.sub(swap, spec.url)
        spec.body = _REFERENCE.sub(swap, spec.body)
        spec.headers = {k: _REFERENCE.sub(swap, v) for k, v in spec.headers.items()}
        spec.params = {k: _REFERENCE.sub(swap, v) for k, v in spec.params.items()}


def _basic_user(credential: str) -> str:
    try:
        decoded = base64.b64decode(credential.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return ""
    return decoded.partition(":")[0]


def _basic_pair(credential: str) -> tuple[str, str]:
    try:
        decoded = base64.b64decode(credential.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return "", ""
    user, _, password = decoded.partition(":")
    return user, password


# --- token endpoints -----------------------------------------------------------------------------------


def _retire_token_endpoints(result: ImportResult) -> None:
    kept: list[RequestSpec] = []
    for spec in result.collection.requests:
        suggestion = _token_call(spec, result.collection.variables)
        if suggestion is None:
            kept.append(spec)
            continue
        kept_profile = result.merge_profile(suggestion)
        result.changed.append(
            f"{spec.name!r} fetched a token ({suggestion.origin}): it is profile {kept_profile.name!r} now, "
            "not a request"
        )
    result.collection.requests = kept


def _resolve(text: str, variables: dict[str, str]) -> str:
    return _REFERENCE.sub(lambda m: variables.get(m.group(1).strip(), m.group(0)), text)


def _token_call(spec: RequestSpec, variables: dict[str, str]) -> ProfileSuggestion | None:
    if spec.method != "POST":
        return None
    url = _resolve(spec.url, variables).split("?", 1)[0].split("#", 1)[0]
    body = _resolve(spec.body, variables)
    fields = _body_fields(body)
    grant = fields.get("grant_type", "")
    keycloak = _KEYCLOAK.match(url)
    path = urlsplit(url).path if "://" in url else url
    if not keycloak and not _TOKEN_PATH.search(path) and not grant:
        return None
    if not grant and not keycloak and "/v0/token" not in path:
        return None
    client_id = fields.get("client_id", "")
    client_auth = "post"
    for name, value in spec.headers.items():
        if name.lower() == "authorization" and value.strip().lower().startswith("basic "):
            user, _ = _basic_pair(value.strip()[6:])
            if user:
                client_id = client_id or user
                client_auth = "basic"
    scopes = tuple(fields.get("scope", "").split())
    suggestion = ProfileSuggestion(name="", client_id=client_id, scopes=scopes, client_auth=client_auth)
    host = urlsplit(url).hostname or "" if "://" in url else ""
    if keycloak:
        suggestion.tenant = keycloak.group("realm")
        base = keycloak.group("base")
        expected = f"{base}/auth/realms/{suggestion.tenant}/protocol/openid-connect/token"
        if base.rstrip("/") != DEFAULT_AUTH_URL:
            if url.rstrip("/") == expected:
                suggestion.auth_url = base
            else:
                suggestion.token_url = url
        suggestion.origin = f"Keycloak {grant or 'token'} call"
    else:
        tenant = _NEWSTORE_HOST.match(host)
        suggestion.tenant = tenant.group("tenant") if tenant else (host.split(".")[0] if host else "tenant")
        if not (tenant and "/v0/token" in path):
            suggestion.token_url = url
        suggestion.origin = f"{grant or 'token'} grant at {path or url}"
    if grant == "password" or "/v0/token" in path:
        suggestion.instructions.append(
            "This was a v0 password-grant call; create an API client for the tenant and put its client id in "
            "the profile (user name and password are not carried over)."
        )
        if not client_id or grant == "password":
            suggestion.client_id = client_id if grant != "password" and client_id else "YOUR-API-CLIENT-ID"
    if not suggestion.client_id:
        suggestion.client_id = "YOUR-API-CLIENT-ID"
        suggestion.instructions.append("The call did not name its client id; set client_id in the profile.")
    suggestion.name = suggestion.tenant or "imported"
    return suggestion


def _body_fields(body: str) -> dict[str, str]:
    stripped = body.strip()
    if stripped.startswith("{"):
        try:
            data = json.loads(stripped)
        except ValueError:
            return {}
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
    if "=" not in stripped:
        return {}
    return {k: v for k, v in parse_qsl(stripped, keep_blank_values=True)}
