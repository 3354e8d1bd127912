"""`sitroom serve`: the JSON API over DuckDB and PostgreSQL, ingest over HTTP, concurrency, the command.

The read-only API tests run once per engine (the `api` fixture's params); the PostgreSQL
run skips, with the reason, where no server can be started (see tests/test_postgres.py).
Other test modules (test_dashboard.py) import `world_results`, `build_duckdb` and
`running_server` from here.
"""
from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import subprocess
import sys
import threading
import time
import warnings
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason='the serve extra is not installed: pip install "sitroom[serve]"')

with warnings.catch_warnings():  # starlette's note that httpx2 will replace httpx under its test client
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient  # noqa: E402

from sitroom.errors import StoreError  # noqa: E402
from sitroom.records import DocumentResult  # noqa: E402
from sitroom.serve import create_app  # noqa: E402
from sitroom.serve.server import running as running_server  # noqa: E402
from sitroom.store import open_store  # noqa: E402
from test_merge import cluster_results  # noqa: E402

STATIC = Path(__file__).resolve().parent.parent / "sitroom" / "serve" / "static"
INGESTED = "2024-12-01T00:00:00+00:00"
LATER = "2024-12-05T10:00:00+00:00"
TOKEN = "test-token-1234"


# --- a small world of events ---------------------------------------------------------------------
def _doc(doc_id: str, text: str, outlet: str, published: str, event: dict, claims=(), actors=(), url=None,
         relations=(), title=None) -> DocumentResult:
    ev = {"event_id": "e1", "time_precision": 1, "geo_precision": 1, "claims": [c["claim_id"] for c in claims],
          "evidence": [{"start": 0, "end": min(len(text), 60)}], **event}
    return DocumentResult.model_validate({
        "id": doc_id, "article": {"url": url, "published": published, "outlet": outlet, "text": text, "title": title},
        "events": [ev], "claims": list(claims), "actors": list(actors), "relations": list(relations)})


def _claim(cid: str, text: str, full: str, speaker: str, actor: str | None, count: int, victims: str) -> dict:
    start = full.index(text)
    return {"claim_id": cid, "kind": "quote", "speaker": speaker, "speaker_actor": actor, "cue": "said",
            "text": text, "start": start, "end": start + len(text),
            "figures": [{"count": count, "qualifier": "exact", "category": "killed", "victims": victims}]}


KENYA_TEXT = "Gunmen killed two police officers in Mandera on Sunday, police said. Al-Shabaab claimed the attack."
KHARKIV_A = "Russian missiles struck Kharkiv on Wednesday, killing five civilians, the governor said."
KHARKIV_B = "Five people died when missiles hit Kharkiv on Wednesday, the mayor of Kharkiv said."
SUVA_TEXT = "Hundreds of people marched in Suva on Friday against the new land law."
APIA_TEXT = "Protesters gathered outside parliament in Apia on Friday."
CULIACAN_TEXT = "Rioters torched vehicles in Culiacan in early August after an arrest, reports said."


def world_results() -> list[DocumentResult]:
    """The Saraqib cluster plus events in Kenya, Ukraine (two outlets), Fiji, Samoa and Mexico."""
    kenya = _doc("kenya-1", KENYA_TEXT, "nation.example", "2024-06-03", {
        "event_date": "2024-06-02", "event_type": "Violence against civilians", "sub_event_type": "Attack",
        "actor1": "Al-Shabaab", "inter1": "Rebel group", "actor2": "Police Forces of Kenya (2013-)",
        "inter2": "State forces", "country": "Kenya", "iso": 404, "admin1": "Mandera", "location": "Mandera",
        "latitude": 3.9373, "longitude": 41.8569, "fatalities": 2},
        claims=[_claim("c1", "Gunmen killed two police officers", KENYA_TEXT, "police", None, 2, "police officers")],
        actors=[{"name": "Al-Shabaab", "aliases_seen": ["Al-Shabaab"], "inter": "Rebel group", "country": "Somalia"}],
        relations=[{"subject": "Al-Shabaab", "predicate": "fights", "object": "Police Forces of Kenya (2013-)"}],
        url="https://nation.example/mandera")
    kharkiv = {"event_date": "2024-07-10", "event_type": "Explosions/Remote violence",
               "sub_event_type": "Shelling/artillery/missile attack", "actor1": "Military Forces of Russia (2000-)",
               "inter1": "State forces", "actor2": "Civilians (Ukraine)", "inter2": "Civilians", "country": "Ukraine",
               "iso": 804, "admin1": "Kharkiv", "location": "Kharkiv", "latitude": 49.9808, "longitude": 36.2527,
               "fatalities": 5, "civilian_targeting": True}
    ua1 = _doc("kharkiv-a", KHARKIV_A, "kyivindependent.example", "2024-07-10", kharkiv,
               claims=[_claim("c1", "killing five civilians", KHARKIV_A, "the governor", None, 5, "civilians")],
               url="https://kyivindependent.example/kharkiv")
    ua2 = _doc("kharkiv-b", KHARKIV_B, "ukrinform.example", "2024-07-11", kharkiv,
               claims=[_claim("c1", "Five people died", KHARKIV_B, "the mayor of Kharkiv", None, 5, "people")])
    suva = _doc("suva", SUVA_TEXT, "fijitimes.example", "2024-09-06", {
        "event_date": "2024-09-06", "event_type": "Protests", "sub_event_type": "Peaceful protest",
        "actor1": "Protesters (Fiji)", "inter1": "Protesters", "country": "Fiji", "iso": 242, "admin1": "Central",
        "location": "Suva", "latitude": -18.1416, "longitude": 178.4419, "fatalities": 0})
    apia = _doc("apia", APIA_TEXT, "samoaobserver.example", "2024-09-06", {
        "event_date": "2024-09-06", "event_type": "Protests", "sub_event_type": "Peaceful protest",
        "actor1": "Protesters (Samoa)", "inter1": "Protesters", "country": "Samoa", "iso": 882, "admin1": "Tuamasaga",
        "location": "Apia", "latitude": -13.8333, "longitude": -171.7667, "fatalities": 0})
    culiacan = _doc("culiacan", CULIACAN_TEXT, "elsol.example", "2024-08-05", {
        "event_date": "2024-08-01", "time_precision": 2, "geo_precision": 2, "event_type": "Riots",
        "sub_event_type": "Violent demonstration", "actor1": "Rioters (Mexico)", "inter1": "Rioters",
        "country": "Mexico", "iso": 484, "admin1": "Sinaloa", "location": "Culiacan", "latitude": 24.8, "longitude": -107.39,
        "fatalities": 0})
    return [*cluster_results(), kenya, ua1, ua2, suva, apia, culiacan]


def put_results(store, results, ingested_at: str = INGESTED) -> None:
    for r in results:
        store.put_document(r, raw_hash="raw:" + r.id, input_name=r.id, ingested_at=ingested_at)
    store.remerge()


def build_duckdb(path: Path, results=None) -> str:
    store = open_store(str(path))
    try:
        put_results(store, world_results() if results is None else results)
    finally:
        store.close()
    return str(path)


# --- engines ---------------------------------------------------------------------------------------
try:  # the PostgreSQL server fixture of tests/test_postgres.py, where psycopg is installed
    import psycopg  # noqa: F401
    from test_postgres import _drop_database, _new_database, pg_server  # noqa: F401
except ImportError:
    pg_server = None


def _postgres_world(request):
    """A fresh PostgreSQL database holding the world (dropped afterwards), or a skip with the reason."""
    if pg_server is None:
        pytest.skip('psycopg is not installed: pip install "sitroom[postgres]"')
    admin = request.getfixturevalue("pg_server")
    name, dsn = _new_database(admin)
    store = open_store(dsn)
    try:
        put_results(store, world_results())
    finally:
        store.close()
    yield dsn
    _drop_database(admin, name)


@pytest.fixture(scope="module")
def postgres_dsn(request):
    """A fresh PostgreSQL database holding the world, or a skip with the reason."""
    yield from _postgres_world(request)


@pytest.fixture(scope="module", params=["duckdb", "postgres"])
def api(request, tmp_path_factory):
    """A read-only TestClient over the world, on each engine."""
    if request.param == "duckdb":
        db = build_duckdb(tmp_path_factory.mktemp("serve") / "world.duckdb")
    else:
        db = request.getfixturevalue("postgres_dsn")
    with TestClient(create_app(db)) as client:
        yield client


def get(client, url: str, status: int = 200):
    r = client.get(url)
    assert r.status_code == status, (url, r.status_code, r.text[:400])
    return r.json() if r.headers["content-type"].startswith("application/json") else r


def ids(client, query: str = "") -> list[str]:
    return sorted(e["location"] for e in get(client, "/api/events?" + query)["events"])


# --- the read API ---------------------------------------------------------------------------------------
def test_health_says_read_only(api):
    h = get(api, "/api/health")
    assert h["status"] == "ok" and h["read_only"] is True and h["ingest"].startswith("disabled: no token")
    assert h["counts"]["events"] == 6 and h["counts"]["articles"] == 12 and h["merge_stale"] is False


def test_events_are_contract_shaped_with_merged_fields(api):
    page = get(api, "/api/events")
    assert page["total"] == 6 and len(page["events"]) == 6
    ev = next(e for e in page["events"] if e["location"] == "Kharkiv")
    for key in ("event_id", "event_date", "event_type", "sub_event_type", "actor1", "inter1", "country", "iso",
                "admin1", "latitude", "longitude", "geo_precision", "fatalities", "fatalities_low", "fatalities_best",
                "fatalities_high", "contested", "sources", "reports", "claims", "notes", "outlets"):
        assert key in ev
    assert ev["sources"] == 2 and ev["reports"] == 2 and ev["fatalities"] == 5
    assert [e["event_date"] for e in page["events"]] == sorted((e["event_date"] for e in page["events"]), reverse=True)


def test_paging_and_sorting(api):
    first = get(api, "/api/events?limit=2&sort=event_date")
    second = get(api, "/api/events?limit=2&offset=2&sort=event_date")
    assert first["total"] == second["total"] == 6
    dates = [e["event_date"] for e in first["events"] + second["events"]]
    assert dates == sorted(dates) and len(set(e["event_id"] for e in first["events"] + second["events"])) == 4
    assert get(api, "/api/events?limit=0") == {"total": 6, "limit": 0, "offset": 0, "events": []}
    top = get(api, "/api/events?sort=-fatalities&limit=1")["events"][0]
    assert top["location"] == "Saraqib"


@pytest.mark.parametrize("query, expected", [
    ("since=2024-07-01&until=2024-08-31", ["Culiacan", "Kharkiv"]),
    ("event_type=Protests", ["Apia", "Suva"]),
    ("event_type=Riots,Battles", ["Culiacan", "Saraqib"]),
    ("event_type=riots&event_type=battles", ["Culiacan", "Saraqib"]),
    ("sub_event_type=Attack", ["Mandera"]),
    ("actor=shabaab", ["Mandera"]),
    ("actor=Russia", ["Kharkiv", "Saraqib"]),
    ("min_fatalities=3", ["Kharkiv", "Saraqib"]),
    ("contested=true", ["Saraqib"]),
    ("contested=false&event_type=Battles", []),
    ("min_sources=2", ["Kharkiv", "Saraqib"]),
    ("country=Kenya", ["Mandera"]),
    ("country=UA", ["Kharkiv"]),
    ("country=Fiji&country=Samoa", ["Apia", "Suva"]),
    ("admin1=sinaloa", ["Culiacan"]),
    ("outlet=ukrinform.example", ["Kharkiv"]),
    ("bbox=30,30,45,55", ["Kharkiv", "Saraqib"]),
    ("bbox=170,-25,-170,-10", ["Apia", "Suva"]),  # across the antimeridian
    ("max_geo_precision=1&max_time_precision=1&event_type=Riots", []),
    ("max_geo_precision=2&event_type=Riots", ["Culiacan"]),
])
def test_event_filters(api, query, expected):
    assert ids(api, query) == expected
    assert get(api, "/api/events?limit=0&" + query)["total"] == len(expected)


def test_updated_since_finds_what_changed(api):
    assert ids(api, "updated_since=2024-11-30") == ids(api)
    assert ids(api, "updated_since=2024-12-02T00:00:00Z") == []
    assert ids(api, "updated_since=2024-12-01T01:00:00%2B02:00") == ids(api)  # 2024-11-30T23:00Z


@pytest.mark.parametrize("query", [
    "since=yesterday", "until=2024-13-01", "since=2024-08-01&until=2024-07-01", "bbox=1,2,3",
    "bbox=a,b,c,d", "bbox=0,50,10,40", "bbox=0,0,200,10", "min_fatalities=-1", "min_fatalities=lots",
    "min_sources=0", "contested=maybe", "limit=2000000", "limit=-5", "offset=-1", "sort=notes", "sort=-x",
    "max_geo_precision=4", "updated_since=soon", "offset=99999999999999999999999", "min_fatalities=1e309",
    "min_sources=99999999999999999999999",
])
def test_bad_parameters_are_400_with_a_message(api, query):
    for path in ("/api/events", "/api/events.csv", "/api/events.geojson", "/api/events/grid", "/api/events/timeline"):
        if query.startswith(("limit", "offset", "sort")) and path != "/api/events" \
                and not (query.startswith(("limit", "sort")) and path.startswith("/api/events.")):
            continue  # the aggregates take no paging or order; exports no offset
        r = api.get(f"{path}?{query}")
        assert r.status_code == 400, (path, query, r.status_code, r.text)
        body = r.json()
        assert body["status"] == 400 and body["error"] and "Traceback" not in body["error"]


def test_unknown_things_are_404_json(api):
    assert get(api, "/api/events/ev-nope", 404)["error"] == "no event 'ev-nope'"
    assert get(api, "/api/articles/nope", 404)["status"] == 404
    assert "no such page" in get(api, "/api/nothing", 404)["error"]
    assert get(api, "/api/claims?kind=rumour", 400)["status"] == 400
    assert get(api, "/api/events/grid?zoom=40", 400)["status"] == 400


def test_event_detail_has_reports_articles_passages_and_claims(api):
    ev_id = get(api, "/api/events?min_sources=4")["events"][0]["event_id"]
    ev = get(api, f"/api/events/{ev_id}")
    assert ev["location"] == "Saraqib" and ev["contested"] is True
    reports = ev["reports_detail"]
    assert len(reports) == 6 == ev["reports"]
    wire = next(r for r in reports if r["article"]["outlet"] == "reuters.com")
    assert wire["article"]["url"].startswith("https://www.reuters.com/") and wire["article"]["published"] == "2024-11-28"
    assert wire["passages"] and wire["passages"][0]["text"].startswith("SARAQIB, Syria (Reuters)")
    speakers = {c["speaker"] for c in ev["claims_detail"]}
    assert {"Ministry of Defence", "HTS"} <= speakers
    hts = next(c for c in ev["claims_detail"] if c["speaker"] == "HTS" and c["figures"])
    assert hts["speaker_actor"] == "Hayat Tahrir al-Sham" and hts["figures"][0]["count"] in (60, 12)
    assert ev["figures"] and all({"speaker", "count", "credible", "partisan"} <= f.keys() for f in ev["figures"])


def test_exports_follow_the_filters(api):
    r = get(api, "/api/events.csv?event_type=Protests")
    assert r.headers["content-type"].startswith("text/csv") and "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert sorted(row["location"] for row in rows) == ["Apia", "Suva"]
    assert {"event_id_cnty", "disorder_type", "fatalities", "sources", "contested"} <= set(rows[0])
    g = api.get("/api/events.geojson?min_sources=2")
    assert g.status_code == 200 and g.headers["content-type"].startswith("application/geo+json")
    fc = g.json()
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == 2
    assert all(f["geometry"]["type"] == "Point" for f in fc["features"])


def test_grid_and_timeline_aggregate_on_the_server(api):
    grid = get(api, "/api/events/grid?zoom=1")
    assert grid["total"] == 6 and sum(c["count"] for c in grid["cells"]) == 6
    assert all(c["bounds"][0] <= c["longitude"] <= c["bounds"][2] for c in grid["cells"])
    fine = get(api, "/api/events/grid?zoom=12&country=Ukraine")
    assert [c["count"] for c in fine["cells"]] == [1] and fine["cells"][0]["event_type"] == "Explosions/Remote violence"
    days = get(api, "/api/events/timeline")["days"]
    assert sum(d["events"] for d in days) == 6 and [d["date"] for d in days] == sorted(d["date"] for d in days)
    assert get(api, "/api/events/timeline?event_type=Protests")["days"] == [
        {"date": "2024-09-06", "events": 2, "fatalities": 0}]


def test_facets_list_what_filters_offer(api):
    f = get(api, "/api/facets")
    assert {t["value"] for t in f["event_types"]} == {"Battles", "Explosions/Remote violence",
                                                     "Violence against civilians", "Protests", "Riots"}
    assert f["first_date"] == "2024-06-02" and f["last_date"] == "2024-11-28" and f["events"] == 6
    assert {"value": "ukrinform.example", "count": 1} in f["outlets"]


def test_claims_ledger_filters(api):
    every = get(api, "/api/claims?limit=100")
    assert every["total"] == len(every["claims"]) == 13
    hts = get(api, "/api/claims?speaker_actor=tahrir&with_figures=true")
    assert hts["total"] >= 2 and all("Tahrir" in c["speaker_actor"] for c in hts["claims"])
    ev_id = get(api, "/api/events?country=Kenya")["events"][0]["event_id"]
    mine = get(api, f"/api/claims?event_id={ev_id}")
    assert mine["total"] == 1 and mine["claims"][0]["event_ids"] == [ev_id] and mine["claims"][0]["speaker"] == "police"
    assert get(api, "/api/claims?kind=quote&speaker=mayor")["total"] == 1
    assert get(api, "/api/claims?limit=2&offset=1")["claims"][0] == every["claims"][1]


def test_actors_with_relations_and_autocomplete(api):
    shabaab = get(api, "/api/actors?name=shab")
    assert shabaab["total"] == 1
    a = shabaab["actors"][0]
    assert a["name"] == "Al-Shabaab" and a["events"] == 1 and a["inter"] == "Rebel group"
    assert a["relations"] == [{"subject": "Al-Shabaab", "predicate": "fights",
                               "object": "Police Forces of Kenya (2013-)", "articles": 1}]
    top = get(api, "/api/actors?limit=1")["actors"][0]
    assert top["name"] in ("Hayat Tahrir al-Sham", "Military Forces of Syria (2000-2024)") and top["articles"] == 3


def test_article_text_with_offsets(api):
    art = get(api, "/api/articles/kenya-1")
    assert art["text"] == KENYA_TEXT and art["outlet"] == "nation.example"
    claim = art["claims"][0]
    assert KENYA_TEXT[claim["start"]:claim["end"]] == "Gunmen killed two police officers"
    (mention,) = art["actors"][0]["mentions"]
    assert KENYA_TEXT[mention["start"]:mention["end"]] == "Al-Shabaab"
    assert art["events"][0]["event_id"] and art["events"][0]["evidence"] == [{"start": 0, "end": 60}]
    wire = get(api, "/api/articles/wire")
    place = wire["places"][0]
    assert wire["text"][place["start"]:place["end"]].lower() == "saraqib"


def test_ids_with_slashes_and_urls(tmp_path):
    doc = _doc("https://example.org/a/b?c=1", "Clashes in Saraqib killed three fighters.", "example.org", "2024-05-01",
               {"event_date": "2024-05-01", "event_type": "Battles", "sub_event_type": "Armed clash",
                "country": "Syria", "latitude": 35.86, "longitude": 36.8, "fatalities": 3})
    db = build_duckdb(tmp_path / "slash.duckdb", [doc])
    with TestClient(create_app(db)) as client:
        from urllib.parse import quote
        art = get(client, "/api/articles/" + quote(doc.id, safe=""))
        assert art["doc_id"] == doc.id


# --- the page and its headers ---------------------------------------------------------------------------------
def test_security_headers_everywhere(api):
    for path in ("/", "/api/health", "/api/events/nope", "/docs", "/app.js"):
        r = api.get(path)
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "default-src 'self'" in csp and "unsafe-inline" not in csp
        assert r.headers["x-content-type-options"] == "nosniff"


def test_static_files_have_no_inline_script_and_no_other_host():
    for page in ("index.html", "docs.html"):
        html = (STATIC / page).read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), f"{page} has an inline script"
        assert not re.search(r"\son[a-z]+\s*=", html), f"{page} has an inline event handler"
        assert not re.search(r"style\s*=", html)
        assert not re.search(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", html), f"{page} loads from another host"
    for js in ("app.js", "docs.js"):
        code = (STATIC / js).read_text()
        assert "innerHTML" not in code and "outerHTML" not in code and "insertAdjacentHTML" not in code
        assert not re.search(r"fetch\(\s*[\"']https?:", code)
    vendor = STATIC / "vendor"
    for lib, licence in (("leaflet", "LICENSE"), ("leaflet.markercluster", "MIT-LICENCE.txt"), ("uplot", "LICENSE"),
                         ("world-atlas", "LICENSE"), ("topojson-client", "LICENSE")):
        assert (vendor / lib / licence).is_file() and lib in (vendor / "README.md").read_text()


def test_dashboard_and_docs_are_served(api):
    index = api.get("/")
    assert index.status_code == 200 and 'id="map"' in index.text
    assert api.get("/vendor/world-atlas/countries-50m.json").json()["type"] == "Topology"
    docs = api.get("/docs")
    assert docs.status_code == 200 and "docs.js" in docs.text
    spec = get(api, "/openapi.json")
    assert {"/api/events", "/api/events/{event_id}", "/api/events.geojson", "/api/events.csv", "/api/claims",
            "/api/actors", "/api/articles/{doc_id}", "/api/health", "/api/ingest"} <= spec["paths"].keys()
    names = {p["name"] for p in spec["paths"]["/api/events"]["get"]["parameters"]}
    assert {"since", "until", "updated_since", "bbox", "event_type", "sub_event_type", "actor", "min_fatalities",
            "contested", "min_sources", "limit", "offset"} <= names


def test_real_server_on_loopback(tmp_path):
    import httpx
    db = build_duckdb(tmp_path / "real.duckdb")
    with running_server(create_app(db)) as url:
        r = httpx.get(url + "/api/events?event_type=Protests", timeout=10)
        assert r.status_code == 200 and r.json()["total"] == 2
        assert httpx.get(url + "/", timeout=10).headers["content-security-policy"].startswith("default-src 'self'")


# --- ingest over HTTP ---------------------------------------------------------------------------------------------
def test_ingest_needs_a_token(tmp_path):
    db = build_duckdb(tmp_path / "ro.duckdb")
    with TestClient(create_app(db)) as client:
        r = client.post("/api/ingest", content=b'{"id": "x", "text": "hello"}')
        assert r.status_code == 403 and "read-only" in r.json()["error"]
    with TestClient(create_app(db, token=TOKEN)) as client:
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN},
                        {"Authorization": "Basic " + TOKEN}):
            r = client.post("/api/ingest", content=b'{"id": "x", "text": "hello"}', headers=headers)
            assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer" and "Bearer" in r.json()["error"]
        auth = {"Authorization": f"Bearer {TOKEN}"}
        for body, ctype, message in ((b"", "application/x-ndjson", "empty"),
                                     (b"{not json", "application/json", "not valid JSON"),
                                     (b'{"other": 1}', "application/json", "urls"),
                                     (b'{"urls": "http://x"}', "application/json", "list of strings"),
                                     (b"\xff\xfe", "application/x-ndjson", "UTF-8")):
            r = client.post("/api/ingest", content=body, headers={**auth, "Content-Type": ctype})
            assert r.status_code == 400 and message in r.json()["error"], (body, r.text)
        assert get(client, "/api/health")["ingest"] == "enabled (Bearer token)"


@pytest.fixture(params=["duckdb", "postgres"])
def writable_db(request, tmp_path):
    """A database holding the world that a test may write to, on each engine."""
    if request.param == "duckdb":
        yield build_duckdb(tmp_path / "live.duckdb")
        return
    yield from _postgres_world(request)


@contextlib.contextmanager
def _writer_of(client, db: str):
    """Where writes come from: the app's own writer (DuckDB: one process owns the file), or another
    connection, as another process would hold (PostgreSQL)."""
    backend = client.app.state.backend
    if backend.dialect == "duckdb":
        with backend.write_lock, backend.writer() as w:
            yield w
    else:
        other = open_store(db)
        try:
            yield other
        finally:
            other.close()


def _hold_a_write(client, db, result, started: threading.Event, release: threading.Event):
    with _writer_of(client, db) as w, w.transaction():
        w.put_document(result, raw_hash="raw:held", input_name="held")
        started.set()
        release.wait(20)


def test_reads_go_on_while_a_write_is_open(writable_db):
    """Readers see the last commit, without waiting, while an ingest's transaction is open."""
    db = writable_db
    extra = _doc("late", "Clashes near Idlib killed four.", "late.example", "2024-12-02", {
        "event_date": "2024-12-02", "event_type": "Battles", "sub_event_type": "Armed clash", "country": "Syria",
        "location": "Idlib", "latitude": 35.93, "longitude": 36.63, "fatalities": 4})
    with TestClient(create_app(db, token=TOKEN)) as client:
        started, release = threading.Event(), threading.Event()
        writer = threading.Thread(target=_hold_a_write, args=(client, db, extra, started, release))
        writer.start()
        try:
            assert started.wait(20)
            t0 = time.monotonic()
            assert get(client, "/api/events?limit=0")["total"] == 6
            assert get(client, "/api/health")["counts"]["articles"] == 12
            assert time.monotonic() - t0 < 5
        finally:
            release.set()
            writer.join(20)
        with _writer_of(client, db) as w:
            w.remerge()
        assert get(client, "/api/events?limit=0")["total"] == 7
        assert ids(client, "updated_since=2024-12-03") == ["Idlib"]  # stored "now", after the fixture's articles


def test_ingest_jsonl_over_http_then_live_poll(writable_db, nlp):
    db = writable_db
    with TestClient(create_app(db, token=TOKEN)) as client:
        before = get(client, "/api/health")["now"]
        lines = [json.dumps({"id": "mandera-2", "published": "2024-06-03", "outlet": "star.example",
                             "text": "Gunmen killed two police officers in Mandera on Sunday, police said."}),
                 "{broken", json.dumps({"id": "empty", "text": ""})]
        r = client.post("/api/ingest", content="\n".join(lines).encode(),
                        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/x-ndjson"})
        assert r.status_code == 200, r.text
        stats = r.json()
        assert stats["new"] == 1 and stats["failed"] == 2 and stats["events"] >= 6
        assert any(e.startswith("request:2: not valid JSON") for e in stats["errors"]), stats["errors"]
        assert any("request:3 (id empty)" in e for e in stats["errors"]), stats["errors"]
        changed = get(client, f"/api/events?updated_since={before.replace('+', '%2B')}")
        assert changed["total"] >= 1 and any(e["country"] == "Kenya" for e in changed["events"])
        again = client.post("/api/ingest", content=lines[0].encode(), headers={"Authorization": f"Bearer {TOKEN}"})
        assert again.status_code == 200 and again.json()["unchanged"] == 1
        bad = client.post("/api/ingest", content=b"{broken\n", headers={"Authorization": f"Bearer {TOKEN}"})
        assert bad.status_code == 422 and bad.json()["failed"] == 1


# --- opening the database ---------------------------------------------------------------------------------------------
def test_a_locked_database_is_a_clear_error(tmp_path):
    db = build_duckdb(tmp_path / "locked.duckdb")
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('ok', flush=True); time.sleep(60)", db], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ok"
        with pytest.raises(StoreError, match="in use by another process"):
            create_app(db, token=TOKEN)
        from click.testing import CliRunner
        result = CliRunner().invoke(_cli(), ["serve", "--db", db], env={"SITROOM_TOKEN": TOKEN})
        assert result.exit_code == 1 and "in use by another process" in result.stderr
        assert "Traceback" not in result.stderr
    finally:
        holder.kill()
        holder.wait()


def test_missing_database_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="no such database"):
        create_app(str(tmp_path / "nothing.duckdb"))


# --- the command ------------------------------------------------------------------------------------------------------
def _cli():
    from sitroom.cli import cli
    return cli


def test_serve_command_binds_loopback_and_warns_otherwise(tmp_path, monkeypatch):
    import uvicorn
    from click.testing import CliRunner
    db = build_duckdb(tmp_path / "cli.duckdb")
    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append(kw))
    runner = CliRunner()
    result = runner.invoke(_cli(), ["serve", "--db", db], env={"SITROOM_TOKEN": ""})
    assert result.exit_code == 0, result.output
    assert calls[-1]["host"] == "127.0.0.1" and calls[-1]["port"] == 8000
    assert "read-only" in result.stderr and "warning" not in result.stderr
    token_file = tmp_path / "token"
    token_file.write_text(TOKEN + "\n")
    result = runner.invoke(_cli(), ["serve", "--db", db, "--host", "0.0.0.0", "--port", "8123",
                                    "--token-file", str(token_file)])
    assert result.exit_code == 0, result.output
    assert calls[-1]["host"] == "0.0.0.0" and "warning: listening on 0.0.0.0" in result.stderr
    assert "ingest enabled" in result.stderr
    empty = tmp_path / "empty"
    empty.write_text("\n")
    result = runner.invoke(_cli(), ["serve", "--db", db, "--token-file", str(empty)])
    assert result.exit_code == 1 and "token file is empty" in result.stderr


def test_token_from_environment(monkeypatch):
    from sitroom.cli.serve import is_loopback, read_token
    monkeypatch.setenv("SITROOM_TOKEN", " abc ")
    assert read_token(None) == "abc"
    monkeypatch.delenv("SITROOM_TOKEN")
    assert read_token(None) is None
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.4")
    assert os.environ.get("SITROOM_TOKEN") is None
