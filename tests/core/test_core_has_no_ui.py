"""The core and the headless commands must never pull in Textual (they start fast in scripts and CI).

The layer contracts themselves (no Rich or Pygments either) are import-linter's, in tests/test_layers.py: here a
process is started for real, and httpx may load Rich through click when click happens to be installed.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import explorer.core

CORE_MODULES = sorted(f"explorer.core.{m.name}" for m in pkgutil.iter_modules(explorer.core.__path__))
HEADLESS = ["explorer.cli", "explorer.cli.token", "explorer.cli.run", "explorer.sandbox"]


def loaded_after_import(module: str) -> set[str]:
    code = f"import sys, {module}; print(' '.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return {name.split(".")[0] for name in out.split()}


def test_core_modules_do_not_import_ui_libraries() -> None:
    assert CORE_MODULES
    for module in CORE_MODULES + HEADLESS:
        loaded = loaded_after_import(module)
        assert "textual" not in loaded, module
