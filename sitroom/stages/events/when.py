"""When an event happened: ('YYYY-MM-DD', ACLED time_precision) from the time stage's timexes.

`timex_event_date` decides from the timexes near the event; a month or vaguer answer gives way to a day the
sentence states, a dateline's date dates the report rather than the event, and a report
that states no date takes the time stage's convention for an undated report.
"""
from __future__ import annotations

import bisect
import re
from datetime import date, timedelta
from typing import Optional

from spacy.tokens import Doc

from ... import timevalues as tv
from ...document import EventRecord, TimexRecord, layer, text_of
from ...spans import ByStart
from .clause import once

DATE_RE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?")
DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}")
CALENDAR_VALUE_RE = re.compile(r"^(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?$")
BACKGROUND_DAYS = 31  # an event dated this long before the report is background when newer ones exist


def parse_day(value: str | None) -> date | None:
    """The day of an ISO value ('2024-11' is its 15th); None for anything else."""
    m = DATE_RE.match(value or "")
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3) or 15))
    except ValueError:
        return None


def undated(doc: Doc) -> tuple[str, int] | None:
    """The date of a report that states none: the time stage's convention (the day before
    publication, precision 2)."""
    pub = parse_day(doc._.published)
    if pub is None:
        return None
    return (pub - timedelta(days=UNDATED_OFFSET_DAYS)).isoformat(), UNDATED_PRECISION


def _day_timexes(doc: Doc, start: int, end: int) -> list[tuple[int, str]]:
    """(offset, 'YYYY-MM-DD') of the day-precise timexes in [start, end), none after publication."""
    pub = parse_day(doc._.published)
    out = []
    for t in _timexes(doc).starting(start, end):
        m = DAY_RE.match(t["value"] or "")
        if not m:
            continue
        d = parse_day(m.group(0))
        if d and (pub is None or d <= pub):
            out.append((t["start"], m.group(0)))
    return out


def _dateline(doc: Doc, pos: int) -> tuple[int, int] | None:
    """The dateline ("KYIV, March 3 (Reuters) - ") opening the paragraph that holds `pos`."""
    line = text_of(doc).rfind("\n", 0, pos) + 1
    datelines = once(doc, "datelines", lambda: ByStart(layer(doc, "datelines"), lambda d: (d["start"], d["end"])))
    return next(((d["start"], d["end"]) for d in datelines.within(line, pos + 1)), None)


def _timexes(doc: Doc) -> ByStart:
    """The report's timexes, found by offset (each event asks of its own sentences)."""
    timexes = layer(doc, "timexes")
    return once(doc, "timexes", lambda: ByStart(timexes, lambda t: (t["start"], t["end"])))


def event_date(doc: Doc, start: int, end: int, sentence: tuple[int, int] | None = None) -> tuple[str, int] | None:
    """('YYYY-MM-DD', time_precision) of the event reported at [start, end).

    The time stage decides; a month or vaguer answer gives way to a day the sentence
    states ("On 9 July, civil servants protested over their June salaries"), and a
    month other than the report's is a background reference: the report is then undated."""
    res = timex_event_date(doc, start, end)
    if res is None or not DATE_RE.match(str(res[0] or "")):
        return undated(doc)
    dateline = _dateline(doc, start)
    if dateline and any((t["value"] or "")[:10] == res[0][:10] for t in _timexes(doc).starting(*dateline)):
        # "KYIV, March 3 (Reuters) - ... on Saturday": the dateline dates the report, not the event
        days = [d for d in _day_timexes(doc, *(sentence or (start, end))) if d[0] >= dateline[1]]
        if days:
            return min(days, key=lambda d: abs(d[0] - start))[1], 1
    if (res[1] or 1) >= 3:
        days = _day_timexes(doc, *(sentence or (start, end)))
        if days:
            return min(days, key=lambda d: abs(d[0] - start))[1], 1
        pub = parse_day(doc._.published)
        if pub and str(res[0])[:7] != pub.isoformat()[:7]:
            return undated(doc)
    return str(res[0])[:10], res[1]


def explicit_date(doc: Doc, start: int, end: int, trigger: tuple[int, int],
                  timexes: list[TimexRecord] | None = None) -> tuple[str, int] | None:
    """The date a sentence states for itself (None when it states none: then it inherits one);
    `timexes`: the document's, or those of the sentence."""
    dated = [t for t in (layer(doc, "timexes") if timexes is None else timexes)
             if start <= t["start"] < end and t["type"] in ("DATE", "TIME") and DATE_RE.match(t["value"] or "")
             and not statement_day(doc, t)]
    if not dated:
        return None
    return event_date(doc, *trigger, sentence=(start, end))


def days_apart(a: tuple[str, int] | None, b: tuple[str, int] | None) -> int | None:
    """Days between two event dates, None when either is missing."""
    da, db = parse_day(a[0]) if a else None, parse_day(b[0]) if b else None
    if da is None or db is None:
        return None
    return abs((da - db).days)


def _period_end(value: str) -> date | None:
    """Last day of a calendar value ('2022', '2022-09', '2022-09-14'), None for anything else."""
    m = CALENDAR_VALUE_RE.match(value)
    if not m:
        return None
    y, mo, d = int(m["y"]), m["m"], m["d"]
    if d:
        return date(y, int(mo), int(d))
    if mo:
        return (date(y + (mo == "12"), int(mo) % 12 + 1, 1) - timedelta(days=1))
    return date(y, 12, 31)


def dated_long_before(timexes: list[TimexRecord], start: int, end: int, pub: date) -> bool:
    """'was retaken ... in September 2022': every calendar date of the sentence ended long before the report."""
    ends = [_period_end(t["value"] or "") for t in timexes if start <= t["start"] < end]
    ends = [e for e in ends if e is not None]
    return bool(ends) and all((pub - e).days > BACKGROUND_DAYS for e in ends)


def is_old(event: EventRecord, pub: date) -> bool:
    """Whether an event is dated long before the report (`pub`): background when newer ones are reported."""
    d = parse_day(event["event_date"])
    return d is not None and (pub - d).days > BACKGROUND_DAYS


# ---------------------------------------------------------------- the day the timexes give
# how far back the events stage may borrow a date from an earlier sentence of the same paragraph
PREVIOUS_SENTENCES = 2
# an event reported with no date: ACLED codes the report's day or the day before; we take the day
# before (most reports are of yesterday's events) with precision 2 ("within a day or two")
UNDATED_OFFSET_DAYS = 1
UNDATED_PRECISION = 2
# durations back from the DCT that place an event ("in the past 24 hours", "over the last week")
LOOKBACK = re.compile(r"\b(?:past|last|previous)\b", re.IGNORECASE)
MAX_LOOKBACK_DAYS = 14


# "..., the governor said Thursday": the day of the statement, not of the event it reports
SAID_BEFORE_RE = re.compile(r"\b(?:said|says|told(?:\s+[\w.'’-]+){0,3}|reported|announced|confirmed|added|stated|"
                            r"claimed|wrote|posted)\s+(?:on\s+|late\s+|early\s+)?$", re.I)


# "... was reported on November 29 to have launched a counteroffensive": the day is the event's
REPORTED_TO_HAVE_RE = re.compile(r"^\s*to (?:have|be)\b", re.I)


def statement_day(doc: Doc, t: TimexRecord) -> bool:
    """Whether a timex dates a statement ('officials said on Monday') rather than what happened."""
    text = text_of(doc)
    return (bool(SAID_BEFORE_RE.search(text[max(0, t["start"] - 40):t["start"]]))
            and not REPORTED_TO_HAVE_RE.match(text[t["end"]:t["end"] + 20]))


def timexes_in(doc: Doc, start_char: int, end_char: int) -> list[TimexRecord]:
    """The timex records lying inside [start_char, end_char)."""
    return [t for t in layer(doc, "timexes") if start_char <= t["start"] and t["end"] <= end_char]




def _sentence_bounds(doc: Doc, char: int) -> tuple[list[tuple[int, int]], int]:
    """All sentence (start, end) char bounds and the index of the one holding `char`."""
    bounds, starts = once(doc, "sentence_bounds", lambda: _bounds(doc))
    i = bisect.bisect_right(starts, char) - 1  # sentences are in order and never overlap
    if i >= 0 and bounds[i][0] <= char < bounds[i][1]:
        return bounds, i
    return bounds, max(0, len(bounds) - 1)


def _bounds(doc: Doc) -> tuple[list[tuple[int, int]], list[int]]:
    bounds = [(s.start_char, s.end_char) for s in doc.sents] if (
        doc.has_annotation("SENT_START") or doc.has_annotation("DEP")) else [(0, len(text_of(doc)))]
    return bounds, [s for s, _ in bounds]


def _anchor(t: TimexRecord, dct: Optional[date]) -> Optional[tuple[date, int]]:
    """(day, precision) a timex places an event on, or None when it names no usable time."""
    value = t["value"] or ""
    if t.get("anchor") is False:
        return None  # a day the text never stated ("late in the day" with nothing before it)
    if t.get("date"):  # "two days later": the duration moved the reference day
        d = tv.parse_day(t["date"])
        if d and (dct is None or d <= dct):
            return d, 1
    if t["type"] == "DURATION":
        if dct is None or not LOOKBACK.search(t["text"]):
            return None
        m = re.fullmatch(r"PT?(\d+)([DWH])", value)
        if not m:
            return None
        days = int(m.group(1)) * {"D": 1, "W": 7, "H": 1 / 24}[m.group(2)]
        if days > MAX_LOOKBACK_DAYS:
            return None
        back = max(1, int(round(days / 2)))
        return dct - timedelta(days=back), 1 if days <= 1 else 2
    if t["type"] not in ("DATE", "TIME"):
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


def _nearest(cands: list[tuple[TimexRecord, tuple[date, int]]], start: int, end: int) -> Optional[tuple[date, int]]:
    def dist(t: TimexRecord) -> int:
        if t["end"] <= start:
            return start - t["end"]
        if t["start"] >= end:
            return t["start"] - end
        return 0
    if not cands:
        return None
    return min(cands, key=lambda c: (dist(c[0]), c[1][1]))[1]


def timex_event_date(doc: Doc, start_char: int, end_char: int) -> Optional[tuple[str, int]]:
    """('YYYY-MM-DD', ACLED time_precision) for an event reported at [start_char, end_char).

    The timex nearest the trigger inside its sentence; else the last one in the (up to two)
    sentences before it in the same paragraph; else, for an undated report, the day before
    publication with precision 2 (ACLED codes the report's day or the day before).  A day is
    precision 1, a week 2 (its Wednesday), a month 3 (its 15th), a quarter or season 3 (its middle
    month); a lookback ("in the past 24 hours") is its middle.  Future days (plans) never date an
    event.  None when the sentence dates the event only to a year or coarser that is not the
    publication year ("in the mid-2010s", "in 2016": background, not codeable at ACLED precision),
    or when there is neither a date nor a publication date."""
    dct = tv.parse_dct(doc._.published)
    timexes = layer(doc, "timexes")
    if timexes:
        bounds, i = _sentence_bounds(doc, start_char)
        by_start = _timexes(doc)
        for k in range(0, PREVIOUS_SENTENCES + 1):
            if i - k < 0:
                break
            s, e = bounds[i - k]
            if k and "\n\n" in text_of(doc)[s:start_char]:
                break  # a new paragraph: do not borrow across it
            in_sentence = [t for t in by_start.starting(s, e) if not statement_day(doc, t)]
            cands = [(t, a) for t in in_sentence for a in [_anchor(t, dct)] if a]
            if cands:
                best = _nearest(cands, start_char, end_char) if k == 0 else max(cands, key=lambda c: c[0]["start"])[1]
                return tv.day(best[0]), best[1]
            if k == 0 and any(_is_background(t, dct) for t in in_sentence):
                return None
    if dct is None:
        return None
    return tv.day(dct - timedelta(days=UNDATED_OFFSET_DAYS)), UNDATED_PRECISION


def _is_background(t: TimexRecord, dct: Optional[date]) -> bool:
    """A DATE naming a year or coarser period other than the publication year."""
    value = t["value"] or ""
    if t["type"] != "DATE" or not tv.is_coarse(value):
        return False
    return dct is None or not value.startswith(f"{dct.year:04d}")
