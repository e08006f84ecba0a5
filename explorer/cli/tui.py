"""`explorer` with no command: open the Textual app (imported only here, so headless commands stay fast)."""

from __future__ import annotations

import argparse


def app_command(args: argparse.Namespace) -> int:
    from explorer.ui.launch import launch

    return launch(args)
