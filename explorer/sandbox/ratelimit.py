"""A token-bucket rate limit per API client, driven by the server's (injectable) clock."""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """Allows `rate` requests per second per key, in bursts of up to `burst` (by default twice the rate, at least 1)."""

    def __init__(self, rate: float, clock: Callable[[], float], *, burst: float | None = None) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.burst = burst if burst is not None else max(1.0, 2 * rate)
        self._clock = clock
        self._buckets: dict[Hashable, _Bucket] = {}
        self._lock = threading.Lock()

    def acquire(self, key: Hashable) -> int | None:
        """Take one request from the key's bucket: None when allowed, else the seconds to wait (at least 1)."""
        now = self._clock()
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                bucket = self._buckets[key] = _Bucket(self.burst, now)
            # A clock that moves backwards refills nothing rather than draining the bucket.
            elapsed = max(0.0, now - bucket.updated)
            bucket.tokens = min(self.burst, bucket.tokens + elapsed * self.rate)
            bucket.updated = max(bucket.updated, now)
            # A hair of tolerance: refills computed from float clocks land a rounding error short of whole.
            if bucket.tokens >= 1 - 1e-9:
                bucket.tokens = max(0.0, bucket.tokens - 1)
                return None
            return max(1, math.ceil((1 - bucket.tokens) / self.rate))
