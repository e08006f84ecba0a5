"""Saving the last exchange as HAR 1.2, for a bug report or a support ticket: ask where, write it in a thread.

The response pane only asks (`ResponsePane.HarRequested`); this controller adds the token exchange when this
session fetched the token, masks every credential (`core.exporters.har`), asks before replacing a file and
writes atomically, readable by its owner only (an answer often holds customer data).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from explorer.app.session import Session
from explorer.core import atomic
from explorer.core.http import ResponseRecord
from explorer.core.model import RequestSpec
from explorer.ui.controllers.base import Controller
from explorer.ui.widgets.token_panel import TokenPanel


class SaveHar(Controller):
    """Write the exchange on show (and the token exchange before it, if any) as a HAR file."""

    def __init__(self, screen: Any, session: Session) -> None:
        super().__init__(screen)
        self.session = session

    def save(self, record: ResponseRecord, spec: RequestSpec | None = None) -> None:
        """Ask where (a name from the request and the time), then write."""
        from explorer.ui.dialogs import TextPrompt

        text = self.document(record, spec)
        stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(record.started_at or time.time()))
        default = f"~/explorer-{record.status}-{stamp}.har"

        def chosen(path: str | None) -> None:
            if path:
                self._write(Path(path.strip()).expanduser(), text, replace=False)

        prompt = TextPrompt(
            "Save exchange as HAR",
            "HAR 1.2 of this exchange, tokens and secrets masked. Save to:",
            value=default,
            validator=_check_path,
            submit_label="Save",
        )
        self.app.push_screen(prompt, chosen)

    def document(self, record: ResponseRecord, spec: RequestSpec | None) -> str:
        """The HAR text: the token exchange this session made for the shown profile (if any), then the answer."""
        from explorer.core.exporters.har import Redactor, env_values, har_document, har_entry, token_entry

        redactor = Redactor(env_values([spec] if spec is not None else []))
        entries: list[dict[str, Any]] = []
        # The token pane's token still carries the exchange when it was fetched in this session.
        token = self.screen.query_one(TokenPanel).token or self.session.shown_token()
        if token is not None and token.trace is not None and not token.from_cache:
            entries.append(token_entry(token.trace, token.issued_at, redactor))
        entries.append(har_entry(record, redactor, comment=spec.name if spec is not None and spec.name else ""))
        profile = self.session.shown_profile
        where = f" with profile {profile.name}" if profile is not None else ""
        return har_document(entries, comment=f"explorer exchange{where}; credentials redacted")

    def _write(self, path: Path, text: str, *, replace: bool) -> None:
        self.run_in_thread(
            lambda: self._write_now(path, text, replace=replace), name="Saving HAR", group="save-har", exclusive=True
        )

    def _write_now(self, path: Path, text: str, *, replace: bool) -> None:
        # In a thread: only call_from_thread and notify reach the UI from here.
        try:
            if path.is_dir():
                raise IsADirectoryError(21, "That is a folder; add a file name", str(path))
            if not replace and path.exists():
                self.app.call_from_thread(self._ask_replace, path, text)
                return
            if not path.parent.is_dir():
                raise FileNotFoundError(2, "That folder does not exist", str(path.parent))
            atomic.write_bytes_atomic(path, text.encode("utf-8"), new_mode=0o600)
        except OSError as exc:
            self.notify(
                f"{exc.filename or path}: {exc.strerror or exc}", title="Could not save the HAR", severity="error"
            )
            return
        self.notify(f"Saved to {path} (tokens and secrets masked)", title="HAR saved")

    def _ask_replace(self, path: Path, text: str) -> None:
        from explorer.ui.dialogs import ConfirmDialog

        def answered(replace: bool | None) -> None:
            if replace:
                self._write(path, text, replace=True)

        question = ConfirmDialog(
            "Replace file?",
            f"{path} already exists. Replace it with this exchange?",
            confirm_label="Replace",
            cancel_label="Keep it",
            danger=True,
        )
        self.app.push_screen(question, answered)


def _check_path(text: str) -> str | None:
    if not text.strip():
        return "Type the path of the file to save to."
    if text.strip().endswith("/"):
        return "That is a folder: add a file name."
    return None
