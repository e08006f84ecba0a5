"""`explorer token`: the token state of a profile, fetching one when needed."""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

from explorer.cli.common import chosen_profile, load_config, terminal_prompt, token_cache
from explorer.core.profiles import Profile
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
        print(f"Forgot {dropped} cached token{'s' if dropped != 1 else ''}.")
        return 0
    profile = chosen_profile(args, config)
    token = None if args.fetch else _cached(profile, cache)
    if token is None:
        import asyncio  # only when a fetch is needed: the cached path stays fast

        token = asyncio.run(_fetch(profile, cache, force=args.fetch))
    if args.raw:
        print(token.access_token)
    elif args.json:
        print(json.dumps(token_summary(profile, token, time.time()), indent=2))
    else:
        print(describe(profile, token, time.time()))
    for warning in token.warnings:
        print(f"explorer: warning: {warning}", file=sys.stderr)
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


def _clock(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def _when(epoch: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S %Z", time.localtime(epoch))


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
        ("State", f"{token.state(now).value}, expires in {_clock(token.remaining(now))}"),
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
    lines = [f"{label:<{width}}  {value}" for label, value in rows]
    if claims:
        lines.append("Claims (unverified): " + ", ".join(sorted(claims)))
    return "\n".join(lines)
