"""Numbers written in words: one vocabulary, and the readers built on it.

Casualty figures (`sitroom.figures`), time expressions (the temporal stage) and the
events stage's death counts all read English number words.  The words and their values
live here once; the readers differ because their callers ask different questions:

* `read_number(words, i)`: a number spelled out in running text, starting at word i
  ("two hundred and fifty soldiers" -> 250 and where it ends).  Scales multiply,
  "and" joins; standard spellings only.  Used by `read_count`.
* `read_count(words, i)`: a head count at word i as casualty reports write it: digits
  ("1,200", "3 million"; none over `MAX_COUNT`), words, "a dozen", "a couple of", "half a dozen", and vague
  quantities at ACLED's values ("dozens" 12, "hundreds" 100, "a few" 3), flagged vague.
  Used by `sitroom.figures`.
* `parse_number(phrase)`: the value of a whole phrase that is a number, as durations
  and clock times write it ("twenty four" 24, "2 1/2" 2.5, "a couple of" 2); vague
  counts ("several", "dozens of", "hundreds") name no number and give None.  Tolerates
  the misspelling "fourty".  Used by the temporal stage.
* `word_value(word)`: one unit, teen or tens word ("seven" 7, "fifty" 50).

The readers keep the differences their callers had before they shared this module:
`read_count` gives "dozens" 12 where `parse_number` gives None, and `parse_number`
sums its words without scales ("two hundred" is None; "a hundred" is 100).
"""
from __future__ import annotations

import math
import re
from typing import Optional, Sequence

UNITS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS: dict[str, int] = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
                        "eighty": 80, "ninety": 90}
# misspellings common enough in news copy that date and duration readers accept them
MISSPELT_TENS: dict[str, int] = {"fourty": 40}
# by value, each misspelling after its word
TENS_ANY_SPELLING: dict[str, int] = dict(sorted({**TENS, **MISSPELT_TENS}.items(), key=lambda kv: kv[1]))
SCALES: dict[str, int] = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
ORDINALS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
    "twentieth": 20, "thirtieth": 30,
}

# More than the people alive: a "count" above this is a serial number or garbage, never a head count,
# and it would not fit the store's 64-bit integers ("1" followed by ",000" 300 times is infinity).
MAX_COUNT = 10_000_000_000

# ACLED's conventions for vague reports of a count (tens 10, dozens 12, hundreds 100 ...);
# "scores" is one score, by the same logic of taking the smallest plural reading.
VAGUE: dict[str, int] = {
    "tens": 10, "dozens": 12, "scores": 20, "hundreds": 100, "thousands": 1000,
    "several": 10, "many": 10, "numerous": 10,
}
# single-word exact quantities
COLLECTIVE: dict[str, int] = {"dozen": 12, "score": 20, "couple": 2}
# phrases of a count that name no number: a duration of "several years" is vague (PXY)
VAGUE_PHRASES = frozenset({"several", "a few", "few", "some", "many", "a number of", "numerous", "a couple of",
                           "couple of", "a couple", "various", "countless", "the next few", "dozens of"})
COUPLE_PHRASES = frozenset({"a couple of", "couple of", "a couple"})


def word_value(word: str) -> int | None:
    """One lower-case unit, teen or tens word: 'seven' -> 7, 'fifty' -> 50, else None."""
    return UNITS.get(word, TENS.get(word))


def read_number(words: Sequence[str], i: int) -> tuple[int, int] | None:
    """A number spelled out in lower-case words from words[i]: (value, index after it).

    'two hundred and fifty' -> 250, 'twenty-five' -> 25, 'three thousand' -> 3000;
    a scale word needs a number before it except 'hundred'.  None when words[i] starts none.
    """
    total, current, j, seen = 0, 0, i, False
    while j < len(words):
        w = words[j]
        parts = w.split("-")
        if len(parts) == 2 and parts[0] in TENS and parts[1] in UNITS:
            current += TENS[parts[0]] + UNITS[parts[1]]
        elif w in UNITS:
            current += UNITS[w]
        elif w in TENS:
            current += TENS[w]
        elif w in SCALES and (seen or w == "hundred"):
            scale = SCALES[w]
            current = max(current, 1) * scale
            if scale >= 1000:
                total, current = total + current, 0
        elif w == "and" and seen and j + 1 < len(words) and (words[j + 1].split("-")[0] in UNITS
                                                             or words[j + 1].split("-")[0] in TENS):
            j += 1
            continue
        else:
            break
        seen = True
        j += 1
    if not seen:
        return None
    return total + current, j


def _digit_value(word: str) -> float | None:
    try:
        value = float(word.replace(",", ""))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def read_count(words: Sequence[str], i: int) -> tuple[int, int, bool, bool] | None:
    """A head count at lower-case words[i], without qualifiers: (value, index after it, vague, digits).

    '1,200' and '3 million' are digits; '2.5' under a thousand is no head count (None).
    'a dozen', 'a couple of', 'half a dozen', 'a hundred', 'two dozen' are exact;
    'dozens of', 'several', 'a few' (3), 'a handful of' (3) are vague, at ACLED's values.
    """
    if i >= len(words):
        return None
    w = words[i]
    val = _digit_value(w) if w[0].isdigit() else None
    if val is not None:
        j = i + 1
        if j < len(words) and words[j] in SCALES and words[j] != "hundred":
            val *= SCALES[words[j]]
            j += 1
        if val > MAX_COUNT or (val != int(val) and val < 1000):  # "2.5 people" is not a head count
            return None
        return int(val), j, False, True
    if w in ("a", "an", "one") and i + 1 < len(words):
        nxt = words[i + 1]
        if nxt in COLLECTIVE:
            n = COLLECTIVE[nxt]
            j = i + 2
            if nxt == "couple" and j < len(words) and words[j] == "of":
                j += 1
            return n, j, False, False
        if nxt in ("hundred", "thousand"):
            wn = read_number(words, i + 1)
            if wn:
                return wn[0], wn[1], False, False
        if w == "a" and nxt == "few":
            return 3, i + 2, True, False
        if w == "a" and nxt == "handful":
            j = i + 2 + (i + 2 < len(words) and words[i + 2] == "of")
            return 3, j, True, False
    if w == "half" and i + 2 < len(words) and words[i + 1] == "a" and words[i + 2] == "dozen":
        return 6, i + 3, False, False
    if w in VAGUE:
        j = i + 1
        if j < len(words) and words[j] == "of":
            j += 1
        return VAGUE[w], j, True, False
    wn = read_number(words, i)
    if wn:
        val, j = wn
        if j < len(words) and words[j] == "dozen":
            return val * 12, j + 1, False, False
        return val, j, False, False
    return None


def parse_number(phrase: str) -> Optional[float]:
    """The value of a phrase that is a number: 'twenty four' -> 24, '2 1/2' -> 2.5, 'a' -> 1,
    'a couple of' -> 2, 'a dozen' -> 12; a vague count ('several', 'hundreds') or anything
    else -> None.  Unit, teen and tens words add up ('forty five', 'fourty-five')."""
    s = re.sub(r"\s+", " ", phrase.lower().strip()).replace("–", "-")
    if s in COUPLE_PHRASES:
        return 2.0
    if s in VAGUE_PHRASES:
        return None
    half = 0.0
    for suffix in (" and a half", " 1/2", "½"):
        if s.endswith(suffix):
            s, half = s[: -len(suffix)].strip(), 0.5
    if s in ("a", "an", "one", ""):
        return 1.0 + half
    if s in ("a half", "half a"):
        return 0.5
    if s in ("a dozen", "dozen"):
        return 12.0 + half
    if s in ("a hundred", "one hundred"):
        return 100.0 + half
    if s == "hundreds":
        return None
    if re.fullmatch(r"[\d,]+(?:\.\d+)?", s):
        value = float(s.replace(",", "")) + half
        return value if value <= MAX_COUNT else None
    total = 0
    for part in re.split(r"[\s-]+", s):
        if part in TENS_ANY_SPELLING:
            total += TENS_ANY_SPELLING[part]
        elif part in UNITS:
            total += UNITS[part]
        else:
            return None
    return float(total) + half


def alternation(table: dict[str, int], lo: int, hi: int) -> str:
    """The words of `table` valued lo..hi as a regex alternation, in table order ('one|two|...')."""
    return "|".join(w for w, v in table.items() if lo <= v <= hi)


def is_number(text: str) -> bool:
    """Whether `text` reads as a number ('-3', '1.5', '0.7' weights in data files)."""
    try:
        float(text)
    except ValueError:
        return False
    return True
