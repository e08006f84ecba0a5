"""The sandbox's clients table, its scopes and the deterministic fake data of a tenant.

Every realm of the sandbox registers the same clients. A tenant's stores, products, customer profiles, orders and
audit events come from a `random.Random` seeded with the tenant's name, so two runs (and two servers) always
serve the same data for the same tenant.
"""

from __future__ import annotations

import random
import uuid
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

JSON = dict[str, Any]

SCOPE_STORES_READ = "stores:read"
SCOPE_PROFILES_READ = "customer:profile:read"
SCOPE_PROFILES_WRITE = "customer:profile:write"
SCOPE_ORDERS_READ = "orders:read"
SCOPE_RESERVATIONS_WRITE = "inventory:reservations:write"
SCOPE_TAXES_PREVIEW = "taxes:preview"
SCOPE_AUDIT_READ = "audit:events:read"
SCOPE_CATALOG_READ = "catalog:read"

ALL_SCOPES: tuple[str, ...] = (
    SCOPE_STORES_READ,
    SCOPE_PROFILES_READ,
    SCOPE_PROFILES_WRITE,
    SCOPE_ORDERS_READ,
    SCOPE_RESERVATIONS_WRITE,
    SCOPE_TAXES_PREVIEW,
    SCOPE_AUDIT_READ,
    SCOPE_CATALOG_READ,
)
READ_SCOPES: tuple[str, ...] = tuple(s for s in ALL_SCOPES if s.endswith(":read"))

DEFAULT_TENANTS: tuple[str, ...] = (
    "demo-sandbox",
    "demo-staging",
    "demo",
    "acme-sandbox",
    "acme-staging",
    "acme",
)


@dataclass(frozen=True)
class SandboxClient:
    """A confidential client registered in every realm of the sandbox.

    `scopes` lists every scope the client may be granted; a client without scopes is a legacy client, which
    only the `/v0/...` endpoints accept. `token_ttl` overrides the server's token lifetime for this client.
    """

    client_id: str
    secret: str
    scopes: tuple[str, ...]
    service_accounts_enabled: bool = True
    token_ttl: int | None = None

    @property
    def legacy(self) -> bool:
        """True for a client without scopes."""
        return not self.scopes


DEMO_CLIENT_ID = "explorer-demo"
DEMO_SECRET = "demo-secret"

BUILTIN_CLIENTS: tuple[SandboxClient, ...] = (
    SandboxClient(DEMO_CLIENT_ID, DEMO_SECRET, ALL_SCOPES),
    SandboxClient("legacy-client", "legacy-secret", ()),
    SandboxClient("no-service-account", "nsa-secret", ALL_SCOPES, service_accounts_enabled=False),
    SandboxClient("short-lived", "short-secret", ALL_SCOPES, token_ttl=5),
    SandboxClient("read-only", "read-only-secret", READ_SCOPES),
)

# Fixed so that dates in the data do not move from one run to the next.
DATA_EPOCH = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)

_FIRST_NAMES = (
    "Ada", "Ben", "Chloe", "Diego", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kira", "Liam",
    "Maya", "Noah", "Olga", "Priya", "Quinn", "Rosa", "Sami", "Tess", "Umar", "Vera", "Wen", "Yara", "Zoe",
)  # fmt: skip
_LAST_NAMES = (
    "Adler", "Barros", "Chen", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad", "Ivanova", "Jensen",
    "Kowalski", "Larsen", "Moreau", "Nakamura", "Okafor", "Petrov", "Rossi", "Silva", "Tanaka", "Weber",
)  # fmt: skip
_CITIES = (
    ("New York", "NY", "US", "America/New_York", "10013"),
    ("Boston", "MA", "US", "America/New_York", "02116"),
    ("Chicago", "IL", "US", "America/Chicago", "60611"),
    ("Austin", "TX", "US", "America/Chicago", "78701"),
    ("Denver", "CO", "US", "America/Denver", "80202"),
    ("Seattle", "WA", "US", "America/Los_Angeles", "98101"),
    ("San Francisco", "CA", "US", "America/Los_Angeles", "94108"),
    ("Toronto", "ON", "CA", "America/Toronto", "M5V 2T6"),
    ("Berlin", "BE", "DE", "Europe/Berlin", "10117"),
    ("Paris", "IDF", "FR", "Europe/Paris", "75003"),
    ("London", "LND", "GB", "Europe/London", "W1F 9LD"),
)
_STREETS = ("Main St", "Market St", "Elm Ave", "Harbor Blvd", "Park Row", "Mercer St", "King St", "Linden Way")
_PRODUCT_KINDS = (
    ("Tee", "tops", 2900), ("Hoodie", "tops", 7900), ("Jeans", "bottoms", 9800), ("Chinos", "bottoms", 8500),
    ("Sneaker", "footwear", 12000), ("Boot", "footwear", 18900), ("Cap", "accessories", 3200),
    ("Tote", "accessories", 4500), ("Jacket", "outerwear", 22900), ("Scarf", "accessories", 3900),
)  # fmt: skip
_COLORS = ("Black", "White", "Navy", "Olive", "Sand", "Rust", "Grey", "Indigo")
_SIZES = ("XS", "S", "M", "L", "XL")
ORDER_STATUSES: tuple[str, ...] = ("open", "in_fulfillment", "completed", "cancelled", "returned")
_AUDIT_ACTIONS = (
    "order.created", "order.updated", "order.cancelled", "customer.profile.created", "customer.profile.updated",
    "inventory.reservation.created", "store.settings.updated", "api_client.token.issued",
)  # fmt: skip

STORE_COUNT = 24
PRODUCT_COUNT = 60
PROFILE_COUNT = 150
ORDER_COUNT = 300
AUDIT_EVENT_COUNT = 480


def isoformat(moment: datetime) -> str:
    """An RFC 3339 timestamp in UTC with a trailing Z, as the API writes them."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _money(cents: int) -> float:
    return round(cents / 100, 2)


@dataclass(frozen=True)
class TenantData:
    """The read-only fake data of one tenant, newest first where it has a time."""

    stores: tuple[JSON, ...]
    products: tuple[JSON, ...]
    profiles: tuple[JSON, ...]
    orders: tuple[JSON, ...]
    audit_events: tuple[JSON, ...]


def generate_tenant_data(tenant: str) -> TenantData:
    """Build a tenant's data; the same tenant name always gives the same data."""
    rng = random.Random(zlib.crc32(tenant.encode()))
    stores = tuple(_store(rng, n) for n in range(1, STORE_COUNT + 1))
    products = tuple(_product(rng, n) for n in range(1, PRODUCT_COUNT + 1))
    profiles = tuple(_profile(rng, n) for n in range(1, PROFILE_COUNT + 1))
    orders = tuple(
        sorted(
            (_order(rng, n, stores, products, profiles) for n in range(1, ORDER_COUNT + 1)),
            key=lambda o: str(o["placed_at"]),
            reverse=True,
        )
    )
    events = tuple(_audit_event(rng, n, tenant) for n in range(AUDIT_EVENT_COUNT, 0, -1))
    return TenantData(stores, products, profiles, orders, events)


def _address(rng: random.Random) -> JSON:
    city, region, country, _tz, zip_code = rng.choice(_CITIES)
    return {
        "address_line_1": f"{rng.randint(1, 999)} {rng.choice(_STREETS)}",
        "city": city,
        "state": region,
        "zip_code": zip_code,
        "country_code": country,
    }


def _store(rng: random.Random, n: int) -> JSON:
    city, region, country, tz, zip_code = rng.choice(_CITIES)
    return {
        "store_id": f"store-{n:03d}",
        "display_name": f"{city} {rng.choice(('Flagship', 'Downtown', 'Outlet', 'Mall', 'Pop-up'))}",
        "active": n % 7 != 0,
        "timezone": tz,
        "currency": {"US": "USD", "CA": "CAD", "GB": "GBP"}.get(country, "EUR"),
        "phone_number": f"+1-555-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
        "physical_address": {
            "address_line_1": f"{rng.randint(1, 999)} {rng.choice(_STREETS)}",
            "city": city,
            "state": region,
            "zip_code": zip_code,
            "country_code": country,
        },
        "business_hours": [
            {"weekday": day, "open": "10:00", "close": "20:00" if day < 5 else "18:00"} for day in range(7)
        ],
    }


def _product(rng: random.Random, n: int) -> JSON:
    kind, category, base = rng.choice(_PRODUCT_KINDS)
    color = rng.choice(_COLORS)
    return {
        "product_id": f"prod-{n:04d}",
        "sku": f"SKU-{n:04d}-{color[:3].upper()}",
        "title": f"{color} {kind}",
        "category": category,
        "price": _money(base + rng.randint(-5, 5) * 100),
        "currency": "USD",
        "sizes": list(_SIZES[: rng.randint(2, len(_SIZES))]),
    }


def _profile(rng: random.Random, n: int) -> JSON:
    first, last = rng.choice(_FIRST_NAMES), rng.choice(_LAST_NAMES)
    created = DATA_EPOCH - timedelta(days=rng.randint(30, 900), minutes=rng.randint(0, 1439))
    return {
        "id": _uuid(rng),
        "email": f"{first.lower()}.{last.lower()}{n}@example.com",
        "first_name": first,
        "last_name": last,
        "phone_number": f"+1-555-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
        "address": _address(rng),
        "marketing_opt_in": rng.random() < 0.4,
        "created_at": isoformat(created),
    }


def _order(
    rng: random.Random, n: int, stores: tuple[JSON, ...], products: tuple[JSON, ...], profiles: tuple[JSON, ...]
) -> JSON:
    lines = []
    for line_no, product in enumerate(rng.sample(products, rng.randint(1, 4)), start=1):
        quantity = rng.randint(1, 3)
        lines.append(
            {
                "line_id": f"{line_no}",
                "product_id": product["product_id"],
                "sku": product["sku"],
                "quantity": quantity,
                "unit_price": product["price"],
            }
        )
    subtotal = sum(round(line["unit_price"] * 100) * line["quantity"] for line in lines)
    tax = round(subtotal * 0.08)
    placed = DATA_EPOCH - timedelta(minutes=rng.randint(0, 60 * 24 * 90))
    return {
        "order_id": f"ord-{n:06d}",
        "external_id": f"WEB-{100000 + n}",
        "status": rng.choice(ORDER_STATUSES),
        "channel": rng.choice(("web", "store", "app")),
        "store_id": rng.choice(stores)["store_id"],
        "customer_id": rng.choice(profiles)["id"],
        "currency": "USD",
        "placed_at": isoformat(placed),
        "items": lines,
        "totals": {"subtotal": _money(subtotal), "tax": _money(tax), "total": _money(subtotal + tax)},
    }


def _audit_event(rng: random.Random, n: int, tenant: str) -> JSON:
    occurred = DATA_EPOCH - timedelta(minutes=(AUDIT_EVENT_COUNT - n) * 17 + rng.randint(0, 16))
    return {
        "event_id": f"evt-{n:06d}",
        "occurred_at": isoformat(occurred),
        "action": rng.choice(_AUDIT_ACTIONS),
        "actor": rng.choice(("service-account-explorer-demo", "associate-app", "storefront", "ops-console")),
        "tenant": tenant,
        "resource_id": _uuid(rng),
    }
