"""Where an API description is: a URL as it is, a path made absolute against the file that named it.

Apart from the reader so that loading a profiles file that names a description does not load the reader.
"""

from __future__ import annotations

from pathlib import Path


def is_url(location: str) -> bool:
    return location.startswith(("http://", "https://"))


def resolve_location(location: str, relative_to: Path | None) -> str:
    """A URL as it is; a path made absolute against the file that named it (profiles file or collection)."""
    location = location.strip()
    if not location or is_url(location):
        return location
    path = Path(location).expanduser()
    if not path.is_absolute() and relative_to is not None:
        path = relative_to.parent / path
    return str(path)
