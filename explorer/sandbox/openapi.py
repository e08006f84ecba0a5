"""The sandbox's own API description, generated from its route table: OpenAPI 3.1 and Swagger 2.0.

Each route's method, path, scope and whether it needs a token come from `api.ROUTES`; what a route takes and
answers (summary, parameters, body, responses) comes from `OPERATIONS` below, keyed by method and path. A route
without an entry there is an error when the document is built, so the two cannot drift apart.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from explorer.sandbox.data import ALL_SCOPES, JSON, ORDER_STATUSES
from explorer.sandbox.keycloak import TOKEN_PATH
from explorer.sandbox.tenant import Call
from explorer.sandbox.wire import Response, json_response

if TYPE_CHECKING:
    from explorer.sandbox.api import Route

SCHEME = "keycloak"
_SCOPE_TEXT = {
    "stores:read": "Read stores",
    "customer:profile:read": "Read customer profiles",
    "customer:profile:write": "Create customer profiles",
    "orders:read": "Read orders",
    "inventory:reservations:write": "Reserve inventory",
    "taxes:preview": "Preview taxes",
    "audit:events:read": "Read audit events",
    "catalog:read": "Export the product catalog",
}


def _ref(name: str) -> JSON:
    return {"$ref": f"#/components/schemas/{name}"}


def _obj(required: list[str], **properties: JSON) -> JSON:
    return {"type": "object", "required": required, "properties": properties}


_S: JSON = {"type": "string"}
_ID: JSON = {"type": "string", "format": "uuid"}
_TIME: JSON = {"type": "string", "format": "date-time"}
_MONEY: JSON = {"type": "number", "minimum": 0}

SCHEMAS: dict[str, JSON] = {
    "Problem": _obj(
        ["type", "title", "status", "detail"],
        type=_S,
        title=_S,
        status={"type": "integer"},
        detail=_S,
        required_scope=_S,
        errors={"type": "array", "items": _obj(["field", "message"], field=_S, message=_S)},
    ),
    "Pagination": _obj(
        ["offset", "count", "total"], offset={"type": "integer"}, count={"type": "integer"}, total={"type": "integer"}
    ),
    "Address": _obj(
        ["country_code"],
        address_line_1=_S,
        city={"type": "string", "example": "Boston"},
        state={"type": "string", "example": "MA"},
        zip_code={"type": "string", "example": "02110"},
        country_code={"type": "string", "minLength": 2, "maxLength": 2, "example": "US"},
    ),
    "Store": _obj(
        ["store_id", "display_name", "active"],
        store_id={"type": "string", "example": "store-001"},
        display_name=_S,
        active={"type": "boolean"},
        timezone=_S,
        currency=_S,
        phone_number=_S,
        physical_address=_ref("Address"),
        business_hours={
            "type": "array",
            "items": _obj(["weekday", "open", "close"], weekday={"type": "integer"}, open=_S, close=_S),
        },
    ),
    "Product": _obj(
        ["product_id", "sku", "title", "price", "currency"],
        product_id={"type": "string", "example": "prod-0001"},
        sku=_S,
        title=_S,
        category=_S,
        price=_MONEY,
        currency=_S,
        sizes={"type": "array", "items": _S},
    ),
    "CustomerProfile": _obj(
        ["id", "email"],
        id={**_ID, "readOnly": True},
        email={"type": "string", "format": "email"},
        first_name={"type": "string", "example": "Ada"},
        last_name={"type": "string", "example": "Lovelace"},
        phone_number=_S,
        address={"anyOf": [_ref("Address"), {"type": "null"}]},
        marketing_opt_in={"type": "boolean", "default": False},
        created_at={**_TIME, "readOnly": True},
    ),
    "NewCustomerProfile": {
        "type": "object",
        "required": ["email"],
        "additionalProperties": False,
        "properties": {
            "email": {"type": "string", "format": "email", "example": "ada@example.com"},
            "first_name": {"type": "string", "example": "Ada"},
            "last_name": {"type": "string", "example": "Lovelace"},
            "phone_number": {"type": "string", "example": "+1-555-010-0100"},
            "address": {"anyOf": [_ref("Address"), {"type": "null"}]},
            "marketing_opt_in": {"type": "boolean", "default": False},
        },
    },
    "Order": _obj(
        ["order_id", "status", "items", "totals"],
        order_id={"type": "string", "example": "ord-000001"},
        external_id=_S,
        status={"type": "string", "enum": list(ORDER_STATUSES)},
        channel={"type": "string", "enum": ["web", "store", "app"]},
        store_id=_S,
        customer_id=_ID,
        currency=_S,
        placed_at=_TIME,
        items={
            "type": "array",
            "items": _obj(
                ["product_id", "quantity", "unit_price"],
                line_id=_S,
                product_id=_S,
                sku=_S,
                quantity={"type": "integer", "minimum": 1},
                unit_price=_MONEY,
            ),
        },
        totals=_obj(["subtotal", "tax", "total"], subtotal=_MONEY, tax=_MONEY, total=_MONEY),
    ),
    "NewReservation": _obj(
        ["location_id", "items"],
        location_id={"type": "string", "example": "store-001"},
        items={
            "type": "array",
            "minItems": 1,
            "items": _obj(
                ["product_id", "quantity"],
                product_id={"type": "string", "example": "prod-0001"},
                quantity={"type": "integer", "minimum": 1, "maximum": 100},
            ),
        },
    ),
    "Reservation": _obj(
        ["reservation_id", "status", "location_id", "items", "created_at", "expires_at"],
        reservation_id=_ID,
        status={"type": "string", "enum": ["reserved"]},
        location_id=_S,
        items={"type": "array", "items": _obj(["product_id", "quantity"], product_id=_S, quantity={"type": "integer"})},
        created_at=_TIME,
        expires_at=_TIME,
    ),
    "TaxPreviewRequest": _obj(
        ["shipping_address", "line_items"],
        currency={"type": "string", "default": "USD"},
        shipping_address=_ref("Address"),
        line_items={
            "type": "array",
            "minItems": 1,
            "items": _obj(
                ["quantity", "unit_price"],
                id=_S,
                quantity={"type": "integer", "minimum": 1},
                unit_price={"type": "number", "minimum": 0, "example": 19.99},
            ),
        },
    ),
    "TaxPreview": _obj(
        ["currency", "jurisdiction", "tax_lines", "subtotal", "total_tax", "total"],
        currency=_S,
        jurisdiction={"type": "string", "example": "US-MA"},
        tax_lines={
            "type": "array",
            "items": _obj(
                ["line_item_id", "taxable_amount", "rate", "tax_amount", "jurisdiction"],
                line_item_id=_S,
                taxable_amount=_MONEY,
                rate=_MONEY,
                tax_amount=_MONEY,
                jurisdiction=_S,
            ),
        },
        subtotal=_MONEY,
        total_tax=_MONEY,
        total=_MONEY,
    ),
    "AuditEvent": _obj(
        ["event_id", "occurred_at", "action"],
        event_id=_S,
        occurred_at=_TIME,
        action=_S,
        actor=_S,
        tenant=_S,
        resource_id=_ID,
    ),
    "WhoAmI": _obj(
        ["client_id", "tenant", "scopes", "legacy"],
        client_id=_S,
        tenant=_S,
        subject=_S,
        scopes={"type": "array", "items": _S},
        legacy={"type": "boolean"},
        issued_at=_TIME,
        expires_at=_TIME,
        expires_in={"type": "integer"},
    ),
    "Health": _obj(["status"], status={"type": "string", "enum": ["ok"]}, tenant=_S, time=_TIME),
}


def _page_of(name: str) -> JSON:
    return _obj(
        ["items", "pagination_info"], items={"type": "array", "items": _ref(name)}, pagination_info=_ref("Pagination")
    )


@dataclass(frozen=True)
class Param:
    name: str
    where: str = "query"
    schema: JSON = field(default_factory=lambda: {"type": "string"})
    description: str = ""
    required: bool = False


@dataclass(frozen=True)
class OperationDoc:
    tag: str
    operation_id: str
    summary: str
    ok: int = 200
    ok_schema: JSON | None = None
    ok_type: str = "application/json"
    params: tuple[Param, ...] = ()
    body: str = ""
    errors: tuple[int, ...] = ()
    description: str = ""


_PAGE = (
    Param("offset", schema={"type": "integer", "minimum": 0, "default": 0}, description="First item to return"),
    Param("count", schema={"type": "integer", "minimum": 1, "maximum": 100, "default": 20}, description="Page size"),
)
_EXPORT = (
    Param("size_kb", schema={"type": "integer", "minimum": 1, "default": 64}, description="Size of the export in KB"),
    Param("size_mb", schema={"type": "integer", "minimum": 1}, description="Size in MB (instead of size_kb)"),
)

OPERATIONS: dict[tuple[str, str], OperationDoc] = {
    ("GET", "/health"): OperationDoc("Service", "getHealth", "Health check", ok_schema=_ref("Health")),
    ("GET", "/v0/stores"): OperationDoc(
        "Stores", "listStores", "List stores", ok_schema=_page_of("Store"), params=_PAGE, errors=(400,)
    ),
    ("GET", "/v0/stores/{store_id}"): OperationDoc(
        "Stores", "getStore", "Get a store", ok_schema=_ref("Store"), errors=(404,)
    ),
    ("GET", "/v0/stores/{store_id}/receipt.xml"): OperationDoc(
        "Stores", "getStoreReceipt", "A sample receipt of a store, as XML", ok_type="application/xml", errors=(404,)
    ),
    ("GET", "/v0/catalog/export"): OperationDoc(
        "Catalog", "exportCatalogV0", "Export the product catalog (v0)", params=_EXPORT, errors=(400,)
    ),
    ("GET", "/api/v1/customer/profiles"): OperationDoc(
        "Customers",
        "listCustomerProfiles",
        "List customer profiles",
        ok_schema=_page_of("CustomerProfile"),
        params=(Param("email", schema={"type": "string", "format": "email"}, description="Exact email"), *_PAGE),
        errors=(400,),
    ),
    ("POST", "/api/v1/customer/profiles"): OperationDoc(
        "Customers",
        "createCustomerProfile",
        "Create a customer profile",
        ok=201,
        ok_schema=_ref("CustomerProfile"),
        body="NewCustomerProfile",
        errors=(400, 409, 415, 422),
    ),
    ("GET", "/api/v1/customer/profiles/{profile_id}"): OperationDoc(
        "Customers", "getCustomerProfile", "Get a customer profile", ok_schema=_ref("CustomerProfile"), errors=(404,)
    ),
    ("GET", "/api/v1/orders"): OperationDoc(
        "Orders",
        "listOrders",
        "List orders",
        ok_schema=_page_of("Order"),
        params=(Param("status", schema={"type": "string", "enum": list(ORDER_STATUSES)}), *_PAGE),
        errors=(400,),
    ),
    ("GET", "/api/v1/orders/{order_id}"): OperationDoc(
        "Orders", "getOrder", "Get an order", ok_schema=_ref("Order"), errors=(404,)
    ),
    ("POST", "/api/v1/inventory/reservations"): OperationDoc(
        "Inventory",
        "createReservation",
        "Reserve inventory at a store",
        ok=201,
        ok_schema=_ref("Reservation"),
        params=(
            Param(
                "Idempotency-Key",
                "header",
                {"type": "string", "maxLength": 255, "format": "uuid"},
                "A new key per reservation; the same key and body replays the first answer",
                required=True,
            ),
        ),
        body="NewReservation",
        errors=(400, 415, 422),
    ),
    ("POST", "/api/v1/taxes/preview"): OperationDoc(
        "Taxes",
        "previewTaxes",
        "Preview the taxes of a cart",
        ok_schema=_ref("TaxPreview"),
        body="TaxPreviewRequest",
        errors=(400, 415, 422),
    ),
    ("GET", "/api/v1/audit/events"): OperationDoc(
        "Audit",
        "listAuditEvents",
        "List audit events (cursor pages)",
        ok_schema=_obj(
            ["events", "next_cursor", "limit"],
            events={"type": "array", "items": _ref("AuditEvent")},
            next_cursor={"type": ["string", "null"]},
            limit={"type": "integer"},
        ),
        params=(
            Param("cursor", description="The next_cursor of the previous page"),
            Param("limit", schema={"type": "integer", "minimum": 1, "maximum": 200, "default": 50}),
        ),
        errors=(400,),
    ),
    ("GET", "/api/v1/catalog/export"): OperationDoc(
        "Catalog", "exportCatalog", "Export the product catalog", params=_EXPORT, errors=(400,)
    ),
    ("GET", "/api/v1/catalog/products"): OperationDoc(
        "Catalog",
        "listProducts",
        "List products (pages linked by the Link header)",
        ok_schema={"type": "array", "items": _ref("Product")},
        params=(
            Param("page", schema={"type": "integer", "minimum": 1, "default": 1}),
            Param("per_page", schema={"type": "integer", "minimum": 1, "maximum": 100, "default": 25}),
        ),
        errors=(400,),
    ),
    ("GET", "/api/v1/catalog/products/{product_id}"): OperationDoc(
        "Catalog", "getProduct", "Get a product", ok_schema=_ref("Product"), errors=(404,)
    ),
    ("GET", "/api/v1/whoami"): OperationDoc("Service", "whoAmI", "Who the token says I am", ok_schema=_ref("WhoAmI")),
    ("GET", "/api/v1/assets/logo.png"): OperationDoc("Service", "getLogo", "The tenant's logo", ok_type="image/png"),
    ("GET", "/openapi.json"): OperationDoc("Service", "getOpenApi", "This API's OpenAPI 3.1 description"),
    ("GET", "/swagger.json"): OperationDoc("Service", "getSwagger", "This API's Swagger 2.0 description"),
}

_REASONS = {
    200: "OK",
    201: "Created",
    400: "Bad request",
    401: "No token, or a token that is not valid",
    403: "The token lacks the scope, or has expired",
    404: "Not found",
    409: "Conflict",
    415: "The body is not JSON",
    422: "The body is not valid",
    429: "Too many requests",
}


def _doc(route: Route) -> OperationDoc:
    try:
        return OPERATIONS[(route.method, route.pattern)]
    except KeyError:
        raise LookupError(f"sandbox route {route.method} {route.pattern} has no entry in openapi.OPERATIONS") from None


def _path_params(pattern: str) -> list[Param]:
    return [Param(part[1:-1], "path", required=True) for part in pattern.split("/") if part.startswith("{")]


def _scope_note(route: Route) -> str:
    if not route.authenticated:
        return "No token needed."
    if route.scope is None:
        return "Any valid token."
    legacy = " Legacy clients (tokens without scopes) are accepted too." if route.legacy else ""
    return f"Needs the scope `{route.scope}`.{legacy}"


def openapi_document(routes: tuple[Route, ...], api_url: str, token_url: str) -> JSON:
    """An OpenAPI 3.1 description of `routes` served at `api_url`, with the oauth2 scopes each route needs."""
    paths: dict[str, JSON] = {}
    for route in routes:
        doc = _doc(route)
        params = [*_path_params(route.pattern), *doc.params]
        op: JSON = {
            "tags": [doc.tag],
            "operationId": doc.operation_id,
            "summary": doc.summary,
            "description": " ".join(filter(None, (doc.description, _scope_note(route)))),
            "parameters": [
                {
                    "name": p.name,
                    "in": p.where,
                    "required": p.required,
                    "schema": p.schema,
                    **({"description": p.description} if p.description else {}),
                }
                for p in params
            ],
            "responses": _responses_v3(route, doc),
        }
        if doc.body:
            op["requestBody"] = {"required": True, "content": {"application/json": {"schema": _ref(doc.body)}}}
        op["security"] = [{SCHEME: [route.scope] if route.scope else []}] if route.authenticated else []
        paths.setdefault(route.pattern, {})[route.method.lower()] = op
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "explorer sandbox tenant API",
            "version": "1.0.0",
            "description": "A stand-in for a NewStore tenant's API, served by `explorer sandbox`.",
        },
        "servers": [{"url": api_url}],
        "tags": [{"name": tag} for tag in dict.fromkeys(_doc(r).tag for r in routes)],
        "security": [{SCHEME: []}],
        "paths": paths,
        "components": {
            "schemas": copy.deepcopy(SCHEMAS),
            "securitySchemes": {
                SCHEME: {
                    "type": "oauth2",
                    "description": "Keycloak client credentials of the tenant's realm",
                    "flows": {"clientCredentials": {"tokenUrl": token_url, "scopes": dict(_scopes())}},
                }
            },
        },
    }


def _scopes() -> list[tuple[str, str]]:
    return [(scope, _SCOPE_TEXT.get(scope, scope)) for scope in ALL_SCOPES]


def _responses_v3(route: Route, doc: OperationDoc) -> JSON:
    ok: JSON = {"description": _REASONS.get(doc.ok, "OK")}
    ok_schema = doc.ok_schema or ({"type": "string", "format": "binary"} if doc.ok_type != "application/json" else {})
    ok["content"] = {doc.ok_type: {"schema": ok_schema}}
    responses: JSON = {str(doc.ok): ok}
    problem = {"application/problem+json": {"schema": _ref("Problem")}}
    codes = [*doc.errors, *((401, 403, 429) if route.authenticated else ())]
    for code in sorted(set(codes)):
        responses[str(code)] = {"description": _REASONS.get(code, "Error"), "content": problem}
    return responses


def swagger_document(routes: tuple[Route, ...], api_url: str, token_url: str) -> JSON:
    """The same description as Swagger 2.0 (NewStore publishes its APIs in this form)."""
    from urllib.parse import urlsplit

    v3 = openapi_document(routes, api_url, token_url)
    parts = urlsplit(api_url)
    paths: dict[str, JSON] = {}
    for pattern, item in v3["paths"].items():
        for method, op in item.items():
            params = []
            for p in op["parameters"]:
                param = {k: v for k, v in p.items() if k != "schema"}
                param.update({k: v for k, v in p["schema"].items() if k != "format" or v != "uuid"})
                params.append(param)
            if "requestBody" in op:
                schema = op["requestBody"]["content"]["application/json"]["schema"]
                params.append({"name": "body", "in": "body", "required": True, "schema": _v2_refs(schema)})
            responses = {}
            for code, response in op["responses"].items():
                out: JSON = {"description": response["description"]}
                ((media, content),) = response["content"].items()
                schema = content.get("schema") or {}
                if media.endswith("json") and schema:
                    out["schema"] = _v2_refs(_v2_schema(schema))
                responses[code] = out
            ok_type = next(iter(next(iter(op["responses"].values()))["content"]))
            v2: JSON = {
                "tags": op["tags"],
                "operationId": op["operationId"],
                "summary": op["summary"],
                "description": op["description"],
                "produces": [ok_type, "application/problem+json"],
                "parameters": params,
                "responses": responses,
                "security": [{SCHEME: [s for s in req[SCHEME]]} for req in op["security"]],
            }
            if "requestBody" in op:
                v2["consumes"] = ["application/json"]
            paths.setdefault(pattern, {})[method] = v2
    return {
        "swagger": "2.0",
        "info": v3["info"],
        "host": parts.netloc,
        "basePath": parts.path or "/",
        "schemes": [parts.scheme],
        "consumes": ["application/json"],
        "produces": ["application/json"],
        "tags": v3["tags"],
        "security": v3["security"],
        "paths": paths,
        "definitions": {name: _v2_refs(_v2_schema(schema)) for name, schema in SCHEMAS.items()},
        "securityDefinitions": {
            SCHEME: {"type": "oauth2", "flow": "application", "tokenUrl": token_url, "scopes": dict(_scopes())}
        },
    }


def _v2_schema(schema: Any) -> Any:
    """3.1 schema -> 2.0: type lists become one type (`x-nullable`), `anyOf: [X, null]` becomes X."""
    if isinstance(schema, list):
        return [_v2_schema(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: _v2_schema(v) for k, v in schema.items()}
    if isinstance(out.get("type"), list):
        kinds = [t for t in out["type"] if t != "null"]
        out["type"] = kinds[0] if kinds else "string"
        out["x-nullable"] = True
    if "anyOf" in out:
        options = [o for o in out.pop("anyOf") if o != {"type": "null"}]
        out.update(options[0] if options else {})
        out["x-nullable"] = True
    return out


def _v2_refs(schema: Any) -> Any:
    if isinstance(schema, list):
        return [_v2_refs(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    return {
        k: (v.replace("#/components/schemas/", "#/definitions/") if k == "$ref" else _v2_refs(v))
        for k, v in schema.items()
    }


def token_url_for(api_url: str, tenant: str) -> str:
    base = api_url[: -len(f"/api/{tenant}")] if api_url.endswith(f"/api/{tenant}") else api_url
    return f"{base}/auth/realms/{tenant}/{TOKEN_PATH}"


def _routes() -> tuple[Route, ...]:
    from explorer.sandbox.api import ROUTES

    return ROUTES


def _conditional(call: Call, document: JSON) -> Response:
    """The document with an ETag; a 304 when the client already has this version (If-None-Match)."""
    import hashlib

    response = json_response(200, document)
    etag = '"' + hashlib.sha256(response.body).hexdigest()[:20] + '"'
    if etag in (call.request.header("if-none-match") or ""):
        return Response(304, b"", None, [("ETag", etag)])
    response.headers.append(("ETag", etag))
    return response


def serve_openapi(call: Call) -> Response:
    tenant = call.tenant.name
    return _conditional(call, openapi_document(_routes(), call.api_url, token_url_for(call.api_url, tenant)))


def serve_swagger(call: Call) -> Response:
    tenant = call.tenant.name
    return _conditional(call, swagger_document(_routes(), call.api_url, token_url_for(call.api_url, tenant)))
