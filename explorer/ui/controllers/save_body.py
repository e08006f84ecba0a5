"""Saving a response body to a file: ask where, ask before replacing, write it atomically in a thread.

The response pane only asks (`ResponsePane.SaveRequested`); this controller opens the dialogs and writes.
"""

from __future__ import annotations

import os
from pathlib import Path

from explorer.core import atomic
from explorer.core.formatting import SNIFF_BYTES, body_kind, human_size, media_type
from explorer.core.http import ResponseRecord
from explorer.ui.controllers.base import Controller

# File name extensions for media types people save often; the rest go by the body's kind.
_EXTENSIONS = {
    "application/gzip": "gz",
    "application/pdf": "pdf",
    "application/x-ndjson": "ndjson",
    "application/yaml": "yaml",
    "application/zip": "zip",
    "image/gif": "gif",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/svg+xml": "svg",
    "image/webp": "webp",
    "text/csv": "csv",
    "text/markdown": "md",
}
_KIND_EXTENSIONS = {"json": "json", "xml": "xml", "html": "html", "text": "txt", "binary": "bin"}


class SaveBody(Controller):
    """Save the raw body of a response where the user says."""

    def save(self, record: ResponseRecord) -> None:
        """Ask where to save the raw body, then write it (asking before replacing a file)."""
        from explorer.ui.dialogs import TextPrompt

        default = f"~/response-{record.status}.{extension_for(record.content_type, record.body)}"

        def chosen(path: str | None) -> None:
            if path:
                self._write(Path(path.strip()).expanduser(), record.body, replace=False)

        prompt = TextPrompt(
            "Save response body",
            f"Save the {human_size(record.size)} body to:",
            value=default,
            validator=_check_path,
            submit_label="Save",
        )
        self.app.push_screen(prompt, chosen)

    def _write(self, path: Path, body: bytes, *, replace: bool) -> None:
        self.run_in_thread(
            lambda: self._write_now(path, body, replace=replace),
            name="Saving the body",
            group="save-body",
            exclusive=True,
        )

    def _write_now(self, path: Path, body: bytes, *, replace: bool) -> None:
        # In a thread: only call_from_thread and notify reach the UI from here.
        try:
            if path.is_dir():
                raise IsADirectoryError(21, "That is a folder; add a file name", str(path))
            if not replace and path.exists():
                self.app.call_from_thread(self._ask_replace, path, body)
                return
            if not path.parent.is_dir():
                raise FileNotFoundError(2, "That folder does not exist", str(path.parent))
            write_bytes_atomic(path, body)
        except OSError as exc:
            self.notify(
                f"{exc.filename or path}: {exc.strerror or exc}", title="Could not save the body", severity="error"
            )
            return
        self.notify(f"Saved {human_size(len(body))} to {path}", title="Body saved")

    def _ask_replace(self, path: Path, body: bytes) -> None:
        from explorer.ui.dialogs import ConfirmDialog

        def answered(replace: bool | None) -> None:
            if replace:
                self._write(path, body, replace=True)

        question = ConfirmDialog(
            "Replace file?",
            f"{path} already exists. Replace it with the {human_size(len(body))} body?",
            confirm_label="Replace",
            cancel_label="Keep it",
            danger=True,
        )
        self.app.push_screen(question, answered)


def extension_for(content_type: str, body: bytes) -> str:
    """A file name extension for a body: from its media type when well known, else from what it looks like."""
    known = _EXTENSIONS.get(media_type(content_type))
    if known is not None:
        return known
    return _KIND_EXTENSIONS[body_kind(content_type, body[:SNIFF_BYTES])]


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that it never holds half of either.

    A replaced file keeps its permission bits; a new one is readable by its owner only (0600), since response
    bodies often hold customer data.
    """
    atomic.write_bytes_atomic(path, data, new_mode=0o600)


def _check_path(text: str) -> str | None:
    if not text.strip():
        return "Type the path of the file to save to."
    if text.strip().endswith(("/", os.sep)):
        return "That is a folder: add a file name."
    return None
