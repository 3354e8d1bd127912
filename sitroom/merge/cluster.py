"""Which reports are one event: blocking by day, then complete-linkage clustering.

A report is only compared with clusters that hold a report within MAX_DAYS_APART of
its day (blocking keeps the merge near-linear in the number of days), and joins the
most similar cluster all of whose members it is compatible with.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from .records import Report, report_day, report_key
from .similarity import MAX_DAYS_APART, compatible, similarity


def cluster_reports(reports: Iterable[Report]) -> list[list[Report]]:
    """Group reports into events: a report joins the most similar cluster all of whose members it fits.

    Complete linkage (fit *every* member) keeps chains from drifting across days and
    places; the canonical order makes the result independent of ingest order.
    """
    clusters: list[list[Report]] = []
    by_day: dict[int, list[int]] = defaultdict(list)
    for r in sorted(reports, key=report_key):
        day = report_day(r)
        best: tuple[float, int] | None = None
        if day is not None:
            seen = sorted({ci for d in range(day - MAX_DAYS_APART, day + MAX_DAYS_APART + 1) for ci in by_day[d]})
            for ci in seen:
                members = clusters[ci]
                if all(compatible(r, m) for m in members):
                    score = sum(similarity(r, m) for m in members) / len(members)
                    if best is None or score > best[0]:
                        best = (score, ci)
        if best is None:
            clusters.append([r])
            ci = len(clusters) - 1
        else:
            ci = best[1]
            clusters[ci].append(r)
        if day is not None and ci not in by_day[day]:
            by_day[day].append(ci)
    return clusters
