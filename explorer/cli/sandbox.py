"""`explorer sandbox`: run the built-in stand-in for a NewStore tenant and its Keycloak realm."""

from __future__ import annotations

import argparse
import threading

from explorer.cli.output import quiet_threads, say
from explorer.core.errors import ConfigError


def sandbox_command(args: argparse.Namespace) -> int:
    from explorer.sandbox import SandboxServer, sandbox_profiles_toml

    if args.print_profiles:
        if not args.port:
            raise ConfigError("--print-profiles needs a fixed --port, so the profiles point at the right place.")
        # No server is started: the profiles only depend on the address.
        say(sandbox_profiles_toml(f"http://127.0.0.1:{args.port}"), end="")
        return 0
    rate = args.rate_limit if args.rate_limit and args.rate_limit > 0 else None
    # The server answers on threads: a failure in one is one line, not a traceback.
    quiet_threads()
    server = SandboxServer(port=args.port, token_ttl=args.token_ttl, rate_limit=rate)
    try:
        server.start()
    except OSError as exc:
        raise ConfigError(
            f"The sandbox cannot listen on 127.0.0.1:{args.port}: {exc.strerror or exc}.",
            hint="Pick another port with --port N (0 picks a free one).",
        ) from None
    say(f"Sandbox listening on {server.base_url}")
    say(f"  Keycloak realms: {server.base_url}/auth/realms/{{tenant}}")
    say(f"  API:             {server.api_url_for('{tenant}')}")
    say(f"  Token lifetime:  {args.token_ttl} s; rate limit: {f'{rate:g}/s per client' if rate else 'none'}")
    say()
    say("A profiles file for it (save as profiles.toml, then `explorer --config profiles.toml token`):")
    say()
    say(sandbox_profiles_toml(server))
    say("Press Ctrl-C to stop.", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0
