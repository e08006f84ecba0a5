"""Files that are not files: refused with a reason before anything is read or replaced."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from explorer.core.atomic import write_text_atomic
from explorer.core.safefile import FileRefused, check_write_target, read_regular_file


@pytest.fixture
def odd_paths(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    directory = tmp_path / "dir.toml"
    directory.mkdir()
    dangling = tmp_path / "dangling.toml"
    dangling.symlink_to(tmp_path / "nowhere")
    loop = tmp_path / "loop.toml"
    loop.symlink_to(loop)
    sock_path = tmp_path / "s.sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(sock_path))
    server.close()
    return {
        "fifo": (fifo, "named pipe"),
        "directory": (directory, "directory"),
        "dangling": (dangling, "symbolic link to a file that does not exist"),
        "loop": (loop, "loops"),
        "socket": (sock_path, "socket"),
        "device": (Path("/dev/zero"), "character device"),
    }


def test_reading_refuses_what_is_not_a_regular_file(odd_paths: dict[str, tuple[Path, str]]) -> None:
    for path, reason in odd_paths.values():
        with pytest.raises(FileRefused) as caught:
            read_regular_file(path)
        assert reason in str(caught.value.strerror), path


def test_reading_refuses_large_files_and_reads_small_ones(tmp_path: Path) -> None:
    big = tmp_path / "big.toml"
    big.write_bytes(b"#" * 2048)
    with pytest.raises(FileRefused, match="more than the 1 KB"):
        read_regular_file(big, limit=1024)
    assert read_regular_file(big, limit=4096) == b"#" * 2048
    with pytest.raises(FileNotFoundError):
        read_regular_file(tmp_path / "missing.toml")


def test_writing_refuses_what_is_not_a_regular_file(odd_paths: dict[str, tuple[Path, str]]) -> None:
    for name, (path, reason) in odd_paths.items():
        with pytest.raises(FileRefused) as caught:
            write_text_atomic(path, "x")
        assert reason in str(caught.value.strerror), name
    assert odd_paths["directory"][0].is_dir()
    assert odd_paths["dangling"][0].is_symlink()


def test_writing_through_a_link_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real.toml"
    real.write_text("old")
    link = tmp_path / "link.toml"
    link.symlink_to(real)
    assert check_write_target(link) == real.resolve()
    write_text_atomic(link, "new")
    assert link.is_symlink()
    assert real.read_text() == "new"
