"""What must never be written to a collection file: tokens, passwords and keys typed in as plain values.

A value that is only a `{{variable}}` reference is safe (the secret lives in the profile, the environment or
the keyring); a JWT, a credential in an Authorization header, a password in a URL or a secret-named variable
or parameter with a literal value is not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from explorer.core.collections import key_path
from explorer.core.model import Collection, RequestSpec

__all__ = ["find_secrets"]


# A value that is only a reference such as `{{api_token}}` is safe: the secret lives elsewhere.
_REFERENCE = re.compile(r"\{\{\s*[^{}\s]+\s*\}\}")
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
_AUTH_SCHEMES = frozenset({"bearer", "basic", "digest", "token", "negotiate"})
_CREDENTIAL_HEADERS = frozenset({"authorization", "proxy-authorization"})
_SECRET_HEADER = re.compile(r"cookie|api[-_]?key|token|secret|password|session", re.IGNORECASE)
_SECRET_VARIABLE = re.compile(r"secret|token|password|passwd|api[-_]?key", re.IGNORECASE)
_SECRET_PARAMS = frozenset(
    {"access_token", "id_token", "refresh_token", "api_key", "apikey", "client_secret", "password"}
)
_URL_USERINFO = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://[^/?#@]*:([^/?#@]*)@")
_URL_SECRET_PARAM = re.compile(r"[?&]([^=&#]+)=([^&#]*)")


def find_secrets(collection: Collection) -> list[str]:
    """Key paths where the collection holds a literal token or secret, in file order.

    Looked for: a literal credential in an Authorization header, a literal value in a header named like
    an API key, cookie or token, a JWT anywhere, a password in a URL, a literal value in a query parameter
    or a variable whose name says it is a secret.
    """
    found: dict[str, None] = {}
    for name, value in collection.variables.items():
        where = key_path("variables", name)
        if _looks_like_jwt(value) or (_SECRET_VARIABLE.search(name) and _is_literal(value)):
            found.setdefault(where)
    for index, spec in enumerate(collection.requests):
        for where in _request_secrets(spec, f"requests[{index}]"):
            found.setdefault(where)
    return list(found)


def _request_secrets(spec: RequestSpec, where: str) -> Iterator[str]:
    for key in ("name", "folder", "description"):
        if _looks_like_jwt(getattr(spec, key)):
            yield f"{where}.{key}"
    if _looks_like_jwt(spec.url) or _url_has_secret(spec.url):
        yield f"{where}.url"
    for name, value in spec.params.items():
        if _looks_like_jwt(value) or (name.lower() in _SECRET_PARAMS and _is_literal(value)):
            yield key_path(f"{where}.params", name)
    for name, value in spec.headers.items():
        lowered = name.strip().lower()
        if lowered in _CREDENTIAL_HEADERS:
            secret = _has_literal_credential(value)
        else:
            secret = bool(_SECRET_HEADER.search(lowered)) and _is_literal(value)
        if secret or _looks_like_jwt(value):
            yield key_path(f"{where}.headers", name)
    if _looks_like_jwt(spec.body):
        yield f"{where}.body"


def _is_literal(value: str) -> bool:
    """True when the value is more than blank space and `{{variable}}` references."""
    return bool(_REFERENCE.sub("", value).strip())


def _looks_like_jwt(value: str) -> bool:
    return _JWT.search(value) is not None


def _has_literal_credential(value: str) -> bool:
    words = value.split()
    if not words:
        return False
    if len(words) == 1:
        return _is_literal(words[0]) and words[0].lower() not in _AUTH_SCHEMES
    return any(_is_literal(word) for word in words[1:])


def _url_has_secret(url: str) -> bool:
    userinfo = _URL_USERINFO.match(url.strip())
    if userinfo and _is_literal(userinfo.group(1)):
        return True
    return any(name.lower() in _SECRET_PARAMS and _is_literal(value) for name, value in _URL_SECRET_PARAM.findall(url))
