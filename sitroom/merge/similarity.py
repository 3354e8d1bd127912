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
from .records import Report, report_day

MAX_DAYS_APART = 1  # reports of one event differ by a day at most (time zones, next-day write-ups)
MAX_KM = 25.0  # one town and its outskirts: compatible reports closer than this are one event
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
GENERIC_ACTORS = frozenset({"unidentified armed group", "unidentified military forces", "unknown",
                            *(crowd.casefold() for crowd in CROWDS)})


# --- names and sides ---------------------------------------------------------------------
def normalize(name: str | None) -> str:
    """A name without its parenthesised period or country and a leading "the", casefolded."""
    return _LEADING_THE.sub("", _PARENS.sub("", name or "")).strip().casefold()


def split_actors(value: str | None) -> list[str]:
    """The names of an ACLED "; "-joined actor list."""
    return [a.strip() for a in re.split(r";", value or "") if a.strip()]


def parties(event: dict) -> list[str]:
    """Every named participant of a report, normalised, placeholders left out."""
    names = [event.get("actor1"), event.get("actor2"),
             *split_actors(event.get("assoc_actor_1")), *split_actors(event.get("assoc_actor_2"))]
    out = []
    for n in names:
        key = normalize(n)
        if key and key not in GENERIC_ACTORS and key not in out:
            out.append(key)
    return out


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


def _coarse(e: dict) -> bool:
    """Placed only at province level (or not at all): its point, if any, is a centroid."""
    if (e.get("geo_precision") or 0) >= 3:
        return True
    loc = normalize(e.get("location"))
    return not (normalize(e.get("admin2")) or (loc and loc != normalize(e.get("admin1")))
                or e.get("latitude") is not None)


def _located(a: dict, b: dict) -> bool:
    return None not in (a.get("latitude"), a.get("longitude"), b.get("latitude"), b.get("longitude"))


def places_compatible(a: dict, b: dict) -> bool:
    """Same country, and near each other, in one admin2, at one named place, or one only province-level."""
    ca, cb = (a.get("country") or "").casefold(), (b.get("country") or "").casefold()
    if ca and cb and ca != cb:
        return False
    if _located(a, b):
        if km(a["latitude"], a["longitude"], b["latitude"], b["longitude"]) <= MAX_KM:
            return True
    a2, b2 = normalize(a.get("admin2")), normalize(b.get("admin2"))
    if a2 and a2 == b2 and normalize(a.get("admin1")) == normalize(b.get("admin1")):
        return True
    la, lb = normalize(a.get("location")), normalize(b.get("location"))
    if la and la == lb:
        return True
    # a report placed only at province level fits a precise one in that province
    if _coarse(a) or _coarse(b):
        a1, b1 = normalize(a.get("admin1")), normalize(b.get("admin1"))
        return not a1 or not b1 or a1 == b1
    return False


def actors_compatible(a: dict, b: dict) -> bool:
    """Some named party in common, or one report names none."""
    pa, pb = parties(a), parties(b)
    if not pa or not pb:
        return True
    return any(same_actor(x, y) for x in pa for y in pb)


def compatible(a: Report, b: Report) -> bool:
    """Could these two reports describe the same event?"""
    if a.doc_id == b.doc_id:
        return False  # one article's separate events stay separate
    da, db = report_day(a), report_day(b)
    if da is None or db is None or abs(da - db) > MAX_DAYS_APART:
        return False
    ea, eb = a.event, b.event
    return (types_compatible(ea.get("event_type"), eb.get("event_type"))
            and places_compatible(ea, eb) and actors_compatible(ea, eb))


def similarity(a: Report, b: Report) -> float:
    """How alike two compatible reports are (picks the best cluster when several fit)."""
    ea, eb = a.event, b.event
    score = 0.0
    if _located(ea, eb):
        score += max(0.0, 1 - km(ea["latitude"], ea["longitude"], eb["latitude"], eb["longitude"]) / MAX_KM)
    score += ea.get("event_type") == eb.get("event_type")
    score += ea.get("event_date") == eb.get("event_date")
    pa, pb = parties(ea), parties(eb)
    if pa and pb:
        score += sum(any(same_actor(x, y) for y in pb) for x in pa) / len(pa)
    return score
