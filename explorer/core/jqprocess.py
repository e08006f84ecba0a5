"""jq filters for the viewer, run in a child process so the app's interpreter never waits on them.

libjq releases the interpreter lock for most of a run, but not for all of it: building the parsed document and
handing results back hold it, and on a body of megabytes that stalls every keystroke for hundreds of
milliseconds. A child process has its own interpreter, so the app's threads only wait on a pipe. It also makes a
filter truly cancellable: libjq cannot be interrupted, a process can be ended.

The child is started on the first filter and kept for the next ones (starting Python and libjq is most of a small
filter's time); a cancelled filter ends it, and the next filter starts a new one. If the app goes away, the child
reads the end of its input and exits.

The exchange, one filter at a time: the app writes a JSON header line (`expression`, `limit`, `size`) and `size`
bytes of body; the child answers a JSON header line (`ok`, `count`, `size`, or `message`, `hint`) and `size`
bytes of the rendered result.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from typing import IO, Any

from explorer.core.jqfilter import MAX_RESULTS, FilterError


class JqProcess:
    """A child process that filters bodies with jq; `run` from one thread at a time, `cancel` from any."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None
        self._busy = threading.Lock()
        self._state = threading.Lock()
        self._cancelled = False
        # Who is running now: `cancel(owner)` only ends the child for the filter that asked for it.
        self._owner: object = None

    def run(
        self, expression: str, body: bytes, *, limit: int = MAX_RESULTS, owner: object = None
    ) -> tuple[int, bytes] | None:
        """(the number of results, the results rendered as jq prints them), or None when cancelled.

        Raises `FilterError` (the expression's or the body's fault, as jq says, or the child failing).
        """
        with self._busy:
            with self._state:
                self._cancelled = False
                self._owner = owner
                process = self._process
                if process is not None and process.poll() is not None:
                    self._discard(process)
                    process = None
                if process is None:
                    process = self._process = _start()
            header = {"expression": expression, "limit": limit, "size": len(body)}
            try:
                stdin, stdout = _pipes(process)
                stdin.write(json.dumps(header).encode("utf-8") + b"\n")
                stdin.write(body)
                stdin.flush()
                reply = json.loads(stdout.readline() or b"null")
                data = _read_exactly(stdout, int(reply["size"])) if isinstance(reply, dict) else b""
            except (OSError, ValueError, KeyError, TypeError):
                reply, data = None, b""
            with self._state:
                if self._cancelled:
                    self._discard(process)
                    return None
                if not isinstance(reply, dict) or len(data) != int(reply.get("size", -1)):
                    _kill(process)
                    self._discard(process)
                    raise FilterError(
                        "The jq process stopped before it answered.",
                        expression=expression,
                        hint="Run the filter again; if it keeps failing, the body may be too large for memory.",
                    )
            if not reply.get("ok"):
                raise FilterError(
                    str(reply.get("message", "jq failed.")), expression=expression, hint=str(reply.get("hint", ""))
                )
            return int(reply.get("count", 0)), data

    def cancel(self, owner: object = None) -> None:
        """Abandon the filter running now for `owner` (its `run` returns None); the next one starts a new child.

        Only ends the child: the thread in `run` sees its pipe close and cleans up (closing a pipe another thread
        is reading would wait for that read).
        """
        with self._state:
            if self._process is not None and self._busy.locked() and self._owner is owner:
                self._cancelled = True
                _kill(self._process)

    def close(self) -> None:
        """End the child (the app calls it on its way out)."""
        with self._state:
            process = self._process
            if process is None:
                return
            self._cancelled = True
            _kill(process)
            if not self._busy.locked():
                self._discard(process)

    def _discard(self, process: subprocess.Popen[bytes]) -> None:
        process.wait()
        for pipe in (process.stdin, process.stdout):
            if pipe is not None:
                pipe.close()
        if self._process is process:
            self._process = None


def _kill(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.kill()


def _start() -> subprocess.Popen[bytes]:
    try:
        return subprocess.Popen(
            [sys.executable, "-m", "explorer.core.jqprocess"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
    except OSError as exc:
        raise FilterError(f"The jq process cannot be started: {exc.strerror or exc}.") from None


def _pipes(process: subprocess.Popen[bytes]) -> tuple[IO[bytes], IO[bytes]]:
    if process.stdin is None or process.stdout is None:
        raise OSError("no pipes")
    return process.stdin, process.stdout


def _read_exactly(stream: IO[bytes], size: int) -> bytes:
    chunks: list[bytes] = []
    left = size
    while left > 0:
        chunk = stream.read(left)
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _answer(header: dict[str, Any], body: bytes) -> tuple[dict[str, Any], bytes]:
    from explorer.core.jqfilter import render
    from explorer.core.jqfilter import run as run_filter

    try:
        results = run_filter(str(header["expression"]), body, limit=int(header.get("limit", MAX_RESULTS)))
    except FilterError as exc:
        return {"ok": False, "message": exc.message, "hint": exc.hint, "size": 0}, b""
    except MemoryError:
        return {"ok": False, "message": "The body is too large to filter in the memory available.", "size": 0}, b""
    text = render(results).encode("utf-8")
    return {"ok": True, "count": len(results), "size": len(text)}, text


def serve(stdin: IO[bytes], stdout: IO[bytes]) -> None:
    """The child's side: answer filters until the input ends."""
    while True:
        line = stdin.readline()
        if not line:
            return
        header = json.loads(line)
        body = _read_exactly(stdin, int(header["size"]))
        reply, text = _answer(header, body)
        stdout.write(json.dumps(reply).encode("utf-8") + b"\n")
        stdout.write(text)
        stdout.flush()


if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)
