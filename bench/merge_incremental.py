"""Benchmark incremental merging: the cost of adding one article to a database of N stored reports.

    .venv/bin/python bench/merge_incremental.py [--sizes 1000,10000,100000] [--adds 20] [--json OUT]

For each size, a fresh DuckDB database gets N synthetic one-report articles (tests/test_watch_merge.py's
generator: clashes in six towns over N/30 days, ~30 reports a day as a busy desk sees, several outlets
per real event), merged once in full (`remerge`, timed: what every ingest paid before). Then `--adds`
new articles dated among the stored days are stored one by one with `merge_on_write` (what
`sitroom watch` does): each is one transaction that writes the article and places its report into the
events of its days. Prints per size: the full merge's seconds and the median and worst milliseconds
per added article (store + incremental merge together).
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "tests"))

from sitroom.store import open_store  # noqa: E402
from sitroom.store.base import article_row, layer_rows, result_hash  # noqa: E402
from test_watch_merge import synthetic_result  # noqa: E402


def run(size: int, adds: int, workdir: Path) -> dict:
    days = max(30, size // 30)
    rng = random.Random(size)
    path = workdir / f"merge-{size}.duckdb"
    if path.exists():  # --keep: the stored reports of an earlier run, again (their copy: the adds change it)
        shutil.copy(path, workdir / "work.duckdb")
        for n in range(size):
            synthetic_result(n, rng, days)  # the same random stream: the adds are the same articles
        return measure(open_store(str(workdir / "work.duckdb")), size, adds, rng, days, {})
    store = open_store(str(path))
    t0 = time.perf_counter()
    with store.transaction():  # bulk rows, as put_document writes them, 2000 articles a statement batch
        for lo in range(0, size, 2000):
            tables: dict[str, list[dict]] = {"articles": []}
            for n in range(lo, min(size, lo + 2000)):
                result = synthetic_result(n, rng, days)
                tables["articles"].append(article_row(result, f"raw:{n}", result_hash(result), None, None))
                for table, rows in layer_rows(result).items():
                    tables.setdefault(table, []).extend(rows)
            for table, rows in tables.items():
                store._insert(table, rows)
    t1 = time.perf_counter()
    events = store.remerge()
    t2 = time.perf_counter()
    store.close()
    shutil.copy(path, workdir / "work.duckdb")
    timing = {"write_s": round(t1 - t0, 1), "full_merge_s": round(t2 - t1, 2), "events": events}
    return measure(open_store(str(workdir / "work.duckdb")), size, adds, rng, days, timing)


def measure(store, size: int, adds: int, rng: random.Random, days: int, timing: dict) -> dict:
    events = timing.get("events") or len(store.events())
    store.merge_on_write = True
    times = []
    for n in range(size, size + adds):
        result = synthetic_result(n, rng, days)
        start = time.perf_counter()
        store.put_document(result, raw_hash=f"raw:{n}")
        times.append((time.perf_counter() - start) * 1000)
    assert not store.is_stale()
    total = sum(e["reports"] for e in store.events())
    store.close()
    assert total == size + adds, (total, size + adds)
    return {"reports": size, "days": days, "events": events, "write_s": timing.get("write_s"),
            "full_merge_s": timing.get("full_merge_s"), "add_ms_median": round(statistics.median(times), 1),
            "add_ms_max": round(max(times), 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--adds", type=int, default=20)
    ap.add_argument("--json", default=None)
    ap.add_argument("--keep", metavar="DIR", default=None,
                    help="Keep the databases here and reuse them next time (no rebuild, no full merge)")
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(args.keep or tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        for size in (int(s) for s in args.sizes.split(",")):
            row = run(size, args.adds, workdir)
            rows.append(row)
            full = f"{row['full_merge_s']:.2f} s" if row["full_merge_s"] is not None else "(kept database)"
            print(f"{row['reports']:>7} stored reports over {row['days']} days ({row['events']} events): "
                  f"full remerge {full}; adding one article {row['add_ms_median']:.1f} ms "
                  f"median, {row['add_ms_max']:.1f} ms worst ({args.adds} adds)", flush=True)
    line = json.dumps({"bench": "merge_incremental", "rows": rows})
    print(line)
    if args.json:
        Path(args.json).write_text(line + "\n")


if __name__ == "__main__":
    main()
