"""Where a profile or a collection says its API description is."""

from __future__ import annotations

from pathlib import Path

from explorer.core.collection_writer import dumps_collection
from explorer.core.collections import load_collection, loads_collection
from explorer.core.profiles import load_profiles


def test_profile_openapi_url_or_path_relative_to_the_profiles_file(tmp_path: Path) -> None:
    path = tmp_path / "conf" / "profiles.toml"
    path.parent.mkdir()
    path.write_text(
        '[profiles.a]\ntenant = "acme"\nclient_id = "c"\nopenapi = "https://x/swagger.json"\n'
        '[profiles.b]\ntenant = "acme"\nclient_id = "c"\nopenapi = "specs/api.yaml"\n'
        '[profiles.c]\ntenant = "acme"\nclient_id = "c"\n'
    )
    config = load_profiles(path)
    assert config.profiles["a"].openapi == "https://x/swagger.json"
    assert config.profiles["b"].openapi == str(tmp_path / "conf" / "specs" / "api.yaml")
    assert config.profiles["c"].openapi == ""


def test_collection_openapi_round_trips(tmp_path: Path) -> None:
    text = 'schema_version = 1\nname = "c"\nopenapi = "api.json"\n\n[[requests]]\nname = "r"\nurl = "{{api_url}}/x"\n'
    collection = loads_collection(text)
    assert collection.openapi == "api.json"
    again = tmp_path / "c.toml"
    again.write_text(dumps_collection(collection))
    assert load_collection(again).openapi == "api.json"
    assert 'openapi = "api.json"' in again.read_text()
