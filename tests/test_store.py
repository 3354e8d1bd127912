"""The store (DuckDB here; tests/test_postgres.py runs the same tests on PostgreSQL).

Every test gets an empty store from the `store` fixture; test_postgres.py imports these
test functions and overrides the fixture, so both engines meet the same expectations.
"""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from sitroom.errors import SchemaVersionError, StoreError
from sitroom.records import DocumentResult
from sitroom.store import Store, open_store
from sitroom.store.errors import store_errors
from sitroom.store.ingest import ingest_results
from test_merge import cluster_results

FIXED_TIME = "2024-12-01T00:00:00+00:00"


@pytest.fixture()
def store(tmp_path):
    s = open_store(str(tmp_path / "test.duckdb"))
    yield s
    s.close()


def put_all(store, results, ingested_at=FIXED_TIME):
    for r in results:
        store.put_document(r, raw_hash="raw:" + r.id, input_name=r.id, ingested_at=ingested_at)
    store.remerge()


@pytest.fixture()
def cluster_store(store):
    put_all(store, cluster_results())
    return store


@pytest.fixture(scope="module")
def cluster_ro(tmp_path_factory):
    """One cluster store shared by the read-only query tests."""
    s = open_store(str(tmp_path_factory.mktemp("ro") / "cluster.duckdb"))
    put_all(s, cluster_results())
    yield s
    s.close()


def test_store_is_a_store(store):
    assert isinstance(store, Store)
    assert store.counts()["articles"] == 0 and store.events() == []


def test_store_cluster_merges_into_one_event(store):
    stats = ingest_results(store, [(r.id, r) for r in cluster_results()])
    assert (stats.new, stats.failed, stats.events) == (6, 0, 1)
    (ev,) = store.events()
    assert (ev["sources"], ev["reports"], ev["fatalities"], ev["fatalities_high"], ev["contested"]) == \
        (4, 6, 47, 400, True)
    assert ev["outlets"][0] == "dailystar.example" and isinstance(ev["figures"], list)
    counts = store.counts()
    assert (counts["articles"], counts["reports"], counts["claims"], counts["event_reports"],
            counts["event_claims"]) == (6, 6, 10, 6, 10)


def test_store_reingest_is_a_noop(store):
    items = [(r.id, r) for r in cluster_results()]
    ingest_results(store, items)
    before = store.checksum()
    stats = ingest_results(store, items)
    assert (stats.new, stats.updated, stats.unchanged, stats.events) == (0, 0, 6, None)
    assert store.checksum() == before


def test_store_changed_article_replaces_its_version_and_claims(cluster_store):
    monitor = next(r for r in cluster_results() if r.id == "monitor")
    data = monitor.to_json_dict()
    data["article"]["text"] = data["article"]["text"].replace("47", "52")
    data["claims"][0]["text"] = "documented the deaths of 52 people"
    data["claims"][0]["figures"][0]["count"] = 52
    data["claims"].append({**data["claims"][0], "claim_id": "c2", "figures": [], "text": "Russian air strikes"})
    status = cluster_store.put_document(DocumentResult.model_validate(data), raw_hash="raw:monitor-v2")
    assert status == "updated" and cluster_store.is_stale()
    claims = cluster_store.claims(doc_id="monitor")
    assert [(c["claim_id"], c["text"]) for c in claims] == [("c1", "documented the deaths of 52 people"),
                                                            ("c2", "Russian air strikes")]
    (ev,) = cluster_store.events()  # re-merged on read
    assert ev["fatalities"] == 52 and not cluster_store.is_stale()
    assert cluster_store.counts()["articles"] == 6


def test_store_unchanged_result_writes_nothing(cluster_store):
    before = cluster_store.checksum()
    wire = cluster_results()[0]
    assert cluster_store.put_document(wire, raw_hash="raw:other-markup") == "unchanged"
    assert cluster_store.checksum() == before and not cluster_store.is_stale()


def test_store_same_result_under_another_id_is_a_duplicate(store):
    wire = cluster_results()[0]
    ingest_results(store, [(wire.id, wire)])
    stats = ingest_results(store, [(wire.id, wire)])
    assert stats.unchanged == 1
    assert store.find_raw("nothing") is None


def test_store_delete_document_remerges(cluster_store):
    assert cluster_store.delete_document("hts-statement")
    assert not cluster_store.delete_document("hts-statement")
    (ev,) = cluster_store.events()
    assert (ev["reports"], ev["sources"]) == (5, 3)
    assert cluster_store.claims(doc_id="hts-statement") == []


def test_store_keeps_how_later_articles_revised_the_event(cluster_store):
    # the armed group's statement came out first (its own 12 dead, a day early); the monitor's 47 and the
    # wire's day revised it the next day; a remerge without the statement has nothing to revise
    from sitroom.store import query
    (ev,) = cluster_store.events()
    revised = [("2024-11-28", "monitor", "fatalities", 12, 47), ("2024-11-28", "reprint-credited", "event_date",
                                                                  "2024-11-27", "2024-11-28")]
    history = query.event_history(cluster_store, ev["event_id"])
    assert [(h["as_of"], h["doc_id"], h["field"], h["old"], h["new"]) for h in history] == revised
    assert query.event_detail(cluster_store, ev["event_id"])["history"] == history
    assert cluster_store.counts()["event_history"] == 2
    cluster_store.delete_document("hts-statement")
    (ev,) = cluster_store.events()
    assert query.event_history(cluster_store, ev["event_id"]) == []


@pytest.mark.parametrize("filters, n", [
    ({}, 1),
    ({"country": "Syria"}, 1), ({"country": "syria"}, 1), ({"country": "SY"}, 1), ({"country": "SYR"}, 1),
    ({"country": "Turkey"}, 0),
    ({"admin1": "idlib"}, 1), ({"admin1": "Aleppo"}, 0),
    ({"since": "2024-11-28"}, 1), ({"since": "2024-11-29"}, 0), ({"until": "2024-11-27"}, 0),
    ({"type": "Battles"}, 1), ({"type": "armed clash"}, 1), ({"type": "Protests"}, 0),
    ({"actor": "tahrir"}, 1), ({"actor": "Russia"}, 1), ({"actor": "Islamic State"}, 0),
    ({"min_sources": 4}, 1), ({"min_sources": 5}, 0),
    ({"country": "Syria", "min_sources": 2, "since": "2024-11-01", "until": "2024-11-30"}, 1),
])
def test_store_event_filters(cluster_ro, filters, n):
    assert len(cluster_ro.events(**filters)) == n


@pytest.mark.parametrize("filters, n", [
    ({}, 10), ({"doc_id": "wire"}, 2), ({"speaker": "observatory"}, 4), ({"actor": "Russia"}, 4),
    ({"kind": "assertion"}, 4), ({"with_figures": True}, 10), ({"since": "2024-11-28"}, 8),
    ({"until": "2024-11-27"}, 2),
])
def test_store_claim_filters(cluster_ro, filters, n):
    assert len(cluster_ro.claims(**filters)) == n


def test_store_claims_link_to_their_event(cluster_store):
    (ev,) = cluster_store.events()
    claims = cluster_store.claims(event_id=ev["event_id"])
    assert len(claims) == 10 and all(c["event_ids"] == [ev["event_id"]] for c in claims)
    first = claims[0]
    assert {"start", "end", "figures", "outlet", "published"} <= first.keys()
    assert cluster_store.claims(event_id="ev-none") == []


def test_store_actors_across_articles(cluster_store):
    actors = {a["name"]: a for a in cluster_store.actors()}
    hts = actors["Hayat Tahrir al-Sham"]
    assert (hts["articles"], hts["events"], hts["inter"], hts["country"]) == (3, 1, "Rebel group", "Syria")
    assert [a["name"] for a in cluster_store.actors(name="syrian troops")] == ["Military Forces of Syria (2000-2024)"]
    assert cluster_store.actors(country="Turkey") == []


def test_store_articles_listing(cluster_store):
    arts = {a["doc_id"]: a for a in cluster_store.articles()}
    assert arts["reprint-credited"]["wire"] == "reuters" and arts["reprint-credited"]["source_group"] == "wire:reuters"
    assert arts["monitor"]["source_group"] == "outlet:syriahr.example"
    assert (arts["wire"]["events"], arts["wire"]["claims"]) == (1, 2)
    assert len(cluster_store.articles(outlet="reuters.com")) == 1


def test_store_stale_until_merged(store):
    put = cluster_results()[:2]
    for r in put:
        store.put_document(r, raw_hash="raw:" + r.id)
    assert store.is_stale()
    assert len(store.events()) == 1  # reading re-merges a stale store
    assert not store.is_stale()


def test_store_checksum_independent_of_insert_order(tmp_path, store):
    results = cluster_results()
    put_all(store, results)
    other = open_store(str(tmp_path / "other.duckdb"))
    try:
        put_all(other, list(reversed(results)))
        assert other.checksum() == store.checksum()
    finally:
        other.close()


def test_store_schema_version_mismatch(tmp_path):
    path = str(tmp_path / "old.duckdb")
    s = open_store(path)
    s._execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    s.close()
    with pytest.raises(SchemaVersionError, match="schema version 999"):
        open_store(path)


def test_store_missing_database_is_not_created(tmp_path):
    path = tmp_path / "absent.duckdb"
    with pytest.raises(StoreError, match="no such database"):
        open_store(str(path), create=False)
    assert not path.exists()


def test_store_not_a_database(tmp_path):
    path = tmp_path / "notes.duckdb"
    path.write_text("this is not a database\n" * 100)
    with pytest.raises(StoreError, match="opening the database failed"):
        open_store(str(path))


def test_store_locked_by_another_process(tmp_path):
    path = str(tmp_path / "locked.duckdb")
    open_store(path).close()
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time, duckdb
        con = duckdb.connect({path!r})
        print("ready", flush=True)
        sys.stdin.readline()
    """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(StoreError, match="in use by another process") as err:
            open_store(path)
        # it says whom and what to do
        assert f"(PID {holder.pid})" in str(err.value) and "PostgreSQL" in str(err.value)
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)


def test_store_errors_context_manager():
    import duckdb
    with pytest.raises(StoreError, match="x.db: doing things failed: "):
        with store_errors("doing things", "x.db"):
            duckdb.connect().execute("SELECT * FROM no_such_table")
    with pytest.raises(ZeroDivisionError):  # bugs are not database errors
        with store_errors("dividing"):
            1 / 0


def test_store_transaction_rolls_back_a_failed_article(cluster_store):
    before = cluster_store.checksum()
    bad = cluster_results()[0].to_json_dict()
    bad["id"] = "broken"
    bad["claims"][0]["text"] = "x"
    doc = DocumentResult.model_validate(bad)
    original = cluster_store._insert_layers

    def explode(result):
        original(result)
        cluster_store._execute("SELECT * FROM no_such_table")
    cluster_store._insert_layers = explode
    with pytest.raises(StoreError):
        cluster_store.put_document(doc, raw_hash="raw:broken")
    cluster_store._insert_layers = original
    assert cluster_store.checksum() == before  # no article row, no claims, no stale mark


def test_store_notebook_api(tmp_path):
    import sitroom
    path = str(tmp_path / "api.duckdb")
    with sitroom.open(path) as db:
        db.store.put_document(cluster_results()[0], raw_hash="raw:wire")
        events = db.events(country="Syria")
        assert list(events.columns[:3]) == ["event_id", "event_date", "time_precision"]
        assert len(events) == 1 and int(events.loc[0, "sources"]) == 1
        assert len(db.claims()) == 2 and len(db.actors()) == 2 and len(db.articles()) == 1
        assert db.events(country="Kenya").empty and list(db.events(country="Kenya").columns) == list(events.columns)
    with sitroom.open(path, read_only=True) as db:
        assert len(db.articles(with_text=True).loc[0, "text"]) > 100
