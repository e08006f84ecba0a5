"""`explorer` (no command): turn the command line into settings, build the app with `make_app`, run it."""

from __future__ import annotations

import argparse
import gc
from pathlib import Path

from explorer.app.settings import AppSettings
from explorer.core.load_scope import settle
from explorer.core.profiles import profile_choice


def settings_from_args(args: argparse.Namespace) -> AppSettings:
    def path(value: object) -> Path | None:
        return Path(str(value)).expanduser() if value else None

    return AppSettings(
        config_path=path(getattr(args, "config", None)),
        profile=profile_choice(getattr(args, "profile", None)),
        collection=path(getattr(args, "collection", None)),
        demo=bool(getattr(args, "demo", False)),
        theme=getattr(args, "theme", None) or None,
    )


def after_first_frame() -> None:
    """The collector back on, without the objects made to start. Collected with the rest, they cost the first
    collections after the first frame ~130 ms of held event loop, and every full collection later (~100 ms, at
    whatever key it falls on) walked them again to find nothing to free. What they hold is still freed by reference
    counting when it goes."""
    settle()
    gc.enable()


def launch(args: argparse.Namespace) -> int:
    # Starting allocates a few hundred thousand objects that live as long as the app (modules, classes, widgets,
    # styles). The cyclic garbage collector would walk them over and over, a tenth of the start-up, and find
    # next to nothing to free: it is off until the first frame is on screen, and then they are moved out of its
    # sight for good (see after_first_frame).
    gc.disable()
    try:
        from explorer.ui.app import make_app

        app = make_app(settings_from_args(args), after_first_frame=after_first_frame)
        app.run()
    finally:
        gc.enable()
    return app.return_code or 0
