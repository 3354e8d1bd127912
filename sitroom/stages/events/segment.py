"""Which sentences report an event, and how they group into events.

Every sentence is scanned for event cues (`cues.py`); a cue that is negated,
conjectured or only the cause of something else does not count, and a sentence about
history ("previously", "in the mid-2010s"), inside a speculation claim or dated long
before the report reports no event. A title line yields to the body that reports the
same. Sentences then group into events: a sentence that types an event on its own (its
*anchor*) opens one; the sentences after it that add detail (police dispersed the
crowd, three were killed) join it; one with its own different date, or with a new
place and another kind of event, opens the next. A sentence paragraphs later that retells
the event (the same kind, no day of its own far from the report's) joins it as a
retelling: it can give the event its day and evidence, not its type, toll or place.
"""
from __future__ import annotations

import bisect
import re
from datetime import date

from spacy.tokens import Doc

from ...acled import BATTLES, EXPLOSIONS
from ...distance import km
from ...document import layer, text_of
from ...spans import ByStart, SpanIndex, holds
from .classify import agent_kind, decide, is_passive, victim_kind
from .clause import Clause
from .cues import EVENT_GROUPS, HARM_GROUPS, HISTORY_RE, CueSet, find_cues, weigh
from .when import dated_long_before, days_apart, explicit_date, parse_day
from .where import place_level, usable_place

DAY_VALUE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}")
YEAR_RE = re.compile(r"\b(?:in|since|during|of)\s+((?:19|20)\d\d)\b(?!\s*[-–/]\d)")
# 'was killed in another airstrike', 'in a separate attack': the sentence reports a second event
SEPARATE_RE = re.compile(r"\b(?:another|a\s+(?:separate|second|third|further|different)|separately,?)\s+"
                         r"(?:[\w-]+\s+)?(?:air\s*strike|air\s+raid|drone\s+strike|strike|attack|raid|ambush|bombing|"
                         r"blast|explosion|incident|clash|shelling)s?\b", re.I)
SPECULATION_SENTENCE_RE = re.compile(r"\b(?:speculat\w*|rumou?r\w*|it is feared|could lead to|"
                                     r"scenario|hypothetical\w*)\b", re.I)
# a court's or a prosecutor's step about an act (indicted, pleaded, convicted): the act is the case's history,
# and the step is no ACLED event; an arrest or a protest told in such a sentence still is
JUDICIAL_RE = re.compile(r"\b(?:indicted|pleaded|pleads?|convicted|sentenced|acquitted|testified|"
                         r"charged with|(?:faces?|facing|faced|filed|brought|dropped) (?:\w+ )?charges|(?:stands?|went on|"
                         r"goes on|on) trial|trial (?:of|began|opened|resumed)|(?:told|before) (?:the |a )?(?:\w+ )?court|(?:appear\w*|appearance) (?:\w+ )?in (?:\w+ )?court|"
                         r"court (?:on \w+ )?(?:indicted|convicted|sentenced|ruled|heard|ordered)|jury|lawsuit|extradit\w*)\b",
                         re.I)
JUDICIAL_PROOF = frozenset({"PROTEST", "RIOT", "ARREST"})
# deaths and injuries in an accident or a disaster are no political violence when nothing violent is told
_ACCIDENT = (r"derail\w*|overturn\w*|collision|collided|crash(?:ed|es)?|accident\w*|earthquake|flood\w*|landslide|"
             r"disease\w*|outbreak|epidemic|caught fire|stampede")
ACCIDENT_SENTENCE_RE = re.compile(rf"(?<!recent )(?<!earlier )(?<!previous )\b(?:{_ACCIDENT}|drown\w*)\b", re.I)
# a lead that frames the whole report as an accident ('drowned' may end an attack: not in a lead)
ACCIDENT_LEAD_RE = re.compile(rf"(?<!recent )(?<!earlier )(?<!previous )\b(?:{_ACCIDENT})\b", re.I)
ACCIDENT_TOLD = HARM_GROUPS | {"ARREST"}  # what an accident report tells that is no political violence
# a natural disaster that does the harm ('an earthquake struck Lombok, killing two'): named before the first cue
DISASTER_RE = re.compile(r"\b(?:earthquakes?|quakes?|tremors?|floods?|flooding|landslides?|mudslides?|volcano(?:es)?|"
                         r"eruptions?|storms?|cyclones?|hurricanes?|typhoons?|tornado(?:es)?|wildfires?|"
                         r"bushfires?|forest fires?|torrential rains?|heavy (?:rain|snow)(?:fall)?|snowfalls?|"
                         r"avalanches?|tsunamis?|droughts?|heatwaves?)\b"
                         r"(?!\s+(?:Corps|Brigades?|Battalions?|Divisions?|Regiments?|Forces?|Units?|Group)\b)", re.I)
DISASTER_PROOF = frozenset({"PROTEST", "RIOT", "ARREST", "MOB"})  # a protest over flood relief is still one
# an industrial blast or leak ('a tank at the plant exploded', 'gas leaked from a chemical factory')
INDUSTRIAL_BLAST_RE = re.compile(
    r"\b(?:gas|tanks?|cylinders?|boilers?|containers?|pipelines?|plants?|factory|factories|warehouses?|refinery|"
    r"depots?|fertili[sz]ers?|ammonium nitrate|chemicals?|fireworks?|solvents?|reactors?|bunkers?)"
    r"(?:\s+[\w-]+){0,3}\s+(?:explo\w+|blasts?|leak\w*|caught fire)|"
    r"\b(?:explosions?|blasts?|leak(?:s|age)?|fires?)\s+(?:at|in|from)\s+(?:an?|the)\s+(?:[\w-]+\s+){0,3}"
    r"(?:plant|factory|warehouse|refinery|depot|storage|mine|facility|tank|container|pipeline)s?\b", re.I)
WEAPON_WORD_RE = re.compile(r"\b(?:bombs?|bomb(?:ing|ed|er)s?|IEDs?|explosive devices?|mines?\s+planted|attack\w*|"
                            r"militants?|insurgents?|rebels?|gunmen|terror\w*|sabotage\w*)\b", re.I)
INDUSTRIAL_TOLD = HARM_GROUPS | {"IED", "CHEMICAL"}
# ordinary crime: arrests and seizures over theft, smuggling or fraud are no ACLED arrests
CRIME_RE = re.compile(r"\b(?:rob(?:bed|bery|beries|bing|bers?)|theft|thie(?:f|ves)|steal\w*|stole|stolen|smuggl\w*|"
                      r"traffick\w*|counterfeit\w*|burglar\w*|fraud\w*|poach\w*|contraband)\b", re.I)
CRIME_TOLD = frozenset({"ARREST", "CAPTURE", "DISRUPT"})
# diplomacy: expelled envoys, sanctions over a test or an attack abroad
DIPLOMACY_RE = re.compile(r"\b(?:expel\w*|expulsion)\b(?:\s+\S+){0,6}?\s+(?:diplomats?|ambassadors?|envoys?|"
                          r"embassy|consuls?|attach[eé]s?|staff)\b|\bsanctions?\b", re.I)
DIPLOMACY_TOLD = frozenset(EVENT_GROUPS - HARM_GROUPS - {"PROTEST", "RIOT", "MOB", "ARREST"})
# a lead about an attack on computers: the bare 'attack' the report then speaks of is that one
CYBER_LEAD_RE = re.compile(r"\b(?:cyber[- ]?attack\w*|cyber[- ]?security|hack(?:ed|ers?|ing)|ransomware|malware|"
                           r"denial[- ]of[- ]service|DDoS|data breach)\b", re.I)
CYBER_TOLD = frozenset({"ATTACK"})
ADJACENT = 2  # sentences apart that still tell one event (one sentence of other matter between)
SAME_DAY_SLACK = 1  # days: a sentence dated within this of its event stays in it
RETOLD_DAYS = 2  # a sentence paragraphs away, dated this close to the report, may retell its event
SAME_PLACE_KM = 50  # a place this close to the event's is part of it (a hotel in the city already named)
DAMAGE_SUB = "Looting/property destruction"
# damage reported right after these is what the attack did, not an event of its own
DAMAGING_FAMILIES = frozenset({EXPLOSIONS, BATTLES})
# what a sentence without an event of its own can add to the event before it
DETAIL_GROUPS = tuple(EVENT_GROUPS | {"INTERVENTION", "FORCE", "NOCASUALTY", "NONVIOLENT"})

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
    pub = parse_day(doc._.published)
    if pub and any(int(y) < pub.year for y in YEAR_RE.findall(head)):
        return True
    if HISTORY_RE.search(text):
        return not any(start <= t["start"] < end and DAY_VALUE_RE.match(t["value"] or "")
                       for t in layer(doc, "timexes"))
    return False


def told(cues: CueSet) -> set[str]:
    """The event groups a sentence's cues tell."""
    return {c.group for c in cues.cues if c.group in EVENT_GROUPS}


def not_political(sentence: str, cues: CueSet, first: int = 0) -> bool:
    """A court step about a past act, deaths in an accident or a natural disaster, an industrial blast,
    ordinary crime, or diplomacy: the sentence reports no ACLED event (`first`: where, in the sentence,
    its first event cue is)."""
    groups = told(cues)
    if not groups:
        return False
    if JUDICIAL_RE.search(sentence) and not any(cues.has(g) for g in JUDICIAL_PROOF):
        return True
    if groups <= HARM_GROUPS and ACCIDENT_SENTENCE_RE.search(sentence):
        return True
    disaster = DISASTER_RE.search(sentence)
    if disaster and disaster.start() < first and not groups & DISASTER_PROOF:
        return True  # the earthquake, not anyone, struck
    if groups <= INDUSTRIAL_TOLD and INDUSTRIAL_BLAST_RE.search(sentence) and not WEAPON_WORD_RE.search(sentence):
        return True
    if groups & CRIME_TOLD and groups <= CRIME_TOLD | {"LOOT"} and CRIME_RE.search(sentence):
        return True  # arrested over a robbery; the robbery itself, told alone, may still be looting
    return groups <= DIPLOMACY_TOLD and bool(DIPLOMACY_RE.search(sentence))


LEAD_SENTENCES = 3  # the title and the first sentences say what a report is about
FRAMED_RECENT_DAYS = 7  # in a court or accident report, an act dated this close to the report is still news


def frame_background(clauses: list[Clause], text: str, published: str | None) -> None:
    """A report whose lead is a court step (indicted, pleaded, convicted) or an accident tells the acts it
    recalls as the case's history: every sentence of it is background but one dated within a week of the
    report (the shooting at the courthouse on Monday). In a report whose lead is a cyber attack, a
    sentence that tells only an 'attack' tells that one."""
    lead = clauses[:LEAD_SENTENCES]
    lead_text = " ".join(text[c.start:c.end] for c in lead)
    court = bool(JUDICIAL_RE.search(lead_text)) and not any(c.cues.has(g) for c in lead for g in JUDICIAL_PROOF)
    lead_told = set().union(*(told(c.cues) for c in lead))
    accident = bool(ACCIDENT_LEAD_RE.search(lead_text)) and bool(lead_told) and lead_told <= HARM_GROUPS
    if CYBER_LEAD_RE.search(lead_text):
        for c in clauses:
            c.background = c.background or told(c.cues) <= CYBER_TOLD
    if not (court or accident):
        return
    pub = parse_day(published)
    for c in clauses:
        if accident and not court:  # the crash's dead and the driver's arrest are no ACLED event; a riot it set off is
            c.background = c.background or told(c.cues) <= ACCIDENT_TOLD
            continue
        day = parse_day(c.date[0]) if c.date else None
        if not (pub and day and abs((pub - day).days) <= FRAMED_RECENT_DAYS and c.date[1] == 1):
            c.background = True


def speculative_spans(doc: Doc) -> list[tuple[int, int]]:
    """Claims the claims stage judged conjecture: an event there is not coded as having happened.

    (hedge, end): a cue counts as conjecture from the claim's hedge word ("may", "is
    expected to") to the claim's end; a hedge found only after the event cue hedges
    something else."""
    out = []
    for c in layer(doc, "claims"):
        if c["kind"] != "speculation":
            continue
        cue = (c["cue"] or "").strip()
        window = text_of(doc)[max(0, c["start"] - 200):c["end"] + 200]
        at = window.find(cue) if cue else -1
        hedge = max(0, c["start"] - 200) + at if at >= 0 else c["start"]
        out.append((min(hedge, c["start"]) if hedge < c["start"] else hedge, c["end"]))
    return out


def read_clauses(doc: Doc) -> list[Clause]:
    """Every sentence with its weighed cues and what they say on their own."""
    text = text_of(doc)
    spec = SpanIndex(speculative_spans(doc))
    places = ByStart(layer(doc, "places"), lambda p: (p["start"], p["end"]))
    timexes = ByStart(layer(doc, "timexes"), lambda t: (t["start"], t["end"]))
    actor_spans = SpanIndex((m["start"], m["end"]) for m in layer(doc, "actor_mentions"))
    clauses: list[Clause] = []
    breaks = [m.end() for m in PARAGRAPH_RE.finditer(text)]
    for i, (s, e) in enumerate(sentence_bounds(doc)):
        paragraph = bisect.bisect_right(breaks, s)  # the breaks before it
        sent = text[s:e]
        cues = [c for c in find_cues(sent, s) if not holds(spec, c.start, c.start + 1)]
        cs = weigh(sent, s, cues)
        clause = Clause(i, s, e, paragraph, cs, title=is_title_line(text, s, e))
        first = next((c.start for c in cs.cues if c.group in EVENT_GROUPS), None)
        clause.background = (is_background(doc, s, e, first) or bool(SPECULATION_SENTENCE_RE.search(sent))
                             or not_political(sent, cs, first - s if first is not None else 0))
        pub = parse_day(doc._.published)
        clause.separate = bool(SEPARATE_RE.search(sent))
        clause.old = bool(pub) and dated_long_before(timexes.starting(s, e), s, e, pub)
        if cs.cues and not clause.background:
            clause.victims = victim_kind(sent, cs.cues, s)
            clause.agents = agent_kind(sent, cs.cues, s)
            clause.alone = decide(cs, clause.victims, None, clause.agents)
            trig = next((c for c in cs.cues if c.group in EVENT_GROUPS), None)
            if trig is not None:
                clause.trigger = (trig.start, trig.end)
                clause.passive = is_passive(sent, trig.start - s, trig.end - s)
            if clause.alone and clause.trigger:
                clause.date = explicit_date(doc, s, e, clause.trigger, timexes.starting(s, e))
        clause.places = {(p["name"] or p["mention"]).lower(): (p["latitude"], p["longitude"])
                         for p in places.starting(s, e)
                         if usable_place(p, actor_spans) and place_level(p) >= 2}
        clauses.append(clause)
    frame_background(clauses, text, doc._.published)
    return clauses


# ---------------------------------------------------------------- grouping
def lead_in(before: Clause | None, c: Clause) -> bool:
    """'X condemns the attack by Y on Z.' right before the sentence that tells it: the same incident."""
    return (before is not None and before.index == c.index - 1 and before.paragraph == c.paragraph
            and not before.alone and not before.background and not before.title
            and any(q.group in EVENT_GROUPS for q in before.cues.cues))


def recent(c: Clause, pub: date | None) -> bool:
    """Whether a sentence states no day, or one within RETOLD_DAYS of the report: a retelling of the
    news rather than a toll or an act of weeks before."""
    day = parse_day(c.date[0]) if c.date else None
    return day is None or (pub is not None and abs((pub - day).days) <= RETOLD_DAYS)


class _Seen:
    """The first date and the places of the group being built, kept up as it grows (a group
    only grows at its end), so a long report's group is not read again for every sentence."""

    def __init__(self):
        self.group: list[Clause] | None = None
        self.read, self.date, self.places = 0, None, set()

    def of(self, group: list[Clause]) -> tuple:
        if group is not self.group:
            self.group, self.read, self.date, self.places = group, 0, None, set()
        for x in group[self.read:]:
            self.date = self.date or x.date
            self.places.update(x.places.values())
        self.read = len(group)
        return self.date, self.places


def group_clauses(clauses: list[Clause], published: str | None = None) -> list[list[Clause]]:
    """Sentences → events (see the module docstring, step 2)."""
    pub = parse_day(published)
    groups: list[list[Clause]] = []
    cur: list[Clause] | None = None
    prev: Clause | None = None
    seen = _Seen()
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
        cur_date, cur_places = seen.of(cur)
        apart = days_apart(c.date, cur_date)
        if apart is not None and apart > SAME_DAY_SLACK:
            if c.alone:
                cur = [c]
                groups.append(cur)
            continue
        adjacent = c.index - last.index <= ADJACENT and c.paragraph == last.paragraph
        new_place = bool(cur_places) and any(all(km(*xy, *other) > SAME_PLACE_KM for other in cur_places)
                                             for xy in c.places.values())
        other_kind = c.alone is not None and c.family != anchor.family
        if (c.alone == DAMAGE_SUB and anchor.family in DAMAGING_FAMILIES and not new_place
                and c.index - last.index <= ADJACENT):
            cur.append(c)  # "two homes were damaged" after a strike: the strike's damage, not another event
            continue
        if c.alone and (c.separate or new_place and (other_kind or not adjacent)
                        or other_kind and c.date and not adjacent):
            cur = [c]  # another place, or another kind of event with a date of its own: the next event
            groups.append(cur)
        elif c.alone is None:
            if adjacent and any(c.cues.has(g) for g in DETAIL_GROUPS):
                cur.append(c)  # detail of the event before: "Police dispersed them."
        elif adjacent or (not other_kind and c.paragraph == last.paragraph):
            c.retold = adjacent and last.retold
            cur.append(c)
        elif not other_kind and c.alone and recent(c, pub):
            c.retold = True  # the same event retold paragraphs later: it may give the day
            cur.append(c)
    return groups

