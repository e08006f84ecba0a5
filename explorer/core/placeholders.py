"""Variable names and the `{{name}}` placeholders that refer to them: one rule for the engine, the exporters,
the collection reader and the app's prompts."""

from __future__ import annotations

import re

# A variable's name: what `{{name}}` can refer to (dots and dashes allowed after the first character).
VARIABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
# `{{ name }}` or `{{$built_in}}`; group 1 is the name.
PLACEHOLDER = re.compile(r"\{\{\s*(\$?[A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}")
NAME_RULE = "letters, digits and _ (starting with a letter), so {{name}} can refer to it"


def variable_name_problem(text: str) -> str | None:
    """What is wrong with `text` as a variable's name, or None."""
    if not VARIABLE_NAME.fullmatch(text.strip()):
        return f"A name of {NAME_RULE}."
    return None
