"""Figures: the runs of one measurement, their median and spread, a target, and how they print."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field
from typing import Any, Literal

Unit = Literal["s", "MiB", "x", "count"]
CAPPED = math.inf  # a run that hit its time cap: "more than `cap`"


@dataclass
class Target:
    """A goal for a figure: `op` is "<=", "<", ">=" or "==", against `value` in the figure's unit."""

    op: Literal["<=", "<", ">=", "=="]
    value: float

    def met(self, observed: float) -> bool:
        if self.op == "<=":
            return observed <= self.value
        if self.op == "<":
            return observed < self.value
        if self.op == "==":
            return observed == self.value
        return observed >= self.value

    def describe(self, unit: Unit) -> str:
        sign = {"<=": "≤", "<": "<", ">=": "≥", "==": "="}[self.op]
        return f"{sign} {fmt(self.value, unit)}"


@dataclass
class Figure:
    """One measured quantity of one app; `values` holds one number per run (CAPPED for a run over its cap)."""

    key: str
    unit: Unit
    values: list[float] = field(default_factory=list)
    cap: float | None = None
    notes: list[str] = field(default_factory=list)

    def add(self, value: float) -> None:
        self.values.append(value)

    def add_capped(self) -> None:
        self.values.append(CAPPED)

    @property
    def median(self) -> float | None:
        return statistics.median(self.values) if self.values else None

    @property
    def low(self) -> float | None:
        return min(self.values) if self.values else None

    @property
    def high(self) -> float | None:
        return max(self.values) if self.values else None

    def show(self, value: float | None) -> str:
        if value is None:
            return "—"
        if math.isinf(value):
            return f"> {fmt(self.cap, self.unit)}" if self.cap is not None else "timed out"
        return fmt(value, self.unit)

    def spread(self) -> str:
        if len(self.values) < 2:
            return ""
        return f"{self.show(self.low)} - {self.show(self.high)}"

    def to_json(self) -> dict[str, Any]:
        def plain(value: float | None) -> float | None:
            return None if value is None or math.isinf(value) else round(value, 6)

        return {
            "unit": self.unit,
            "median": plain(self.median),
            "min": plain(self.low),
            "max": plain(self.high),
            "runs": [plain(v) for v in self.values],
            "capped_runs": sum(math.isinf(v) for v in self.values),
            "cap": self.cap,
            "notes": self.notes,
        }


def fmt(value: float | None, unit: Unit) -> str:
    """A number for people: durations in ms below one second, memory in MiB, ratios with two decimals."""
    if value is None:
        return "—"
    if unit == "s":
        if value < 1.0:
            return f"{value * 1000:.0f} ms" if value >= 0.01 else f"{value * 1000:.1f} ms"
        return f"{value:.0f} s" if value >= 100 else f"{value:.1f} s" if value >= 10 else f"{value:.2f} s"
    if unit == "MiB":
        return f"{value:.0f} MiB"
    if unit == "x":
        return f"{value:.2f}x"
    return f"{value:.0f}"
