"""The core and the headless commands must never pull in Textual, Rich or Pygments."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import explorer.core

CORE_MODULES = sorted(f"explorer.core.{m.name}" for m in pkgutil.iter_modules(explorer.core.__path__))
HEADLESS = ["explorer.cli", "explorer.commands.token", "explorer.commands.run", "explorer.sandbox"]


def loaded_after_import(module: str) -> set[str]:
    code = f"import sys, {module}; print(' '.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return {name.split(".")[0] for name in out.split()}


def test_core_modules_do_not_import_ui_libraries() -> None:
    assert CORE_MODULES
    for module in CORE_MODULES + HEADLESS:
        loaded = loaded_after_import(module)
        assert not loaded & {"textual", "rich", "pygments"}, module
