"""Benchmark `sitroom ingest`: throughput, peak memory, and that a second ingest changes nothing.

    .venv/bin/python bench/ingest.py [--n 1000] [--seed 7] [--db FILE|postgresql://...] [--json OUT]

Generates N seed-sized articles (~500 words) as story clusters: each event is reported by
a wire story, a reprint of it (credited or not) and independent reports, so merging and
source counting do real work.  Then, each in a fresh process (peak memory is its own):
  1. ingest them all into an empty database (extraction + store + merge);
  2. ingest the same input again (must be a no-op).
After each run the parent takes a SHA-256 over every table's rows (`Store.checksum`);
the two must be equal.  Prints a summary and one JSON line (also written with --json).
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

# (town, province, country): public facts, written for this benchmark
PLACES = [("Saraqib", "Idlib", "Syria"), ("Maarat al-Numan", "Idlib", "Syria"), ("Manbij", "Aleppo", "Syria"),
          ("Kupiansk", "Kharkiv", "Ukraine"), ("Pokrovsk", "Donetsk", "Ukraine"), ("Kherson", "Kherson", "Ukraine"),
          ("El Fasher", "North Darfur", "Sudan"), ("Nyala", "South Darfur", "Sudan"), ("Kismayo", "Lower Juba", "Somalia"),
          ("Goma", "North Kivu", "DR Congo"), ("Bunia", "Ituri", "DR Congo"), ("Sittwe", "Rakhine", "Myanmar"),
          ("Gao", "Gao", "Mali"), ("Maiduguri", "Borno", "Nigeria"), ("Marib", "Marib", "Yemen")]
SIDES = [("Hayat Tahrir al-Sham", "the Syrian army"), ("Russian forces", "Ukrainian troops"),
         ("the Rapid Support Forces", "the Sudanese army"), ("Al Shabaab", "Somali forces"),
         ("M23 rebels", "Congolese troops"), ("the Arakan Army", "the Myanmar military"),
         ("JNIM fighters", "Malian soldiers"), ("ISWAP", "Nigerian troops"), ("the Houthis", "government forces")]
WIRES = [("Reuters", "reuters.com"), ("AFP", "afp.com"), ("AP", "apnews.com")]
OUTLETS = ["dailystar.example", "gulfpost.example", "nationherald.example", "coastaltimes.example",
           "eveningstandard.example", "theobserver.example", "morningpost.example", "frontline.example"]
MONITORS = ["a war monitor", "the local health ministry", "a human rights group", "United Nations officials"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
BACKGROUND = [
    "The region has seen repeated clashes since {a} first took control of parts of {prov} province.",
    "Aid agencies said about {m} residents had fled towards safer districts since the start of the month.",
    "Analysts expect that {a} may try to advance further towards {town} in the coming days.",
    "The figures could not be independently verified, and {b} denied suffering any losses.",
    "Witnesses said {b} had used heavy artillery against residential districts of {town}.",
    "Hospitals in {prov} reported shortages of fuel and medicine as the fighting continued.",
    "Local officials said roads out of {town} had been cut for most of the day.",
    "Residents described hearing explosions through the night and seeing smoke over the outskirts.",
    "\"We repelled the attack and destroyed {n} vehicles,\" a spokesman for {b} told reporters.",
    "It was reported that {n} fighters were killed in the first hours of the offensive.",
    "Diplomats in the capital called for an immediate halt to the fighting around {town}.",
    "Schools in {prov} were closed as a precaution, a local education official said.",
]


def _sentences(rng: random.Random, ctx: dict, words: int) -> list[str]:
    out, count = [], 0
    while count < words:
        s = rng.choice(BACKGROUND).format(**ctx, n=rng.randint(2, 60), m=rng.randint(2, 90) * 100)
        out.append(s[0].upper() + s[1:])
        count += len(s.split())
    return out


def _paragraphs(sentences: list[str]) -> str:
    return "\n\n".join(" ".join(sentences[i:i + 4]) for i in range(0, len(sentences), 4))


def make_corpus(n: int, seed: int = 7, words: int = 480) -> list[dict]:
    """N articles as JSONL records: per event a wire story, a reprint and independent reports."""
    rng = random.Random(seed)
    docs: list[dict] = []
    event = 0
    while len(docs) < n:
        event += 1
        town, prov, country = rng.choice(PLACES)
        a, b = rng.choice(SIDES)
        month = rng.randrange(12)
        day = rng.randint(1, 28)
        date = f"2024-{month + 1:02d}-{day:02d}"
        ctx = {"a": a, "b": b, "town": town, "prov": prov}
        killed = rng.randint(3, 80)
        lead = (f"{a[0].upper() + a[1:]} attacked positions held by {b} near {town} in {prov} province on "
                f"{MONTHS[month]} {day}, killing at least {killed} people, {rng.choice(MONITORS)} said.")
        wire_name, wire_host = rng.choice(WIRES)
        body = _paragraphs([lead] + _sentences(rng, ctx, words - 30))
        wire_text = f"{town.upper()}, {country} ({wire_name}) - " + body
        docs.append({"id": f"bench-{event:05d}-wire", "text": wire_text, "published": date, "outlet": wire_host})
        reprint = wire_text if rng.random() < 0.5 else body + "\n\nThis story was updated with more details."
        docs.append({"id": f"bench-{event:05d}-reprint", "text": reprint, "published": date,
                     "outlet": rng.choice(OUTLETS)})
        for k in range(2):  # independent write-ups: their own words, their own figure
            own = (f"Fighting between {a} and {b} broke out near {town} on {MONTHS[month]} {day}, and "
                   f"{killed + rng.randint(-2, 15)} people were killed, according to {rng.choice(MONITORS)}.")
            docs.append({"id": f"bench-{event:05d}-indep{k}", "published": date, "outlet": rng.choice(OUTLETS),
                         "text": _paragraphs([own] + _sentences(rng, ctx, words - 30))})
    return docs[:n]


def child(jsonl: str, db: str) -> None:
    """One ingest run, reporting its own wall time, store time and peak RSS as JSON on stdout."""
    from sitroom.inputs import iter_inputs
    from sitroom.pipeline import load_pipeline
    from sitroom.store import open_store
    from sitroom.store.ingest import ingest

    t0 = time.perf_counter()
    nlp = load_pipeline()
    load_s = time.perf_counter() - t0
    rss_loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    store = open_store(db)
    timers = {"store": 0.0, "merge": 0.0}
    put, remerge = store.put_document, store.remerge

    def timed_put(*a, **k):
        t = time.perf_counter()
        try:
            return put(*a, **k)
        finally:
            timers["store"] += time.perf_counter() - t

    def timed_merge():
        t = time.perf_counter()
        try:
            return remerge()
        finally:
            timers["merge"] += time.perf_counter() - t

    store.put_document, store.remerge = timed_put, timed_merge
    t1 = time.perf_counter()
    stats = ingest(store, iter_inputs([jsonl], "jsonl"), nlp=nlp)
    wall = time.perf_counter() - t1
    store.close()
    print(json.dumps({"wall_s": wall, "load_s": load_s, "store_s": timers["store"], "merge_s": timers["merge"],
                      "new": stats.new, "updated": stats.updated, "unchanged": stats.unchanged,
                      "duplicate": stats.duplicate, "failed": stats.failed, "events": stats.events,
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "rss_after_model_mb": rss_loaded / 1024}))


def run_child(jsonl: str, db: str) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--child", jsonl, "--db", db], capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"ingest run failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def snapshot(db: str) -> tuple[str, dict]:
    from sitroom.store import open_store
    store = open_store(db, read_only=not db.startswith("postgres"))
    try:
        return store.checksum(), store.counts()
    finally:
        store.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1000, help="articles (default 1000)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--db", help="database to ingest into (default: a new temp DuckDB file); must be empty")
    ap.add_argument("--json", help="also write the result JSON here")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child, args.db)
        return
    work = Path(tempfile.mkdtemp(prefix="sitroom-bench-"))
    db = args.db or str(work / "bench.duckdb")
    docs = make_corpus(args.n, args.seed)
    jsonl = work / "articles.jsonl"
    jsonl.write_text("".join(json.dumps(d) + "\n" for d in docs))
    words = sum(len(d["text"].split()) for d in docs)
    print(f"{len(docs)} articles, {words} words ({words / len(docs):.0f}/article) in {jsonl}", file=sys.stderr)

    first = run_child(str(jsonl), db)
    sum1, counts1 = snapshot(db)
    second = run_child(str(jsonl), db)
    sum2, counts2 = snapshot(db)
    result = {
        "articles": len(docs), "words": words, "db": db,
        "first": first, "second": second,
        "articles_per_s": len(docs) / first["wall_s"], "words_per_s": words / first["wall_s"],
        "store_ms_per_article": 1000 * first["store_s"] / max(1, first["new"]),
        "checksum_first": sum1, "checksum_second": sum2, "identical": sum1 == sum2 and counts1 == counts2,
        "counts": counts1,
    }
    print(f"ingest #1: {first['new']} new, {first['failed']} failed, {first['events']} merged events in "
          f"{first['wall_s']:.1f} s = {result['articles_per_s']:.1f} articles/s ({result['words_per_s']:.0f} words/s); "
          f"store {first['store_s']:.1f} s ({result['store_ms_per_article']:.1f} ms/article), merge "
          f"{first['merge_s']:.2f} s; peak RSS {first['peak_rss_mb']:.0f} MB "
          f"({first['rss_after_model_mb']:.0f} MB after loading the model)", file=sys.stderr)
    print(f"ingest #2: {second['unchanged']} unchanged, {second['new']} new in {second['wall_s']:.1f} s; "
          f"peak RSS {second['peak_rss_mb']:.0f} MB", file=sys.stderr)
    print(f"tables: {counts1}", file=sys.stderr)
    print(f"checksum #1 {sum1}\nchecksum #2 {sum2}\nidentical: {result['identical']}", file=sys.stderr)
    line = json.dumps(result)
    print(line)
    if args.json:
        Path(args.json).write_text(line + "\n")
    if not result["identical"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
