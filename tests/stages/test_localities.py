"""The curated locality tables: well-formed, inside their country, in an admin1 the gazetteer knows."""
from __future__ import annotations

import csv

import pytest

from sitroom.folding import fold
from sitroom.gazetteer import LOCALITY_FEATURES, load_gazetteer, locality_files


def rows():
    for path in locality_files():
        with open(path, encoding="utf-8", newline="") as f:
            for n, row in enumerate(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE), 1):
                if row and not row[0].startswith("#"):
                    yield f"{path.name}:{n}", row


@pytest.fixture(scope="module")
def country_boxes():
    con = load_gazetteer()._con
    return {c: b for c, *b in con.execute(
        "SELECT country, MIN(lat), MAX(lat), MIN(lon), MAX(lon) FROM place "
        "WHERE feature IN ('city', 'town', 'village') AND id < ? GROUP BY country", (1 << 38,))}


def test_localities_exist():
    assert len(list(rows())) > 300


def test_localities_rows_are_well_formed_and_inside_their_country(country_boxes):
    gaz = load_gazetteer()
    admin1 = {(c, fold(d)) for c in country_boxes for _, d in gaz.admin_codes(c, 1)}
    bad = []
    for where, row in rows():
        if len(row) < 7:
            bad.append((where, "columns"))
            continue
        name, _, lat, lon, feature, country, a1 = (c.strip() for c in row[:7])
        lat, lon = float(lat), float(lon)
        lo_lat, hi_lat, lo_lon, hi_lon = country_boxes[country]
        if not (lo_lat - 2 <= lat <= hi_lat + 2 and lo_lon - 2 <= lon <= hi_lon + 2):
            bad.append((where, name, "outside", country))
        if feature not in LOCALITY_FEATURES:
            bad.append((where, name, feature))
        if (country, fold(a1)) not in admin1 and not [
                p for p in gaz.by_name(a1) if p.feature == "admin1" and p.country == country]:
            bad.append((where, name, "admin1", a1))  # neither ACLED's name nor another the index knows
    assert not bad, bad[:20]


@pytest.mark.parametrize("name, country, admin1", [
    ("Kibra", "KE", "Nairobi"),
    ("Dagahaley", "KE", "Garissa"),
    ("Momauk", "MM", "Kachin"),
    ("Chanayethazan", "MM", "Mandalay"),
    ("Bulo Mareer", "SO", "Lower Shabelle"),
    ("Kolofata", "CM", "Extreme-Nord"),
    ("Kitchanga", "CD", "Nord-Kivu"),
])
def test_localities_are_in_the_index(name, country, admin1):
    hits = [p for p in load_gazetteer().by_name(name) if p.country == country]
    assert hits and hits[0].admin1 == admin1
