"""News datelines (`sitroom.datelines`) on datelines and near misses we wrote."""
from __future__ import annotations

import pytest

from sitroom.datelines import dateline_at, dateline_records, find_datelines
from sitroom.document import DatelineRecord


def parts(text: str) -> list[tuple]:
    """(dateline text, place names, date text, agency) of each dateline."""
    return [(text[d.start:d.end], [text[s:e] for s, e in d.places],
             text[d.date_start:d.date_end] if d.date_start is not None else None, d.agency)
            for d in find_datelines(text)]


@pytest.mark.parametrize("text, dateline, places, date, agency", [
    # wire
    ("KYIV, March 3 (Reuters) - Russian drones hit a power plant.", "KYIV, March 3 (Reuters) - ",
     ["KYIV"], "March 3", "Reuters"),
    ("GAZA CITY (AP) — Israeli strikes killed four people.", "GAZA CITY (AP) — ", ["GAZA CITY"], None, "AP"),
    ("ADDIS ABABA, Ethiopia, Sept. 12 (UPI) — Talks resumed.", "ADDIS ABABA, Ethiopia, Sept. 12 (UPI) — ",
     ["ADDIS ABABA", "Ethiopia"], "Sept. 12", "UPI"),
    ("Nairobi (AFP) - Kenyan police fired tear gas.", "Nairobi (AFP) - ", ["Nairobi"], None, "AFP"),
    ("DAKAR, Senegal (AP)_ Soldiers patrolled the port.", "DAKAR, Senegal (AP)_ ", ["DAKAR", "Senegal"], None, "AP"),
    ("LAGOS (AP) Gunmen kidnapped a pastor.", "LAGOS (AP) ", ["LAGOS"], None, "AP"),
    # broadcaster and newspaper
    ("NAIROBI, Kenya — Police blocked the march.", "NAIROBI, Kenya — ", ["NAIROBI", "Kenya"], None, None),
    ("MOMBASA, Kenya—A grenade exploded.", "MOMBASA, Kenya—", ["MOMBASA", "Kenya"], None, None),
    ("TRENTON, N.J. -- Two officers were hurt.", "TRENTON, N.J. -- ", ["TRENTON", "N.J."], None, None),
    ("TIJUANA & SAN DIEGO, MARCH 29 -- Crossings reopened.", "TIJUANA & SAN DIEGO, MARCH 29 -- ",
     ["TIJUANA", "SAN DIEGO"], "MARCH 29", None),
    ("ATLANTA ― Voters queued for hours.", "ATLANTA ― ", ["ATLANTA"], None, None),
    # local and state outlets
    ("Mogadishu, 12 May 2024 - Al-Shabaab fighters attacked a base.", "Mogadishu, 12 May 2024 - ",
     ["Mogadishu"], "12 May 2024", None),
    ("BEIRUT: Israeli jets struck a village.", "BEIRUT: ", ["BEIRUT"], None, None),
    ("GITEGA January 29th (ABP) – Two people died.", "GITEGA January 29th (ABP) – ", ["GITEGA"],
     "January 29th", "ABP"),
    ("LAHORE, May 5 (APP):The chief minister visited.", "LAHORE, May 5 (APP):", ["LAHORE"], "May 5", "APP"),
])
def test_datelines_forms(text, dateline, places, date, agency):
    assert parts(text) == [(dateline, places, date, agency)]


@pytest.mark.parametrize("text", [
    "Smith, who led the march - and was arrested - said he would appeal.",
    "However, Al Shabaab — the group behind the attack — denied it.",
    "US-Led Strike Kills 12 Civilians",
    "Somalia: Gunmen Kill Five in Mogadishu",
    "NATO, the alliance, said it would send troops.",
    "On 9 May 2024 (or around), police arrested two men.",
    "Wednesday 19 February 2020 - 17:45",
    "READ MORE: Gunmen attack a school",
    "Since the crisis began, more than 200 people – most of them villagers – have died.",
    "By Jane Doe. CAIRO (Reuters) - Talks resumed.",
])
def test_datelines_ordinary_sentences_and_headlines_are_not_datelines(text):
    assert find_datelines(text) == []


def test_datelines_one_per_paragraph_after_the_title():
    text = "Clashes in the north\n\nKADUNA, Nigeria (AP) — Gunmen attacked a village.\n\nABUJA (AP) — Officials said."
    assert [d[0] for d in parts(text)] == ["KADUNA, Nigeria (AP) — ", "ABUJA (AP) — "]
    assert find_datelines(text)[0].start == text.index("KADUNA")


def test_datelines_speaker_labels_of_a_transcript_are_not_datelines():
    text = "HOST NAME: Welcome.\n\nSMITH: Thank you.\n\nHOST NAME: What happened?"
    assert find_datelines(text) == []


def test_datelines_records_and_lookup():
    text = "KYIV, March 3 (Reuters) - Russian drones hit Kharkiv."
    (record,) = dateline_records(text)
    assert record == {"start": 0, "end": 26, "place_start": 0, "place_end": 4, "places": [[0, 4]],
                      "date_start": 6, "date_end": 13, "agency": "Reuters"}
    assert set(record) == set(DatelineRecord.__annotations__)  # the layer's declared shape
    assert dateline_at([record], 0) is record and dateline_at([record], text.index("Kharkiv")) is None
