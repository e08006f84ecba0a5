"""Write endpoints of the sandbox tenant API: inventory reservations (idempotent) and tax previews.

`POST /api/v1/inventory/reservations` requires an `Idempotency-Key` header. The first successful answer for a
key is kept: the same key with the same body replays it (with `Idempotent-Replayed: true`), the same key with a
different body is refused with a 422 problem.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeGuard

from explorer.sandbox.data import JSON, isoformat
from explorer.sandbox.tenant import Call, StoredAnswer
from explorer.sandbox.wire import Response, fail, json_response

RESERVATION_TTL = 900
MAX_KEY_LENGTH = 255

# Combined sales tax rates by country and, for the United States and Canada, by state or province.
_TAX_RATES: dict[str, Decimal] = {
    "US": Decimal("0.05"),
    "US-NY": Decimal("0.08875"),
    "US-CA": Decimal("0.0725"),
    "US-TX": Decimal("0.0625"),
    "US-MA": Decimal("0.0625"),
    "US-IL": Decimal("0.1025"),
    "US-WA": Decimal("0.101"),
    "US-CO": Decimal("0.029"),
    "US-OR": Decimal("0"),
    "CA": Decimal("0.05"),
    "CA-ON": Decimal("0.13"),
    "DE": Decimal("0.19"),
    "FR": Decimal("0.20"),
    "GB": Decimal("0.20"),
}
_CENT = Decimal("0.01")


def _fingerprint(call: Call) -> str:
    try:
        canonical = json.dumps(json.loads(call.request.body), sort_keys=True, separators=(",", ":"))
        data = canonical.encode("utf-8")
    except (UnicodeDecodeError, json.JSONDecodeError):
        data = call.request.body
    return hashlib.sha256(data).hexdigest()


def create_reservation(call: Call) -> Response:
    key = (call.request.header("idempotency-key") or "").strip()
    if not key:
        raise fail(400, "Send an 'Idempotency-Key' header (for example a UUID) so the request can be retried.")
    if len(key) > MAX_KEY_LENGTH:
        raise fail(400, f"The Idempotency-Key header is longer than {MAX_KEY_LENGTH} characters.")
    fingerprint = _fingerprint(call)
    slot = (call.who.client_id, key)
    with call.tenant.lock:
        stored = call.tenant.idempotency.get(slot)
        if stored is not None:
            if stored.fingerprint != fingerprint:
                raise fail(
                    422,
                    f"The Idempotency-Key '{key}' was already used with a different body; use a new key.",
                    title="Idempotency-Key Reused",
                )
            return replace(stored.response, headers=[*stored.response.headers, ("Idempotent-Replayed", "true")])
        response = _reserve(call)
        call.tenant.idempotency[slot] = StoredAnswer(fingerprint, response)
        return response


def _objects(body: JSON, field: str, errors: list[JSON]) -> list[tuple[str, JSON]]:
    """The objects in the non-empty list `body[field]`, each with its key path; problems go to `errors`."""
    entries = body.get(field)
    if not isinstance(entries, list) or not entries:
        errors.append({"field": field, "message": "must be a non-empty list"})
        return []
    found: list[tuple[str, JSON]] = []
    for index, entry in enumerate(entries):
        where = f"{field}[{index}]"
        if isinstance(entry, dict):
            found.append((where, entry))
        else:
            errors.append({"field": where, "message": "must be an object"})
    return found


def _reserve(call: Call) -> Response:
    body = call.json_object()
    data = call.tenant.data
    stores = {s["store_id"] for s in data.stores}
    products = {p["product_id"] for p in data.products}
    errors: list[JSON] = []
    location = body.get("location_id")
    if location not in stores:
        errors.append({"field": "location_id", "message": "must be the id of a store, such as 'store-001'"})
    items = _objects(body, "items", errors)
    for where, item in items:
        if item.get("product_id") not in products:
            errors.append({"field": f"{where}.product_id", "message": "is not a known product"})
        quantity = item.get("quantity")
        if not (_is_int(quantity) and 1 <= quantity <= 100):
            errors.append({"field": f"{where}.quantity", "message": "must be an integer from 1 to 100"})
    if errors:
        raise fail(422, "The reservation is not valid; see 'errors'.", errors=errors)
    created = datetime.fromtimestamp(call.now, UTC)
    reservation = {
        "reservation_id": str(uuid.uuid4()),
        "status": "reserved",
        "location_id": location,
        "items": [{"product_id": i["product_id"], "quantity": i["quantity"]} for _, i in items],
        "created_at": isoformat(created),
        "expires_at": isoformat(created + timedelta(seconds=RESERVATION_TTL)),
    }
    return json_response(201, reservation)


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_amount(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value >= 0


def preview_taxes(call: Call) -> Response:
    body = call.json_object()
    errors: list[JSON] = []
    address = body.get("shipping_address")
    country = region = ""
    if not isinstance(address, dict):
        errors.append({"field": "shipping_address", "message": "is required (an object with country_code)"})
    else:
        country = str(address.get("country_code") or "").upper()
        region = str(address.get("state") or "").upper()
        if len(country) != 2:
            errors.append({"field": "shipping_address.country_code", "message": "must be a 2-letter code"})
    lines = _objects(body, "line_items", errors)
    for where, line in lines:
        if not _is_int(line.get("quantity")) or line["quantity"] < 1:
            errors.append({"field": f"{where}.quantity", "message": "must be a positive integer"})
        if not _is_amount(line.get("unit_price")):
            errors.append({"field": f"{where}.unit_price", "message": "must be a number, 0 or more"})
    if errors:
        raise fail(422, "The tax preview request is not valid; see 'errors'.", errors=errors)
    jurisdiction = f"{country}-{region}" if f"{country}-{region}" in _TAX_RATES else country
    rate = _TAX_RATES.get(jurisdiction, Decimal("0"))
    tax_lines, subtotal, total_tax = [], Decimal("0"), Decimal("0")
    for index, (_, line) in enumerate(lines):
        taxable = (Decimal(str(line["unit_price"])) * line["quantity"]).quantize(_CENT, ROUND_HALF_UP)
        tax = (taxable * rate).quantize(_CENT, ROUND_HALF_UP)
        subtotal, total_tax = subtotal + taxable, total_tax + tax
        tax_lines.append(
            {
                "line_item_id": str(line.get("id", index + 1)),
                "taxable_amount": float(taxable),
                "rate": float(rate),
                "tax_amount": float(tax),
                "jurisdiction": jurisdiction,
            }
        )
    return json_response(
        200,
        {
            "currency": str(body.get("currency") or "USD"),
            "jurisdiction": jurisdiction,
            "tax_lines": tax_lines,
            "subtotal": float(subtotal),
            "total_tax": float(total_tax),
            "total": float(subtotal + total_tax),
        },
    )
