"""The scope doctor: which scopes an operation needs, which the token has, and why an API answered 401 or 403.

Before a request is sent, `check_scopes` compares the operation's scopes (from its API description) with the
token's. After a 401 or 403, `explain_denial` reads what the server said, a `WWW-Authenticate: Bearer
error="insufficient_scope" scope="…"` challenge (RFC 6750 §3) or a problem+json body (RFC 9457), and says what
to do about it. The CLI and the TUI print the same lines.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from explorer.core.http import ResponseRecord
from explorer.core.openapi.matching import OperationMatcher
from explorer.core.openapi.model import Catalogue, Operation
from explorer.core.tokens import Token

# How the user gets a new token, where the explanation is shown.
REFETCH_TUI = "ctrl+t to fetch a new token"
REFETCH_CLI = "`explorer token --fetch` for a new token"

# Fields of a JSON error body that name scopes, as APIs spell them.
_SCOPE_FIELDS = ("required_scope", "required_scopes", "scope", "scopes", "missing_scope", "missing_scopes")


@dataclass(frozen=True)
class ScopeCheck:
    """`granted` is None when no token is known yet; a legacy client's token has no scopes and is not checked."""

    needed: tuple[str, ...]
    granted: tuple[str, ...] | None
    legacy: bool = False

    @property
    def checked(self) -> bool:
        return self.granted is not None and not self.legacy

    @property
    def missing(self) -> tuple[str, ...]:
        if not self.checked or self.granted is None:
            return ()
        have = set(self.granted)
        return tuple(s for s in self.needed if s not in have)

    @property
    def has(self) -> tuple[str, ...]:
        have = set(self.granted or ())
        return tuple(s for s in self.needed if s in have)

    def summary(self) -> str:
        """One line for the composer: what the token lacks, or why it was not checked."""
        if not self.needed:
            return ""
        if self.legacy:
            return f"Needs {', '.join(self.needed)}; a legacy client has no scopes, so they are not checked."
        if self.granted is None:
            return f"Needs {', '.join(self.needed)} (no token yet to check against)."
        if self.missing:
            return f"The token lacks {', '.join(self.missing)}; the API will likely answer 403."
        return f"Needs {', '.join(self.needed)}: the token has them."


def check_scopes(operation: Operation | None, granted: Sequence[str] | None, *, legacy: bool = False) -> ScopeCheck:
    needed = operation.scopes if operation is not None else ()
    return ScopeCheck(needed, tuple(granted) if granted is not None else None, legacy)


@dataclass(frozen=True)
class Challenge:
    """One challenge of a `WWW-Authenticate` header: its scheme and its parameters (names lower case)."""

    scheme: str
    params: dict[str, str] = field(default_factory=dict)


_TOKEN = r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
_PARAM = re.compile(rf'\s*({_TOKEN})\s*=\s*(?:"((?:[^"\\]|\\.)*)"|({_TOKEN}))\s*')
_SCHEME = re.compile(rf"\s*({_TOKEN})(?:\s+|$)")


def parse_www_authenticate(value: str) -> list[Challenge]:
    """`Bearer realm="x", error="insufficient_scope", scope="a b"` -> [Challenge("bearer", {...})].

    Several challenges in one header (comma separated) and several headers joined with ", " both work.
    """
    challenges: list[Challenge] = []
    pos = 0
    text = value.strip()
    current: Challenge | None = None
    while pos < len(text):
        if text[pos] in ", ":
            pos += 1
            continue
        param = _PARAM.match(text, pos)
        if param is not None and current is not None:
            raw = param.group(2) if param.group(2) is not None else param.group(3)
            current.params[param.group(1).lower()] = re.sub(r"\\(.)", r"\1", raw or "")
            pos = param.end()
            continue
        scheme = _SCHEME.match(text, pos)
        if scheme is None:
            break
        current = Challenge(scheme.group(1).lower())
        challenges.append(current)
        pos = scheme.end()
        # token68 credentials-style value after the scheme (`Basic abc==`) carries nothing we use.
    return challenges


@dataclass
class Denial:
    """Why a request was refused, as lines to show, and the pieces they were made of."""

    status: int
    headline: str
    needed: tuple[str, ...] = ()
    granted: tuple[str, ...] | None = None
    missing: tuple[str, ...] = ()
    server_said: list[str] = field(default_factory=list)
    advice: list[str] = field(default_factory=list)
    operation: str = ""

    def lines(self) -> list[str]:
        out = [self.headline]
        if self.operation:
            out.append(f"Operation: {self.operation}")
        if self.needed:
            out.append(f"Needs:     {' '.join(self.needed)}")
        if self.granted is not None:
            out.append(f"Token has: {' '.join(self.granted) or '(no scopes)'}")
        if self.missing:
            out.append(f"Missing:   {' '.join(self.missing)}")
        out.extend(f"Server:    {said}" for said in self.server_said)
        out.extend(f"To do:     {advice}" for advice in self.advice)
        return out

    def text(self) -> str:
        return "\n".join(self.lines())


def _body_json(body: bytes, content_type: str) -> dict[str, Any]:
    if "json" not in content_type.lower() and body.lstrip()[:1] != b"{":
        return {}
    try:
        value = json.loads(body[:65536]) if len(body) <= 65536 else {}
    except (ValueError, UnicodeDecodeError):
        return {}
    return value if isinstance(value, dict) else {}


def _scopes_in(value: Any) -> list[str]:
    if isinstance(value, str):
        return value.replace(",", " ").split()
    if isinstance(value, list):
        return [str(v) for v in value if isinstance(v, str)]
    return []


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def explain_denial(
    status: int,
    headers: Sequence[tuple[str, str]],
    body: bytes,
    *,
    operation: Operation | None = None,
    granted: Sequence[str] | None = None,
    legacy: bool = False,
    client_id: str = "",
    requested: Sequence[str] = (),
    refetch: str = REFETCH_TUI,
) -> Denial | None:
    """An explanation of a 401 or 403 (None for any other status).

    `granted` are the token's scopes (None when unknown), `requested` the scopes the profile asks for (empty:
    whatever the client is allowed), `client_id` the API client to name in the advice.
    """
    if status not in (401, 403):
        return None
    content_type = next((v for k, v in headers if k.lower() == "content-type"), "")
    challenges = [c for k, v in headers if k.lower() == "www-authenticate" for c in parse_www_authenticate(v)]
    bearer = next((c for c in challenges if c.scheme == "bearer"), None)
    error = bearer.params.get("error", "") if bearer else ""
    said: list[str] = []
    server_scopes: list[str] = []
    if bearer is not None and (error or bearer.params.get("scope")):
        parts = [f'error="{error}"'] if error else []
        if bearer.params.get("scope"):
            parts.append(f'scope="{bearer.params["scope"]}"')
            server_scopes += _scopes_in(bearer.params["scope"])
        if bearer.params.get("error_description"):
            parts.append(f'error_description="{bearer.params["error_description"]}"')
        said.append("WWW-Authenticate: Bearer " + ", ".join(parts))
    problem = _body_json(body, content_type)
    detail = str(problem.get("detail") or problem.get("error_description") or problem.get("message") or "")
    title = str(problem.get("title") or problem.get("error") or "")
    if title or detail:
        said.append(f"{title}: {detail}" if title and detail else title or detail)
    for key in _SCOPE_FIELDS:
        server_scopes += _scopes_in(problem.get(key))
    needed = _unique([*(operation.scopes if operation else ()), *server_scopes])
    known = tuple(granted) if granted is not None else None
    have = set(known or ())
    missing = tuple(s for s in needed if s not in have) if known is not None or legacy else ()
    if not missing and error == "insufficient_scope" and known is None:
        missing = _unique(server_scopes)  # the server's word, when the token's scopes are unknown
    client = f"the API client {client_id}" if client_id else "the API client"
    denial = Denial(
        status=status,
        headline="",
        needed=needed,
        granted=known,
        missing=missing,
        server_said=said,
        operation=f"{operation.method} {operation.path}" if operation else "",
    )
    text = f"{title} {detail}".lower()
    if error == "invalid_token" or (status == 401 and not missing):
        denial.headline = f"{status}: the API did not accept the token."
        denial.advice = [f"{refetch.capitalize()}; check the profile's tenant and api_url match the token's realm."]
    elif "expired" in text and not missing:
        denial.headline = f"{status}: the token has expired."
        denial.advice = [refetch.capitalize() + "."]
    elif legacy and needed:
        denial.headline = f"{status}: a legacy client (a token without scopes) may not call this operation."
        denial.advice = [
            f"Use an API client that is granted {' '.join(needed)} (a client with scopes), then {refetch}."
        ]
    elif missing:
        scopes = " ".join(missing)
        denial.headline = f"{status}: the token lacks the scope{'s' if len(missing) > 1 else ''} {scopes}."
        unrequested = [s for s in missing if requested and s not in requested]
        if unrequested:
            denial.advice.append(f"Add {' '.join(unrequested)} to the profile's scopes.")
        denial.advice.append(f"Add {scopes} to {client} (in the identity provider), then {refetch}.")
    elif needed and known is not None:
        denial.headline = (
            f"{status}: the token has every scope the operation needs; the API refused for another reason."
        )
        denial.advice = ["Read what the server said; the client may lack a role or access to this tenant."]
    else:
        denial.headline = f"{status}: the API refused the request."
        denial.advice = ["Read what the server said; check the client's scopes and roles."]
    return denial


class Doctor:
    """Explains the 401s and 403s of one profile's requests, with the operations of its API description.

    `catalogue` may be None (no description set): the explanation then rests on what the server said.
    """

    def __init__(
        self,
        catalogue: Catalogue | None,
        *,
        api_url: str = "",
        client_id: str = "",
        requested: Sequence[str] = (),
        refetch: str = REFETCH_TUI,
    ) -> None:
        self.catalogue = catalogue
        self.matcher = OperationMatcher(catalogue) if catalogue is not None else None
        self.api_url = api_url
        self.client_id = client_id
        self.requested = tuple(requested)
        self.refetch = refetch

    def operation(self, method: str, url: str) -> Operation | None:
        return self.matcher.match(method, url, self.api_url) if self.matcher is not None else None

    def check(self, method: str, url: str, token: Token | None) -> ScopeCheck:
        granted = token.scopes if token is not None else None
        return check_scopes(self.operation(method, url), granted, legacy=token is not None and token.is_legacy)

    def explain(self, response: ResponseRecord, token: Token | None) -> Denial | None:
        if response.status not in (401, 403):
            return None
        sent = response.request
        # A request that carried its own Authorization header was not sent with the profile's token.
        ours = token if sent.token_attached and not sent.own_authorization else None
        return explain_denial(
            response.status,
            response.headers,
            response.body,
            operation=self.operation(sent.method, sent.url),
            granted=ours.scopes if ours is not None else None,
            legacy=ours is not None and ours.is_legacy,
            client_id=self.client_id,
            requested=self.requested,
            refetch=self.refetch,
        )
