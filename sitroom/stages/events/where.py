"""Where an event happened: its country (a vote), its place and ACLED's geo precision.

`event_country` weighs the places of the event's sentences, the home country of the
forces acting in it and, as a tie-breaker, every place of the report; `choose_place`
takes the most specific usable place of the event's sentences (the anchor first), else
of the report; `place_fields` writes ACLED's location fields, a region's seat standing
in for a region.
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from fractions import Fraction

from spacy.tokens import Doc

from ...acled import STATE, iso2_of
from ...document import ActorMention, PlaceRecord, layer, text_of
from ...folding import fold
from ...gazetteer import resolve_place
from ...spans import ByStart, SpanIndex, holds
from .clause import once


# ---------------------------------------------------------------- which country
# votes are exact fractions, so that equal votes tie (0.2 + 0.2 + 0.9 is 1.0 + 0.3), whatever their order
PLACE_VOTE, STATE_VOTE, DOC_VOTE = Fraction(1), Fraction(1), Fraction("0.3")  # any place in the document: a tie-breaker
ACTOR_VOTE = Fraction("0.5")  # an armed group's home country: weak (Al Shabaab fights in Kenya too)
DOC_PLACE_PRECISION = 2  # a place from another sentence of the report: ACLED's "near/part of"
DOC_VOTE_CAP = Fraction("0.9")  # all the report's other mentions together stay below one place of the event's own sentences
DOC_ACTOR_VOTE = Fraction("0.2")  # a named actor elsewhere in the report: only decides when nothing else does
ABROAD_FACTOR = Fraction("0.25")  # state forces named beside places of another country act abroad


def reread_in_country(places: list[PlaceRecord], iso2: str | None,
                      spans: list[tuple[int, int]]) -> list[PlaceRecord]:
    """A town of the event's sentences that the places stage read abroad, read again in the event's
    country when a town there has that name ('PDF-Kani ... in Kani township': Kani, Myanmar, not Japan)."""
    if not iso2:
        return places
    out = []
    told = SpanIndex(spans)
    for p in places:
        s, own = p["start"], (p["country"] or "").upper()
        if (own and own != iso2 and place_level(p) >= 3 and not p.get("demonym")
                and not p["metonymic"] and p["mention"] and holds(told, s, s + 1)):
            alt = _town_named(p["mention"], iso2)
            if alt:
                p = {**p, **{k: v for k, v in alt.items() if k != "mention"}, "method": "event-country"}
        out.append(p)
    return out


def _located_places(text: str, places: list[PlaceRecord]) -> tuple[ByStart, Counter]:
    """The places that may locate an event (not a namesake abroad, not a neighbour), and the
    votes they give their countries as places of the whole report."""
    every = by_start(places)
    located = [p for p in every.items if not contradicted(text, p, every) and not neighbour(text, p)]
    doc_votes: Counter = Counter()
    for p in located:
        iso = (p["country"] or "").upper()
        if len(iso) == 2 and not (p["metonymic"] and not p.get("demonym")):
            doc_votes[iso] += DOC_VOTE  # 'the White House said', 'Moscow denied': who, not where ('Kenyan' still hints)
    return by_start(located), doc_votes



def _namesake_countries(p: PlaceRecord, homes: set[str | None], iso: str) -> set[str]:
    """Home countries of the report's actors (`homes`) that hold a town of this place's name, other than its own."""
    if place_level(p) < 3 or not p["mention"] or p.get("demonym"):
        return set()
    return {c for c in homes - {None, iso} if _town_named(p["mention"], c)}


@functools.lru_cache(maxsize=20_000)
def _town_named(name: str, iso2: str) -> dict | None:
    """The country's town whose own name this is (not an old or foreign alternate: 'Pokrovsk' is
    also an old name of Engels, Russia)."""
    alt = resolve_place(name, iso2, fuzzy=False)
    if alt and place_level(alt) >= 3 and fold(alt.get("name") or "") == fold(name):
        return alt
    return None


def _mention_votes(mentions: list[ActorMention]) -> tuple[set, ByStart, dict[str, int], Counter]:
    """What the report's actor mentions give every event's country vote: the home countries of
    its named actors, the mentions that vote (by start: the event's own sentences' weigh more),
    how many of those name each country (keys in the order the report first names them) and
    the country the actors stage guessed for its generic roles ("police")."""
    homes = {iso2_of(m["country"]) for m in mentions if m["method"] != "generic" and m["kind"] != "generic"}
    voting, named, guessed = [], {}, Counter()
    for m in mentions:
        iso = iso2_of(m["country"])
        if not iso or m["kind"] == "speaker":
            continue  # 'the White House said', 'TASS reported': who speaks, not where it happened
        if m["method"] == "generic" or m["kind"] == "generic":
            guessed[iso] = DOC_ACTOR_VOTE  # "police", "residents": the actors stage's guess for the report
            continue
        voting.append(m)
        named[iso] = named.get(iso, 0) + 1
    return homes, ByStart(voting, lambda m: (m["start"], m["end"])), named, guessed


def event_country(doc: Doc, spans: list[tuple[int, int]], mentions: list[ActorMention]) -> str | None:
    """ISO2 of the country the event happened in, by vote: the places of its sentences, the
    home country of the state forces acting in it, and, as a tie-breaker, every place the
    document names (demonyms included: "Kenyan villages") and every actor it names elsewhere.

    A tie goes to the country voted for first; what the whole report gives is counted once
    per report, the event reads only its own sentences' places and mentions."""
    votes: Counter = Counter()
    actor_spans = once(doc, "actor_spans", lambda: SpanIndex((m["start"], m["end"]) for m in mentions))
    text = text_of(doc)
    places, doc_votes = once(doc, "located_places", lambda: _located_places(text, layer(doc, "places")))
    homes, voting, named, guessed = once(doc, "mention_votes", lambda: _mention_votes(mentions))
    located: set[str] = set()  # countries the event's own sentences name places in
    for p in places.starting_in(spans):  # the places of the event's own sentences
        iso = (p["country"] or "").upper()
        if len(iso) != 2:
            continue
        if locating_demonym(text, p):
            votes[iso] += PLACE_VOTE  # "attack Kenyan villages"
        if usable_place(p, actor_spans):
            votes[iso] += PLACE_VOTE
            if place_level(p) > 0:
                located.add(iso)
            for other in _namesake_countries(p, homes, iso):
                votes[other] += PLACE_VOTE  # 'Kani' is also a town of the actors' country
                located.add(other)
    own: Counter = Counter()  # the event's sentences' mentions, per country
    acting: Counter = Counter()
    for m in voting.starting_in(spans):
        iso = iso2_of(m["country"])
        weight = STATE_VOTE if m["inter"] == STATE else ACTOR_VOTE
        if located and iso not in located:
            weight *= ABROAD_FACTOR  # "Russian forces shelled Kharkiv region": forces abroad
        acting[iso] += weight
        own[iso] += 1
    for iso, n in named.items():  # the report's other mentions: a weak vote each
        votes[iso] += acting[iso] + (n - own[iso]) * DOC_ACTOR_VOTE
    votes.update(guessed)
    votes.update({iso: min(v, DOC_VOTE_CAP) for iso, v in doc_votes.items()})
    return votes.most_common(1)[0][0] if votes else None


# ---------------------------------------------------------------- which place
LEVEL = {"country": 0, "admin1": 1, "region": 1, "admin2": 2}  # everything else is a point
SKIP_FEATURES = frozenset({"continent", "sea", "ocean", "river", "lake", "mountain range", "gulf"})
NEAR_RE = re.compile(r"\b(?:near|outside|outskirts of|around|close to|between|vicinity of|km|kilometres|kilometers|"
                     r"miles|north of|south of|east of|west of|area of|areas of|parts of|part of|border(?:ing)?)"
                     r"\s+(?:the\s+)?(?:\w+\s+){0,2}$", re.I)
LOCATIVE_RE = re.compile(r"\b(?:in|at|near|outside|around|on|into|across|of|from|towards?)\s+(?:the\s+)?(?:\w+\s+){0,2}$",
                         re.I)


def place_level(place: PlaceRecord) -> int:
    """0 country, 1 region, 2 district, 3 town or site (None-feature places count as towns)."""
    feature = (place["feature"] or "").lower()
    if feature in LEVEL:
        return LEVEL[feature]
    if feature.startswith("adm1") or feature == "pcli":
        return 1 if feature.startswith("adm1") else 0
    if feature.startswith("adm2"):
        return 2
    return 3


def usable_place(place: PlaceRecord, actor_spans: list[tuple[int, int]]) -> bool:
    if place["metonymic"] or place["latitude"] is None or place["longitude"] is None:
        return False
    if (place["feature"] or "").lower() in SKIP_FEATURES:
        return False
    s, e = place["start"], place["end"]
    if holds(actor_spans, s, e):
        return False  # "Kenya" inside "Kenya Defence Forces"
    return True


DATELINE_PENALTY = 20  # below any place the event's own sentences name
ROAD_AFTER_RE = re.compile(r"^\s*(?:-\s*\w+(?:\s+\w+)?\s+)?(?:road|rd|street|st|avenue|highway|hwy)\b", re.I)
ROAD_PENALTY = 10  # below any other place of the sentence, above a dateline
IN_REGION_RE = re.compile(r"^\s*,\s*(?:in\s+)?(?:the\s+)?$")


NEIGHBOUR_BEFORE_RE = re.compile(r"\b(?:border(?:s|ing)?\s+with|bordering|neighbou?ring|from neighbou?ring)\s+(?:the\s+)?$",
                                 re.I)


def neighbour(text: str, place: PlaceRecord) -> bool:
    """A country named as the neighbour across a border ("at the border with Somalia") is not
    where the event happened."""
    s = place["start"]
    return place_level(place) == 0 and bool(NEIGHBOUR_BEFORE_RE.search(text[max(0, s - 40):s]))


# "Kenyan villages", "on Ukrainian soil": a demonym that locates rather than names a party
PLACE_NOUN_AFTER_RE = re.compile(r"^\s+(?:(?:border|frontier|coastal|northern|southern|eastern|western|central|"
                                 r"rural|remote)\s+)?(?:village|town|city|territory|soil|side|region|province|county|"
                                 r"district|countryside|settlement|border town|capital|port|airspace|waters)s?\b", re.I)


def locating_demonym(text: str, place: PlaceRecord) -> bool:
    """A country word followed by a place noun: where the event happened, not who acted."""
    e = place["end"]
    return place_level(place) == 0 and bool(PLACE_NOUN_AFTER_RE.match(text[e:e + 40]))


def by_start(places: list[PlaceRecord]) -> ByStart:
    return ByStart(places, lambda p: (p["start"], p["end"]))


def contradicted(text: str, place: PlaceRecord, places: ByStart) -> bool:
    """A town resolved to another country than the region it is said to lie in ("Starytsia,
    Kharkiv region"): the name matched a namesake abroad (`places`: the places, `by_start`)."""
    e, iso = place["end"], place["country"]
    if not iso or place_level(place) < 2:
        return False
    for q in places.starting(e + 1, e + 13):
        s = q["start"]
        if (0 < s - e <= 12 and q["country"] and q["country"] != iso
                and place_level(q) in (1, 2) and not q["metonymic"] and IN_REGION_RE.match(text[e:s])):
            return True
    return False


def choose_place(text: str, places: list[PlaceRecord] | ByStart, spans: list[tuple[int, int]],
                 actor_spans: list[tuple[int, int]],
                 dateline_spans: list[tuple[int, int]]) -> tuple[PlaceRecord, int] | None:
    """(place, geo_precision) where the event happened: the most specific usable place of
    the anchor sentence (spans[0]), else of the later sentences; ACLED's geo precision.

    `places`: a list, or the same `by_start` (then only the places of `spans` are read)."""
    best = None
    every = places if isinstance(places, ByStart) else by_start(places)
    for p in every.starting_in(spans):
        s = p["start"]
        at_dateline = holds(dateline_spans, s, s + 1)
        if not usable_place(p if not at_dateline else {**p, "metonymic": False}, []):
            continue
        in_actor = holds(actor_spans, s, p.get("end", s))
        if in_actor and place_level(p) == 0:
            continue  # "Kenya" in "Kenya Defence Forces"
        if contradicted(text, p, every) or neighbour(text, p):
            continue
        level = place_level(p)
        in_anchor = spans[0][0] <= s < spans[0][1]
        left = text[max(0, s - 40):s]
        score = level * 2 + (4 if in_anchor else 0) + (1 if LOCATIVE_RE.search(left) else 0)
        if ROAD_AFTER_RE.match(text[p["end"]:p["end"] + 20]):
            score -= ROAD_PENALTY  # "along Kismayo Road in Garissa": the road is named for another town
        if in_actor:
            score -= DATELINE_PENALTY  # "the Yesagyo PDF": the unit's home, when nothing else is named
        if at_dateline:
            score -= DATELINE_PENALTY  # where the report was filed: only when the event names no place
        if best is None or score > best[0]:
            best = (score, p, left)
    if best is None:
        return None
    _, p, left = best
    level = place_level(p)
    if level >= 3 and (p["feature"] or "").startswith("unresolved"):
        precision = 2  # a village the gazetteer lacks, placed at the point of the area said to hold it
    elif level >= 3:
        precision = 2 if NEAR_RE.search(left) else 1
    elif level == 2:
        precision = 2
    else:
        precision = 3
    return p, precision


def _country_places(doc: Doc, iso2: str | None, spans: list[tuple[int, int]]) -> tuple[ByStart, bool]:
    """The report's places in the event's country (all of them when it has none), with the towns
    of its sentences read again there (`reread_in_country`), and whether any was: only then do
    they differ from the report's own list, which is built once per country."""
    every = once(doc, "places_by_start", lambda: by_start(layer(doc, "places")))
    if iso2 is None:
        return every, False
    country = once(doc, f"places_in:{iso2}",
                   lambda: by_start([p for p in every.items if (p["country"] or "").upper() == iso2]))
    told = every.starting_in(spans)
    reread = {id(p): q for p, q in zip(told, reread_in_country(told, iso2, spans)) if q is not p}
    if not reread:
        return country, False
    return by_start([q for q in (reread.get(id(p), p) for p in every.items)
                     if (q["country"] or "").upper() == iso2]), True


def place_fields(doc: Doc, iso2: str | None, spans: list[tuple[int, int]],
                 actor_spans: list[tuple[int, int]], dateline_spans: list[tuple[int, int]]) -> dict:
    """ACLED's location fields of an event in country `iso2` told by the sentences `spans`.

    The event's sentences name no place more precise than a country: the report's others
    (the choice among them made once per report and country); a region or district is coded
    at its seat (ACLED codes an event the report places only in a region to the region's capital)."""
    text = text_of(doc)
    in_country, reread = _country_places(doc, iso2, spans)
    chosen = choose_place(text, in_country, spans, actor_spans, dateline_spans)
    if chosen is None or place_level(chosen[0]) == 0:
        def widest():
            return choose_place(text, in_country, [(0, len(text))], actor_spans, dateline_spans)
        wider = widest() if reread else once(doc, f"widest_place:{iso2}", widest)
        if wider and (chosen is None or place_level(wider[0]) > 0):
            chosen = wider[0], max(wider[1], DOC_PLACE_PRECISION)
    if not chosen:
        return dict(location=None, latitude=None, longitude=None, admin1=None, admin2=None, geo_precision=None)
    place, geo_precision = chosen
    level = place_level(place)
    location = place["name"] or place["mention"]
    out = dict(location=location, latitude=place["latitude"], longitude=place["longitude"],
               admin1=place["admin1"] or (location if level == 1 else None),
               admin2=place["admin2"] or (location if level == 2 else None),
               geo_precision=geo_precision)
    seat = place.get("seat")
    if seat and level in (1, 2):
        out.update(location=seat["name"], latitude=seat["latitude"], longitude=seat["longitude"],
                   admin2=out["admin2"] or seat["admin2"])
    return out
