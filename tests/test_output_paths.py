"""Every way text leaves the headless commands goes through one cleaning point (explorer/cli/output.py), so
no server or file can send a terminal escape, and no exception but the project's own reaches a user raw."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = ROOT / "explorer" / "cli"
# Writes of documents, not messages: `token --raw` after checking it is an RFC 6750 b64token; reports (JSON
# escapes every control character, JUnit text went through xml_text); a collection as TOML (escaped strings).
RAW_WRITES = {
    ("token.py", "token_command"),
    ("run.py", "run_command"),
    ("importing.py", "import_command"),
    ("exporting.py", "_write"),
    ("catalogue.py", "_print_table"),
}


def _calls(tree: ast.AST) -> list[tuple[str, ast.Call, str]]:
    found = []
    for func in ast.walk(tree):
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(func):
            if isinstance(node, ast.Call):
                found.append((func.name, node, ast.unparse(node.func)))
    return found


def test_headless_commands_print_only_through_the_output_module() -> None:
    offenders = []
    for path in sorted(CLI.glob("*.py")):
        if path.name == "output.py":
            continue
        for function, _call, name in _calls(ast.parse(path.read_text())):
            if name == "print":
                offenders.append(f"{path.name}:{function}: print()")
            if name in ("sys.stdout.write", "sys.stderr.write") and (path.name, function) not in RAW_WRITES:
                offenders.append(f"{path.name}:{function}: {name}()")
    assert not offenders, "write through explorer.cli.output.say/tell/warn instead:\n" + "\n".join(offenders)


def test_main_has_a_last_resort_for_everything() -> None:
    tree = ast.parse((CLI / "__init__.py").read_text())
    main = next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == "main")
    handled = {
        ast.unparse(handler.type)
        for node in ast.walk(main)
        if isinstance(node, ast.Try)
        for handler in node.handlers
        if handler.type is not None
    }
    assert {"ExplorerError", "KeyboardInterrupt", "OSError", "Exception"} <= handled, handled


def test_errors_are_cleaned_when_made() -> None:
    from explorer.core.errors import ConfigError, TokenError

    error = TokenError("said \x1b[2J", code="x", hint="do \x07", description="d\x1b")
    assert "\x1b" not in error.one_line() and "\x07" not in error.one_line() and "\x1b" not in error.description
    assert "\x9b" not in ConfigError("\x9b6n").one_line()
