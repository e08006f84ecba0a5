"""What the numbers were measured on: CPU, cores, memory, OS, Python and the versions of the tools involved."""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any


def _first(path: str, key: str) -> str:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return ""


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _tool(*argv: str) -> str:
    if shutil.which(argv[0]) is None:
        return "not installed"
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return (done.stdout or done.stderr).strip().splitlines()[0] if (done.stdout or done.stderr) else "unknown"


def describe_machine() -> dict[str, Any]:
    mem_kb = _first("/proc/meminfo", "MemTotal").split()
    return {
        "cpu": _first("/proc/cpuinfo", "model name") or platform.processor() or "unknown",
        "cores": os.cpu_count(),
        "ram_gib": round(int(mem_kb[0]) / 1024 / 1024, 1) if mem_kb else None,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "python_executable": sys.executable,
        "explorer": _version("explorer"),
        "textual": _version("textual"),
        "httpx": _version("httpx"),
        "tmux": _tool("tmux", "-V"),
        "hyperfine": _tool("hyperfine", "--version"),
    }


def machine_line(machine: dict[str, Any]) -> str:
    parts = [
        f"{machine['cpu']}, {machine['cores']} cores, {machine['ram_gib']} GiB RAM",
        machine["os"],
        f"Python {machine['python']}",
        f"Textual {machine['textual']}",
        f"httpx {machine['httpx']}",
        machine["tmux"],
    ]
    if machine.get("posting"):
        parts.append(f"Posting {machine['posting']} (Textual {machine.get('posting_textual', '?')})")
    return "; ".join(parts)
