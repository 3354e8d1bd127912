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
from .similarity import MAX_DAYS_APART, anchors, fits, similarity

MAX_PASSES = 1  # second-chance passes; each costs about as much as placing every report it reconsiders
SMALL_EVENT = 2  # reports in events this small get the second chance: alone or with one other report


class ClusterIndex:
    """Clusters of reports, indexed by the days their members span."""

    def __init__(self, clusters: Iterable[list[Report]] = ()) -> None:
        """Start from existing clusters (a store's events around some days), in creation order."""
        self.clusters: list[list[Report]] = []
        self._by_day: dict[int, list[int]] = defaultdict(list)
        self._anchors: dict[int, list[Report]] = {}  # cluster index -> its anchors, while it is unchanged
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
        found = self._best(report)
        return found[2] if found else None

    def _best(self, report: Report) -> tuple[float, tuple, int] | None:
        """(support, creation order, index) of the best cluster, as `best` chooses it."""
        best: tuple[float, tuple, int] | None = None
        for ci in self.candidates(report):
            members = self.clusters[ci]
            if members and fits(report, members, self._anchors_of(ci)):
                score = math.fsum(similarity(report, m) for m in members)
                first = creation_order(members)
                if best is None or score > best[0] or (score == best[0] and first < best[1]):
                    best = (score, first, ci)
        return best

    def _anchors_of(self, ci: int) -> list[Report]:
        if ci not in self._anchors:
            self._anchors[ci] = anchors(self.clusters[ci])
        return self._anchors[ci]

    def _changed(self, *cis: int) -> None:
        for ci in cis:
            self._anchors.pop(ci, None)

    def add(self, report: Report) -> int:
        """Place one report: it joins its best cluster or starts one; the cluster's index."""
        ci = self.best(report)
        if ci is None:
            self.clusters.append([report])
            ci = len(self.clusters) - 1
        else:
            self.clusters[ci].append(report)
            self._changed(ci)
        day = report_day(report)
        if day is not None and ci not in self._by_day[day]:
            self._by_day[day].append(ci)
        return ci

    def reconsider(self, passes: int = MAX_PASSES) -> None:
        """Give the reports of small events (SMALL_EVENT) a second chance, now that all clusters
        exist: each moves to the cluster it fits with more support than it has in its own (a report
        left alone has none).

        Reports are placed in date order, so a report the extractor misplaced (a dateline abroad,
        a day early) may have come first and founded an event, or had another join it, before the
        right ones formed the event it fits best. A report among several that agree is placed
        well enough; reconsidering every report would double the merge's cost. Every move raises
        the summed similarity within events, so passes settle; emptied clusters are dropped.
        """
        for _ in range(passes):
            moved = False
            for ci, cluster in enumerate(self.clusters):
                if len(cluster) > SMALL_EVENT:
                    continue
                for r in list(cluster):
                    here = math.fsum(similarity(r, m) for m in cluster if m is not r)
                    cluster.remove(r)
                    self._changed(ci)
                    found = self._best(r)
                    if found is None or found[2] == ci or found[0] <= here:
                        cluster.append(r)
                        self._changed(ci)
                        continue
                    self.clusters[found[2]].append(r)
                    self._changed(found[2])
                    day = report_day(r)
                    if day is not None and found[2] not in self._by_day[day]:
                        self._by_day[day].append(found[2])
                    moved = True
                cluster.sort(key=report_key)
            if not moved:
                break
        self._reindex()

    def swap_siblings(self) -> None:
        """Let a report take its own article's place in an event it fits better.

        One article often gives several reports of one story: the attack at its town, and a
        second one placed at the dateline or the capital. Whichever comes first canonically may
        join the event by a weak link and so keep out its sibling that fits the event far better
        (one article's reports never share an event). The sibling then takes its place when it
        fits the other members and its support among them exceeds the displaced report's by more
        than the support it leaves behind; the displaced report is left alone, for the second
        chance of `reconsider`.
        """
        where = {id(r): ci for ci, cluster in enumerate(self.clusters) for r in cluster}
        siblings: dict[str, list[Report]] = defaultdict(list)
        for cluster in self.clusters:
            for r in cluster:
                siblings[r.doc_id].append(r)
        for ci, cluster in enumerate(self.clusters):
            for r in list(cluster):
                others = [m for m in cluster if m is not r]
                if not others or len(siblings[r.doc_id]) < 2:
                    continue
                own = math.fsum(similarity(r, m) for m in others)
                best: tuple[float, Report] | None = None
                for s in siblings[r.doc_id]:
                    home = self.clusters[where[id(s)]]
                    if where[id(s)] == ci or not fits(s, others):
                        continue
                    left = math.fsum(similarity(s, m) for m in home if m is not s)
                    gain = math.fsum(similarity(s, m) for m in others) - own - left
                    if gain > 0 and (best is None or gain > best[0]):
                        best = (gain, s)
                if best is None:
                    continue
                s = best[1]
                self.clusters[where[id(s)]].remove(s)
                cluster.remove(r)
                self._changed(ci, where[id(s)])
                cluster.append(s)
                self.clusters.append([r])
                where[id(s)], where[id(r)] = ci, len(self.clusters) - 1
        self._reindex()

    def _reindex(self) -> None:
        """Drop emptied clusters and index the rest by day again."""
        self.clusters = [c for c in self.clusters if c]
        self._anchors = {}
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
    index.swap_siblings()
    index.reconsider()
    return index.clusters
