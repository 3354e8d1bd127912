"""The records merging passes around: an article, one article's report of an event, a merged event.

Every other module of the package reads these, so they sit apart from the logic, with
the canonical order of reports (by day, then article, then report) that makes a merge
independent of the order the reports arrived in.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class ArticleInfo:
    """What merging needs to know about the article a report comes from."""

    doc_id: str
    published: str | None = None
    outlet: str | None = None
    source_group: str | None = None  # wire:reuters | outlet:example.com | doc:<id>
    minhash: str = ""  # hex MinHash signature of the text ('' when there is none)
    ingested_at: str | None = None


@dataclass
class Report:
    """One article's account of one event: the contract's EVENT plus its claims' figures."""

    article: ArticleInfo
    event: dict
    figures: list[dict] = field(default_factory=list)  # fatality figures from the event's claims

    @property
    def doc_id(self) -> str:
        return self.article.doc_id

    @property
    def report_id(self) -> str:
        return str(self.event.get("event_id") or "")


@dataclass
class MergedEvent:
    """One event as every report of it together tells it."""

    event: dict  # ACLED columns + fatalities spread + sources/reports/contested ...
    members: list[Report]
    groups: dict[str, str]  # doc_id -> independent source group after near-duplicate folding
    claims: list[tuple[str, str]]  # (doc_id, claim_id)


def _day(value: str | None) -> int | None:
    try:
        return date.fromisoformat((value or "")[:10]).toordinal()
    except ValueError:
        return None


def report_day(report: Report) -> int | None:
    """The day (an ordinal) a report puts its event on, else the day its article was published."""
    return _day(report.event.get("event_date")) or _day(report.article.published)


def report_key(r: Report) -> tuple:
    """The canonical order of reports: undated last, then by article and report id."""
    day = report_day(r)
    return (day if day is not None else 10**9, r.doc_id, r.report_id)


def canonical_json(value) -> str:
    """JSON with sorted keys and no whitespace: equal values give equal text (checksums, idempotency)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
