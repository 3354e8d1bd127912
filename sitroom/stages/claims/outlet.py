"""Claims in the outlet's own voice: assessments of claims ("the figures appear credible"),
speculation ("it has been speculated that ... may"), and plain assertions that carry a
casualty figure or an accusation.
"""
from __future__ import annotations

import functools
import re

from spacy.tokens import Doc, Span

from ...figures import find_figures
from ...spans import ByStart
from .candidates import MIN_CONTENT_CHARS, Cand, QuoteIndex, doc_context, doc_text, is_hedged, trim_chars
from .cues import lexicon

# figure categories that make an outlet's sentence an assertion worth recording
ASSERTION_CATEGORIES = {"killed", "injured", "captured", "arrested", "displaced", "missing", "casualties"}


def outlet_claims(doc: Doc, taken: list[tuple[int, int]], sent_index: dict[int, int],
                  qidx: QuoteIndex) -> list[Cand]:
    """Assessments, speculation and figure/accusation assertions in the outlet's own voice."""
    lex = lexicon()
    out: list[Cand] = []
    claimed = ByStart(taken, lambda span: span)
    for sent in doc_context(doc).sents:
        s, e = trim_chars(doc_text(doc), sent.start_char, sent.end_char)
        while e > s and doc_text(doc)[e - 1] in ".!?\"”":
            e -= 1
        if e - s < 10 or qidx.at(s + 1) is not None:
            continue
        low = sent.text.lower()
        s_i = sent_index.get(sent.start, 0)
        covered = bool(claimed.overlapping(s, e))
        hit = _assessment(sent, lex)
        if hit:
            out.append(Cand(kind="assessment", start=s, end=e, cue=hit[0], cue_span=hit[1], origin="outlet",
                            sent_i=s_i, hedged=True))
            continue
        spec = _speculation(sent, lex, low)
        if spec and not covered:
            out.append(Cand(kind="speculation", start=spec[2][0], end=spec[2][1], cue=spec[0], cue_span=spec[1],
                            origin="outlet", sent_i=s_i, hedged=True))
            continue
        if covered:
            continue
        figs = [f for f in find_figures(doc_text(doc)[s:e]) if f["category"] in ASSERTION_CATEGORIES]
        if figs or _accusation_re().search(low):
            out.append(Cand(kind="assertion", start=s, end=e, origin="outlet", sent_i=s_i,
                            hedged=is_hedged(doc_text(doc)[s:e])))
    return out


@functools.cache
def _accusation_re() -> re.Pattern:
    """Any accusation word of the lexicon, as a whole word (one pattern, compiled once)."""
    words = lexicon().accusations
    return re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b" if words else r"(?!)")


@functools.cache
def _assessment_re() -> re.Pattern:
    """'the figures appear credible', 'these claims seem highly exaggerated' (no parse needed)."""
    lex = lexicon()
    alt = lambda words: "|".join(sorted(map(re.escape, words), key=len, reverse=True))  # noqa: E731
    verbs = alt({v + suffix for v in lex.assessment_verbs for suffix in ("", "s", "ed")})
    return re.compile(rf"\b(?:{alt(lex.claim_nouns)})\s+(?P<cue>(?:{verbs})\s+(?:to\s+be\s+)?(?:\w+ly\s+)?"
                      rf"(?:{alt(lex.assessment_predicates)}))\b", re.I)


def _assessment(sent: Span, lex) -> tuple[str, tuple[int, int]] | None:
    """'The figures appear credible', 'the claim could not be independently verified'."""
    low = sent.text.lower()
    for ph in lex.verification_phrases:
        i = low.find(ph)
        if i >= 0:
            a = sent.start_char + i
            return doc_text(sent.doc)[a:a + len(ph)], (a, a + len(ph))
    m = _assessment_re().search(sent.text)
    if m is not None:
        a = sent.start_char + m.start("cue")
        b = sent.start_char + m.end("cue")
        return doc_text(sent.doc)[a:b], (a, b)
    for tok in sent:
        if tok.lemma_.lower() in lex.assessment_verbs and tok.pos_ in ("VERB", "AUX"):
            subj = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            pred = next((c for c in tok.children if c.dep_ in ("oprd", "acomp", "attr", "xcomp")), None)
            if subj is None or pred is None:
                continue
            if subj.lower_ in lex.claim_nouns and any(t.lower_ in lex.assessment_predicates for t in pred.subtree):
                end = pred.idx + len(pred) if pred.dep_ != "xcomp" else pred.right_edge.idx + len(pred.right_edge)
                return doc_text(sent.doc)[tok.idx:end], (tok.idx, end)
    return None


def _speculation(sent: Span, lex, low: str) -> tuple[str, tuple[int, int], tuple[int, int]] | None:
    """'It has been speculated that ...', 'X is expected to ...': (cue, cue span, content span)."""
    base = sent.start_char
    text = doc_text(sent.doc)
    for ph in lex.speculation_patterns:
        i = low.find(ph)
        if i >= 0:
            a = base + i
            cs = a + len(ph)
            m = re.match(r"\s*(?:that\b)?\s*", text[cs:sent.end_char])
            cs += m.end() if m else 0
            ce = trim_chars(text, cs, sent.end_char)[1]
            while ce > cs and text[ce - 1] in ".!?":
                ce -= 1
            if ce - cs >= MIN_CONTENT_CHARS:
                return text[a:a + len(ph)], (a, a + len(ph)), (cs, ce)
    for ph in lex.speculation_predicates:
        i = low.find(ph)
        if i >= 0:
            a = base + i
            s, e = trim_chars(text, sent.start_char, sent.end_char)
            while e > s and text[e - 1] in ".!?":
                e -= 1
            return text[a:a + len(ph)].strip(), (a, a + len(ph)), (s, e)
    return None
