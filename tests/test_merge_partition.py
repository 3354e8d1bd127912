"""The merge in independent parts (`sitroom.merge.partition`) gives the events of one merge."""
from __future__ import annotations

import dataclasses
import random
from datetime import date, timedelta

import pytest

from sitroom.merge import Report, merge_reports
from sitroom.merge.partition import batches, merge_partitioned, partitions
from test_merge import cluster_results, reports_of

PLACES = [  # (country, admin1, location, lat, lon)
    ("Syria", "Idlib", "Saraqib", 35.8644, 36.8006),
    ("Syria", "Aleppo", "Aleppo", 36.2, 37.15),
    ("Turkey", "Hatay", "Reyhanli", 36.2697, 36.5672),
    ("Lebanon", "North", "Tripoli", 34.4367, 35.8497),
]


def _variant(base: Report, n: int, rng: random.Random, days: int) -> Report:
    """A report of its own article: a place, one of `days` days, perhaps no country, perhaps naming another place."""
    country, admin1, location, lat, lon = rng.choice(PLACES)
    day = (date(2024, 9, 1) + timedelta(days=rng.randrange(days))).isoformat()
    event = {**base.event, "event_id": "e1", "event_date": day, "country": country, "admin1": admin1,
             "admin2": admin1, "location": location, "latitude": lat + rng.uniform(-0.05, 0.05),
             "longitude": lon + rng.uniform(-0.05, 0.05)}
    if rng.random() < 0.05:
        event.update(country=None, admin1=None, admin2=None)
    named = rng.choice(PLACES)
    places = ((named[2], "city"),) if rng.random() < 0.3 else ()
    article = dataclasses.replace(base.article, doc_id=f"doc-{n:03d}", published=day, source_group=f"doc:{n}",
                                  places=places)
    return Report(article=article, event=event, figures=list(base.figures))


def reports_over(days: int) -> list[Report]:
    rng = random.Random(3)
    bases = reports_of(cluster_results())
    return [_variant(rng.choice(bases), n, rng, days) for n in range(160)]


@pytest.fixture(scope="module")
def many() -> list[Report]:
    """160 reports over four months: many parts."""
    return reports_over(120)


def plain_events(merged) -> list[tuple]:
    return [(m.event, sorted((r.doc_id, r.report_id) for r in m.members), m.groups, m.claims) for m in merged]


@pytest.mark.parametrize("days, n", [(120, 1), (120, 3), (120, 8), (14, 4)])  # 14 days: dense, few parts
def test_partitioned_merge_equals_one_merge(days, n):
    many = reports_over(days)
    one = merge_reports(many)
    assert 1 < len(one) < len(many)  # some reports merged, not all
    assert plain_events(merge_partitioned(many, n=n)) == plain_events(one)
    assert plain_events(merge_partitioned(list(reversed(many)), n=n)) == plain_events(one)


def test_partitions_split_by_country_and_days_and_cover_every_report(many):
    parts = partitions(many)
    assert len(parts) > 1
    assert sorted(r.doc_id for p in parts for r in p) == sorted(r.doc_id for r in many)
    # every merged event lies within one part
    part_of = {r.doc_id: i for i, p in enumerate(parts) for r in p}
    for m in merge_reports(many):
        assert len({part_of[r.doc_id] for r in m.members}) == 1
    assert sum(map(len, batches(parts, 4))) == len(many) and len(batches(parts, 4)) == 4


def test_partitions_join_what_a_report_without_country_links(many):
    base = reports_of(cluster_results())[0]
    syria = _at(base, "a", "2024-12-01", country="Syria")
    turkey = _at(base, "b", "2024-12-01", country="Turkey", iso=792)
    assert len(partitions([syria, turkey])) == 2  # two countries, nothing between them
    nowhere = _at(base, "c", "2024-12-01", country=None)
    assert len(partitions([syria, turkey, nowhere])) == 1
    far = _at(base, "d", "2024-12-09", country="Syria")  # a week later: no link
    assert len(partitions([syria, far])) == 2


def _at(base: Report, doc_id: str, day: str, **event) -> Report:
    article = dataclasses.replace(base.article, doc_id=doc_id, published=day, source_group=f"doc:{doc_id}")
    return Report(article=article, event={**base.event, "event_date": day, **event}, figures=[])
