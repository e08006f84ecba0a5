"""`explorer` (no command): turn the command line into settings, build the app with `make_app`, run it."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from explorer.ui.settings import AppSettings


def settings_from_args(args: argparse.Namespace) -> AppSettings:
    def path(value: object) -> Path | None:
        return Path(str(value)).expanduser() if value else None

    return AppSettings(
        config_path=path(getattr(args, "config", None)),
        profile=getattr(args, "profile", None) or os.environ.get("EXPLORER_PROFILE") or None,
        collection=path(getattr(args, "collection", None)),
        demo=bool(getattr(args, "demo", False)),
        theme=getattr(args, "theme", None) or None,
    )


def launch(args: argparse.Namespace) -> int:
    from explorer.ui.app import make_app

    app = make_app(settings_from_args(args))
    app.run()
    return app.return_code or 0
