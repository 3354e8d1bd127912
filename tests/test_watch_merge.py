"""Incremental merging (`merge_on_write`, what `sitroom watch` does): each new article's reports join or
start their events at once, reading only the events of their days.

The events after storing articles one by one equal a merge that adds the same reports one by one in
the same order (`merge_in_order`); `remerge` (the full, canonical merge) stays available.
"""
from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from sitroom.merge import merge_in_order, merge_reports
from sitroom.records import DocumentResult
from sitroom.store import open_store, schema

TOWNS = [("Saraqib", "Idlib", "Syria", 760, 35.8644, 36.8006), ("Maarat al-Numan", "Idlib", "Syria", 760, 35.6433, 36.6708),
         ("Goma", "Nord-Kivu", "Democratic Republic of Congo", 180, -1.6792, 29.2228),
         ("Kidal", "Kidal", "Mali", 466, 18.4411, 1.4078), ("Bakhmut", "Donetsk", "Ukraine", 804, 48.5947, 38.0003),
         ("Khartoum", "Khartoum", "Sudan", 729, 15.5518, 32.5324)]
PAIRS = [("Hayat Tahrir al-Sham", "Rebel group", "Military Forces of Syria (2000-2024)", "State forces"),
         ("M23: March 23 Movement", "Rebel group", "Military Forces of the Democratic Republic of Congo (2019-)",
          "State forces"),
         ("Rapid Support Forces", "Rebel group", "Military Forces of Sudan (2019-)", "State forces")]
OUTLETS = ["alpha.example", "bravo.example", "charlie.example", "delta.example", "echo.example"]


def synthetic_result(n: int, rng: random.Random, days: int = 30, start: date = date(2025, 1, 1)) -> DocumentResult:
    """An article reporting one clash: a few real events get several reports from different outlets."""
    day = start + timedelta(days=rng.randrange(days))
    town, admin1, country, iso, lat, lon = rng.choice(TOWNS)
    a1, i1, a2, i2 = rng.choice(PAIRS)
    outlet = rng.choice(OUTLETS)
    killed = rng.choice([0, 3, 5, 12])
    text = (f"Report {n}: fighting between {a1} and {a2} near {town} on {day.isoformat()} killed {killed} people, "
            f"{outlet} reported, citing witnesses who saw the column of smoke number {rng.randrange(10**6)}.")
    event = {"event_id": "e1", "event_date": day.isoformat(), "time_precision": 1, "event_type": "Battles",
             "sub_event_type": "Armed clash", "actor1": a1, "inter1": i1, "actor2": a2, "inter2": i2,
             "country": country, "iso": iso, "admin1": admin1, "location": town, "latitude": lat, "longitude": lon,
             "geo_precision": 1, "fatalities": killed, "claims": [], "evidence": [], "notes": text[:80]}
    return DocumentResult.model_validate({
        "id": f"doc-{n:06d}",
        "article": {"url": f"https://{outlet}/{n}", "published": (day + timedelta(days=rng.randrange(2))).isoformat(),
                    "outlet": outlet, "text": text},
        "events": [event],
        "places": [{"mention": town, "start": 0, "end": len(town), "name": town, "country": country, "admin1": admin1,
                    "latitude": lat, "longitude": lon, "feature": "town"}],
    })


def synthetic_results(count: int, seed: int = 7, days: int = 30) -> list[DocumentResult]:
    rng = random.Random(seed)
    return [synthetic_result(n, rng, days) for n in range(count)]


def event_sets(events) -> set[tuple]:
    """Each event as its id, members and fused fields, whatever the order of the list."""
    return {(e["event_id"], tuple(e["doc_ids"]), e["event_date"], e["location"], e["fatalities"], e["sources"])
            for e in events}


@pytest.fixture()
def store(tmp_path):
    s = open_store(str(tmp_path / "inc.duckdb"))
    s.merge_on_write = True
    yield s
    s.close()


@pytest.mark.parametrize("order", ["canonical", "shuffled"])
def test_incremental_equals_merging_the_same_reports_in_the_same_order(store, order):
    results = synthetic_results(120)
    if order == "canonical":
        results.sort(key=lambda r: (r.events[0].event_date, r.id))
    else:
        random.Random(3).shuffle(results)
    for r in results:
        assert store.put_document(r, raw_hash="raw:" + r.id) == "new"
        assert not store.is_stale()  # merged in the article's own transaction
    reports = {r.doc_id: r for r in store.load_reports()}
    expected = merge_in_order(reports[r.id] for r in results)
    assert event_sets(store.events()) == event_sets(m.event for m in expected)
    assert sum(e["reports"] for e in store.events()) == 120 and len(store.events()) < 120


def test_incremental_then_remerge_gives_the_full_merge(store):
    results = synthetic_results(80, seed=11)
    for r in sorted(results, key=lambda r: (r.events[0].event_date, r.id)):
        store.put_document(r, raw_hash="raw:" + r.id)
    full = merge_reports(store.load_reports())
    store.remerge()
    assert event_sets(store.events()) == event_sets(m.event for m in full)


def test_incremental_replaces_an_updated_article_and_its_old_event(store):
    results = synthetic_results(40, seed=5)
    for r in results:
        store.put_document(r, raw_hash="raw:" + r.id)
    first = results[0]
    moved = first.model_copy(deep=True)
    moved.events[0].event_date = "2024-06-01"  # far from every other report: an event of its own
    assert store.put_document(moved, raw_hash="raw2:" + moved.id) == "updated"
    (alone,) = [e for e in store.events() if first.id in e["doc_ids"]]
    assert alone["doc_ids"] == [first.id] and alone["event_date"] == "2024-06-01"
    assert sum(e["reports"] for e in store.events()) == 40
    reports = {r.doc_id: r for r in store.load_reports()}
    # the old event lost the report; every other event is as merging in arrival order makes it
    expected = merge_in_order(reports[r.id] for r in [*results[1:], moved])
    got = {tuple(e["doc_ids"]) for e in store.events()}
    assert got == {tuple(m.event["doc_ids"]) for m in expected}


def test_a_stale_store_is_not_merged_piecemeal(store):
    results = synthetic_results(10)
    store.merge_on_write = False
    store.put_document(results[0], raw_hash="raw:0")
    assert store.is_stale()
    store.merge_on_write = True
    store.put_document(results[1], raw_hash="raw:1")
    assert store.is_stale()  # an earlier write is not merged yet: only a full merge may clear the mark
    store.remerge()
    assert not store.is_stale() and sum(e["reports"] for e in store.events()) == 2


def _busy(result: DocumentResult, places: int) -> DocumentResult:
    """The article with as many places and claims as a long real one names (the synthetic has one place)."""
    data = result.model_dump()
    town = data["places"][0]
    data["places"] += [{**town, "mention": f"quarter {i}", "name": f"Quarter {i}"} for i in range(places)]
    data["claims"] = [{"claim_id": f"c{i}", "kind": "reported", "speaker": "a witness", "text": f"{i} were killed",
                       "start": 0, "end": 10, "figures": [{"count": i, "category": "killed"}] if i % 2 else []}
                      for i in range(places)]
    return DocumentResult.model_validate(data)


def test_merging_an_article_looks_its_window_up_by_index(store):
    # 150 articles over three days, 25 places and claims each: one article's window reads ~3,750
    # places, more than DuckDB reads through an index by default (it would scan the whole table)
    rng = random.Random(4)
    store.merge_on_write = False
    for n in range(150):
        store.put_document(_busy(synthetic_result(n, rng, days=3), 24), raw_hash=f"raw:{n}")
    store.remerge()
    store.merge_on_write = True
    run = store._execute
    seen: list[tuple[str, list]] = []

    def recorded(sql, params=()):
        seen.append((sql, list(params)))
        return run(sql, params)

    store._execute = recorded
    store.put_document(_busy(synthetic_result(150, rng, days=3), 24), raw_hash="raw:150")
    store._execute = run
    lookups = [(sql, params) for sql, params in seen if sql.startswith("SELECT") and " IN (" in sql]
    assert {sql.split(" FROM ")[1].split()[0] for sql, _ in lookups} >= {"reports", "articles", "places", "claims",
                                                                          "event_reports"}
    assert max(len(params) for _, params in lookups) > 100  # the window: every article of its days
    for sql, params in lookups:
        plan = store.conn.execute("EXPLAIN ANALYZE " + sql, params).fetchall()[0][1]
        assert "Index Scan" in plan and "Sequential Scan" not in plan, sql


def test_duckdb_keeps_what_merging_fetches_uncompressed(store):
    """Fetching one row of a dictionary-compressed column costs more the more rows its segment holds."""
    rng = random.Random(6)
    store.merge_on_write = False
    for n in range(300):
        store.put_document(_busy(synthetic_result(n, rng), 3), raw_hash=f"raw:{n}")
    store.remerge()
    store.conn.execute("CHECKPOINT")

    def compression(table: str) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for col, comp in store.conn.execute(
                f"SELECT column_name, compression FROM pragma_storage_info('{table}') "
                "WHERE segment_type <> 'VALIDITY'").fetchall():
            out.setdefault(col, set()).add(comp)
        return out

    assert compression("articles")["raw_hash"] - {"Uncompressed"}  # what DuckDB does by default
    for table, cols in schema.FETCHED_BY_KEY.items():
        found = compression(table)
        for col in cols:
            assert found.get(col, set()) <= {"Uncompressed", "Constant"}, (table, col, found.get(col))
