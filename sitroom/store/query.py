"""The filtered, paged reads a live view needs (`sitroom serve`'s API), over any `SQLStore`.

`Store.events()` and friends answer the command line: every match, merged first.  A map
and a list need more: a page of a large result with its total, filters on geography,
fatalities, contested figures and outlets, events changed since the last poll
(`updated_since`, on the merged events' `last_ingested`), and aggregates (a grid of
cells, events per day) so a browser never draws 100k points.

These functions only read, and never re-merge, so they are safe on a second cursor
while another one writes.  SQL is parameterised and portable (DuckDB and PostgreSQL):
`STRPOS` for substrings (no LIKE escaping), `FLOOR` for grid cells.
"""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass, fields
from typing import Sequence

from . import schema
from .base import _decode, _where
from .errors import store_errors

# sort keys a client may ask for ("-" = descending); event_id breaks ties so pages are stable
EVENT_SORTS = ("event_date", "fatalities", "sources", "reports", "country", "admin1", "location", "event_type",
               "last_ingested")
# a list's columns: all but the provenance figures and document ids, which are large (the detail has them);
# sorting 100k events with them costs five times as much
LIST_COLUMNS = tuple(c for c in schema.columns("events") if c not in ("figures", "doc_ids"))
ARTICLE_COLUMNS = ("doc_id", "url", "title", "published", "outlet", "wire", "source_group", "ingested_at")


@functools.lru_cache(maxsize=256)
def _iso_numeric(country: str) -> int | None:
    from ..acled import country_codes
    return country_codes(country)[2]


@dataclass(frozen=True)
class EventQuery:
    """Every filter on merged events; None (or empty) means 'any'."""

    since: str | None = None            # event_date >= (YYYY-MM-DD)
    until: str | None = None            # event_date <=
    updated_since: str | None = None    # last_ingested >= (ISO date or date-time, UTC)
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north (west > east crosses 180)
    event_type: tuple[str, ...] = ()
    sub_event_type: tuple[str, ...] = ()
    actor: str | None = None            # substring of actor1/2 or an associated actor
    min_fatalities: int | None = None
    contested: bool | None = None
    min_sources: int | None = None
    country: tuple[str, ...] = ()       # names or ISO codes
    admin1: str | None = None
    outlet: str | None = None           # reported by this outlet (one of the event's articles)
    max_geo_precision: int | None = None
    max_time_precision: int | None = None

    def without_dates(self) -> "EventQuery":
        """The same filters over the whole time range (a timeline's brush moves within it)."""
        return EventQuery(**{**{f.name: getattr(self, f.name) for f in fields(self)}, "since": None, "until": None})

    def where(self) -> tuple[str, list]:
        countries = [c for c in self.country if c]
        country_sql, country_params = [], []
        for c in countries:
            iso = _iso_numeric(c)
            country_sql.append("LOWER(country) = LOWER(?)" + (" OR iso = ?" if iso else ""))
            country_params += [c] + ([iso] if iso else [])
        actor_cols = ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2")
        bbox_sql, bbox_params = "", []
        if self.bbox:
            west, south, east, north = self.bbox
            lon = "(longitude >= ? AND longitude <= ?)" if west <= east else "(longitude >= ? OR longitude <= ?)"
            bbox_sql, bbox_params = f"(latitude >= ? AND latitude <= ? AND {lon})", [south, north, west, east]
        types = [t.lower() for t in self.event_type if t]
        subs = [t.lower() for t in self.sub_event_type if t]
        return _where([
            (self.since, "event_date >= ?", [self.since]),
            (self.until, "event_date <= ?", [self.until]),
            (self.updated_since, "last_ingested >= ?", [self.updated_since]),
            (self.bbox, bbox_sql, bbox_params),
            (types, "LOWER(event_type) IN (" + ", ".join("?" * len(types)) + ")", types),
            (subs, "LOWER(sub_event_type) IN (" + ", ".join("?" * len(subs)) + ")", subs),
            (self.actor, "(" + " OR ".join(f"STRPOS(LOWER({c}), LOWER(?)) > 0" for c in actor_cols) + ")",
             [self.actor] * len(actor_cols)),
            (self.min_fatalities is not None, "fatalities >= ?", [self.min_fatalities]),
            (self.contested is not None, "contested = ?", [self.contested]),
            (self.min_sources, "sources >= ?", [self.min_sources]),
            (countries, "(" + " OR ".join(f"({s})" for s in country_sql) + ")", country_params),
            (self.admin1, "LOWER(admin1) = LOWER(?)", [self.admin1]),
            # `outlets` is the canonical JSON list of the event's outlets: find the quoted name in it
            (self.outlet, "STRPOS(LOWER(outlets), LOWER(?)) > 0", [json.dumps(self.outlet, ensure_ascii=False)]),
            (self.max_geo_precision, "geo_precision <= ?", [self.max_geo_precision]),
            (self.max_time_precision, "time_precision <= ?", [self.max_time_precision]),
        ])


def _order(sort: str) -> str:
    desc = sort.startswith("-")
    col = sort.lstrip("-")
    if col not in EVENT_SORTS:
        raise ValueError(f"sort must be one of {', '.join(EVENT_SORTS)} (with '-' for descending), got {sort!r}")
    return f" ORDER BY {col} {'DESC' if desc else 'ASC'}{' NULLS LAST' if desc else ''}, event_id"


def count_events(store, q: EventQuery) -> int:
    where, params = q.where()
    with store_errors("counting events", store.location):
        return int(store._scalar("SELECT COUNT(*) FROM events" + where, params))


def find_events(store, q: EventQuery, *, limit: int | None = 500, offset: int = 0, sort: str = "-event_date",
                full: bool = False) -> list[dict]:
    """A page of merged events, JSON decoded: the list's columns, or every column (`full`, for exports)."""
    where, params = q.where()
    cols = "*" if full else ", ".join(LIST_COLUMNS)
    sql = f"SELECT {cols} FROM events" + where + _order(sort)
    if limit is not None:
        sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
    with store_errors("querying events", store.location):
        return [_decode(r) for r in store._rows(sql, params)]


def event_grid(store, q: EventQuery, cell_degrees: float) -> list[dict]:
    """Events per grid cell of `cell_degrees`: count, fatalities, mean position, most common type."""
    where, params = q.where()
    located = "latitude IS NOT NULL AND longitude IS NOT NULL"
    where = (where + " AND " + located) if where else " WHERE " + located
    size = float(cell_degrees)
    sql = ("SELECT cx, cy, event_type, COUNT(*) AS n, SUM(COALESCE(fatalities, 0)) AS fatalities, "
           "AVG(latitude) AS lat, AVG(longitude) AS lon FROM (SELECT CAST(FLOOR(longitude / ?) AS BIGINT) AS cx, "
           "CAST(FLOOR(latitude / ?) AS BIGINT) AS cy, event_type, fatalities, latitude, longitude FROM events"
           + where + ") g GROUP BY cx, cy, event_type")
    with store_errors("aggregating events", store.location):
        rows = store._rows(sql, [size, size, *params])
    cells: dict[tuple[int, int], dict] = {}
    for r in rows:
        n = int(r["n"])
        c = cells.setdefault((r["cx"], r["cy"]), {"count": 0, "fatalities": 0, "lat": 0.0, "lon": 0.0, "types": {}})
        c["count"] += n
        c["fatalities"] += int(r["fatalities"] or 0)
        c["lat"] += float(r["lat"]) * n
        c["lon"] += float(r["lon"]) * n
        c["types"][r["event_type"] or ""] = c["types"].get(r["event_type"] or "", 0) + n
    out = []
    for (cx, cy), c in sorted(cells.items()):
        top = max(sorted(c["types"]), key=c["types"].get)
        out.append({"cell": [cx, cy], "count": c["count"], "fatalities": c["fatalities"],
                    "latitude": round(c["lat"] / c["count"], 5), "longitude": round(c["lon"] / c["count"], 5),
                    "event_type": top or None,
                    "bounds": [cx * size, cy * size, (cx + 1) * size, (cy + 1) * size]})
    return out


def event_timeline(store, q: EventQuery) -> list[dict]:
    """Events and fatalities per event date."""
    where, params = q.where()
    dated = "event_date IS NOT NULL"
    where = (where + " AND " + dated) if where else " WHERE " + dated
    sql = ("SELECT event_date AS date, COUNT(*) AS events, SUM(COALESCE(fatalities, 0)) AS fatalities FROM events"
           + where + " GROUP BY event_date ORDER BY event_date")
    with store_errors("counting events per day", store.location):
        return [{"date": r["date"], "events": int(r["events"]), "fatalities": int(r["fatalities"] or 0)}
                for r in store._rows(sql, params)]


def facets(store) -> dict:
    """What the filters can choose from: types, countries, admin1s, outlets, the date range."""
    with store_errors("listing filter values", store.location):
        def counted(col: str, table: str = "events") -> list[dict]:
            rows = store._rows(f"SELECT {col} AS value, COUNT(*) AS n FROM {table} WHERE {col} IS NOT NULL "
                               f"GROUP BY {col} ORDER BY COUNT(*) DESC, {col}")
            return [{"value": r["value"], "count": int(r["n"])} for r in rows]
        subs = store._rows("SELECT event_type, sub_event_type, COUNT(*) AS n FROM events WHERE sub_event_type "
                           "IS NOT NULL GROUP BY event_type, sub_event_type ORDER BY event_type, sub_event_type")
        span = store._rows("SELECT MIN(event_date) AS first, MAX(event_date) AS last, COUNT(*) AS n FROM events")[0]
        return {
            "event_types": counted("event_type"),
            "sub_event_types": [{"value": r["sub_event_type"], "event_type": r["event_type"], "count": int(r["n"])}
                                for r in subs],
            "countries": counted("country"),
            "admin1": counted("admin1")[:500],
            "outlets": counted("outlet", "articles")[:500],
            "first_date": span["first"], "last_date": span["last"], "events": int(span["n"]),
        }


def event_detail(store, event_id: str) -> dict | None:
    """One merged event with its reports (each with its article and evidence passages) and its claims.

    Simple lookups by key, not one big join: each uses a primary key (or scans one narrow
    link table), which keeps a detail well under 50 ms on a database of 100k events.
    """
    with store_errors("reading an event", store.location):
        rows = store._rows("SELECT * FROM events WHERE event_id = ?", [event_id])
        if not rows:
            return None
        event = _decode(rows[0])
        links = store._rows("SELECT doc_id, report_id, source_group FROM event_reports WHERE event_id = ?", [event_id])
        pairs = store._rows("SELECT doc_id, claim_id FROM event_claims WHERE event_id = ?", [event_id])
        docs = sorted({r["doc_id"] for r in links} | {r["doc_id"] for r in pairs})
        articles = {a["doc_id"]: a for a in _by_doc(
            store, f"SELECT {', '.join(ARTICLE_COLUMNS)}, text FROM articles WHERE doc_id", docs)}
        wanted = {(r["doc_id"], r["report_id"]) for r in links}
        reports = [r for r in _by_doc(store, "SELECT * FROM reports WHERE doc_id", sorted({d for d, _ in wanted}))
                   if (r["doc_id"], r["event_id"]) in wanted]
        claim_keys = {(r["doc_id"], r["claim_id"]) for r in pairs}
        claims = [c for c in _by_doc(
            store, "SELECT doc_id, claim_id, rank, kind, speaker, speaker_role, speaker_actor, cue, text, start_char, "
                   "end_char, hedged, figures FROM claims WHERE doc_id", sorted({d for d, _ in claim_keys}))
            if (c["doc_id"], c["claim_id"]) in claim_keys]
    group = {(r["doc_id"], r["report_id"]): r["source_group"] for r in links}
    out_reports = []
    for r in reports:
        r = _decode(r)
        art = articles.get(r["doc_id"], {})
        text = art.get("text") or ""
        r["report_id"] = r.pop("event_id")
        r["independent_group"] = group.get((r["doc_id"], r["report_id"]))
        r["article"] = {c: art.get(c) for c in ARTICLE_COLUMNS}
        r["passages"] = [{"start": e["start"], "end": e["end"], "text": text[e["start"]:e["end"]]}
                         for e in r.get("evidence") or [] if 0 <= e["start"] <= e["end"] <= len(text)]
        out_reports.append(r)
    out_reports.sort(key=lambda r: (r["article"].get("published") or "", r["doc_id"], r.pop("rank", 0) or 0))
    for c in claims:
        art = articles.get(c["doc_id"], {})
        c.update(outlet=art.get("outlet"), published=art.get("published"), url=art.get("url"))
    claims.sort(key=lambda c: (c["published"] or "", c["doc_id"], c.pop("rank", 0) or 0))
    event["reports_detail"] = out_reports
    event["claims_detail"] = [_claim(c) for c in claims]
    event["history"] = event_history(store, event_id)
    return event


def event_history(store, event_id: str) -> list[dict]:
    """How later articles revised the event's day and toll, oldest first: field, old and new value,
    when (the revising article's publication date) and which report ([] for a database merged before
    the history was kept, until its next merge)."""
    with store_errors("reading an event's history", store.location):
        if "event_history" not in store._existing_tables():
            return []
        rows = store._rows("SELECT as_of, doc_id, report_id, field, old_value, new_value FROM event_history "
                           "WHERE event_id = ? ORDER BY idx", [event_id])
    return [{"as_of": r["as_of"], "doc_id": r["doc_id"], "report_id": r["report_id"], "field": r["field"],
             "old": json.loads(r["old_value"]), "new": json.loads(r["new_value"])} for r in rows]


def _by_doc(store, select_where_doc: str, docs: list[str]) -> list[dict]:
    """Rows of `SELECT ... WHERE doc_id` for these documents: one key lookup each, or one IN for many."""
    if not docs:
        return []
    if len(docs) <= 16:
        return [r for d in docs for r in store._rows(select_where_doc + " = ?", [d])]
    return store._rows(select_where_doc + " IN (" + ", ".join("?" * len(docs)) + ")", docs)


def _claim(row: dict) -> dict:
    row = _decode(row)
    row["start"], row["end"] = row.pop("start_char"), row.pop("end_char")
    return row


@dataclass(frozen=True)
class ClaimQuery:
    speaker: str | None = None
    speaker_actor: str | None = None
    kind: str | None = None
    event_id: str | None = None
    doc_id: str | None = None
    with_figures: bool = False
    since: str | None = None   # article published >=
    until: str | None = None

    def where(self) -> tuple[str, list]:
        return _where([
            (self.doc_id, "c.doc_id = ?", [self.doc_id]),
            (self.event_id, "EXISTS (SELECT 1 FROM event_claims ec WHERE ec.doc_id = c.doc_id "
                            "AND ec.claim_id = c.claim_id AND ec.event_id = ?)", [self.event_id]),
            (self.speaker, "STRPOS(LOWER(c.speaker), LOWER(?)) > 0", [self.speaker]),
            (self.speaker_actor, "STRPOS(LOWER(c.speaker_actor), LOWER(?)) > 0", [self.speaker_actor]),
            (self.kind, "c.kind = ?", [self.kind]),
            (self.with_figures, "c.figures <> '[]'", []),
            (self.since, "a.published >= ?", [self.since]),
            (self.until, "a.published <= ?", [self.until]),
        ])


def find_claims(store, q: ClaimQuery, *, limit: int = 100, offset: int = 0) -> tuple[int, list[dict]]:
    """(total, a page of claims with their article's date and outlet and the merged events they report)."""
    where, params = q.where()
    base = " FROM claims c JOIN articles a ON a.doc_id = c.doc_id" + where
    with store_errors("querying claims", store.location):
        total = int(store._scalar("SELECT COUNT(*)" + base, params))
        rows = store._rows(
            "SELECT c.doc_id, c.claim_id, c.kind, c.speaker, c.speaker_role, c.speaker_actor, c.cue, c.text, "
            "c.start_char, c.end_char, c.hedged, c.figures, a.published, a.outlet, a.url" + base
            + f" ORDER BY a.published, c.doc_id, c.rank LIMIT {int(limit)} OFFSET {int(offset)}", params)
        out = [_claim(r) for r in rows]
        links: dict[tuple[str, str], list[str]] = {}
        docs = sorted({r["doc_id"] for r in out})
        if docs:
            for r in store._rows("SELECT event_id, doc_id, claim_id FROM event_claims WHERE doc_id IN ("
                                 + ", ".join("?" * len(docs)) + ") ORDER BY event_id", docs):
                links.setdefault((r["doc_id"], r["claim_id"]), []).append(r["event_id"])
    for r in out:
        r["event_ids"] = links.get((r["doc_id"], r["claim_id"]), [])
    return total, out


def find_actors(store, *, name: str | None = None, country: str | None = None, limit: int = 100,
                offset: int = 0) -> tuple[int, list[dict]]:
    """(total, actors by how many articles name them): type, country, aliases, events as a side, relations."""
    where, params = _where([
        (name, "STRPOS(LOWER(name), LOWER(?)) > 0", [name]),
        (country, "LOWER(country) = LOWER(?)", [country]),
    ])
    with store_errors("querying actors", store.location):
        total = int(store._scalar(f"SELECT COUNT(DISTINCT name) FROM actors{where}", params))
        top = store._rows(f"SELECT name, COUNT(*) AS articles FROM actors{where} GROUP BY name "
                          f"ORDER BY COUNT(*) DESC, name LIMIT {int(limit)} OFFSET {int(offset)}", params)
        names = [r["name"] for r in top]
        if not names:
            return total, []
        marks = ", ".join("?" * len(names))
        detail = store._rows(f"SELECT name, inter, country, aliases_seen FROM actors WHERE name IN ({marks})", names)
        sides = store._rows(f"SELECT actor1 AS name, COUNT(*) AS n FROM events WHERE actor1 IN ({marks}) "
                            f"GROUP BY actor1 UNION ALL SELECT actor2 AS name, COUNT(*) AS n FROM events "
                            f"WHERE actor2 IN ({marks}) GROUP BY actor2", names + names)
        rels = store._rows(f"SELECT subject, predicate, object, COUNT(*) AS n FROM relations WHERE subject IN "
                           f"({marks}) OR object IN ({marks}) GROUP BY subject, predicate, object "
                           "ORDER BY COUNT(*) DESC, subject, predicate, object", names + names)
    acc = {r["name"]: {"name": r["name"], "articles": int(r["articles"]), "events": 0, "inter": {}, "country": {},
                       "aliases_seen": set(), "relations": []} for r in top}
    for r in detail:
        a = acc[r["name"]]
        for key in ("inter", "country"):
            if r[key]:
                a[key][r[key]] = a[key].get(r[key], 0) + 1
        a["aliases_seen"].update(json.loads(r["aliases_seen"] or "[]"))
    for r in sides:
        acc[r["name"]]["events"] += int(r["n"])
    for r in rels:
        rel = {"subject": r["subject"], "predicate": r["predicate"], "object": r["object"], "articles": int(r["n"])}
        for who in {r["subject"], r["object"]} & acc.keys():
            acc[who]["relations"].append(rel)
    out = []
    for a in acc.values():
        for key in ("inter", "country"):
            a[key] = max(sorted(a[key]), key=a[key].get) if a[key] else None
        a["aliases_seen"] = sorted(a["aliases_seen"])
        out.append(a)
    return total, out


def article_detail(store, doc_id: str) -> dict | None:
    """An article's clean text with the offsets of its places, actors (where an alias occurs) and claims."""
    with store_errors("reading an article", store.location):
        rows = store._rows("SELECT doc_id, url, title, published, outlet, text, links, images, wire, source_group, "
                           "input, ingested_at FROM articles WHERE doc_id = ?", [doc_id])
        if not rows:
            return None
        art = _decode(rows[0])
        places = store._rows("SELECT mention, start_char, end_char, name, country, admin1, latitude, longitude, "
                             "feature FROM places WHERE doc_id = ? ORDER BY idx", [doc_id])
        actors = store._rows("SELECT name, aliases_seen, inter, country FROM actors WHERE doc_id = ? ORDER BY rank",
                             [doc_id])
        claims = store._rows("SELECT claim_id, kind, speaker, speaker_actor, start_char, end_char, figures "
                             "FROM claims WHERE doc_id = ? ORDER BY rank", [doc_id])
        reports = store._rows("SELECT r.event_id AS report_id, er.event_id, r.evidence FROM reports r "
                              "LEFT JOIN event_reports er ON er.doc_id = r.doc_id AND er.report_id = r.event_id "
                              "WHERE r.doc_id = ? ORDER BY r.rank", [doc_id])
    text = art["text"] or ""
    art["places"] = [_offsets(p) for p in places]
    art["actors"] = []
    for a in actors:
        names = sorted({a["name"], *json.loads(a["aliases_seen"] or "[]")}, key=len, reverse=True)
        spans = _occurrences(text, names)
        art["actors"].append({"name": a["name"], "inter": a["inter"], "country": a["country"],
                              "mentions": [{"start": s, "end": e} for s, e in spans]})
    art["claims"] = [_decode(_offsets(c)) for c in claims]
    art["events"] = [_decode(r) for r in reports]
    return art


def _offsets(row: dict) -> dict:
    row["start"], row["end"] = row.pop("start_char"), row.pop("end_char")
    return row


def _occurrences(text: str, names: Sequence[str]) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) of each name in the text, longest names first."""
    taken: list[tuple[int, int]] = []
    for name in names:
        if not name:
            continue
        i = text.find(name)
        while i >= 0:
            span = (i, i + len(name))
            if not any(s < span[1] and span[0] < e for s, e in taken):
                taken.append(span)
            i = text.find(name, i + 1)
    return sorted(taken)


def health(store) -> dict:
    with store_errors("counting rows", store.location):
        return {t: int(store._scalar(f"SELECT COUNT(*) FROM {t}")) for t in ("articles", "events", "claims")}


__all__ = ["EVENT_SORTS", "ClaimQuery", "EventQuery", "article_detail", "count_events", "event_detail", "event_history",
           "event_grid", "event_timeline", "facets", "find_actors", "find_claims", "find_events", "health"]
