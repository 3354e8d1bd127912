"""Words and regex building blocks for temporal expressions (English news).

Everything here is data: word tables and regex fragments that `temporal_rules`
assembles into its recognition rules.  Fragments are plain strings so that
rules can combine them; each names its capture group through `{g}` so one
rule can hold several of the same kind (``month_re("m1")``).
"""
from __future__ import annotations

from ..numbers import TENS_ANY_SPELLING, UNITS, alternation

MONTHS: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
# month names that are also common English words: only capitalised, and only in a date-like context
AMBIGUOUS_MONTHS = frozenset({"may", "march"})

WEEKDAYS: dict[str, int] = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5,
    "sunday": 6, "sun": 6,
}

UNIT_WORDS: dict[str, str] = {
    "second": "second", "seconds": "second", "sec": "second", "secs": "second",
    "minute": "minute", "minutes": "minute", "min": "minute", "mins": "minute",
    "hour": "hour", "hours": "hour", "hr": "hour", "hrs": "hour",
    "day": "day", "days": "day", "night": "day", "nights": "day",
    "week": "week", "weeks": "week", "fortnight": "fortnight", "fortnights": "fortnight",
    "month": "month", "months": "month", "quarter": "quarter", "quarters": "quarter",
    "year": "year", "years": "year", "yr": "year", "yrs": "year",
    "decade": "decade", "decades": "decade", "century": "century", "centuries": "century",
    "millennium": "millennium", "millennia": "millennium", "weekend": "weekend", "weekends": "weekend",
}

HOLIDAYS: dict[str, tuple[int, int] | str] = {
    # fixed (month, day), or a name computed in temporal_rules (easter, thanksgiving)
    "christmas": (12, 25), "christmas day": (12, 25), "christmas eve": (12, 24),
    "new year's day": (1, 1), "new year's eve": (12, 31), "new year": (1, 1), "new year's": (1, 1),
    "halloween": (10, 31), "valentine's day": (2, 14), "boxing day": (12, 26),
    "easter": "easter", "easter sunday": "easter", "easter monday": "easter+1", "good friday": "easter-2",
    "thanksgiving": "thanksgiving", "thanksgiving day": "thanksgiving",
}

# reference words (TIMEX3 PRESENT_REF / PAST_REF / FUTURE_REF), lower-case, single-spaced
PRESENT_WORDS = ("right now", "just now", "now", "currently", "current", "at present", "presently", "nowadays",
                 "these days", "at the moment", "this moment")
PAST_WORDS = ("recently", "recent", "lately", "previously", "the past", "earlier", "more recently", "most recently",
              "until recently")
FUTURE_WORDS = ("the near future", "the distant future", "the foreseeable future", "the future", "future", "soon",
                "the near term", "the short term", "the long term", "the medium term", "a later date")

# ------------------------------------------------------------------ regex fragments
_MONTH_FULL = "January|February|March|April|May|June|July|August|September|October|November|December"
# abbreviations need their dot, or a day number right after ("Jan 5")
_MONTH_ABBR = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)(?:\.|(?=\s+\d))"
_WEEKDAY_FULL = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_WEEKDAY_ABBR = r"(?:Mon|Tues|Tue|Wed|Thurs|Thur|Thu|Fri|Sat|Sun)\."

# number words from sitroom.numbers ("fourty" accepted, as in parse_number)
_ONE_NINE = alternation(UNITS, 1, 9)
_TEN_NINETEEN = alternation(UNITS, 10, 19)
_TENS = alternation(TENS_ANY_SPELLING, 20, 90)
_ONE_NINETY_NINE = rf"(?:{_TENS})(?:[\s-](?:{_ONE_NINE}))?|{_TEN_NINETEEN}|{_ONE_NINE}"
NUM_WORD = (rf"(?:{_ONE_NINETY_NINE}|zero|(?:a|one)\s+hundred|hundreds|a\s+dozen|dozen|a\s+half|half\s+a)")
NUM_DIGITS = r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?"
NUM = rf"(?:{NUM_DIGITS}|{NUM_WORD})(?:\s+and\s+a\s+half|\s+1/2|½)?"
VAGUE = (r"several|a\s+few|few|some|many|a\s+number\s+of|numerous|a\s+couple\s+of|couple\s+of|a\s+couple"
         r"|various|countless|dozens\s+of")
UNIT = (r"seconds?|minutes?|mins?|hours?|hrs?|days?|nights?|weeks?|fortnights?|months?|quarters?|years?|yrs?"
        r"|decades?|century|centuries|millennium|millennia")
# spelled-out years: "nineteen ninety-six", "nineteen oh five", "two thousand and one"
SPELLED_YEAR = (r"(?:(?:nineteen|eighteen|twenty)\s+(?:hundred(?:\s+and)?\s+)?"
                rf"(?:(?:{_TENS})(?:[\s-](?:{_ONE_NINE}))?|{_TEN_NINETEEN}|oh[\s-](?:{_ONE_NINE}))"
                rf"|two\s+thousand(?:(?:\s+and)?\s+(?:{_ONE_NINETY_NINE}))?)")
YEAR4 = r"(?:1[5-9]\d\d|20\d\d)(?![\d,]\d)(?!\s*%)"
# the modifiers TimeBank keeps inside a timex ("late last week", "the end of 1994")
MOD = (r"(?:(?:the\s+)?(?:very\s+)?(?:early|earlier|late|later|mid|middle\s+of|end\s+of|beginning\s+of|start\s+of"
       r"|turn\s+of|close\s+of|dawn\s+of|rest\s+of|remainder\s+of|balance\s+of|course\s+of)(?:\s+(?:on|in))?)")
APPROX = (r"(?:about|around|nearly|almost|approximately|roughly|some|over|under|more\s+than|less\s+than"
          r"|fewer\s+than|at\s+least|at\s+most|up\s+to|no\s+more\s+than|no\s+less\s+than|not\s+more\s+than"
          r"|just\s+over|just\s+under|well\s+over|within|only|barely|just|upwards\s+of|close\s+to"
          r"|the\s+better\s+part\s+of|a\s+full|an\s+additional|another)")
PART_OF_DAY = r"morning|afternoon|evening|night|overnight"
# time zones written after a clock time ("7:50 a.m. EST", "0750 GMT", "14:00 local time")
TZ = (r"(?:\s*\(?(?:[ECMP][SD]T|GMT|UTC|BST|CET|CEST|EET|EEST|MSK|IST|JST|EAT|CAT|WAT|SAST|PKT|AST|AEST|AEDT"
      r"|local\s+time)(?:\s*[+-]\s*\d{1,2}(?::?\d\d)?)?\)?)")


def month_re(g: str) -> str:
    return rf"(?P<{g}>{_MONTH_FULL}|{_MONTH_ABBR})"


def weekday_re(g: str) -> str:
    return rf"(?P<{g}>(?:{_WEEKDAY_FULL})(?:s\b)?|{_WEEKDAY_ABBR})"


def year_re(g: str) -> str:
    return rf"(?P<{g}>{YEAR4}|{SPELLED_YEAR})"


DAY_ORD = (r"(?:thirty[\s-]first|thirtieth|twenty[\s-](?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)"
           r"|twentieth|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth"
           r"|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth)")


def day_re(g: str) -> str:
    return rf"(?P<{g}>(?:[12]\d|3[01]|0?[1-9])(?!\d)(?:st|nd|rd|th)?|{DAY_ORD})"
