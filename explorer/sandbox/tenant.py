"""A tenant's state inside the sandbox and the context an API endpoint is called with."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from typing import Any

from explorer.sandbox.assets import ExportCache
from explorer.sandbox.data import JSON, TenantData, generate_tenant_data
from explorer.sandbox.wire import Request, Response, fail


@dataclass(frozen=True)
class Caller:
    """Who an access token says is calling."""

    client_id: str
    tenant: str
    subject: str
    scopes: tuple[str, ...]
    issued_at: int
    expires_at: int

    @property
    def legacy(self) -> bool:
        """True for a token without scopes, which only the `/v0` endpoints accept."""
        return not self.scopes


@dataclass(frozen=True)
class StoredAnswer:
    """The first answer given for an idempotency key, and a fingerprint of the body that produced it."""

    fingerprint: str
    response: Response


class TenantState:
    """One tenant's data: fixed fake data plus what API calls have created since the server started."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.data: TenantData = generate_tenant_data(name)
        self.profiles: list[JSON] = [dict(p) for p in self.data.profiles]
        self.idempotency: dict[tuple[str, str], StoredAnswer] = {}
        # Writes are rare and quick; one lock per tenant keeps them simple and keeps replays exact.
        self.lock = threading.Lock()


@dataclass(frozen=True)
class Call:
    """Everything an endpoint needs to answer one request."""

    request: Request
    tenant: TenantState
    api_url: str
    now: float
    exports: ExportCache
    caller: Caller | None = None
    params: dict[str, str] = field(default_factory=dict)

    @property
    def who(self) -> Caller:
        """The authenticated caller (endpoints that require a token always have one)."""
        if self.caller is None:
            raise RuntimeError("this endpoint requires an authenticated caller")
        return self.caller

    def json_body(self) -> Any:
        """The request body parsed as JSON; answers 415 or 400 problems when it is not JSON."""
        request = self.request
        kind = request.content_type
        if kind and kind != "application/json" and not kind.endswith("+json"):
            raise fail(415, f"Send the body as application/json, not {kind}.")
        if not request.body.strip():
            raise fail(400, "The request has no body; send a JSON object.")
        try:
            return json.loads(request.body)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise fail(400, f"The body is not valid JSON: {exc}.") from None

    def json_object(self) -> dict[str, Any]:
        """The request body as a JSON object; a 422 problem when it is another JSON value."""
        body = self.json_body()
        if not isinstance(body, dict):
            raise fail(422, "The body must be a JSON object.")
        return body
