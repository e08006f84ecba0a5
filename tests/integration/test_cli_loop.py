"""`explorer run` with captures, expectations and pages, `--record`, and `explorer history`, as real processes."""

from __future__ import annotations

import json
import os
from pathlib import Path

from explorer.sandbox import DEMO_SECRET, SandboxServer
from tests.integration.test_cli import config, explorer  # noqa: F401  (the fixture is used by name)
from tests.integration.test_loop import CHAIN, PAGED


def test_run_chains_captures_and_records_history_without_the_token(tmp_path: Path, config: Path) -> None:  # noqa: F811
    collection = tmp_path / "loop.toml"
    collection.write_text(CHAIN + PAGED.split('name = "Pages"', 1)[1])
    ran = explorer("run", str(collection), "--record", "--report", "json", config=config)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    report = json.loads(ran.stdout)
    assert report["failed"] == 0 and report["results"][0]["captured"]["order_id"]
    assert report["results"][2]["pages"] == 3 and report["results"][2]["items"] == 24
    assert "3 pages combined: 24 items" in ran.stderr

    listed = explorer("history", "--json", config=config)
    entries = json.loads(listed.stdout)
    assert [e["name"] for e in entries][:2] == ["Two pages only", "All products"]
    assert entries[-1]["name"] == "List orders" and entries[-1]["profile"] == "demo-sandbox"
    assert entries[-1]["stage"] and entries[-1]["status"] == 200
    lines = explorer("history", "--limit", "2", config=config).stdout.splitlines()
    assert len(lines) == 2 and "GET" in lines[0] and "catalog/products" in lines[0]

    token = explorer("token", "--raw", config=config).stdout.strip()
    data_dir = Path(os.environ["XDG_DATA_HOME"]) / "explorer"
    raw = b"".join(p.read_bytes() for p in data_dir.iterdir())
    assert token and token.encode() not in raw and DEMO_SECRET.encode() not in raw

    cleared = explorer("history", "--clear", config=config)
    assert cleared.returncode == 0 and "Cleared 6 entries" in cleared.stdout
    assert json.loads(explorer("history", "--json", config=config).stdout) == []


def test_a_failed_expectation_prints_the_actual_value(tmp_path: Path, config: Path) -> None:  # noqa: F811
    collection = tmp_path / "loop.toml"
    collection.write_text(CHAIN.replace("status = [200, 203]", 'status = "4xx"'))
    ran = explorer("run", str(collection), config=config)
    assert ran.returncode == 1
    assert "status: expected 4xx, got 200 OK" in ran.stdout


def test_history_off_in_settings_records_nothing(tmp_path: Path, config: Path) -> None:  # noqa: F811
    settings = Path(os.environ["XDG_CONFIG_HOME"]) / "explorer" / "settings.toml"
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text("schema_version = 1\nhistory = false\n")
    collection = tmp_path / "loop.toml"
    collection.write_text(CHAIN)
    ran = explorer("run", str(collection), "--record", config=config)
    assert ran.returncode == 0 and "history is turned off" in ran.stderr
    assert not (Path(os.environ["XDG_DATA_HOME"]) / "explorer" / "history.sqlite3").exists()


def test_bad_jq_in_a_collection_is_one_line_exit_2(tmp_path: Path, config: Path, sandbox: SandboxServer) -> None:  # noqa: F811
    collection = tmp_path / "loop.toml"
    collection.write_text(CHAIN.replace('".items | length > 0"', '".items | length >"'))
    ran = explorer("run", str(collection), config=config)
    assert ran.returncode == 2
    assert "key requests[0].expect.jq[0]: '.items | length >' is not a valid jq expression" in ran.stderr
