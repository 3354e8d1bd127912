"""A readable digest of one document's output, for people at a terminal (`--format summary`)."""
from __future__ import annotations

import textwrap

from .records import DocumentResult

WIDTH = 100


def _line(label: str, value: str, indent: int = 2) -> str:
    pad = " " * indent
    return textwrap.fill(value, WIDTH, initial_indent=f"{pad}{label}", subsequent_indent=pad + "  ")


def render_summary(res: DocumentResult) -> str:
    a = res.article
    out = [f"== {res.id}"]
    if res.error:
        return "\n".join(out + [f"  ERROR {res.error}", ""])
    out.append(f"  {a.outlet or 'unknown outlet'} | published {a.published or 'unknown'}"
               + (f" | {a.title}" if a.title else ""))
    out.append(f"  {len(a.text.split())} words, {len(a.links)} links, {len(a.images)} images")
    if res.events:
        out.append("  EVENTS")
        for e in res.events:
            where = ", ".join(x for x in (e.location, e.admin1, e.country) if x) or "place unknown"
            who = " vs ".join(x for x in (e.actor1, e.actor2) if x) or "actors unknown"
            fat = f"fatalities {e.fatalities}" + (
                f" (low {e.fatalities_low}, best {e.fatalities_best}, high {e.fatalities_high})"
                if e.fatalities_high is not None else "")
            out.append(_line(f"{e.event_id} ", f"{e.event_date or '????-??-??'} {e.event_type} / "
                             f"{e.sub_event_type} | {where} | {who} | {fat} | claims {','.join(e.claims) or '-'}", 4))
    if res.claims:
        out.append("  CLAIMS")
        for c in res.claims:
            who = c.speaker or "(unattributed)"
            side = f" for {c.speaker_actor}" if c.speaker_actor else ""
            figs = "; ".join(f"{f.qualifier or ''} {f.count} {f.category or ''} {f.victims or ''}".strip()
                             for f in c.figures)
            out.append(_line(f"{c.claim_id} ", f"[{c.kind}] {who}{side} {c.cue or ''}: \"{c.text}\""
                             + (f" [figures: {figs}]" if figs else ""), 4))
    if res.places:
        out.append(_line("PLACES ", "; ".join(
            f"{p.mention} ({p.admin1 + ', ' if p.admin1 else ''}{p.country or '?'})" for p in res.places)))
    if res.actors:
        out.append(_line("ACTORS ", "; ".join(f"{x.name} [{x.inter or '?'}]" for x in res.actors)))
    if res.relations:
        out.append(_line("RELATIONS ", "; ".join(f"{r.subject} {r.predicate} {r.object}" for r in res.relations)))
    if res.timexes:
        out.append(_line("DATES ", "; ".join(f"{t.text} = {t.value}" for t in res.timexes)))
    return "\n".join(out + [""])
