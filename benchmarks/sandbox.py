"""Start and stop the sandbox process (benchmarks/sandbox_proc.py) and ask it how many tokens it issued."""

from __future__ import annotations

import selectors
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

SCRIPT = Path(__file__).with_name("sandbox_proc.py")
DEMO_TENANT = "demo-sandbox"


class SandboxProcess:
    """A sandbox in a child process. `profiles` is the profiles file it writes for its demo tenants."""

    def __init__(self, workdir: Path, *, python: str = sys.executable) -> None:
        self.python = python
        self.profiles = workdir / "profiles.toml"
        self.log = workdir / "sandbox.log"
        self.base_url = ""
        self._proc: subprocess.Popen[str] | None = None

    def start(self, timeout: float = 30.0) -> SandboxProcess:
        with self.log.open("w") as log:
            self._proc = subprocess.Popen(
                [self.python, str(SCRIPT), str(self.profiles)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                text=True,
                bufsize=1,
            )
        line = self._read_line(timeout)
        if not line.startswith("READY "):
            self.stop()
            raise RuntimeError(f"the sandbox did not start: {line!r} (see {self.log})")
        self.base_url = line.split(" ", 1)[1]
        return self

    def api_url(self, tenant: str = DEMO_TENANT) -> str:
        """The tenant's API URL, as in a profile's `api_url`."""
        return f"{self.base_url}/api/{tenant}"

    def token_url(self, tenant: str = DEMO_TENANT) -> str:
        return f"{self.base_url}/auth/realms/{tenant}/protocol/openid-connect/token"

    def token_requests(self, timeout: float = 10.0) -> int:
        """Requests that have reached a token endpoint since the sandbox started."""
        proc = self._running()
        assert proc.stdin is not None
        proc.stdin.write("tokens\n")
        proc.stdin.flush()
        line = self._read_line(timeout)
        if not line.startswith("TOKENS "):
            raise RuntimeError(f"unexpected answer from the sandbox: {line!r}")
        return int(line.split()[1])

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        try:
            if proc.stdin is not None:
                proc.stdin.write("quit\n")
                proc.stdin.close()
        except OSError:
            pass
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()

    def __enter__(self) -> SandboxProcess:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def _running(self) -> subprocess.Popen[str]:
        if self._proc is None:
            raise RuntimeError("the sandbox is not running")
        return self._proc

    def _read_line(self, timeout: float) -> str:
        proc = self._running()
        assert proc.stdout is not None
        deadline = time.monotonic() + timeout
        with selectors.DefaultSelector() as selector:
            selector.register(proc.stdout, selectors.EVENT_READ)
            while time.monotonic() < deadline:
                if selector.select(timeout=max(0.0, deadline - time.monotonic())):
                    return proc.stdout.readline().strip()
                if proc.poll() is not None:
                    break
        raise RuntimeError(f"no answer from the sandbox within {timeout:.0f} s (see {self.log})")
