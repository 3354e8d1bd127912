"""Exports: ACLED CSV, GeoJSON (RFC 7946), PLOVER JSON lines, Parquet, and the query commands."""
from __future__ import annotations

import csv
import io
import json

import pytest

from sitroom.export import (ACLED_COLUMNS, MERGED_COLUMNS, acled_csv, acled_row, events_acled_csv, geojson,
                            interaction, plover_record, write_parquet)
from sitroom.store import open_store
from test_merge import SARAQIB, cluster_results
from test_store import put_all


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("export") / "cluster.duckdb")
    s = open_store(path)
    put_all(s, cluster_results())
    s.close()
    return path


@pytest.fixture(scope="module")
def events(db):
    s = open_store(db, read_only=True)
    try:
        return s.events()
    finally:
        s.close()


def test_export_acled_csv_has_acleds_columns_in_order(events):
    text = events_acled_csv(events)
    rows = list(csv.reader(io.StringIO(text)))
    assert tuple(rows[0]) == ACLED_COLUMNS + MERGED_COLUMNS
    row = dict(zip(rows[0], rows[1]))
    assert (row["event_type"], row["disorder_type"], row["year"]) == ("Battles", "Political violence", "2024")
    assert (row["fatalities"], row["sources"], row["reports"], row["contested"]) == ("47", "4", "6", "True")
    assert row["interaction"] == "State forces-Rebel group"
    assert "reuters.com" in row["source"] and row["event_id_cnty"].startswith("ev-")


def test_export_acled_row_for_extract_keeps_doc_id():
    row = acled_row({"event_id": "e1", "event_date": "2024-11-27", "event_type": "Protests"}, doc_id="d1",
                    source="example.com")
    assert row["doc_id"] == "d1" and row["source"] == "example.com" and row["disorder_type"] == "Demonstrations"
    header = acled_csv([row]).splitlines()[0].split(",")
    assert header == list(ACLED_COLUMNS) + ["doc_id"]


@pytest.mark.parametrize("inter1, inter2, expected", [
    ("Rebel group", "State forces", "State forces-Rebel group"),
    ("State forces", "Civilians", "State forces-Civilians"),
    ("Protesters", None, "Protesters only"),
    (None, None, None),
    ("Rebel group", "Rebel group", "Rebel group-Rebel group"),
])
def test_export_interaction(inter1, inter2, expected):
    assert interaction(inter1, inter2) == expected


def test_export_geojson_is_rfc7946(events):
    fc = json.loads(json.dumps(geojson(events)))
    assert fc["type"] == "FeatureCollection" and "crs" not in fc
    (feat,) = fc["features"]
    assert feat["type"] == "Feature" and feat["geometry"]["type"] == "Point"
    lon, lat = feat["geometry"]["coordinates"]  # RFC 7946: longitude first
    assert (lon, lat) == (SARAQIB["longitude"], SARAQIB["latitude"])
    assert -180 <= lon <= 180 and -90 <= lat <= 90
    props = feat["properties"]
    assert props["event_id"] == feat["id"] and props["sources"] == 4 and "latitude" not in props


def test_export_geojson_unplaced_event_has_null_geometry():
    fc = geojson([{"event_id": "e1", "latitude": None, "longitude": None}])
    assert fc["features"][0]["geometry"] is None


@pytest.mark.parametrize("event_type, sub, event, mode", [
    ("Battles", "Armed clash", "ASSAULT", "firearms"),
    ("Explosions/Remote violence", "Air/drone strike", "ASSAULT", "heavy-weapons"),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED", "ASSAULT", "explosives"),
    ("Explosions/Remote violence", "Suicide bomb", "ASSAULT", "suicide-attack"),
    ("Violence against civilians", "Abduction/forced disappearance", "ASSAULT", "abduct"),
    ("Violence against civilians", "Sexual violence", "ASSAULT", "sexual"),
    ("Protests", "Peaceful protest", "PROTEST", "demo"),
    ("Riots", "Violent demonstration", "PROTEST", "riot"),
    ("Strategic developments", "Arrests", "COERCE", "arrest"),
    ("Strategic developments", "Agreement", "AGREE", None),
    ("Strategic developments", "Non-violent transfer of territory", "RETREAT", "withdraw"),
    ("Strategic developments", "Other", None, None),
    ("Riots", None, "PROTEST", "riot"),
])
def test_export_plover_mapping(event_type, sub, event, mode):
    rec = plover_record({"event_id": "e1", "event_date": "2024-11-27", "event_type": event_type,
                         "sub_event_type": sub, "actor1": "Police Forces of Kenya (2013-)", "inter1": "State forces",
                         "actor2": "Protesters (Kenya)", "inter2": "Protesters", "country": "Kenya"})
    assert rec["event"] == ([event] if event else []) and rec["event_type"] == event
    assert rec["mode"] == ([mode] if mode else [])
    assert rec["has_event"] is (event is not None)
    assert rec["event_loc"]["cc3"] == "KEN" and rec["date"] == "2024-11-27"


def test_export_plover_sides(events):
    battle = plover_record(events[0])
    assert {a["actor_text"] for a in battle["source"]} == {events[0]["actor1"], events[0]["actor2"]}
    assert battle["recipient"] == []  # two-sided violence: everyone is a source
    assert battle["quad_code"] == 4 and battle["dead"] == 47 and battle["contested"] is True
    syria = next(a for a in battle["source"] if a["inter"] == "State forces")
    assert (syria["code"], syria["sector"]) == ("SYR", "MIL")
    attack = plover_record({**events[0], "event_type": "Violence against civilians", "sub_event_type": "Attack",
                            "actor2": "Civilians (Syria)", "inter2": "Civilians"})
    assert [a["actor_text"] for a in attack["source"]] == [events[0]["actor1"]]
    assert attack["recipient"][0] == {"actor_text": "Civilians (Syria)", "code": "SYR", "sector": "CVL",
                                      "inter": "Civilians"}


def test_export_parquet_opens_in_pandas_and_duckdb(events, tmp_path):
    import duckdb
    import pandas as pd
    path = str(tmp_path / "events.parquet")
    write_parquet(events, path)
    frame = pd.read_parquet(path)
    assert len(frame) == 1 and int(frame.loc[0, "sources"]) == 4
    assert list(frame.loc[0, "outlets"])[0] == "dailystar.example"
    assert json.loads(frame.loc[0, "figures"])[0]["provenance"].startswith("actor:")
    assert duckdb.sql(f"SELECT fatalities, contested FROM read_parquet('{path}')").fetchall() == [(47, True)]


@pytest.mark.parametrize("fmt", ["acled-csv", "geojson", "plover-jsonl", "json"])
def test_export_events_command_formats(db, invoke, fmt, tmp_path):
    out = invoke("events", "--db", db, "--format", fmt, "--country", "Syria")
    assert out.exit_code == 0
    if fmt == "acled-csv":
        assert out.stdout.splitlines()[0].startswith("event_id_cnty,event_date,year")
    elif fmt == "geojson":
        assert json.loads(out.stdout)["features"][0]["geometry"]["coordinates"][0] == SARAQIB["longitude"]
    elif fmt == "plover-jsonl":
        rec = json.loads(out.stdout.splitlines()[0])
        assert rec["event"] == ["ASSAULT"] and len(rec["cite_info"]) == 6
        assert any(c["url"] and "reuters.com" in c["url"] for c in rec["cite_info"])
    else:
        assert json.loads(out.stdout)[0]["reports"] == 6
    target = tmp_path / f"out.{fmt}"
    assert invoke("events", "--db", db, "--format", fmt, "-o", str(target)).exit_code == 0
    assert target.stat().st_size > 100


def test_export_events_command_parquet_needs_output(db, invoke, tmp_path):
    assert invoke("events", "--db", db, "--format", "parquet").exit_code == 2
    target = tmp_path / "e.parquet"
    assert invoke("events", "--db", db, "--format", "parquet", "-o", str(target)).exit_code == 0
    import pandas as pd
    assert len(pd.read_parquet(target)) == 1


@pytest.mark.parametrize("args, n", [
    (["--min-sources", "5"], 0), (["--type", "Battles", "--actor", "Russia"], 1), (["--since", "2025-01-01"], 0),
])
def test_export_events_command_filters(db, invoke, args, n):
    out = invoke("events", "--db", db, "--format", "json", *args)
    assert out.exit_code == 0 and len(json.loads(out.stdout)) == n


def test_export_events_command_bad_date(db, invoke):
    out = invoke("events", "--db", db, "--since", "last week")
    assert out.exit_code == 2 and "YYYY-MM-DD" in out.stderr


def test_export_events_command_missing_db(invoke, tmp_path):
    out = invoke("events", "--db", str(tmp_path / "none.duckdb"))
    assert out.exit_code == 1 and "no such database" in out.stderr
    assert not (tmp_path / "none.duckdb").exists()


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv"])
def test_export_claims_command(db, invoke, fmt):
    out = invoke("claims", "--db", db, "--format", fmt, "--actor", "Russia")
    assert out.exit_code == 0
    if fmt == "json":
        rows = json.loads(out.stdout)
        assert len(rows) == 4 and all(r["event_ids"] for r in rows)
    elif fmt == "jsonl":
        assert len(out.stdout.splitlines()) == 4
    else:
        rows = list(csv.DictReader(io.StringIO(out.stdout)))
        assert len(rows) == 4 and rows[0]["speaker_actor"] == "Military Forces of Russia (2000-)"


def test_export_actors_command(db, invoke, tmp_path):
    out = invoke("actors", "--db", db)
    names = {a["name"] for a in json.loads(out.stdout)}
    assert names == {"Hayat Tahrir al-Sham", "Military Forces of Syria (2000-2024)"}
    target = tmp_path / "actors.parquet"
    assert invoke("actors", "--db", db, "--format", "parquet", "-o", str(target)).exit_code == 0
    import pandas as pd
    assert set(pd.read_parquet(target)["name"]) == names


def test_export_tables_cover_acled_vocabulary_exactly():
    """The PLOVER and disorder tables are keyed by acled.py's labels, every one and no other."""
    from sitroom import acled, export
    assert list(export.ACLED_TO_PLOVER) == list(acled.SUB_EVENT_TYPES)
    assert set(export.ACLED_TYPE_TO_PLOVER) == set(export.DISORDER_TYPE) == set(acled.EVENT_TYPES)
    assert set(export.INTER_TO_SECTOR) <= set(acled.INTER_TYPES)


@pytest.mark.parametrize("value, cell", [
    ("=HYPERLINK(\"http://example.invalid\",\"click\")", "'=HYPERLINK(\"http://example.invalid\",\"click\")"),
    ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
    ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
    ("-2+3", "'-2+3"),
    ("-3", "-3"),  # a number stays a number
    ("Gunmen attacked Kuje.", "Gunmen attacked Kuje."),
])
def test_export_csv_cells_never_start_a_formula(value, cell):
    from sitroom.export import records_csv
    for text in (acled_csv([{"notes": value, "actor1": value}], with_doc_id=False),
                 records_csv([{"speaker": value}], ["speaker"])):
        rows = list(csv.reader(io.StringIO(text)))
        assert cell in rows[1]
