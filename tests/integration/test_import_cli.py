"""`explorer import`: writes a loadable collection, refuses to overwrite, adds --into, writes profiles."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.cli import main
from explorer.core.collections import load_collection
from explorer.core.profiles import load_profiles
from tests.core.importers.helpers import make_jwt

TOKEN = make_jwt(azp="acme-client", exp=1772323200, iss="https://id.p.newstore.net/auth/realms/acme-staging")
CURL = (
    "curl -X POST 'https://acme-staging.p.newstore.net/v0/d/orders' \\\n"
    f"  -H 'Authorization: Bearer {TOKEN}' \\\n"
    "  -H 'Content-Type: application/json' --data-raw '{\"id\": \"o-1\"}'\n"
    "curl -X POST https://id.p.newstore.net/auth/realms/acme-staging/protocol/openid-connect/token "
    "-d grant_type=client_credentials -d client_id=acme-client -d client_secret=s3cr3t\n"
)


def test_import_writes_collection_and_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "docs.sh"
    source.write_text(CURL)
    target = tmp_path / "out.toml"
    assert main(["import", str(source), "--output", str(target)]) == 0
    out = capsys.readouterr().out
    assert "Imported 1 request (curl)" in out
    assert "1 hard-coded token removed; it was a JWT for client acme-client, expired 2026-03-01" in out
    assert "explorer secret set acme-staging" in out
    text = target.read_text()
    assert TOKEN not in text and "s3cr3t" not in text and TOKEN not in out and "s3cr3t" not in out
    collection = load_collection(target)
    (spec,) = collection.requests
    assert (spec.method, spec.auth, spec.body) == ("POST", True, '{"id": "o-1"}')


def test_import_refuses_to_overwrite_then_force_or_into(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "a.sh"
    source.write_text("curl https://h/a\n")
    target = tmp_path / "out.toml"
    target.write_text('schema_version = 1\nname = "Mine"\n\n[[requests]]\nname = "GET /a"\nurl = "https://h/z"\n')
    assert main(["import", str(source), "--output", str(target)]) == 2
    assert "nothing was written" in capsys.readouterr().err
    assert main(["import", str(source), "--into", str(target)]) == 0
    names = [r.name for r in load_collection(target).requests]
    assert names == ["GET /a", "GET /a (2)"]
    assert main(["import", str(source), "--output", str(target), "--force"]) == 0
    assert [r.url for r in load_collection(target).requests] == ["https://h/a"]


def test_import_profiles_output_keeps_the_file(tmp_path: Path) -> None:
    source = tmp_path / "docs.sh"
    source.write_text(CURL)
    profiles = tmp_path / "profiles.toml"
    profiles.write_text('# my profiles\n[profiles.other]  # keep me\ntenant = "x"\nclient_id = "y"\n')
    assert main(["import", str(source), "-o", str(tmp_path / "c.toml"), "--profiles-output", str(profiles)]) == 0
    text = profiles.read_text()
    assert text.startswith('# my profiles\n[profiles.other]  # keep me\ntenant = "x"\nclient_id = "y"\n')
    config = load_profiles(profiles)
    assert config.profiles["acme-staging"].client_id == "acme-client"
    assert config.profiles["acme-staging"].secret_source == "keyring"
    assert "s3cr3t" not in text


def test_import_from_stdin_to_stdout(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("curl https://h/x -H 'A: b'\n"))
    assert main(["import", "-", "--output", "-"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("schema_version = 1\n")
    assert "Imported 1 request" in captured.err


def test_unknown_format_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "x.txt"
    source.write_text("hello\n")
    assert main(["import", str(source)]) == 2
    assert "Cannot tell what format" in capsys.readouterr().err
