"""Bodies the tenant API serves that are not small JSON: the catalog export, a store receipt (XML), a logo (PNG).

The catalog export can be asked for at any size up to 100 MB. It is built from a handful of fixed-width product
records repeated with increasing ids, so building 50 MB takes a fraction of a second, and the result is kept for
the next request of the same size.
"""

from __future__ import annotations

import struct
import threading
import zlib
from collections import OrderedDict
from functools import cache
from xml.sax.saxutils import escape

from explorer.sandbox.data import DATA_EPOCH, JSON, isoformat
from explorer.sandbox.wire import dump_json

MAX_EXPORT_BYTES = 100 * 1024 * 1024

_CHUNK = 1000
_ID_PLACEHOLDER = b"@@@@@"
_PRODUCT_KINDS: tuple[tuple[bytes, bytes, bytes, bytes], ...] = (
    (b"BLK", b"Black Tee", b"tops", b"Organic cotton jersey, regular fit, ribbed crew neck."),
    (b"NAV", b"Navy Hoodie", b"tops", b"Brushed fleece, kangaroo pocket, adjustable hood."),
    (b"IND", b"Indigo Jeans", b"bottoms", b"Selvedge denim, straight leg, five pockets."),
    (b"OLV", b"Olive Chinos", b"bottoms", b"Stretch twill, tapered leg, hidden coin pocket."),
    (b"WHT", b"White Sneaker", b"footwear", b"Leather upper, vulcanised sole, cushioned insole."),
    (b"RST", b"Rust Jacket", b"outerwear", b"Waxed canvas, corduroy collar, two chest pockets."),
)


def _record(low: int) -> bytes:
    """One product of a chunk; its id is the chunk's placeholder followed by `low`'s three digits."""
    color, title, category, description = _PRODUCT_KINDS[low % len(_PRODUCT_KINDS)]
    product_id = _ID_PLACEHOLDER + b"%03d" % low
    # Fixed widths without leading zeros (which JSON numbers may not have), so every record of a kind has the
    # same length.
    return (
        b'{"product_id":"cat-%s","sku":"SKU-%s-%s","title":"%s %s","category":"%s",'
        b'"price":%d.%02d,"currency":"USD","sizes":["S","M","L"],"online":true,'
        b'"stock":{"on_hand":%d,"reserved":%d},"description":"%s"}'
    ) % (
        product_id, product_id, color, title, product_id, category,
        low * 37 % 900 + 100, low % 100, low * 13 % 9000 + 1000, low * 7 % 90 + 10, description,
    )  # fmt: skip


@cache
def _chunk_records() -> tuple[bytes, ...]:
    records = [_record(low) for low in range(_CHUNK)]
    # Pad descriptions so that all records have one length and the export's size is known in advance.
    width = max(map(len, records))
    return tuple(r[:-2] + b" " * (width - len(r)) + r[-2:] for r in records)


def build_catalog_export(tenant: str, size_bytes: int) -> bytes:
    """A JSON catalog export of about `size_bytes` (at most one product's length away)."""
    records = _chunk_records()
    record_len = len(records[0])
    # The count is written before the records, so take the header's length with the widest count.
    header_len = len(_header(tenant, 10**9))
    count = max(1, round((size_bytes - header_len - 1) / (record_len + 1)))
    full, rest = divmod(count, _CHUNK)
    chunk = b",".join(records)
    parts = [_header(tenant, count)]
    for k in range(full):
        parts += (chunk.replace(_ID_PLACEHOLDER, b"%05d" % k), b",")
    if rest:
        parts.append(b",".join(records[:rest]).replace(_ID_PLACEHOLDER, b"%05d" % full))
    else:
        parts.pop()  # the comma after the last full chunk
    parts.append(b"]}")
    return b"".join(parts)


def _header(tenant: str, count: int) -> bytes:
    head = dump_json({"tenant": tenant, "generated_at": isoformat(DATA_EPOCH), "format": "catalog.v1"})
    return head[:-1] + b',"count":%d,"products":[' % count


class ExportCache:
    """Keeps the most recently asked exports, up to `max_bytes` in all."""

    def __init__(self, max_bytes: int = 2 * MAX_EXPORT_BYTES) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[tuple[str, int], bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, tenant: str, size_bytes: int) -> bytes:
        """The export for a tenant and size, built on first use."""
        key = (tenant, size_bytes)
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
            body = build_catalog_export(tenant, size_bytes)
            self._entries[key] = body
            while sum(map(len, self._entries.values())) > self.max_bytes and len(self._entries) > 1:
                self._entries.popitem(last=False)
            return body


def store_receipt_xml(store: JSON) -> bytes:
    """A sample receipt of a store, as the store's printers receive it."""
    address = store["physical_address"]
    lines = (("SKU-0001-BLK", "Black Tee", 2, "29.00"), ("SKU-0017-NAV", "Navy Hoodie", 1, "79.00"))
    items = "".join(
        f'    <item sku="{sku}" quantity="{qty}"><title>{escape(title)}</title><price>{price}</price></item>\n'
        for sku, title, qty, price in lines
    )
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<receipt store_id="{escape(store["store_id"])}" issued_at="{isoformat(DATA_EPOCH)}">\n'
        f"  <store><name>{escape(store['display_name'])}</name>"
        f"<address>{escape(address['address_line_1'])}, {escape(address['city'])}</address></store>\n"
        f"  <items>\n{items}  </items>\n"
        f'  <totals currency="{escape(store["currency"])}"><subtotal>137.00</subtotal><tax>10.96</tax>'
        "<total>147.96</total></totals>\n"
        "</receipt>\n"
    )
    return text.encode("utf-8")


@cache
def logo_png() -> bytes:
    """A 16x16 RGBA PNG: a teal square with a lighter diagonal."""
    width = height = 16
    rows = b"".join(
        b"\x00" + b"".join(b"\x9e\xe6\xdc\xff" if x == y else b"\x00\x80\x80\xff" for x in range(width))
        for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
