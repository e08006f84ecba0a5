"""Read endpoints of the sandbox tenant API: stores, customer profiles, orders, audit events, exports, whoami.

Lists page with `offset`/`count` and answer `{"items": [...], "pagination_info": {"offset", "count", "total"}}`
as NewStore does; audit events page with an opaque `cursor` and `limit` and answer `next_cursor` (null on the
last page); catalog products page with `page`/`per_page`, answer a bare array and link the other pages in an
RFC 8288 `Link` header (`rel="next"`, `prev`, `first`, `last`).
"""

from __future__ import annotations

import base64
import binascii
import re
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from explorer.sandbox.assets import MAX_EXPORT_BYTES, logo_png, store_receipt_xml
from explorer.sandbox.data import JSON, ORDER_STATUSES, isoformat
from explorer.sandbox.tenant import Call
from explorer.sandbox.wire import Response, fail, json_response

DEFAULT_COUNT = 20
MAX_COUNT = 100
DEFAULT_LIMIT = 50
MAX_LIMIT = 200
DEFAULT_EXPORT_KB = 64

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PROFILE_FIELDS = {"email", "first_name", "last_name", "phone_number", "address", "marketing_opt_in"}
_PROFILE_NAMESPACE = uuid.UUID("0b9f7f62-5c1e-4bb4-a3f6-7f7d2f1b8c40")


def _int_param(call: Call, name: str, default: int, low: int, high: int) -> int:
    raw = call.request.param(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        raise fail(400, f"Query parameter '{name}' must be an integer from {low} to {high}, not {raw!r}.")
    return value


def _page(call: Call, items: Sequence[JSON]) -> Response:
    offset = _int_param(call, "offset", 0, 0, 10**9)
    count = _int_param(call, "count", DEFAULT_COUNT, 1, MAX_COUNT)
    page = list(items[offset : offset + count])
    info = {"offset": offset, "count": count, "total": len(items)}
    return json_response(200, {"items": page, "pagination_info": info})


def _find(items: Sequence[JSON], key: str, value: str, what: str) -> JSON:
    for item in items:
        if item[key] == value:
            return item
    raise fail(404, f"No {what} with id '{value}'.")


# -- stores (v0, legacy clients accepted) --------------------------------------------------------------------


def list_stores(call: Call) -> Response:
    return _page(call, call.tenant.data.stores)


def get_store(call: Call) -> Response:
    return json_response(200, _find(call.tenant.data.stores, "store_id", call.params["store_id"], "store"))


def store_receipt(call: Call) -> Response:
    store = _find(call.tenant.data.stores, "store_id", call.params["store_id"], "store")
    return Response(200, store_receipt_xml(store), "application/xml; charset=utf-8")


# -- customer profiles ---------------------------------------------------------------------------------------


def list_profiles(call: Call) -> Response:
    email = call.request.param("email")
    with call.tenant.lock:
        profiles = list(call.tenant.profiles)
    if email is not None:
        profiles = [p for p in profiles if p["email"].lower() == email.strip().lower()]
    return _page(call, profiles)


def get_profile(call: Call) -> Response:
    with call.tenant.lock:
        profiles = list(call.tenant.profiles)
    return json_response(200, _find(profiles, "id", call.params["profile_id"], "customer profile"))


def create_profile(call: Call) -> Response:
    body = call.json_object()
    errors = _profile_errors(body)
    if errors:
        raise fail(422, "The customer profile is not valid; see 'errors'.", errors=errors)
    email = body["email"].strip()
    with call.tenant.lock:
        if any(p["email"].lower() == email.lower() for p in call.tenant.profiles):
            raise fail(409, f"A customer profile with the email '{email}' already exists.")
        profile: JSON = {
            "id": str(uuid.uuid5(_PROFILE_NAMESPACE, f"{call.tenant.name}/{email.lower()}")),
            "email": email,
            "first_name": body.get("first_name", ""),
            "last_name": body.get("last_name", ""),
            "phone_number": body.get("phone_number", ""),
            "address": body.get("address"),
            "marketing_opt_in": body.get("marketing_opt_in", False),
            "created_at": isoformat(datetime.fromtimestamp(call.now, UTC)),
        }
        call.tenant.profiles.insert(0, profile)
    location = f"{call.api_url}/api/v1/customer/profiles/{profile['id']}"
    return json_response(201, profile, headers=[("Location", location)])


def _profile_errors(body: dict[str, Any]) -> list[JSON]:
    errors: list[JSON] = []
    email = body.get("email")
    if email is None:
        errors.append({"field": "email", "message": "is required"})
    elif not isinstance(email, str) or not _EMAIL.match(email.strip()):
        errors.append({"field": "email", "message": "must be an email address"})
    for name in ("first_name", "last_name", "phone_number"):
        if name in body and not isinstance(body[name], str):
            errors.append({"field": name, "message": "must be a string"})
    if "address" in body and not isinstance(body["address"], dict | None):
        errors.append({"field": "address", "message": "must be an object"})
    if "marketing_opt_in" in body and not isinstance(body["marketing_opt_in"], bool):
        errors.append({"field": "marketing_opt_in", "message": "must be true or false"})
    errors.extend({"field": name, "message": "is not a known field"} for name in sorted(set(body) - _PROFILE_FIELDS))
    return errors


# -- orders --------------------------------------------------------------------------------------------------


def list_orders(call: Call) -> Response:
    orders: Sequence[JSON] = call.tenant.data.orders
    status = call.request.param("status")
    if status:
        if status not in ORDER_STATUSES:
            raise fail(400, f"Unknown order status '{status}'; use one of: {', '.join(ORDER_STATUSES)}.")
        orders = [o for o in orders if o["status"] == status]
    return _page(call, orders)


def get_order(call: Call) -> Response:
    return json_response(200, _find(call.tenant.data.orders, "order_id", call.params["order_id"], "order"))


# -- audit events (cursor pagination) ------------------------------------------------------------------------


def _encode_cursor(event_id: str) -> str:
    return base64.urlsafe_b64encode(f"after:{event_id}".encode()).decode("ascii").rstrip("=")


def _decode_cursor(cursor: str, events: Sequence[JSON]) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        text = ""
    if text.startswith("after:"):
        for index, event in enumerate(events):
            if event["event_id"] == text[len("after:") :]:
                return index + 1
    raise fail(400, "The cursor is not valid; pass the 'next_cursor' of a previous page, or no cursor.")


def list_audit_events(call: Call) -> Response:
    events = call.tenant.data.audit_events
    limit = _int_param(call, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    cursor = call.request.param("cursor")
    start = _decode_cursor(cursor, events) if cursor else 0
    page = list(events[start : start + limit])
    more = start + limit < len(events)
    next_cursor = _encode_cursor(page[-1]["event_id"]) if more and page else None
    return json_response(200, {"events": page, "next_cursor": next_cursor, "limit": limit})


# -- catalog products (Link header pagination) ---------------------------------------------------------------

DEFAULT_PER_PAGE = 25


def list_products(call: Call) -> Response:
    products = call.tenant.data.products
    per_page = _int_param(call, "per_page", DEFAULT_PER_PAGE, 1, MAX_COUNT)
    last = max(1, -(-len(products) // per_page))
    page = _int_param(call, "page", 1, 1, 10**6)
    start = (page - 1) * per_page
    link = f"{call.api_url}/api/v1/catalog/products"
    pages = {"first": 1, "last": last}
    if page > 1:
        pages["prev"] = min(page - 1, last)
    if page < last:
        pages["next"] = page + 1
    header = ", ".join(f'<{link}?page={n}&per_page={per_page}>; rel="{rel}"' for rel, n in pages.items())
    headers = [("Link", header), ("X-Total-Count", str(len(products)))]
    return json_response(200, list(products[start : start + per_page]), headers=headers)


def get_product(call: Call) -> Response:
    return json_response(200, _find(call.tenant.data.products, "product_id", call.params["product_id"], "product"))


# -- catalog export, assets, whoami, health ------------------------------------------------------------------


def catalog_export(call: Call) -> Response:
    size_kb, size_mb = call.request.param("size_kb"), call.request.param("size_mb")
    if size_kb and size_mb:
        raise fail(400, "Pass either 'size_kb' or 'size_mb', not both.")
    max_kb = MAX_EXPORT_BYTES // 1024
    if size_mb:
        size = _int_param(call, "size_mb", 1, 1, max_kb // 1024) * 1024 * 1024
    else:
        size = _int_param(call, "size_kb", DEFAULT_EXPORT_KB, 1, max_kb) * 1024
    return Response(200, call.exports.get(call.tenant.name, size))


def logo(call: Call) -> Response:
    return Response(200, logo_png(), "image/png", [("Cache-Control", "max-age=3600")])


def whoami(call: Call) -> Response:
    who = call.who
    return json_response(
        200,
        {
            "client_id": who.client_id,
            "tenant": who.tenant,
            "subject": who.subject,
            "scopes": list(who.scopes),
            "legacy": who.legacy,
            "issued_at": isoformat(datetime.fromtimestamp(who.issued_at, UTC)),
            "expires_at": isoformat(datetime.fromtimestamp(who.expires_at, UTC)),
            "expires_in": max(0, int(who.expires_at - call.now)),
        },
    )


def health(call: Call) -> Response:
    now = isoformat(datetime.fromtimestamp(call.now, UTC))
    return json_response(200, {"status": "ok", "tenant": call.tenant.name, "time": now})
