"""Which reports are one event: blocking by day, then complete-linkage clustering.

A report is only compared with clusters that hold a report whose days come within
MAX_DAYS_APART of its own (blocking: the cost of placing one report depends on how many
reports share its days, not on how many are stored), and joins the most similar cluster
all of whose members it is compatible with, or starts a new one. `ClusterIndex.add`
places one report at a time, so a store can add a new article's reports to the events
of their days without re-clustering everything; `cluster_reports` feeds every report in
the canonical order, which makes a full merge independent of ingest order.
"""
from __future__ import annotations

import math
from collections import defaultdict
from typing import Iterable

from .records import Report, report_day, report_key
from .similarity import MAX_DAYS_APART, fits, similarity


class ClusterIndex:
    """Clusters of reports, indexed by the days their members span."""

    def __init__(self, clusters: Iterable[list[Report]] = ()) -> None:
        """Start from existing clusters (a store's events around some days), in creation order."""
        self.clusters: list[list[Report]] = []
        self._by_day: dict[int, list[int]] = defaultdict(list)
        for cluster in clusters:
            self.clusters.append(list(cluster))
            for day in {report_day(r) for r in cluster} - {None}:
                self._by_day[day].append(len(self.clusters) - 1)

    def candidates(self, report: Report) -> list[int]:
        """The clusters with a member whose days come within MAX_DAYS_APART of the report's."""
        day = report_day(report)
        if day is None:
            return []
        reach = MAX_DAYS_APART + 1  # one more day when the later report is dated vaguely
        return sorted({ci for d in range(day - reach, day + reach + 1) for ci in self._by_day.get(d, ())})

    def best(self, report: Report) -> int | None:
        """The cluster the report fits with the most support (summed similarity to its members);
        None: a new event. Ties go to the cluster whose first report comes first canonically, and
        the sum is exact (fsum), so the choice does not depend on the order reports arrived in."""
        best: tuple[float, tuple, int] | None = None
        for ci in self.candidates(report):
            members = self.clusters[ci]
            if members and fits(report, members):
                score = math.fsum(similarity(report, m) for m in members)
                first = creation_order(members)
                if best is None or score > best[0] or (score == best[0] and first < best[1]):
                    best = (score, first, ci)
        return best[2] if best else None

    def add(self, report: Report) -> int:
        """Place one report: it joins its best cluster or starts one; the cluster's index."""
        ci = self.best(report)
        if ci is None:
            self.clusters.append([report])
            ci = len(self.clusters) - 1
        else:
            self.clusters[ci].append(report)
        day = report_day(report)
        if day is not None and ci not in self._by_day[day]:
            self._by_day[day].append(ci)
        return ci

    def replace_stragglers(self) -> None:
        """Give every report left alone a second chance, now that all clusters exist.

        Reports are placed in date order, so a report the extractor misplaced (a dateline
        abroad) may have come first and been left alone when the right ones formed an event
        it fits. Emptied clusters are dropped.
        """
        for ci, cluster in enumerate(self.clusters):
            if len(cluster) != 1:
                continue
            report = cluster[0]
            cluster.clear()
            target = self.best(report)
            (self.clusters[target] if target is not None else cluster).append(report)
            day = report_day(report)
            if target is not None and day is not None and target not in self._by_day[day]:
                self._by_day[day].append(target)
        self.clusters = [c for c in self.clusters if c]
        self._by_day = defaultdict(list)
        for ci, cluster in enumerate(self.clusters):
            for day in {report_day(r) for r in cluster} - {None}:
                self._by_day[day].append(ci)


def creation_order(cluster: list[Report]) -> tuple:
    """Where a stored cluster goes among others: the order its first report came in, canonically."""
    return min(report_key(r) for r in cluster)


def place_in_order(reports: Iterable[Report]) -> list[list[Report]]:
    """The clusters that adding the reports one by one, as given, makes (no second chance for
    stragglers): what a store that merges each article as it arrives holds."""
    index = ClusterIndex()
    for r in reports:
        index.add(r)
    return index.clusters


def cluster_reports(reports: Iterable[Report]) -> list[list[Report]]:
    """Group reports into events: a report joins the best-supported cluster it fits (see `fits`).

    Agreeing with *every* member on days, type and parties keeps chains from drifting
    across days; the canonical order makes the result independent of ingest order.
    """
    index = ClusterIndex()
    for r in sorted(reports, key=report_key):
        index.add(r)
    index.replace_stragglers()
    return index.clusters
