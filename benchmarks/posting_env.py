"""Posting, the app explorer is compared with, in a venv of its own: benchmarks/.posting-venv.

Created on first use with `python -m venv` and `pip install posting "tree-sitter<0.26"` (newer tree-sitter
releases crash Posting on Python 3.11); later runs reuse it. Posting needs the bearer token in its saved request,
so the harness fetches one from the sandbox with the same public test client explorer's profiles use.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx

VENV = Path(__file__).with_name(".posting-venv")
REQUIREMENTS = ("posting", "tree-sitter<0.26")


def posting_executable(*, install: bool = True, log: Path | None = None) -> str:
    """The `posting` script in the venv, creating the venv first when it is missing."""
    script = VENV / "bin" / "posting"
    if script.exists():
        return str(script)
    if not install:
        raise RuntimeError(f"Posting is not installed in {VENV}")
    print(f"Installing Posting into {VENV} (once) …", flush=True)
    out = log.open("w") if log is not None else subprocess.DEVNULL
    try:
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True, stdout=out, stderr=out, timeout=300)
        pip = [str(VENV / "bin" / "python"), "-m", "pip", "install", "--disable-pip-version-check", *REQUIREMENTS]
        subprocess.run(pip, check=True, stdout=out, stderr=out, timeout=900)
    finally:
        if log is not None and not isinstance(out, int):
            out.close()
    if not script.exists():
        raise RuntimeError(f"pip did not install a posting script into {VENV}")
    return str(script)


def fetch_token(token_url: str, client_id: str = "explorer-demo", client_secret: str = "demo-secret") -> str:
    """A client-credentials token from the sandbox (its public test client)."""
    data = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": client_secret}
    answer = httpx.post(token_url, data=data, timeout=30)
    answer.raise_for_status()
    return str(answer.json()["access_token"])
