"""The sandbox's parts on their own: fake data, the catalog export, the rate limiter, the clients table."""

from __future__ import annotations

import json
import time

import pytest

from explorer.sandbox import ALL_SCOPES, BUILTIN_CLIENTS
from explorer.sandbox.assets import ExportCache, build_catalog_export
from explorer.sandbox.data import generate_tenant_data
from explorer.sandbox.ratelimit import RateLimiter


def test_fake_data_depends_only_on_the_tenant() -> None:
    assert generate_tenant_data("acme") == generate_tenant_data("acme")
    assert generate_tenant_data("acme").profiles != generate_tenant_data("demo").profiles


def test_orders_refer_to_known_stores_products_and_customers() -> None:
    data = generate_tenant_data("demo")
    stores = {s["store_id"] for s in data.stores}
    products = {p["product_id"] for p in data.products}
    customers = {p["id"] for p in data.profiles}
    for order in data.orders:
        assert order["store_id"] in stores
        assert order["customer_id"] in customers
        assert {line["product_id"] for line in order["items"]} <= products
    assert [o["placed_at"] for o in data.orders] == sorted((o["placed_at"] for o in data.orders), reverse=True)


@pytest.mark.parametrize("size", [1024, 5000, 1000 * 283 + 300, 1024 * 1024, 7 * 1024 * 1024 + 17])
def test_catalog_export_size_and_shape(size: int) -> None:
    body = build_catalog_export("demo", size)
    document = json.loads(body)

    assert abs(len(body) - size) <= size * 0.1
    ids = [p["product_id"] for p in document["products"]]
    assert len(ids) == len(set(ids)) == document["count"]


def test_an_export_of_exactly_whole_chunks_is_valid_json() -> None:
    # Sizes around 1,000 products end a chunk exactly; the separators must still be right.
    for size in range(280_000, 300_000, 997):
        assert json.loads(build_catalog_export("demo", size))["count"] >= 1


def test_fifty_megabytes_build_quickly() -> None:
    started = time.perf_counter()
    body = build_catalog_export("bench", 50 * 1024 * 1024)
    assert time.perf_counter() - started < 2.0
    assert abs(len(body) - 50 * 1024 * 1024) < 1024


def test_the_export_cache_keeps_recent_sizes_within_its_budget() -> None:
    cache = ExportCache(max_bytes=300_000)
    first = cache.get("demo", 100_000)
    assert cache.get("demo", 100_000) is first
    cache.get("demo", 150_000)
    cache.get("demo", 120_000)
    assert cache.get("demo", 100_000) is not first  # evicted, built again


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_rate_limiter_bursts_then_refills() -> None:
    clock = Clock()
    limiter = RateLimiter(10, clock)  # bursts of 20

    assert [limiter.acquire("a") for _ in range(20)] == [None] * 20
    assert limiter.acquire("a") == 1
    assert limiter.acquire("b") is None
    clock.now += 0.1
    assert limiter.acquire("a") is None
    assert limiter.acquire("a") == 1


def test_a_slow_rate_waits_several_seconds() -> None:
    clock = Clock()
    limiter = RateLimiter(0.25, clock)  # one request every 4 s, bursts of 1

    assert limiter.acquire("a") is None
    assert limiter.acquire("a") == 4
    clock.now -= 50  # a clock that goes back neither refills nor breaks the bucket
    assert limiter.acquire("a") == 4
    clock.now += 54
    assert limiter.acquire("a") is None


def test_builtin_clients() -> None:
    clients = {c.client_id: c for c in BUILTIN_CLIENTS}

    assert clients["explorer-demo"].secret == "demo-secret"
    assert clients["explorer-demo"].scopes == ALL_SCOPES
    assert clients["legacy-client"].legacy
    assert not clients["no-service-account"].service_accounts_enabled
    assert clients["short-lived"].token_ttl == 5
