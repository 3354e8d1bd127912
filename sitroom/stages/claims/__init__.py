"""Claims stage: who says what, for which side, with which figures.

Writes `doc._.claims`: one contract CLAIM per attribution, in text order, ids c1, c2, ...

* direct quotes (marks paired in `quotes`), attributed to the cue verb and subject next
  to them (`parsed`), or to the speaker of the quote just before ("he added", a quote
  over paragraphs);
* indirect and agentless reporting: a cue verb (`data/claims/cues.json`) with its
  complement clause as content, its subject as speaker ("officials said ...",
  "it was reported that ...", "according to ...") — from the dependency parse, or
  from patterns when the model is missing (`patterns`);
* the outlet's own voice: assessments of claims ("the figures appear credible"),
  speculation ("it has been speculated that ... may"), and plain assertions that
  carry a casualty figure or an accusation (`outlet`).

Speakers, roles and parties come from `speakers`; figures from `sitroom.figures`; the
candidate type and per-document lookups every reader shares live in `candidates`.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ...document import ClaimRecord, FigureRecord
from ...figures import find_figures
from ...spans import ByStart
from .candidates import CTX_KEY, Cand, QuoteIndex, doc_context, doc_text, is_hedged
from .cues import lexicon
from .outlet import outlet_claims
from .parsed import dep_attributions, quote_claims
from .patterns import pattern_attributions, pattern_quote_claims
from .quotes import find_quotes
from .speakers import SpeakerMemory, speaker_actor

# The contract's `speaker` is the source as written ("he", "Mr. Podesta", "the spokesman");
# continuity ("he" = Oleg Ignasyuk) fills speaker_role / speaker_actor and the working key
# `speaker_resolved`.  True puts the resolved name in `speaker` instead (docs/decisions/claims.md).
RESOLVED_SPEAKER_IN_CONTRACT = False

# generic victims whose side a claim can name ("400 militants" in a quote about one group)
NON_STATE_VICTIMS = {"militants", "fighters", "insurgents", "rebels", "terrorists", "jihadists", "gunmen",
                     "extremists", "militiamen", "mercenaries", "separatists", "bandits"}
STATE_VICTIMS = {"soldiers", "troops", "servicemen", "personnel", "policemen", "police", "officers",
                 "marines", "paratroopers", "gendarmes", "servicemembers"}
PRIORITY = {"quote": 0, "dep": 1, "pattern": 2, "outlet": 3}


# ---------------------------------------------------------------- assembly

def _kind(c: Cand) -> str:
    lex = lexicon()
    if c.kind in ("quote", "assessment", "assertion"):
        if c.kind == "quote" and c.speaker is None:
            return "reported"
        return c.kind
    if c.lemma in lex.speculation or (c.agentless and c.lemma in ("expect", "believe", "think", "fear")):
        return "speculation"
    return c.kind


def _dedupe(cands: list[Cand]) -> list[Cand]:
    """One claim per cue; a quote absorbs the indirect reading of its own cue."""
    by_cue: dict[tuple[int, int], Cand] = {}
    rest: list[Cand] = []
    for c in sorted(cands, key=lambda c: PRIORITY[c.origin]):
        if c.extra.get("absorbed"):
            continue
        if c.cue_span is None:
            rest.append(c)
            continue
        if c.cue_span in by_cue:
            continue
        by_cue[c.cue_span] = c
    out = list(by_cue.values()) + rest
    # identical contents from two cues ("said ... adding"): keep the first cue
    seen: set[tuple[int, int]] = set()
    final = []
    for c in sorted(out, key=lambda c: (c.start, PRIORITY[c.origin])):
        if (c.start, c.end) in seen:
            continue
        seen.add((c.start, c.end))
        final.append(c)
    return final


def _sentence_index(doc: Doc) -> dict[int, int]:
    return {s.start: i for i, s in enumerate(doc_context(doc).sents)}


def extract_claims(doc: Doc) -> list[ClaimRecord]:
    """The claims of one document (see the module docstring)."""
    if not doc.text.strip():
        return []
    try:
        return _extract(doc)
    finally:
        doc.user_data.pop(CTX_KEY, None)


def _extract(doc: Doc) -> list[ClaimRecord]:
    text = doc_text(doc)
    quotes = find_quotes(text)
    qidx = QuoteIndex(quotes, text)
    sent_index = _sentence_index(doc)
    if doc.has_annotation("DEP"):
        dep = dep_attributions(doc, qidx, sent_index)
        quoted = quote_claims(doc, quotes, qidx, sent_index, dep)
    else:
        dep = pattern_attributions(doc, qidx, sent_index)
        quoted = pattern_quote_claims(doc, quotes, qidx, sent_index, dep)
    cands = _dedupe(quoted + dep)
    taken = [c.cue_span for c in cands if c.cue_span] + [(c.start, c.end) for c in cands if c.origin == "quote"]
    cands += outlet_claims(doc, taken, sent_index, qidx)
    cands.sort(key=lambda c: (c.start, c.end))
    return _finish(doc, cands)


def _victim_side(fig: FigureRecord, named: ByStart, start: int, end: int) -> str | None:
    """The victims' side where the text says it: an actor named in the victims' phrase, or the
    only armed group (for 'militants') / state force (for 'soldiers') the claim names (`named`:
    the actor mentions that name a party)."""
    victims = (fig["victims"] or "").lower()
    if not victims:
        return None
    v0 = fig["start"] + max(0, fig["text"].lower().find(victims))
    v1 = v0 + len(victims)
    inside = named.overlapping(v0, v1)
    if inside:
        return inside[0]["actor"]
    head = victims.split()[-1]
    if head in NON_STATE_VICTIMS:
        want = lambda m: m["kind"] == "armed" or m["inter"] in ("Rebel group", "Political militia")  # noqa: E731
    elif head in STATE_VICTIMS:
        want = lambda m: m["inter"] == "State forces"  # noqa: E731
    else:
        return None
    sides = {m["actor"] for m in named.within(start, end) if want(m)}
    return sides.pop() if len(sides) == 1 else None


def _finish(doc: Doc, cands: list[Cand]) -> list[ClaimRecord]:
    """Speakers resolved, parties, figures, ids: the contract's CLAIM dicts."""
    text = doc_text(doc)
    mentions = ByStart(doc._.actor_mentions or [], lambda m: (m["start"], m["end"]))
    named = ByStart([m for m in mentions.items if m["actor"] and m["kind"] != "generic"],
                    lambda m: (m["start"], m["end"]))
    outlet = (doc._.article or {}).get("outlet")
    memory = SpeakerMemory()
    claims: list[ClaimRecord] = []
    for c in sorted(cands, key=lambda c: (c.cue_span or (c.start, c.end))[0]):
        written = c.speaker
        sp = resolved = written
        if written is not None:
            if written.actor is None:
                written.actor = speaker_actor(written, mentions)
            resolved = memory.resolve(c.sent_i, written)
            memory.remember(c.sent_i, resolved)
            # the contract's speaker is the mention as written; continuity fills role and party
            sp = resolved if RESOLVED_SPEAKER_IN_CONTRACT else written
        content = text[c.start:c.end]
        figures = []
        for f in find_figures(content):
            f = dict(f, start=f["start"] + c.start, end=f["end"] + c.start)
            if f["victim_actor"] is None:
                f["victim_actor"] = _victim_side(f, named, c.start, c.end)
            figures.append(f)
        speaker_actor_name = (sp.actor or resolved.actor) if sp is not None else None
        role = (sp.role or resolved.role) if sp is not None else None
        if c.kind in ("assessment", "assertion", "speculation") and sp is None and c.origin == "outlet":
            speaker_actor_name = outlet
        kind = _kind(c)
        claims.append({
            "claim_id": "",
            "kind": kind,
            "speaker": sp.text if sp is not None else None,
            "speaker_role": role,
            "speaker_actor": speaker_actor_name,
            "cue": c.cue,
            "text": content,
            "start": c.start,
            "end": c.end,
            "hedged": bool(c.hedged or c.agentless or kind in ("speculation",) or is_hedged(content)
                           or (c.lemma in ("claim", "allege"))),
            "figures": figures,
            "method": c.origin,
            "cue_start": c.cue_span[0] if c.cue_span else None,
            "cue_end": c.cue_span[1] if c.cue_span else None,
            "speaker_resolved": resolved.text if resolved is not None and resolved is not written else None,
        })
    claims.sort(key=lambda c: (c["start"], c["end"]))
    for n, c in enumerate(claims, 1):
        c["claim_id"] = f"c{n}"
    return claims


class ClaimsStage:
    def __init__(self, nlp: Language, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.claims = extract_claims(doc)
        return doc
