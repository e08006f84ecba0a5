"""`explorer catalogue` and the scope doctor in `explorer run`, as a user runs them against the sandbox."""

from __future__ import annotations

import json
from pathlib import Path

from explorer.sandbox import SandboxServer, sandbox_profiles_toml
from tests.integration.test_cli import explorer


def read_only_profile(sandbox: SandboxServer, path: Path) -> Path:
    base = sandbox.base_url
    path.write_text(
        sandbox_profiles_toml(sandbox)
        + f"""
[profiles.reader]
tenant = "acme-sandbox"
client_id = "read-only"
client_secret = "read-only-secret"
auth_url = "{base}"
api_url = "{base}/api/acme-sandbox"
openapi = "{base}/api/acme-sandbox/swagger.json"
"""
    )
    return path


def test_catalogue_json_marks_what_the_token_lacks(tmp_path: Path, sandbox: SandboxServer) -> None:
    config = read_only_profile(sandbox, tmp_path / "profiles.toml")
    result = explorer("catalogue", "--profile", "reader", "--json", config=config)
    assert result.returncode == 0, result.stderr
    rows = {(row["method"], row["path"]): row for row in json.loads(result.stdout)}
    taxes = rows[("POST", "/api/v1/taxes/preview")]
    assert taxes["operation_id"] == "previewTaxes" and taxes["tags"] == ["Taxes"]
    assert taxes["scopes"] == ["taxes:preview"] and taxes["missing_scopes"] == ["taxes:preview"]
    assert rows[("GET", "/api/v1/orders/{order_id}")]["missing_scopes"] == []
    assert {"method", "path", "operation_id", "summary", "tags", "scopes", "missing_scopes"} <= set(taxes)


def test_catalogue_table_filter_and_the_demo_profile(tmp_path: Path, sandbox: SandboxServer) -> None:
    config = read_only_profile(sandbox, tmp_path / "profiles.toml")
    result = explorer("catalogue", "--filter", "orders", config=config)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "(OpenAPI 3.1.0): 2 of 20 operations" in lines[0]
    assert "Checked against the token of profile demo-sandbox" in lines[1]
    assert any("/api/v1/orders/{order_id}" in line and "[orders:read]" in line for line in lines)
    lacking = explorer("catalogue", "-p", "reader", "--filter", "profiles post", config=config).stdout
    assert "✗ POST    /api/v1/customer/profiles" in lacking and "[✗customer:profile:write]" in lacking


def test_catalogue_of_a_file_needs_no_profile(tmp_path: Path) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text("swagger: '2.0'\ninfo: {title: T}\npaths:\n  /a: {get: {summary: Aye}}\n  /b: {put: 3}\n")
    result = explorer("catalogue", "--spec", str(spec))
    assert result.returncode == 0, result.stderr
    assert "GET     /a  Aye" in result.stdout and "Scopes are not checked: no profile" in result.stdout
    assert "#/paths/~1b/put: skipped" in result.stderr
    missing = explorer("catalogue", "--spec", str(tmp_path / "none.yaml"))
    assert missing.returncode == 2 and "does not exist" in missing.stderr and "Traceback" not in missing.stderr
    nothing = explorer("catalogue", config=tmp_path / "nope.toml")
    assert nothing.returncode == 2 and "Traceback" not in nothing.stderr


def test_run_explains_a_403(tmp_path: Path, sandbox: SandboxServer) -> None:
    config = read_only_profile(sandbox, tmp_path / "profiles.toml")
    collection = tmp_path / "c.toml"
    collection.write_text(
        'schema_version = 1\nname = "c"\n\n[[requests]]\nname = "taxes"\nmethod = "POST"\n'
        'url = "{{api_url}}/api/v1/taxes/preview"\nbody = "{}"\ncontent_type = "application/json"\n'
        "[requests.expect]\nstatus = 200\n"
    )
    result = explorer("run", str(collection), "-p", "reader", "--report", "json", config=config)
    assert result.returncode == 1
    assert "403: the token lacks the scope taxes:preview." in result.stderr
    assert "Operation: POST /api/v1/taxes/preview" in result.stderr
    assert "Add taxes:preview to the API client read-only" in result.stderr
    report = json.loads(result.stdout)
    assert "Missing:   taxes:preview" in report["results"][0]["explanation"]
