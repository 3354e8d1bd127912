"""One event record from a group of sentences, and the order of a report's events.

`build_event` asks each question in turn (type, date, country, actors, place,
fatalities) and writes ACLED's fields with the claims and the evidence spans that
support them; `notes` writes ACLED's one-sentence summary. Events come most salient
first: the lead event of the article, then the others in text order; an event dated
long before the report is dropped when a recent one exists (history is not news).
"""
from __future__ import annotations

import re

from spacy.tokens import Doc

from ...acled import EXPLOSIONS, VIOLENCE_AGAINST_CIVILIANS, country_of
from ...distance import km
from ...document import EventRecord, layer, text_of
from ...spans import ByStart, SpanIndex
from .classify import event_type_of, merged_cues, territory_type
from .clause import Clause, once
from .cues import EVENT_GROUPS
from .fatalities import NO_FATALITY_TYPES, bombers_dead, fatalities
from .when import event_date, is_old, parse_day
from .where import event_country, place_fields
from .who import set_actors


def build_event(doc: Doc, group: list[Clause], sub: str, event_id: str, method: str = "rules") -> EventRecord:
    """One contract EVENT record from a group of sentences."""
    text = text_of(doc)
    anchor = group[0]
    trig = anchor.trigger or (anchor.start, anchor.end)
    dated = next((c for c in group if c.date), None)
    when = dated.date if dated else event_date(doc, *trig, sentence=(anchor.start, anchor.end))
    day, precision = (when if when else (None, None))
    spans = [(c.start, c.end) for c in group]
    mentions = layer(doc, "actor_mentions")
    actor_spans = once(doc, "actor_spans", lambda: SpanIndex((m["start"], m["end"]) for m in mentions))
    iso2 = event_country(doc, spans, mentions)
    country = country_of(iso2)
    country_name, iso = country if country else (None, None)
    ev: dict = {"event_id": event_id, "event_date": day, "time_precision": precision,
                "event_type": event_type_of(sub), "sub_event_type": sub}
    dateline_spans = once(doc, "dateline_spans",
                          lambda: SpanIndex((d["start"], d["end"]) for d in layer(doc, "datelines")))
    set_actors(ev, doc, group, country_name, day, dateline_spans)
    if method != "model":  # the rules' and the typer's labels; a user's model learned its own convention
        ev["sub_event_type"] = territory_type(sub, ev["actor1"], ev["inter1"])
        ev["event_type"] = event_type_of(ev["sub_event_type"])
    told = [(c.start, c.end) for c in group if not c.retold]  # a retelling gives the day and the evidence
    ev.update(place_fields(doc, iso2, told, actor_spans, dateline_spans))
    ev.update(country=country_name, iso=iso)
    fat, low, best, high, figures = fatalities(text, told)
    if not figures and len(told) < len(spans):  # a retelling's figures only when nothing else gives one
        fat, low, best, high, figures = fatalities(text, spans)
    if merged_cues(group).has("NOCASUALTY") and not figures:
        fat, low, best, high = 0, 0, 0, 0
    if ev["sub_event_type"] in NO_FATALITY_TYPES:
        fat = 0  # the figures stay in low/best/high: reported, but not this event's dead
    elif ev["sub_event_type"] == "Suicide bomb":
        extra = bombers_dead(" ".join(text[a:b] for a, b in spans))
        if extra:
            fat, low, best, high = (fat + extra, *((v or 0) + extra for v in (low, best, high)))
    ev.update(fatalities=fat, fatalities_low=low, fatalities_best=best, fatalities_high=high)
    ev["civilian_targeting"] = ev["event_type"] == VIOLENCE_AGAINST_CIVILIANS or (
        ev["event_type"] == EXPLOSIONS and (ev["actor2"] or "").startswith("Civilians"))
    claims = once(doc, "claims", lambda: ByStart(layer(doc, "claims"), lambda c: (c["start"], c["end"])))
    ev["claims"] = [c["claim_id"] for c in claims.overlapping_any(spans) if c["kind"] != "speculation"]
    ev["evidence"] = [{"start": a, "end": b} for a, b in merge_spans(spans)]
    ev["notes"] = notes(ev)
    # working keys (dropped by the record model): why the event was typed so
    ev["method"] = method
    ev["cues"] = sorted({c.group for c in anchor.cues.cues if c.group in EVENT_GROUPS})
    return ev


TOLL_ONLY = frozenset({"KILL", "INJURE"})
SAME_EVENT_KM = 25  # two tellings this close, of one type and day, are one event (ACLED: one per place and day)


def same_event(a: EventRecord, b: EventRecord) -> bool:
    """Whether `b` retells `a`: the same event type, country and day (within one, or undated), and the
    same place (within SAME_EVENT_KM, or one of them without coordinates)."""
    if a["country"] and b["country"] and a["country"] != b["country"]:
        return False
    if a["event_type"] != b["event_type"] and not set(b.get("cues") or ()) <= TOLL_ONLY:
        return False  # a later sentence that tells only deaths or wounds ('put the toll at 93') retells any event
    da, db = parse_day(a["event_date"]), parse_day(b["event_date"])
    if da and db and abs((da - db).days) > 1:
        return False
    if None in (a["latitude"], a["longitude"], b["latitude"], b["longitude"]):
        return True
    return km(a["latitude"], a["longitude"], b["latitude"], b["longitude"]) <= SAME_EVENT_KM


def merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentence spans joined where they touch: the evidence of an event."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def order_events(events: list[EventRecord], published: str | None) -> list[EventRecord]:
    """Lead event first, then text order; long-past events only when nothing recent is reported."""
    pub = parse_day(published)
    if pub is None:
        return events
    recent = [e for e in events if not is_old(e, pub)]
    return recent if recent else events


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


def notes(ev: EventRecord) -> str:
    """One sentence in ACLED's style: 'On 3 May 2021, A attacked B in X (Region). 2 fatalities.'"""
    day = parse_day(ev["event_date"])
    when = f"On {day.day} {day:%B %Y}, " if day else ""
    a1, a2 = ev["actor1"] or "unidentified actors", ev["actor2"]
    sub = ev["sub_event_type"] or "Other"
    verb = VERB.get(sub, "acted against")
    if a2 and sub not in NO_OBJECT:
        act = f"{a1} {verb} {a2}"
    else:
        act = f"{a1} {re.sub(r' (?:with|against|from|of|by|at)$', '', verb)}"
        if sub in ("Remote explosive/landmine/IED",):
            act = f"{a1} {verb}"
    where = ""
    if ev["location"]:
        region = ", ".join(x for x in (ev["admin1"], ev["country"]) if x and x != ev["location"])
        where = f" {'near' if ev['geo_precision'] == 2 else 'in'} {ev['location']}" + (f" ({region})" if region else "")
    elif ev["country"]:
        where = f" in {ev['country']}"
    fat = ev["fatalities"]
    tail = f"; {fat} reported killed" if fat else ""
    if ev["fatalities_high"] and ev["fatalities_high"] != fat:
        tail += f" (reports up to {ev['fatalities_high']})"
    return f"{when}{act}{where}{tail}."
