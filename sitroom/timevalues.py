"""Calendar arithmetic and TIMEX3 value strings (pure functions, no spaCy).

TimeML/TIMEX3 values used here: ``2024-11-27`` (day), ``2024-11`` (month),
``2024-W48`` (ISO week), ``2024-W48-WE`` (weekend), ``2024-Q4`` (quarter),
``2024-H2`` (half), ``2024-SU`` (season), ``2024`` (year), ``201`` (decade),
``20`` (century), ``2024-11-27T07:50`` / ``2024-11-27TMO`` (times),
``P3D`` / ``PT5H`` / ``PXY`` (durations), ``PRESENT_REF`` / ``PAST_REF`` /
``FUTURE_REF``.  Granularities are the keys of `UNIT_CODES`.
"""
from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

# duration unit -> (TIMEX3 code, is a time-of-day unit (needs the "T" designator))
UNIT_CODES: dict[str, tuple[str, bool]] = {
    "second": ("S", True), "minute": ("M", True), "hour": ("H", True),
    "day": ("D", False), "week": ("W", False), "fortnight": ("W", False), "month": ("M", False),
    "quarter": ("Q", False), "year": ("Y", False), "decade": ("Y", False),
    "century": ("Y", False), "millennium": ("Y", False), "weekend": ("D", False),
}
# multiplier turning a unit into its TIMEX3 code's unit (a decade is ten years)
UNIT_FACTOR: dict[str, int] = {"decade": 10, "century": 100, "millennium": 1000, "fortnight": 2, "weekend": 2}
# vague-count codes for plural units without a number ("for years" -> PXY)
VAGUE_CODES: dict[str, str] = {"decade": "E", "century": "C", "millennium": "L"}

SEASONS: dict[str, str] = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
# first month of each season (northern hemisphere, meteorological)
SEASON_START: dict[str, int] = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
PARTS_OF_DAY: dict[str, str] = {"morning": "TMO", "afternoon": "TAF", "evening": "TEV", "night": "TNI",
                                "overnight": "TNI", "tonight": "TNI", "daytime": "TDT", "midday": "T12:00",
                                "noon": "T12:00", "midnight": "T24:00", "dawn": "TMO", "daybreak": "TMO",
                                "dusk": "TEV", "sunset": "TEV", "sunrise": "TMO", "lunchtime": "T12:00"}

DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def parse_day(value: str | None) -> date | None:
    """The day a value names ('2024-11-27', '2024-11-27T07:50', '2024-11-27TMO'), else None."""
    if not value:
        return None
    m = DATE_RE.match(value)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def day(d: date) -> str:
    return d.isoformat()


def month(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


def week(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y:04d}-W{w:02d}"


def weekend(d: date) -> str:
    return week(d) + "-WE"


def quarter_of(d: date) -> int:
    return (d.month - 1) // 3 + 1


def add_months(y: int, m: int, n: int) -> tuple[int, int]:
    k = y * 12 + (m - 1) + n
    return k // 12, k % 12 + 1


def add_quarters(y: int, q: int, n: int) -> tuple[int, int]:
    k = y * 4 + (q - 1) + n
    return k // 4, k % 4 + 1


def safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def shift_day(d: date, n: int, unit: str) -> date:
    """`d` moved by n units (month/year arithmetic clamps the day: Mar 31 - 1 month = Feb 28/29)."""
    if unit in ("day",):
        return d + timedelta(days=n)
    if unit in ("week", "fortnight"):
        return d + timedelta(weeks=n * UNIT_FACTOR.get(unit, 1))
    months = {"month": 1, "quarter": 3, "year": 12, "decade": 120, "century": 1200}.get(unit)
    if months is None:
        return d
    y, m = add_months(d.year, d.month, n * months)
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def at_granularity(d: date, unit: str) -> str:
    """The value naming the `unit`-sized period that holds `d`."""
    if unit in ("day", "hour", "minute", "second"):
        return day(d)
    if unit in ("week", "fortnight"):
        return week(d)
    if unit == "weekend":
        return weekend(d)
    if unit == "month":
        return month(d.year, d.month)
    if unit == "quarter":
        return f"{d.year:04d}-Q{quarter_of(d)}"
    if unit == "decade":
        return f"{d.year // 10:03d}"
    if unit == "century":
        return f"{d.year // 100:02d}"
    return f"{d.year:04d}"


def duration(n: float | None, unit: str) -> str:
    """TIMEX3 duration: (2, 'year') -> 'P2Y', (24, 'hour') -> 'PT24H', (None, 'year') -> 'PXY'."""
    code, is_time = UNIT_CODES.get(unit, ("X", False))
    prefix = "PT" if is_time else "P"
    if n is None:
        return prefix + "X" + VAGUE_CODES.get(unit, code)
    n = n * UNIT_FACTOR.get(unit, 1)
    if n != int(n):  # 2.5 years -> P2Y6M, 1.5 hours -> PT1H30M
        whole, frac = int(n), n - int(n)
        sub = {"Y": (12, "M"), "M": (30, "D"), "D": (24, "H"), "W": (7, "D"), "H": (60, "M"), "Q": (3, "M")}.get(code)
        if sub and not (is_time and code == "M"):
            sub_n = round(frac * sub[0])
            sub_prefix = "T" if (not is_time and sub[1] == "H") else ""
            head = f"{whole}{code}" if whole else ""
            return f"{prefix}{head}{sub_prefix}{sub_n}{sub[1]}"
        if is_time and code == "M":
            return f"PT{whole}M{round(frac * 60)}S" if whole else f"PT{round(frac * 60)}S"
        n = round(n)
    return f"{prefix}{int(n)}{code}"


def weekday_near(anchor: date, weekday: int, direction: int) -> date:
    """The `weekday` (0=Monday) nearest `anchor` in `direction` (-1 past, +1 future); the anchor's
    own weekday is the anchor itself (a Friday report's "on Friday" is that day)."""
    if direction > 0:
        return anchor + timedelta(days=(weekday - anchor.weekday()) % 7)
    return anchor - timedelta(days=(anchor.weekday() - weekday) % 7)


# How far a tense cue may point an under-specified date back or ahead; beyond it the reading nearest
# the publication date wins ("extended to Nov. 16" in a past-tense October sentence is this November).
# A past-tense "in March" is the last March even ten months back (news narrates the months behind it);
# a future-tense month is rarely more than half a year ahead.
HORIZON_DAYS = 270
HORIZON_PAST_MONTHS = 11
HORIZON_FUTURE_MONTHS = 6


def month_near(anchor: date, m: int, direction: int) -> tuple[int, int]:
    """(year, month) of month `m` nearest `anchor`, in `direction` when that lies within the horizon."""
    past = anchor.year if m <= anchor.month else anchor.year - 1
    future = anchor.year if m >= anchor.month else anchor.year + 1
    gap_past = (anchor.year - past) * 12 + anchor.month - m
    gap_future = (future - anchor.year) * 12 + m - anchor.month
    if direction < 0 and gap_past <= HORIZON_PAST_MONTHS:
        return past, m
    if direction > 0 and gap_future <= HORIZON_FUTURE_MONTHS:
        return future, m
    return (past, m) if gap_past <= gap_future else (future, m)


def pick_near(anchor: date, cands: list[date], direction: int) -> date | None:
    """The candidate in `direction` from `anchor` when it lies within the horizon, else the nearest
    (ties go to the past: news reports more than it announces)."""
    if not cands:
        return None
    past = [c for c in cands if c <= anchor]
    future = [c for c in cands if c >= anchor]
    if direction < 0 and past and (anchor - max(past)).days <= HORIZON_DAYS:
        return max(past)
    if direction > 0 and future and (min(future) - anchor).days <= HORIZON_DAYS:
        return min(future)
    return min(cands, key=lambda c: (abs((c - anchor).days), c > anchor))


def month_day_near(anchor: date, m: int, d: int, direction: int) -> date | None:
    """The date `m`/`d` (year unknown) nearest `anchor`, in `direction` within the horizon."""
    return pick_near(anchor, [c for c in (safe_date(anchor.year + k, m, d) for k in (-1, 0, 1)) if c], direction)


def season_near(anchor: date, code: str, direction: int, strict: bool = False) -> str:
    """Season value ('2024-SU') for `anchor`: direction 0 is the anchor year's season ("this
    summer"); -1/+1 the occurrence last begun / next to come, `strict` skipping a current one
    ("last summer" said in July is the previous year's).  Winter belongs to the year it starts in."""
    start_m = SEASON_START[code]
    if direction == 0:
        y = anchor.year - 1 if (code == "WI" and anchor.month <= 2) else anchor.year
        return f"{y:04d}-{code}"
    y = anchor.year if anchor.month >= start_m else anchor.year - 1  # last begun occurrence
    begin = date(y, start_m, 1)
    current = begin <= anchor < shift_day(begin, 3, "month")
    if direction < 0:
        y -= 1 if (strict and current) else 0
    else:
        y += 1 if (strict or not current) else 0
    return f"{y:04d}-{code}"


def easter(y: int) -> date:
    """Gregorian Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = y % 19, y // 100, y % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l) // 451
    mo = (h + l - 7 * m + 114) // 31
    return date(y, mo, (h + l - 7 * m + 114) % 31 + 1)


def nth_weekday(y: int, m: int, weekday: int, n: int) -> date:
    """The n-th `weekday` of a month (n=-1: the last one)."""
    if n > 0:
        first = date(y, m, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = date(y, m, calendar.monthrange(y, m)[1])
    return last - timedelta(days=(last.weekday() - weekday) % 7)


# the month in the middle of a quarter / season ("2024-Q4" -> November)
QUARTER_MID_MONTH = {1: 2, 2: 5, 3: 8, 4: 11}
SEASON_MID_MONTH = {"SP": 4, "SU": 7, "FA": 10, "WI": 1}


def range_midpoint(value: str) -> tuple[date, int] | None:
    """(representative day, ACLED time_precision) of a DATE/TIME value: a day is itself (1); a
    week or weekend its middle (2); a month its 15th (3), a quarter or season its middle month's
    15th (3).  Years, decades and vague values give None (coarser than ACLED codes)."""
    d = parse_day(value)
    if d:
        return d, 1
    value = value or ""
    m = re.match(r"^(\d{4})-W(\d{2})(-WE)?$", value)
    if m:
        try:
            monday = date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
        except ValueError:
            return None
        return monday + timedelta(days=5 if m.group(3) else 2), 2
    m = re.match(r"^(\d{4})-(\d{2})$", value)
    if m and 1 <= int(m.group(2)) <= 12:
        return date(int(m.group(1)), int(m.group(2)), 15), 3
    m = re.match(r"^(\d{4})-(?:Q([1-4])|(SP|SU|FA|WI))$", value)
    if m:
        y = int(m.group(1))
        mid = QUARTER_MID_MONTH[int(m.group(2))] if m.group(2) else SEASON_MID_MONTH[m.group(3)]
        if m.group(3) == "WI":
            y += 1  # winter 2024 runs Dec 2024 - Feb 2025
        return date(y, mid, 15), 3
    return None


def period_start(value: str) -> date | None:
    """The first day of the period a DATE value names (day, week, month, quarter, season)."""
    d = parse_day(value)
    if d:
        return d
    mid = range_midpoint(value)
    if mid is None:
        return None
    day_, precision = mid
    if re.match(r"^\d{4}-W", value):
        return day_ - timedelta(days=day_.weekday())
    if re.match(r"^\d{4}-\d{2}$", value):
        return day_.replace(day=1)
    return shift_day(day_.replace(day=1), -1, "month")  # a quarter or season: three months around the middle


def is_coarse(value: str | None) -> bool:
    """A year, half-year, decade or century ('2016', '2016-H1', '201X', '19'): coarser than a month."""
    return bool(re.match(r"^\d{2,4}X*(?:-H[12])?$", value or ""))


def parse_dct(published: str | None) -> date | None:
    """The document creation time from 'YYYY-MM-DD...' (None if absent or malformed)."""
    if not published:
        return None
    try:
        return date.fromisoformat(str(published)[:10])
    except ValueError:
        return None
