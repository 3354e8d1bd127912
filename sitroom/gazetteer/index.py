"""Reading the gazetteer index: which places a name can mean, and what an area or country is.

The index (built by `build`) is one SQLite file: a table of places, one of folded names
with their kind (main, alternate, skeleton, demonym) and one of admin areas with their
ACLED-style names.  `Gazetteer` opens it read-only and memoises every look-up; `Place` is
one row.  The constants here describe the file's content, so the builder and every
reader agree on them.
"""
from __future__ import annotations

import functools
import json
import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ..folding import fold, skeleton
from .naming import split_admin1, strip_admin

__all__ = ["ADMIN_FEATURES", "CAPS_PREFIX", "CITY_POPULATION", "CURATED_ID_BASE", "Gazetteer",
           "LOCALITY_ID_BASE", "MIN_SKELETON", "NAME_ALT", "NAME_DEMONYM", "NAME_MAIN", "NAME_SKELETON",
           "POPULATED_FEATURES", "Place", "TOWN_POPULATION", "is_caps_abbreviation", "is_locality"]

# A populated place's feature from its population: the event stage's geo precision reads it.
CITY_POPULATION = 100_000
TOWN_POPULATION = 10_000
# Curated entries get ids above every GeoNames id (which stay below 2^34), so ids never collide.
CURATED_ID_BASE = 1 << 40
LOCALITY_ID_BASE = 1 << 38  # below CURATED_ID_BASE // 2, where admin areas without a GeoNames id go
# Skeleton keys shorter than this collide too often to be useful candidates.
MIN_SKELETON = 4

# name kinds in the index
NAME_MAIN, NAME_ALT, NAME_SKELETON, NAME_DEMONYM = 0, 1, 2, 3

ADMIN_FEATURES = ("admin1", "admin2")
POPULATED_FEATURES = ("city", "town", "village")

# Upper-case abbreviations ('CAR', 'DRC') are indexed under CAPS_PREFIX + key, so only upper-case text finds them.
CAPS_PREFIX = "="
CAPS_MAX = 5


def is_caps_abbreviation(text: str) -> bool:
    """'UAE', 'U.S.', 'DRC': short upper-case forms that must match case-sensitively."""
    bare = text.replace(".", "").replace(" ", "")
    return bare.isupper() and bare.isalpha() and len(bare) <= CAPS_MAX


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry (a populated place, an admin area, a country, a region or a site)."""

    id: int
    name: str
    feature: str
    country: str | None
    admin1_code: str | None
    admin2_code: str | None
    lat: float | None
    lon: float | None
    population: int
    geonameid: int | None
    admin1: str | None = None
    admin2: str | None = None

    @property
    def is_admin(self) -> bool:
        return self.feature in ADMIN_FEATURES

    @property
    def is_populated(self) -> bool:
        return self.feature in POPULATED_FEATURES

    @property
    def is_curated(self) -> bool:
        """Written by the team in regions.tsv or sites.tsv (not GeoNames, not a localities table)."""
        return self.id >= CURATED_ID_BASE


def is_locality(p: Place) -> bool:
    """Whether a place comes from the team's localities tables."""
    return LOCALITY_ID_BASE <= p.id < CURATED_ID_BASE // 2


class Gazetteer:
    """Read access to the index: name look-ups and admin/country records, memoised."""

    def __init__(self, path: Path):
        self.path = path
        uri = f"file:{path}?mode=ro&immutable=1"
        self._con = sqlite3.connect(uri, uri=True, check_same_thread=False)
        self.lookup = functools.lru_cache(maxsize=200_000)(self._lookup)
        self.place = functools.lru_cache(maxsize=50_000)(self._place)

    # low level
    def _rows_to_places(self, rows: list[tuple]) -> list[Place]:
        out = []
        for pid, name, feature, country, a1, a2, lat, lon, pop, gid in rows:
            out.append(Place(pid, name, feature, country, a1, a2, lat, lon, pop or 0, gid,
                             split_admin1(country, a2) or self.admin_name(a1), self.admin_name(a2)))
        return out

    def _lookup(self, key: str, kinds: tuple[int, ...] = (NAME_MAIN, NAME_ALT)) -> tuple[tuple[Place, int], ...]:
        """(place, best name kind) for every place one of whose names folds to `key`."""
        if not key:
            return ()
        marks = ",".join("?" * len(kinds))
        rows = self._con.execute(
            f"SELECT MIN(n.kind), p.* FROM name n JOIN place p ON p.id = n.id WHERE n.key = ? AND n.kind IN ({marks})"
            " GROUP BY p.id", (key, *kinds)).fetchall()
        places = self._rows_to_places([r[1:] for r in rows])
        return tuple(zip(places, (r[0] for r in rows)))

    def place(self, pid: int) -> Place | None:
        """The place with this index id (None if absent)."""
        return self._place(pid)

    def _place(self, pid: int) -> Place | None:
        rows = self._con.execute("SELECT * FROM place WHERE id = ?", (pid,)).fetchall()
        return self._rows_to_places(rows)[0] if rows else None

    @functools.lru_cache(maxsize=100_000)
    def has_key(self, key: str) -> bool:
        """Whether any name (not skeleton) folds to `key`: the recogniser's cheap test."""
        return self._con.execute("SELECT 1 FROM name WHERE key = ? AND kind != 2 LIMIT 1", (key,)).fetchone() is not None

    @functools.lru_cache(maxsize=100_000)
    def has_prefix(self, key: str) -> bool:
        """Whether some name starts with `key` + ' ': lets the recogniser grow a multi-word name."""
        lo = key + " "
        return self._con.execute("SELECT 1 FROM name WHERE key >= ? AND key < ? LIMIT 1",
                                 (lo, key + "!")).fetchone() is not None

    # names
    def by_name(self, text: str) -> tuple[Place, ...]:
        """Places whose name or alternate name folds like `text`."""
        return tuple(p for p, _ in self.lookup(fold(text)))

    def by_demonym(self, text: str) -> tuple[Place, ...]:
        return tuple(p for p, _ in self.lookup(fold(text), (NAME_DEMONYM,)))

    def by_skeleton(self, text: str) -> tuple[Place, ...]:
        sk = skeleton(fold(text))
        return tuple(p for p, _ in self.lookup(sk, (NAME_SKELETON,))) if len(sk) >= MIN_SKELETON else ()

    def skeleton_places(self, key: str) -> tuple[Place, ...]:
        """Places sharing the transliteration skeleton of a folded key."""
        sk = skeleton(key)
        return tuple(p for p, _ in self.lookup(sk, (NAME_SKELETON,))) if len(sk) >= MIN_SKELETON else ()

    def names_of_many(self, pids: Iterable[int]) -> dict[int, list[str]]:
        """Folded name keys of several places in one query."""
        pids = list(pids)
        out: dict[int, list[str]] = defaultdict(list)
        if pids:
            marks = ",".join("?" * len(pids))
            for pid, key in self._con.execute(
                    f"SELECT id, key FROM name WHERE id IN ({marks}) AND kind IN (0, 1)", pids):
                out[pid].append(key)
        return out

    def names_of(self, pid: int) -> list[str]:
        """Every folded name key of one place (for similarity checks)."""
        return [r[0] for r in self._con.execute("SELECT key FROM name WHERE id = ? AND kind IN (0, 1)", (pid,))]

    # admin areas and countries
    @functools.lru_cache(maxsize=100_000)
    def admin_name(self, code: str | None) -> str | None:
        if not code:
            return None
        row = self._con.execute("SELECT display FROM admin WHERE code = ?", (code,)).fetchone()
        return row[0] if row else None

    @functools.lru_cache(maxsize=50_000)
    def admin_place(self, code: str | None) -> Place | None:
        if not code:
            return None
        row = self._con.execute("SELECT id FROM admin WHERE code = ?", (code,)).fetchone()
        return self.place(row[0]) if row else None

    @functools.lru_cache(maxsize=10_000)
    def seat(self, pid: int) -> Place | None:
        """The town an admin area is coded to when a report names only the area (ACLED codes such
        events to the area's capital): its namesake town inside it, else its largest town."""
        area = self.place(pid)
        if area is None or area.feature not in ADMIN_FEATURES:
            return None
        code = area.admin1_code if area.feature == "admin1" else area.admin2_code
        col = "a1" if area.feature == "admin1" else "a2"
        marks = ",".join("?" * len(POPULATED_FEATURES))
        rows = self._con.execute(f"SELECT * FROM place WHERE {col} = ? AND feature IN ({marks}) "
                                 "ORDER BY pop DESC LIMIT 500", (code, *POPULATED_FEATURES)).fetchall()
        towns = self._rows_to_places(rows)
        if not towns:
            return None
        keys = {fold(area.name), fold(strip_admin(area.name))} | set(self.names_of(pid))
        return next((t for t in towns if fold(t.name) in keys), towns[0])

    @functools.cached_property
    def capitals(self) -> frozenset[int]:
        """Ids of national capitals."""
        row = self._con.execute("SELECT v FROM meta WHERE k = 'capitals'").fetchone()
        return frozenset(json.loads(row[0])) if row else frozenset()

    @functools.cached_property
    def capital_of(self) -> dict[str, Place]:
        """Country code -> its national capital (one per country in GeoNames' country table)."""
        places = (self._place(pid) for pid in sorted(self.capitals))
        return {p.country: p for p in places if p is not None and p.country}

    @functools.lru_cache(maxsize=1024)
    def country(self, iso2: str | None) -> Place | None:
        if not iso2:
            return None
        row = self._con.execute("SELECT * FROM place WHERE feature = 'country' AND country = ?",
                                (iso2.upper(),)).fetchone()
        return self._rows_to_places([row])[0] if row else None

    def admin_codes(self, iso2: str, level: int = 1) -> list[tuple[str, str]]:
        """(code, display name) of a country's admin areas of one level."""
        return [(c, d) for c, d in self._con.execute(
            "SELECT code, display FROM admin WHERE country = ? AND level = ? ORDER BY display", (iso2.upper(), level))]

    def count_by_country(self, iso2: str) -> dict[str, int]:
        """Places per feature in one country (the coverage table in docs/decisions/places.md)."""
        return dict(self._con.execute("SELECT feature, COUNT(*) FROM place WHERE country = ? GROUP BY feature",
                                      (iso2.upper(),)).fetchall())
