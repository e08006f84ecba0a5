"""The ordinary Unix manners and the last resort: a closed pipe, Ctrl-C, a full disk, a bug; files that are not
files; a token that must not reach a shell. Real processes, with and without a pseudo-terminal."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from explorer.cli import main
from explorer.sandbox import SandboxServer, sandbox_profiles_toml
from tests.hostile_server import HostileServer, assert_clean, hostile_profiles_toml


@pytest.fixture
def config(tmp_path: Path, sandbox: SandboxServer) -> Path:
    path = tmp_path / "profiles.toml"
    path.write_text(sandbox_profiles_toml(sandbox))
    return path


def run(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "explorer", *args],
        capture_output=True,
        text=True,
        timeout=60,
        **kwargs,  # type: ignore[call-overload]
    )


def test_a_closed_pipe_ends_quietly(config: Path) -> None:
    # `explorer profiles | head -c0`: the reader is gone before the first write lands.
    proc = subprocess.Popen(
        [sys.executable, "-m", "explorer", "--config", str(config), "token", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) in (0, 141), err
    assert err == "", err


def test_a_full_disk_is_one_line(config: Path) -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "explorer", "--config", str(config), "token", "--json"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1, done.stderr
    assert "No space left on device" in done.stderr
    assert_clean(done.stderr)


def test_ctrl_c_ends_with_130_and_no_traceback(tmp_path: Path, hostile: HostileServer) -> None:
    config = tmp_path / "profiles.toml"
    config.write_text(hostile_profiles_toml(hostile, ["drip"], extra="timeout = 60\n"))
    pid, fd = pty.fork()
    if pid == 0:  # the child: explorer on a terminal, waiting on a server that drips
        os.execv(sys.executable, [sys.executable, "-m", "explorer", "--config", str(config), "token"])
    try:
        time.sleep(1.5)
        os.kill(pid, signal.SIGINT)
        output = _read_all(fd, timeout=20)
        _, status = os.waitpid(pid, 0)
    finally:
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 130, output
    assert "interrupted" in output
    assert_clean(output.replace("\r\n", "\n"))


def test_the_last_resort_is_one_line_and_says_bug(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(args: object) -> int:
        raise ZeroDivisionError("division by zero \x1b[2J")

    monkeypatch.setattr("explorer.cli.profiles.profiles_command", broken)
    monkeypatch.setattr("explorer.cli.output.quiet_background_noise", lambda: None)
    monkeypatch.delenv("EXPLORER_DEBUG", raising=False)
    assert main(["profiles"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "this is a bug" in err and "ZeroDivisionError" in err
    assert_clean(err)
    monkeypatch.setenv("EXPLORER_DEBUG", "1")
    assert main(["profiles"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" in err and err.rstrip().endswith(")")  # the details only when asked for


@pytest.mark.parametrize("kind", ["fifo", "directory", "device", "dangling", "loop", "large"])
def test_files_that_are_not_files_are_refused_at_once(tmp_path: Path, config: Path, kind: str) -> None:
    path = tmp_path / f"{kind}.toml"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "directory":
        path.mkdir()
    elif kind == "device":
        path = Path("/dev/zero")
    elif kind == "dangling":
        path.symlink_to(tmp_path / "nowhere")
    elif kind == "loop":
        path.symlink_to(path)
    else:
        path.write_bytes(b"#" * (11 * 1024 * 1024))
    for args in (["--config", str(path), "profiles"], ["--config", str(config), "run", str(path)]):
        done = run(*args)
        assert done.returncode == 2, done.stderr
        assert str(path) in done.stderr and done.stderr.count("\n") == 1, done.stderr
        assert_clean(done.stderr)


def test_a_report_never_replaces_what_is_not_a_regular_file(tmp_path: Path, config: Path) -> None:
    collection = tmp_path / "c.toml"
    collection.write_text('schema_version = 1\n[[requests]]\nname = "r"\nurl = "{{api_url}}/v0/stores"\n')
    for target in ("/dev/null", str(tmp_path), str(collection), str(config)):
        before = Path(target).stat()
        done = run("--config", str(config), "run", str(collection), "--report", "junit", "-o", target)
        assert done.returncode == 2, done.stderr
        assert done.stderr.count("\n") == 1, done.stderr
        after = Path(target).stat()
        assert (before.st_ino, before.st_mode, before.st_size) == (after.st_ino, after.st_mode, after.st_size)


def test_raw_never_prints_a_token_a_shell_could_paste_into_a_header(tmp_path: Path, hostile: HostileServer) -> None:
    config = tmp_path / "profiles.toml"
    config.write_text(hostile_profiles_toml(hostile, ["token-crlf", "ok"]))
    bad = run("--config", str(config), "-p", "token-crlf", "token", "--raw")
    assert bad.returncode == 2 and bad.stdout == ""
    assert "Bearer token cannot hold" in bad.stderr and "X-Injected" not in bad.stderr
    good = run("--config", str(config), "-p", "ok", "token", "--raw")
    assert good.returncode == 0 and good.stdout == "hostile-good-token-0123456789\n"


def test_argument_errors_show_escapes(config: Path) -> None:
    done = run("--config", str(config), "token", "\x1b]0;owned\x07")
    assert done.returncode == 2
    assert "\\x1b]0;owned\\x07" in done.stderr
    assert_clean(done.stderr)


def test_server_text_never_reaches_the_terminal(tmp_path: Path, hostile: HostileServer) -> None:
    config = tmp_path / "profiles.toml"
    config.write_text(hostile_profiles_toml(hostile, ["error-esc", "jwt-esc"]))
    for name in ("error-esc", "jwt-esc"):
        pid, fd = pty.fork()
        if pid == 0:
            env = dict(os.environ, EXPLORER_TOKEN_CACHE="off")
            os.execve(
                sys.executable, [sys.executable, "-m", "explorer", "--config", str(config), "-p", name, "token"], env
            )
        try:
            output = _read_all(fd, timeout=30)
            os.waitpid(pid, 0)
        finally:
            os.close(fd)
        assert "\\x1b" in output, output  # shown, escaped
        assert_clean(output.replace("\r\n", "\n"))


def _read_all(fd: int, timeout: float) -> str:
    chunks: list[bytes] = []
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if not ready:
            continue
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    return b"".join(chunks).decode("utf-8", "replace")
