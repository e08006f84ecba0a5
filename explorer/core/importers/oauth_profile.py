"""A client-credentials configuration found in a source (Postman oauth2, a JetBrains Security.Auth entry) as a
profile suggestion: token URL split into tenant and auth URL when it is a Keycloak realm, the secret left out."""

from __future__ import annotations

import re

from explorer.core.importers.base import ProfileSuggestion
from explorer.core.profiles import DEFAULT_AUTH_URL

_KEYCLOAK = re.compile(
    r"^(?P<base>https?://.*?)(?P<auth>/auth)?/realms/(?P<realm>[^/]+)/protocol/openid-connect/token/?$"
)


def client_credentials_profile(
    name: str,
    *,
    token_url: str,
    client_id: str,
    scopes: str = "",
    client_auth: str = "post",
    has_secret: bool = True,
    origin: str = "",
) -> ProfileSuggestion:
    """The profile for these settings. `name` is used when the token URL does not name a realm."""
    suggestion = ProfileSuggestion(
        name=name,
        client_id=client_id or "YOUR-API-CLIENT-ID",
        scopes=tuple(scopes.replace(",", " ").split()),
        client_auth=client_auth,
        origin=origin,
    )
    found = _KEYCLOAK.match(token_url.strip())
    if found and "{{" not in token_url:
        realm, base = found.group("realm"), found.group("base").rstrip("/")
        suggestion.name = realm
        suggestion.tenant = realm
        if not found.group("auth"):
            suggestion.token_url = token_url.strip()
        elif base != DEFAULT_AUTH_URL:
            suggestion.auth_url = base
    else:
        suggestion.tenant = name
        suggestion.token_url = token_url.strip()
        if "{{" in token_url:
            suggestion.instructions.append(
                f"Its token URL {token_url.strip()} uses variables; write the full URL in the profile."
            )
    if not client_id:
        suggestion.instructions.append("The source did not name a client id; set client_id in the profile.")
    if has_secret:
        suggestion.instructions.append("The client secret was not copied.")
    return suggestion
