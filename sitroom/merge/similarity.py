"""Whether two reports can be one event, and how alike they are.

Reports of one clash differ: a day apart across time zones, a town against its
district, "a clash" to one side and "shelling of civilians" to the other, "Syrian
army" against "Government of Syria". `compatible` is the hard rule (date within a
day, place within ~25 km or the same admin2, compatible type and actors); `similarity`
ranks the clusters a report fits. Actor names are compared by the side they stand for.
"""
from __future__ import annotations

import functools
import re

from rapidfuzz import fuzz

from ..acled import BATTLES, CROWDS, EXPLOSIONS, PROTESTS, RIOTS, VIOLENCE_AGAINST_CIVILIANS, country_names
from ..distance import km
from .records import Report, dated_vaguely, place_key, report_day

MAX_DAYS_APART = 1  # reports of one event differ by a day at most (time zones, next-day write-ups)
MAX_KM = 25.0  # one town and its outskirts: compatible reports closer than this are one event
SAME_SPOT_KM = 2.0  # two names for one spot (a gazetteer's duplicates, a quarter and its town centre)
NEIGHBOUR_KM = 50.0  # two distinct towns or villages closer than this are neighbours: two places
CITY_KM = 15.0  # a city's quarters and outskirts lie within this of its point
ACTOR_MATCH = 90  # rapidfuzz token_set_ratio above which two actor names are the same party

# event types that may describe the same incident from different sides (a clash to one side
# is a shelling of civilians to the other); others must match exactly
TYPE_FAMILIES = (frozenset({BATTLES, EXPLOSIONS, VIOLENCE_AGAINST_CIVILIANS}), frozenset({PROTESTS, RIOTS}))

_PARENS = re.compile(r"\s*\([^)]*\)")
_LEADING_THE = re.compile(r"^the\s+", re.I)
# ACLED's state actors: "Military Forces of Russia (2000-)", "Police Forces of Syria", "Government of Syria"
STATE_ACTOR = re.compile(
    r"^(?:military|police|government|security|air|naval|armed|special)\b[\w\s]*?\bof\s+(?:the\s+)?(?P<country>[\w\s'-]+)$",
    re.I)
# placeholder actors that say nothing about who took part ("Civilians (Syria)" normalises to "civilians")
PLACEHOLDER_ACTORS = frozenset({"unidentified armed group", "unidentified military forces", "unknown"})
GENERIC_ACTORS = frozenset({*PLACEHOLDER_ACTORS, *(crowd.casefold() for crowd in CROWDS)})


# --- names and sides ---------------------------------------------------------------------
@functools.lru_cache(maxsize=65536)
def normalize(name: str | None) -> str:
    """A name without its parenthesised period or country and a leading "the", casefolded."""
    return _LEADING_THE.sub("", _PARENS.sub("", name or "")).strip().casefold()


def split_actors(value: str | None) -> list[str]:
    """The names of an ACLED "; "-joined actor list."""
    return [a.strip() for a in re.split(r";", value or "") if a.strip()]


def parties(event: dict, leave_out: frozenset[str] = GENERIC_ACTORS) -> list[str]:
    """Every named participant of a report, normalised, placeholders (and crowds) left out."""
    return list(_parties(event.get("actor1"), event.get("actor2"), event.get("assoc_actor_1"),
                         event.get("assoc_actor_2"), leave_out))


@functools.lru_cache(maxsize=65536)
def _parties(actor1, actor2, assoc1, assoc2, leave_out: frozenset[str]) -> tuple[str, ...]:
    out: list[str] = []
    for n in (actor1, actor2, *split_actors(assoc1), *split_actors(assoc2)):
        key = normalize(n)
        if key and key not in leave_out and key not in out:
            out.append(key)
    return tuple(out)


@functools.cache
def side_of(name: str | None) -> str:
    """The side an actor name stands for: a state's forces, its government and its name are one side."""
    key = normalize(name)
    m = STATE_ACTOR.match(key)
    if m:
        return f"state:{m.group('country').strip()}"
    return f"state:{key}" if key in country_names() else key


def same_actor(a: str | None, b: str | None) -> bool:
    """Do two actor names stand for the same side (the same state, or near-identical names)?"""
    ka, kb = side_of(a), side_of(b)
    if not ka or not kb:
        return False
    return ka == kb or fuzz.token_set_ratio(ka, kb) >= ACTOR_MATCH


# --- compatibility -------------------------------------------------------------------------
def types_compatible(a: str | None, b: str | None) -> bool:
    """Equal event types, a missing one, or two of one family (see TYPE_FAMILIES)."""
    if not a or not b or a == b:
        return True
    return any(a in fam and b in fam for fam in TYPE_FAMILIES)


def days_apart(a: Report, b: Report) -> int | None:
    """Days between two reports' event days, one fewer when the later one is dated vaguely
    (see `dated_vaguely`); None when one has no day at all."""
    da, db = report_day(a), report_day(b)
    if da is None or db is None:
        return None
    later = a if da > db else b
    return max(0, abs(da - db) - (da != db and dated_vaguely(later)))


def _coarse(e: dict) -> bool:
    """Placed only at province level (or not at all): its point, if any, is a centroid."""
    if (e.get("geo_precision") or 0) >= 3:
        return True
    loc = normalize(e.get("location"))
    return not (normalize(e.get("admin2")) or (loc and loc != normalize(e.get("admin1")))
                or e.get("latitude") is not None)


def _located(a: dict, b: dict) -> bool:
    return None not in (a.get("latitude"), a.get("longitude"), b.get("latitude"), b.get("longitude"))


def _distance(a: dict, b: dict) -> float | None:
    return km(a["latitude"], a["longitude"], b["latitude"], b["longitude"]) if _located(a, b) else None


def place_kind(r: Report) -> str:
    """How much ground a report's place covers: 'region' (province or country), 'district',
    'city' (a city and its quarters), or 'spot' (a town, a village, a quarter)."""
    if "place_kind" not in r.memo:
        r.memo["place_kind"] = _place_kind(r)
    return r.memo["place_kind"]


def _place_kind(r: Report) -> str:
    e = r.event
    if _coarse(e):
        return "region"
    feature = r.article.place_features.get(place_key(e.get("location")))
    if feature in ("admin2", "region", "unresolved-in-admin1"):
        return "district"
    if feature in ("admin1", "country", "continent", "sea"):
        return "region"
    return "city" if feature == "city" else "spot"


def names_place(r: Report, other: Report) -> bool:
    """Does r's article name the place other's report puts its event at?"""
    key = place_key(other.event.get("location"))
    return bool(key) and key in r.article.place_features


def place_link(a: Report, b: Report) -> str | None:
    """How two reports' places relate (see `_place_link`); kept in the first one's memo, as
    clustering asks again for the same pairs."""
    links = a.memo.setdefault("links", {})
    found = links.get(id(b))
    if found is None or found[0] is not b:  # the report itself is kept: its id is not reused
        found = links[id(b)] = (b, _place_link(a, b))
    return found[1]


def _place_link(a: Report, b: Report) -> str | None:
    """How two reports' places relate: 'same', 'within' (one inside the other's area), 'near',
    'named' (far apart, but one's article names the other's place), 'distinct' (two different
    places close together), or None (unrelated places).

    Outlets differ in precision (a village, its district, the city, the province), so a
    coarser place contains a finer one. Two distinct towns or villages close together are
    two places (neighbouring villages raided the same day are two events); a place far from
    the other's that the other's article names is most likely an extraction's slip (a
    dateline, a capital, a place in the background), so that weak link is left to the
    other evidence (see `compatible`).
    """
    ea, eb = a.event, b.event
    ca, cb = (ea.get("country") or "").casefold(), (eb.get("country") or "").casefold()
    same_country = not ca or not cb or ca == cb
    la, lb = place_key(ea.get("location")), place_key(eb.get("location"))
    dist = _distance(ea, eb)
    if same_country:
        if la and la == lb:
            return "same"
        if dist is not None and dist <= SAME_SPOT_KM:
            return "same"
        ka, kb = place_kind(a), place_kind(b)
        if ka == kb == "spot" and dist is not None and dist <= NEIGHBOUR_KM:
            return "distinct"  # two distinct places close together: two events
        a1, b1 = normalize(ea.get("admin1")), normalize(eb.get("admin1"))
        a2, b2 = normalize(ea.get("admin2")), normalize(eb.get("admin2"))
        if "region" in (ka, kb) and (not a1 or not b1 or a1 == b1):
            return "within"
        if "district" in (ka, kb) and a2 and a2 == b2 and a1 == b1:
            return "within"
        if "city" in (ka, kb) and dist is not None and dist <= CITY_KM:
            return "within"
        if dist is not None and dist <= MAX_KM and "spot" not in (ka, kb):
            return "near"
        if ka != "spot" and kb != "spot" and a2 and a2 == b2 and a1 == b1:
            return "near"
    if names_place(a, b) or names_place(b, a):
        return "named"
    return None


def sides(e: dict) -> list[str]:
    """Every party of a report, victims' groups included ("civilians"): what two reports of one
    event must share one of; placeholders that name no one are left out."""
    return parties(e, PLACEHOLDER_ACTORS)


def actors_compatible(a: dict, b: dict) -> bool:
    """Some party in common (victims' groups count), or one report names none.

    Extractors often get the perpetrator wrong (an army named for the attacker, a parent
    group for its affiliate) while agreeing on the victims, so a shared victim group is
    enough; two reports naming entirely different parties are different events.
    """
    pa, pb = sides(a), sides(b)
    if not pa or not pb:
        return True
    return any(same_actor(x, y) for x in pa for y in pb)


def _agree_apart_from_place(a: Report, b: Report) -> bool:
    """Different articles, days within MAX_DAYS_APART, compatible types and parties."""
    if a.doc_id == b.doc_id:
        return False  # one article's separate events stay separate
    gap = days_apart(a, b)
    if gap is None or gap > MAX_DAYS_APART:
        return False
    ea, eb = a.event, b.event
    return types_compatible(ea.get("event_type"), eb.get("event_type")) and actors_compatible(ea, eb)


def _linked(a: Report, b: Report, link: str | None) -> bool:
    """Is this place link enough? A 'named' link is weak: the type must agree too, and the named
    parties if both name some."""
    if link == "named":
        ea, eb = a.event, b.event
        pa, pb = parties(ea), parties(eb)
        return ea.get("event_type") == eb.get("event_type") and (
            not pa or not pb or any(same_actor(x, y) for x in pa for y in pb))
    return link not in (None, "distinct")


def compatible(a: Report, b: Report) -> bool:
    """Could these two reports describe the same event?"""
    return _agree_apart_from_place(a, b) and _linked(a, b, place_link(a, b))


KIND_RANK = {"spot": 0, "city": 1, "district": 2, "region": 3}  # finest first


def anchors(members: list[Report]) -> list[Report]:
    """The members at the place most of a cluster's reports give, the finest such place on a tie
    (a village before its district before its province): where the event happened, as far as
    the cluster can tell."""
    support: dict[str, tuple[int, int]] = {}
    for m in members:
        key = place_key(m.event.get("location"))
        count, rank = support.get(key, (0, 9))
        support[key] = (count + 1, min(rank, KIND_RANK[place_kind(m)]))
    top = max(support, key=lambda k: (support[k][0], -support[k][1]))
    return [m for m in members if place_key(m.event.get("location")) == top]


def fits(report: Report, members: list[Report], anchored: list[Report] | None = None) -> bool:
    """Can the report join this cluster? It must agree with every member on days, type and
    parties, be placed at no distinct neighbouring spot of any, and link to the cluster's place.

    The place is checked against the cluster's anchors, not every member: a member an
    extractor placed at a dateline or capital must not keep out a report placed right.
    `anchored`: the cluster's anchors when the caller keeps them.
    """
    if not any(_linked(report, m, place_link(report, m)) for m in (anchored or anchors(members))):
        return False  # checked first: most clusters of the same days are elsewhere
    return all(_agree_apart_from_place(report, m) and place_link(report, m) != "distinct" for m in members)


PLACE_SCORE = {"same": 3.0, "within": 2.0, "near": 1.5, "named": 0.5}


def similarity(a: Report, b: Report) -> float:
    """How alike two compatible reports are (picks the best cluster when several fit)."""
    ea, eb = a.event, b.event
    score = PLACE_SCORE.get(place_link(a, b) or "", 0.0)
    score += ea.get("event_type") == eb.get("event_type")
    score += 0.5 * (ea.get("sub_event_type") == eb.get("sub_event_type"))
    score += days_apart(a, b) == 0
    pa, pb = parties(ea), parties(eb)
    if pa and pb:
        score += sum(any(same_actor(x, y) for y in pb) for x in pa) / len(pa)
    return score
