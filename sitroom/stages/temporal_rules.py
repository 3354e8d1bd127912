"""Find temporal expressions in text and normalize them to TIMEX3 values.

A HeidelTime-style rule set, kept small: every rule is a regex (a named module
constant built from `temporal_lexicon` fragments) plus a normalizer that turns
its match into (type, value) against the document creation time (DCT, the
publication date).  Recognition is plain text, so it works without a spaCy
model; a tense oracle (`Tense`) passed in by the stage decides whether an
under-specified date ("Friday", "in March", "Nov. 27") points back or ahead.

Conventions follow TimeML/TimeBank: modifiers and determiners belong to the
timex ("the past three months", "late last week", "nearly two years"),
prepositions do not ("on Friday" -> "Friday"); durations are DURATION even
when anchored ("the past 24 hours" = P1D); a weekday that is the DCT's own
weekday is the DCT itself.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable, Optional

from ..numbers import ORDINALS, TENS, TENS_ANY_SPELLING, UNITS, parse_number
from ..spans import DisjointSpans
from .. import timevalues as tv
from .temporal_lexicon import (AMBIGUOUS_MONTHS, APPROX, DAY_ORD, FUTURE_WORDS, HOLIDAYS, MOD, MONTHS, NUM, PART_OF_DAY,
                               PAST_WORDS, PRESENT_WORDS, TZ, UNIT, UNIT_WORDS, VAGUE, WEEKDAYS, YEAR4, day_re, month_re,
                               weekday_re, year_re)

# (start, end) -> -1 past, +1 future, 0 unknown
Tense = Callable[[int, int], int]

# ------------------------------------------------------------------ rule patterns
_B = r"(?<![\w'’-])"   # left word boundary that also refuses "-" and apostrophes ("24-year" inside "124-year")
_E = r"(?![\w’])"        # right word boundary
_MODG = rf"(?:(?P<mod>{MOD})[\s-]+)?"

FULL_DATE = (rf"{_MODG}(?:(?P<pre>last|next|this\s+past|this\s+coming|this)\s+)?(?:{weekday_re('wd')},?\s+(?:the\s+)?)?"
             rf"(?:{month_re('m1')}\s+(?:the\s+)?{day_re('d1')}|(?:the\s+)?{day_re('d2')}\s+(?:of\s+)?{month_re('m2')})"
             rf"(?:,?\s+{year_re('y')})?")
ISO_DATE = r"(?P<y>(?:1[89]|20)\d\d)-(?P<m>0[1-9]|1[0-2])-(?P<d>[0-2]\d|3[01])(?![\d:])"
NUMERIC_DATE = r"(?P<a>[0-3]?\d)(?P<sep>[/.])(?P<b>[0-3]?\d)(?P=sep)(?P<y>(?:19|20)\d\d|\d\d)(?![\d/.]\d)"
MONTH_YEAR = (rf"{_MODG}{month_re('m')}(?:,?\s+(?:of\s+)?{year_re('y')}"
              rf"|\s+(?P<rel>this|last|next|of\s+this|of\s+last|of\s+next)\s+year)")
REL_MONTH = (rf"{_MODG}(?P<pre>this\s+past|this\s+coming|this|last|next|the\s+previous|the\s+following|the\s+coming"
             rf"|the\s+past|past|coming)\s+{month_re('m')}")
BARE_MONTH = rf"{_MODG}{month_re('m')}"
YEAR = (rf"{_MODG}(?P<fiscal>fiscal\s+(?:year\s+)?|calendar\s+(?:year\s+)?|the\s+year\s+|pre-|post-)?{year_re('y')}"
        r"(?P<period>\s+period)?")
YEAR_RANGE_SUFFIX = re.compile(r"^\s*(?:%|percent|per\s*cent|-\d|–\d|/\d|\.\d|:\d)")
DECADE = (rf"(?P<the>the\s+)?(?:(?P<mod>early|mid|late|middle|the\s+end\s+of\s+the)[\s-]+)?"
          r"(?:(?P<cent>1[5-9]|20)(?P<dec>\d)0['’]?s|['’](?P<dec2>\d)0['’]?s"
          r"|(?P<word>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties))")
CENTURY = (rf"(?:the\s+)?(?:(?P<mod>early|mid|late)[\s-]+)?(?:(?P<n>\d{{1,2}})(?:st|nd|rd|th)|(?P<w>{DAY_ORD}))"
           r"[\s-]+century")
QUARTER = (r"(?:(?P<det>the|this|last|next|that|its|their|this\s+year['’]s|last\s+year['’]s|next\s+year['’]s"
           r"|the\s+same|the\s+year[\s-](?:ago|earlier))\s+)?"
           rf"(?:(?P<y1>{YEAR4})\s+)?"
           r"(?:(?P<adj>latest|current|previous|past|prior|same|comparable|corresponding|recent|most\s+recent"
           r"|just[\s-]ended|year[\s-]ago|year[\s-]earlier|fiscal|calendar|financial|flat|weak|strong|record)\s+)*"
           r"(?:fiscal[\s-]+)?(?:(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th|final|last)[\s-]+)?"
           r"(?:fiscal[\s-]+)?"
           r"(?:quarter|(?P<period>(?<=latest\s)period|(?<=year-ago\s)period|(?<=year-earlier\s)period"
           r"|(?<=comparable\s)period|(?<=corresponding\s)period))(?![\w-])"
           rf"(?:\s+of\s+(?:(?:fiscal\s+)?(?P<y2>{YEAR4})|(?P<rel>this|last|next)\s+year"
           r"|the\s+(?P<rel2>current|previous|same)\s+year)"
           r"|\s+(?P<ago>a\s+year\s+(?:ago|earlier)|last\s+year))?")
Q_ABBR = rf"Q(?P<q>[1-4])(?:\s+(?P<y>{YEAR4}))?"
HALF = (r"(?:the\s+)?(?P<ord>first|second|last|latter)\s+half\s+(?:of\s+)?"
        rf"(?:(?P<y>{YEAR4})|(?P<rel>this|last|next)\s+year|the\s+(?:current\s+|fiscal\s+)?year)")
SEASON = (rf"{_MODG}(?:(?P<pre>this\s+past|this\s+coming|this|last|next|the\s+coming|the\s+past|the\s+previous"
          r"|the\s+following|the|that|early|late|mid)[\s-]+)?(?P<s>spring|summer|fall|autumn|winter)"
          rf"(?:\s+(?:of\s+)?{year_re('y')}|\s+(?P<rel>this|last|next)\s+year)?")
WEEKEND = (rf"{_MODG}(?P<pre>this\s+past|this\s+coming|this|last|next|the|that|the\s+previous|the\s+following"
           r"|the\s+coming|the\s+past)\s+weekend(?!s)")
REL_DAY = (rf"{_MODG}(?:(?:(?:early|mid|late)[\s-]?)?(?P<pod0>{PART_OF_DAY})\s+)?"
           r"(?P<w>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|today|tonight|yesterday|tomorrow)"
           rf"(?:['’]s)?(?:\s+(?P<pod>{PART_OF_DAY}))?")
POD = (rf"{_MODG}(?P<pre>this|last|tomorrow|yesterday|the\s+same|that|early\s+this|late\s+last)\s+"
       r"(?P<pod>morning|afternoon|evening|night)")
OVERNIGHT = r"(?P<w>overnight)"
WEEKDAY = (rf"{_MODG}(?:(?P<pre>this\s+past|this\s+coming|this|last|next|the\s+previous|the\s+following|the\s+next"
           rf"|coming|past|every|each)\s+)?{weekday_re('wd')}(?:['’]s)?"
           rf"(?:,?\s+(?P<pod>{PART_OF_DAY})s?)?")
REL_UNIT = (rf"{_MODG}(?P<pre>this\s+past|this\s+coming|this|last|next|the\s+past|the\s+last|the\s+previous|the\s+next"
            r"|the\s+coming|the\s+current|the\s+following|the\s+same|that|the\s+latest|the\s+prior|previous|past"
            r"|coming|the\s+current\s+fiscal|the\s+latest\s+fiscal|the\s+previous\s+fiscal|last\s+fiscal|this\s+fiscal"
            r"|next\s+fiscal)\s+(?P<unit>week|month|year|decade|century|calendar\s+year)(?![\w-])(?:['’]s)?")
THE_UNIT = (rf"{_MODG}(?P<det>the|the\s+full|the\s+whole|the\s+entire|the\s+fiscal|the\s+calendar)\s+"
            r"(?P<unit>year|week|month|day)(?![\w-])")
DAY_OF_MONTH = r"(?<=\bon\s)the\s+(?P<d>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)"
ORDINAL_DAY = rf"(?:the\s+)?(?P<ord>{DAY_ORD}|\d{{1,3}}(?:st|nd|rd|th))\s+(?:straight\s+|consecutive\s+)?day"
REL_DAY_REF = (rf"{_MODG}(?P<w>the\s+day\s+(?:before|after)"
               r"|the\s+(?:next|following|previous)\s+(?:morning|evening|night|afternoon)"
               r"|(?:the|that)\s+(?:same\s+|next\s+|following\s+|previous\s+|prior\s+)?day)(?![\w-])")
AGO = (rf"(?:(?P<approx>{APPROX})\s+)?(?:(?P<num>{NUM}|{VAGUE}|an|a)[\s-]+)?(?:more\s+)?(?P<unit>{UNIT})"
       r"\s+(?P<dir>ago|earlier|previously|from\s+now|hence|back)(?![\w-])")
DURATION = (r"(?:(?P<det>the|a|an|this|that|these|those|its|their|his|her)\s+)?"
            rf"(?:(?P<approx>{APPROX})\s+)?"
            r"(?:(?P<rel>past|last|next|first|coming|previous|following|final|remaining|latest|initial|preceding"
            r"|ensuing|subsequent|full|entire|whole|past\s+few|last\s+few|next\s+few|first\s+few|coming\s+few)\s+)?"
            rf"(?:(?P<approx2>{APPROX})\s+)?"
            rf"(?P<num>{NUM}|{VAGUE}|an|a)(?:\s*(?:to|or|-|–)\s*(?P<num2>{NUM}))?[\s-]+"
            r"(?:(?:more|additional|further|full|straight|consecutive|long|trading|working|business|calendar)[\s-]+)?"
            rf"(?P<unit>{UNIT})(?P<half>\s+and\s+a\s+half)?(?P<suffix>[\s-]+(?:long|old)(?![\w-]))?(?:\s+or\s+so)?")
VAGUE_DURATION = (r"(?:(?P<pre>recent|the\s+past|the\s+last|the\s+next|the\s+coming|coming|past|the\s+past\s+few"
                  r"|the\s+last\s+few|the\s+next\s+few|the\s+first\s+few|the\s+early|the\s+previous|the\s+following)\s+)?"
                  r"(?P<unit>minutes|hours|days|weeks|months|years|decades|centuries)(?P<long>-long)?")
# longest first, so "the near future" wins over "future"
REF = "(?P<w>" + "|".join(w.replace(" ", r"\s+") for w in sorted(PRESENT_WORDS + PAST_WORDS + FUTURE_WORDS,
                                                                  key=len, reverse=True)) + ")"
CLOCK = (r"(?:(?P<approx>about|around|at\s+about|at\s+around|approximately|shortly\s+after|shortly\s+before"
         r"|just\s+after|just\s+before)\s+)?"
         r"(?P<h>1[0-2]|0?[1-9])(?:[:.](?P<mi>[0-5]\d))?\s*"
         r"(?P<ampm>[ap]\.\s?m\.?|[ap]m(?![a-z])|[AP]\.?M\.?(?![a-z])|o['’]clock)"
         rf"(?P<tz>{TZ})?"
         rf"(?:,?\s+(?:{weekday_re('wd')}|(?P<rd>today|yesterday|tomorrow|tonight)|{month_re('m')}\s+{day_re('d')}))?")
CLOCK24 = (r"(?P<h>[01]\d|2[0-3])(?::?(?P<mi>[0-5]\d))\s*(?P<tz>hrs|hours|h(?![\w])|GMT|UTC|local\s+time|Z(?![\w]))"
           r"|(?<=\bat\s)(?P<h2>[01]?\d|2[0-3]):(?P<mi2>[0-5]\d)(?![\d:])")
CLOCK_WORDS = (rf"(?P<h>{NUM}|\d{{1,2}})\s+(?:o['’]clock\s+)?in\s+the\s+(?P<pod>morning|afternoon|evening|night)")
NOON = (rf"(?P<w>noon|midnight|midday)(?:\s+(?:{weekday_re('wd')}|(?P<rd>today|yesterday|tomorrow)))?")
SET_EVERY = (rf"(?:(?P<freq>once|twice|thrice|(?:{NUM})\s+times)\s+)?(?P<q>every|each|per|a|an)\s+"
             r"(?:other\s+|single\s+)?"
             r"(?:(?P<unit>second|minute|hour|day|night|week|month|quarter|year|decade|morning|evening|afternoon"
             rf"|weekend)|{weekday_re('wd')}|{month_re('m')})")
SET_ADVERB = r"(?P<w>daily|weekly|monthly|yearly|hourly|nightly|biweekly|fortnightly)"
HOLIDAY = (r"(?:(?P<pre>this\s+past|this\s+coming|this|last|next)\s+)?(?P<h>Christmas\s+Day|Christmas\s+Eve|Christmas"
           r"|New\s+Year['’]s\s+Day|New\s+Year['’]s\s+Eve|New\s+Year['’]s|Halloween|Valentine['’]s\s+Day|Boxing\s+Day"
           r"|Easter\s+Sunday|Easter\s+Monday|Easter|Good\s+Friday|Thanksgiving\s+Day|Thanksgiving)"
           rf"(?:\s+(?P<y>{YEAR4}))?")
YEAR_ADJ = r"(?P<w>year[\s-]end|year['’]s\s+end|year[\s-]ago|year[\s-]earlier)"
WEEK_OF = rf"(?:the\s+)?week\s+of\s+{month_re('m')}\s+{day_re('d')}"

# words before a bare year/month that make it a date ("in 1990", "since May")
DATE_PREPS = frozenset({"in", "since", "by", "until", "till", "til", "through", "from", "to", "during", "of",
                        "before", "after", "between", "and", "or", "early", "late", "mid", "around", "last",
                        "next", "this", "on", "for", "circa", "throughout", "into",
                        "as", "than", "about", "that", "then", "past", "year", "fiscal", "spring",
                        "summer", "autumn", "fall", "winter", "end", "beginning", "start", "middle", "the"})
# nouns that make a preceding four-digit number a count ("2000 troops")
COUNT_NOUNS = re.compile(
    r"^\s+(?:people|persons|men|women|children|troops|soldiers|fighters|militants|civilians|police|officers"
    r"|residents|refugees|families|members|students|workers|votes|seats|km|kilometres|kilometers|miles|metres"
    r"|meters|feet|tons|tonnes|dollars|euros|pounds|rupees|yuan|barrels|units|cases|deaths|dead|killed|injured"
    r"|wounded|homes|houses|buildings|vehicles|rounds|rockets|missiles|shells|drones|hectares|acres|calories)\b",
    re.IGNORECASE)
POSSESSIVES = frozenset({"his", "her", "their", "my", "your", "our", "its"})
SENTENCE_END = re.compile(r"[.!?][\"'’”)]*\s+(?=[\"'“‘(]*[A-Z0-9])|\n")


# ------------------------------------------------------------------ engine
@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern
    normalize: Callable[[re.Match, "Context"], Optional[tuple[str, Optional[str]]]]
    guard: Optional[Callable[[re.Match, str], bool]] = None


@dataclass
class Context:
    """What a normalizer may read: the DCT, the text, the tense oracle and a reference time that
    follows the text ("the next day" is the day after the last day mentioned)."""
    dct: Optional[date]
    text: str
    tense: Tense
    ref_day: Optional[date] = None
    ref_quarter: Optional[tuple[int, int]] = None
    ref_year: Optional[int] = None
    ref_month: Optional[tuple[int, int]] = None
    last_quarter: Optional[tuple[int, int]] = None  # the last quarter mentioned ("that quarter")
    span: tuple[int, int] = (0, 0)

    def direction(self) -> int:
        return self.tense(*self.span)


def _g(m: re.Match, name: str) -> str:
    try:
        v = m.group(name)
    except IndexError:
        return ""
    return re.sub(r"\s+", " ", v).lower() if v else ""


def spelled_year(s: str) -> Optional[int]:
    """'nineteen ninety-six' -> 1996, 'two thousand and one' -> 2001, '1990' -> 1990."""
    s = re.sub(r"\s+", " ", s.lower().strip())
    if s.isdigit():
        return int(s)
    m = re.fullmatch(r"two thousand(?:(?: and)? (.+))?", s)
    if m:
        rest = parse_number(m.group(1)) if m.group(1) else 0
        return 2000 + int(rest) if rest is not None else None
    m = re.fullmatch(r"(nineteen|eighteen|twenty) (?:hundred(?: and)? )?(.+)", s)
    if not m:
        return None
    tail = m.group(2).replace("oh ", "").replace("oh-", "")
    lo = parse_number(tail)
    if lo is None or lo >= 100:
        return None
    return UNITS.get(m.group(1), TENS.get(m.group(1), 0)) * 100 + int(lo)


def _day_number(s: str) -> Optional[int]:
    s = s.lower().replace(" ", "-")
    m = re.match(r"\d+", s)
    if m:
        return int(m.group())
    if "-" in s:
        tens, _, unit = s.partition("-")
        return TENS_ANY_SPELLING.get(tens, 0) + ORDINALS.get(unit, 0)
    return ORDINALS.get(s)


def _month(s: str) -> int:
    return MONTHS[s.lower().rstrip(".")]


def _weekday(s: str) -> int:
    s = s.lower().rstrip(".")
    return WEEKDAYS[s[:-1] if s.endswith("s") and s[:-1] in WEEKDAYS else s]


def _prev_word(text: str, start: int) -> str:
    m = re.search(r"([\w'’$£€#]+)[^\w\n]*$", text[max(0, start - 40):start])
    return m.group(1) if m else ""


def _is_capitalised(s: str) -> bool:
    return bool(s) and s[0].isupper()


# ------------------------------------------------------------------ guards (reject non-temporal readings)
def _orig(m: re.Match, text: str, group: str) -> str:
    """A group's text as written (rules match a lower-cased copy of the text)."""
    try:
        s, e = m.span(group)
    except IndexError:
        return ""
    return text[s:e] if s >= 0 else ""


def _month_ok(m: re.Match, text: str, group: str) -> bool:
    """Month names are capitalised ("may" and "march" are words)."""
    word = _orig(m, text, group)
    return not word or _is_capitalised(word)


def guard_full_date(m: re.Match, text: str) -> bool:
    return _month_ok(m, text, "m1" if m.group("m1") else "m2")


def guard_month_year(m: re.Match, text: str) -> bool:
    return _month_ok(m, text, "m")


def guard_bare_month(m: re.Match, text: str) -> bool:
    """A month alone is a date after a temporal preposition or modifier; "May"/"March" need one,
    and a capitalised word right before makes it part of a name ("Theresa May", "Operation August")."""
    word = _orig(m, text, "m")
    if not _is_capitalised(word):
        return False
    if m.group("mod"):
        return True
    prev = _prev_word(text, m.start())
    if prev.lower() in DATE_PREPS:
        return True
    if word.lower().rstrip(".") in AMBIGUOUS_MONTHS:
        return False
    gap = text[max(0, m.start() - 1):m.start()]
    if _is_capitalised(prev) and gap == " " and text[max(0, m.start() - len(prev) - 1):m.start() - 1] == prev:
        return False
    return not (word.lower() in ("june", "april", "august") and re.match(r"^ [A-Z]", text[m.end():m.end() + 2]))


def guard_year(m: re.Match, text: str) -> bool:
    y = m.group("y")
    before = text[max(0, m.start() - 3):m.start()]
    if re.search(r"[$£€#№]\s*$|\d[,.]?$|No\.\s*$", before):
        return False
    after = text[m.end():m.end() + 30]
    if YEAR_RANGE_SUFFIX.match(after) and not re.match(r"^\s*[-–/]\d\d(?!\d)", after):
        return False
    if y.isdigit():
        if COUNT_NOUNS.match(after):
            return False
        if m.group("mod") or m.group("fiscal"):
            return True
        prev = _prev_word(text, m.start()).lower()
        # "his 1990 book" is a date; "some 2000 people" was rejected above; bare numbers in tables are not
        if re.match(r"^\s*(?:[a-z]+s)\b", after) and prev not in DATE_PREPS | {"the", "'s"} and not re.match(
                r"^\s*(?:was|is|has|as|this|its|plus|thus|us|says|sees)\b", after):
            return False
    return True


def guard_decade(m: re.Match, text: str) -> bool:
    """Spelled decades are ages after a possessive ("in her sixties") and need "the" or a date word."""
    if not m.group("word"):
        return True
    prev = _prev_word(text, m.start()).lower()
    if prev in POSSESSIVES:
        return False
    return bool(m.group("the") or m.group("mod") or prev in DATE_PREPS)


def guard_quarter(m: re.Match, text: str) -> bool:
    if not (m.group("ord") or m.group("det") or m.group("adj") or m.group("y1")):
        return False
    word = text[m.start():m.end()]
    if re.search(r"\bQuarter\b", word) and not m.group("ord"):
        return False  # "the Christian Quarter"
    if not m.group("ord") and not (m.group("y2") or m.group("rel") or m.group("rel2")):
        if re.match(r"^\s+of\b", text[m.end():m.end() + 5]):
            return False  # "the quarter of the city"
        if _g(m, "det") in ("its", "their") and not m.group("adj"):
            return False
    return True


def guard_season(m: re.Match, text: str) -> bool:
    pre, word = _g(m, "pre"), _orig(m, text, "s")
    if not pre and not m.group("y") and not m.group("mod"):
        return False
    if word[0].isupper() and _is_capitalised(_prev_word(text, m.start())) and not pre:
        return False  # "Arab Spring"
    if pre in ("the", "that", "") and not m.group("y") and re.match(r"^\s+of\b", text[m.end():m.end() + 4]):
        return False  # "the fall of Aleppo"
    if word.lower() == "fall" and pre in ("the", "") and not m.group("y"):
        prev = _prev_word(text, m.start()).lower()
        return prev in ("in", "this", "by", "until", "since", "during", "through", "last", "next", "early", "late")
    return True


def guard_weekday(m: re.Match, text: str) -> bool:
    return _is_capitalised(_orig(m, text, "wd"))


def guard_ago(m: re.Match, text: str) -> bool:
    d = _g(m, "dir")
    if d in ("earlier", "back") and m.group("num") is None:
        return False
    return True


def guard_duration(m: re.Match, text: str) -> bool:
    num, unit = _g(m, "num"), _g(m, "unit")
    if "old" in _g(m, "suffix"):
        return False  # ages ("a 32-year-old", "52 years old") are not timexes in TimeBank
    if num in ("a", "an") and unit.startswith("sec"):
        return False  # "a second attack"
    if unit.startswith("quarter") and re.match(r"^\s+of\b", text[m.end():m.end() + 5]):
        return False  # "three quarters of the vote"
    if unit in ("night", "nights") and not re.search(r"\d|one|two|three|four|five|six|seven|eight|nine|ten", num):
        return False  # "a night", "some nights": not a length
    if unit in ("min", "mins", "hr", "hrs", "yr", "yrs", "sec", "secs") and not re.search(r"\d", num):
        return False
    return True


def guard_vague_duration(m: re.Match, text: str) -> bool:
    if m.group("pre") or m.group("long"):
        return True
    prev = _prev_word(text, m.start()).lower()
    if prev not in ("for", "in", "within", "over", "after", "took", "take", "takes", "lasted", "last", "spent",
                    "spend", "wait", "waited", "later", "since", "those", "these"):
        return False
    return not re.match(r"^\s+(?:old|of\s+age|ago|earlier|later|before)\b", text[m.end():m.end() + 12])


def guard_ref(m: re.Match, text: str) -> bool:
    w = _g(m, "w")
    nxt = text[m.end():m.end() + 20]
    if w == "now" and nxt[:1] == "-":
        return False  # "now-defunct"
    if w == "earlier":  # the adverb alone ("as reported earlier.", "Earlier, police said")
        sentence_initial = re.search(r"(?:^|[.!?\n]\s*)$", text[max(0, m.start() - 3):m.start()])
        return bool(re.match(r"^\s*(?:[,.;:)!?\"”]|$)", nxt) or sentence_initial)
    if w == "soon" and re.search(r"\bas\s+$", text[max(0, m.start() - 4):m.start()]):
        return False
    if w in ("current", "future", "recent"):
        if re.match(r"^\s+(?:account|accounts|affairs|events|carrying|density|flow|flows|tense|perfect|value|values"
                    r"|source|sources|generation|generations|research)\b", nxt, re.IGNORECASE):
            return False
        return not re.match(r"^[\w-]", nxt)
    if w == "the past" and re.match(r"^\s+(?:few|several|\d|week|month|year|decade|day|hour)", nxt):
        return False
    return True


def guard_set_every(m: re.Match, text: str) -> bool:
    q = _g(m, "q")
    if m.group("m") and not _is_capitalised(_orig(m, text, "m")):
        return False
    if q in ("a", "an"):
        if m.group("freq"):
            return True
        before = text[max(0, m.start() - 25):m.start()]
        return bool(re.search(r"(?:%|percent|per\s+cent|\d|dollars|cents|times|million|billion)\s*$", before))
    return True


def guard_set_adverb(m: re.Match, text: str) -> bool:
    prev = _prev_word(text, m.start()).lower()
    return prev not in ("the", "a", "an") and not re.match(r"^\s+[A-Z]", text[m.end():m.end() + 3])


def guard_holiday(m: re.Match, text: str) -> bool:
    if not _is_capitalised(_orig(m, text, "h")):
        return False
    return not re.match(r"^\s+(?:tree|trees|card|cards|carol|carols|island|market|markets|Offensive|Rising|Uprising)\b",
                        text[m.end():m.end() + 12])


def guard_the_unit(m: re.Match, text: str) -> bool:
    nxt = text[m.end():m.end() + 14]
    if re.match(r"^(?:\s+(?:of|when|that|in\s+which|before|after|on\s+which|the|he|she|they|we|I)\b|['’]s|-)", nxt):
        return False
    return True


def guard_rel_day_ref(m: re.Match, text: str) -> bool:
    return not re.match(r"^(?:\s+(?:of|when|that|in\s+which|on\s+which)\b|['’]s)", text[m.end():m.end() + 14])


def guard_overnight(m: re.Match, text: str) -> bool:
    # adverbial "struck overnight", "overnight," — not "an overnight curfew"
    return bool(re.match(r"^\s*(?:[,.;:)!?]|$|(?:on|into|in|to|and|from|as|after|before|at|when|by|near)\b)",
                         text[m.end():m.end() + 8]))


# ------------------------------------------------------------------ normalizers
def _pod_suffix(pod: str) -> str:
    return tv.PARTS_OF_DAY.get(pod.lower(), "") if pod else ""


# words right before an under-specified date that point it ahead whatever the verb's tense
AHEAD_PREPS = re.compile(r"\b(?:effective|payable|due|starting|expires?|expiring|deadline\s+of|scheduled\s+for"
                         r"|set\s+for|slated\s+for|planned\s+for|as\s+(?:soon|early|late)\s+as|no\s+later\s+than|ahead\s+of"
                         r"|(?:postponed|delayed|adjourned|extended)\s+(?:until|to|till)|scheduled|planned|upcoming)"
                         r"\s+(?:on\s+|the\s+|in\s+)?$", re.IGNORECASE)
# ... that point it back
BACK_PREPS = re.compile(r"\b(?:since|ended|ending|ago|as\s+of)\s+(?:on\s+|the\s+)?$", re.IGNORECASE)
# ... that make it a bound, either way ("until Thursday, they had not", "by Wednesday"): nearest reading
BOUND_PREPS = re.compile(r"\b(?:until|till|til|through|by|before|to)\s+(?:on\s+|the\s+)?$", re.IGNORECASE)


def _date_direction(m: re.Match, ctx: Context) -> int:
    """The tense, unless the words before the date settle it ("payable Dec. 7", "since Jan. 13")."""
    before = ctx.text[max(0, m.start() - 30):m.start()]
    if BACK_PREPS.search(before):
        return -1
    if AHEAD_PREPS.search(before):
        return 1
    if BOUND_PREPS.search(before):
        return 0
    return ctx.direction()


def norm_full_date(m: re.Match, ctx: Context):
    mon = _month(m.group("m1") or m.group("m2"))
    d = _day_number(m.group("d1") or m.group("d2"))
    if not d or d > 31:
        return None
    if m.group("y"):
        y = spelled_year(m.group("y"))
        dt = tv.safe_date(y, mon, d) if y else None
    elif ctx.dct is None:
        return "DATE", f"XXXX-{mon:02d}-{d:02d}"
    else:
        dt = None
        if m.group("wd"):  # "Friday, Oct. 23": the year whose Oct. 23 is a Friday, nearest the DCT
            wd = _weekday(m.group("wd"))
            cands = [c for c in (tv.safe_date(ctx.dct.year + k, mon, d) for k in (0, -1, 1)) if c and c.weekday() == wd]
            dt = min(cands, key=lambda c: abs((c - ctx.dct).days)) if cands else None
        pre = _g(m, "pre")
        direction = {"last": -1, "this past": -1, "next": 1, "this coming": 1}.get(pre) or _date_direction(m, ctx)
        dt = dt or tv.month_day_near(ctx.dct, mon, d, direction)
    if not dt:
        return None
    _set_ref(ctx, dt)
    return "DATE", tv.day(dt)


def norm_iso_date(m: re.Match, ctx: Context):
    dt = tv.safe_date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    if dt:
        _set_ref(ctx, dt)
    return ("DATE", tv.day(dt)) if dt else None


def norm_numeric_date(m: re.Match, ctx: Context):
    a, b, y = int(m.group("a")), int(m.group("b")), int(m.group("y"))
    if y < 100:
        y += 2000 if y < 50 else 1900
    cands = [c for c in (tv.safe_date(y, a, b), tv.safe_date(y, b, a)) if c]  # month/day, day/month
    if not cands:
        return None
    if ctx.dct and len(cands) == 2:  # ambiguous: the reading nearer the publication date
        cands.sort(key=lambda c: abs((c - ctx.dct).days))
    _set_ref(ctx, cands[0])
    return "DATE", tv.day(cands[0])


def norm_month_year(m: re.Match, ctx: Context):
    mon = _month(m.group("m"))
    if m.group("y"):
        y = spelled_year(m.group("y"))
        if not y:
            return None
    elif ctx.dct is None:
        return "DATE", f"XXXX-{mon:02d}"
    else:
        y = ctx.dct.year + {"this": 0, "last": -1, "next": 1}[_g(m, "rel").replace("of ", "")]
    ctx.ref_month, ctx.ref_year = (y, mon), y
    return "DATE", tv.month(y, mon)


def norm_rel_month(m: re.Match, ctx: Context):
    mon = _month(m.group("m"))
    if ctx.dct is None:
        return "DATE", f"XXXX-{mon:02d}"
    pre, dct = _g(m, "pre"), ctx.dct
    if pre in ("last", "the previous", "the past", "past"):
        y = dct.year if mon < dct.month else dct.year - 1
    elif pre in ("next", "the following", "the coming", "coming"):
        y = dct.year if mon > dct.month else dct.year + 1
    elif pre == "this past":
        y = tv.month_near(dct, mon, -1)[0]
    elif pre == "this coming":
        y = tv.month_near(dct, mon, 1)[0]
    else:  # "this September": this calendar year's
        y = dct.year
    ctx.ref_month, ctx.ref_year = (y, mon), y
    return "DATE", tv.month(y, mon)


def norm_bare_month(m: re.Match, ctx: Context):
    mon = _month(m.group("m"))
    if ctx.dct is None:
        return "DATE", f"XXXX-{mon:02d}"
    y, mon = tv.month_near(ctx.dct, mon, _date_direction(m, ctx))
    ctx.ref_month, ctx.ref_year = (y, mon), y
    return "DATE", tv.month(y, mon)


def norm_year(m: re.Match, ctx: Context):
    y = spelled_year(m.group("y"))
    if y is None or not 1000 <= y <= 2199:
        return None
    ctx.ref_year = y
    return "DATE", f"{y:04d}"


def norm_decade(m: re.Match, ctx: Context):
    if m.group("cent"):
        return "DATE", f"{m.group('cent')}{m.group('dec')}X"
    if m.group("dec2"):
        d = int(m.group("dec2"))
    else:
        d = ["twenties", "thirties", "forties", "fifties", "sixties", "seventies", "eighties", "nineties"].index(
            m.group("word").lower()) + 2
    base = ctx.dct.year if ctx.dct else 1999
    cent = base // 100
    if cent * 100 + d * 10 > base:
        cent -= 1  # "the '90s" said in 2024 is the 1990s
    return "DATE", f"{cent:02d}{d}X"


def norm_century(m: re.Match, ctx: Context):
    n = int(m.group("n")) if m.group("n") else _day_number(m.group("w"))
    return ("DATE", f"{n - 1:02d}") if n else None


def _latest_quarter(ctx: Context) -> tuple[int, int]:
    if ctx.ref_quarter:
        return ctx.ref_quarter
    y, q = ctx.dct.year, tv.quarter_of(ctx.dct)
    return tv.add_quarters(y, q, -1)


def norm_quarter(m: re.Match, ctx: Context):
    det, adjs = _g(m, "det"), _g(m, "adj")
    words = re.sub(r"\s+", " ", m.group(0).lower())
    ord_ = _g(m, "ord")
    qn = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}.get(ord_)
    year = None
    for g in ("y1", "y2"):
        if m.group(g):
            year = int(m.group(g))
    if ctx.dct is None:
        return ("DATE", f"{year or 'XXXX'}-Q{qn}") if qn else ("DATE", None)
    dct = ctx.dct
    rel = _g(m, "rel") or _g(m, "rel2")
    year_shift = 0
    if "year-ago" in words or "year ago" in words or "year-earlier" in words or "year earlier" in words \
            or "last year" in words or rel in ("last", "previous"):
        year_shift = -1
    elif "next year's" in words or rel == "next":
        year_shift = 1
    if qn is None and ord_ in ("final", "last") and year is not None:
        qn = 4
    if qn is not None:
        y = year if year is not None else dct.year + year_shift
        if year is None and year_shift == 0 and rel == "" and qn > tv.quarter_of(dct) and ctx.direction() < 0:
            y -= 1
        ctx.ref_quarter = ctx.last_quarter = (y, qn)
        return "DATE", f"{y:04d}-Q{qn}"
    # no ordinal: "the quarter", "the latest quarter", "this quarter", "the year-ago quarter"
    if det in ("that", "the same") and ctx.last_quarter and not adjs:
        return "DATE", "%04d-Q%d" % ctx.last_quarter
    if det in ("this",) or "current" in adjs:
        y, q = dct.year, tv.quarter_of(dct)
    elif det == "next":
        y, q = tv.add_quarters(dct.year, tv.quarter_of(dct), 1)
    elif (det == "last" and not year_shift and "last year" not in words) or (
            re.search(r"\b(?:latest|most recent|just[\s-]ended|previous|past|prior)\b", adjs) and not year_shift):
        # "the latest quarter": the last one completed before publication, whatever was mentioned last
        y, q = tv.add_quarters(dct.year, tv.quarter_of(dct), -1)
    else:
        y, q = _latest_quarter(ctx)
    if year_shift:
        y, q = _latest_quarter(ctx)
        y += year_shift
    if year is not None:
        y = year
    if year_shift == 0 and year is None:
        ctx.ref_quarter = (y, q)
    ctx.last_quarter = (y, q)
    return "DATE", f"{y:04d}-Q{q}"


def norm_q_abbr(m: re.Match, ctx: Context):
    y = int(m.group("y")) if m.group("y") else (ctx.dct.year if ctx.dct else None)
    return "DATE", f"{y:04d}-Q{m.group('q')}" if y else f"XXXX-Q{m.group('q')}"


def norm_half(m: re.Match, ctx: Context):
    h = 1 if _g(m, "ord") == "first" else 2
    if m.group("y"):
        y = int(m.group("y"))
    elif ctx.dct:
        y = ctx.dct.year + {"this": 0, "last": -1, "next": 1, "": 0}[_g(m, "rel")]
    else:
        return "DATE", f"XXXX-H{h}"
    return "DATE", f"{y:04d}-H{h}"


def norm_season(m: re.Match, ctx: Context):
    code = tv.SEASONS[m.group("s").lower()]
    if m.group("y"):
        y = spelled_year(m.group("y"))
        return ("DATE", f"{y:04d}-{code}") if y else None
    if ctx.dct is None:
        return "DATE", f"XXXX-{code}"
    pre, rel = _g(m, "pre"), _g(m, "rel")
    if rel:
        return "DATE", f"{ctx.dct.year + {'this': 0, 'last': -1, 'next': 1}[rel]:04d}-{code}"
    if pre == "this":
        return "DATE", tv.season_near(ctx.dct, code, 0)
    if pre in ("last", "the past", "the previous"):
        return "DATE", tv.season_near(ctx.dct, code, -1, strict=True)
    if pre == "this past":
        return "DATE", tv.season_near(ctx.dct, code, -1)
    if pre in ("next", "the following"):
        return "DATE", tv.season_near(ctx.dct, code, 1, strict=True)
    if pre in ("this coming", "the coming"):
        return "DATE", tv.season_near(ctx.dct, code, 1)
    d = ctx.direction()
    return "DATE", tv.season_near(ctx.dct, code, (d > 0) - (d < 0))


def norm_weekend(m: re.Match, ctx: Context):
    if ctx.dct is None:
        return "DATE", "XXXX-WXX-WE"
    pre, dct = _g(m, "pre"), ctx.dct
    on_weekend = dct.weekday() >= 5
    if pre in ("last", "the previous", "the past", "this past"):
        ref = dct - timedelta(days=7) if (on_weekend and pre == "last") else dct - timedelta(days=dct.weekday() + 1)
        if pre == "this past" and on_weekend:
            ref = dct
    elif pre in ("next", "the following"):
        ref = dct + timedelta(days=7)
    elif pre in ("this coming", "the coming"):
        ref = dct
    else:  # "this weekend", "the weekend": the one just past in a past-tense clause, else this week's
        d = _date_direction(m, ctx)
        ref = dct if (on_weekend or d > 0 or (d == 0 and pre == "this")) else dct - timedelta(days=dct.weekday() + 1)
    return "DATE", tv.weekend(ref)


def _set_ref(ctx: Context, d: date) -> None:
    ctx.ref_day = d
    ctx.ref_month = (d.year, d.month)
    ctx.ref_year = d.year


def norm_rel_day(m: re.Match, ctx: Context):
    w, pod = _g(m, "w"), _g(m, "pod") or _g(m, "pod0")
    offset = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1, "the day before yesterday": -2,
              "the day after tomorrow": 2}[w]
    if w == "tonight":
        pod = pod or "night"
    if ctx.dct is None:
        return ("TIME" if pod else "DATE"), None
    d = ctx.dct + timedelta(days=offset)
    _set_ref(ctx, d)
    if pod:
        return "TIME", tv.day(d) + _pod_suffix(pod)
    return "DATE", tv.day(d)


def norm_pod(m: re.Match, ctx: Context):
    pre, pod = _g(m, "pre"), _g(m, "pod")
    base = ctx.dct if pre in ("this", "early this") else None
    if pre in ("last", "late last"):
        base = ctx.dct - timedelta(days=1) if ctx.dct else None
    elif pre == "yesterday":
        base = ctx.dct - timedelta(days=1) if ctx.dct else None
    elif pre == "tomorrow":
        base = ctx.dct + timedelta(days=1) if ctx.dct else None
    elif pre in ("the same", "that"):
        base = ctx.ref_day or ctx.dct
    if base is None:
        return "TIME", None
    return "TIME", tv.day(base) + _pod_suffix(pod)


def norm_overnight(m: re.Match, ctx: Context):
    if ctx.dct is None:
        return "TIME", None
    # the night after a day the text just named, else the night before publication ("struck overnight")
    named = ctx.ref_day and ctx.ref_day != ctx.dct and abs((ctx.ref_day - ctx.dct).days) <= 7
    base = ctx.ref_day if named else ctx.dct - timedelta(days=1)
    return "TIME", tv.day(base) + "TNI"


def norm_weekday(m: re.Match, ctx: Context):
    wd_word = m.group("wd")
    wd = _weekday(wd_word)
    pre, pod = _g(m, "pre"), _g(m, "pod")
    low = wd_word.lower()
    plural = low.endswith("days")  # "on Fridays"
    if pre in ("every", "each") or plural:
        return "SET", f"XXXX-WXX-{wd + 1}" + _pod_suffix(pod)
    if ctx.dct is None:
        return ("TIME" if pod else "DATE"), f"XXXX-WXX-{wd + 1}"
    dct = ctx.dct
    if pre in ("last", "this past", "past"):
        d = tv.weekday_near(dct - timedelta(days=1), wd, -1)
    elif pre in ("next", "this coming", "coming"):
        d = tv.weekday_near(dct + timedelta(days=1), wd, 1)
    elif pre == "this":
        d = dct - timedelta(days=dct.weekday()) + timedelta(days=wd)
    elif pre == "the previous":
        ref = ctx.ref_day or dct
        d = tv.weekday_near(ref - timedelta(days=1), wd, -1)
    elif pre in ("the following", "the next"):
        ref = ctx.ref_day or dct
        d = tv.weekday_near(ref + timedelta(days=1), wd, 1)
    else:
        direction = _date_direction(m, ctx)
        d = tv.weekday_near(dct, wd, 1 if direction > 0 else -1)
    _set_ref(ctx, d)
    if pod:
        return "TIME", tv.day(d) + _pod_suffix(pod)
    return "DATE", tv.day(d)


def norm_rel_unit(m: re.Match, ctx: Context):
    pre, unit = _g(m, "pre"), _g(m, "unit").replace("calendar ", "")
    pre = pre.replace(" fiscal", "").replace("the current", "this").replace("the latest", "last")
    if ctx.dct is None:
        return "DATE", None
    dct = ctx.dct
    if pre in ("the following", "the previous", "the prior") and unit in ("year", "month"):
        # relative to the last date the text mentioned ("On May 22, 1995, ... the following year")
        step = 1 if pre == "the following" else -1
        if unit == "year" and ctx.ref_year:
            ctx.ref_year += step
            return "DATE", f"{ctx.ref_year:04d}"
        if unit == "month" and ctx.ref_month:
            y, mo = tv.add_months(*ctx.ref_month, step)
            ctx.ref_month = (y, mo)
            return "DATE", tv.month(y, mo)
    if unit == "week" and pre in ("the past", "the last"):
        return "DURATION", "P1W"  # "in the past week": the last seven days, not the previous calendar week
    if pre in ("this", "this past", "this coming"):
        step = 0
    elif pre in ("last", "the past", "the last", "the previous", "previous", "past", "the prior"):
        step = -1
    elif pre in ("next", "the next", "the coming", "the following", "coming"):
        step = 1
    else:  # "that year", "the same week": the reference time
        if unit == "year" and ctx.ref_year:
            return "DATE", f"{ctx.ref_year:04d}"
        if ctx.ref_day and unit in ("week", "month"):
            return "DATE", tv.at_granularity(ctx.ref_day, unit)
        return "DATE", None
    if unit == "decade":
        if step == 0:
            return "DATE", f"{dct.year // 10:03d}"
        return "DURATION", "P10Y"
    if unit == "century":
        return "DATE", f"{dct.year // 100 + step:02d}"
    return "DATE", tv.at_granularity(tv.shift_day(dct, step, unit), unit)


def norm_the_unit(m: re.Match, ctx: Context):
    unit, mod = _g(m, "unit"), m.group("mod")
    if ctx.dct is None:
        return "DATE", None
    if unit == "day":  # "the day": the day the text is about (TimeBank falls back on the DCT)
        if ctx.ref_day:
            return "DATE", tv.day(ctx.ref_day)
        return "DATE", tv.day(ctx.dct), {"anchor": False}
    # "the year", "the full year", "the end of the month": the current calendar unit (TimeBank writes
    # "for the year" as the year more often than as P1Y)
    return "DATE", tv.at_granularity(ctx.dct, unit)


def guard_day_of_month(m: re.Match, text: str) -> bool:
    """"on the 27th," / "on the 27th at dawn": a day of the month, not "on the 27th floor"."""
    return bool(re.match(r"^\s*(?:[,.;:)]|$|at\b|and\b|when\b|in\b|as\b)", text[m.end():m.end() + 6]))


def norm_day_of_month(m: re.Match, ctx: Context):
    """The day in the month the text is talking about (the last month named, else publication's);
    a past day beyond today's date in the publication month is last month's."""
    d = int(m.group("d"))
    if ctx.ref_month and ctx.ref_month != ((ctx.dct.year, ctx.dct.month) if ctx.dct else None):
        y, mo = ctx.ref_month
    elif ctx.dct:
        y, mo = ctx.dct.year, ctx.dct.month
        if d > ctx.dct.day and _date_direction(m, ctx) <= 0:
            y, mo = tv.add_months(y, mo, -1)
    else:
        return "DATE", None
    dt = tv.safe_date(y, mo, d)
    if dt is None:
        return None
    _set_ref(ctx, dt)
    return "DATE", tv.day(dt)


def guard_ordinal_day(m: re.Match, text: str) -> bool:
    """"Today is the eighth day of the siege", "it was the second day of fighting": a copula names the day."""
    return bool(re.search(r"\b(?:is|was|it['’]s|marks?|marked|on)\s+$", text[max(0, m.start() - 12):m.start()],
                          re.IGNORECASE))


def norm_ordinal_day(m: re.Match, ctx: Context):
    before = ctx.text[max(0, m.start() - 24):m.start()].lower()
    base = ctx.dct if re.search(r"\b(?:today|it['’]s|is)\s+$", before) else (ctx.ref_day or ctx.dct)
    return "DATE", tv.day(base) if base else None


def norm_rel_day_ref(m: re.Match, ctx: Context):
    w = _g(m, "w")
    base = ctx.ref_day or ctx.dct
    if base is None:
        return "DATE", None
    extra = {} if ctx.ref_day else {"anchor": False}  # no day named before: the DCT is only a guess
    step = 0
    if re.search(r"\b(?:next|following|after)\b", w):
        step = 1
    elif re.search(r"\b(?:previous|prior|before)\b", w):
        step = -1
    d = base + timedelta(days=step)
    pod = re.search(r"(morning|evening|night|afternoon)$", w)
    if pod:
        return "TIME", tv.day(d) + _pod_suffix(pod.group(1)), extra
    return "DATE", tv.day(d), extra


def _unit_of(word: str) -> str:
    return UNIT_WORDS.get(word.lower(), word.lower().rstrip("s"))


def norm_ago(m: re.Match, ctx: Context):
    """"two days ago", "a year earlier", "three weeks from now": the DCT moved, at the unit's granularity
    (TimeBank anchors "a year earlier" on the DCT too; "N days later" is a DURATION, see norm_duration)."""
    unit = _unit_of(_g(m, "unit"))
    d = _g(m, "dir")
    num = _g(m, "num")
    n = parse_number(num) if num else None
    future = d in ("from now", "hence")
    if n is None or not num:
        return "DATE", "FUTURE_REF" if future else "PAST_REF"
    if ctx.dct is None:
        return "DATE", None
    base = ctx.dct
    sign = 1 if future else -1
    if unit == "year" and n == 1 and d in ("earlier", "ago") and _quarter_context(ctx):
        y, q = ctx.ref_quarter
        return "DATE", f"{y - 1:04d}-Q{q}"
    if unit in ("hour", "minute", "second"):
        return "DATE", tv.day(base)
    if n != int(n):
        return "DATE", None
    shifted = tv.shift_day(base, sign * int(n), unit)
    if unit == "day":
        _set_ref(ctx, shifted)
    return "DATE", tv.at_granularity(shifted, unit)


def _quarter_context(ctx: Context) -> bool:
    """Whether "a year ago" compares quarters: the text has been reporting this year's quarterly results
    (TimeBank then writes the year-ago quarter, '1988-Q3')."""
    return bool(ctx.ref_quarter and ctx.dct and ctx.ref_quarter[0] == ctx.dct.year)


def norm_duration(m: re.Match, ctx: Context):
    num, unit = _g(m, "num"), _unit_of(_g(m, "unit"))
    if num in ("a", "an") and re.search(r"(?:%|percent|per\s+cent|\d|dollars|cents|times|million|billion)\s*$",
                                         ctx.text[max(0, m.start() - 25):m.start()]):
        return "SET", tv.duration(1, unit)
    n = parse_number(num)
    if n is not None and m.group("half"):
        n += 0.5
    if unit == "hour" and n == 24:
        return "DURATION", "P1D"  # TimeBank writes "the past 24 hours" as a day
    if unit == "weekend":
        return "DURATION", "P2D" if n == 1 else tv.duration(n, "weekend")
    value = tv.duration(n, unit)
    # "two days later," / "a week after," moves the reference day: keep that day for event dating
    after = re.match(r"^\s+(?:(later|afterwards)|(after|on|before|earlier)(?=\s*[,.;:]))",
                     ctx.text[m.end():m.end() + 14])
    if after and ctx.ref_day and n is not None and n == int(n) and unit in ("day", "week"):
        sign = -1 if after.group(2) in ("before", "earlier") else 1
        d = tv.shift_day(ctx.ref_day, sign * int(n), unit)
        _set_ref(ctx, d)
        return "DURATION", value, {"date": tv.day(d)}
    return "DURATION", value


def norm_vague_duration(m: re.Match, ctx: Context):
    unit = _unit_of(_g(m, "unit"))
    if unit == "year" and _g(m, "pre") in ("recent", "past"):
        return "DATE", "PAST_REF"  # "in recent years" is the past, not a length
    return "DURATION", tv.duration(None, unit)


def norm_ref(m: re.Match, ctx: Context):
    w = _g(m, "w")
    if w in PRESENT_WORDS:
        return "DATE", "PRESENT_REF"
    return "DATE", "PAST_REF" if w in PAST_WORDS else "FUTURE_REF"


def _clock_value(h: int, mi: int, ampm: str) -> tuple[int, int]:
    ampm = ampm.lower().replace(".", "").replace(" ", "")
    if ampm.startswith("p") and h < 12:
        h += 12
    elif ampm.startswith("a") and h == 12:
        h = 0
    return h, mi


def _day_from_parts(m: re.Match, ctx: Context) -> Optional[date]:
    if ctx.dct is None:
        return None
    if m.group("wd"):
        d = _date_direction(m, ctx)
        return tv.weekday_near(ctx.dct, _weekday(m.group("wd")), 1 if d > 0 else -1)
    rd = _g(m, "rd")
    if rd:
        return ctx.dct + timedelta(days={"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[rd])
    try:
        if m.group("m") and m.group("d"):
            dn = _day_number(m.group("d"))
            return tv.month_day_near(ctx.dct, _month(m.group("m")), dn, _date_direction(m, ctx)) if dn else None
    except IndexError:
        pass
    return None


def _time_value(ctx: Context, d: Optional[date], clock: str):
    if d is None:  # filled in by `_attach_days` from a date next to it
        return "TIME", "XXXX-XX-XX" + clock
    _set_ref(ctx, d)
    return "TIME", tv.day(d) + clock


def norm_clock(m: re.Match, ctx: Context):
    ampm = m.group("ampm")
    h = int(m.group("h"))
    mi = int(m.group("mi")) if m.group("mi") else 0
    if "clock" in ampm.lower():
        clock = f"T{h:02d}:{mi:02d}"
    else:
        h, mi = _clock_value(h, mi, ampm)
        clock = f"T{h:02d}:{mi:02d}"
    return _time_value(ctx, _day_from_parts(m, ctx), clock)


def norm_clock24(m: re.Match, ctx: Context):
    h = m.group("h") or m.group("h2")
    mi = m.group("mi") or m.group("mi2") or "00"
    return _time_value(ctx, None, f"T{int(h):02d}:{int(mi):02d}")


def norm_clock_words(m: re.Match, ctx: Context):
    n = parse_number(m.group("h"))
    if n is None or not 1 <= n <= 12:
        return None
    h = int(n)
    pod = _g(m, "pod")
    if pod in ("afternoon", "evening") or (pod == "night" and h >= 6):
        h = h + 12 if h < 12 else h
    return _time_value(ctx, None, f"T{h:02d}:00")


def norm_noon(m: re.Match, ctx: Context):
    clock = tv.PARTS_OF_DAY[_g(m, "w")]
    return _time_value(ctx, _day_from_parts(m, ctx), clock)


def norm_set_every(m: re.Match, ctx: Context):
    if m.group("wd"):
        return "SET", f"XXXX-WXX-{_weekday(m.group('wd')) + 1}"
    if m.group("m"):
        return "SET", f"XXXX-{_month(m.group('m')):02d}"
    unit = _g(m, "unit")
    if unit in ("morning", "evening", "afternoon", "night"):
        return "SET", "XXXX-XX-XX" + _pod_suffix(unit)
    n = 2 if "other" in m.group(0).lower() else 1
    return "SET", tv.duration(n, _unit_of(unit) if unit != "weekend" else "week")


def norm_set_adverb(m: re.Match, ctx: Context):
    w = _g(m, "w")
    value = {"daily": "P1D", "nightly": "P1D", "weekly": "P1W", "monthly": "P1M", "annually": "P1Y",
             "yearly": "P1Y", "hourly": "PT1H", "quarterly": "P3M", "biweekly": "P2W", "fortnightly": "P2W",
             "semiannually": "P6M"}[w]
    return "SET", value


def _holiday_date(name: str, y: int) -> Optional[date]:
    spec = HOLIDAYS.get(name)
    if spec is None:
        return None
    if isinstance(spec, tuple):
        return tv.safe_date(y, *spec)
    if spec.startswith("easter"):
        return tv.easter(y) + timedelta(days=int(spec[6:] or 0))
    if spec == "thanksgiving":
        return tv.nth_weekday(y, 11, 3, 4)
    return None


def norm_holiday(m: re.Match, ctx: Context):
    name = re.sub(r"\s+", " ", m.group("h").lower()).replace("’", "'")
    if m.group("y"):
        d = _holiday_date(name, int(m.group("y")))
        return ("DATE", tv.day(d)) if d else None
    if ctx.dct is None:
        return "DATE", None
    pre = _g(m, "pre")
    direction = {"last": -1, "this past": -1, "next": 1, "this coming": 1}.get(pre, ctx.direction())
    cands = [d for d in (_holiday_date(name, ctx.dct.year + k) for k in (-1, 0, 1)) if d]
    if pre:  # "last Christmas", "next Easter": strictly that side
        side = [d for d in cands if (d < ctx.dct if direction < 0 else d > ctx.dct)]
        if side:
            return "DATE", tv.day(max(side) if direction < 0 else min(side))
    return "DATE", tv.day(tv.pick_near(ctx.dct, cands, direction))


def norm_year_adj(m: re.Match, ctx: Context):
    w = _g(m, "w")
    if ctx.dct is None:
        return "DATE", None
    if "end" in w:
        return "DATE", f"{ctx.dct.year:04d}"
    if _quarter_context(ctx):
        y, q = ctx.ref_quarter
        return "DATE", f"{y - 1:04d}-Q{q}"
    return "DATE", f"{ctx.dct.year - 1:04d}"


def norm_week_of(m: re.Match, ctx: Context):
    dn = _day_number(m.group("d"))
    mon = _month(m.group("m"))
    if ctx.dct is None or not dn:
        return "DATE", None
    d = tv.month_day_near(ctx.dct, mon, dn, ctx.direction())
    return ("DATE", tv.week(d)) if d else None


# rules match an ASCII-lower-cased copy of the text (same offsets; ~2x faster than re.IGNORECASE);
# guards that care about capitals read the original through `_orig`
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _compile(p: str) -> re.Pattern:
    body = (_B + "(?:" + p + ")" + _E).lower().replace("(?p<", "(?P<").replace("(?p=", "(?P=")
    return re.compile(body)


# order breaks ties between equally long matches
RULES: tuple[Rule, ...] = (
    Rule("full_date", _compile(FULL_DATE), norm_full_date, guard_full_date),
    Rule("iso_date", _compile(ISO_DATE), norm_iso_date),
    Rule("numeric_date", _compile(NUMERIC_DATE), norm_numeric_date),
    Rule("week_of", _compile(WEEK_OF), norm_week_of),
    Rule("clock", _compile(CLOCK), norm_clock),
    Rule("clock24", _compile(CLOCK24), norm_clock24),
    Rule("clock_words", _compile(CLOCK_WORDS), norm_clock_words),
    Rule("noon", _compile(NOON), norm_noon),
    Rule("month_year", _compile(MONTH_YEAR), norm_month_year, guard_month_year),
    Rule("rel_month", _compile(REL_MONTH), norm_rel_month, guard_month_year),
    Rule("holiday", _compile(HOLIDAY), norm_holiday, guard_holiday),
    Rule("quarter", _compile(QUARTER), norm_quarter, guard_quarter),
    Rule("q_abbr", _compile(Q_ABBR), norm_q_abbr, lambda m, text: text[m.start()] == "Q"),
    Rule("half", _compile(HALF), norm_half),
    Rule("season", _compile(SEASON), norm_season, guard_season),
    Rule("weekend", _compile(WEEKEND), norm_weekend),
    Rule("rel_day", _compile(REL_DAY), norm_rel_day),
    Rule("pod", _compile(POD), norm_pod),
    Rule("weekday", _compile(WEEKDAY), norm_weekday, guard_weekday),
    Rule("ago", _compile(AGO), norm_ago, guard_ago),
    Rule("rel_unit", _compile(REL_UNIT), norm_rel_unit),
    Rule("decade", _compile(DECADE), norm_decade, guard_decade),
    Rule("century", _compile(CENTURY), norm_century),
    Rule("year_adj", _compile(YEAR_ADJ), norm_year_adj),
    Rule("set_every", _compile(SET_EVERY), norm_set_every, guard_set_every),
    Rule("set_adverb", _compile(SET_ADVERB), norm_set_adverb, guard_set_adverb),
    Rule("duration", _compile(DURATION), norm_duration, guard_duration),
    Rule("year", _compile(YEAR), norm_year, guard_year),
    Rule("bare_month", _compile(BARE_MONTH), norm_bare_month, guard_bare_month),
    Rule("vague_duration", _compile(VAGUE_DURATION), norm_vague_duration, guard_vague_duration),
    Rule("rel_day_ref", _compile(REL_DAY_REF), norm_rel_day_ref, guard_rel_day_ref),
    Rule("ordinal_day", _compile(ORDINAL_DAY), norm_ordinal_day, guard_ordinal_day),
    Rule("day_of_month", _compile(DAY_OF_MONTH), norm_day_of_month, guard_day_of_month),
    Rule("the_unit", _compile(THE_UNIT), norm_the_unit, guard_the_unit),
    Rule("overnight", _compile(OVERNIGHT), norm_overnight, guard_overnight),
    Rule("ref", _compile(REF), norm_ref, guard_ref),
)
RULE_ORDER = {r.name: i for i, r in enumerate(RULES)}


@dataclass
class Candidate:
    start: int
    end: int
    rule: Rule
    match: re.Match


# Trigger words: a rule is only tried at the word starts shortly before one of its triggers, so the
# rule regexes run on a few hundred positions instead of every character (about 5x faster).
TRIGGER_WORDS: dict[str, str] = {
    "month": "january february march april may june july august september october november december "
             "jan feb mar apr jun jul aug sept sep oct nov dec",
    "weekday": "monday tuesday wednesday thursday friday saturday sunday mondays tuesdays wednesdays thursdays "
               "fridays saturdays sundays mon tue tues wed thu thur thurs fri sat sun",
    "unit": "second seconds minute minutes min mins hour hours hr hrs day days week weeks fortnight fortnights "
            "month months quarter quarters year years yr yrs decade decades century centuries millennium "
            "millennia weekend weekends period",
    "pod": "morning afternoon evening night nights overnight noon midnight midday",
    "ampm": "am pm m clock",
    "spelled": "nineteen eighteen thousand twenties thirties forties fifties sixties seventies eighties nineties",
    "relday": "today tonight yesterday tomorrow",
    "holiday": "christmas year halloween valentine boxing easter good thanksgiving",
    "season": "spring summer fall autumn winter",
    "ref": "now current currently present presently nowadays days moment recent recently lately previously "
           "past future soon earlier term later ago hence back",
    "set": "daily weekly monthly yearly hourly nightly biweekly fortnightly",
    "half": "half",
    "qabbr": "q1 q2 q3 q4",
}
WORD_CATS: dict[str, tuple[str, ...]] = {}
for _cat, _words in TRIGGER_WORDS.items():
    for _w in _words.split():
        WORD_CATS[_w] = WORD_CATS.get(_w, ()) + (_cat,)
TOKEN = re.compile(r"['’]?\d+|[a-z]+\d?")
RULE_TRIGGERS: dict[str, tuple[str, ...]] = {
    "full_date": ("month",), "iso_date": ("digit",), "numeric_date": ("digit",), "week_of": ("month",),
    "clock": ("ampm",), "clock24": ("digit",), "clock_words": ("pod",), "noon": ("pod",),
    "month_year": ("month",), "rel_month": ("month",), "holiday": ("holiday", "weekday"), "quarter": ("unit",),
    "q_abbr": ("qabbr",), "half": ("half",), "season": ("season",), "weekend": ("unit",), "rel_day": ("relday",),
    "pod": ("pod",), "weekday": ("weekday",), "ago": ("ref",), "rel_unit": ("unit",),
    "decade": ("digit", "spelled"), "century": ("unit",), "year_adj": ("unit",),
    "set_every": ("unit", "pod", "weekday", "month"), "set_adverb": ("set",), "duration": ("unit", "pod"),
    "year": ("digit", "spelled"), "bare_month": ("month",), "vague_duration": ("unit",),
    "rel_day_ref": ("unit", "pod"), "ordinal_day": ("unit",), "day_of_month": ("digit",), "the_unit": ("unit",), "overnight": ("pod",),
    "ref": ("ref",),
}
# how far before its trigger word a timex may start ("the past more than four | hours")
MAX_LEAD = 50


def candidates(text: str, blocked: tuple[tuple[int, int], ...] = ()) -> list[Candidate]:
    """Every guarded rule match, trimmed of trailing whitespace, outside `blocked` spans."""
    low = text.translate(_ASCII_LOWER)
    hits: dict[str, list[int]] = {}
    starts: list[int] = []
    for m in TOKEN.finditer(low):
        p = m.start()
        starts.append(p)
        w = m.group()
        cats = ("digit",) if w[-1].isdigit() and not w[0].isalpha() else WORD_CATS.get(w, ())
        for cat in cats:
            hits.setdefault(cat, []).append(p)
    if not hits:
        return []
    by_cat: dict[str, set[int]] = {}
    for cat, hs in hits.items():
        ps: set[int] = set()
        for h in hs:
            ps.update(starts[bisect_left(starts, h - MAX_LEAD):bisect_right(starts, h)])
        by_cat[cat] = ps
    by_cats: dict[tuple[str, ...], list[int]] = {}
    out: list[Candidate] = []
    for rule in RULES:
        cats = RULE_TRIGGERS[rule.name]
        positions = by_cats.get(cats)
        if positions is None:
            positions = by_cats[cats] = sorted(set().union(*(by_cat.get(c, ()) for c in cats)))
        seen: set[tuple[int, int]] = set()
        match = rule.pattern.match
        for pos in positions:
            m = match(low, pos)
            if m is None:
                continue
            s, e = m.start(), m.end()
            if rule.name == "duration" and m.group("det") and "-" in low[m.end("num"):m.start("unit")] \
                    and re.match(r" [a-z]", low[m.end():m.end() + 2]):
                s = m.start("approx") if m.group("approx") else m.start("num")  # "a [five-year] truce"
            while e > s and text[e - 1].isspace():
                e -= 1
            if e <= s or (s, e) in seen:
                continue
            seen.add((s, e))
            if rule.guard and not rule.guard(m, text):
                continue
            if rule.name == "year" and any(bs <= s and e <= be for bs, be in blocked):
                continue
            out.append(Candidate(s, e, rule, m))
    return out


def select(cands: list[Candidate]) -> list[Candidate]:
    """Non-overlapping candidates, longest first (ties: earlier rule), returned in text order."""
    chosen: list[Candidate] = []
    taken = DisjointSpans()
    for c in sorted(cands, key=lambda c: (-(c.end - c.start), RULE_ORDER[c.rule.name], c.start)):
        if taken.overlapping(c.start, c.end):
            continue
        chosen.append(c)
        taken.add(c.start, c.end)
    return sorted(chosen, key=lambda c: c.start)


def default_tense(text: str) -> Tense:
    """A model-free tense oracle: the nearest tense cue in the same sentence."""
    def tense(start: int, end: int) -> int:
        return text_tense(text, start, end)
    return tense


FUTURE_CUES = re.compile(
    r"\b(?:will|'ll|’ll|shall|won't|won’t|going\s+to|plans?\s+to|planned\s+for|scheduled|expected\s+to|due\s+to"
    r"|set\s+to|to\s+be\s+held|intends?\s+to|would|upcoming|is\s+to|are\s+to|next|until|till|by|starting|from\s+now"
    r"|deadline|expires?|ends?\s+on|begins?|opens?|resumes?)\b", re.IGNORECASE)
PAST_CUES = re.compile(
    r"\b(?:was|were|had|did|said|says|told|reported|announced|ago|last|yesterday|earlier|since"
    r"|fell|rose|took|came|went|gave|found|saw|began|won|lost|left|met|held|struck|fought|fled|shot|sent|kept"
    r"|brought|bought|sold|led|spoke|wrote|ran|flew|drove|grew|threw|became|stood|paid|broke|caught|hid|seized"
    r"|(?!(?:scheduled|planned|expected|needed|based|used|related|united|limited|armed|proposed|intended)\b)"
    r"[a-z]{3,}ed)\b",
    re.IGNORECASE)


def text_tense(text: str, start: int, end: int, window: int = 120) -> int:
    """-1/+1 from the tense cue nearest the span within its sentence, 0 if none."""
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start), start - window)
    right_candidates = [i for i in (text.find(". ", end), text.find("\n", end)) if i != -1]
    right = min(right_candidates + [end + window // 2])
    best, best_d = 0, 10 ** 6
    for sign, rx in ((1, FUTURE_CUES), (-1, PAST_CUES)):
        for m in rx.finditer(text, max(0, left), right):
            if start <= m.start() < end:
                continue
            d = start - m.end() if m.end() <= start else m.start() - end
            d = d if m.end() <= start else d * 1.5  # cues after the timex weigh a little less
            if d < best_d:
                best, best_d = sign, d
    return best


def find_timexes(text: str, dct: Optional[date], tense: Optional[Tense] = None,
                 blocked: tuple[tuple[int, int], ...] = ()) -> list[dict]:
    """Timex records ({text, start, end, type, value, rule}) for `text`, values against `dct`.

    `tense(start, end)` says whether an under-specified date points back (-1) or ahead (+1);
    `blocked` are spans a model says are counts or amounts (no bare year inside them)."""
    ctx = Context(dct=dct, text=text, tense=tense or default_tense(text))
    out: list[dict] = []
    for c in select(candidates(text, blocked)):
        ctx.span = (c.start, c.end)
        res = c.rule.normalize(c.match, ctx)
        if res is None:
            continue
        typ, value = res[0], res[1]
        rec = {"text": text[c.start:c.end], "start": c.start, "end": c.end, "type": typ, "value": value,
               "rule": c.rule.name}
        if len(res) > 2:
            rec.update(res[2])
        out.append(rec)
    out = _add_listed_days(out, text)
    _attach_days(out, text, dct)
    return out


# "April 24 and 25", "27 and 28 November": the bare day number is a date of the same month
LISTED_DAY_AFTER = re.compile(
    r"\s*(?:and|or|to|through|-|–)\s*(\d{1,2})(?:st|nd|rd|th)?(?![\d/:.,]\d|\s*(?:%|percent))\b")
LISTED_DAY_BEFORE = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s*(?:,|and|or|to|-|–)\s*(?:the\s+)?$")


def _add_listed_days(timexes: list[dict], text: str) -> list[dict]:
    extra = []
    taken = [(t["start"], t["end"]) for t in timexes]
    for t in timexes:
        d = tv.parse_day(t["value"]) if t["rule"] == "full_date" else None
        if d is None:
            continue
        starts_with_day = t["text"][:1].isdigit()
        m = LISTED_DAY_AFTER.match(text, t["end"]) if not starts_with_day else None
        if m is None and starts_with_day:
            m = LISTED_DAY_BEFORE.search(text, max(0, t["start"] - 12), t["start"])
        if m is None:
            continue
        s, e = m.span(1)
        other = tv.safe_date(d.year, d.month, int(m.group(1)))
        if other is None or any(s < te and ts < e for ts, te in taken):
            continue
        extra.append({"text": text[s:e], "start": s, "end": e, "type": "DATE", "value": tv.day(other),
                      "rule": "listed_day"})
    return sorted(timexes + extra, key=lambda t: t["start"])


def _attach_days(timexes: list[dict], text: str, dct: Optional[date]) -> None:
    """Give a bare clock time ("at 7:50 a.m.") the day of a date next to it ("on November 27"),
    else of the nearest earlier day in its sentence, else the DCT."""
    for i, t in enumerate(timexes):
        if not (t["type"] == "TIME" and (t["value"] or "").startswith("XXXX-XX-XX")):
            continue
        clock = t["value"][10:]
        day_value = None
        for j in (i + 1, i - 1):
            if 0 <= j < len(timexes) and tv.parse_day(timexes[j]["value"]):
                o = timexes[j]
                gap = text[t["end"]:o["start"]] if j > i else text[o["end"]:t["start"]]
                if re.fullmatch(r"\s*(?:,|on|on\s+the|of|at|,\s*on)?\s*", gap):
                    day_value = tv.parse_day(o["value"])
                    break
        if day_value is None:
            for o in reversed(timexes[:i]):
                d = tv.parse_day(o["value"])
                if d and not SENTENCE_END.search(text[o["end"]:t["start"]]):
                    day_value = d
                    break
        if day_value is None:
            day_value = dct
        t["value"] = (tv.day(day_value) + clock) if day_value else None
