"""Figures: casualty and quantity statements read from plain text (sitroom.figures)."""
from __future__ import annotations

import pytest

from sitroom.figures import find_figures, parse_count

KEYS = ("count", "count_high", "qualifier", "category", "victims")


def _brief(text: str) -> list[tuple]:
    return [tuple(f[k] for k in KEYS) for f in find_figures(text)]


@pytest.mark.parametrize("text, expected", [
    # belligerent's statement, partisan outlet style
    ("At least 400 militants were eliminated in the past day.",
     [(400, None, "at_least", "killed", "militants")]),
    ("it was reported that over 400 militants were killed in the first 24 hours",
     [(400, None, "over", "killed", "militants")]),
    ("More than 30 fighters were neutralised near the bridge.",
     [(30, None, "over", "killed", "fighters")]),
    ("Up to 50 gunmen lost their lives in the ambush.",
     [(50, None, "at_most", "killed", "gunmen")]),
    # wire style
    ("The shelling killed two soldiers and three civilians, officials said.",
     [(2, None, "exact", "killed", "soldiers"), (3, None, "exact", "killed", "civilians")]),
    ("Two soldiers and three civilians were killed on Monday.",
     [(2, None, "exact", "killed", "soldiers"), (3, None, "exact", "killed", "civilians")]),
    ("Twelve people were killed and 30 wounded in the blast.",
     [(12, None, "exact", "killed", "people"), (30, None, "exact", "injured", None)]),
    ("Dozens of people were killed and wounded in the market.",
     [(12, None, "at_least", "casualties", "people")]),
    ("Between 10 and 15 villagers were killed, residents said.",
     [(10, 15, "exact", "killed", "villagers")]),
    ("The death toll from Tuesday's strike rose to 45.",
     [(45, None, "exact", "killed", None)]),
    ("The attack claimed the lives of twenty-five worshippers.",
     [(25, None, "exact", "killed", "worshippers")]),
    ("An airstrike killed a civilian in the village.",
     [(1, None, "exact", "killed", "civilian")]),
    # monitoring-group style
    ("Hundreds of families have fled the fighting since Friday.",
     [(100, None, "at_least", "displaced", "families")]),
    ("Scores of protesters were injured and a dozen were detained.",
     [(20, None, "at_least", "injured", "protesters"), (12, None, "exact", "arrested", None)]),
    ("Some 2,000 troops were deployed to the border.",
     [(2000, None, "about", None, "troops")]),
    ("Three Ukrainian soldiers were taken prisoner.",
     [(3, None, "exact", "captured", "Ukrainian soldiers")]),
    ("Forces destroyed 3 tanks and up to 50 militants.",
     [(3, None, "exact", "destroyed", "tanks"), (50, None, "at_most", "killed", "militants")]),
    ("Nearly 200 people died of their wounds, and 10-15 more remain missing.",
     [(200, None, "at_most", "killed", "people"), (10, 15, "exact", "missing", None)]),
])
def test_figures_reads_casualty_statements(text, expected):
    assert _brief(text) == expected


@pytest.mark.parametrize("text", [
    "The attack began at 7:50 a.m. on November 27.",
    "Captain 1st rank Oleg Ignasyuk stated the losses were major.",
    "Some 46 percent of voters back the plan, a poll of 1,001 adults showed.",
    "In 2016 the offensive took 24 hours to stall, 10 km from the town.",
    "He pledged $500 million in aid to 12 provinces.",
])
def test_figures_ignores_numbers_that_are_not_counts(text):
    assert find_figures(text) == []


def test_figures_offsets_point_into_the_text():
    text = "Officials said that at least 400 militants were eliminated, and two civilians died."
    figs = find_figures(text)
    assert [text[f["start"]:f["end"]] for f in figs] == [f["text"] for f in figs]
    assert figs[0]["text"] == "at least 400 militants were eliminated"
    assert figs[1]["text"] == "two civilians died"


def test_figures_civilian_victims_get_the_civilians_side():
    fig = find_figures("Five civilians were killed in the strike.")[0]
    assert fig["victim_actor"] == "Civilians"


@pytest.mark.parametrize("phrase, expected", [
    ("dozens", 12), ("hundreds", 100), ("scores", 20), ("a dozen", 12), ("twenty-five", 25),
    ("two hundred and fifty", 250), ("1,200", 1200), ("1.5 million", 1_500_000), ("nothing", None),
])
def test_figures_parse_count(phrase, expected):
    assert parse_count(phrase) == expected
