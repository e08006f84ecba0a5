"""Where the data shipped with explorer lives: the bundled themes and the sample collection.

An installed wheel carries them inside the package as `explorer/_data/themes` and
`explorer/_data/sample_requests`; a source checkout (or an editable install) has them at the repository root,
next to the package.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

SAMPLE_COLLECTION = "newstore.toml"


def data_dir(name: str) -> Path:
    """The directory of shipped data called `name` ("themes", "sample_requests"); it may not exist."""
    packaged = files("explorer") / "_data" / name
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / name


def themes_dir() -> Path:
    return data_dir("themes")


def sample_collection_path() -> Path:
    return data_dir("sample_requests") / SAMPLE_COLLECTION
