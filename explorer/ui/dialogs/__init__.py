"""Modal dialogs, each typed by the value it returns: a text prompt and a yes/no confirmation."""

from __future__ import annotations

from explorer.ui.dialogs.confirm import ConfirmDialog
from explorer.ui.dialogs.text_prompt import TextPrompt, Validator

__all__ = ["ConfirmDialog", "TextPrompt", "Validator"]
