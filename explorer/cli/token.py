"""`explorer token`: the token state of a profile, fetching one when needed."""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from typing import Any

from explorer.cli.common import chosen_profile, load_config, terminal_prompt, token_cache
from explorer.cli.output import run_async, say, warn
from explorer.core.errors import UnusableTokenError
from explorer.core.formatting import countdown
from explorer.core.profiles import Profile
from explorer.core.sanitize import clean, is_b64token
from explorer.core.tokens import Token, TokenCache, needs_fetch


def token_command(args: argparse.Namespace) -> int:
    config = load_config(args)
    cache = token_cache()
    if args.forget:
        if args.all:
            dropped = cache.forget()
        else:
            profile = chosen_profile(args, config)
            dropped = cache.forget(profile.cache_key)
        say(f"Forgot {dropped} cached token{'s' if dropped != 1 else ''}.")
        return 0
    profile = chosen_profile(args, config)
    token = None if args.fetch else _cached(profile, cache)
    if token is None:
        token = run_async(_fetch(profile, cache, force=args.fetch))
    if args.raw:
        if not is_b64token(token.access_token):
            # `curl -H "Authorization: Bearer $(explorer token --raw)"` would paste it into a header as it is.
            raise UnusableTokenError(
                f"The token of profile {profile.name!r} holds characters a Bearer token cannot have "
                "(RFC 6750 b64token); it is not printed.",
                code="not_b64token",
                hint=f"Check the token endpoint {profile.token_url}; `explorer token --forget` drops the token.",
            )
        sys.stdout.write(token.access_token + "\n")
    elif args.json:
        say(json.dumps(_finite(token_summary(profile, token, time.time())), indent=2))
    else:
        say(describe(profile, token, time.time()))
    for warning in token.warnings:
        warn(warning)
    return 0


def _cached(profile: Profile, cache: TokenCache) -> Token | None:
    # The fast path: a valid cached token needs neither httpx nor the network.
    token = cache.get(profile.cache_key)
    return None if needs_fetch(token, time.time()) else token


async def _fetch(profile: Profile, cache: TokenCache, *, force: bool) -> Token:
    from explorer.core.engine import Engine, make_client

    async with make_client() as client:
        engine = Engine(profile, client, cache=cache, prompt=terminal_prompt)
        return await engine.token(force=force)


def _finite(value: Any) -> Any:
    """JSON has no NaN or Infinity: such a number (a server put it in a claim) is written as a string."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def _when(epoch: float) -> str:
    try:
        return time.strftime("%Y-%m-%d %H:%M:%S %Z", time.localtime(epoch))
    except (OverflowError, OSError, ValueError):
        return "unknown"


def token_summary(profile: Profile, token: Token, now: float) -> dict[str, Any]:
    return {
        "profile": profile.name,
        "tenant": profile.tenant,
        "stage": profile.stage.value,
        "token_url": profile.token_url,
        "state": token.state(now).value,
        "token_type": token.token_type,
        "expires_in": round(token.remaining(now), 1),
        "expires_at": token.expires_at,
        "issued_at": token.issued_at,
        "ttl": token.ttl,
        "scopes": list(token.scopes),
        "legacy_client": token.is_legacy,
        "from_cache": token.from_cache,
        "fetch_latency_ms": round(token.latency * 1000, 1),
        "jwt_header": dict(token.header),
        "claims_unverified": dict(token.claims),
    }


def describe(profile: Profile, token: Token, now: float) -> str:
    claims = token.claims
    rows = [
        ("Profile", f"{profile.name}  (tenant {profile.tenant}, {profile.stage.value})"),
        ("State", f"{token.state(now).value}, expires in {countdown(token.remaining(now))}"),
        ("Expires at", _when(token.expires_at)),
        ("Scopes", " ".join(token.scopes) if token.scopes else "legacy client: no scopes"),
        ("Client", token.client_id or profile.client_id),
    ]
    if claims:
        rows += [
            ("Issuer", str(claims.get("iss", "—"))),
            ("Subject", str(claims.get("preferred_username") or claims.get("sub", "—"))),
            ("Issued at", _when(token.issued_at)),
        ]
    else:
        rows.append(("Claims", "none: the token is opaque, not a JWT"))
    source = "token cache" if token.from_cache else f"token endpoint in {token.latency * 1000:.0f} ms"
    rows.append(("Fetched from", source))
    rows.append(("Token", token.masked() + "  (explorer token --raw prints it)"))
    width = max(len(label) for label, _ in rows)
    # Every value may come from the server or the profiles file: each stays on its own line, escapes visible.
    lines = [f"{label:<{width}}  {clean(value)}" for label, value in rows]
    if claims:
        lines.append("Claims (unverified): " + clean(", ".join(sorted(str(k) for k in claims))))
    return "\n".join(lines)
