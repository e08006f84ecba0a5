"""`explorer import SPEC`: an API description becomes a collection that replays against the sandbox."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from explorer.cli import main
from explorer.core.collections import load_collection
from explorer.core.importers import detect_format
from explorer.sandbox import SandboxServer, sandbox_profiles_toml


@pytest.mark.parametrize("name", ["openapi.json", "swagger.json"])
def test_the_sandbox_description_imports_and_replays(
    tmp_path: Path, sandbox: SandboxServer, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    spec = tmp_path / name
    spec.write_bytes(httpx.get(f"{sandbox.api_url_for('demo-sandbox')}/{name}").content)
    target = tmp_path / "api.toml"
    assert main(["import", str(spec), "--output", str(target)]) == 0
    out = capsys.readouterr().out
    assert "(openapi)" in out and "20 operation(s) in 8 folder(s)" in out
    collection = load_collection(target)
    assert collection.openapi == str(spec.resolve())
    by_name = {r.name: r for r in collection.requests}
    order = by_name["Get an order"]
    assert (order.method, order.url, order.folder) == ("GET", "{{api_url}}/api/v1/orders/{{order_id}}", "Orders")
    reserve = by_name["Reserve inventory at a store"]
    assert reserve.headers == {"Idempotency-Key": "{{$uuid}}"} and reserve.expect.status == 201
    assert '"location_id": "store-001"' in reserve.body and reserve.content_type == "application/json"
    assert by_name["Health check"].auth is False
    # The requests without path variables replay as they are, and meet their expectations.
    config = tmp_path / "profiles.toml"
    config.write_text(sandbox_profiles_toml(sandbox))
    # (Creating the example profile twice is a 409 on the shared sandbox: it runs in one of the two cases.)
    keep = [
        r
        for r in collection.requests
        if "{{" not in r.url.removeprefix("{{api_url}}") and (name == "openapi.json" or "profile" not in r.name)
    ]
    collection.requests = keep
    from explorer.core.collection_writer import save_collection

    save_collection(collection, target)
    assert main(["--config", str(config), "run", str(target)]) == 0, capsys.readouterr().out


def test_detects_openapi_before_other_formats() -> None:
    assert detect_format('{\n  "openapi": "3.1.0", "paths": {}}', "x.json").name == "openapi"
    assert detect_format("swagger: '2.0'\npaths: {}\n", "x.yaml").name == "openapi"
