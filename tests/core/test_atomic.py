from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from explorer.core import atomic
from explorer.core.atomic import write_text_atomic

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_writes_new_file_and_creates_parents(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "c.toml"
    write_text_atomic(target, 'name = "x"\n')
    assert target.read_text(encoding="utf-8") == 'name = "x"\n'


def test_replaces_existing_content(tmp_path: Path) -> None:
    target = tmp_path / "c.toml"
    target.write_text("old\n", encoding="utf-8")
    write_text_atomic(target, "new\n")
    assert target.read_text(encoding="utf-8") == "new\n"


def test_writes_utf8_bytes_exactly(tmp_path: Path) -> None:
    target = tmp_path / "c.txt"
    text = "Zürich → 東京\r\nline two\n"
    write_text_atomic(target, text)
    assert target.read_bytes() == text.encode("utf-8")


def test_leaves_no_temporary_files(tmp_path: Path) -> None:
    target = tmp_path / "c.toml"
    write_text_atomic(target, "one")
    write_text_atomic(target, "two")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.toml"]


@posix_only
def test_mode_0600_is_honoured(tmp_path: Path) -> None:
    target = tmp_path / "tokens.json"
    write_text_atomic(target, "{}", mode=0o600)
    assert _mode(target) == 0o600


@posix_only
def test_mode_0600_replaces_a_wider_file(tmp_path: Path) -> None:
    target = tmp_path / "tokens.json"
    target.write_text("{}", encoding="utf-8")
    target.chmod(0o644)
    write_text_atomic(target, '{"a": 1}', mode=0o600)
    assert _mode(target) == 0o600


@posix_only
def test_mode_is_set_before_any_content_is_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "tokens.json"
    seen: list[tuple[int, int]] = []
    real_fsync = os.fsync

    def spying_fsync(fd: int) -> None:
        # By the time content is flushed the temporary file must already carry the final mode.
        info = os.fstat(fd)
        if stat.S_ISREG(info.st_mode):
            seen.append((stat.S_IMODE(info.st_mode), info.st_size))
        real_fsync(fd)

    real_chmod = os.chmod

    def spying_chmod(path: str, mode: int) -> None:
        seen.append((-1, Path(path).stat().st_size))
        real_chmod(path, mode)

    monkeypatch.setattr(atomic.os, "fsync", spying_fsync)
    monkeypatch.setattr(atomic.os, "chmod", spying_chmod)
    write_text_atomic(target, "secret", mode=0o600)
    assert seen == [(-1, 0), (0o600, len("secret"))]


@posix_only
def test_existing_mode_is_kept_without_mode(tmp_path: Path) -> None:
    target = tmp_path / "c.toml"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    write_text_atomic(target, "new")
    assert _mode(target) == 0o640


@posix_only
def test_new_file_follows_umask(tmp_path: Path) -> None:
    target = tmp_path / "c.toml"
    write_text_atomic(target, "new")
    # Not the 0600 that mkstemp starts with: a collection is an ordinary file.
    assert _mode(target) == 0o666 & ~atomic._umask()


def test_failed_write_leaves_original_intact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "c.toml"
    target.write_text("original\n", encoding="utf-8")

    def failing_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", failing_fsync)
    with pytest.raises(OSError, match="No space left"):
        write_text_atomic(target, "replacement\n")
    assert target.read_text(encoding="utf-8") == "original\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.toml"]


def test_failed_replace_cleans_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "c.toml"
    target.write_text("original\n", encoding="utf-8")

    def failing_replace(src: str, dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(atomic.os, "replace", failing_replace)
    with pytest.raises(PermissionError):
        write_text_atomic(target, "replacement\n")
    assert target.read_text(encoding="utf-8") == "original\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.toml"]


def test_text_that_cannot_be_encoded_creates_nothing(tmp_path: Path) -> None:
    target = tmp_path / "c.toml"
    with pytest.raises(UnicodeEncodeError):
        write_text_atomic(target, "lone surrogate \ud800")
    assert list(tmp_path.iterdir()) == []


def test_target_that_is_a_directory_fails_cleanly(tmp_path: Path) -> None:
    target = tmp_path / "c.toml"
    target.mkdir()
    with pytest.raises(OSError):
        write_text_atomic(target, "x")
    assert target.is_dir()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.toml"]
