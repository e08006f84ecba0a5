"""Command line: `explorer` opens the app; `token`, `run`, `history`, `secret`, `sandbox` and `profiles` work
headless.

Headless commands import neither Textual nor Rich nor Pygments, so they start fast in scripts and CI. Every
failure is one clear line on stderr: exit 2 for usage and configuration problems, 1 for failures, 130 after
Ctrl-C, 141 when the reader of the output went away (`explorer token --json | head`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import NoReturn, cast

from explorer import __version__
from explorer.cli import output
from explorer.core.errors import ExplorerError
from explorer.core.sanitize import clean


class _Parser(argparse.ArgumentParser):
    """argparse, with the command line's own text made visible rather than sent to the terminal as it is."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {clean(message)}\n")


def _common(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    # On subcommands the defaults are suppressed so `explorer --config F token` keeps the top-level value.
    default = None if top else argparse.SUPPRESS
    parser.add_argument(
        "--config",
        metavar="FILE",
        default=default,
        help="profiles file (default: $EXPLORER_CONFIG or the user config dir)",
    )
    parser.add_argument(
        "--profile", "-p", metavar="NAME", default=default, help="profile to use (default: default_profile)"
    )
    parser.add_argument(
        "--timeout",
        metavar="S",
        type=_seconds,
        default=default,
        help="give up on a request (or token fetch) that has not finished after S seconds "
        "(default: the profile's timeout, else 60)",
    )


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0 < value <= 86400:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds from 0 to 86400")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="explorer",
        description="A terminal API explorer for OAuth2 client-credentials APIs (NewStore and Keycloak-style).",
        epilog="Run `explorer --demo` to try it against a built-in sandbox, with no account.",
    )
    parser.add_argument("--version", action="version", version=f"explorer {__version__}")
    _common(parser, top=True)
    parser.add_argument("--collection", "-c", metavar="FILE", help="collection to open in the app")
    parser.add_argument("--demo", action="store_true", help="open the app against a built-in sandbox (no account)")
    parser.add_argument("--theme", metavar="NAME", help="theme for this session")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    token = sub.add_parser("token", help="show the token state, fetching a token when needed")
    _common(token)
    form = token.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="print the state as JSON (the token itself is left out)")
    form.add_argument("--raw", action="store_true", help="print only the access token (for curl and scripts)")
    form.add_argument("--forget", action="store_true", help="drop the cached token(s) of the profile")
    token.add_argument("--fetch", action="store_true", help="fetch a new token even when the cached one is valid")
    token.add_argument("--all", action="store_true", help="with --forget: drop every cached token")

    run = sub.add_parser("run", help="replay a collection and check its expectations")
    _common(run)
    run.add_argument("collection", metavar="COLLECTION", help="a collection TOML file")
    run.add_argument(
        "--request", "-r", action="append", default=[], metavar="NAME", help="run only this request (repeatable)"
    )
    run.add_argument("--folder", "-f", default="", metavar="FOLDER", help="run only this folder")
    run.add_argument("--report", choices=("json", "junit"), help="write a report")
    run.add_argument("--output", "-o", metavar="FILE", help="where the report goes (default: stdout)")
    run.add_argument("--verbose", "-v", action="store_true", help="print each response's body too")
    run.add_argument("--record", action="store_true", help="record each request in the history (explorer history)")
    run.add_argument(
        "--dry-run", action="store_true", help="print each request as it would be sent (token masked); send nothing"
    )
    run.add_argument("--har", metavar="FILE", help="also write the exchanges as HAR 1.2 (credentials redacted)")

    history = sub.add_parser("history", help="list the requests recorded in the history, newest first")
    _common(history)
    history.add_argument("--limit", "-n", type=int, metavar="N", help="show at most N entries (default 50)")
    history.add_argument("--json", action="store_true", help="print the entries as JSON")
    history.add_argument("--clear", action="store_true", help="delete every recorded entry")

    secret = sub.add_parser("secret", help="store or delete a profile's client secret in the OS keyring")
    _common(secret)
    secret.add_argument("action", choices=("set", "delete"))
    secret.add_argument("name", metavar="PROFILE")

    sandbox = sub.add_parser("sandbox", help="run the built-in sandbox server (a stand-in NewStore tenant)")
    sandbox.add_argument("--port", type=int, default=8765, help="port on 127.0.0.1 (0 picks a free one; default 8765)")
    sandbox.add_argument(
        "--token-ttl", type=int, default=300, metavar="S", help="token lifetime in seconds (default 300)"
    )
    sandbox.add_argument(
        "--print-profiles", action="store_true", help="only print a profiles file for a sandbox on --port, and exit"
    )
    sandbox.add_argument(
        "--rate-limit", type=float, default=50.0, metavar="N", help="requests per second per client (0: none)"
    )

    profiles = sub.add_parser("profiles", help="list the profiles in the profiles file")
    _common(profiles)

    catalogue = sub.add_parser(
        "catalogue", help="list an API description's operations and the scopes the profile's token lacks"
    )
    _common(catalogue)
    catalogue.add_argument(
        "--spec", metavar="FILE|URL", help="the OpenAPI / Swagger description (default: the profile's openapi)"
    )
    catalogue.add_argument(
        "--filter", metavar="TEXT", default="", help="only operations whose path, summary, id or tag match"
    )
    catalogue.add_argument("--json", action="store_true", help="print a JSON list of operations")
    catalogue.add_argument("--refresh", action="store_true", help="fetch a cached description again")

    from explorer.cli.interchange_args import add_export_parser, add_import_parser

    add_import_parser(cast("argparse._SubParsersAction[argparse.ArgumentParser]", sub))
    add_export_parser(cast("argparse._SubParsersAction[argparse.ArgumentParser]", sub))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command. Whatever happens, the user gets one line on stderr and an exit code, no traceback."""
    try:
        args = build_parser().parse_args(argv)
        if args.command is not None:
            # The app has its own handling; headless commands keep leftovers of their work quiet.
            output.quiet_background_noise()
        code = _dispatch(args)
        output.flush_stdout()
        return code
    except ExplorerError as exc:
        output.tell(exc.one_line())
        return exc.exit_code
    except KeyboardInterrupt:
        output.tell("interrupted")
        return output.EXIT_INTERRUPTED
    except OSError as exc:
        if output.is_broken_pipe(exc):
            # The reader went away (`| head`): the SIGPIPE convention, quietly.
            return output.pipe_closed()
        output.tell(output.os_error_line(exc))
        # What stdout still holds could not be written; at exit it would fail again, with a traceback.
        output.silence_stdout()
        return 1
    except Exception as exc:
        return output.unexpected(exc)
    finally:
        _flush_quietly()


def _flush_quietly() -> None:
    # Whatever is still buffered is written now: at interpreter exit a failure would print a traceback.
    try:
        output.flush_stdout()
    except (OSError, ValueError):
        output.silence_stdout()


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "token":
        from explorer.cli.token import token_command

        return token_command(args)
    if args.command == "run":
        from explorer.cli.run import run_command

        return run_command(args)
    if args.command == "history":
        from explorer.cli.history import history_command

        return history_command(args)
    if args.command == "secret":
        from explorer.cli.secret import secret_command

        return secret_command(args)
    if args.command == "sandbox":
        from explorer.cli.sandbox import sandbox_command

        return sandbox_command(args)
    if args.command == "export":
        from explorer.cli.exporting import export_command

        return export_command(args)
    if args.command == "import":
        from explorer.cli.importing import import_command

        return import_command(args)
    if args.command == "catalogue":
        from explorer.cli.catalogue import catalogue_command

        return catalogue_command(args)
    if args.command == "profiles":
        from explorer.cli.profiles import profiles_command

        return profiles_command(args)
    from explorer.cli.tui import app_command

    return app_command(args)
