"""The headless commands as a user runs them: real processes, a real sandbox, real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from explorer.sandbox import SandboxServer, sandbox_profiles_toml

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def config(tmp_path: Path, sandbox: SandboxServer) -> Path:
    path = tmp_path / "profiles.toml"
    path.write_text(sandbox_profiles_toml(sandbox))
    return path


def explorer(*args: str, config: Path | None = None, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if config is not None:
        env["EXPLORER_CONFIG"] = str(config)
    return subprocess.run(
        [sys.executable, "-m", "explorer", *args], capture_output=True, text=True, env=env, input=stdin, timeout=60
    )


def test_token_prints_state_and_raw_and_json(config: Path) -> None:
    shown = explorer("token", config=config)
    assert shown.returncode == 0, shown.stderr
    assert "valid, expires in 00:0" in shown.stdout
    assert "demo-sandbox" in shown.stdout and "Scopes" in shown.stdout
    raw = explorer("token", "--raw", config=config)
    assert raw.returncode == 0
    token = raw.stdout.strip()
    assert token.count(".") == 2 and "\n" not in token
    assert token not in shown.stdout  # the human view only shows it masked
    data = json.loads(explorer("token", "--json", config=config).stdout)
    assert data["from_cache"] is True  # the second and third calls reuse the cached token
    assert data["claims_unverified"]["azp"] == "explorer-demo"
    assert "access_token" not in data


def test_token_forget_then_fetch_again(config: Path, sandbox: SandboxServer) -> None:
    assert explorer("token", config=config).returncode == 0
    forgot = explorer("token", "--forget", config=config)
    assert forgot.returncode == 0 and "Forgot 1 cached token" in forgot.stdout
    before = sandbox.token_requests
    assert explorer("token", config=config).returncode == 0
    assert sandbox.token_requests == before + 1


def test_token_errors_are_one_line_exit_1(tmp_path: Path, sandbox: SandboxServer) -> None:
    path = tmp_path / "p.toml"
    path.write_text(
        f'[profiles.x]\ntenant = "demo-sandbox"\nclient_id = "explorer-demo"\nclient_secret = "wrong"\n'
        f'auth_url = "{sandbox.base_url}"\n'
    )
    result = explorer("token", config=path)
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if not line.startswith("explorer: warning")]
    assert len(lines) == 1 and lines[0].startswith("explorer: Token request failed:")
    assert "Traceback" not in result.stderr


def test_configuration_errors_exit_2(tmp_path: Path) -> None:
    missing = explorer("token", config=tmp_path / "none.toml")
    assert missing.returncode == 2 and "does not exist" in missing.stderr
    bad = tmp_path / "bad.toml"
    bad.write_text("[profiles.x\n")
    broken = explorer("token", config=bad)
    assert broken.returncode == 2 and "line 1" in broken.stderr
    env_secret = tmp_path / "env.toml"
    env_secret.write_text('[profiles.x]\ntenant = "t"\nclient_id = "c"\nclient_secret = "env:NOT_SET_ANYWHERE"\n')
    unset = explorer("token", config=env_secret)
    assert unset.returncode == 2 and "NOT_SET_ANYWHERE" in unset.stderr
    usage = explorer("run")
    assert usage.returncode == 2


def test_run_sample_collection_all_green_with_one_token_fetch(config: Path, sandbox: SandboxServer) -> None:
    explorer("token", "--forget", "--all", config=config)
    result = explorer("run", str(ROOT / "sample_requests" / "newstore.toml"), config=config)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "✗" not in result.stdout
    assert "1 token fetch." in result.stdout
    # Replaying creates fresh resources ({{$uuid}}) and reuses the cached token.
    again = explorer("run", str(ROOT / "sample_requests" / "newstore.toml"), config=config)
    assert again.returncode == 0, again.stdout
    assert "0 token fetches." in again.stdout


def test_run_reports_and_exit_1_on_a_failed_expectation(tmp_path: Path, config: Path) -> None:
    collection = tmp_path / "c.toml"
    collection.write_text(
        'schema_version = 1\nname = "Checks"\n'
        '[[requests]]\nname = "Stores"\nurl = "{{api_url}}/v0/stores"\n[requests.expect]\nstatus = 200\n'
        '[[requests]]\nname = "Missing"\nurl = "{{api_url}}/v0/stores/store-999"\n[requests.expect]\nstatus = 200\n'
    )
    report = tmp_path / "report.xml"
    result = explorer("run", str(collection), "--report", "junit", "--output", str(report), config=config)
    assert result.returncode == 1
    assert "✓ 200  Stores" in result.stdout and "✗ 404  Missing" in result.stdout
    suite = ET.parse(report).getroot()
    assert suite.get("tests") == "2" and suite.get("failures") == "1"
    as_json = explorer("run", str(collection), "--report", "json", "--request", "Stores", config=config)
    assert as_json.returncode == 0
    data = json.loads(as_json.stdout)
    assert data["passed"] == 1 and data["results"][0]["status"] == 200


def test_run_usage_errors_exit_2(tmp_path: Path, config: Path) -> None:
    collection = tmp_path / "c.toml"
    collection.write_text('schema_version = 1\nname = "C"\n[[requests]]\nname = "A"\nurl = "{{api_url}}/x/{{nope}}"\n')
    unknown_request = explorer("run", str(collection), "--request", "B", config=config)
    assert unknown_request.returncode == 2 and "No request named 'B'" in unknown_request.stderr
    bad = tmp_path / "bad.toml"
    bad.write_text('schema_version = 1\nname = "C"\n[[requests]]\nname = "A"\nmethod = "FETCH"\nurl = "x"\n')
    invalid = explorer("run", str(bad), config=config)
    assert invalid.returncode == 2 and "requests[0].method" in invalid.stderr


def test_unknown_variable_is_reported_without_sending(tmp_path: Path, config: Path) -> None:
    collection = tmp_path / "c.toml"
    collection.write_text('schema_version = 1\nname = "C"\n[[requests]]\nname = "A"\nurl = "{{api_url}}/x/{{nope}}"\n')
    result = explorer("run", str(collection), config=config)
    assert result.returncode == 1
    assert "Unknown variable" in result.stdout and "{{nope}}" in result.stdout


def test_secret_set_without_a_keyring_points_to_env(config: Path) -> None:
    result = explorer("secret", "set", "demo", config=config, stdin="s3cret\n")
    assert result.returncode == 2
    assert "No OS keyring" in result.stderr and "env:VAR" in result.stderr


def test_profiles_lists_stages(config: Path) -> None:
    result = explorer("profiles", config=config)
    assert result.returncode == 0
    assert "* demo-sandbox" in result.stdout and "production" in result.stdout


def test_help_and_token_raw_do_not_import_the_ui() -> None:
    code = (
        "import sys, runpy; sys.argv=['explorer','--help']\n"
        "try:\n    runpy.run_module('explorer', run_name='__main__')\nexcept SystemExit: pass\n"
        "print('LOADED', ' '.join(m for m in sys.modules if m.split('.')[0] in ('textual','rich','pygments')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout
    assert out.strip().endswith("LOADED")


def test_sandbox_print_profiles_needs_no_server_and_loads_without_warnings(tmp_path: Path) -> None:
    result = explorer("sandbox", "--port", "8765", "--print-profiles")
    assert result.returncode == 0
    path = tmp_path / "profiles.toml"
    path.write_text(result.stdout)
    listed = explorer("profiles", config=path)
    assert listed.returncode == 0 and "http://127.0.0.1:8765/api/demo-staging" in listed.stdout
    assert "warning" not in listed.stderr
