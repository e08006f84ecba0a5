"""The sandbox tenant API's endpoints: pagination, filters, writes, idempotency, taxes, exports, other media."""

from __future__ import annotations

import json
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from explorer.sandbox import SandboxServer


@pytest.fixture
def api(sandbox: SandboxServer, get_token: Any) -> Iterator[httpx.Client]:
    """A client on a fresh tenant of the session sandbox, with a token holding every scope."""
    token = get_token(sandbox, "acme-staging")
    with httpx.Client(
        base_url=sandbox.api_url_for("acme-staging"), headers={"Authorization": f"Bearer {token}"}, timeout=10
    ) as client:
        yield client


def problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    return body


def test_stores_page_with_offset_and_count(api: httpx.Client) -> None:
    first = api.get("/v0/stores", params={"count": 10}).json()
    last = api.get("/v0/stores", params={"offset": 20, "count": 10}).json()
    beyond = api.get("/v0/stores", params={"offset": 500}).json()

    assert first["pagination_info"] == {"offset": 0, "count": 10, "total": 24}
    assert [s["store_id"] for s in first["items"]] == [f"store-{n:03d}" for n in range(1, 11)]
    assert len(last["items"]) == 4
    assert beyond["items"] == []


@pytest.mark.parametrize("query", [{"count": "0"}, {"count": "101"}, {"count": "ten"}, {"offset": "-1"}])
def test_bad_paging_parameters_are_400(api: httpx.Client, query: dict[str, str]) -> None:
    assert "must be an integer" in problem(api.get("/v0/stores", params=query), 400)["detail"]


def test_a_store_and_its_receipt(api: httpx.Client) -> None:
    store = api.get("/v0/stores/store-003").json()
    receipt = api.get("/v0/stores/store-003/receipt.xml")

    assert store["store_id"] == "store-003"
    assert receipt.headers["content-type"].startswith("application/xml")
    assert ET.fromstring(receipt.content).attrib["store_id"] == "store-003"
    problem(api.get("/v0/stores/store-999"), 404)


def test_data_is_the_same_on_every_server(api: httpx.Client, get_token: Any) -> None:
    with SandboxServer(rate_limit=None) as other:
        token = get_token(other, "acme-staging")
        theirs = httpx.get(
            f"{other.api_url_for('acme-staging')}/api/v1/orders", headers={"Authorization": f"Bearer {token}"}
        )
    assert theirs.json() == api.get("/api/v1/orders").json()


def test_orders_filter_by_status(api: httpx.Client) -> None:
    page = api.get("/api/v1/orders", params={"status": "cancelled", "count": 100}).json()

    assert page["items"]
    assert {o["status"] for o in page["items"]} == {"cancelled"}
    assert page["pagination_info"]["total"] < 300
    order = api.get(f"/api/v1/orders/{page['items'][0]['order_id']}").json()
    assert order == page["items"][0]
    problem(api.get("/api/v1/orders", params={"status": "lost"}), 400)
    problem(api.get("/api/v1/orders/ord-999999"), 404)


def test_create_a_profile_then_find_it(api: httpx.Client) -> None:
    email = f"new.{uuid.uuid4().hex[:8]}@example.com"
    created = api.post("/api/v1/customer/profiles", json={"email": email, "first_name": "Nia"})

    assert created.status_code == 201
    location = created.headers["location"]
    assert location.startswith(f"{str(api.base_url).rstrip('/')}/api/v1/customer/profiles/")
    assert httpx.get(location, headers=api.headers).json() == created.json()
    found = api.get("/api/v1/customer/profiles", params={"email": email.upper()}).json()
    assert [p["email"] for p in found["items"]] == [email]
    assert found["pagination_info"]["total"] == 1
    duplicate = api.post("/api/v1/customer/profiles", json={"email": email})
    problem(duplicate, 409)


@pytest.mark.parametrize(
    ("body", "field"),
    [({"first_name": "Nia"}, "email"), ({"email": "not-an-email"}, "email"), ({"email": "a@b.co", "x": 1}, "x")],
)
def test_profile_validation_is_422_with_errors(api: httpx.Client, body: dict[str, Any], field: str) -> None:
    response = api.post("/api/v1/customer/profiles", json=body)
    assert field in [e["field"] for e in problem(response, 422)["errors"]]


def test_a_body_that_is_not_json_is_400(api: httpx.Client) -> None:
    response = api.post(
        "/api/v1/customer/profiles", content=b"{email: nope", headers={"Content-Type": "application/json"}
    )
    problem(response, 400)
    problem(api.post("/api/v1/customer/profiles", content=b"email=x", headers={"Content-Type": "text/plain"}), 415)


RESERVATION = {"location_id": "store-001", "items": [{"product_id": "prod-0001", "quantity": 2}]}


def test_reservations_require_an_idempotency_key(api: httpx.Client) -> None:
    response = api.post("/api/v1/inventory/reservations", json=RESERVATION)
    assert "Idempotency-Key" in problem(response, 400)["detail"]


def test_the_same_key_and_body_replay_the_first_answer(api: httpx.Client) -> None:
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = api.post("/api/v1/inventory/reservations", json=RESERVATION, headers=key)
    # The same JSON written differently is the same body.
    same = json.dumps(RESERVATION, indent=2).encode()
    replay = api.post(
        "/api/v1/inventory/reservations", content=same, headers={**key, "Content-Type": "application/json"}
    )
    changed = api.post("/api/v1/inventory/reservations", json={**RESERVATION, "location_id": "store-002"}, headers=key)

    assert first.status_code == 201
    assert "idempotent-replayed" not in first.headers
    assert replay.status_code == 201
    assert replay.headers["idempotent-replayed"] == "true"
    assert replay.json() == first.json()
    assert problem(changed, 422)["title"] == "Idempotency-Key Reused"


def test_an_invalid_reservation_does_not_use_up_its_key(api: httpx.Client) -> None:
    key = {"Idempotency-Key": str(uuid.uuid4())}
    bad = api.post("/api/v1/inventory/reservations", json={"location_id": "nowhere", "items": []}, headers=key)
    good = api.post("/api/v1/inventory/reservations", json=RESERVATION, headers=key)

    fields = {e["field"] for e in problem(bad, 422)["errors"]}
    assert fields == {"location_id", "items"}
    assert good.status_code == 201


def test_tax_preview_computes_lines(api: httpx.Client) -> None:
    body = {
        "currency": "USD",
        "shipping_address": {"country_code": "US", "state": "NY", "zip_code": "10013"},
        "line_items": [{"id": "a", "quantity": 2, "unit_price": 29.0}, {"id": "b", "quantity": 1, "unit_price": 79.99}],
    }
    preview = api.post("/api/v1/taxes/preview", json=body).json()

    assert preview["jurisdiction"] == "US-NY"
    assert [line["tax_amount"] for line in preview["tax_lines"]] == [5.15, 7.10]
    assert preview["subtotal"] == 137.99
    assert preview["total_tax"] == 12.25
    assert preview["total"] == 150.24
    problem(api.post("/api/v1/taxes/preview", json={"line_items": []}), 422)


def test_audit_events_walk_every_page_by_cursor(api: httpx.Client) -> None:
    seen: list[str] = []
    cursor: str | None = None
    for _ in range(10):
        params = {"limit": 200, **({"cursor": cursor} if cursor else {})}
        page = api.get("/api/v1/audit/events", params=params).json()
        seen += [e["event_id"] for e in page["events"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break

    assert len(seen) == len(set(seen)) == 480
    assert seen[0] == "evt-000480"
    problem(api.get("/api/v1/audit/events", params={"cursor": "garbage"}), 400)


@pytest.mark.parametrize("query", [{"size_kb": 1}, {"size_kb": 300}, {"size_mb": 2}, {}])
def test_catalog_export_has_the_size_asked(api: httpx.Client, query: dict[str, int]) -> None:
    asked = query.get("size_kb", 64) * 1024 if "size_mb" not in query else query["size_mb"] * 1024 * 1024
    response = api.get("/api/v1/catalog/export", params=query)

    assert response.status_code == 200
    assert abs(len(response.content) - asked) <= asked * 0.1
    document = response.json()
    assert document["count"] == len(document["products"]) >= 1


@pytest.mark.parametrize("query", [{"size_kb": 1, "size_mb": 1}, {"size_mb": 101}, {"size_kb": 0}])
def test_catalog_export_refuses_odd_sizes(api: httpx.Client, query: dict[str, int]) -> None:
    problem(api.get("/api/v1/catalog/export", params=query), 400)


def test_logo_is_a_png(api: httpx.Client) -> None:
    response = api.get("/api/v1/assets/logo.png")

    assert response.headers["content-type"] == "image/png"
    assert response.content.startswith(b"\x89PNG\r\n\x1a\n")
