"""The records merging passes around: an article, one article's report of an event, a merged event.

Every other module of the package reads these, so they sit apart from the logic, with
the canonical order of reports (by day, then article, then report) that makes a merge
independent of the order the reports arrived in.
"""
from __future__ import annotations

import functools
import json
import re
import unicodedata
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
    # the places the article names: (name or mention as written, gazetteer feature) pairs
    places: tuple[tuple[str, str | None], ...] = ()

    @functools.cached_property
    def place_features(self) -> dict[str, str | None]:
        """place_key(name) -> the gazetteer feature of that place (city, town, village, admin1 ...)."""
        out: dict[str, str | None] = {}
        for name, feature in self.places:
            key = place_key(name)
            if key and out.get(key) is None:
                out[key] = feature
        return out


@dataclass
class Report:
    """One article's account of one event: the contract's EVENT plus its claims' figures."""

    article: ArticleInfo
    event: dict
    figures: list[dict] = field(default_factory=list)  # fatality figures from the event's claims
    # values derived from the event and read many times while clustering (its day, place kind ...)
    memo: dict = field(default_factory=dict, repr=False, compare=False)

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


_NON_WORD = re.compile(r"[\W_]+")


@functools.lru_cache(maxsize=65536)
def place_key(name: str | None) -> str:
    """A place name folded for comparison across spellings: no accents, no case, no short particles
    ("Mazār-e Sharīf" and "Mazar-i-Sharif" are both "mazar sharif")."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", name or "") if not unicodedata.combining(c))
    return " ".join(w for w in _NON_WORD.split(plain.casefold()) if len(w) > 2 or w.isdigit())


def _day(value: str | None) -> int | None:
    try:
        return date.fromisoformat((value or "")[:10]).toordinal()
    except ValueError:
        return None


def report_day(report: Report) -> int | None:
    """The day (an ordinal) a report puts its event on, else the day its article was published."""
    if "day" not in report.memo:
        report.memo["day"] = _day(report.event.get("event_date")) or _day(report.article.published)
    return report.memo["day"]


def dated_vaguely(report: Report) -> bool:
    """Is the report's event day only its own publication day (or missing)?

    Such a report may be telling of the day before or the one before that ("Thursday
    night" in a Saturday paper, a story filed after midnight, an extractor that fell back
    on the dateline); a report that names an earlier day is taken at its word.
    """
    day = _day(report.event.get("event_date"))
    return day is None or day == _day(report.article.published)


def report_key(r: Report) -> tuple:
    """The canonical order of reports: undated last, then by article and report id."""
    day = report_day(r)
    return (day if day is not None else 10**9, r.doc_id, r.report_id)


def canonical_json(value) -> str:
    """JSON with sorted keys and no whitespace: equal values give equal text (checksums, idempotency)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
