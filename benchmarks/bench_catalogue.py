"""How fast the endpoint catalogue is on a big API description, and what it costs in memory.

A standalone script, not a test: `python benchmarks/bench_catalogue.py [--operations 5000] [--runs 5]`.

It writes a generated description (benchmarks/catalogue_spec.py: 5,000 operations, about 10 MB of JSON) to a
temporary directory, then measures:

- core, in a fresh process: parsing and reading the description (wall and CPU time), the process's memory
  growth at its peak (VmHWM minus the RSS before), and the filter: each prefix of a few typed queries, the
  slowest one reported;
- `explorer catalogue --spec FILE` as a whole process (Python's start, imports, parsing, printing 5,000 lines);
- that the app's start-up imports nothing of the catalogue when no description is set;
- the app (headless Textual, 160x48): from opening the Catalogue pane to its first rows on screen, the slowest
  key answered while the description is being read, and the filter's slowest keystroke.

Each time is the median over the runs (the worst for "slowest"). Figures depend on the machine and its load:
the CPU times beside the wall times show how much of a wall time was waiting for a busy processor.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.catalogue_spec import write_spec

TARGETS = {
    "core.read_s": ("<=", 1.5),
    "core.peak_growth_mb": ("<=", 150.0),
    "core.filter_worst_ms": ("<", 50.0),
    "cli.catalogue_s": ("<=", 1.5),
    "app.on_screen_s": ("<=", 1.5),
    "app.key_worst_ms": ("<", 100.0),
    "app.filter_worst_ms": ("<", 50.0),
}
QUERIES = ("orders get", "refund 12", "delete", "v2/shipments")

_CORE = r"""
import json, sys, time
from pathlib import Path

def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1]) / 1024
    return 0.0

before = status("VmRSS:")
import explorer.core.openapi.source as source
wall, cpu = time.perf_counter(), time.process_time()
catalogue = source.read_spec_file(Path(sys.argv[1]))
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
peak = status("VmHWM:") - before
worst = worst_cpu = 0.0
for query in json.loads(sys.argv[2]):
    for end in range(1, len(query) + 1):
        start, start_cpu = time.perf_counter(), time.thread_time()
        catalogue.filter(query[:end])
        worst = max(worst, time.perf_counter() - start)
        worst_cpu = max(worst_cpu, time.thread_time() - start_cpu)
print(json.dumps({"ops": len(catalogue.operations), "read_s": wall, "read_cpu_s": cpu, "peak_mb": peak,
                  "filter_worst_ms": worst * 1000, "filter_worst_cpu_ms": worst_cpu * 1000}))
"""


def core(spec: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", _CORE, str(spec), json.dumps(QUERIES)], capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out)


def cli(spec: Path, env: dict[str, str]) -> tuple[float, float]:
    explorer = Path(sys.executable).with_name("explorer")
    before = os.times()
    start = time.perf_counter()
    done = subprocess.run([str(explorer), "catalogue", "--spec", str(spec)], capture_output=True, env=env)
    wall = time.perf_counter() - start
    after = os.times()
    if done.returncode != 0 or done.stdout.count(b"\n") < 5000:
        raise RuntimeError(f"explorer catalogue failed: {done.stderr[-300:]!r}")
    return wall, (after.children_user - before.children_user) + (after.children_system - before.children_system)


def startup_imports() -> list[str]:
    code = (
        "import sys, explorer.ui.app, explorer.ui.launch; "
        "print(' '.join(m for m in sys.modules if m.startswith(('explorer.core.openapi', 'explorer.core.scope'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return out.split()


def verdict(key: str, value: float) -> str:
    if key not in TARGETS:
        return ""
    op, limit = TARGETS[key]
    ok = value <= limit if op == "<=" else value < limit
    return f"target {op} {limit:g}: {'met' if ok else 'MISSED'}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--operations", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-app", action="store_true", help="skip the Textual measurements")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args()
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="bench-catalogue-") as tmp:
        spec = write_spec(Path(tmp) / "spec.json", args.operations)
        size = spec.stat().st_size / 2**20
        print(f"Description: {args.operations} operations, {size:.1f} MB of JSON; {args.runs} run(s) each")
        cores = [core(spec) for _ in range(args.runs)]
        figures["core.read_s"] = statistics.median(c["read_s"] for c in cores)
        figures["core.read_cpu_s"] = statistics.median(c["read_cpu_s"] for c in cores)
        figures["core.peak_growth_mb"] = max(c["peak_mb"] for c in cores)
        figures["core.filter_worst_ms"] = max(c["filter_worst_ms"] for c in cores)
        figures["core.filter_worst_cpu_ms"] = max(c["filter_worst_cpu_ms"] for c in cores)
        env = dict(os.environ, EXPLORER_CONFIG=str(Path(tmp) / "none.toml"))
        cli(spec, env)  # warm the file and bytecode caches
        runs = [cli(spec, env) for _ in range(args.runs)]
        figures["cli.catalogue_s"] = statistics.median(r[0] for r in runs)
        figures["cli.catalogue_cpu_s"] = statistics.median(r[1] for r in runs)
        loaded = startup_imports()
        figures["app.startup_imports"] = float(len(loaded))
        if not args.no_app:
            from benchmarks.catalogue_app import measure_app

            figures.update(measure_app(spec, runs=max(1, min(args.runs, 3))))
    for key, value in figures.items():
        unit = "ms" if key.endswith("_ms") else "MB" if key.endswith("_mb") else "s" if key.endswith("_s") else ""
        print(f"  {key:<24} {value:>9.3f} {unit:<3} {verdict(key, value)}")
    if loaded:
        print(f"  start-up imported: {', '.join(loaded)}")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
