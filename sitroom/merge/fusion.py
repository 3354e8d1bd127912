"""The merged event: one record from many reports, with the spread of their fatality figures.

Fields are decided by vote, one vote per independent source group, so reprints do not
outvote a monitor; the place comes from the most precise report, the actor pair from the
most reported one. Fatality figures come from the reports' claims, keyed by *provenance*
(who gave the figure: the claim's speaker_actor, else its speaker, else the article's
source group), so one monitor quoted by five outlets is one figure. A party to the event
counting the other side's dead is *partisan*; the rest are *credible*. ACLED's
conservative rule gives `fatalities` = the lowest credible figure; `fatalities_low/high`
span every figure; `contested` is set when figures from different provenances cannot
both be true.
"""
from __future__ import annotations

import hashlib
import math
from collections import Counter
from typing import Iterable, Sequence

from ..acled import BATTLES, EXPLOSIONS, PROTESTS, RIOTS, STRATEGIC, VIOLENCE_AGAINST_CIVILIANS
from .records import MergedEvent, Report, report_key
from .similarity import KIND_RANK, normalize, parties, place_kind, place_link, same_actor, side_of, split_actors
from .sources import independent_groups

AGREE_TOLERANCE = 0.15  # figures within 15% of each other agree ("about 40" vs "45")
FIGURE_CATEGORIES = ("killed", "dead", "fatalities", "deaths")  # the categories that count as fatalities
# when reports disagree on the type, the more specific violent reading wins a tie
TYPE_PRIORITY = (BATTLES, EXPLOSIONS, VIOLENCE_AGAINST_CIVILIANS, RIOTS, PROTESTS, STRATEGIC)
# victim words that mean "everyone killed", not one group of the dead
GENERIC_VICTIMS = frozenset({"", "people", "persons", "person", "individuals", "dead", "deaths", "killed",
                             "fatalities", "lives", "victims", "casualties"})


# --- fatality figures ---------------------------------------------------------------------------
def figures_from_claims(event: dict, claims: dict[str, dict]) -> list[dict]:
    """Fatality figures of the claims an event cites, each with its speaker."""
    out = []
    for cid in event.get("claims") or []:
        claim = claims.get(cid)
        if not claim:
            continue
        for fig in claim.get("figures") or []:
            if fig.get("count") is None or (fig.get("category") or "killed") not in FIGURE_CATEGORIES:
                continue
            out.append({**{k: fig.get(k) for k in ("count", "count_high", "qualifier", "category", "victims",
                                                    "victim_actor")},
                        "speaker": claim.get("speaker"), "speaker_actor": claim.get("speaker_actor"),
                        "kind": claim.get("kind"), "claim_id": cid})
    return out


def _interval(part: dict) -> tuple[float, float]:
    """The values a reported figure allows ("at least 40" allows 40 and more)."""
    lo, hi = float(part["count"]), float(part.get("high") if part.get("high") is not None else part["count"])
    if part.get("qualifier") in ("at_least", "over"):
        return lo, math.inf
    if part.get("qualifier") == "at_most":
        return 0.0, hi
    return lo, hi


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    tol = 1 + AGREE_TOLERANCE
    return a[0] <= b[1] * tol + 1 and b[0] <= a[1] * tol + 1


def _disagree(a: dict, b: dict) -> bool:
    """Can two provenances' figures not both be true?"""
    if not a["partial"] and not b["partial"]:
        return not _overlap(_interval(a), _interval(b))
    if a["partial"] and b["partial"]:  # only counts of the same victims can contradict each other
        return any(not _overlap(_interval(a["parts"][v]), _interval(b["parts"][v]))
                   for v in a["parts"].keys() & b["parts"].keys())
    part, whole = (a, b) if a["partial"] else (b, a)
    return part["count"] > _interval(whole)[1] * (1 + AGREE_TOLERANCE) + 1  # a part larger than the whole


def _victim_key(fig: dict) -> str:
    """'' for a count of everyone killed; else whose dead it counts (a party, or e.g. 'civilians')."""
    if fig.get("victim_actor"):
        return side_of(fig["victim_actor"])
    victims = normalize(fig.get("victims"))
    return "" if victims in GENERIC_VICTIMS else victims


def provenance_figures(members: Sequence[Report], groups: dict[str, str]) -> list[dict]:
    """One figure per provenance (who gave it), with `partial`, `partisan` and `credible` flags.

    A provenance's figure is its count of everyone killed, or else the sum of its counts
    per victim group (then `partial`: a party's own dead is not the event's toll).  The
    same provenance relayed by several articles keeps its largest figure (tolls rise).
    """
    event_parties = sorted({p for r in members for p in parties(r.event)})
    acc: dict[tuple[str, bool], dict] = {}
    for r in sorted(members, key=report_key):
        figs = list(r.figures)
        if not figs:
            own = r.event.get("fatalities_best") or r.event.get("fatalities")
            if own:
                figs = [{"count": int(own), "count_high": r.event.get("fatalities_high"), "qualifier": None,
                         "speaker": None, "speaker_actor": None, "kind": "assertion", "claim_id": None}]
        for f in figs:
            actor = f.get("speaker_actor")
            if actor:
                prov, label = f"actor:{side_of(actor)}", actor
            elif f.get("speaker"):
                prov, label = f"speaker:{normalize(f['speaker'])}", f["speaker"]
            else:
                prov, label = f"source:{groups.get(r.doc_id, r.doc_id)}", r.article.outlet or r.doc_id
            party = bool(actor) and any(same_actor(actor, p) for p in event_parties)
            own_losses = party and bool(f.get("victim_actor")) and same_actor(f["victim_actor"], actor)
            partisan = party and not own_losses
            rec = acc.setdefault((prov, partisan), {
                "provenance": prov, "speaker": label, "partisan": partisan, "speculative": True,
                "doc_ids": set(), "claims": set(), "parts": {}})
            rec["speculative"] &= f.get("kind") == "speculation"
            rec["doc_ids"].add(r.doc_id)
            if f.get("claim_id"):
                rec["claims"].add(f"{r.doc_id}#{f['claim_id']}")
            vkey = _victim_key(f)
            count = int(f["count"])
            high = f.get("count_high")
            cur = rec["parts"].get(vkey)
            if cur is None or count > cur["count"]:
                rec["parts"][vkey] = {"count": count, "high": int(high) if high is not None else count,
                                      "qualifier": f.get("qualifier"),
                                      "victims": f.get("victim_actor") or f.get("victims")}
    out = []
    for key in sorted(acc):
        rec = acc[key]
        parts = rec["parts"]
        whole = parts.get("")
        specific = [p for k, p in sorted(parts.items()) if k]
        total = sum(p["count"] for p in specific)
        if whole is not None and whole["count"] >= total:
            count, high, qualifier = whole["count"], whole["high"], whole["qualifier"]
        else:
            quals = {p["qualifier"] for p in specific}
            count, high = total, sum(p["high"] for p in specific)
            qualifier = quals.pop() if len(quals) == 1 else "at_least"
        out.append({"provenance": rec["provenance"], "speaker": rec["speaker"], "count": count, "high": high,
                    "qualifier": qualifier, "partial": whole is None, "partisan": rec["partisan"],
                    "credible": not rec["partisan"] and not rec["speculative"],
                    "parts": {k or "all": v for k, v in sorted(parts.items())},
                    "doc_ids": sorted(rec["doc_ids"]), "claims": sorted(rec["claims"])})
    return out


def superseded(f: dict, pool: Sequence[dict]) -> bool:
    """Is this a lower bound that another figure meets ('at least 20' early on, '84 killed' later)?
    The early count of a toll that grew says nothing against the later one."""
    if f["partial"] or f["qualifier"] not in ("at_least", "over"):
        return False
    return any(g is not f and not g["partial"] and (
        g["count"] > f["count"] or (g["count"] == f["count"] and g["qualifier"] not in ("at_least", "over")))
        for g in pool)


def fatality_spread(figures: Sequence[dict]) -> dict:
    """ACLED's conservative figure and the spread across provenances.

    `fatalities`: the lowest credible toll, leaving out lower bounds that another credible
    figure meets ('at least 20' beside '84': a toll that grew), but never below what credible partial counts
    add up to (a side admitting 12 dead makes a toll of 10 impossible); 0 when no figure
    is credible (a belligerent's count of its enemy's dead alone), which then shows in `_high`.  `fatalities_low`/`_high`: the lowest
    toll and the highest figure anyone gave; `fatalities_best`: the lower median of the
    credible tolls.  `contested`: two provenances give figures that cannot both be true.
    """
    if not figures:
        return {"fatalities": None, "fatalities_low": None, "fatalities_best": None,
                "fatalities_high": None, "contested": False}
    pool = [f for f in figures if f["credible"]]
    if not pool:  # only partisan or speculative figures: nothing credible to count (the contract's 0 .. high)
        return {"fatalities": 0, "fatalities_low": 0, "fatalities_best": 0,
                "fatalities_high": max(max(f["count"], f["high"]) for f in figures),
                "contested": any(_disagree(a, b) for i, a in enumerate(figures) for b in figures[i + 1:])}
    wholes = sorted(f["count"] for f in pool if not f["partial"] and not superseded(f, pool))
    by_victim: dict[str, int] = {}
    for f in pool:
        if f["partial"]:
            for v, part in f["parts"].items():
                by_victim[v] = max(by_victim.get(v, 0), part["count"])
    floor = sum(by_victim.values())
    fatalities = max(wholes[0], floor) if wholes else floor
    all_wholes = [f["count"] for f in figures if not f["partial"]]
    contested = any(_disagree(a, b) for i, a in enumerate(figures) for b in figures[i + 1:])
    return {"fatalities": fatalities,
            "fatalities_low": min([fatalities, *all_wholes]),
            "fatalities_best": max(wholes[(len(wholes) - 1) // 2], floor) if wholes else fatalities,
            "fatalities_high": max([fatalities, *(max(f["count"], f["high"]) for f in figures)]),
            "contested": contested}


# --- the merged record ---------------------------------------------------------------------------
def _mode(values: Iterable, order: Sequence | None = None):
    """The most common non-empty value; ties go to the earliest in `order` (or first seen)."""
    vals = [v for v in values if v not in (None, "")]
    if not vals:
        return None
    counts = Counter(vals)
    top = max(counts.values())
    tied = [v for v in dict.fromkeys(vals) if counts[v] == top]
    if order:
        tied.sort(key=lambda v: order.index(v) if v in order else len(order))
    return tied[0]


def event_id_for(members: Sequence[Report]) -> str:
    """Stable while the cluster's lowest-keyed report stays in it."""
    first = min((r.doc_id, r.report_id) for r in members)
    return "ev-" + hashlib.sha1("\x1f".join(first).encode()).hexdigest()[:12]


def _voted_type(members: Sequence[Report], groups: dict[str, str]) -> str | None:
    """One vote per independent source group, so reprints do not outvote a monitor."""
    votes: dict[str, str] = {}
    for r in members:
        votes.setdefault(groups[r.doc_id], r.event.get("event_type"))
    return _mode(votes.values(), TYPE_PRIORITY)


def _typed(members: Sequence[Report], groups: dict[str, str], event_type: str | None) -> list[dict]:
    """The events of that type (all, if none has it), from the most-relayed source first (the wire
    a story spread from), then the earliest: the representative report comes first."""
    size = Counter(groups.values())
    ranked = sorted(members, key=lambda r: (-size[groups[r.doc_id]], report_key(r)))
    return [r.event for r in ranked if r.event.get("event_type") == event_type] or [r.event for r in ranked]


def _point(e: dict) -> tuple:
    return e.get("location"), e.get("latitude"), e.get("longitude")


def _place(members: Sequence[Report]) -> dict:
    """The report whose place is used: the place most reports agree with (their own place is it,
    or contains it), then the finest, then the most precise, then the most reported point;
    reports without coordinates only when none has any."""
    located = [r for r in members if r.event.get("latitude") is not None and r.event.get("longitude") is not None]
    pool = located or list(members)
    points = Counter(_point(r.event) for r in members)

    def support(r: Report) -> tuple:
        agree = sum(1 for m in members if m is r or place_link(r, m) in ("same", "within"))
        return (-agree, KIND_RANK[place_kind(r)], r.event.get("geo_precision") or 9, -points[_point(r.event)])

    return min(pool, key=support).event


def _pair(e: dict) -> tuple[str, ...]:
    return tuple(sorted(filter(None, (e.get("actor1"), e.get("actor2")))))


def _actors(typed: Sequence[dict], evs: Sequence[dict]) -> tuple[dict, list[str], list[str]]:
    """The lead report (the most reported actor pair, oriented as its first report has it) and
    the associated actors of each side, an ally kept with its side when a report swaps them."""
    pair = _mode(_pair(e) or None for e in typed)
    lead = next((e for e in typed if _pair(e) == pair), typed[0])
    assoc1, assoc2 = set(), set()
    for e in evs:
        swapped = (same_actor(e.get("actor1"), lead.get("actor2")) or same_actor(e.get("actor2"), lead.get("actor1"))) \
            and not same_actor(e.get("actor1"), lead.get("actor1"))
        first, second = ("assoc_actor_2", "assoc_actor_1") if swapped else ("assoc_actor_1", "assoc_actor_2")
        assoc1.update(split_actors(e.get(first)))
        assoc2.update(split_actors(e.get(second)))
    named = {lead.get("actor1"), lead.get("actor2")}
    return lead, sorted(assoc1 - named), sorted(assoc2 - named)


def _summary(reports: int, sources: int, spread: dict) -> str:
    """The notes' summary, e.g. 3 reports from 2 independent sources; fatality figures contested (10-40)."""
    summary = f"{reports} report{'s' * (reports != 1)} from {sources} independent source{'s' * (sources != 1)}"
    if spread["contested"]:
        summary += f"; fatality figures contested ({spread['fatalities_low']}-{spread['fatalities_high']})"
    return summary


FUSED_FIELDS = ("event_date", "event_type", "sub_event_type", "location", "actor1", "actor2")
REVISED_FIELDS = ("event_date", "fatalities")  # what later reports correct: the day and the toll


def _toll(members: Sequence[Report], groups: dict[str, str]) -> tuple[list[dict], dict]:
    """The reports' figures by provenance and their spread; 0 when none gives a figure but one
    reports the event as without deaths."""
    figures = provenance_figures(members, groups)
    spread = fatality_spread(figures)
    if spread["fatalities"] is None and any(r.event.get("fatalities") == 0 for r in members):
        spread.update(fatalities=0, fatalities_low=0, fatalities_best=0, fatalities_high=0)
    return figures, spread


def _fused_date(evs: Sequence[dict]) -> str | None:
    """The day most reports give; the earliest on a tie."""
    return _mode((e.get("event_date") for e in evs), sorted(e.get("event_date") for e in evs if e.get("event_date")))


def revisions(members: Sequence[Report], groups: dict[str, str]) -> list[dict]:
    """How the event's day and toll changed as its articles came out: one entry per field a later
    article changed, in publication order, with the value before and after (ACLED edits an event in
    place; this keeps what changed and when).

    Each state is the fusion of the articles out by then (the same rules as the event's own
    fields), so an early "at least 20" replaced by a later "84 killed" shows as 20 -> 84 on the
    later article's day. Articles without a publication date come last, by id.
    """
    by_article: dict[str, list[Report]] = {}
    for r in sorted(members, key=lambda r: (r.article.published is None, r.article.published or "", r.doc_id,
                                              r.report_id)):
        by_article.setdefault(r.doc_id, []).append(r)
    out: list[dict] = []
    seen: list[Report] = []
    before: dict | None = None
    for doc_id, reports in by_article.items():
        seen += reports
        state = {"event_date": _fused_date([r.event for r in seen]), "fatalities": _toll(seen, groups)[1]["fatalities"]}
        if before is not None:
            out += [{"as_of": reports[0].article.published, "doc_id": doc_id, "report_id": reports[0].report_id,
                     "field": name, "old": before[name], "new": state[name]}
                    for name in REVISED_FIELDS if state[name] != before[name]]
        before = state
    return out


def fusion_record(event: dict, members: Sequence[Report], groups: dict[str, str]) -> dict:
    """How each fused field was chosen: field -> the value, the reports that state it, the
    independent sources behind them, and the other values reports gave (the dissent).

    Reports are `doc_id#event_id`; a field no report states is left out.
    """
    out = {}
    for name in FUSED_FIELDS:
        said: dict = {}
        for r in members:
            value = r.event.get(name)
            if value not in (None, ""):
                said.setdefault(value, []).append(r)
        if not said:
            continue
        chosen = event.get(name)
        backing = said.get(chosen, [])
        out[name] = {"value": chosen, "reports": [f"{r.doc_id}#{r.report_id}" for r in backing],
                     "sources": len({groups[r.doc_id] for r in backing}),
                     "dissent": {str(v): [f"{r.doc_id}#{r.report_id}" for r in rs]
                                 for v, rs in sorted(said.items(), key=lambda kv: str(kv[0])) if v != chosen}}
    return out


def build_event(members: list[Report]) -> MergedEvent:
    """The merged event of a cluster of reports: ACLED columns, sources and the fatality spread."""
    members = sorted(members, key=report_key)
    groups = independent_groups(members)
    evs = [r.event for r in members]
    event_type = _voted_type(members, groups)
    typed = _typed(members, groups, event_type)
    geo = _place(members)
    lead, assoc1, assoc2 = _actors(typed, evs)
    figures, spread = _toll(members, groups)
    n_sources = len(set(groups.values()))
    claims = sorted({(r.doc_id, c) for r in members for c in (r.event.get("claims") or [])})
    notes = lead.get("notes") or next((e.get("notes") for e in evs if e.get("notes")), None)
    summary = _summary(len(members), n_sources, spread)
    event = {
        "event_id": event_id_for(members),
        "event_date": _fused_date(evs),
        "time_precision": min((e.get("time_precision") for e in evs if e.get("time_precision")), default=None),
        "event_type": event_type,
        "sub_event_type": _mode((e.get("sub_event_type") for e in typed)),
        "actor1": lead.get("actor1"), "assoc_actor_1": "; ".join(assoc1) or None, "inter1": lead.get("inter1"),
        "actor2": lead.get("actor2"), "assoc_actor_2": "; ".join(assoc2) or None, "inter2": lead.get("inter2"),
        "country": geo.get("country") or _mode(e.get("country") for e in evs),
        "iso": geo.get("iso") or _mode(e.get("iso") for e in evs),
        **{k: geo.get(k) for k in ("admin1", "admin2", "location", "latitude", "longitude", "geo_precision")},
        **spread,
        "civilian_targeting": any(bool(e.get("civilian_targeting")) for e in evs),
        "sources": n_sources,
        "reports": len(members),
        "outlets": sorted({r.article.outlet for r in members if r.article.outlet}),
        "doc_ids": sorted({r.doc_id for r in members}),
        "claims": [f"{d}#{c}" for d, c in claims],
        "figures": figures,
        "notes": f"{notes} [{summary}]" if notes else f"[{summary}]",
        "first_published": min((r.article.published for r in members if r.article.published), default=None),
        "last_ingested": max((r.article.ingested_at for r in members if r.article.ingested_at), default=None),
    }
    firsts: dict[str, str] = {}
    for r in members:  # members are in canonical order: the first report of each source stands for it
        firsts.setdefault(groups[r.doc_id], f"{r.doc_id}#{r.report_id}")
    event["independent_reports"] = sorted(firsts.values())
    event["fusion"] = fusion_record(event, members, groups)
    event["history"] = revisions(members, groups)
    return MergedEvent(event=event, members=members, groups=groups, claims=claims)
