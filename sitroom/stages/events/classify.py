"""Which ACLED sub-event type an event is: the codebook's precedence over the weighed cues.

`decide` resolves the weighed cues (`cues.weigh`) in the order of ACLED's codebook: a
demonstration is typed by what the demonstrators and the police did, a remote weapon
makes an explosion event, a violent act is a battle when its target is armed and
violence against civilians when it is not, and strategic developments come last
because violence outranks them. The shipped typer (`typer.py`) then checks the rules'
choice, drops what it reads as no ACLED event and finds events the cues missed
(`typer.combine`). `sitroom train --acled` can replace the final choice with a
classifier learned from an ACLED export (`model.py`).
"""
from __future__ import annotations

import re
from collections import defaultdict

from ...acled import STATE, SUB_EVENT_TYPES
from .cues import AGENT_GROUPS, PASSIVE_RE, TARGET_GROUPS, VIOLENT_GROUPS, Cue, CueSet, find_cues, weigh
from . import typer
from .clause import Clause, said

MODEL_ONLY_CONFIDENCE = 0.5  # classifier probability from which a report with no cue still yields its event

# ---------------------------------------------------------------- who acted, who was hit
ROLE_WINDOW = 80  # characters around a verb where its subject or object is named
STOP_RE = re.compile(r"[.;:]|\bby\b|\bwho\b|\bwhich\b|\bafter\b|\bwhen\b")


HEADLINE_PASSIVE_RE = re.compile(r"(?:\s+(?:in|at|on|near|during|after|while|as|when|by|over|following)\b|\s*[,.;]|\s*$)", re.I)


def is_passive(text: str, s: int, e: int) -> bool:
    """'were killed', 'killed by', and the headline participle '2 soldiers killed in ...'."""
    if PASSIVE_RE.search(text[max(0, s - 25):s]) or text[e:e + 4].lower().startswith(" by"):
        return True
    if re.search(r"\b(?:have|has|had|they|he|she|we)\s+$", text[max(0, s - 8):s], re.I):
        return False
    return text[s:e].lower().endswith("ed") and bool(HEADLINE_PASSIVE_RE.match(text[e:]))


def _before(nouns: list[Cue], text: str, s: int, offset: int) -> list[Cue]:
    """Nouns in the same clause before character s (closest last)."""
    lo = s - ROLE_WINDOW
    stops = list(re.finditer(r"[.;:]|\bwho\b|\bwhich\b|\bafter\b|\bwhen\b", text[max(0, lo):s]))
    if stops:
        lo = max(0, lo) + stops[-1].end()
    return [t for t in nouns if lo <= t.start - offset and t.end - offset <= s]


def _after(nouns: list[Cue], text: str, e: int, offset: int) -> list[Cue]:
    """Nouns in the same clause after character e (closest first)."""
    hi = e + ROLE_WINDOW
    stop = STOP_RE.search(text[e:hi])
    if stop:
        hi = e + stop.start()
    return [t for t in nouns if e <= t.start - offset and t.end - offset <= hi]


def victim_kind(text: str, cues: list[Cue], offset: int = 0) -> str | None:
    """'armed' or 'civ': whom the violent cues hit (object of the active verb, subject of the passive)."""
    targets = [c for c in cues if c.group in TARGET_GROUPS]
    votes: dict[str, float] = defaultdict(float)
    for cue in cues:
        if cue.group not in ("KILL", "ATTACK", "INJURE"):
            continue
        s, e = cue.start - offset, cue.end - offset
        if is_passive(text, s, e):
            near = _before(targets, text, s, offset)[-1:]
        else:
            near = _after(targets, text, e, offset)[:1]
        for t in near:
            votes["armed" if t.group == "ARMED" else "civ"] += cue.weight
    if not votes:
        return None
    return max(votes, key=lambda k: (votes[k], k == "civ"))


# 'drove into a crowd', 'fired on the crowd': the object of a preposition is whom it hit, not who acted
OBJECT_BEFORE_RE = re.compile(r"\b(?:into|through|on|upon|at|among|against|towards?)\s+(?:(?:a|an|the|its|their)\s+)?"
                              r"(?:[\w-]+\s+)?$", re.I)


# 'killing 10 villagers', 'attacked the protesters': only a number, a determiner or an adjective between
OBJECT_GAP_RE = re.compile(r"^\s+(?:(?:at\s+least|about|some|more\s+than|over|nearly|a|an|the|[\d,]+|\w+ty|"
                           r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|local|unarmed|"
                           r"innocent|several|many|dozens\s+of|hundreds\s+of)\s+)*$", re.I)


# 'media and locals said killed about 170': who told it, not who did it
SPEAKER_AFTER_RE = re.compile(r"\s+(?:(?:have|had|has)\s+)?(?:said|say|says|told|reported|report|claimed|claim)\b", re.I)


def _object_of_violence(agent: Cue, cues: list[Cue], text: str, offset: int) -> bool:
    """Whether a crowd or armed noun is what an active violent verb just before it hit."""
    for c in cues:
        if c.group in ("KILL", "INJURE", "ATTACK") and c.end <= agent.start and agent.start - c.end <= 40:
            s, e = c.start - offset, c.end - offset
            if not is_passive(text, s, e) and OBJECT_GAP_RE.match(text[e:agent.start - offset]):
                return True
    return False


def agent_kind(text: str, cues: list[Cue], offset: int = 0) -> str | None:
    """'crowd' or 'armed': who did the violence (subject of the active verb, `by` agent of the passive)."""
    agents = [c for c in cues if c.group in AGENT_GROUPS
              and not OBJECT_BEFORE_RE.search(text[max(0, c.start - offset - 30):c.start - offset])
              and not _object_of_violence(c, cues, text, offset)
              and not SPEAKER_AFTER_RE.match(text[c.end - offset:c.end - offset + 30])]
    votes: dict[str, float] = defaultdict(float)
    for cue in cues:
        if cue.group not in VIOLENT_GROUPS:
            continue
        s, e = cue.start - offset, cue.end - offset
        if cue.group != "CLASH" and is_passive(text, s, e):  # "clashed in X" is not a passive
            m = re.match(r"\s+(?:\w+\s+){0,3}?by\s", text[e:e + 40], re.I)
            near = [t for t in agents if m and e + m.end() - 1 <= t.start - offset <= e + m.end() + 30][:1]
        elif cue.group == "CLASH":
            near = _before(agents, text, s, offset)  # "supporters and police clashed": both sides act
        else:
            near = _before(agents, text, s, offset)[-1:]
        for t in near:
            votes[t.group.lower()] += cue.weight
    if not votes:
        return None
    if votes.get("crowd") and any(c.group == "CLASH" for c in cues):
        return "crowd"  # a crowd in a clash makes it a riot, whoever else is there
    return max(votes, key=lambda k: (votes[k], k == "armed"))


# ---------------------------------------------------------------- the decision
DISRUPTED_SHARE = 0.5  # a weapon stopped (found, defused, shot down) outweighs half as much talk of the weapon
EXPLOSIVE_ORDER = (  # most specific first: a named weapon outranks a bare "explosion"
    ("CHEMICAL", "Chemical weapon"),
    ("SUICIDE", "Suicide bomb"),
    ("AIR", "Air/drone strike"),
    ("SHELL", "Shelling/artillery/missile attack"),
    ("GRENADE", "Grenade"),
    ("IED", "Remote explosive/landmine/IED"),
)


def decide(cs: CueSet, victims: str | None = None, state_actor: bool | None = None,
           agents: str | None = None) -> str | None:
    """The ACLED sub-event type the weighed cues report, or None when they report no event.

    `victims` ('armed'/'civ') is whom the violence hit, `agents` ('crowd'/'armed') who
    did it; `state_actor` whether the acting side is a state's forces (decides who
    regains and who overtakes territory).
    """
    has = cs.has
    violent = any(has(g) for g in ("KILL", "INJURE", "ATTACK", "CLASH"))

    if has("CHEMICAL"):
        return "Chemical weapon"

    # demonstrations: typed by what demonstrators and the police did
    protest, riot = cs.score("PROTEST"), cs.score("RIOT")
    dispersed_crowd = has("INTERVENTION") and has("CROWD") and not any(has(g) for g in ("KILL", "CLASH", "ARREST"))
    if protest + riot >= 1.0 or has("PROTEST", 1.0) or has("RIOT") or dispersed_crowd:
        if has("MOB") and not has("PROTEST", 1.0):
            return "Mob violence"
        crowd_violence = agents == "crowd" and any(has(g) for g in ("KILL", "INJURE", "CLASH", "DESTROY")) or (
            agents == "crowd" and has("ATTACK", 0.9))
        if riot >= 0.7 or (has("CLASH") and protest >= 1.0) or has("LOOT") or has("DESTROY") or crowd_violence:
            return "Violent demonstration"
        if has("FORCE") or (has("KILL") and not has("NOCASUALTY")):
            return "Excessive force against protesters"
        if has("INTERVENTION") or has("ARREST") or (agents == "armed" and violent):
            return "Protest with intervention"
        if has("INJURE"):
            return "Excessive force against protesters"
        return "Peaceful protest"
    communal = has("COMMUNAL")  # clans and ethnic groups fight as identity militias: a battle, not a riot
    if has("MOB") and (violent or has("DESTROY") or has("MOB", 1.0)) and (not communal or has("MOB", 1.0)):
        return "Mob violence"
    if not communal and (agents == "crowd" and (violent or has("DESTROY")) and not cs.has("CLASH", 1.0) or (
            agents == "crowd" and has("CLASH") and victims != "armed" and not has("ARMED", 2.0))):
        return "Mob violence"

    # remote violence: the weapon decides (a disrupted weapon was not used)
    weapon = max(cs.score(g) for g, _ in EXPLOSIVE_ORDER)
    disrupted = has("DISRUPT") and not any(has(g) for g in ("KILL", "INJURE", "CLASH")) and (
        cs.score("DISRUPT") >= DISRUPTED_SHARE * weapon)
    air_used = has("AIRCRAFT") and any(has(g) for g in ("ATTACK", "KILL", "INJURE", "DESTROY", "IED", "SHELL"))
    for group, sub in EXPLOSIVE_ORDER:
        if (has(group) or group == "AIR" and air_used) and not disrupted:
            if group == "IED" and cs.score("IED") < 0.9 and has("CLASH"):
                break  # a bare "explosions" heard during fighting is part of the battle
            return sub

    # territory
    if has("RECAPTURE") and state_actor is not False and cs.score("RECAPTURE") >= cs.score("CLASH"):
        return "Government regains territory"
    if (has("CAPTURE") or has("RECAPTURE")) and max(cs.score("CAPTURE"), cs.score("RECAPTURE")) >= cs.score("CLASH"):
        if (has("NONVIOLENT") or has("WITHDRAW")) and not has("CLASH"):
            return "Non-violent transfer of territory"
        return "Non-state actor overtakes territory"

    if has("CLASH", 0.7):  # a battle in which someone was also abducted or raped is coded as the battle
        return "Armed clash"
    if has("SEXUAL"):
        return "Sexual violence"
    # killed and abducted in one raid: the killing makes it an Attack; abducted and released in one
    # telling ('the girls abducted in 2014 were freed'): the release is what happened now
    if has("ABDUCT") and not (has("KILL", 1.0) and victims != "armed") and not has("AGREEMENT", 1.0):
        return "Abduction/forced disappearance"

    if has("CLASH") and victims == "armed":
        return "Armed clash"
    if has("KILL") or has("INJURE") or has("ATTACK"):
        if victims == "armed":
            return "Armed clash"
        if has("ATTACK") and not (has("KILL") or has("INJURE")):
            if has("LOOT") or has("DESTROY"):
                return "Looting/property destruction"
            if has("NOCASUALTY") and victims != "armed":
                return "Other"  # an attack that hurt no one: a strategic development, not violence
        if victims == "civ" or has("KILL") or has("INJURE"):
            return "Attack"
        if has("ATTACK", 1.0):
            return "Attack"

    if has("AGREEMENT"):
        return "Agreement"
    if has("DISRUPT"):
        return "Disrupted weapons use"
    if has("ARREST"):
        return "Arrests"
    if has("HQ"):
        return "Headquarters or base established"
    if has("LOOT") or has("DESTROY"):
        return "Looting/property destruction"
    if has("WITHDRAW"):
        return "Non-violent transfer of territory"
    if has("CHANGE"):
        return "Change to group/activity"
    return None


def event_type_of(sub_event_type: str | None) -> str | None:
    return SUB_EVENT_TYPES.get(sub_event_type or "")


SENTENCE_RE = re.compile(r"(?<=[.!?])\s+(?=[\"'A-Z0-9])")
LATER_SENTENCE_WEIGHT = 0.8  # the lead sentence names the event; later ones add detail


def classify_text(text: str, state_actor: bool | None = None) -> str | None:
    """The sub-event type of a short report (all of it one event), by the rules alone."""
    cs = CueSet()
    victims_votes: list[str] = []
    agent_votes: list[str] = []
    pos = 0
    first = True
    for sent in SENTENCE_RE.split(text):
        start = text.find(sent, pos)
        pos = start + len(sent)
        cues = find_cues(sent, start)
        sc = weigh(sent, start, cues)
        if sc.cues:
            cs.merge(sc, 1.0 if first else LATER_SENTENCE_WEIGHT)
            v = victim_kind(sent, sc.cues, start)
            if v:
                victims_votes.append(v)
            a = agent_kind(sent, sc.cues, start)
            if a:
                agent_votes.append(a)
            first = first and not sc.eventful
    victims = victims_votes[0] if victims_votes else None
    agents = agent_votes[0] if agent_votes else None
    return decide(cs, victims, state_actor, agents)


# ---------------------------------------------------------------- one event of a report
def merged_cues(group: list[Clause]) -> CueSet:
    """The weighed cues of an event's sentences, the later ones counting less."""
    cs = CueSet()
    for n, c in enumerate(group):
        cs.merge(c.cues, 1.0 if n == 0 else LATER_SENTENCE_WEIGHT)
    return cs


TYPER_ONLY_SENTENCES = 4  # the shipped typer alone codes a snippet or a note, not a long article


def model_only_group(clauses: list[Clause], model, text: str, typer_model=None) -> list[list[Clause]]:
    """With a classifier and no cue: one event over the report when the classifier is sure of it."""
    body = [c for c in clauses if not c.background]
    if not body or not text.strip():
        return []
    if model is None:  # the shipped typer: an event where it is sure of one, read without the background
        if len(body) > TYPER_ONLY_SENTENCES:
            return []  # a whole article in which no sentence tells an event is no event's report
        return [body] if typer.combine(None, " ".join(text[c.start:c.end] for c in body), typer_model)[0] else []
    probs = model.scores(text)
    if model.kind != "logreg" or float(probs.max()) < MODEL_ONLY_CONFIDENCE:
        return []
    return [body]


def type_group(group: list[Clause], model=None, text: str = "", whole: bool = False,
               typer_model=None) -> tuple[str | None, str]:
    """(sub-event type or None, method) of an event: the classifier's when one is loaded, else the
    rules' and the shipped typer's together (`typer.combine`; None: the typer finds no event).

    The classifier reads what it was trained on, a whole report: the document when it
    reports one event (`whole`), else the stretch from the event's first sentence to its last."""
    body = text if whole else text[group[0].start:group[-1].end]
    if model is not None:
        label = model.predict(body)
        if label in SUB_EVENT_TYPES:
            return label, "model"
    rule = decide(merged_cues(group), said(group, "victims"), None, said(group, "agents"))
    if model is not None:
        return rule, "model"
    return typer.combine(rule, body, typer_model)


TERRITORY_TYPES = ("Government regains territory", "Non-state actor overtakes territory")


def territory_type(sub: str, actor1: str | None, inter1: str | None) -> str:
    """Who took territory decides the type: a side other than the state's forces overtakes, never regains;
    the state's forces taking a place from another side regain it (ACLED's 'Government regains territory')."""
    if sub == TERRITORY_TYPES[0] and actor1 and inter1 != STATE:
        return TERRITORY_TYPES[1]
    if sub == TERRITORY_TYPES[1] and actor1 and inter1 == STATE:
        return TERRITORY_TYPES[0]
    return sub
