"""JSON from a server, parsed with bounds: no NaN or Infinity (not JSON, and not numbers anything can use), and
no nesting deeper than a token response or a JWT ever needs. A document nested thousands deep makes `json.loads`
raise RecursionError; one nested hundreds deep loads, and then fails wherever it is written out again."""

from __future__ import annotations

import json
import math
from typing import Any

__all__ = ["MAX_DEPTH", "loads_bounded"]

MAX_DEPTH = 32


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is out of range")
    return value


def loads_bounded(data: str | bytes, *, max_depth: int = MAX_DEPTH) -> Any:
    """`json.loads`, raising ValueError for NaN/Infinity, for nesting deeper than `max_depth`, and for what
    `json.loads` itself refuses (UnicodeDecodeError is a ValueError)."""
    try:
        value = json.loads(data, parse_constant=_no_constants, parse_float=_finite_float)
    except RecursionError:
        raise ValueError("nested too deeply") from None
    if _depth_exceeds(value, max_depth):
        raise ValueError(f"nested more than {max_depth} levels deep")
    return value


def _depth_exceeds(value: Any, limit: int) -> bool:
    # Iterative, so a deep document cannot make the check itself recurse too far.
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False
