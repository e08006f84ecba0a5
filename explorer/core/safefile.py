"""Reading a file a user named, and checking a path before writing to it, without trusting what is there.

A path can name a FIFO (reading blocks until someone writes), a device (`/dev/zero` never ends), a directory, a
socket, a symbolic link to nothing or to itself, or a file of gigabytes. `read_regular_file()` looks before it
reads: it reads regular files only, at most `limit` bytes, and opens without blocking. `check_write_target()`
refuses to replace anything that is not a regular file. Both raise `FileRefused`, an `OSError` whose `strerror`
says why in words a user understands, so callers that already report `OSError.strerror` need nothing new.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

__all__ = ["MAX_TEXT_FILE", "FileRefused", "check_write_target", "human_size", "read_regular_file"]

# Profiles, collections, themes and settings are TOML a person wrote: far below this.
MAX_TEXT_FILE = 10 * 1024 * 1024


class FileRefused(OSError):
    """The path is not something explorer reads or replaces; `strerror` says why."""


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.0f} MB"


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    return "not a regular file"


def _stat_following(path: Path) -> os.stat_result:
    """`os.stat`, with a dangling or looping symbolic link told apart from a missing file."""
    try:
        return os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise FileRefused(errno.ENOENT, "it is a symbolic link to a file that does not exist") from None
        raise
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise FileRefused(errno.ELOOP, "it is a symbolic link that loops back on itself") from None
        raise


def _refuse_irregular(mode: int) -> None:
    if not stat.S_ISREG(mode):
        kind = _kind(mode)
        reason = f"it is {kind}, not a regular file" if kind != "not a regular file" else "it is not a regular file"
        raise FileRefused(errno.EISDIR if stat.S_ISDIR(mode) else errno.EINVAL, reason)


def read_regular_file(path: Path, *, limit: int = MAX_TEXT_FILE) -> bytes:
    """The whole content of the regular file at `path`, at most `limit` bytes.

    Raises `FileNotFoundError` when nothing is there, `FileRefused` for anything that is not a regular file or
    is larger than `limit`, and `OSError` for the rest (permissions, I/O).
    """
    info = _stat_following(path)
    _refuse_irregular(info.st_mode)
    if info.st_size > limit:
        raise FileRefused(errno.EFBIG, f"it is {human_size(info.st_size)}, more than the {human_size(limit)} allowed")
    # O_NONBLOCK: should the path be swapped for a FIFO between the look and the open, the open does not wait.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags)
    try:
        _refuse_irregular(os.fstat(fd).st_mode)
        chunks: list[bytes] = []
        total = 0
        # Files in /proc say they are empty and are not: the limit is on what is read, not on st_size.
        while True:
            chunk = os.read(fd, min(1024 * 1024, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise FileRefused(errno.EFBIG, f"it is more than the {human_size(limit)} allowed")
        return b"".join(chunks)
    finally:
        os.close(fd)


def check_write_target(path: Path) -> Path:
    """Where a write to `path` should go: `path` itself, or the regular file a symbolic link points to.

    Raises `FileRefused` when `path` exists and is not a regular file (a directory, a device, a FIFO, a
    socket), or is a symbolic link to nothing or to itself: replacing one of those would clobber something
    that is not the user's file, or silently turn their link into a copy.
    """
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return path
    if stat.S_ISLNK(info.st_mode):
        target = _stat_following(path)
        _refuse_irregular(target.st_mode)
        return Path(os.path.realpath(path))
    _refuse_irregular(info.st_mode)
    return path
