"""The merge in independent parts: by country and by runs of days, joined where reports can link.

A report only joins a cluster it fits, and fitting a cluster means being `compatible`
with one of its members at least (its place links to an anchor, its days, type and
parties agree with every member). So reports that no chain of compatible pairs
connects never meet in a cluster, and merging each such part alone gives exactly the
events a merge of everything gives (`cluster_reports` places the reports of a part in
the same canonical order, against the same clusters).

The parts are found cheaply, from where compatibility can come from:
- within a country, reports whose days come within the blocking reach of each other
  (a run of days with no gap wider than the reach is one part: the date window, whose
  overlap is the reach);
- across countries, only a report without a country, or one whose article names the
  place the other report gives (`place_link`'s "named" link); those pairs are checked
  with `compatible` and join their parts when it holds.
Reports without a day never join anything, and stay apart.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Callable, Iterable, Sequence

from . import merge_reports
from .records import MergedEvent, Report, place_key, report_day, report_key
from .similarity import MAX_DAYS_APART, compatible

REACH = MAX_DAYS_APART + 1  # days apart two reports may be and still be one event (a vaguely dated one)


class _Parts:
    """Union-find over report indices."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


def _country(r: Report) -> str:
    return (r.event.get("country") or "").casefold()


def _linkable(a: Report, b: Report) -> bool:
    """Could either report join a cluster holding the other (whichever comes first)?"""
    return compatible(a, b) or compatible(b, a)


def partitions(reports: Iterable[Report]) -> list[list[Report]]:
    """The reports in parts that can be merged apart, each in canonical order, parts by their first report."""
    rs = sorted(reports, key=report_key)
    parts = _Parts(len(rs))
    by_country: dict[str, list[int]] = defaultdict(list)
    by_day: dict[int, list[int]] = defaultdict(list)
    at_place: dict[tuple[int, str], list[int]] = defaultdict(list)  # (day, place key) -> reports put there
    for i, r in enumerate(rs):
        day = report_day(r)
        if day is None:
            continue  # undated: never compatible with anything
        by_country[_country(r)].append(i)
        by_day[day].append(i)
        at_place[(day, place_key(r.event.get("location")))].append(i)
    for country, ix in by_country.items():
        if not country:
            continue
        for a, b in zip(ix, ix[1:]):  # in day order: a run of days within reach of each other
            if report_day(rs[b]) - report_day(rs[a]) <= REACH:
                parts.union(a, b)

    for i in by_country.get("", ()):  # no country: it may link to any report of its days
        day = report_day(rs[i])
        for j in (j for d in range(day - REACH, day + REACH + 1) for j in by_day.get(d, ())):
            if j != i and parts.find(i) != parts.find(j) and _linkable(rs[i], rs[j]):
                parts.union(i, j)
    for i, r in enumerate(rs):  # the article names the place another country's report gives
        day = report_day(r)
        if day is None:
            continue
        for key in r.article.place_features:
            for j in (j for d in range(day - REACH, day + REACH + 1) for j in at_place.get((d, key), ())):
                if _country(rs[j]) != _country(r) and parts.find(i) != parts.find(j) and _linkable(r, rs[j]):
                    parts.union(i, j)
    grouped: dict[int, list[Report]] = defaultdict(list)
    for i, r in enumerate(rs):
        grouped[parts.find(i)].append(r)
    return [grouped[root] for root in sorted(grouped)]


def batches(parts: Sequence[list[Report]], n: int) -> list[list[Report]]:
    """At most `n` batches of whole parts, about equal in reports (the largest parts placed first)."""
    n = max(1, min(n, len(parts)))
    out: list[list[Report]] = [[] for _ in range(n)]
    for part in sorted(parts, key=len, reverse=True):
        min(out, key=len).extend(part)
    return [b for b in out if b]


def merge_partitioned(reports: Iterable[Report], run: Callable = map, n: int = 1) -> list[MergedEvent]:
    """`merge_reports`, part by part: `run(merge_reports, batches)` may be a pool's or a cluster's map.

    The same events as `merge_reports(reports)`, in the same order."""
    merged = [m for batch in run(merge_reports, batches(partitions(reports), n)) for m in batch]
    merged.sort(key=lambda m: (m.event.get("event_date") or "9999", m.event["event_id"]))
    return merged
