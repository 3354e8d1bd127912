"""The fields of an event record besides its type: date, place, actors, fatalities, notes.

Each function reads what an earlier stage left on the Doc (timexes, places, actor
mentions, claims) and works, with less, when that layer is empty: no place gives a
null location, no actor mention gives only the generic actors the event type implies
(protesters, rioters, civilians), no timex gives the publication date.
"""
from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from spacy.tokens import Doc

from ..document import layer, text_of

# ---------------------------------------------------------------- country
from ..acled import ACLED_COUNTRY_NAMES, country_of, iso2_of  # noqa: F401 - re-exported for the events stage


# ---------------------------------------------------------------- date
DATE_RE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?")
DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}")
UNDATED_PRECISION = 2  # the report's day stands in for an unstated one: ACLED's "about that week"


def parse_day(value: str | None) -> date | None:
    m = DATE_RE.match(value or "")
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3) or 15))
    except ValueError:
        return None


def undated(doc: Doc) -> tuple[str, int] | None:
    """The date of a report that states none: the time stage's convention (the day before
    publication, precision 2), or publication itself without the time stage."""
    pub = parse_day(doc._.published)
    if pub is None:
        return None
    try:
        from . import temporal
        offset = getattr(temporal, "UNDATED_OFFSET_DAYS", 0)
        precision = getattr(temporal, "UNDATED_PRECISION", UNDATED_PRECISION)
    except ImportError:  # pragma: no cover
        offset, precision = 0, UNDATED_PRECISION
    return (pub - timedelta(days=offset)).isoformat(), precision


def _day_timexes(doc: Doc, start: int, end: int) -> list[tuple[int, str]]:
    """(offset, 'YYYY-MM-DD') of the day-precise timexes in [start, end), none after publication."""
    pub = parse_day(doc._.published)
    out = []
    for t in layer(doc, "timexes"):
        m = DAY_RE.match(str(t.get("value") or ""))
        if not m or not isinstance(t.get("start"), int) or not start <= t["start"] < end:
            continue
        d = parse_day(m.group(0))
        if d and (pub is None or d <= pub):
            out.append((t["start"], m.group(0)))
    return out


def _fallback_date(doc: Doc, start: int, end: int) -> tuple[str, int] | None:
    """Without the time stage's `event_date`: the nearest dated timex of the sentence, else publication."""
    best = None
    for t in layer(doc, "timexes"):
        m = DATE_RE.match(str(t.get("value") or ""))
        if not m or not (isinstance(t.get("start"), int)):
            continue
        dist = abs(t["start"] - start)
        if dist > 300:
            continue
        prec = 1 if m.group(3) else 3
        value = f"{m.group(1)}-{m.group(2)}-{m.group(3) or '15'}"
        if best is None or dist < best[0]:
            best = (dist, value, prec)
    if best:
        return best[1], best[2]
    return undated(doc)


DATELINE_RE = re.compile(r"[A-Z][\w .'’-]{1,40},\s*[^\n]{0,40}?\s[-–—]\s")


def _dateline(text: str, pos: int) -> tuple[int, int] | None:
    """The dateline ("KYIV, March 3 (Reuters) - ") opening the paragraph that holds `pos`."""
    line = text.rfind("\n", 0, pos) + 1
    m = DATELINE_RE.match(text, line)
    return (m.start(), m.end()) if m and m.end() <= pos + 1 else None


def event_date(doc: Doc, start: int, end: int, sentence: tuple[int, int] | None = None) -> tuple[str, int] | None:
    """('YYYY-MM-DD', time_precision) of the event reported at [start, end).

    The time stage decides; a month or vaguer answer gives way to a day the sentence
    states ("On 9 July, civil servants protested over their June salaries"), and a
    month other than the report's is a background reference: the report is then undated."""
    res = None
    try:
        from . import temporal
        fn = getattr(temporal, "event_date", None)
    except ImportError:  # pragma: no cover - the time stage is part of the package
        fn = None
    if fn is not None:
        try:
            res = fn(doc, start, end)
        except Exception:  # noqa: BLE001 - a time-stage bug must not lose the event
            res = None
    else:
        res = _fallback_date(doc, start, end)
    if res is None or not DATE_RE.match(str(res[0] or "")):
        return undated(doc)
    dateline = _dateline(text_of(doc), start)
    if dateline and any(dateline[0] <= t.get("start", -1) < dateline[1] and str(t.get("value") or "")[:10] == res[0][:10]
                        for t in layer(doc, "timexes")):
        # "KYIV, March 3 (Reuters) - ... on Saturday": the dateline dates the report, not the event
        days = [d for d in _day_timexes(doc, *(sentence or (start, end))) if d[0] >= dateline[1]]
        if days:
            return min(days, key=lambda d: abs(d[0] - start))[1], 1
    if (res[1] or 1) >= 3:
        days = _day_timexes(doc, *(sentence or (start, end)))
        if days:
            return min(days, key=lambda d: abs(d[0] - start))[1], 1
        pub = parse_day(doc._.published)
        if pub and str(res[0])[:7] != pub.isoformat()[:7]:
            return undated(doc)
    return str(res[0])[:10], res[1]


def explicit_date(doc: Doc, start: int, end: int, trigger: tuple[int, int]) -> tuple[str, int] | None:
    """The date a sentence states for itself (None when it states none: then it inherits one)."""
    dated = [t for t in layer(doc, "timexes") if isinstance(t.get("start"), int)
             and start <= t["start"] < end and t.get("type", "DATE") in ("DATE", "TIME", None)
             and DATE_RE.match(str(t.get("value") or ""))]
    if not dated:
        return None
    return event_date(doc, *trigger, sentence=(start, end))


# ---------------------------------------------------------------- place
LEVEL = {"country": 0, "admin1": 1, "region": 1, "admin2": 2}  # everything else is a point
SKIP_FEATURES = frozenset({"continent", "sea", "ocean", "river", "lake", "mountain range", "gulf"})
NEAR_RE = re.compile(r"\b(?:near|outside|outskirts of|around|close to|between|vicinity of|km|kilometres|kilometers|"
                     r"miles|north of|south of|east of|west of|area of|areas of|parts of|part of|border(?:ing)?)"
                     r"\s+(?:the\s+)?(?:\w+\s+){0,2}$", re.I)
LOCATIVE_RE = re.compile(r"\b(?:in|at|near|outside|around|on|into|across|of|from|towards?)\s+(?:the\s+)?(?:\w+\s+){0,2}$",
                         re.I)


def place_level(place: dict) -> int:
    """0 country, 1 region, 2 district, 3 town or site (None-feature places count as towns)."""
    feature = (place.get("feature") or "").lower()
    if feature in LEVEL:
        return LEVEL[feature]
    if feature.startswith("adm1") or feature == "pcli":
        return 1 if feature.startswith("adm1") else 0
    if feature.startswith("adm2"):
        return 2
    return 3


def usable_place(place: dict, actor_spans: list[tuple[int, int]]) -> bool:
    if place.get("metonymic") or place.get("latitude") is None or place.get("longitude") is None:
        return False
    if (place.get("feature") or "").lower() in SKIP_FEATURES:
        return False
    s, e = place.get("start"), place.get("end")
    if isinstance(s, int) and isinstance(e, int) and any(a <= s and e <= b for a, b in actor_spans):
        return False  # "Kenya" inside "Kenya Defence Forces"
    return True


DATELINE_PENALTY = 20  # below any place the event's own sentences name
ROAD_AFTER_RE = re.compile(r"^\s*(?:-\s*\w+(?:\s+\w+)?\s+)?(?:road|rd|street|st|avenue|highway|hwy)\b", re.I)
ROAD_PENALTY = 10  # below any other place of the sentence, above a dateline
IN_REGION_RE = re.compile(r"^\s*,\s*(?:in\s+)?(?:the\s+)?$")


NEIGHBOUR_BEFORE_RE = re.compile(r"\b(?:border(?:s|ing)?\s+with|bordering|neighbou?ring|from neighbou?ring)\s+(?:the\s+)?$",
                                 re.I)


def neighbour(text: str, place: dict) -> bool:
    """A country named as the neighbour across a border ("at the border with Somalia") is not
    where the event happened."""
    s = place.get("start")
    return isinstance(s, int) and place_level(place) == 0 and bool(NEIGHBOUR_BEFORE_RE.search(text[max(0, s - 40):s]))


# "Kenyan villages", "on Ukrainian soil": a demonym that locates rather than names a party
PLACE_NOUN_AFTER_RE = re.compile(r"^\s+(?:(?:border|frontier|coastal|northern|southern|eastern|western|central|"
                                 r"rural|remote)\s+)?(?:village|town|city|territory|soil|side|region|province|county|"
                                 r"district|countryside|settlement|border town|capital|port|airspace|waters)s?\b", re.I)


def locating_demonym(text: str, place: dict) -> bool:
    """A country word followed by a place noun: where the event happened, not who acted."""
    e = place.get("end")
    return isinstance(e, int) and place_level(place) == 0 and bool(PLACE_NOUN_AFTER_RE.match(text[e:e + 40]))


def contradicted(text: str, place: dict, places: list[dict]) -> bool:
    """A town resolved to another country than the region it is said to lie in ("Starytsia,
    Kharkiv region"): the name matched a namesake abroad."""
    e, iso = place.get("end"), place.get("country")
    if not isinstance(e, int) or not iso or place_level(place) < 2:
        return False
    for q in places:
        s = q.get("start")
        if (isinstance(s, int) and 0 < s - e <= 12 and q.get("country") and q.get("country") != iso
                and place_level(q) in (1, 2) and not q.get("metonymic") and IN_REGION_RE.match(text[e:s])):
            return True
    return False


def choose_place(text: str, places: list[dict], spans: list[tuple[int, int]],
                 actor_spans: list[tuple[int, int]]) -> tuple[dict, int] | None:
    """(place, geo_precision) where the event happened: the most specific usable place of
    the anchor sentence (spans[0]), else of the later sentences; ACLED's geo precision."""
    best = None
    for p in places:
        s = p.get("start")
        if not isinstance(s, int) or not any(a <= s < b for a, b in spans):
            continue
        line = DATELINE_RE.match(text, text.rfind("\n", 0, s) + 1)
        at_dateline = bool(line) and s < line.end()
        if not usable_place(p if not at_dateline else {**p, "metonymic": False}, []):
            continue
        in_actor = any(a <= s and p.get("end", s) <= b for a, b in actor_spans)
        if in_actor and place_level(p) == 0:
            continue  # "Kenya" in "Kenya Defence Forces"
        if contradicted(text, p, places) or neighbour(text, p):
            continue
        level = place_level(p)
        in_anchor = spans[0][0] <= s < spans[0][1]
        left = text[max(0, s - 40):s]
        score = level * 2 + (4 if in_anchor else 0) + (1 if LOCATIVE_RE.search(left) else 0)
        if ROAD_AFTER_RE.match(text[p.get("end", s):p.get("end", s) + 20]):
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
    if level >= 3 and str(p.get("feature") or "").startswith("unresolved"):
        precision = 2  # a village the gazetteer lacks, placed at the point of the area said to hold it
    elif level >= 3:
        precision = 2 if NEAR_RE.search(left) else 1
    elif level == 2:
        precision = 2
    else:
        precision = 3
    return p, precision


# ---------------------------------------------------------------- actors
PARTY_KINDS = ("armed", "state", "generic", "ethnic", None)
ASSOC_BEFORE_RE = re.compile(r"\b(?:backed|supported|assisted|aided|joined|accompanied|reinforced)\s+by\s+(?:the\s+)?$|"
                             r"\b(?:with the (?:help|support|backing) of|alongside|together with|allied with|"
                             r"in coordination with|and its allies?,?)\s+(?:the\s+)?$", re.I)
AGENT_BEFORE_RE = re.compile(r"\bby\s+(?:the\s+|an?\s+)?(?:[\w’'-]+\s+){0,3}$", re.I)
SKIP_BEFORE_RE = re.compile(r"\b(?:former|ex-|formerly|once)\s*(?:an?\s+)?$", re.I)
# the source of a report is not a party to the event
SPEAKER_BEFORE_RE = re.compile(r"\b(?:according to|reported by|said by|claimed by|quoted by|cited by|told|"
                               r"spokesm[ae]n for|spokesperson for|(?:deputy )?(?:chief|head|director|commander|"
                               r"officer|official|representative|spokesm[ae]n) of)\s+(?:the\s+)?(?:[\w’'-]+\s+){0,4}$",
                               re.I)
SPEAKER_AFTER_RE = re.compile(r"^[’']?s?\s+(?:said|says|stated|claimed|reported|told|announced|confirmed|denied|"
                              r"added|spokesm[ae]n|spokesperson)\b", re.I)
# "KYIV, March 3 (Reuters) -": a dateline names where the report was filed, not a party
DATELINE_AFTER_RE = re.compile(r"^(?:,\s*[\w .]{0,30}?)?(?:\s*\d{1,2}\b)?(?:\s*\([^)]{1,40}\))?\s*[-–—:]\s", re.I)
SPONSOR_AFTER_RE = re.compile(r"^[-\s](?:sponsored|backed|supported|funded|armed|trained|allied|aligned|linked)\b", re.I)
STATE = "State forces"
# the object of a targeting verb was hit, not the one hitting ("it had targeted a Hamas commander")
TARGETED_BEFORE_RE = re.compile(r"\b(?:target(?:ed|ing|s)?|assassinat(?:ed|ing|es)|eliminat(?:ed|ing|es)|"
                                r"killed|killing|struck|striking|arrested|arresting|detained|captured)\s+"
                                r"(?:(?:an?|the|two|three|several)\s+)?(?:(?:senior|top|local|prominent|suspected)\s+)?$",
                                re.I)
# an actor word modifying a facility or vehicle names what was hit, not who acted
TARGET_NOUN_AFTER_RE = re.compile(r"^[’']?s?\s+(?:camps?|bases?|trucks?|vehicles?|convoys?|posts?|checkpoints?|outposts?|"
                                  r"stations?|barracks|compounds?|headquarters|column|positions?|cars?|"
                                  r"parade ground|office|offices|quarters|housing|residences?|garrison)\b", re.I)


@dataclass
class Side:
    actor: str
    inter: str | None
    country: str | None
    agent: float = 0.0
    target: float = 0.0
    first: int = 10 ** 9
    generic: bool = False
    hit: float = 0.0  # votes as the owner of what was hit ("a military truck")
    assoc_of: Counter = field(default_factory=Counter)


def actor_sides(text: str, mentions: list[dict], clauses: list[tuple[int, int, int | None, bool]]) -> dict[str, Side]:
    """Votes, per canonical actor, for acting (agent) or being acted on (target).

    `clauses` are (start, end, trigger_start, passive) per sentence of the event: a
    mention before an active trigger acts, after it is acted on; `by X` acts; a mention
    after 'backed by' joins the side of the mention before it."""
    sides: dict[str, Side] = {}
    for n, (s, e, trig, passive) in enumerate(clauses):
        weight = 1.0 if n == 0 else 0.7
        prev_actor = None
        for m in sorted((m for m in mentions if s <= m["start"] < e), key=lambda m: m["start"]):
            if m.get("kind") not in PARTY_KINDS or not m.get("actor"):
                continue
            left = text[max(s, m["start"] - 40):m["start"]]
            after = text[m["end"]:m["end"] + 20]
            line_start = text.rfind("\n", 0, m["start"]) + 1
            if not text[line_start:m["start"]].strip() and DATELINE_AFTER_RE.match(text[m["end"]:m["end"] + 60]):
                continue
            if (SKIP_BEFORE_RE.search(left) or SPONSOR_AFTER_RE.match(after) or SPEAKER_AFTER_RE.match(after)
                    or SPEAKER_BEFORE_RE.search(text[max(s, m["start"] - 60):m["start"]])):
                continue
            side = sides.setdefault(m["actor"], Side(m["actor"], m.get("inter"), m.get("country"),
                                                     generic=m.get("kind") == "generic"))
            side.first = min(side.first, m["start"])
            if ASSOC_BEFORE_RE.search(left) and prev_actor and prev_actor != m["actor"]:
                side.assoc_of[prev_actor] += weight
                continue
            if TARGET_NOUN_AFTER_RE.match(after):  # "a military truck", "the police station": attacked
                side.target += weight
                side.hit += weight
                prev_actor = m["actor"]
                continue
            if TARGETED_BEFORE_RE.search(left):
                side.target += weight
            elif AGENT_BEFORE_RE.search(left):
                side.agent += weight
            elif trig is None or (m["start"] < trig) != passive:
                side.agent += weight
            else:
                side.target += weight
            prev_actor = m["actor"]
    return sides


def allied(a: Side, b: Side) -> bool:
    """Two forces of one state (army and police): ACLED codes them on one side, the second as associate."""
    return a.inter == STATE and b.inter == STATE and a.country is not None and a.country == b.country


def rank_sides(sides: dict[str, Side]) -> tuple[Side | None, Side | None, list[Side], list[Side]]:
    """actor1 (the strongest agent), actor2 (the strongest other party), and each one's associates."""
    if not sides:
        return None, None, [], []
    parties = [sd for sd in sides.values() if not sd.assoc_of or sd.agent + sd.target > sum(sd.assoc_of.values())]
    if any(not sd.generic and sd.agent > 0 and sd.inter not in ("Civilians", "Protesters", "Rioters", STATE)
           for sd in parties):
        # "Al Shabaab militants ... the militants": the unnamed group acting is the named one
        parties = [sd for sd in parties
                   if not (sd.generic and sd.actor.startswith("Unidentified Armed Group") and not sd.target)]
    parties.sort(key=lambda sd: (-(sd.agent - 0.5 * sd.target), sd.first))
    named_agents = [sd for sd in parties if not sd.generic and sd.agent > 0]
    if parties and parties[0].generic and named_agents and named_agents[0].agent >= parties[0].agent:
        parties.remove(named_agents[0])
        parties.insert(0, named_agents[0])
    a1 = parties[0] if parties else None
    rest = [sd for sd in parties[1:]]
    # the other party: a named actor before a generic one ("militants" killed are usually a1's own)
    rest.sort(key=lambda sd: (sd.generic, -(sd.target + sd.agent), sd.first))
    allies = [sd for sd in rest if a1 and allied(a1, sd)]
    if allies and len(allies) < len(rest):  # "the army and the police fought Al Shabaab": one side
        rest = [sd for sd in rest if sd not in allies]
    else:
        allies = []
    a2 = rest[0] if rest else None
    assoc1 = allies + [sd for sd in sides.values() if a1 and sd is not a1 and sd is not a2 and sd not in allies
                       and sd.assoc_of.get(a1.actor)]
    assoc2 = [sd for sd in sides.values() if a2 and sd is not a1 and sd is not a2 and sd.assoc_of.get(a2.actor)]
    return a1, a2, assoc1, assoc2


@functools.cache
def generic_actor(role: str, country: str | None, day: str | None) -> tuple[str, str | None]:
    """(name, inter) of a generic ACLED actor such as 'Protesters (Kenya)'."""
    try:
        from .actors import resolve_actor
        rec = resolve_actor(role, country, day) if country else None
        if rec and rec.get("name"):
            return rec["name"], rec.get("inter")
    except Exception:  # noqa: BLE001 - the actors stage is optional here
        pass
    inter = {"protesters": "Protesters", "rioters": "Rioters", "civilians": "Civilians",
             "unidentified armed group": "Political militia"}.get(role)
    title = role.title() if role != "unidentified armed group" else "Unidentified Armed Group"
    return (f"{title} ({country})" if country else title), inter


# ---------------------------------------------------------------- fatalities
# A supplement to `sitroom.figures` for death reports it does not read ("shot dead three
# suspected pirates", "two women ... are lynched", "kill his bodyguard").
_NUM = (r"(?P<n>\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
        r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|a|an|his|her)")
_DIED = (r"(?:killed|shot dead|gunned down|lynched|murdered|hacked to death|beaten to death|burnt to death|"
         r"burned to death|stoned to death|stabbed to death|crushed to death|clubbed to death|executed|beheaded|"
         r"assassinated|found dead|died|dead|eliminated)")
_KILL = (r"(?:kill(?:ed|s|ing)?|shot dead|shoots? dead|gunned down|guns? down|lynch(?:ed|es|ing)?|murder(?:ed|s|ing)?|"
         r"hack(?:ed|s|ing)? to death|burnt to death|beat(?:s|ing)? to death|assassinat(?:ed|es|ing)|execut(?:ed|es|ing)|"
         r"behead(?:ed|s|ing))")
_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*"
DEATH_PATTERNS = (
    re.compile(rf"\b{_NUM}\s+(?!{_MONTHS}\b)(?:[\w'’-]+\s+){{0,4}}?(?:(?:were|was|are|is|have been|has been|had been|"
               rf"got|reportedly|reported)\s+)*{_DIED}\b", re.I),
    re.compile(rf"\b{_KILL}\s+(?:at least\s+|about\s+|some\s+|another\s+)?{_NUM}\s+(?!{_MONTHS}\b)[\w'’-]+", re.I),
    re.compile(rf"\b{_NUM}\s+bodies\b", re.I),
    # "kills matatu driver", "lynches suspected criminal", "Teenage boy killed"
    re.compile(rf"\b{_KILL}\s+(?P<n>)(?:(?:suspected|alleged|a|an|one|the|his|her)\s+)?(?:[\w'’-]+\s+){{0,3}}?"
               rf"{{_ONE}}\b".replace("{_ONE}", r"(?:man|woman|boy|girl|child|person|driver|officer|soldier|policeman|"
               r"student|farmer|trader|herder|herdsman|teacher|pastor|chief|thief|criminal|suspect|journalist|lawyer|"
               r"employee|villager|resident|civilian|leader|guard|bodyguard|businessman|robber|youth|teenager|baby|raider|"
               r"bandit|reservist|constable|sympathi[sz]er)"), re.I),
    re.compile(r"(?:^|[.;:]\s+)(?P<n>)(?:[A-Z][\w-]*\s+){0,3}?(?:man|woman|boy|girl|child|person|driver|officer|soldier|"
               r"policeman|student|farmer|trader|herder|teacher|pastor|chief|thief|suspect|journalist|lawyer|villager|"
               r"resident|civilian|leader|guard|reservist)\s+(?:was\s+|is\s+)?(?:killed|shot dead|lynched|murdered|"
               r"hacked to death|stoned to death|found dead)\b"),
)
WORD_NUMBERS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve thirteen "
                                           "fourteen fifteen sixteen seventeen eighteen nineteen".split())}
WORD_NUMBERS.update({"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "a": 1, "an": 1, "his": 1, "her": 1})
# a figure in these contexts reports another incident or a doubted claim, not this event's dead
NOT_THIS_EVENT_RE = re.compile(r"\b(?:after|following|over the|since|previous\w*|earlier|dismiss\w*|den(?:y|ied|ies)|"
                               r"rumou?r\w*|unconfirmed|false|revenge|retaliat\w*|protest\w*|bringing|alleged|"
                               r"decr(?:y|ied|ying)|condemn\w*|honou?r\w*|memorial|commemorat\w*|mourn\w*|"
                               r"(?:killing|death|murder)s? of|of (?:those|them|the dead|the victims)|among (?:them|the dead)|"
                               r"including|who had|coded (?:separately|elsewhere))\b", re.I)
# "ten of those killed", "two of them": part of a total already counted
SUBSET_RE = re.compile(r"^[\w-]+\s+(?:of\s+(?:those|them|the dead|the victims|whom)|among\s+(?:them|the dead))\b", re.I)
# a figure that is somebody's age, not a count: "killed a 76-year-old villager"
AGE_AFTER_RE = re.compile(r"^[\s-]*(?:years?|months?)[\s-]*old", re.I)
# a sentence that gives a source's figure: other reports of the same deaths, not more deaths
ATTRIBUTED_RE = re.compile(r"\b(?:reported|reports?|according to|said|says|claimed|claims|conflicting|toll|estimate\w*|"
                           r"put the number)\b", re.I)
# the event types whose dead ACLED counts (a peaceful protest or an arrest kills no one by definition)
NO_FATALITY_TYPES = frozenset({"Peaceful protest", "Protest with intervention", "Agreement", "Arrests",
                               "Change to group/activity", "Headquarters or base established",
                               "Non-violent transfer of territory", "Other"})
ACCIDENT_RE = re.compile(r"\b(?:accident|crash|collision|drown\w*|disease|illness|natural causes)\b", re.I)
CONSERVATIVE_QUALIFIERS = ("at_least", "over", "exact", "about", "at_most")


def supplement_deaths(sentence: str) -> list[dict]:
    """Death counts the figure reader misses, offsets relative to `sentence`."""
    out: list[dict] = []
    for pat in DEATH_PATTERNS:
        for m in pat.finditer(sentence):
            word = m.group("n").lower()
            n = int(word) if word.isdigit() else WORD_NUMBERS.get(word, 1 if word == "" else None)
            if not n or any(f["start"] < m.end() and m.start() < f["end"] for f in out):
                continue
            out.append({"count": n, "count_high": None, "qualifier": "exact", "category": "killed",
                        "victims": None, "text": m.group(0), "start": m.start(), "end": m.end()})
    return sorted(out, key=lambda f: f["start"])


def figure_counts(sentence: str, start: int) -> bool:
    """Whether a figure at `start` of a sentence reports this event's dead (not a cause, a doubt or an accident)."""
    before = sentence[:start]
    cut = max(before.rfind(";"), before.rfind(":"), before.rfind(","))
    clause = before[cut + 1:]
    return not NOT_THIS_EVENT_RE.search(clause) and not ACCIDENT_RE.search(sentence[start:start + 120]) \
        and not SUBSET_RE.match(sentence[start:start + 40])


def _age_checked(sent: str, f: dict) -> dict | None:
    """'a 76-year-old' is one person, '76-year-old' alone no count."""
    m = re.search(rf"{f['count']}(?=[\s-]*(?:years?|months?)[\s-]*old)", sent[f["start"]:f["end"] + 12])
    if not m:
        return f
    return {**f, "count": 1, "count_high": None} if re.search(r"\b(?:an?|one)\s+$", sent[:f["start"] + m.start()]) \
        else None


def _figures_in(text: str, spans: list[tuple[int, int]]) -> list[list[dict]]:
    """Killed figures per sentence span (doc offsets)."""
    try:
        from ..figures import find_figures
    except ImportError:  # pragma: no cover
        find_figures = None
    out: list[list[dict]] = []
    for s, e in spans:
        sent = text[s:e]
        figs = [f for f in (find_figures(sent) if find_figures is not None else [])
                if f.get("category") == "killed" and isinstance(f.get("count"), int)]
        extra = supplement_deaths(sent)
        figs += [f for f in extra if not any(f["start"] < g["end"] and g["start"] < f["end"] for g in figs)]
        figs = [_age_checked(sent, f) for f in figs]
        figs = [{**f, "start": s + f["start"], "end": s + f["end"]} for f in sorted(figs, key=lambda f: f["start"])
                if f and figure_counts(sent, f["start"])]
        out.append(figs)
    return out


def fatalities(text: str, spans: list[tuple[int, int]]) -> tuple[int, int | None, int | None, int | None, list[dict]]:
    """(fatalities, low, best, high, figures used) by ACLED's rule: the most conservative report.

    Figures of one sentence add up (two soldiers and three civilians) unless the sentence
    quotes several sources; a later sentence adds its dead (a soldier also died) unless it
    restates a total already counted or gives a source's figure ("conflicting reports have
    eight deaths"): such figures are alternatives, and the lowest one is ACLED's count.
    0, with low/best/high None, when no death is reported."""
    per_sentence = _figures_in(text, spans)
    used = [f for figs in per_sentence for f in figs]
    if not used:
        return 0, None, None, None, []
    total = total_high = None
    alternatives: list[tuple[int, int]] = []
    for (s, e), figs in zip(spans, per_sentence):
        if not figs:
            continue
        sentence = text[s:e]
        counts = [f["count"] for f in figs]
        highs = [max(f["count"], f.get("count_high") or 0) for f in figs]
        if len(figs) > 1 and len(ATTRIBUTED_RE.findall(sentence)) > 1:
            options = list(zip(counts, highs))  # "VOA reported three, Myanmar Now one"
        else:
            options = [(sum(counts), sum(highs))]
        if total is None:
            (total, total_high), rest = options[0], options[1:]
            alternatives += rest
            continue
        for lo, hi in options:
            if lo == total or any(lo == a for a, _ in alternatives) or ATTRIBUTED_RE.search(sentence) \
                    or len(options) > 1:
                alternatives.append((lo, hi))
            else:
                total, total_high = total + lo, total_high + hi
    lows = [total] + [a for a, _ in alternatives]
    highs = [total_high] + [h for _, h in alternatives]
    low, high = min(lows), max(highs + lows)
    about = [f["count"] for f in used if f.get("qualifier") == "about"]
    best = total if not about else about[0]
    return low, low, best, high, used


# ---------------------------------------------------------------- notes
VERB = {
    "Armed clash": "clashed with", "Government regains territory": "regained territory from",
    "Non-state actor overtakes territory": "took territory from", "Chemical weapon": "used chemical weapons against",
    "Air/drone strike": "carried out an air/drone strike against", "Suicide bomb": "carried out a suicide bombing against",
    "Shelling/artillery/missile attack": "shelled", "Remote explosive/landmine/IED": "attacked with an explosive device",
    "Grenade": "threw a grenade at", "Sexual violence": "committed sexual violence against", "Attack": "attacked",
    "Abduction/forced disappearance": "abducted", "Peaceful protest": "demonstrated",
    "Protest with intervention": "demonstrated and were dispersed by",
    "Excessive force against protesters": "used force against", "Violent demonstration": "rioted against",
    "Mob violence": "attacked", "Agreement": "reached an agreement with", "Arrests": "arrested",
    "Change to group/activity": "changed activity", "Disrupted weapons use": "disrupted weapons use by",
    "Headquarters or base established": "established a base", "Looting/property destruction": "looted or destroyed property of",
    "Non-violent transfer of territory": "took over territory from", "Other": "was involved in an incident with",
}
NO_OBJECT = ("Peaceful protest", "Change to group/activity", "Headquarters or base established")


def notes(ev: dict) -> str:
    """One sentence in ACLED's style: 'On 3 May 2021, A attacked B in X (Region). 2 fatalities.'"""
    day = parse_day(ev.get("event_date"))
    when = f"On {day.day} {day:%B %Y}, " if day else ""
    a1, a2 = ev.get("actor1") or "unidentified actors", ev.get("actor2")
    sub = ev.get("sub_event_type") or "Other"
    verb = VERB.get(sub, "acted against")
    if a2 and sub not in NO_OBJECT:
        act = f"{a1} {verb} {a2}"
    else:
        act = f"{a1} {re.sub(r' (?:with|against|from|of|by|at)$', '', verb)}"
        if sub in ("Remote explosive/landmine/IED",):
            act = f"{a1} {verb}"
    where = ""
    if ev.get("location"):
        region = ", ".join(x for x in (ev.get("admin1"), ev.get("country")) if x and x != ev.get("location"))
        where = f" {'near' if ev.get('geo_precision') == 2 else 'in'} {ev['location']}" + (f" ({region})" if region else "")
    elif ev.get("country"):
        where = f" in {ev['country']}"
    fat = ev.get("fatalities") or 0
    tail = f"; {fat} reported killed" if fat else ""
    if ev.get("fatalities_high") and ev["fatalities_high"] != fat:
        tail += f" (reports up to {ev['fatalities_high']})"
    return f"{when}{act}{where}{tail}."
