from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from explorer.core.errors import ConfigError
from explorer.core.themes import load_theme_file, load_themes, parse_theme
from explorer.resources import themes_dir
from explorer.ui.highlighting import pygments_style_exists

MINIMAL = """
name = "mine"
[colors]
primary = "#123456"
"""


def test_minimal_theme_gets_defaults() -> None:
    spec = parse_theme(MINIMAL)
    assert spec.name == "mine"
    assert spec.dark is True
    assert spec.primary == "#123456"
    assert spec.pygments_style == "monokai"
    assert spec.colors() == {"primary": "#123456"}


def test_light_theme_defaults_to_a_light_pygments_style() -> None:
    spec = parse_theme(MINIMAL + "\n", path=None)
    light = parse_theme('name = "l"\ndark = false\n[colors]\nprimary = "#fff"\n')
    assert spec.pygments_style != light.pygments_style
    assert light.pygments_style == "friendly"


def test_name_defaults_to_file_stem(tmp_path: Path) -> None:
    path = tmp_path / "ocean.toml"
    path.write_text('[colors]\nprimary = "#0af"\n', encoding="utf-8")
    assert load_theme_file(path).name == "ocean"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('name = "x"\n[colors]\nprimary = "blue"\n', "colors.primary must be a hex colour"),
        ('name = "x"\n[colors]\nsecondary = "#fff"\n', "colors.primary is required"),
        ('name = "x"\n[colors]\nprimary = "#fff"\nshiny = "#000"\n', "unknown colour colors.shiny"),
        ('name = "x"\ncolour = 1\n[colors]\nprimary = "#fff"\n', "unknown key 'colour'"),
        ('name = "x"\ndark = "yes"\n[colors]\nprimary = "#fff"\n', "dark must be true or false"),
        ('name = "x"\npygments_style = "nope"\n[colors]\nprimary = "#fff"\n', "'nope' is not a Pygments style"),
        ('name = "x y"\n[colors]\nprimary = "#fff"\n', "name must be a word"),
        ('schema_version = 2\nname = "x"\n[colors]\nprimary = "#fff"\n', "schema_version 2"),
        ('name = "x"\n[colors]\nprimary = "#fff"\n[variables]\nBad_Name = "#fff"\n', "variables.Bad_Name"),
        ("name = \n", "invalid TOML"),
    ],
)
def test_invalid_themes_name_the_problem(text: str, fragment: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_theme(text, path=Path("broken.toml"), style_exists=pygments_style_exists)
    assert fragment in str(caught.value)
    assert "broken.toml" in str(caught.value)
    assert caught.value.title == "Theme error"


def test_load_themes_collects_every_failure(tmp_path: Path) -> None:
    (tmp_path / "good.toml").write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "bad1.toml").write_text("name = ", encoding="utf-8")
    (tmp_path / "bad2.toml").write_text('[colors]\nprimary = "red"\n', encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a theme", encoding="utf-8")
    loaded, failed = load_themes([tmp_path, tmp_path / "missing"])
    assert [t.name for t in loaded] == ["mine"]
    assert len(failed) == 2
    assert {Path(str(f).split(":")[0]).name for f in failed} == {"bad1.toml", "bad2.toml"}


def test_later_directory_overrides_a_theme_of_the_same_name(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    (first / "t.toml").write_text('name = "t"\n[colors]\nprimary = "#111"\n', encoding="utf-8")
    (second / "t.toml").write_text('name = "t"\n[colors]\nprimary = "#222"\n', encoding="utf-8")
    loaded, failed = load_themes([first, second])
    assert failed == []
    assert [t.primary for t in loaded] == ["#222"]


def test_shipped_themes_all_load() -> None:
    loaded, failed = load_themes([themes_dir()], style_exists=pygments_style_exists)
    assert failed == []
    names = {t.name for t in loaded}
    assert {"midnight", "paper", "forest"} <= names
    assert any(not t.dark for t in loaded), "at least one light theme ships"
    for theme in loaded:
        assert {"primary", "background", "surface", "panel", "foreground", "error"} <= set(theme.colors())


def test_themes_module_does_not_import_textual() -> None:
    code = "import sys, explorer.core.themes; print('textual' in sys.modules or 'rich' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
