"""The command lines of `explorer import` and `explorer export`, kept apart from the commands themselves so
building the parser (every `explorer` start) imports none of the importers or exporters."""

from __future__ import annotations

import argparse


def add_import_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "import",
        help="turn curl lines, .http files or a Postman collection into an explorer collection",
        description="Import requests into an explorer collection. Hard-coded tokens are removed (requests use "
        "the profile's automatic token instead) and no secret is ever written.",
    )
    parser.add_argument("source", metavar="SOURCE", help="a file, or - for standard input")
    # Not `choices`: listing the formats would load every importer just to build the parser.
    parser.add_argument(
        "--format", metavar="FORMAT", help="the source's format: curl, http, postman, openapi (default: detected)"
    )
    target = parser.add_mutually_exclusive_group()
    target.add_argument("--output", "-o", metavar="FILE", help="collection file to write (- for stdout)")
    target.add_argument("--into", metavar="COLLECTION", help="add the requests to an existing collection")
    parser.add_argument(
        "--profiles-output", metavar="FILE", help="add the suggested profiles to this profiles file (kept as it is)"
    )
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="FILE",
        help="a Postman environment or http-client.env.json to read too (repeatable)",
    )
    parser.add_argument("--force", action="store_true", help="overwrite --output if it exists")


def add_export_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("export", help="write a collection's requests as curl lines or a .http file")
    parser.add_argument("collection", metavar="COLLECTION", help="a collection TOML file")
    parser.add_argument("--format", required=True, choices=("curl", "http"), help="what to write")
    parser.add_argument(
        "--request", "-r", action="append", default=[], metavar="NAME", help="only this request (repeatable)"
    )
    parser.add_argument("--folder", "-f", default="", metavar="FOLDER", help="only this folder")
    parser.add_argument("--profile", "-p", metavar="NAME", help="profile whose variables and token to use")
    parser.add_argument("--config", metavar="FILE", help="profiles file (default: $EXPLORER_CONFIG or the user's)")
    parser.add_argument("--output", "-o", metavar="FILE", help="write here instead of standard output")
    parser.add_argument("--force", action="store_true", help="overwrite --output if it exists")
