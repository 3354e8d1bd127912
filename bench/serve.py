"""Benchmark `sitroom serve` on a large database: API latency and the dashboard's first view.

    .venv/bin/python bench/serve.py                  # 100k events (built in a few seconds)
    .venv/bin/python bench/serve.py --events 300000 --requests 400

Builds a DuckDB of synthetic merged events (with their reports, articles, claims) by
inserting rows directly -- no extraction -- then serves it with uvicorn on loopback and
measures, from a client on the same machine:

* p50/p95 of filtered `GET /api/events?limit=500` (a random mix of country, type, date
  window, fatalities, sources, bbox and actor filters),
* p50/p95 of `GET /api/events/{id}` for random events,
* p50/p95 of the aggregates the first view asks for (`/api/events/grid`, `/api/events/timeline`, `/api/facets`),
* the time until the dashboard in headless Chromium has drawn the whole set (aggregated on
  the server past a few thousand points), when Debian's chromium and playwright are installed.

Targets (issue 14): p95 < 200 ms, first view < 2 s. Results also go to bench/results/serve.json.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sitroom.acled import SUB_EVENT_TYPES  # noqa: E402
from sitroom.store import open_store  # noqa: E402
from sitroom.store.schema import columns  # noqa: E402

# (country, iso numeric, admin1s, centre lat, centre lon, spread in degrees)
COUNTRIES = [
    ("Syria", 760, ["Idlib", "Aleppo", "Hama", "Deir ez-Zor"], 35.0, 38.5, 1.5),
    ("Ukraine", 804, ["Donetsk", "Kharkiv", "Zaporizhzhia", "Kherson"], 48.3, 36.5, 2.0),
    ("Sudan", 729, ["Khartoum", "North Darfur", "West Darfur", "Al Jazirah"], 14.0, 29.0, 4.0),
    ("Myanmar", 104, ["Sagaing", "Rakhine", "Shan", "Kachin"], 21.0, 96.0, 3.0),
    ("Yemen", 887, ["Taizz", "Marib", "Al Hudaydah"], 15.0, 45.0, 2.0),
    ("Democratic Republic of Congo", 180, ["North Kivu", "Ituri", "South Kivu"], -1.0, 28.5, 1.5),
    ("Nigeria", 566, ["Borno", "Zamfara", "Kaduna", "Benue"], 10.5, 8.0, 3.0),
    ("Mexico", 484, ["Sinaloa", "Guerrero", "Michoacan", "Jalisco"], 21.0, -102.0, 4.0),
    ("Somalia", 706, ["Banadir", "Lower Shabelle", "Bay"], 3.0, 45.0, 2.0),
    ("Burkina Faso", 854, ["Sahel", "Est", "Centre-Nord"], 12.5, -1.0, 2.0),
]
ACTORS = ["Hayat Tahrir al-Sham", "Military Forces of Syria (2000-2024)", "Military Forces of Russia (2000-)",
          "Military Forces of Ukraine (2019-)", "Rapid Support Forces", "Military Forces of Sudan (2019-)",
          "Arakan Army", "Military Forces of Myanmar (2021-)", "Ansar Allah", "M23: March 23 Movement",
          "ISWAP: Islamic State West Africa Province", "Sinaloa Cartel", "Al Shabaab", "JNIM: Group for Support of "
          "Islam and Muslims", "Civilians", "Protesters", "Rioters", "Unidentified Armed Group"]
OUTLETS = ["reuters.com", "apnews.com", "aljazeera.com", "bbc.co.uk", "kyivindependent.com", "sudantribune.com",
           "irrawaddy.com", "premiumtimesng.com", "eluniversal.com.mx", "garoweonline.com", "syriahr.com", "afp.com"]
SUBS = list(SUB_EVENT_TYPES.items())


def build(path: Path, n: int, seed: int = 7) -> dict:
    """A DuckDB of `n` merged events, 1-3 reports each, with articles, claims and links between them."""
    rng = np.random.default_rng(seed)
    t0 = time.perf_counter()
    store = open_store(str(path))
    conn = store.conn
    ci = rng.integers(0, len(COUNTRIES), n)
    lat = np.array([COUNTRIES[c][3] for c in ci]) + rng.normal(0, 1, n) * np.array([COUNTRIES[c][5] for c in ci])
    lon = np.array([COUNTRIES[c][4] for c in ci]) + rng.normal(0, 1, n) * np.array([COUNTRIES[c][5] for c in ci])
    day0 = np.datetime64("2022-01-01")
    dates = (day0 + rng.integers(0, 3 * 365, n).astype("timedelta64[D]")).astype(str)
    si = rng.integers(0, len(SUBS), n)
    fat = rng.geometric(0.25, n) - 1
    high = fat + rng.integers(0, 3, n) * rng.integers(0, 20, n)
    nrep = rng.integers(1, 4, n)
    a1 = rng.integers(0, len(ACTORS), n)
    a2 = rng.integers(0, len(ACTORS), n)
    contested = high > fat * 3 + 5
    ids = [f"ev-{i:08x}" for i in range(n)]
    ingested = "2024-12-01T00:00:00+00:00"
    ev_rows, rep_rows, art_rows, claim_rows, er_rows, ec_rows = [], [], [], [], [], []
    for i in range(n):
        c = COUNTRIES[ci[i]]
        sub, etype = SUBS[si[i]]
        docs = [f"doc-{i:08x}-{k}" for k in range(nrep[i])]
        outlets = sorted({OUTLETS[(i * 7 + k * 3) % len(OUTLETS)] for k in range(nrep[i])})
        admin1 = c[2][i % len(c[2])]
        ev = {"event_id": ids[i], "event_date": dates[i], "time_precision": 1 + (i % 7 == 0), "event_type": etype,
              "sub_event_type": sub, "actor1": ACTORS[a1[i]], "assoc_actor_1": None, "inter1": "Rebel group",
              "actor2": ACTORS[a2[i]], "assoc_actor_2": None, "inter2": "State forces", "country": c[0], "iso": c[1],
              "admin1": admin1, "admin2": None, "location": f"{admin1} {i % 97}", "latitude": float(lat[i]),
              "longitude": float(lon[i]), "geo_precision": 1 + (i % 5 == 0), "fatalities": int(fat[i]),
              "fatalities_low": int(fat[i]), "fatalities_best": int(fat[i]), "fatalities_high": int(high[i]),
              "civilian_targeting": etype == "Violence against civilians", "contested": bool(contested[i]),
              "sources": int(len(outlets)), "reports": int(nrep[i]), "outlets": json.dumps(outlets),
              "doc_ids": json.dumps(docs), "claims": json.dumps([f"{d}#c1" for d in docs]),
              "figures": json.dumps([{"speaker": "a monitor", "count": int(fat[i]), "high": int(high[i]),
                                      "qualifier": "at_least", "partial": False, "partisan": False, "credible": True,
                                      "provenance": "source:x", "doc_ids": docs[:1], "claims": [], "parts": {}}]),
              "notes": f"Synthetic event {i} in {admin1}.", "first_published": dates[i], "last_ingested": ingested}
        ev_rows.append(ev)
        for k, d in enumerate(docs):
            text = (f"{ACTORS[a1[i]]} and {ACTORS[a2[i]]} clashed in {admin1}, {c[0]}, on {dates[i]}. "
                    f"At least {fat[i]} people were killed, a monitor said. " * 3)
            art_rows.append({"doc_id": d, "url": f"https://{outlets[k % len(outlets)]}/story/{i}-{k}", "title":
                             f"Fighting in {admin1}", "published": dates[i], "outlet": outlets[k % len(outlets)],
                             "text": text, "links": "[]", "images": "[]", "input": d, "raw_hash": "raw:" + d,
                             "text_hash": d, "result_hash": d, "wire": None, "source_group": "outlet:" + outlets[k % len(outlets)],
                             "minhash": "", "pipeline_version": "bench", "ingested_at": ingested})
            rep = {col: ev.get(col) for col in columns("reports")}
            rep.update(doc_id=d, event_id="e1", rank=0, claims='["c1"]', evidence='[{"start":0,"end":80}]')
            rep_rows.append(rep)
            claim_rows.append({"doc_id": d, "claim_id": "c1", "rank": 0, "kind": "reported", "speaker": "a monitor",
                               "speaker_role": None, "speaker_actor": None, "cue": "said",
                               "text": f"At least {fat[i]} people were killed", "start_char": 90, "end_char": 120,
                               "hedged": False, "figures": json.dumps([{"count": int(fat[i]), "qualifier": "at_least",
                                                                        "category": "killed"}])})
            er_rows.append({"event_id": ids[i], "doc_id": d, "report_id": "e1", "source_group": "outlet:" + outlets[k % len(outlets)]})
            ec_rows.append({"event_id": ids[i], "doc_id": d, "claim_id": "c1"})
    for table, rows in (("events", ev_rows), ("articles", art_rows), ("reports", rep_rows), ("claims", claim_rows),
                        ("event_reports", er_rows), ("event_claims", ec_rows)):
        cols = columns(table)
        arrow = pa.Table.from_pylist([{c: r.get(c) for c in cols} for r in rows])
        conn.register("bench_rows", arrow)
        conn.execute(f"INSERT INTO {table} ({', '.join(cols)}) SELECT {', '.join(cols)} FROM bench_rows")
        conn.unregister("bench_rows")
    store.close()
    return {"events": n, "articles": len(art_rows), "build_s": round(time.perf_counter() - t0, 1),
            "db_mb": round(path.stat().st_size / 1e6, 1)}


def random_filter(rng: random.Random) -> str:
    """One filtered list request, as a dashboard user makes them."""
    c = rng.choice(COUNTRIES)
    start = f"202{rng.randint(2, 4)}-{rng.randint(1, 12):02d}-01"
    options = [
        f"country={c[0]}", f"event_type={rng.choice(SUBS)[1]}", f"since={start}",
        f"since={start}&until={start[:5]}12-31", f"min_fatalities={rng.randint(1, 10)}", "min_sources=2",
        "contested=true", f"bbox={c[4] - 2},{c[3] - 2},{c[4] + 2},{c[3] + 2}", f"actor={rng.choice(ACTORS)[:8]}",
        f"admin1={c[2][0]}", "sort=-fatalities", f"outlet={rng.choice(OUTLETS)}",
    ]
    return "&".join(rng.sample(options, rng.randint(1, 3))) + "&limit=500"


def timed(client, url: str) -> float:
    t = time.perf_counter()
    r = client.get(url)
    elapsed = time.perf_counter() - t
    if r.status_code != 200:
        raise SystemExit(f"{url}: HTTP {r.status_code}: {r.text[:200]}")
    return elapsed * 1000


def summary(ms: list[float]) -> dict:
    ms = sorted(ms)
    return {"n": len(ms), "p50_ms": round(statistics.median(ms), 1),
            "p95_ms": round(ms[min(len(ms) - 1, int(0.95 * len(ms)))], 1), "max_ms": round(ms[-1], 1)}


def first_view(url: str, runs: int) -> dict | str:
    """Seconds from navigation until the dashboard has drawn the whole set (`data-shown`: basemap, map, timeline,
    list), in headless Chromium; the filters' choices arrive after it."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return "skipped: playwright is not installed"
    if not Path("/usr/bin/chromium").exists():
        return "skipped: no /usr/bin/chromium"
    times, outside = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"])
        for _ in range(runs):
            context = browser.new_context(viewport={"width": 1400, "height": 900})
            page = context.new_page()
            page.on("request", lambda r: not r.url.startswith(url) and not r.url.startswith("data:")
                    and outside.append(r.url))
            t = time.perf_counter()
            page.goto(url + "/")
            page.wait_for_selector("body[data-shown='1']", timeout=60_000)
            times.append(time.perf_counter() - t)
            page.wait_for_selector("body[data-ready='1']", timeout=60_000)
            mode = page.inner_text("#mode")
            shown = page.inner_text("#count")
            context.close()
        browser.close()
    return {"runs": runs, "median_s": round(statistics.median(times), 2), "max_s": round(max(times), 2),
            "mode": mode, "count": shown, "requests_off_loopback": len(outside)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--requests", type=int, default=300, help="requests per measured endpoint")
    ap.add_argument("--views", type=int, default=5, help="dashboard loads measured")
    ap.add_argument("--db", help="keep the database here (default: a temporary directory)")
    args = ap.parse_args()

    import httpx

    from sitroom.serve import create_app
    from sitroom.serve.server import running

    with tempfile.TemporaryDirectory(prefix="sitroom-bench-") as tmp:
        path = Path(args.db) if args.db else Path(tmp) / "bench.duckdb"
        if path.exists():
            path.unlink()
        built = build(path, args.events)
        print(f"built {built['events']:,} events, {built['articles']:,} articles in {built['build_s']} s "
              f"({built['db_mb']} MB)", flush=True)
        rng = random.Random(11)
        ids = [f"ev-{rng.randrange(args.events):08x}" for _ in range(args.requests)]
        results: dict = {"database": built}
        with running(create_app(str(path))) as url, httpx.Client(base_url=url, timeout=30) as client:
            for _ in range(10):  # warm up: first queries compile and fill caches
                timed(client, "/api/events?" + random_filter(rng))
            results["events_filtered_limit_500"] = summary(
                [timed(client, "/api/events?" + random_filter(rng)) for _ in range(args.requests)])
            results["event_detail"] = summary([timed(client, f"/api/events/{i}") for i in ids])
            results["grid_zoom_2"] = summary([timed(client, "/api/events/grid?zoom=2&bbox=-180,-85,180,85")
                                              for _ in range(max(20, args.requests // 10))])
            results["timeline"] = summary([timed(client, "/api/events/timeline")
                                           for _ in range(max(20, args.requests // 10))])
            results["facets"] = summary([timed(client, "/api/facets") for _ in range(max(10, args.requests // 30))])
            results["first_view"] = first_view(url, args.views)
    for name, r in results.items():
        print(f"{name:28} {r}")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "serve.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
