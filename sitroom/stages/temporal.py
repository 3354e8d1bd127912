"""Time stage: temporal expressions found and normalized against the publication date.

Writes `doc._.timexes` (records {text, start, end, type, value} plus working keys
`rule` and `source`) and the `sitroom_timexes` span group.  Recognition is the rule
set of `temporal_rules` (plain regexes, so it works without a model); when the
English model is present its parser decides the tense that points an
under-specified date back or ahead and its counts/amounts keep "2000 troops" from
being a year.  Its DATE/TIME entities are not added: beyond the rules' spans they
are mostly ages and counts (measured in docs/decisions/time.md).

`event_date(doc, start, end)` is what the events stage calls: the date and
ACLED time_precision of an event reported at those characters.
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Optional

from spacy.language import Language
from spacy.tokens import Doc, Token

from ..document import TIMEXES, layer, text_of
from . import temporal_values as tv
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
# how far back the events stage may borrow a date from an earlier sentence of the same paragraph
PREVIOUS_SENTENCES = 2
# an event reported with no date: ACLED codes the report's day or the day before; we take the day
# before (most reports are of yesterday's events) with precision 2 ("within a day or two")
UNDATED_OFFSET_DAYS = 1
UNDATED_PRECISION = 2
# durations back from the DCT that place an event ("in the past 24 hours", "over the last week")
LOOKBACK = re.compile(r"\b(?:past|last|previous)\b", re.IGNORECASE)
MAX_LOOKBACK_DAYS = 14


def parse_dct(published: Optional[str]) -> Optional[date]:
    """The document creation time from 'YYYY-MM-DD...' (None if absent or malformed)."""
    if not published:
        return None
    try:
        return date.fromisoformat(str(published)[:10])
    except ValueError:
        return None


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


def annotate(doc: Doc) -> list[dict]:
    """The timex records of a doc (pure: reads doc.text, doc._.published and the model layers)."""
    dct = parse_dct(doc._.published)
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


# ------------------------------------------------------------------ for the events stage
def timexes_in(doc: Doc, start_char: int, end_char: int) -> list[dict]:
    """The timex records lying inside [start_char, end_char)."""
    return [t for t in layer(doc, "timexes") if start_char <= t["start"] and t["end"] <= end_char]


def _sentence_bounds(doc: Doc, char: int) -> tuple[list[tuple[int, int]], int]:
    """All sentence (start, end) char bounds and the index of the one holding `char`."""
    bounds = [(s.start_char, s.end_char) for s in doc.sents] if (
        doc.has_annotation("SENT_START") or doc.has_annotation("DEP")) else [(0, len(text_of(doc)))]
    for i, (s, e) in enumerate(bounds):
        if s <= char < e:
            return bounds, i
    return bounds, max(0, len(bounds) - 1)


def _anchor(t: dict, dct: Optional[date]) -> Optional[tuple[date, int]]:
    """(day, precision) a timex places an event on, or None when it names no usable time."""
    value = t.get("value") or ""
    if t.get("anchor") is False:
        return None  # a day the text never stated ("late in the day" with nothing before it)
    if t.get("date"):  # "two days later": the duration moved the reference day
        d = tv.parse_day(t["date"])
        if d and (dct is None or d <= dct):
            return d, 1
    if t.get("type") == "DURATION":
        if dct is None or not LOOKBACK.search(t.get("text", "")):
            return None
        m = re.fullmatch(r"PT?(\d+)([DWH])", value)
        if not m:
            return None
        days = int(m.group(1)) * {"D": 1, "W": 7, "H": 1 / 24}[m.group(2)]
        if days > MAX_LOOKBACK_DAYS:
            return None
        back = max(1, int(round(days / 2)))
        return dct - timedelta(days=back), 1 if days <= 1 else 2
    if t.get("type") not in ("DATE", "TIME"):
        return None
    res = tv.range_midpoint(value)
    if res is None:
        return None
    d, precision = res
    if dct is not None and d > dct:
        start = tv.period_start(value)
        if precision == 1 or (start and start > dct):
            return None  # events are reported after they happen; a future day or month is a plan
        d = dct  # this week / this month: the part already past
    return d, precision


def _nearest(cands: list[tuple[dict, tuple[date, int]]], start: int, end: int) -> Optional[tuple[date, int]]:
    def dist(t: dict) -> int:
        if t["end"] <= start:
            return start - t["end"]
        if t["start"] >= end:
            return t["start"] - end
        return 0
    if not cands:
        return None
    return min(cands, key=lambda c: (dist(c[0]), c[1][1]))[1]


def event_date(doc: Doc, start_char: int, end_char: int) -> Optional[tuple[str, int]]:
    """('YYYY-MM-DD', ACLED time_precision) for an event reported at [start_char, end_char).

    The timex nearest the trigger inside its sentence; else the last one in the (up to two)
    sentences before it in the same paragraph; else, for an undated report, the day before
    publication with precision 2 (ACLED codes the report's day or the day before).  A day is
    precision 1, a week 2 (its Wednesday), a month 3 (its 15th), a quarter or season 3 (its middle
    month); a lookback ("in the past 24 hours") is its middle.  Future days (plans) never date an
    event.  None when the sentence dates the event only to a year or coarser that is not the
    publication year ("in the mid-2010s", "in 2016": background, not codeable at ACLED precision),
    or when there is neither a date nor a publication date."""
    dct = parse_dct(doc._.published)
    timexes = layer(doc, "timexes")
    if timexes:
        bounds, i = _sentence_bounds(doc, start_char)
        for k in range(0, PREVIOUS_SENTENCES + 1):
            if i - k < 0:
                break
            s, e = bounds[i - k]
            if k and "\n\n" in text_of(doc)[s:start_char]:
                break  # a new paragraph: do not borrow across it
            in_sentence = [t for t in timexes if s <= t["start"] < e]
            cands = [(t, a) for t in in_sentence for a in [_anchor(t, dct)] if a]
            if cands:
                best = _nearest(cands, start_char, end_char) if k == 0 else max(cands, key=lambda c: c[0]["start"])[1]
                return tv.day(best[0]), best[1]
            if k == 0 and any(_is_background(t, dct) for t in in_sentence):
                return None
    if dct is None:
        return None
    return tv.day(dct - timedelta(days=UNDATED_OFFSET_DAYS)), UNDATED_PRECISION


def _is_background(t: dict, dct: Optional[date]) -> bool:
    """A DATE naming a year or coarser period other than the publication year."""
    value = t.get("value") or ""
    if t.get("type") != "DATE" or not tv.is_coarse(value):
        return False
    return dct is None or not value.startswith(f"{dct.year:04d}")
