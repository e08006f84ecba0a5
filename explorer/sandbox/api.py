"""The sandbox's NewStore-like tenant API, under `{base_url}/api/{tenant}`: routing, tokens, scopes, rate limit.

Every endpoint but `/health` needs `Authorization: Bearer <access token>` from the tenant's realm:
no token, a malformed one or a bad signature answers 401 (with `WWW-Authenticate: Bearer`), an expired token
403 (as NewStore does), a token without the endpoint's scope 403 naming the scope, and too many requests 429
with `Retry-After`. Legacy clients (tokens without scopes) are accepted on the `/v0/...` endpoints only.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import UTC, datetime

import jwt

from explorer.sandbox import commerce, endpoints, openapi
from explorer.sandbox.assets import ExportCache
from explorer.sandbox.data import (
    JSON,
    SCOPE_AUDIT_READ,
    SCOPE_CATALOG_READ,
    SCOPE_ORDERS_READ,
    SCOPE_PROFILES_READ,
    SCOPE_PROFILES_WRITE,
    SCOPE_RESERVATIONS_WRITE,
    SCOPE_STORES_READ,
    SCOPE_TAXES_PREVIEW,
    isoformat,
)
from explorer.sandbox.keycloak import SigningKey
from explorer.sandbox.ratelimit import RateLimiter
from explorer.sandbox.tenant import Call, Caller, TenantState
from explorer.sandbox.wire import ProblemError, Request, Response, fail, problem

Endpoint = Callable[[Call], Response]


@dataclass(frozen=True)
class Route:
    """One endpoint: `pattern` is relative to the tenant's API URL, with `{name}` for a path parameter."""

    method: str
    pattern: str
    endpoint: Endpoint
    scope: str | None = None
    legacy: bool = False
    authenticated: bool = True

    def match(self, segments: list[str]) -> dict[str, str] | None:
        """The path parameters when the path matches this route's pattern, else None."""
        parts = self.pattern.strip("/").split("/")
        if len(parts) != len(segments):
            return None
        params: dict[str, str] = {}
        for part, segment in zip(parts, segments, strict=True):
            if part.startswith("{") and part.endswith("}"):
                if not segment:
                    return None
                params[part[1:-1]] = segment
            elif part != segment:
                return None
        return params


ROUTES: tuple[Route, ...] = (
    Route("GET", "/health", endpoints.health, authenticated=False),
    Route("GET", "/v0/stores", endpoints.list_stores, SCOPE_STORES_READ, legacy=True),
    Route("GET", "/v0/stores/{store_id}", endpoints.get_store, SCOPE_STORES_READ, legacy=True),
    Route("GET", "/v0/stores/{store_id}/receipt.xml", endpoints.store_receipt, SCOPE_STORES_READ, legacy=True),
    Route("GET", "/v0/catalog/export", endpoints.catalog_export, SCOPE_CATALOG_READ, legacy=True),
    Route("GET", "/api/v1/customer/profiles", endpoints.list_profiles, SCOPE_PROFILES_READ),
    Route("POST", "/api/v1/customer/profiles", endpoints.create_profile, SCOPE_PROFILES_WRITE),
    Route("GET", "/api/v1/customer/profiles/{profile_id}", endpoints.get_profile, SCOPE_PROFILES_READ),
    Route("GET", "/api/v1/orders", endpoints.list_orders, SCOPE_ORDERS_READ),
    Route("GET", "/api/v1/orders/{order_id}", endpoints.get_order, SCOPE_ORDERS_READ),
    Route("POST", "/api/v1/inventory/reservations", commerce.create_reservation, SCOPE_RESERVATIONS_WRITE),
    Route("POST", "/api/v1/taxes/preview", commerce.preview_taxes, SCOPE_TAXES_PREVIEW),
    Route("GET", "/api/v1/audit/events", endpoints.list_audit_events, SCOPE_AUDIT_READ),
    Route("GET", "/api/v1/catalog/export", endpoints.catalog_export, SCOPE_CATALOG_READ),
    Route("GET", "/api/v1/catalog/products", endpoints.list_products, SCOPE_CATALOG_READ),
    Route("GET", "/api/v1/catalog/products/{product_id}", endpoints.get_product, SCOPE_CATALOG_READ),
    Route("GET", "/api/v1/whoami", endpoints.whoami),
    Route("GET", "/api/v1/assets/logo.png", endpoints.logo),
    Route("GET", "/openapi.json", openapi.serve_openapi, authenticated=False),
    Route("GET", "/swagger.json", openapi.serve_swagger, authenticated=False),
)


class TenantApi:
    """Answers `/api/{tenant}/...` for the server's tenants."""

    def __init__(
        self,
        *,
        base_url: str,
        key: SigningKey,
        tenants: Collection[str],
        clock: Callable[[], float],
        limiter: RateLimiter | None,
    ) -> None:
        self.base_url = base_url
        self.key = key
        self.tenants = frozenset(tenants)
        self.clock = clock
        self.limiter = limiter
        self.exports = ExportCache()
        self._states: dict[str, TenantState] = {}
        self._lock = threading.Lock()

    def api_url(self, tenant: str) -> str:
        """Where a tenant's API lives."""
        return f"{self.base_url}/api/{tenant}"

    def state(self, tenant: str) -> TenantState:
        """A tenant's state, created on first use."""
        with self._lock:
            if tenant not in self._states:
                self._states[tenant] = TenantState(tenant)
            return self._states[tenant]

    def handle(self, request: Request, tenant: str, rest: str) -> Response:
        """Answer one request; `rest` is the path after `/api/{tenant}`."""
        try:
            return self._handle(request, tenant, rest)
        except ProblemError as error:
            return error.response

    def _handle(self, request: Request, tenant: str, rest: str) -> Response:
        if tenant not in self.tenants:
            raise fail(404, f"There is no tenant '{tenant}' in this sandbox.")
        segments = rest.strip("/").split("/")
        matches = [(route, params) for route in ROUTES if (params := route.match(segments)) is not None]
        if not matches:
            raise fail(404, f"No endpoint at {rest or '/'}.")
        chosen = [(route, params) for route, params in matches if route.method == request.method]
        if not chosen:
            allowed = ", ".join(sorted({route.method for route, _ in matches}))
            return problem(405, f"{request.method} is not allowed here; use {allowed}.", headers=[("Allow", allowed)])
        route, params = chosen[0]
        now = self.clock()
        caller = None
        if route.authenticated:
            caller = self._authenticate(request, tenant, now)
            self._check_rate(caller)
            _check_scope(route, caller)
        call = Call(request, self.state(tenant), self.api_url(tenant), now, self.exports, caller, params)
        return route.endpoint(call)

    def _authenticate(self, request: Request, tenant: str, now: float) -> Caller:
        challenge = [("WWW-Authenticate", f'Bearer realm="{tenant}"')]
        authorization = (request.header("authorization") or "").strip()
        if not authorization:
            raise fail(401, "The request has no Authorization header; send 'Bearer <access token>'.", headers=challenge)
        scheme, _, token = authorization.partition(" ")
        invalid = [("WWW-Authenticate", f'Bearer realm="{tenant}", error="invalid_token"')]
        if scheme.lower() != "bearer" or not token.strip():
            raise fail(401, "The Authorization header must be 'Bearer <access token>'.", headers=invalid)
        try:
            claims = self.key.verify(token.strip())
        except jwt.PyJWTError as exc:
            raise fail(401, f"The access token is not valid: {exc}.", headers=invalid) from None
        issuer = f"{self.base_url}/auth/realms/{tenant}"
        if claims.get("iss") != issuer or claims.get("tenant") != tenant:
            detail = f"The access token was issued for tenant '{claims.get('tenant')}', not '{tenant}'."
            raise fail(401, detail, headers=invalid)
        exp, iat = claims.get("exp"), claims.get("iat")
        if not isinstance(exp, int) or not isinstance(iat, int) or claims.get("typ") != "Bearer":
            raise fail(401, "The access token is not a bearer access token.", headers=invalid)
        if now >= exp:
            expired = isoformat(datetime.fromtimestamp(exp, UTC))
            raise fail(403, f"The access token expired at {expired}; fetch a new token and retry.")
        return _caller(claims, tenant)

    def _check_rate(self, caller: Caller) -> None:
        if self.limiter is None:
            return
        wait = self.limiter.acquire((caller.tenant, caller.client_id))
        if wait is not None:
            detail = (
                f"Client '{caller.client_id}' sent more than {self.limiter.rate:g} requests per second; "
                f"retry after {wait} s."
            )
            raise fail(429, detail, headers=[("Retry-After", str(wait))])


def _caller(claims: JSON, tenant: str) -> Caller:
    client_id = str(claims.get("client_id") or claims.get("azp") or "")
    scopes = tuple(str(claims.get("scope") or "").split())
    return Caller(client_id, tenant, str(claims.get("sub", "")), scopes, claims["iat"], claims["exp"])


def _check_scope(route: Route, caller: Caller) -> None:
    scope = route.scope
    if scope is None or scope in caller.scopes or (caller.legacy and route.legacy):
        return
    if caller.legacy:
        detail = (
            f"This endpoint requires the scope '{scope}'. Client '{caller.client_id}' is a legacy client "
            "without scopes, which may only call /v0 endpoints."
        )
    else:
        detail = f"The access token lacks the scope '{scope}' that this endpoint requires."
    # RFC 6750 section 3: the challenge names the error and the scope the request needs.
    challenge = f'Bearer realm="{caller.tenant}", error="insufficient_scope", scope="{scope}"'
    raise fail(403, detail, required_scope=scope, headers=[("WWW-Authenticate", challenge)])
