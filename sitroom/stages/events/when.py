"""When an event happened: ('YYYY-MM-DD', ACLED time_precision) from the time stage's timexes.

The time stage's `event_date` decides; a month or vaguer answer gives way to a day the
sentence states, a dateline's date dates the report rather than the event, and a report
that states no date takes the time stage's convention for an undated report.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

from spacy.tokens import Doc

from ...document import layer, text_of
from ..temporal import UNDATED_OFFSET_DAYS, UNDATED_PRECISION
from ..temporal import event_date as timex_event_date

DATE_RE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?")
DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}")
CALENDAR_VALUE_RE = re.compile(r"^(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?$")
BACKGROUND_DAYS = 60  # an event dated this long before the report is background when newer ones exist


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
    for t in layer(doc, "timexes"):
        m = DAY_RE.match(str(t.get("value") or ""))
        if not m or not isinstance(t.get("start"), int) or not start <= t["start"] < end:
            continue
        d = parse_day(m.group(0))
        if d and (pub is None or d <= pub):
            out.append((t["start"], m.group(0)))
    return out


DATELINE_RE = re.compile(r"[A-Z][\w .'’-]{1,40},\s*[^\n]{0,40}?\s[-–—]\s")


def _dateline(text: str, pos: int) -> tuple[int, int] | None:
    """The dateline ("KYIV, March 3 (Reuters) - ") opening the paragraph that holds `pos`."""
    line = text.rfind("\n", 0, pos) + 1
    m = DATELINE_RE.match(text, line)
    return (m.start(), m.end()) if m and m.end() <= pos + 1 else None


def event_date(doc: Doc, start: int, end: int, sentence: tuple[int, int] | None = None) -> tuple[str, int] | None:
    """('YYYY-MM-DD', time_precision) of the event reported at [start, end).

    The time stage decides; a month or vaguer answer gives way to a day the sentence
    states ("On 9 July, civil servants protested over their June salaries"), and a
    month other than the report's is a background reference: the report is then undated."""
    res = timex_event_date(doc, start, end)
    if res is None or not DATE_RE.match(str(res[0] or "")):
        return undated(doc)
    dateline = _dateline(text_of(doc), start)
    if dateline and any(dateline[0] <= t.get("start", -1) < dateline[1] and str(t.get("value") or "")[:10] == res[0][:10]
                        for t in layer(doc, "timexes")):
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


def explicit_date(doc: Doc, start: int, end: int, trigger: tuple[int, int]) -> tuple[str, int] | None:
    """The date a sentence states for itself (None when it states none: then it inherits one)."""
    dated = [t for t in layer(doc, "timexes") if isinstance(t.get("start"), int)
             and start <= t["start"] < end and t.get("type", "DATE") in ("DATE", "TIME", None)
             and DATE_RE.match(str(t.get("value") or ""))]
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


def dated_long_before(timexes: list[dict], start: int, end: int, pub: date) -> bool:
    """'was retaken ... in September 2022': every calendar date of the sentence ended long before the report."""
    ends = [_period_end(str(t.get("value") or "")) for t in timexes if start <= t.get("start", -1) < end]
    ends = [e for e in ends if e is not None]
    return bool(ends) and all((pub - e).days > BACKGROUND_DAYS for e in ends)


def is_old(event: dict, pub: date) -> bool:
    """Whether an event is dated long before the report (`pub`): background when newer ones are reported."""
    d = parse_day(event.get("event_date"))
    return d is not None and (pub - d).days > BACKGROUND_DAYS
