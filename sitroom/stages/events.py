"""Events stage: ACLED-coded events, each traced to the sentences and claims that report it.

1. Every sentence is scanned for event cues (`sitroom.eventtypes`); a cue that is
   negated, conjectured or only the cause of something else does not count, a sentence
   about history ("previously", "in the mid-2010s") or inside a speculation claim
   reports no event.
2. Sentences are grouped into events: a sentence that types an event on its own
   (its *anchor*) opens one; the sentences after it that add detail (police dispersed
   the crowd, three were killed) join it; one with its own different date, or with a
   new place and another kind of event, opens the next.  One article can so hold
   several events.
3. Each event is typed from the weighed cues of its sentences (or by the classifier
   `sitroom train` made, when `model_dir` is given), then dated (time stage), placed
   (places stage), given its actors (actors stage), fatalities (ACLED's most
   conservative reported figure; low/best/high from every figure) and claims.
4. Events come most salient first: the lead event of the article, then the others in
   text order; an event dated long before the report comes after the recent ones and
   is dropped when a recent one exists (history is not news).
"""
from __future__ import annotations

import functools
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from spacy.language import Language
from spacy.tokens import Doc

from .. import eventtypes as et
from ..document import layer, text_of
from ..gazetteer import fold
from . import events_fields as ef
from .places import resolve_place

log = logging.getLogger(__name__)

# ---------------------------------------------------------------- constants
HISTORY_RE = et.HISTORY_RE
CALENDAR_VALUE_RE = re.compile(r"^(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?$")
DAY_VALUE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}")
YEAR_RE = re.compile(r"\b(?:in|since|during|of)\s+((?:19|20)\d\d)\b(?!\s*[-–/]\d)")
SPECULATION_SENTENCE_RE = re.compile(r"\b(?:speculat\w*|rumou?r\w*|it is feared|could lead to|"
                                     r"scenario|hypothetical\w*)\b", re.I)
BACKGROUND_DAYS = 60  # an event dated this long before the report is background when newer ones exist
ADJACENT = 2  # sentences apart that still tell one event (one sentence of other matter between)
SAME_DAY_SLACK = 1
SAME_PLACE_KM = 50  # a place this close to the event's is part of it (a hotel in the city already named)  # days: a sentence dated within this of its event stays in it
LATER_WEIGHT = et.LATER_SENTENCE_WEIGHT
DAMAGE_SUB = "Looting/property destruction"
# damage reported right after these is what the attack did, not an event of its own
DAMAGING_FAMILIES = frozenset({"Explosions/Remote violence", "Battles"})
MODEL_ONLY_CONFIDENCE = 0.5  # classifier probability from which a report with no cue still yields its event
# what a sentence without an event of its own can add to the event before it
DETAIL_GROUPS = tuple(et.EVENT_GROUPS | {"INTERVENTION", "FORCE", "NOCASUALTY", "NONVIOLENT"})


@dataclass
class Clause:
    """One sentence of the text as evidence for an event."""
    index: int
    start: int
    end: int
    paragraph: int
    cues: et.CueSet
    alone: str | None = None
    victims: str | None = None
    agents: str | None = None
    trigger: tuple[int, int] | None = None
    passive: bool = False
    background: bool = False
    date: tuple[str, int] | None = None
    places: dict[str, tuple[float, float]] = field(default_factory=dict)
    old: bool = False  # every calendar date it gives ended long before the report
    title: bool = False  # a headline or title line: summarises the body, anchors no event the body reports

    @property
    def family(self) -> str | None:
        return et.event_type_of(self.alone)


# ---------------------------------------------------------------- sentences
PARAGRAPH_RE = re.compile(r"\n\s*\n|\n(?=\s*[A-Z\"“])")
# a line of its own with no closing punctuation: a headline, a title, a section heading
TITLE_END_RE = re.compile(r"[.!?:;\"”’']\s*$")


def is_title_line(text: str, start: int, end: int) -> bool:
    """Whether the sentence is a whole line without closing punctuation ('Shelling kills three, officials say')."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    line = text[line_start:line_end]
    return (not text[line_start:start].strip() and not text[end:line_end].strip()
            and bool(line.strip()) and not TITLE_END_RE.search(line) and line_end < len(text))


def drop_titles(clauses: list[Clause]) -> list[Clause]:
    """A title line yields to the body: when a body sentence reports an event, the title anchors none;
    so does a sentence dated long before the report when another reports a recent event."""
    if any(c.alone and not c.title and not c.background for c in clauses):
        clauses = [c for c in clauses if not c.title]
    if any(c.alone and not c.old and not c.background for c in clauses):
        clauses = [c for c in clauses if not c.old]  # 'was retaken in September 2022': background to today's
    return clauses


SENT_FALLBACK_RE = re.compile(r"(?<=[.!?])[\"'”’]?\s+(?=[\"'“‘A-Z0-9])")


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """Sentence (start, end) character bounds; a regex split when the Doc has no sentences."""
    text = text_of(doc)
    if doc.has_annotation("SENT_START") or doc.has_annotation("DEP"):
        raw = [(s.start_char, s.end_char) for s in doc.sents]
    else:
        raw, pos = [], 0
        for m in SENT_FALLBACK_RE.finditer(text):
            raw.append((pos, m.start() + 1))
            pos = m.end()
        raw.append((pos, len(text)))
    out = []
    for s, e in raw:  # without the whitespace (paragraph breaks) around them
        chunk = text[s:e]
        if chunk.strip():
            out.append((s + len(chunk) - len(chunk.lstrip()), e - (len(chunk) - len(chunk.rstrip()))))
    return out


def is_background(doc: Doc, start: int, end: int, first_cue: int | None = None) -> bool:
    """A sentence about history: a history marker or an earlier year framing it (before its
    first event cue), or a history marker anywhere in a sentence that states no day of its own."""
    text = text_of(doc)[start:end]
    head = text[:(first_cue - start) if first_cue is not None else len(text)]
    if HISTORY_RE.search(head):
        return True
    pub = ef.parse_day(doc._.published)
    if pub and any(int(y) < pub.year for y in YEAR_RE.findall(head)):
        return True
    if HISTORY_RE.search(text):
        return not any(start <= t.get("start", -1) < end and DAY_VALUE_RE.match(str(t.get("value") or ""))
                       for t in layer(doc, "timexes"))
    return False


def _period_end(value: str) -> date | None:
    """Last day of a calendar value ('2022', '2022-09', '2022-09-14'), None for anything else."""
    m = CALENDAR_VALUE_RE.match(value)
    if not m:
        return None
    y, mo, d = int(m["y"]), m["m"], m["d"]
    if d:
        return date(y, int(mo), int(d))
    if mo:
        return (date(y + (mo == "12"), int(mo) % 12 + 1, 1) - timedelta(days=1))
    return date(y, 12, 31)


def dated_long_before(timexes: list[dict], start: int, end: int, pub: date) -> bool:
    """'was retaken ... in September 2022': every calendar date of the sentence ended long before the report."""
    ends = [_period_end(str(t.get("value") or "")) for t in timexes if start <= t.get("start", -1) < end]
    ends = [e for e in ends if e is not None]
    return bool(ends) and all((pub - e).days > BACKGROUND_DAYS for e in ends)


def speculative_spans(doc: Doc) -> list[tuple[int, int]]:
    """Claims the claims stage judged conjecture: an event there is not coded as having happened.

    (hedge, end): a cue counts as conjecture from the claim's hedge word ("may", "is
    expected to") to the claim's end; a hedge found only after the event cue hedges
    something else."""
    out = []
    for c in layer(doc, "claims"):
        if c.get("kind") != "speculation" or not isinstance(c.get("start"), int) or not isinstance(c.get("end"), int):
            continue
        cue = (c.get("cue") or "").strip()
        window = text_of(doc)[max(0, c["start"] - 200):c["end"] + 200]
        at = window.find(cue) if cue else -1
        hedge = max(0, c["start"] - 200) + at if at >= 0 else c["start"]
        out.append((min(hedge, c["start"]) if hedge < c["start"] else hedge, c["end"]))
    return out


def _places_by_sentence(doc: Doc) -> list[dict]:
    return [p for p in layer(doc, "places") if isinstance(p.get("start"), int)]


def read_clauses(doc: Doc) -> list[Clause]:
    """Every sentence with its weighed cues and what they say on their own."""
    text = text_of(doc)
    spec = speculative_spans(doc)
    places = _places_by_sentence(doc)
    actor_spans = [(m["start"], m["end"]) for m in layer(doc, "actor_mentions")
                   if isinstance(m.get("start"), int)]
    clauses: list[Clause] = []
    breaks = [m.end() for m in PARAGRAPH_RE.finditer(text)]
    for i, (s, e) in enumerate(sentence_bounds(doc)):
        paragraph = sum(1 for b in breaks if b <= s)
        sent = text[s:e]
        cues = [c for c in et.find_cues(sent, s)
                if not any(a <= c.start < b for a, b in spec)]
        cs = et.weigh(sent, s, cues)
        clause = Clause(i, s, e, paragraph, cs, title=is_title_line(text, s, e))
        first = next((c.start for c in cs.cues if c.group in et.EVENT_GROUPS), None)
        clause.background = is_background(doc, s, e, first) or bool(SPECULATION_SENTENCE_RE.search(sent))
        pub = ef.parse_day(doc._.published)
        clause.old = bool(pub) and dated_long_before(layer(doc, "timexes"), s, e, pub)
        if cs.cues and not clause.background:
            clause.victims = et.victim_kind(sent, cs.cues, s)
            clause.agents = et.agent_kind(sent, cs.cues, s)
            clause.alone = et.decide(cs, clause.victims, None, clause.agents)
            trig = next((c for c in cs.cues if c.group in et.EVENT_GROUPS), None)
            if trig is not None:
                clause.trigger = (trig.start, trig.end)
                clause.passive = et._is_passive(sent, trig.start - s, trig.end - s)
            if clause.alone and clause.trigger:
                clause.date = ef.explicit_date(doc, s, e, clause.trigger)
        clause.places = {str(p.get("name") or p.get("mention")).lower(): (p["latitude"], p["longitude"])
                         for p in places
                         if s <= p["start"] < e and ef.usable_place(p, actor_spans) and ef.place_level(p) >= 2}
        clauses.append(clause)
    return clauses


# ---------------------------------------------------------------- grouping
def _days_apart(a: tuple[str, int] | None, b: tuple[str, int] | None) -> int | None:
    da, db = ef.parse_day(a[0]) if a else None, ef.parse_day(b[0]) if b else None
    if da is None or db is None:
        return None
    return abs((da - db).days)


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    from math import asin, cos, radians, sin, sqrt
    (lat1, lon1), (lat2, lon2) = a, b
    h = sin(radians(lat2 - lat1) / 2) ** 2 + cos(radians(lat1)) * cos(radians(lat2)) * sin(radians(lon2 - lon1) / 2) ** 2
    return 12742 * asin(min(1.0, sqrt(h)))


def lead_in(before: Clause | None, c: Clause) -> bool:
    """'X condemns the attack by Y on Z.' right before the sentence that tells it: the same incident."""
    return (before is not None and before.index == c.index - 1 and before.paragraph == c.paragraph
            and not before.alone and not before.background and not before.title
            and any(q.group in et.EVENT_GROUPS for q in before.cues.cues))


def group_clauses(clauses: list[Clause]) -> list[list[Clause]]:
    """Sentences → events (see the module docstring, step 2)."""
    groups: list[list[Clause]] = []
    cur: list[Clause] | None = None
    prev: Clause | None = None
    for c in clauses:
        before, prev = prev, c
        if c.background or not c.cues.cues:
            continue
        if cur is None:
            if c.alone:
                cur = [c]
                groups.append(cur)
                if lead_in(before, c):
                    cur.append(before)
            continue
        anchor, last = cur[0], cur[-1]
        cur_date = next((x.date for x in cur if x.date), None)
        apart = _days_apart(c.date, cur_date)
        if apart is not None and apart > SAME_DAY_SLACK:
            if c.alone:
                cur = [c]
                groups.append(cur)
            continue
        adjacent = c.index - last.index <= ADJACENT and c.paragraph == last.paragraph
        cur_places = [xy for x in cur for xy in x.places.values()]
        new_place = bool(cur_places) and any(all(_km(xy, other) > SAME_PLACE_KM for other in cur_places)
                                             for xy in c.places.values())
        other_kind = c.alone is not None and c.family != anchor.family
        if (c.alone == DAMAGE_SUB and anchor.family in DAMAGING_FAMILIES and not new_place
                and c.index - last.index <= ADJACENT):
            cur.append(c)  # "two homes were damaged" after a strike: the strike's damage, not another event
            continue
        if c.alone and (new_place and (other_kind or not adjacent) or other_kind and c.date and not adjacent):
            cur = [c]  # another place, or another kind of event with a date of its own: the next event
            groups.append(cur)
        elif c.alone is None:
            if adjacent and any(c.cues.has(g) for g in DETAIL_GROUPS):
                cur.append(c)  # detail of the event before: "Police dispersed them."
        elif adjacent or (not other_kind and c.paragraph == last.paragraph):
            cur.append(c)
    return groups


# ---------------------------------------------------------------- typing
def merged_cues(group: list[Clause]) -> et.CueSet:
    cs = et.CueSet()
    for n, c in enumerate(group):
        cs.merge(c.cues, 1.0 if n == 0 else LATER_WEIGHT)
    return cs


def _vote(values: list[str | None]) -> str | None:
    vals = [v for v in values if v]
    return vals[0] if vals else None


def _model_only_group(clauses: list[Clause], model, text: str) -> list[list[Clause]]:
    """With a classifier and no cue: one event over the report when the classifier is sure of it."""
    body = [c for c in clauses if not c.background]
    if not body or not text.strip():
        return []
    probs = model.scores(text)
    if model.kind != "logreg" or float(probs.max()) < MODEL_ONLY_CONFIDENCE:
        return []
    return [body]


def type_group(group: list[Clause], model=None, text: str = "", whole: bool = False) -> str | None:
    """The sub-event type of an event: the classifier's when one is loaded, else the rules'.

    The classifier reads what it was trained on, a whole report: the document when it
    reports one event (`whole`), else the stretch from the event's first sentence to its last."""
    if model is not None:
        body = text if whole else text[group[0].start:group[-1].end]
        label = model.predict(body)
        if label in et.SUB_EVENT_TYPES:
            return label
    cs = merged_cues(group)
    return et.decide(cs, _vote([c.victims for c in group]), None, _vote([c.agents for c in group]))


# ---------------------------------------------------------------- one event record
GENERIC_BY_TYPE = {  # ACLED's generic actors a sub-event type implies: (actor1 role, actor2 role)
    "Peaceful protest": ("protesters", None),
    "Protest with intervention": ("protesters", None),
    "Excessive force against protesters": (None, "protesters"),
    "Violent demonstration": ("rioters", None),
    "Mob violence": ("rioters", None),
    "Attack": (None, "civilians"),
    "Sexual violence": (None, "civilians"),
    "Abduction/forced disappearance": (None, "civilians"),
}
STATE = "State forces"
PLACE_VOTE, STATE_VOTE, DOC_VOTE = 1.0, 1.0, 0.3  # any place in the document: a tie-breaker
ACTOR_VOTE = 0.5  # an armed group's home country: weak (Al Shabaab fights in Kenya too)
DOC_PLACE_PRECISION = 2  # a place from another sentence of the report: ACLED's "near/part of"
DOC_VOTE_CAP = 0.9  # all the report's other mentions together stay below one place of the event's own sentences
DOC_ACTOR_VOTE = 0.2  # a named actor elsewhere in the report: only decides when nothing else does
ABROAD_FACTOR = 0.25  # state forces named beside places of another country act abroad
CROWD_INTERS = ("Civilians", "Protesters", "Rioters")
UNIDENTIFIED_RE = re.compile(r"\b(?:gunm[ae]n|unknown|unidentified|assailants?|attackers?|armed men|bandits?|perpetrators?|"
                             r"robbers?|thugs|hitm[ae]n|shooters?)\b", re.I)
# ACLED's actor for a perpetrator no report names
UNKNOWN_PERPETRATOR = frozenset({"Attack", "Sexual violence", "Abduction/forced disappearance", "Grenade",
                                 "Remote explosive/landmine/IED", "Suicide bomb"})
# people hurt by a blast, not negated and not armed personnel: ACLED's Civilians as actor2
HARMED_RE = re.compile(r"\b(?:killed|killing|dead|died|deaths?|injur(?:ed|ies|ing)|wounded|wounding|maimed)\b", re.I)
NO_HARM_RE = re.compile(r"\b(?:no|nobody|none|without)\b[^.;]{0,25}?\b(?:injur|kill|dead|death|casualt|hurt|harm|wound)", re.I)
ARMED_VICTIM_RE = re.compile(r"\b(?:soldiers?|troops?|police\w*|officers?|militants?|fighters?|guards?|captains?|"
                             r"commanders?|militia\w*|rebels?|insurgents?|personnel|members)\b", re.I)
PLANTED_TYPES = frozenset({"Grenade", "Remote explosive/landmine/IED", "Suicide bomb"})  # thrown or planted, not fired
NEEDS_PERPETRATOR = frozenset({"Attack", "Sexual violence", "Abduction/forced disappearance", "Grenade",
                               "Remote explosive/landmine/IED", "Suicide bomb", "Armed clash"})


def reread_in_country(places: list[dict], iso2: str | None, spans: list[tuple[int, int]]) -> list[dict]:
    """A town of the event's sentences that the places stage read abroad, read again in the event's
    country when a town there has that name ('PDF-Kani ... in Kani township': Kani, Myanmar, not Japan)."""
    if not iso2:
        return places
    out = []
    for p in places:
        s, own = p.get("start"), str(p.get("country") or "").upper()
        if (isinstance(s, int) and own and own != iso2 and ef.place_level(p) >= 3 and not p.get("demonym")
                and not p.get("metonymic") and p.get("mention") and any(a <= s < b for a, b in spans)):
            alt = _town_named(p["mention"], iso2)
            if alt:
                p = {**p, **{k: v for k, v in alt.items() if k != "mention"}, "method": "event-country"}
        out.append(p)
    return out


def _namesake_countries(p: dict, mentions: list[dict], iso: str) -> set[str]:
    """Home countries of the report's actors that hold a town of this place's name, other than its own."""
    if ef.place_level(p) < 3 or not p.get("mention") or p.get("demonym"):
        return set()
    homes = {ef.iso2_of(m.get("country")) for m in mentions if m.get("method") != "generic"
             and m.get("kind") != "generic"} - {None, iso}
    return {c for c in homes if _town_named(p["mention"], c)}


@functools.lru_cache(maxsize=20_000)
def _town_named(name: str, iso2: str) -> dict | None:
    """The country's town whose own name this is (not an old or foreign alternate: 'Pokrovsk' is
    also an old name of Engels, Russia)."""
    alt = resolve_place(name, iso2, fuzzy=False)
    if alt and ef.place_level(alt) >= 3 and fold(alt.get("name") or "") == fold(name):
        return alt
    return None


def event_country(doc: Doc, spans: list[tuple[int, int]], mentions: list[dict]) -> str | None:
    """ISO2 of the country the event happened in, by vote: the places of its sentences, the
    home country of the state forces acting in it, and, as a tie-breaker, every place the
    document names (demonyms included: "Kenyan villages")."""
    votes: Counter = Counter()
    actor_spans = [(m["start"], m["end"]) for m in mentions if isinstance(m.get("start"), int)]
    places = [p for p in layer(doc, "places")
              if not ef.contradicted(text_of(doc), p, layer(doc, "places")) and not ef.neighbour(text_of(doc), p)]
    guessed: Counter = Counter()
    located: set[str] = set()  # countries the event's own sentences name places in
    doc_votes: Counter = Counter()
    for p in places:
        s, iso = p.get("start"), str(p.get("country") or "").upper()
        if not isinstance(s, int) or len(iso) != 2:
            continue
        doc_votes[iso] += DOC_VOTE
        if any(a <= s < b for a, b in spans) and ef.locating_demonym(text_of(doc), p):
            votes[iso] += PLACE_VOTE  # "attack Kenyan villages"
        if any(a <= s < b for a, b in spans) and ef.usable_place(p, actor_spans):
            votes[iso] += PLACE_VOTE
            if ef.place_level(p) > 0:
                located.add(iso)
            for other in _namesake_countries(p, mentions, iso):
                votes[other] += PLACE_VOTE  # 'Kani' is also a town of the actors' country
                located.add(other)
    for m in mentions:
        iso = ef.iso2_of(m.get("country"))
        if not iso:
            continue
        if m.get("method") == "generic" or m.get("kind") == "generic":
            # "police", "residents": their country is the actors stage's guess for the whole report
            guessed[iso] = DOC_ACTOR_VOTE
            continue
        if any(a <= m.get("start", -1) < b for a, b in spans):
            weight = STATE_VOTE if m.get("inter") == STATE else ACTOR_VOTE
            if located and iso not in located:
                weight *= ABROAD_FACTOR  # "Russian forces shelled Kharkiv region": forces abroad
            votes[iso] += weight
        else:
            votes[iso] += DOC_ACTOR_VOTE
    votes.update(guessed)
    votes.update({iso: min(v, DOC_VOTE_CAP) for iso, v in doc_votes.items()})
    return votes.most_common(1)[0][0] if votes else None


def in_country(mention: dict, country: str | None, day: str | None) -> dict:
    """The mention as an actor of an event in `country`: a generic role ("police", "residents")
    takes the event's country, whose forces abroad become External/Other forces."""
    if not country:
        return mention
    m = dict(mention)
    if m.get("method") == "generic" and m.get("role"):
        try:
            from .actors import generic_actor
            rec = generic_actor(m["role"], country, day)
        except Exception:  # noqa: BLE001 - the actors stage is optional here
            rec = None
        if rec and rec.get("name"):
            m.update(actor=rec["name"], country=rec.get("country"), home_inter=rec.get("inter"),
                     inter=rec.get("inter"))
    try:
        from .actors import inter_in
        m["inter"] = inter_in(m, country) or m.get("inter")
    except Exception:  # noqa: BLE001
        pass
    return m


CLAIMED_AFTER_RE = re.compile(r"^[’']?s?\s+(?:\w+\s+){0,2}?(?:claimed|claims|took|has taken|have taken|accepted|"
                              r"admitted)\s+(?:the\s+)?(?:responsibility|credit)\b|"
                              r"^\s+(?:\w+\s+)?claimed\s+(?:to\s+have\s+)?(?:killed|attacked|carried out|"
                              r"launched|detonated|shot|ambushed)\b", re.I)
CLAIMED_BEFORE_RE = re.compile(r"\bresponsibility\s+(?:was|has been)\s+claimed\s+by\s+(?:the\s+)?$", re.I)


def responsible(text: str, mentions: list[dict], country: str | None) -> tuple[str, str | None] | None:
    """(actor, inter) of a named group that claims the attack anywhere in the report."""
    for m in mentions:
        if not isinstance(m.get("start"), int) or m.get("kind") == "generic" or m.get("method") == "generic":
            continue
        if CLAIMED_AFTER_RE.match(text[m["end"]:m["end"] + 60]) or CLAIMED_BEFORE_RE.search(
                text[max(0, m["start"] - 50):m["start"]]):
            mm = in_country(m, country, None)
            return mm["actor"], mm.get("inter")
    return None


ARMED_INTERS = ("Rebel group", "Political militia", "Identity militia")


def suspected_group(text: str, mentions: list[dict], group: list[Clause], taken: tuple) -> dict | None:
    """A named armed group the report links to an unnamed perpetrator: first in the event's
    sentences, else anywhere in the report."""
    named = [m for m in mentions if isinstance(m.get("start"), int) and m.get("kind") == "armed"
             and m.get("method") != "generic" and m.get("inter") in ARMED_INTERS and m.get("actor") not in taken]
    inside = [m for m in named if any(c.start <= m["start"] < c.end for c in group)]
    return (inside or named or [None])[0]


def civilians_harmed(text: str) -> bool:
    """Whether a blast's report says people were killed or hurt, none of them armed personnel."""
    return bool(HARMED_RE.search(text)) and not NO_HARM_RE.search(text) and not ARMED_VICTIM_RE.search(text)


def _disrupted_sides(one: tuple, two: tuple, country: str | None, day: str | None) -> tuple:
    """Disrupted weapons use: the police stand in for unnamed forces that found the device (with a
    country), an Unidentified Armed Group for the unnamed side that planted or carried it."""
    sides = [s for s in (one, two) if s[0] is not None]
    if country and not any(i == STATE for _, i in sides) and len(sides) < 2:
        sides.insert(0, ef.generic_actor("police", country, day))
    if len(sides) < 2 and all(i == STATE for _, i in sides):
        sides.append(ef.generic_actor("unidentified armed group", country, day))
    (n1, i1), (n2, i2) = (sides + [(None, None)] * 2)[:2]
    return n1, i1, n2, i2


def _set_actors(ev: dict, sub: str, text: str, mentions: list[dict], group: list[Clause],
                country: str | None, day: str | None) -> None:
    """actor1/actor2, their inter codes and associates, by ACLED's conventions for the sub-event type."""
    in_event = [in_country(m, country, day) for m in mentions if isinstance(m.get("start"), int)
                and any(c.start <= m["start"] < c.end for c in group)]
    clauses = [(c.start, c.end, c.trigger[0] if c.trigger else None, c.passive) for c in group]
    a1, a2, assoc1, assoc2 = ef.rank_sides(ef.actor_sides(text, in_event, clauses))
    found = [(sd.actor, sd.inter) for sd in (a1, a2) if sd]
    (n1, i1), (n2, i2) = (found + [(None, None)] * 2)[:2]
    if a1 is not None and a2 is None and a1.agent == 0 and a1.hit > 0:
        (n1, i1), (n2, i2) = (None, None), (n1, i1)  # only acted on ("a bomb hit a military truck")
    extra1, extra2 = [sd.actor for sd in assoc1], [sd.actor for sd in assoc2]
    if (sub in PLANTED_TYPES and i1 == STATE and a1 is not None and a1.agent == 0 and (n2 is None or i2 == "Civilians")):
        (n1, i1), (n2, i2) = (None, None), (n1, i1)  # forces only named near a blast are its target
    state = next(((n, i) for n, i in found if i == STATE), None)
    civilian = lambda: ef.generic_actor("civilians", country, day)  # noqa: E731
    victims = _vote([c.victims for c in group])
    role1, role2 = GENERIC_BY_TYPE.get(sub, (None, None))
    if role1:  # demonstrations and riots: the crowd acts, named groups in it are its associates
        g = ef.generic_actor(role1, country, day)
        named = [n for n, i in found if i not in (STATE, *CROWD_INTERS) and n != g[0]]
        (n1, i1), extra1 = g, named + extra1
        (n2, i2) = state or (None, None)
        if sub == "Protest with intervention" and state is None and country:
            n2, i2 = ef.generic_actor("police", country, day)  # who intervenes, unnamed: the police
        if sub == "Mob violence" and state is None and (victims != "armed" or not named):
            # a mob's victims are civilians unless the report says otherwise (ACLED's usual coding)
            n2, i2 = civilian()
    elif sub == "Excessive force against protesters":
        (n1, i1) = state or (ef.generic_actor("police", country, day) if country else (None, None))
        n2, i2 = ef.generic_actor("protesters", country, day)
    elif role2 == "civilians" or (victims == "civ" and ev["event_type"] == "Explosions/Remote violence"):
        armed = [(n, i) for n, i in found if i not in CROWD_INTERS]
        (n1, i1) = armed[0] if armed else (None, None)
        # "two al Shabaab members killed by police": a named armed party hit is actor2, not civilians
        n2, i2 = armed[1] if len(armed) > 1 and victims == "armed" else civilian()
    if (n2 is None and ev["event_type"] == "Explosions/Remote violence" and victims != "armed"
            and civilians_harmed(" ".join(text[c.start:c.end] for c in group))):
        n2, i2 = civilian()  # "a grenade blast killed three at a pub": the dead are civilians
    if i1 == "Civilians" and ev["event_type"] in ("Explosions/Remote violence", "Violence against civilians"):
        # ACLED codes civilians as victims only: "unknown individuals hurled a grenade", "residents
        # stepped on a landmine" -> an unidentified armed group against civilians
        if n2 is not None and i2 != "Civilians":
            (n1, i1), (n2, i2) = (n2, i2), (n1, i1)
        else:
            (n2, i2), (n1, i1) = (n1, i1), (None, None)
    if n1 is None and (sub in UNKNOWN_PERPETRATOR or ev["event_type"] == "Explosions/Remote violence"
                       or sub in NEEDS_PERPETRATOR and UNIDENTIFIED_RE.search(
            " ".join(text[c.start:c.end] for c in group))):
        n1, i1 = ef.generic_actor("unidentified armed group", country, day)
    if (n1 is not None and n2 is None and sub in NEEDS_PERPETRATOR and not n1.startswith("Unidentified")
            and i1 in (STATE, "External/Other forces") and UNIDENTIFIED_RE.search(
                " ".join(text[c.start:c.end] for c in group))):
        n2, i2 = ef.generic_actor("unidentified armed group", country, day)  # "gunmen shot a police officer"
    claimant = responsible(text, mentions, country)
    if claimant and claimant[0] not in (n1, n2):  # "X claimed responsibility": ACLED's perpetrator
        if n1 is None or n1.startswith("Unidentified Armed Group"):
            n1, i1 = claimant
        elif n2 is None:  # "Al Shabaab claimed to have killed two Kenyan police"
            (n1, i1), (n2, i2) = claimant, (n1, i1)
    if n1 is not None and n1.startswith("Unidentified Armed Group"):
        suspect = suspected_group(text, mentions, group, (n1, n2))
        if suspect:  # "Al Shabaab-linked suspects", "believed to be Al Shabaab": ACLED names the group
            named = in_country(suspect, country, day)
            n1, i1 = named["actor"], named.get("inter")
    if n1 is None and sub == "Arrests" and country:
        n1, i1 = ef.generic_actor("police", country, day)  # arrests are made by the police unless named
    if n2 is None and n1 is not None and sub == "Arrests":
        n2, i2 = civilian()  # those arrested, unnamed as a group: civilians (ACLED's usual coding)
    if sub == "Disrupted weapons use":  # ACLED: the forces who defused or seized it, and whose it was
        n1, i1, n2, i2 = _disrupted_sides((n1, i1), (n2, i2), country, day)
    if n1 is None and n2 is None and ev["event_type"] == "Strategic developments":
        named = next((in_country(m, country, day) for m in mentions if isinstance(m.get("start"), int)
                      and m.get("method") != "generic" and m.get("actor")), None)
        if named:  # "Recruitment: X said to be recruiting": the report's named actor is the one acting
            n1, i1 = named["actor"], named.get("inter")
    if n1 is None and n2 is not None and sub != "Excessive force against protesters":
        n1, i1, n2, i2 = n2, i2, None, None
    ev.update(actor1=n1, inter1=i1, actor2=n2, inter2=i2,
              assoc_actor_1="; ".join(dict.fromkeys(x for x in extra1 if x not in (n1, n2))) or None,
              assoc_actor_2="; ".join(dict.fromkeys(x for x in extra2 if x not in (n1, n2))) or None)


def _state_acts(ev: dict, country: str | None) -> bool | None:
    """Whether actor1 is the government's own forces (who regains, who overtakes)."""
    if not ev.get("actor1"):
        return None
    return ev.get("inter1") == "State forces"


def build_event(doc: Doc, group: list[Clause], sub: str, event_id: str, method: str = "rules") -> dict:
    """One contract EVENT record from a group of sentences."""
    text = text_of(doc)
    anchor = group[0]
    trig = anchor.trigger or (anchor.start, anchor.end)
    dated = next((c for c in group if c.date), None)
    when = dated.date if dated else ef.event_date(doc, *trig, sentence=(anchor.start, anchor.end))
    day, precision = (when if when else (None, None))
    spans = [(c.start, c.end) for c in group]
    mentions = layer(doc, "actor_mentions")
    actor_spans = [(m["start"], m["end"]) for m in mentions if isinstance(m.get("start"), int)]
    iso2 = event_country(doc, spans, mentions)
    in_country = [p for p in reread_in_country(layer(doc, "places"), iso2, spans)
                  if iso2 is None or str(p.get("country") or "").upper() == iso2]
    chosen = ef.choose_place(text, in_country, spans, actor_spans)
    if chosen is None or ef.place_level(chosen[0]) == 0:
        # the event's sentences name no place more precise than a country: the report's others
        wider = ef.choose_place(text, in_country, [(0, len(text))], actor_spans)
        if wider and (chosen is None or ef.place_level(wider[0]) > 0):
            chosen = wider[0], max(wider[1], DOC_PLACE_PRECISION)
    place, geo_precision = chosen if chosen else (None, None)
    country = ef.country_of(iso2)
    country_name, iso = country if country else (None, None)
    ev: dict = {"event_id": event_id, "event_date": day, "time_precision": precision,
                "event_type": et.event_type_of(sub), "sub_event_type": sub}
    _set_actors(ev, sub, text, mentions, group, country_name, day)
    if method == "rules" and sub in ("Government regains territory", "Non-state actor overtakes territory"):
        state = _state_acts(ev, country_name)
        if state is False and sub == "Government regains territory":
            sub = "Non-state actor overtakes territory"
        ev["sub_event_type"], ev["event_type"] = sub, et.event_type_of(sub)
    if place:
        level = ef.place_level(place)
        location = place.get("name") or place.get("mention")
        ev.update(location=location, latitude=place.get("latitude"), longitude=place.get("longitude"),
                  admin1=place.get("admin1") or (location if level == 1 else None),
                  admin2=place.get("admin2") or (location if level == 2 else None),
                  geo_precision=geo_precision)
        seat = place.get("seat")
        if seat and level in (1, 2):
            # ACLED codes an event the report places only in a region to the region's capital
            ev.update(location=seat["name"], latitude=seat["latitude"], longitude=seat["longitude"],
                      admin2=ev["admin2"] or seat.get("admin2"))
    else:
        ev.update(location=None, latitude=None, longitude=None, admin1=None, admin2=None, geo_precision=None)
    ev.update(country=country_name, iso=iso)
    fat, low, best, high, figures = ef.fatalities(text, spans)
    if merged_cues(group).has("NOCASUALTY") and not figures:
        fat, low, best, high = 0, 0, 0, 0
    if ev["sub_event_type"] in ef.NO_FATALITY_TYPES:
        fat = 0  # the figures stay in low/best/high: reported, but not this event's dead
    ev.update(fatalities=fat, fatalities_low=low, fatalities_best=best, fatalities_high=high)
    ev["civilian_targeting"] = ev["event_type"] in ("Violence against civilians",) or (
        ev["event_type"] == "Explosions/Remote violence" and (ev.get("actor2") or "").startswith("Civilians"))
    ev["claims"] = [c["claim_id"] for c in layer(doc, "claims")
                    if isinstance(c.get("start"), int) and isinstance(c.get("end"), int)
                    and any(c["start"] < b and a < c["end"] for a, b in spans) and c.get("kind") != "speculation"]
    ev["evidence"] = [{"start": a, "end": b} for a, b in _merge_spans(spans)]
    ev["notes"] = ef.notes(ev)
    # working keys (dropped by the record model): why the event was typed so
    ev["method"] = method
    ev["cues"] = sorted({c.group for c in anchor.cues.cues if c.group in et.EVENT_GROUPS})
    return ev


def _merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


# ---------------------------------------------------------------- salience
def order_events(events: list[dict], published: str | None) -> list[dict]:
    """Lead event first, then text order; long-past events only when nothing recent is reported."""
    pub = ef.parse_day(published)
    if pub is None:
        return events

    def old(ev: dict) -> bool:
        d = ef.parse_day(ev.get("event_date"))
        return d is not None and (pub - d).days > BACKGROUND_DAYS

    recent = [e for e in events if not old(e)]
    return recent if recent else events


def extract_events(doc: Doc, model=None) -> list[dict]:
    """The events of a Doc, most salient first (contract EVENT dicts plus working keys)."""
    clauses = read_clauses(doc)
    events: list[dict] = []
    groups = group_clauses(drop_titles(clauses))
    if not groups and model is not None:
        groups = _model_only_group(clauses, model, text_of(doc))
    for group in groups:
        sub = type_group(group, model, text_of(doc), whole=len(groups) == 1)
        if sub is None:
            continue
        events.append(build_event(doc, group, sub, f"e{len(events) + 1}", "model" if model else "rules"))
    events = order_events(events, doc._.published)
    for n, ev in enumerate(events, 1):
        ev["event_id"] = f"e{n}"
    return events


class EventsStage:
    """spaCy component: writes `doc._.events` (see the module docstring)."""

    def __init__(self, nlp: Language, name: str, model_dir: str | None = None):
        self.name = name
        self.model = None
        if model_dir:
            from ..eventmodel import load_model
            self.model = load_model(model_dir)

    def __call__(self, doc: Doc) -> Doc:
        doc._.events = extract_events(doc, self.model)
        return doc
