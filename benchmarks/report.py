"""The results of a suite run: every figure per app, the table printed at the end, and the JSON written."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.machine import machine_line
from benchmarks.stats import Figure, Target, Unit

EXPLORER = "explorer"
POSTING = "posting"


@dataclass
class Row:
    """One line of the table. `target` applies to explorer's median, or with `vs_posting` to the ratio of
    explorer's median to Posting's."""

    key: str
    label: str
    unit: Unit
    target: Target | None = None
    vs_posting: bool = False


@dataclass
class Results:
    machine: dict[str, Any]
    settings: dict[str, Any]
    figures: dict[str, dict[str, Figure]] = field(default_factory=dict)
    errors: list[dict[str, str]] = field(default_factory=list)
    started: str = ""
    seconds: float = 0.0

    def figure(self, app: str, key: str, unit: Unit, *, cap: float | None = None) -> Figure:
        figures = self.figures.setdefault(app, {})
        if key not in figures:
            figures[key] = Figure(key, unit, cap=cap)
        return figures[key]

    def get(self, app: str, key: str) -> Figure | None:
        return self.figures.get(app, {}).get(key)

    def error(self, where: str, message: str, screen_file: str = "") -> None:
        self.errors.append({"where": where, "error": message, "screen": screen_file})


def _median(figure: Figure | None) -> float | None:
    return figure.median if figure is not None and figure.values else None


def ratio(results: Results, key: str) -> float | None:
    """explorer's median over Posting's; None when either is missing or capped (see `ratio_text`)."""
    ours, theirs = _median(results.get(EXPLORER, key)), _median(results.get(POSTING, key))
    if ours is None or theirs is None or math.isinf(ours) or math.isinf(theirs) or theirs == 0:
        return None
    return ours / theirs


def ratio_text(results: Results, key: str) -> str:
    ours, theirs = _median(results.get(EXPLORER, key)), _median(results.get(POSTING, key))
    if ours is not None and theirs is not None and math.isinf(theirs) and not math.isinf(ours):
        cap = results.get(POSTING, key)
        bound = cap.cap if cap is not None and cap.cap else None
        return f"< {ours / bound:.3f}x" if bound else "—"
    value = ratio(results, key)
    return "—" if value is None else f"{value:.2f}x"


def verdict(results: Results, row: Row) -> bool | None:
    if row.target is None:
        return None
    if row.vs_posting:
        value = ratio(results, row.key)
        ours, theirs = _median(results.get(EXPLORER, row.key)), _median(results.get(POSTING, row.key))
        if value is None and ours is not None and theirs is not None and math.isinf(theirs):
            return not math.isinf(ours)
        return None if value is None else row.target.met(value)
    median = _median(results.get(EXPLORER, row.key))
    if median is None:
        return None
    return False if math.isinf(median) else row.target.met(median)


def target_text(row: Row) -> str:
    if row.target is None:
        return ""
    if row.vs_posting:
        return f"{row.target.describe('x')} Posting"
    return row.target.describe(row.unit)


def table(results: Results, rows: list[Row | str]) -> str:
    """The table: a string entry in `rows` starts a section."""
    with_posting = POSTING in results.figures
    header = ["Measure", "explorer", "spread"]
    if with_posting:
        header += ["Posting", "spread", "explorer/Posting"]
    header += ["target", "met"]
    lines: list[list[str]] = []
    sections: list[tuple[int, str]] = []
    for row in rows:
        if isinstance(row, str):
            sections.append((len(lines), row))
            continue
        ours = results.get(EXPLORER, row.key)
        theirs = results.get(POSTING, row.key)
        if ours is None and theirs is None:
            continue
        cells = [
            row.label,
            ours.show(ours.median) if ours else "—",
            ours.spread() if ours else "",
        ]
        if with_posting:
            cells += [theirs.show(theirs.median) if theirs else "—", theirs.spread() if theirs else ""]
            cells.append(ratio_text(results, row.key) if ours and theirs and row.unit in ("s", "MiB") else "")
        ok = verdict(results, row)
        cells += [target_text(row), "" if ok is None else ("yes" if ok else "NO")]
        lines.append(cells)
    widths = [max(len(h), *(len(c[i]) for c in lines)) if lines else len(h) for i, h in enumerate(header)]

    def render(cells: list[str]) -> str:
        return "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    out = [render(header), "  ".join("-" * w for w in widths)]
    starts = dict(sections)
    for index, cells in enumerate(lines):
        if index in starts:
            out.append(starts[index])
        out.append(render(cells))
    return "\n".join(out)


def summary_lines(results: Results, rows: list[Row | str]) -> list[str]:
    """Targets that were not met, one line each."""
    missed = []
    for row in rows:
        if isinstance(row, str) or verdict(results, row) is not False:
            continue
        ours = results.get(EXPLORER, row.key)
        shown = ours.show(ours.median) if ours else "—"
        if row.vs_posting:
            shown = f"{shown} = {ratio_text(results, row.key)} Posting"
        missed.append(f"  {row.label}: {shown} (target {target_text(row)})")
    return missed


def write_json(results: Results, rows: list[Row | str], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    targets = []
    for row in rows:
        if isinstance(row, str) or row.target is None:
            continue
        ok = verdict(results, row)
        ours = results.get(EXPLORER, row.key)
        targets.append(
            {
                "key": row.key,
                "label": row.label,
                "target": target_text(row),
                "explorer_median": ours.to_json()["median"] if ours else None,
                "ratio_to_posting": ratio(results, row.key) if row.vs_posting else None,
                "met": ok,
            }
        )
    document = {
        "started": results.started,
        "seconds": round(results.seconds, 1),
        "machine": results.machine,
        "machine_line": machine_line(results.machine),
        "settings": results.settings,
        "figures": {app: {k: f.to_json() for k, f in figs.items()} for app, figs in results.figures.items()},
        "ratios_explorer_to_posting": {
            key: ratio(results, key) for key in sorted(results.figures.get(POSTING, {})) if ratio(results, key)
        },
        "targets": targets,
        "errors": results.errors,
    }
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
