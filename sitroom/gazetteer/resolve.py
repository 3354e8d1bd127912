"""Which place a name means: candidates from the gazetteer, ranked by prior and context.

A ladder of look-ups, each tried only when the one before finds nothing:
exact folded name -> name without a directional/qualifier prefix -> transliteration skeleton
checked by string similarity (rapidfuzz).  Candidates are then scored: a prior from the
feature type and population, a bonus for the canonical name, the cue word's level hint,
and the context (countries and admin areas the text names, places near the ones it
names unambiguously, "X, Y" containment).  The places stage builds the context from a
whole article; `resolve_place` is the one-call form for a bare name and a country.
"""
from __future__ import annotations

import functools
import math
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from ..distance import km
from ..folding import fold, skeleton
from .index import CAPS_PREFIX, NAME_MAIN, Gazetteer, Place, is_caps_abbreviation
from .load import load_gazetteer

if TYPE_CHECKING:  # the record type only: the gazetteer does not need spaCy's Doc
    from ..document import PlaceRecord

__all__ = ["Candidate", "Context", "candidates", "holds", "method_of", "place_record", "prior", "rank",
           "resolve_place", "score"]

# Prior by feature: what a bare name in news most often refers to.
FEATURE_PRIOR = {
    "country": 10.0, "continent": 9.0, "region": 8.0, "sea": 8.0, "lake": 7.0, "river": 6.0,
    "admin1": 6.5, "admin2": -1.0, "city": 4.0, "town": 4.0, "village": 4.0,
}
# Areas without a population get this instead of the population term (a region is not a village).
IMPORTANCE = {"continent": 9.0, "region": 6.0, "sea": 6.0, "lake": 4.0, "river": 4.0}
CURATED_PRIOR = 11.5            # military sites, crossings: written for this domain, beat same-name villages
POPULATION_WEIGHT = 1.5         # per decade of population
GLOBAL_CITY = 1_000_000         # a city this big is what a bare name means almost anywhere
GLOBAL_CITY_BONUS = 2.0
CAPITAL_BONUS = 4.5             # 'Washington', 'Tripoli': capitals dominate news usage
MAIN_NAME_BONUS = 1.5           # the canonical name beats an old or foreign alternate
CONTEXT_COUNTRY_BONUS = 3.5     # the article names this country (or places in it)
TOP_COUNTRY_BONUS = 1.0         # ... and it is the article's main country
CONTEXT_ADMIN_BONUS = 2.0       # the article names this admin1 area
NEAR_BONUS = 2.5                # within NEAR_KM of a place the article names unambiguously
NEAR_KM = 150.0
CONTAINER_BONUS = 8.0           # "X, Y": X lies in the admin area or country Y
HINT_MATCH_BONUS = 6.0          # "Idlib governorate" -> the admin1, not the city
HINT_MISMATCH_PENALTY = 2.5
SKELETON_PENALTY = 1.0          # a transliteration match is less sure than an exact one
FUZZY_MIN_RATIO = 80.0          # rapidfuzz ratio a skeleton candidate must reach ('Kutui' for Kitui)
MAX_SKELETON_CANDIDATES = 60    # above this many places a skeleton is checked against main names only
SHADOW_SHARE = 0.05             # a same-named city this big shadows its admin area
# Words that qualify a place name without being part of it: 'northern Idlib', 'Greater Khartoum'.
QUALIFIER_PREFIXES = ("greater", "northern", "southern", "eastern", "western", "north", "south", "east",
                      "west", "upper", "lower", "middle", "central", "rural", "downtown", "old", "new", "outer",
                      "inner", "north east", "north west", "south east", "south west", "northeastern",
                      "northwestern", "southeastern", "southwestern", "metropolitan", "occupied")


@dataclass
class Candidate:
    """One reading of a name: the place, which of its names matched, on which rung, and its scores."""

    place: Place
    kind: int                  # NAME_MAIN / NAME_ALT / skeleton
    rung: str                  # exact | qualifier | skeleton
    prior: float = 0.0
    score: float = 0.0


@dataclass
class Context:
    """What the rest of the article says about where it is."""

    countries: Counter = field(default_factory=Counter)
    admin1: Counter = field(default_factory=Counter)
    anchors: dict[tuple, Place] = field(default_factory=dict)  # each place once, however often named
    _near: dict[tuple, bool] = field(default_factory=dict, repr=False)  # place -> an anchor near it

    def add_anchor(self, place: Place) -> None:
        key = (place.id, place.lat, place.lon)
        if key not in self.anchors:
            self.anchors[key] = place
            self._near.clear()

    def near_anchor(self, p: Place) -> bool:
        """Whether another anchor lies within NEAR_KM of `p` (asked once per place: a long
        article names the same places again and again)."""
        key = (p.id, p.lat, p.lon)
        hit = self._near.get(key)
        if hit is None:
            hit = self._near[key] = any(a.id != p.id and a.lat is not None and km(a.lat, a.lon, p.lat, p.lon) <= NEAR_KM
                                        for a in self.anchors.values())
        return hit

    @property
    def top_country(self) -> str | None:
        return self.countries.most_common(1)[0][0] if self.countries else None


def prior(place: Place, kind: int, capitals: frozenset[int] = frozenset()) -> float:
    """Context-free plausibility of one candidate."""
    if place.is_curated and place.feature not in FEATURE_PRIOR:
        p = CURATED_PRIOR
    else:
        p = FEATURE_PRIOR.get(place.feature, CURATED_PRIOR)
    if place.feature in IMPORTANCE:
        p += IMPORTANCE[place.feature]
    else:
        p += POPULATION_WEIGHT * math.log10(place.population + 1)
    if kind == NAME_MAIN:
        p += MAIN_NAME_BONUS
    if place.id in capitals and kind == NAME_MAIN:
        p += CAPITAL_BONUS
    if place.is_populated and place.population >= GLOBAL_CITY:
        p += GLOBAL_CITY_BONUS
    return p


def candidates(gaz: Gazetteer, text: str, *, fuzzy: bool = True, force_fuzzy: bool = False) -> list[Candidate]:
    """Every place the name may refer to, from the first rung of the ladder that finds any.

    `force_fuzzy` goes straight to the transliteration rung (the caller found no exact
    reading where it needs one).
    """
    caps = is_caps_abbreviation(text)
    return [Candidate(p, k, rung) for p, k, rung in _candidates(gaz, fold(text), fuzzy, caps, force_fuzzy)]


@functools.lru_cache(maxsize=100_000)
def _candidates(gaz: Gazetteer, key: str, fuzzy: bool, caps: bool = False,
                force_fuzzy: bool = False) -> tuple[tuple[Place, int, str], ...]:
    found = () if force_fuzzy else tuple((p, k, "exact") for p, k in gaz.lookup(key))
    if caps:  # 'CAR', 'DRC': upper-case abbreviations have keys of their own
        found = tuple((p, k, "exact") for p, k in gaz.lookup(CAPS_PREFIX + key)) + found
    if found:
        return found
    for q in QUALIFIER_PREFIXES:
        if key.startswith(q + " ") and len(key) > len(q) + 3:
            found = tuple((p, k, "qualifier") for p, k in gaz.lookup(key[len(q) + 1:]))
            if found:
                return found
    if not fuzzy:
        return ()
    sk = gaz.skeleton_places(key)
    # a crowded skeleton is checked against main names only (each alternate list costs a query)
    close = [p for p in sk if fuzz.ratio(key, fold(p.name)) >= FUZZY_MIN_RATIO]
    rest = [p for p in sk if p not in close] if len(sk) <= MAX_SKELETON_CANDIDATES else []
    names = gaz.names_of_many(p.id for p in rest)
    close += [p for p in rest if any(fuzz.ratio(key, n) >= FUZZY_MIN_RATIO for n in names.get(p.id, ()))]
    return tuple((p, 1, "skeleton") for p in close)


def drop_shadowed(cands: list[Candidate], hint: str | None) -> list[Candidate]:
    """A bare 'Aleppo' is the city, not the governorate named after it (unless a cue says so).

    An admin area is shadowed by a populated place inside it that bears the same name, or
    that holds a good share of its people ('New York' the city, not the state).
    """
    if hint in ("admin1", "admin2"):
        return cands
    populated = [c for c in cands if c.place.is_populated]
    out = []
    for c in cands:
        if c.place.is_admin and populated:
            code = c.place.admin1_code if c.place.feature == "admin1" else c.place.admin2_code
            own = skeleton(fold(c.place.name))
            same_name = [p for p in populated if skeleton(fold(p.place.name)) == own]
            twin = any(p.place.admin1_code == c.place.admin1_code for p in same_name) or any(
                (p.place.admin1_code == code or p.place.admin2_code == code)
                and p.place.population >= SHADOW_SHARE * c.place.population for p in populated)
            if twin:
                continue
        out.append(c)
    return out or cands


LOCAL_AREA_KM = 40.0  # how far from its seat a place of a sub-county or township may lie


def holds(area: Place, p: Place) -> bool:
    """Whether an admin area or country contains a place."""
    if area.id == p.id:
        return False
    if area.feature == "country":
        return p.country == area.country
    if area.feature == "admin1":
        return p.admin1_code == area.admin1_code
    if area.feature == "admin2":
        return p.admin2_code == area.admin2_code
    if area.is_populated and area.lat is not None and p.lat is not None:
        # a sub-county or township named by its seat: what lies around the seat
        return p.country == area.country and km(area.lat, area.lon, p.lat, p.lon) <= LOCAL_AREA_KM
    return False


def score(c: Candidate, ctx: Context, hint: str | None, container: Place | None) -> float:
    """Prior plus everything the document says for or against this candidate."""
    p = c.place
    s = c.prior
    if c.rung == "skeleton":
        s -= SKELETON_PENALTY
    if p.country and p.country in ctx.countries:
        s += CONTEXT_COUNTRY_BONUS
        if p.country == ctx.top_country:
            s += TOP_COUNTRY_BONUS
    elif p.feature in IMPORTANCE and ctx.countries:
        # seas and regions span countries: the article's country neither supports nor contradicts them
        s += CONTEXT_COUNTRY_BONUS + TOP_COUNTRY_BONUS
    if p.admin1_code and p.admin1_code in ctx.admin1 and p.feature != "admin1":
        s += CONTEXT_ADMIN_BONUS
    if p.lat is not None and p.feature not in ("country", "continent") and ctx.near_anchor(p):
        s += NEAR_BONUS
    if hint:
        if hint == p.feature or (hint == "populated" and p.is_populated):
            s += HINT_MATCH_BONUS
        elif hint in ("admin1", "admin2") and p.feature not in ("admin1", "admin2", "region"):
            s -= HINT_MISMATCH_PENALTY
        elif hint == "populated" and p.feature in ("country", "continent", "admin1"):
            s -= HINT_MISMATCH_PENALTY
    if container is not None and holds(container, p):
        s += CONTAINER_BONUS
    return s


def rank(cands: list[Candidate], ctx: Context, hint: str | None = None,
         container: Place | None = None, capitals: frozenset[int] = frozenset(),
         member: Place | None = None) -> list[Candidate]:
    """Candidates best first, scored in this context.

    `container`: the area a following ", Y" names; `member`: the place a preceding "X, " names
    (so 'Atlanta, Georgia' reads Georgia as the state that holds Atlanta).
    """
    cands = drop_shadowed(cands, hint)
    for c in cands:
        c.prior = prior(c.place, c.kind, capitals)
        c.score = score(c, ctx, hint, container)
        if member is not None and holds(c.place, member):
            c.score += CONTAINER_BONUS
    return sorted(cands, key=lambda c: (-c.score, -c.place.population, c.place.id))


def method_of(best: Candidate | None, ranked: list[Candidate], context_free: Place | None) -> str:
    """Which rung resolved it: curated | demonym | exact | ranked | context | skeleton | unresolved."""
    if best is None:
        return "unresolved"
    if best.place.is_curated:
        return "curated"
    if best.rung in ("demonym", "skeleton", "qualifier", "abbreviation"):
        return best.rung
    if len(ranked) == 1:
        return "exact"
    return "context" if context_free is not None and context_free.id != best.place.id else "ranked"


def place_record(p: Place | None, method: str, *, mention: str | None = None, start: int | None = None,
                 end: int | None = None, metonymic: bool = False) -> PlaceRecord:
    """The contract's PLACE dict for one reading (None: a mention nothing in the gazetteer fits)."""
    rec = {
        "mention": mention,
        "start": start, "end": end,
        "name": p.name if p else None,
        "geonameid": p.geonameid if p else None,
        "country": p.country if p else None,
        "admin1": p.admin1 if p else None,
        "admin2": p.admin2 if p else None,
        "latitude": round(p.lat, 5) if p and p.lat is not None else None,
        "longitude": round(p.lon, 5) if p and p.lon is not None else None,
        "feature": p.feature if p else None,
        "population": p.population if p else None,
        "metonymic": metonymic,
        "method": method,
    }
    if p and p.feature == "admin1":
        rec["admin1"] = p.name
    if p and p.feature == "admin2":
        rec["admin2"] = p.name
    return rec


def resolve_place(name: str, country: str | None = None, admin1: str | None = None,
                  fuzzy: bool = True) -> dict | None:
    """Resolve a bare place name; None when nothing fits.

    `country` (ISO alpha-2 or a country name) and `admin1` (a name) restrict the reading: with
    a country, a place outside it is never returned (the same name abroad is another place).
    `fuzzy=False` takes only names the gazetteer holds as written.
    """
    gaz = load_gazetteer()
    iso = _country_code(gaz, country)
    cands = candidates(gaz, name)
    if iso:
        cands = [c for c in cands if c.place.country == iso]
        if not cands and fuzzy:  # a spelling variant inside the country ('Avdiyivka' for 'Avdiivka')
            cands = [c for c in candidates(gaz, name, fuzzy=True, force_fuzzy=True) if c.place.country == iso]
    if not cands:
        return None
    ctx = Context()
    if iso:
        ctx.countries[iso] += 1
    container = None
    if admin1:
        areas = [p for p in gaz.by_name(admin1) if p.feature == "admin1" and (not iso or p.country == iso)]
        container = areas[0] if areas else None
    ranked = rank(cands, ctx, None, container, gaz.capitals)
    rec = place_record(ranked[0].place, method_of(ranked[0], ranked, None), mention=name)
    rec.pop("start"), rec.pop("end")
    return rec


def _country_code(gaz: Gazetteer, country: str | None) -> str | None:
    """ISO alpha-2 of a code or a country name ('Syria' -> 'SY')."""
    if not country:
        return None
    if len(country) == 2 and country.isalpha():
        return country.upper()
    hits = [p for p in gaz.by_name(country) if p.feature == "country"]
    return hits[0].country if hits else None
