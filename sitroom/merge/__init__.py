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
the same set of reports always gives the same events (the store recomputes, never patches).
"""
from __future__ import annotations

from typing import Iterable

from .cluster import cluster_reports
from .fusion import build_event, event_id_for, fatality_spread, figures_from_claims, provenance_figures
from .records import ArticleInfo, MergedEvent, Report, canonical_json, report_key
from .similarity import compatible, same_actor, side_of
from .sources import independent_groups, jaccard, minhash, source_group, wire_of

__all__ = [
    "ArticleInfo", "MergedEvent", "Report", "build_event", "canonical_json", "cluster_reports", "compatible",
    "event_id_for", "fatality_spread", "figures_from_claims", "independent_groups", "jaccard", "merge_reports",
    "minhash", "provenance_figures", "report_key", "same_actor", "side_of", "source_group", "wire_of",
]


def merge_reports(reports: Iterable[Report]) -> list[MergedEvent]:
    """Every report in exactly one merged event; events in date order."""
    merged = [build_event(c) for c in cluster_reports(reports)]
    merged.sort(key=lambda m: (m.event.get("event_date") or "9999", m.event["event_id"]))
    return merged
