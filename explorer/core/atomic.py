"""Write a file so that readers see either the old content or the new one, never half of each.

The text goes to a temporary file in the target's directory, is flushed to disk, and then replaces the
target in one `os.replace`. If anything fails the temporary file is removed and the target is untouched.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from explorer.core.safefile import check_write_target

__all__ = ["write_bytes_atomic", "write_text_atomic"]


def write_text_atomic(path: Path, text: str, *, mode: int | None = None) -> None:
    """Replace `path` with `text` (UTF-8), creating parent directories as needed.

    `mode` sets the permission bits, before any content is written, so a token cache created with
    `0o600` is never readable by others, not even for a moment. Without `mode` an existing file keeps its
    permission bits and a new file gets the usual ones (0o666 less the umask).
    Raises `OSError` (or `UnicodeEncodeError`) and leaves the target as it was.
    """
    write_bytes_atomic(path, text.encode("utf-8"), mode=mode)


def write_bytes_atomic(path: Path, data: bytes, *, mode: int | None = None, new_mode: int | None = None) -> None:
    """Replace `path` with `data`, like `write_text_atomic`.

    `new_mode` is the permission of a file that does not exist yet (default: 0o666 less the umask); an
    existing file keeps its bits unless `mode` says otherwise. A target that exists and is not a regular file
    (a directory, a device, a FIFO, a dangling link) raises `FileRefused` and is left alone; a symbolic link to
    a regular file stays a link and the file it points to is replaced.
    """
    path = check_write_target(Path(path))
    directory = path.parent
    directory.mkdir(parents=True, exist_ok=True)
    if mode is None:
        mode = _existing_mode(path, new_mode)
    # The temporary name starts with a dot and does not end in the target's suffix, so nothing that
    # scans the directory for `*.toml` picks it up.
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            # mkstemp creates the file as 0o600; widen or keep it before the first byte lands.
            os.chmod(temp_name, mode)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    _fsync_directory(directory)


def _existing_mode(path: Path, new_mode: int | None) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return new_mode if new_mode is not None else 0o666 & ~_umask()


def _umask() -> int:
    # os.umask() can only be read by setting it, which races with other threads creating files.
    # Linux reports it in /proc; elsewhere assume the common 022.
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return 0o022


def _fsync_directory(directory: Path) -> None:
    # Makes the rename itself durable. Not possible on every platform (Windows cannot open a directory),
    # and the file is already complete, so failure here is not an error.
    if not hasattr(os, "O_DIRECTORY"):
        return
    try:
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
