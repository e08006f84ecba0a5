"""The sandbox's Keycloak: one realm per tenant, the client-credentials token endpoint, discovery and keys.

Access tokens are RS256 JWTs signed with a key the server generates when it is created; the tenant API
verifies them with the same key. Error bodies and status codes follow Keycloak's, so that what a user sees in
the explorer against the sandbox is what they will see against a real realm.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import uuid
from collections.abc import Callable, Collection, Mapping
from typing import Any
from urllib.parse import unquote_plus

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from explorer.sandbox.data import ALL_SCOPES, JSON, SandboxClient
from explorer.sandbox.wire import Request, Response, json_response

FAULT_REALMS: tuple[str, ...] = ("broken-html", "broken-text", "broken-notoken")

TOKEN_PATH = "protocol/openid-connect/token"
CERTS_PATH = "protocol/openid-connect/certs"
DISCOVERY_PATH = ".well-known/openid-configuration"

_INVALID_CREDENTIALS = "Invalid client or Invalid client credentials"
_NO_STORE = [("Cache-Control", "no-store"), ("Pragma", "no-cache")]
# A stable namespace, so a realm's service-account user has the same id on every run.
_SUBJECT_NAMESPACE = uuid.UUID("6f1c3a52-8f0e-4d7a-9d55-2b7e4f0c9a11")

_BAD_GATEWAY_PAGE = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_uint(value: int) -> str:
    return _b64url(value.to_bytes((value.bit_length() + 7) // 8, "big"))


class SigningKey:
    """An RSA key pair that signs access tokens and verifies them."""

    def __init__(self) -> None:
        self._private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.public_key = self._private.public_key()
        numbers = self.public_key.public_numbers()
        self._n, self._e = _b64url_uint(numbers.n), _b64url_uint(numbers.e)
        # RFC 7638 thumbprint: the key id is the same wherever this key is published.
        canonical = json.dumps({"e": self._e, "kty": "RSA", "n": self._n}, separators=(",", ":"))
        self.kid = _b64url(hashlib.sha256(canonical.encode("ascii")).digest())

    def jwk(self) -> JSON:
        """The public key as a JSON Web Key."""
        return {"kid": self.kid, "kty": "RSA", "alg": "RS256", "use": "sig", "n": self._n, "e": self._e}

    def public_key_der_b64(self) -> str:
        """The public key as base64 DER (SubjectPublicKeyInfo), the way Keycloak's realm page shows it."""
        der = self.public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        return base64.b64encode(der).decode("ascii")

    def sign(self, claims: Mapping[str, Any]) -> str:
        """Sign claims as an RS256 JWT."""
        return jwt.encode(dict(claims), self._private, algorithm="RS256", headers={"kid": self.kid, "typ": "JWT"})

    def verify(self, token: str) -> JSON:
        """Check a token's signature and return its claims; raises `jwt.PyJWTError` when it does not verify.

        Time claims are not checked here: the caller compares `exp` with its own (injected) clock.
        """
        claims: JSON = jwt.decode(
            token,
            self.public_key,
            algorithms=["RS256"],
            options={"verify_exp": False, "verify_iat": False, "verify_nbf": False, "verify_aud": False},
        )
        return claims


def _oauth_error(status: int, error: str, description: str | None = None) -> Response:
    payload = {"error": error} if description is None else {"error": error, "error_description": description}
    return json_response(status, payload, headers=_NO_STORE)


def subject_for(realm: str, client_id: str) -> str:
    """The id of a client's service-account user in a realm (stable across runs)."""
    return str(uuid.uuid5(_SUBJECT_NAMESPACE, f"{realm}/{client_id}"))


class Keycloak:
    """Answers `/auth/realms/{realm}/...` for every tenant realm and the fault realms."""

    def __init__(
        self,
        *,
        base_url: str,
        key: SigningKey,
        realms: Collection[str],
        clients: Mapping[str, SandboxClient],
        token_ttl: int,
        clock: Callable[[], float],
        on_token_request: Callable[[], None],
    ) -> None:
        self.base_url = base_url
        self.key = key
        self.realms = frozenset(realms) | frozenset(FAULT_REALMS)
        self.clients = clients
        self.token_ttl = token_ttl
        self.clock = clock
        self._on_token_request = on_token_request

    def issuer(self, realm: str) -> str:
        """The `iss` of the realm's tokens."""
        return f"{self.base_url}/auth/realms/{realm}"

    def handle(self, request: Request, realm: str, rest: str) -> Response:
        """Route one request under `/auth/realms/{realm}/`; `rest` is the remainder of the path."""
        rest = rest.strip("/")
        if rest == TOKEN_PATH and request.method == "POST":
            self._on_token_request()
        if realm not in self.realms:
            return json_response(404, {"error": "Realm does not exist"})
        routes: dict[str, tuple[str, Callable[[Request, str], Response]]] = {
            TOKEN_PATH: ("POST", self._token),
            DISCOVERY_PATH: ("GET", self._discovery),
            CERTS_PATH: ("GET", self._certs),
            "": ("GET", self._realm_info),
        }
        route = routes.get(rest)
        if route is None:
            return json_response(
                404,
                {
                    "error": "Unable to find matching target resource method",
                    "error_description": "For more on this error consult the server log.",
                },
            )
        method, endpoint = route
        if request.method != method:
            return json_response(405, {"error": "HTTP 405 Method Not Allowed"}, headers=[("Allow", method)])
        return endpoint(request, realm)

    # -- endpoints -------------------------------------------------------------------------------------------

    def _token(self, request: Request, realm: str) -> Response:
        fault = _fault_response(realm)
        if fault is not None:
            return fault
        form = request.form() if request.content_type == "application/x-www-form-urlencoded" else {}
        grant_type = form.get("grant_type")
        if not grant_type:
            return _oauth_error(400, "invalid_request", "Missing form parameter: grant_type")
        if grant_type != "client_credentials":
            return _oauth_error(400, "unsupported_grant_type", "Unsupported grant_type")
        client_id, secret = _client_credentials(request, form)
        if not client_id:
            return _oauth_error(401, "invalid_client", _INVALID_CREDENTIALS)
        client = self.clients.get(client_id)
        if client is None:
            return _oauth_error(401, "invalid_client", _INVALID_CREDENTIALS)
        if secret is None or secret != client.secret:
            return _oauth_error(401, "unauthorized_client", _INVALID_CREDENTIALS)
        if not client.service_accounts_enabled:
            return _oauth_error(401, "unauthorized_client", "Client not enabled to retrieve service account")
        requested = list(dict.fromkeys((form.get("scope") or "").split()))
        unknown = [scope for scope in requested if scope not in client.scopes]
        if unknown:
            return _oauth_error(400, "invalid_scope", f"Invalid scopes: {' '.join(unknown)}")
        granted = requested or list(client.scopes)
        return self._issue(realm, client, granted)

    def _issue(self, realm: str, client: SandboxClient, scopes: list[str]) -> Response:
        ttl = client.token_ttl if client.token_ttl is not None else self.token_ttl
        issued_at = int(self.clock())
        claims: JSON = {
            "exp": issued_at + ttl,
            "iat": issued_at,
            "jti": str(uuid.uuid4()),
            "iss": self.issuer(realm),
            "aud": "account",
            "sub": subject_for(realm, client.client_id),
            "typ": "Bearer",
            "azp": client.client_id,
            "acr": "1",
        }
        if scopes:
            claims["scope"] = " ".join(scopes)
        claims.update(
            {
                "clientId": client.client_id,
                "clientHost": "127.0.0.1",
                "email_verified": False,
                "preferred_username": f"service-account-{client.client_id}",
                "client_id": client.client_id,
                "tenant": realm,
            }
        )
        body = {
            "access_token": self.key.sign(claims),
            "expires_in": ttl,
            "refresh_expires_in": 0,
            "token_type": "Bearer",
            "not-before-policy": 0,
            "scope": " ".join(scopes),
        }
        return json_response(200, body, headers=_NO_STORE)

    def _discovery(self, request: Request, realm: str) -> Response:
        issuer = self.issuer(realm)
        return json_response(
            200,
            {
                "issuer": issuer,
                "token_endpoint": f"{issuer}/{TOKEN_PATH}",
                "jwks_uri": f"{issuer}/{CERTS_PATH}",
                "grant_types_supported": ["client_credentials"],
                "response_types_supported": ["token"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
                "scopes_supported": list(ALL_SCOPES),
                "claims_supported": ["sub", "iss", "aud", "exp", "iat", "azp", "scope", "client_id", "tenant"],
            },
        )

    def _certs(self, request: Request, realm: str) -> Response:
        return json_response(200, {"keys": [self.key.jwk()]})

    def _realm_info(self, request: Request, realm: str) -> Response:
        issuer = self.issuer(realm)
        return json_response(
            200,
            {
                "realm": realm,
                "public_key": self.key.public_key_der_b64(),
                "token-service": f"{issuer}/protocol/openid-connect",
                "account-service": f"{issuer}/account",
                "tokens-not-before": 0,
            },
        )


def _client_credentials(request: Request, form: Mapping[str, str]) -> tuple[str | None, str | None]:
    """The client id and secret from HTTP Basic (RFC 6749 2.3.1) or else from the form."""
    authorization = request.header("authorization") or ""
    scheme, _, encoded = authorization.partition(" ")
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None, None
        client_id, colon, secret = decoded.partition(":")
        # The id and secret are form-urlencoded before they are joined and encoded.
        return unquote_plus(client_id), (unquote_plus(secret) if colon else None)
    return form.get("client_id"), form.get("client_secret")


def _fault_response(realm: str) -> Response | None:
    if realm == "broken-html":
        return Response(502, _BAD_GATEWAY_PAGE, "text/html")
    if realm == "broken-text":
        return Response(200, b"OK - token service is warming up\n", "text/plain; charset=utf-8")
    if realm == "broken-notoken":
        return json_response(200, {"token_type": "Bearer", "expires_in": 300})
    return None
