"""Many reports, one event: merge per-article events, count independent sources, spread the figures.

One clash is reported by a wire service, outlets that reprint the wire, a monitoring
group and both belligerents. Here each per-article event is a *report*; reports of the
same event become one merged event that keeps every report's claims. The package is
split by the question each part answers:

- `sources`: which reports are independent (wire credits, outlets, near-identical texts);
- `similarity`: whether two reports can be one event, and how alike they are;
- `cluster`: which reports are one event;
- `fusion`: the merged event's fields and its spread of fatality figures;
- `records`: the records they pass around.

Everything here is a pure function of the reports, in a canonical order, so merging
the same set of reports always gives the same events when the store recomputes them
(`remerge`). `sitroom watch` instead places each new article's reports into the events
of their days as it arrives (`merge_in_order` is what that ends with): a report that came
early cannot get the second chance a full merge gives it, so the two can differ slightly
until the next `sitroom remerge`.
"""
from __future__ import annotations

from typing import Iterable

from .cluster import ClusterIndex, cluster_reports, creation_order, place_in_order
from .fusion import build_event, event_id_for, fatality_spread, figures_from_claims, provenance_figures
from .records import ArticleInfo, MergedEvent, Report, canonical_json, report_key
from .similarity import compatible, same_actor, side_of
from .sources import independent_groups, jaccard, minhash, source_group, wire_of

__all__ = [
    "ArticleInfo", "ClusterIndex", "MergedEvent", "Report", "build_event", "canonical_json", "cluster_reports",
    "compatible", "creation_order", "event_id_for", "fatality_spread", "figures_from_claims", "independent_groups",
    "jaccard", "merge_in_order", "merge_reports", "minhash", "place_in_order", "provenance_figures", "report_key",
    "same_actor", "side_of", "source_group", "wire_of",
]


def _in_date_order(merged: list[MergedEvent]) -> list[MergedEvent]:
    merged.sort(key=lambda m: (m.event.get("event_date") or "9999", m.event["event_id"]))
    return merged


def merge_reports(reports: Iterable[Report]) -> list[MergedEvent]:
    """Every report in exactly one merged event; events in date order."""
    return _in_date_order([build_event(c) for c in cluster_reports(reports)])


def merge_in_order(reports: Iterable[Report]) -> list[MergedEvent]:
    """The events a store merging each report as it arrives (`sitroom watch`) ends with, in date order."""
    return _in_date_order([build_event(c) for c in place_in_order(reports)])
