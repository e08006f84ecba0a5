"""The exploration loop's figures: the history file at 10,000 entries, and jq on the 5 MB catalog export.

    .venv/bin/python -m benchmarks.bench_loop [--runs N] [--entries N]

- **history open**: from nothing to the newest 200 entries listed, on a file of 10,000 entries (a fresh
  `HistoryStore`, as a new window opens it). Target ≤ 100 ms.
- **history filter, per key**: typing `catalog` one key at a time; each key does what the History pane asks of
  its thread: the newest matching page (`PAGE` + 1 entries, over all 10,000) and its rows built. The first key,
  `c`, matches nearly every entry. Target < 50 ms a key.
- **jq result**: `.products | length` and a `map(select(...))` on the sandbox's 5 MB catalog export (the same body
  the TUI benchmarks load; its list is `products`). Target ≤ 1 s.
- **key while jq runs**: the filter runs as the app runs it: a thread hands it to the jq child process
  (`explorer.core.jqprocess`) and waits for the rendered result; meanwhile an asyncio loop wakes every 10 ms as a
  key would be handled, and the worst delay past its time is reported. Target < 100 ms. The first filter also
  starts the child (reported apart); `--in-thread` also measures libjq run in a thread of this process, as the
  app did before, for comparison.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

from explorer.core import jqfilter
from explorer.core.history import HistoryStore, entry_for
from explorer.core.http import ResponseRecord, SentRequest
from explorer.core.jqprocess import JqProcess
from explorer.core.model import RequestSpec
from explorer.sandbox.assets import build_catalog_export
from explorer.ui.widgets.history_pane import PAGE, build_rows

FILTERS = (".products | length", ".products | map(select(.price > 500 and .stock.on_hand > 5000)) | length")


def fill_history(path: Path, entries: int) -> None:
    body = b'{"items": [' + b",".join(b'{"id": %d, "name": "store %d"}' % (n, n) for n in range(40)) + b"]}"
    urls = ("v0/stores", "api/v1/orders", "api/v1/catalog/products", "api/v1/customer/profiles", "api/v1/whoami")
    with HistoryStore(path) as store:
        for n in range(entries):
            url = f"https://acme-staging.example/{urls[n % len(urls)]}?offset={n}"
            sent = SentRequest("GET", url, (("Authorization", "Bearer eyJab…wxyz"),), b"", True, False)
            record = ResponseRecord(200 if n % 7 else 404, "OK", "HTTP/1.1", [("content-type", "application/json")],
                                    0.05, body, sent, started_at=1_790_000_000 + n * 60)  # fmt: skip
            spec = RequestSpec(name=f"request {n}", url="{{api_url}}/" + urls[n % len(urls)])
            profile = ("staging", "production", "sandbox")[n % 3]
            store.add(entry_for(spec, record, profile=profile, tenant=f"acme-{profile}", stage=profile))


def time_history(path: Path, runs: int) -> tuple[list[float], list[float], list[float]]:
    opens: list[float] = []
    keys: list[float] = []
    firsts: list[float] = []
    today = date.today()
    for _ in range(runs):
        started = time.perf_counter()
        store = HistoryStore(path)
        newest = store.recent(limit=200)
        opens.append(time.perf_counter() - started)
        assert len(newest) == 200
        typed = ""
        for char in "catalog":
            typed += char
            started = time.perf_counter()
            build_rows(store.search(typed, limit=PAGE + 1)[:PAGE], frozenset(), 120, today)
            keys.append(time.perf_counter() - started)
        firsts.append(keys[-len("catalog")])
        store.close()
    return opens, keys, firsts


def time_jq(body: bytes, expression: str, runs: int, process: JqProcess | None) -> tuple[list[float], list[float]]:
    results: list[float] = []
    lags: list[float] = []
    for _ in range(runs):
        lag, took = asyncio.run(_filter_while_keys(body, expression, process))
        results.append(took)
        lags.append(lag)
    return results, lags


async def _filter_while_keys(body: bytes, expression: str, process: JqProcess | None) -> tuple[float, float]:
    done = threading.Event()
    took = 0.0

    def work() -> None:
        nonlocal took
        started = time.perf_counter()
        if process is None:
            jqfilter.run(expression, body)
        else:
            assert process.run(expression, body) is not None
        took = time.perf_counter() - started
        done.set()

    thread = threading.Thread(target=work)
    worst = 0.0
    thread.start()
    while not done.is_set():
        planned = time.perf_counter() + 0.01
        await asyncio.sleep(0.01)
        worst = max(worst, time.perf_counter() - planned)
    thread.join()
    return worst, took


def _ms(values: list[float]) -> str:
    return f"median {statistics.median(values) * 1000:.1f} ms, max {max(values) * 1000:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--in-thread", action="store_true", help="also run libjq in a thread, as the app did before")
    parser.add_argument("--no-history", action="store_true", help="only the jq figures")
    args = parser.parse_args()
    if not args.no_history:
        history(args)
    body = build_catalog_export("demo-sandbox", 5 * 1024 * 1024)
    print(f"jq on the 5 MB catalog export ({len(body) / 1e6:.1f} MB), in the jq child process as the app runs it:")
    process = JqProcess()
    try:
        results, lags = time_jq(body, "length", 1, process)
        print(f"  first filter, starting the child:  result {_ms(results)}, key while it runs {_ms(lags)}")
        for expression in FILTERS:
            results, lags = time_jq(body, expression, args.runs, process)
            print(f"  {expression}")
            print(f"    result:               {_ms(results)}   target <= 1000 ms")
            print(f"    key while it runs:    {_ms(lags)}   target < 100 ms")
    finally:
        process.close()
    if args.in_thread:
        print("libjq in a thread of this process (the app before the child process), for comparison:")
        for expression in FILTERS:
            results, lags = time_jq(body, expression, args.runs, None)
            print(f"  {expression}")
            print(f"    result:               {_ms(results)}")
            print(f"    key while it runs:    {_ms(lags)}")


def history(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "history.sqlite3"
        started = time.perf_counter()
        fill_history(path, args.entries)
        print(f"history: {args.entries} entries written in {time.perf_counter() - started:.1f} s, "
              f"{path.stat().st_size / 1e6:.1f} MB")  # fmt: skip
        opens, keys, firsts = time_history(path, args.runs)
    print(f"history open (newest 200 of {args.entries}):  {_ms(opens)}   target <= 100 ms")
    print(f"history filter, per key:              {_ms(keys)}   target < 50 ms")
    print(f"history filter, first key:            {_ms(firsts)}   target < 50 ms")


if __name__ == "__main__":
    main()
