"""Time stage: temporal expressions found and normalized against the publication date.

Writes `doc._.timexes` (records {text, start, end, type, value} plus working keys
`rule` and `source`) and the `sitroom_timexes` span group.  Recognition is the rule
set of `temporal_rules` (plain regexes, so it works without a model); when the
English model is present its parser decides the tense that points an
under-specified date back or ahead and its counts/amounts keep "2000 troops" from
being a year.  Its DATE/TIME entities are not added: beyond the rules' spans they
are mostly ages and counts (measured in docs/decisions/time.md).
Which of these dates an event happened on is the events stage's question (`events.when`).
"""
from __future__ import annotations

from typing import Optional

from spacy.language import Language
from spacy.tokens import Doc, Token

from .. import timevalues as tv
from ..document import TIMEXES, TimexRecord, text_of
from .temporal_rules import Tense, find_timexes, text_tense

# verbs whose infinitive complement is still to come ("plans to meet on Friday")
FUTURE_VERBS = frozenset({"plan", "expect", "schedule", "intend", "hope", "want", "agree", "decide", "vow",
                          "promise", "threaten", "aim", "prepare", "go", "seek", "set", "pledge", "need",
                          "propose", "wish"})
FUTURE_AUX = frozenset({"will", "'ll", "’ll", "shall", "wo", "would", "'d"})
# modals that put an unperfected verb ahead ("could come as early as Tuesday"; not "could have come")
MODAL_AUX = frozenset({"may", "might", "should", "must"})
# verbs whose date is when the planned thing happens ("postponed until Tuesday", "set Nov. 10 as the deadline")
SCHEDULE_VERBS = frozenset({"schedule", "reschedule", "plan", "slate", "postpone", "delay", "extend",
                            "adjourn", "defer", "due"})
# verbs whose present tense reports rather than schedules ("says Friday")
REPORTING_VERBS = frozenset({"say", "tell", "report", "claim", "announce", "state", "add", "note", "insist", "deny",
                             "confirm", "accuse", "warn", "be", "have", "remain", "continue"})
# model entities that are counts or amounts: no bare year inside them
AMOUNT_LABELS = frozenset({"CARDINAL", "MONEY", "QUANTITY", "PERCENT", "ORDINAL"})
def _governing_verb(token: Token) -> Optional[Token]:
    tok = token
    for _ in range(6):
        if tok.pos_ in ("VERB", "AUX"):
            return tok
        if tok.head is tok:
            return None
        tok = tok.head
    return None


def _is_past(tok: Token) -> bool:
    return tok.tag_ == "VBD" or any(c.tag_ == "VBD" for c in tok.children if c.dep_ in ("aux", "auxpass"))


def verb_tense(token: Token, depth: int = 0) -> int:
    """-1/+1/0: the tense of the verb governing `token` (a timex head), from the parse."""
    if token.dep_ == "poss":
        return -1  # "Wednesday's ruling": a possessive date names something that happened
    tok = _governing_verb(token)
    if tok is None:
        return 0
    if tok.dep_ in ("acl", "amod") and tok.tag_ == "VBN":
        # a reduced relative names a past event ("the injunction issued Thursday"), unless it is a plan:
        # then its clause's tense decides ("a service planned for Saturday was canceled")
        if tok.lemma_.lower() not in SCHEDULE_VERBS:
            return -1
        return verb_tense(tok.head, depth + 1) if depth == 0 else 0
    auxes = [c for c in tok.children if c.dep_ in ("aux", "auxpass")]
    lowers = {a.lower_ for a in auxes}
    if lowers & FUTURE_AUX:
        return 1
    if lowers & MODAL_AUX and "have" not in lowers:
        return 1
    if tok.lemma_.lower() in SCHEDULE_VERBS and "had" not in lowers:
        return 1  # (a past perfect "had been scheduled to expire Friday" has already happened)
    if "to" in lowers and tok.tag_ == "VB":
        parent = tok.head
        if parent is tok or parent.pos_ not in ("VERB", "AUX", "ADJ"):
            return 0
        if parent.lemma_.lower() in FUTURE_VERBS:
            return 1
        if _is_past(parent):
            return -1
        return 1 if parent.tag_ in ("VBZ", "VBP", "JJ") else 0
    if _is_past(tok):
        return -1
    if tok.tag_ == "VBN" and (not auxes or any(a.lemma_ == "have" for a in auxes)):
        return -1
    if tok.lower_ == "going" and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "to":
        return 1
    if tok.tag_ in ("VBZ", "VBP") and not auxes and tok.lemma_.lower() not in REPORTING_VERBS:
        return 1  # a news present with a date is a schedule: "the talks open Monday"
    return 0


def doc_tense(doc: Doc) -> Tense:
    """A tense oracle: the parse when there is one, else (or when it is silent) text cues."""
    parsed = doc.has_annotation("DEP") and doc.has_annotation("TAG")
    text = text_of(doc)

    def tense(start: int, end: int) -> int:
        if parsed:
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is not None and len(span):
                t = verb_tense(span.root)
                if t:
                    return t
        return text_tense(text, start, end)
    return tense


def amount_spans(doc: Doc) -> tuple[tuple[int, int], ...]:
    return tuple((e.start_char, e.end_char) for e in doc.ents if e.label_ in AMOUNT_LABELS)


def annotate(doc: Doc) -> list[TimexRecord]:
    """The timex records of a doc (pure: reads doc.text, doc._.published and the model layers)."""
    dct = tv.parse_dct(doc._.published)
    timexes = find_timexes(text_of(doc), dct, tense=doc_tense(doc), blocked=amount_spans(doc))
    for t in timexes:
        t["source"] = "rules"
    return timexes


class TimeStage:
    def __init__(self, nlp: Language, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        timexes = annotate(doc)
        doc._.timexes = timexes
        spans = []
        for i, t in enumerate(timexes):
            span = doc.char_span(t["start"], t["end"], label=t["type"] or "DATE", alignment_mode="expand")
            if span is not None:
                span._.timex_index = i
                spans.append(span)
        doc.spans[TIMEXES] = spans
        return doc
