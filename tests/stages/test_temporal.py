"""Time stage: recognition, TIMEX3 normalization against the publication date, and event dating.

Pure functions are tested directly (no model); the stage and `event_date` run on a blank English
pipeline with a sentencizer, i.e. the no-model configuration.
"""
from __future__ import annotations

from datetime import date

import pytest

from sitroom.numbers import parse_number
from sitroom import timevalues as tv
from sitroom.stages.events.when import timex_event_date as event_date
from sitroom.stages.events.when import timexes_in
from sitroom.stages.temporal import TimeStage
from sitroom.stages.temporal_rules import find_timexes, spelled_year

SAT = date(2024, 11, 30)   # the seed's publication day, a Saturday
WED = date(2024, 11, 27)
JAN = date(2025, 1, 3)     # a Friday just after the new year


def values(text: str, dct: date | None) -> list[tuple[str, str | None]]:
    return [(t["text"], t["value"]) for t in find_timexes(text, dct)]


@pytest.fixture(scope="module")
def stage(blank_en):
    return TimeStage(blank_en, "sitroom_time")


def annotate(blank_en, stage, text: str, published: str | None = "2024-11-30"):
    doc = blank_en(text)
    doc._.published = published
    return stage(doc)


# ------------------------------------------------------------------ recognition and values
@pytest.mark.parametrize("text, expected", [
    ("The assault began on November 27 in Aleppo.", [("November 27", "2024-11-27")]),
    ("The army was reported on 29 November to have launched a counteroffensive.", [("29 November", "2024-11-29")]),
    ("They attacked at 7:50 a.m. on November 27.", [("7:50 a.m.", "2024-11-27T07:50"), ("November 27", "2024-11-27")]),
    ("400 militants were killed in the past 24 hours.", [("the past 24 hours", "P1D")]),
    ("Rebels shelled the town on Friday.", [("Friday", "2024-11-29")]),
    ("The strike came late on Friday.", [("late on Friday", "2024-11-29")]),
    ("Two villages fell two days ago.", [("two days ago", "2024-11-28")]),
    ("Earlier this month, protesters marched.", [("Earlier this month", "2024-11")]),
    ("Al Nusra controlled the area in the mid-2010s.", [("the mid-2010s", "201X")]),
    ("Clashes erupted last week.", [("last week", "2024-W47")]),
    ("Police said yesterday that the curfew holds.", [("yesterday", "2024-11-29")]),
    ("Fighting is going on now.", [("now", "PRESENT_REF")]),
    ("The ceasefire was signed on 2024-11-26.", [("2024-11-26", "2024-11-26")]),
    ("Elections were held in March 2023.", [("March 2023", "2023-03")]),
    ("The offensive began in 2011.", [("2011", "2011")]),
    ("Losses rose in the third quarter.", [("the third quarter", "2024-Q3")]),
    ("Aid convoys arrive daily.", [("daily", "P1D")]),
    ("Markets close every Friday.", [("every Friday", "XXXX-WXX-5")]),
    ("The siege lasted for more than four months.", [("more than four months", "P4M")]),
    ("A five-year truce ended.", [("five-year", "P5Y")]),
    ("The drone struck this morning.", [("this morning", "2024-11-30TMO")]),
    ("Shelling continued last night.", [("last night", "2024-11-29TNI")]),
    ("The talks resume next Monday.", [("next Monday", "2024-12-02")]),
])
def test_time_recognizes_and_normalizes(text, expected):
    assert values(text, SAT) == expected


@pytest.mark.parametrize("text, expected", [
    # the publication day's own weekday is that day; other weekdays follow the tense
    ("The minister said Wednesday that talks failed.", [("Wednesday", "2024-11-27")]),
    ("Gunmen attacked a bus on Thursday.", [("Thursday", "2024-11-21")]),
    ("The envoy will meet rebel leaders on Thursday.", [("Thursday", "2024-11-28")]),
    ("Troops withdrew on Monday.", [("Monday", "2024-11-25")]),
    ("The camp was hit last Wednesday.", [("last Wednesday", "2024-11-20")]),
    ("The vote is scheduled for Sunday.", [("Sunday", "2024-12-01")]),
])
def test_time_weekdays_around_publication_day(text, expected):
    assert values(text, WED) == expected


@pytest.mark.parametrize("text, expected", [
    ("Rebels seized the town last December.", [("last December", "2024-12")]),
    ("Rebels seized the town in December.", [("December", "2024-12")]),
    ("The bombing on December 30 killed nine.", [("December 30", "2024-12-30")]),
    ("Clashes broke out last week.", [("last week", "2024-W52")]),
    ("The militia withdrew yesterday.", [("yesterday", "2025-01-02")]),
    ("Casualties fell last year.", [("last year", "2024")]),
    ("The new government takes office on January 20.", [("January 20", "2025-01-20")]),
    ("Attacks have continued since Dec. 28.", [("Dec. 28", "2024-12-28")]),
])
def test_time_year_boundary(text, expected):
    assert values(text, JAN) == expected


@pytest.mark.parametrize("text, expected", [
    ("The blockade has lasted twenty-four hours.", [("twenty-four hours", "P1D")]),
    ("The siege lasted three weeks.", [("three weeks", "P3W")]),
    ("Talks dragged on for two and a half years.", [("two and a half years", "P2Y6M")]),
    ("A ceasefire was agreed in nineteen ninety-six.", [("nineteen ninety-six", "1996")]),
    ("The war ended a couple of years ago.", [("a couple of years ago", "2022")]),
    ("It took several months to rebuild.", [("several months", "PXM")]),
    ("Fighting went on for eleven days.", [("eleven days", "P11D")]),
    ("The curfew lasted a minute and a half.", [("a minute and a half", "PT1M30S")]),
])
def test_time_numbers_written_as_words(text, expected):
    assert values(text, SAT) == expected


@pytest.mark.parametrize("text", [
    "Theresa May said the talks would go on.",
    "Some 2000 troops crossed the border.",
    "A 32-year-old man was arrested.",
    "The fall of Aleppo shocked the region.",
    "The Arab Spring reached Syria.",
    "Protesters may march on the capital.",
    "He scored 1990 points in his career.",
    "The Christian Quarter was shelled.",
    "A quarter of the population fled.",
])
def test_time_ignores_non_temporal_readings(text):
    assert [t for t in find_timexes(text, SAT) if t["type"] in ("DATE", "TIME")] == []


@pytest.mark.parametrize("text, expected", [
    ("Rebels shelled the town on Friday.", [("Friday", "XXXX-WXX-5")]),
    ("The assault began on November 27.", [("November 27", "XXXX-11-27")]),
    ("The offensive began in 2011.", [("2011", "2011")]),
    ("They left yesterday.", [("yesterday", None)]),
])
def test_time_without_publication_date_keeps_what_the_text_says(text, expected):
    assert values(text, None) == expected


@pytest.mark.parametrize("text", [
    "On Friday, at 7:50 a.m. local time, the attack began; 400 died in the first 24 hours.",
    "Shelling, which began late last week and continued over the weekend, eased on 3 December 2024.",
    "  Leading spaces\n\nand a second paragraph from last Tuesday until now.",
])
def test_time_offsets_point_at_the_text(text):
    for t in find_timexes(text, SAT):
        assert text[t["start"]:t["end"]] == t["text"]


@pytest.mark.parametrize("text, expected", [
    ("KYIV, Nov 28 (Reuters) - Drones struck the grid overnight.", [("Nov 28", "2024-11-28"),
                                                                   ("overnight", "2024-11-27TNI")]),
    ("On the 27th, Russian forces took the village.", [("the 27th", "2024-11-27")]),
    ("The offensive began on November 3. On the 5th, rebels withdrew.", [("November 3", "2024-11-03"),
                                                                          ("the 5th", "2024-11-05")]),
    ("The 30-day truce collapsed.", [("30-day", "P30D")]),
    ("Strikes hit at around 0500 GMT.", [("0500 GMT", "2024-11-28T05:00")]),
    ("He lives on the 29th floor.", []),
])
def test_time_wire_report_conventions(text, expected):
    assert values(text, date(2024, 11, 28)) == expected


def test_time_listed_days_share_the_month():
    assert values("Fighting on 27 and 28 November killed dozens.", SAT) == [
        ("27", "2024-11-27"), ("28 November", "2024-11-28")]


def test_time_following_year_is_relative_to_the_last_date():
    assert values("He was promoted on May 22, 1995, and the following year he retired.", SAT) == [
        ("May 22, 1995", "1995-05-22"), ("the following year", "1996")]


# ------------------------------------------------------------------ pure helpers
@pytest.mark.parametrize("words, number", [
    ("twenty four", 24), ("twenty-six", 26), ("a", 1), ("2 1/2", 2.5), ("1,000", 1000),
    ("several", None), ("a couple of", 2), ("five and a half", 5.5),
])
def test_time_parse_number(words, number):
    assert parse_number(words) == number


@pytest.mark.parametrize("words, year", [
    ("nineteen ninety-six", 1996), ("two thousand", 2000), ("two thousand and one", 2001), ("2024", 2024),
])
def test_time_spelled_year(words, year):
    assert spelled_year(words) == year


@pytest.mark.parametrize("n, unit, value", [
    (2, "year", "P2Y"), (24, "hour", "PT24H"), (None, "year", "PXY"), (2.5, "year", "P2Y6M"),
    (1.5, "hour", "PT1H30M"), (2, "decade", "P20Y"), (3, "week", "P3W"), (None, "decade", "PXE"),
])
def test_time_duration_values(n, unit, value):
    assert tv.duration(n, unit) == value


@pytest.mark.parametrize("value, expected", [
    ("2024-11-27", (date(2024, 11, 27), 1)),
    ("2024-11-27T07:50", (date(2024, 11, 27), 1)),
    ("2024-W48", (date(2024, 11, 27), 2)),
    ("2024-11", (date(2024, 11, 15), 3)),
    ("2024-Q4", (date(2024, 11, 15), 3)),
    ("2024", None), ("PAST_REF", None), ("P1D", None),
])
def test_time_range_midpoint_gives_acled_precision(value, expected):
    assert tv.range_midpoint(value) == expected


def test_time_easter_and_thanksgiving():
    assert tv.easter(2024) == date(2024, 3, 31)
    assert values("Shops closed on Thanksgiving.", date(2024, 12, 2)) == [("Thanksgiving", "2024-11-28")]


# ------------------------------------------------------------------ the stage and event dating
def test_time_stage_writes_layer_and_span_group(blank_en, stage):
    doc = annotate(blank_en, stage, "The assault began on November 27. It went on for three days.")
    assert [(t["text"], t["type"], t["value"]) for t in doc._.timexes] == [
        ("November 27", "DATE", "2024-11-27"), ("three days", "DURATION", "P3D")]
    assert [s.text for s in doc.spans["sitroom_timexes"]] == ["November 27", "three days"]
    assert timexes_in(doc, 0, 33) == doc._.timexes[:1]


@pytest.mark.parametrize("text, trigger, expected", [
    ("Rebels attacked the town on Friday.", "attacked", ("2024-11-29", 1)),
    ("Rebels attacked the town on Friday. They killed five soldiers.", "killed", ("2024-11-29", 1)),
    ("Militants stormed a checkpoint. Three police officers died.", "stormed", ("2024-11-29", 2)),
    ("Last week, clashes erupted in Goma.", "clashes", ("2024-11-20", 2)),
    ("Earlier this month, protesters marched in Khartoum.", "marched", ("2024-11-15", 3)),
    ("In the past 24 hours, 20 people were killed.", "killed", ("2024-11-29", 1)),
    ("On Monday, soldiers shelled the city. Two days later, troops retook the village.", "retook",
     ("2024-11-27", 1)),
    ("Talks will resume on Tuesday. Gunmen killed two guards.", "killed", ("2024-11-29", 2)),
    ("In 2016 the rebels captured Idlib.", "captured", None),
    ("Thirty houses burned in the past week in attacks.", "burned", ("2024-11-26", 2)),
    ("Militias are arming ahead of the elections in March of next year.", "arming", ("2024-11-29", 2)),
    ("One person was killed late in the day in a grenade blast.", "killed", ("2024-11-29", 2)),
    ("The army retook the town on 3 October. Residents returned.\n\nA bomb exploded in the market.",
     "exploded", ("2024-11-29", 2)),
])
def test_time_event_date(blank_en, stage, text, trigger, expected):
    doc = annotate(blank_en, stage, text)
    i = text.index(trigger)
    assert event_date(doc, i, i + len(trigger)) == expected


def test_time_event_date_without_publication_date(blank_en, stage):
    doc = annotate(blank_en, stage, "Gunmen killed two guards. On 3 March 2024, rebels shelled the base.", None)
    assert event_date(doc, 0, 6) is None
    i = doc.text.index("shelled")
    assert event_date(doc, i, i + 7) == ("2024-03-03", 1)


def test_time_stage_without_earlier_layers_or_text(blank_en, stage):
    assert annotate(blank_en, stage, "")._.timexes == []
    assert annotate(blank_en, stage, "No dates here at all.")._.timexes == []
