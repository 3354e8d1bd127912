"""Number words (sitroom.numbers): one vocabulary, three readers with the contracts their callers need."""
from __future__ import annotations

import re

import pytest

from sitroom.numbers import (TENS, TENS_ANY_SPELLING, UNITS, parse_number, read_count, read_number,
                             word_value)
from sitroom.stages import temporal_lexicon


@pytest.mark.parametrize("text, expected", [
    ("two hundred and fifty soldiers", (250, 4)),
    ("twenty-five dead", (25, 1)),
    ("three thousand two hundred", (3200, 4)),
    ("hundred", (100, 1)),
    ("thousand", None),           # a scale needs a number before it, except 'hundred'
    ("and two", None),
    ("fourty", None),             # standard spellings only
])
def test_numbers_read_number(text, expected):
    assert read_number(text.split(), 0) == expected


@pytest.mark.parametrize("text, expected", [
    ("1,200 people", (1200, 1, False, True)),
    ("3 million people", (3_000_000, 2, False, True)),
    ("2.5 people", None),
    ("a dozen soldiers", (12, 2, False, False)),
    ("a couple of soldiers", (2, 3, False, False)),
    ("half a dozen", (6, 3, False, False)),
    ("two dozen", (24, 2, False, False)),
    ("dozens of civilians", (12, 2, True, False)),
    ("a few people", (3, 2, True, False)),
    ("a handful of people", (3, 3, True, False)),
    ("several people", (10, 1, True, False)),
    ("soldiers", None),
])
def test_numbers_read_count(text, expected):
    assert read_count(text.split(), 0) == expected


@pytest.mark.parametrize("phrase, expected", [
    ("fourty five", 45), ("two hundred", None), ("a hundred", 100), ("hundreds", None),
    ("dozens of", None), ("a dozen", 12), ("half a", 0.5), ("", 1),
])
def test_numbers_parse_number_edges(phrase, expected):
    assert parse_number(phrase) == expected


def test_numbers_readers_differ_where_their_callers_did():
    """Figures count 'dozens' as ACLED's 12; a duration of 'dozens of' years names no number."""
    assert read_count(["dozens"], 0)[0] == 12
    assert parse_number("dozens of") is None


def test_numbers_word_value():
    assert [word_value(w) for w in ("zero", "seven", "nineteen", "fifty", "ninety", "a", "hundred")] == \
        [0, 7, 19, 50, 90, None, None]


def test_numbers_temporal_patterns_match_every_word_the_parser_reads():
    """The temporal stage's regex fragments are built from the same tables as parse_number."""
    num = re.compile(rf"(?:{temporal_lexicon.NUM})\Z")
    for word, value in {**UNITS, **TENS_ANY_SPELLING}.items():
        if value:
            assert num.match(word) and parse_number(word) == value
    assert set(TENS) <= set(TENS_ANY_SPELLING)
