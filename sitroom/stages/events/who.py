"""Who acted in an event and who was acted on: actor1, actor2, their inter codes and associates.

The parties the event's sentences name are ranked first (`actor_sides`, `rank_sides`:
a mention before an active verb acts, after it is acted on); then ACLED's conventions
per sub-event type fill in or move the sides: an ordered rule table in
`sitroom/data/events/actor_rules.toml` whose `step`s are the functions in `STEPS`
(protesters act in a protest, civilians are only ever victims, an unnamed
perpetrator is an Unidentified Armed Group, ...). Actor names come from the actor
dictionary (`generic_actor`, `inter_in`), so they are ACLED's.
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ...acled import ARMED_NON_STATE, CIVILIANS, CROWDS, EVENT_TYPES, EXTERNAL, STATE, SUB_EVENT_TYPES
from ...datafiles import check, data_path, read_toml
from spacy.tokens import Doc

from ...document import ActorMention, layer, text_of
from ...actordict import generic_actor, inter_in
from ...spans import ByStart, holds
from .clause import Clause, once, said

# ---------------------------------------------------------------- the parties the sentences name
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
SPONSOR_AFTER_RE = re.compile(r"^[-\s](?:sponsored|backed|supported|funded|armed|trained|allied|aligned|linked)\b", re.I)
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


def actor_sides(text: str, mentions: list[ActorMention], clauses: list[tuple[int, int, int | None, bool]],
                dateline_spans: list[tuple[int, int]]) -> dict[str, Side]:
    """Votes, per canonical actor, for acting (agent) or being acted on (target).

    `clauses` are (start, end, trigger_start, passive) per sentence of the event: a
    mention before an active trigger acts, after it is acted on; `by X` acts; a mention
    after 'backed by' joins the side of the mention before it."""
    sides: dict[str, Side] = {}
    by_start = ByStart(mentions, lambda m: (m["start"], m["end"]))
    for n, (s, e, trig, passive) in enumerate(clauses):
        weight = 1.0 if n == 0 else 0.7
        prev_actor = None
        for m in sorted(by_start.starting(s, e), key=lambda m: m["start"]):
            if m["kind"] not in PARTY_KINDS or not m["actor"]:
                continue
            left = text[max(s, m["start"] - 40):m["start"]]
            after = text[m["end"]:m["end"] + 20]
            if holds(dateline_spans, m["start"], m["start"] + 1):
                continue  # "KYIV, March 3 (Reuters) -": where the report was filed, not a party
            if (SKIP_BEFORE_RE.search(left) or SPONSOR_AFTER_RE.match(after) or SPEAKER_AFTER_RE.match(after)
                    or SPEAKER_BEFORE_RE.search(text[max(s, m["start"] - 60):m["start"]])):
                continue
            side = sides.setdefault(m["actor"], Side(m["actor"], m["inter"], m["country"],
                                                     generic=m["kind"] == "generic"))
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
    if any(not sd.generic and sd.agent > 0 and sd.inter not in (*CROWDS, STATE)
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


UNIDENTIFIED_RE = re.compile(r"\b(?:gunm[ae]n|unknown|unidentified|assailants?|attackers?|armed men|bandits?|perpetrators?|"
                             r"robbers?|thugs|hitm[ae]n|shooters?)\b", re.I)
# people hurt by a blast, not negated and not armed personnel: ACLED's Civilians as actor2
HARMED_RE = re.compile(r"\b(?:killed|killing|dead|died|deaths?|injur(?:ed|ies|ing)|wounded|wounding|maimed)\b", re.I)
NO_HARM_RE = re.compile(r"\b(?:no|nobody|none|without)\b[^.;]{0,25}?\b(?:injur|kill|dead|death|casualt|hurt|harm|wound)", re.I)
ARMED_VICTIM_RE = re.compile(r"\b(?:soldiers?|troops?|police\w*|officers?|militants?|fighters?|guards?|captains?|"
                             r"commanders?|militia\w*|rebels?|insurgents?|personnel|members)\b", re.I)


def in_country(mention: ActorMention, country: str | None, day: str | None) -> ActorMention:
    """The mention as an actor of an event in `country`: a generic role ("police", "residents")
    takes the event's country, whose forces abroad become External/Other forces."""
    if not country:
        return mention
    m = dict(mention)
    if m["method"] == "generic" and m["role"]:
        rec = generic_actor(m["role"], country, day)
        if rec and rec.get("name"):
            m.update(actor=rec["name"], country=rec.get("country"), home_inter=rec.get("inter"),
                     inter=rec.get("inter"))
    m["inter"] = inter_in(m, country) or m["inter"]
    return m


CLAIMED_AFTER_RE = re.compile(r"^[’']?s?\s+(?:\w+\s+){0,2}?(?:claimed|claims|took|has taken|have taken|accepted|"
                              r"admitted)\s+(?:the\s+)?(?:responsibility|credit)\b|"
                              r"^\s+(?:\w+\s+)?claimed\s+(?:to\s+have\s+)?(?:killed|attacked|carried out|"
                              r"launched|detonated|shot|ambushed)\b", re.I)
CLAIMED_BEFORE_RE = re.compile(r"\bresponsibility\s+(?:was|has been)\s+claimed\s+by\s+(?:the\s+)?$", re.I)


def claimant(text: str, mentions: list[ActorMention]) -> ActorMention | None:
    """The first named group that claims the attack anywhere in the report."""
    for m in mentions:
        if m["kind"] == "generic" or m["method"] == "generic":
            continue
        if CLAIMED_AFTER_RE.match(text[m["end"]:m["end"] + 60]) or CLAIMED_BEFORE_RE.search(
                text[max(0, m["start"] - 50):m["start"]]):
            return m
    return None


def suspect_of(m: ActorMention) -> bool:
    """A named armed group, one the report may link to an unnamed perpetrator."""
    return m["kind"] == "armed" and m["method"] != "generic" and m["inter"] in ARMED_NON_STATE


def suspected_group(own: list[ActorMention], firsts: dict[str, ActorMention], taken: tuple) -> ActorMention | None:
    """A named armed group the report links to an unnamed perpetrator: first in the event's
    sentences (`own`: their mentions), else anywhere in the report (`firsts`: each group's
    first mention, in the report's order)."""
    inside = next((m for m in own if suspect_of(m) and m["actor"] not in taken), None)
    return inside or next((m for actor, m in firsts.items() if actor not in taken), None)


def civilians_harmed(text: str) -> bool:
    """Whether a blast's report says people were killed or hurt, none of them armed personnel."""
    return bool(HARMED_RE.search(text)) and not NO_HARM_RE.search(text) and not ARMED_VICTIM_RE.search(text)


# ---------------------------------------------------------------- ACLED's conventions, as a rule table
Pair = tuple[str | None, str | None]  # (actor name, inter)
NOBODY: Pair = (None, None)
RULES_FILE = data_path("events", "actor_rules.toml")
VICTIMS = ("armed", "civ", "unknown")


@functools.cache
def generic(role: str, country: str | None, day: str | None) -> Pair:
    """(name, inter) of ACLED's generic actor of a role: ("rioters", "Kenya") -> 'Rioters (Kenya)'."""
    rec = generic_actor(role, country, day)
    return rec["name"], rec.get("inter")


@dataclass
class Sides:
    """actor1 and actor2 as the rules leave them, and each one's associates."""
    one: Pair
    two: Pair
    assoc1: list[str]
    assoc2: list[str]


@dataclass
class Report:
    """What the rules read of the whole report, found once for all its events."""
    claimant: ActorMention | None  # the first named group that claims an attack
    suspects: dict[str, ActorMention]  # each named armed group's first mention, in order
    named: ActorMention | None  # the first mention of a named actor


def read_report(text: str, mentions: list[ActorMention]) -> Report:
    suspects: dict[str, ActorMention] = {}
    for m in mentions:
        if suspect_of(m):
            suspects.setdefault(m["actor"], m)
    return Report(claimant(text, mentions), suspects,
                  next((m for m in mentions if m["method"] != "generic" and m["actor"]), None))


@dataclass
class Facts:
    """What the rules read about one event (they change only the `Sides`)."""
    sub: str
    event_type: str
    told: str  # the event's own sentences
    mentions: list[ActorMention]  # the actor mentions of the event's own sentences
    report: Report
    group: list[Clause]
    country: str | None
    day: str | None
    found: list[Pair]  # the ranked parties the sentences name, strongest agent first
    first: Side | None  # the strongest agent as ranked, before any rule
    second: Side | None
    victims: str | None  # whom the violence hit: 'armed', 'civ' or None

    @property
    def state(self) -> Pair | None:
        """The state's forces among the parties named."""
        return next(((n, i) for n, i in self.found if i == STATE), None)

    def generic(self, role: str | None) -> Pair:
        return generic(role, self.country, self.day) if role else NOBODY


@dataclass(frozen=True)
class ActorRule:
    """One row of the rule table (see the header of actor_rules.toml)."""
    step: str
    why: str
    sub_event_types: frozenset[str] = frozenset()
    event_types: frozenset[str] = frozenset()
    except_sub_event_types: frozenset[str] = frozenset()
    victims: frozenset[str] = frozenset()
    unidentified: bool = False
    actor1: str | None = None
    actor2: str | None = None

    def applies(self, f: Facts) -> bool:
        if (self.sub_event_types or self.event_types) and not (
                f.sub in self.sub_event_types or f.event_type in self.event_types):
            return False
        if f.sub in self.except_sub_event_types:
            return False
        if self.victims and (f.victims or "unknown") not in self.victims:
            return False
        return not self.unidentified or bool(UNIDENTIFIED_RE.search(f.told))


def hit_only_is_target(s: Sides, f: Facts, rule: ActorRule) -> None:
    a1 = f.first
    if a1 is not None and f.second is None and a1.agent == 0 and a1.hit > 0:
        s.one, s.two = NOBODY, s.one


def forces_near_blast_are_target(s: Sides, f: Facts, rule: ActorRule) -> None:
    a1 = f.first
    if s.one[1] == STATE and a1 is not None and a1.agent == 0 and (s.two[0] is None or s.two[1] == CIVILIANS):
        s.one, s.two = NOBODY, s.one


def _named_in_crowd(f: Facts, crowd: str | None) -> list[str]:
    return [n for n, i in f.found if i not in (STATE, *CROWDS) and n != crowd]


def crowd_acts(s: Sides, f: Facts, rule: ActorRule) -> None:
    crowd = f.generic(rule.actor1)
    s.one, s.assoc1 = crowd, _named_in_crowd(f, crowd[0]) + s.assoc1
    s.two = f.state or NOBODY


def police_intervene(s: Sides, f: Facts, rule: ActorRule) -> None:
    if f.state is None and f.country:
        s.two = f.generic(rule.actor2)


def mob_victims(s: Sides, f: Facts, rule: ActorRule) -> None:
    if f.state is None and (f.victims != "armed" or not _named_in_crowd(f, s.one[0])):
        s.two = f.generic(rule.actor2)


def force_against_crowd(s: Sides, f: Facts, rule: ActorRule) -> None:
    s.one = f.state or (f.generic(rule.actor1) if f.country else NOBODY)
    s.two = f.generic(rule.actor2)


def armed_against_civilians(s: Sides, f: Facts, rule: ActorRule) -> None:
    armed = [(n, i) for n, i in f.found if i not in CROWDS]
    s.one = armed[0] if armed else NOBODY
    # "two al Shabaab members killed by police": a named armed party hit is actor2, not civilians
    s.two = armed[1] if len(armed) > 1 and f.victims == "armed" else f.generic(rule.actor2)


def harmed_are_civilians(s: Sides, f: Facts, rule: ActorRule) -> None:
    if s.two[0] is None and civilians_harmed(f.told):
        s.two = f.generic(rule.actor2)


def civilians_are_victims(s: Sides, f: Facts, rule: ActorRule) -> None:
    if s.one[1] != CIVILIANS:
        return
    if s.two[0] is not None and s.two[1] != CIVILIANS:
        s.one, s.two = s.two, s.one
    else:
        s.one, s.two = NOBODY, s.one


def unidentified_perpetrator(s: Sides, f: Facts, rule: ActorRule) -> None:
    if s.one[0] is None:
        s.one = f.generic(rule.actor1)


def unidentified_opponent(s: Sides, f: Facts, rule: ActorRule) -> None:
    (n1, i1), (n2, _) = s.one, s.two
    if n1 is not None and n2 is None and not n1.startswith("Unidentified") and i1 in (STATE, EXTERNAL):
        s.two = f.generic(rule.actor2)


def claimed_responsibility(s: Sides, f: Facts, rule: ActorRule) -> None:
    if f.report.claimant is None:
        return
    named = in_country(f.report.claimant, f.country, None)
    claimant = named["actor"], named["inter"]
    if claimant[0] in (s.one[0], s.two[0]):
        return
    if s.one[0] is None or s.one[0].startswith("Unidentified Armed Group"):
        s.one = claimant
    elif s.two[0] is None:  # "Al Shabaab claimed to have killed two Kenyan police"
        s.one, s.two = claimant, s.one


def suspected(s: Sides, f: Facts, rule: ActorRule) -> None:
    if s.one[0] is None or not s.one[0].startswith("Unidentified Armed Group"):
        return
    suspect = suspected_group(f.mentions, f.report.suspects, (s.one[0], s.two[0]))
    if suspect:
        named = in_country(suspect, f.country, f.day)
        s.one = named["actor"], named["inter"]


def police_arrest(s: Sides, f: Facts, rule: ActorRule) -> None:
    if s.one[0] is None and f.country:
        s.one = f.generic(rule.actor1)


def arrested_are_civilians(s: Sides, f: Facts, rule: ActorRule) -> None:
    if s.two[0] is None and s.one[0] is not None:
        s.two = f.generic(rule.actor2)


def disrupted_sides(s: Sides, f: Facts, rule: ActorRule) -> None:
    sides = [p for p in (s.one, s.two) if p[0] is not None]
    if f.country and not any(i == STATE for _, i in sides) and len(sides) < 2:
        sides.insert(0, f.generic(rule.actor1))
    if len(sides) < 2 and all(i == STATE for _, i in sides):
        sides.append(f.generic(rule.actor2))
    s.one, s.two = (sides + [NOBODY] * 2)[:2]


def named_actor_acts(s: Sides, f: Facts, rule: ActorRule) -> None:
    if s.one[0] is not None or s.two[0] is not None:
        return
    named = f.report.named and in_country(f.report.named, f.country, f.day)
    if named:
        s.one = named["actor"], named["inter"]


def actor1_first(s: Sides, f: Facts, rule: ActorRule) -> None:
    if s.one[0] is None and s.two[0] is not None:
        s.one, s.two = s.two, NOBODY


# step name -> (function, whether it fills actor1 from a role, whether it fills actor2 from a role)
STEPS: dict[str, tuple[Callable[[Sides, Facts, ActorRule], None], bool, bool]] = {
    "hit_only_is_target": (hit_only_is_target, False, False),
    "forces_near_blast_are_target": (forces_near_blast_are_target, False, False),
    "crowd_acts": (crowd_acts, True, False),
    "police_intervene": (police_intervene, False, True),
    "mob_victims": (mob_victims, False, True),
    "force_against_crowd": (force_against_crowd, True, True),
    "armed_against_civilians": (armed_against_civilians, False, True),
    "harmed_are_civilians": (harmed_are_civilians, False, True),
    "civilians_are_victims": (civilians_are_victims, False, False),
    "unidentified_perpetrator": (unidentified_perpetrator, True, False),
    "unidentified_opponent": (unidentified_opponent, False, True),
    "claimed_responsibility": (claimed_responsibility, False, False),
    "suspected_group": (suspected, False, False),
    "police_arrest": (police_arrest, True, False),
    "arrested_are_civilians": (arrested_are_civilians, False, True),
    "disrupted_sides": (disrupted_sides, True, True),
    "named_actor_acts": (named_actor_acts, False, False),
    "actor1_first": (actor1_first, False, False),
}
RULE_KEYS = frozenset(ActorRule.__dataclass_fields__)


@functools.cache
def actor_rules(path: str | None = None) -> tuple[ActorRule, ...]:
    """The rule table, checked: known steps, ACLED's type names, roles the actor dictionary knows.

    A rule that fails a check raises `DataFileError` naming the file and the line of its `[[rule]]`."""
    where = Path(path) if path else RULES_FILE
    rows = read_toml(where).get("rule")
    check(isinstance(rows, list) and bool(rows), where, "no [[rule]] tables")
    starts = [n for n, line in enumerate(where.read_text(encoding="utf-8").splitlines(), 1)
              if line.strip() == "[[rule]]"]
    return tuple(_checked_rule(row, where, starts[i] if i < len(starts) else None, i + 1)
                 for i, row in enumerate(rows))


def _checked_rule(row: dict, where: Path, line: int | None, n: int) -> ActorRule:
    name = f"rule {n} ({row.get('step')})"

    def need(ok: bool, problem: str) -> None:
        check(ok, where, f"{name}: {problem}", line)

    need(not set(row) - RULE_KEYS, f"unknown keys {sorted(set(row) - RULE_KEYS)}")
    need(isinstance(row.get("step"), str) and row["step"] in STEPS, f"unknown step (known: {', '.join(STEPS)})")
    need(isinstance(row.get("why"), str) and bool(row["why"].strip()), "no 'why'")
    for key, known in (("sub_event_types", SUB_EVENT_TYPES), ("event_types", EVENT_TYPES),
                       ("except_sub_event_types", SUB_EVENT_TYPES), ("victims", VICTIMS)):
        values = row.get(key, [])
        need(isinstance(values, list), f"{key} is not a list")
        unknown = [v for v in values if v not in known]
        need(not unknown, f"{key} holds unknown names {unknown}")
    need(isinstance(row.get("unidentified", False), bool), "unidentified is not true/false")
    _, needs1, needs2 = STEPS[row["step"]]
    for key, needed in (("actor1", needs1), ("actor2", needs2)):
        role = row.get(key)
        need((role is not None) == needed, f"{key} {'missing' if needed else 'not used by this step'}")
        need(role is None or (isinstance(role, str) and generic_actor(role) is not None),
             f"{key} {role!r} is not a role the actor dictionary names even without a country")
    sets = ("sub_event_types", "event_types", "except_sub_event_types", "victims")
    return ActorRule(**{**row, **{k: frozenset(row.get(k, ())) for k in sets}})


def set_actors(ev: dict, doc: Doc, group: list[Clause], country: str | None, day: str | None,
               dateline_spans: list[tuple[int, int]]) -> None:
    """actor1/actor2, their inter codes and associates, by ACLED's conventions for the sub-event type."""
    text = text_of(doc)
    mentions = layer(doc, "actor_mentions")
    by_start = once(doc, "mentions_by_start", lambda: ByStart(mentions, lambda m: (m["start"], m["end"])))
    report = once(doc, "actor_report", lambda: read_report(text, mentions))
    own = by_start.starting_in((c.start, c.end) for c in group)  # the mentions of the event's sentences
    in_event = [in_country(m, country, day) for m in own]
    clauses = [(c.start, c.end, c.trigger[0] if c.trigger else None, c.passive) for c in group]
    a1, a2, assoc1, assoc2 = rank_sides(actor_sides(text, in_event, clauses, dateline_spans))
    found = [(sd.actor, sd.inter) for sd in (a1, a2) if sd]
    one, two = (found + [NOBODY] * 2)[:2]
    sides = Sides(one, two, [sd.actor for sd in assoc1], [sd.actor for sd in assoc2])
    facts = Facts(ev["sub_event_type"], ev["event_type"], " ".join(text[c.start:c.end] for c in group),
                  own, report, group, country, day, found, a1, a2, said(group, "victims"))
    for rule in actor_rules():
        if rule.applies(facts):
            STEPS[rule.step][0](sides, facts, rule)
    (n1, i1), (n2, i2) = sides.one, sides.two
    ev.update(actor1=n1, inter1=i1, actor2=n2, inter2=i2,
              assoc_actor_1="; ".join(dict.fromkeys(x for x in sides.assoc1 if x not in (n1, n2))) or None,
              assoc_actor_2="; ".join(dict.fromkeys(x for x in sides.assoc2 if x not in (n1, n2))) or None)
