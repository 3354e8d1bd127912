"""What the DuckDB and PostgreSQL stores share: portable SQL over a DB-API connection.

Writes are one transaction per article (delete its old rows, insert the new), so a
killed ingest leaves whole articles or none.  Every write also marks the merged tables
stale; `remerge` recomputes them from all reports in one transaction (deterministic:
the same reports always give the same events), and clears the mark.  A store with
`merge_on_write` set (`sitroom watch`) instead places each new article's reports into
the events of their days in the article's own transaction (`merge_article`), reading
only those events, so adding one article costs the same in a large database as in a small one.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import logging
from datetime import date, datetime, timezone
from typing import Any, Callable, Iterable, Iterator, Sequence

from ..version import __version__
from ..errors import SchemaVersionError
from ..merge import ArticleInfo, ClusterIndex, MergedEvent, Report, build_event, canonical_json, \
    creation_order, figures_from_claims, merge_reports, minhash, report_key, source_group, wire_of
from ..merge.records import report_day
from ..merge.similarity import MAX_DAYS_APART
from ..records import DocumentResult
from . import schema
from .errors import store_errors

log = logging.getLogger(__name__)

# rows per multi-row INSERT: far faster than executemany in DuckDB, and under PostgreSQL's 65535 parameters
INSERT_CHUNK = 400
DIRTY = "merge_dirty"


def now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def result_hash(result: DocumentResult) -> str:
    """Hash of everything a document contributes (not where it was read from)."""
    return hashlib.sha256(canonical_json(result.to_json_dict()).encode("utf-8")).hexdigest()


def _json(value) -> str:
    return canonical_json(value if value is not None else [])


class SQLStore:
    """A store over a DB-API connection; subclasses supply connect, transactions and placeholders."""

    dialect = "sql"
    placeholder = "?"
    merge_on_write = False  # place each stored article's reports into the events at once (see merge_article)
    uncompressed = ""  # the column clause that stores schema.FETCHED_BY_KEY's columns uncompressed, if any

    def __init__(self, location: str, read_only: bool = False):
        self.location = location
        self.read_only = read_only
        self._in_tx = False

    # --- engine primitives (overridden) -------------------------------------------------------
    def _execute(self, sql: str, params: Sequence[Any] = ()):  # pragma: no cover - abstract
        raise NotImplementedError

    def _begin(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _commit(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _rollback(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _lock_for_merge(self) -> None:
        """Where several writers are allowed: no article commits while a merge reads and rewrites."""

    def _lock_for_write(self) -> None:
        """Where several writers are allowed: article writes run together, but not during a merge."""

    def _lock_for_schema(self) -> None:
        """Serialise concurrent schema creation where the engine allows several writers."""

    def close(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- helpers ----------------------------------------------------------------------------------
    def _sql(self, sql: str) -> str:
        return sql if self.placeholder == "?" else sql.replace("?", self.placeholder)

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict]:
        cur = self._execute(self._sql(sql), params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]

    def _scalar(self, sql: str, params: Sequence[Any] = ()):
        row = self._execute(self._sql(sql), params).fetchone()
        return row[0] if row else None

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One transaction (nested calls join the outer one)."""
        if self._in_tx:
            yield
            return
        self._begin()
        self._in_tx = True
        try:
            yield
        except BaseException:
            self._in_tx = False
            with contextlib.suppress(Exception):
                self._rollback()
            raise
        self._in_tx = False
        self._commit()

    def _insert(self, table: str, rows: Sequence[dict]) -> None:
        if not rows:
            return
        cols = schema.columns(table)
        group = "(" + ", ".join([self.placeholder] * len(cols)) + ")"
        for i in range(0, len(rows), INSERT_CHUNK):
            chunk = rows[i:i + INSERT_CHUNK]
            sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES " + ", ".join([group] * len(chunk))
            self._execute(sql, [r.get(c) for r in chunk for c in cols])

    # --- schema ----------------------------------------------------------------------------------
    def ensure_schema(self) -> None:
        with store_errors("creating the schema", self.location):
            tables = self._existing_tables()
            if "meta" in tables:
                found = self._scalar("SELECT value FROM meta WHERE key = ?", ["schema_version"])
                if found is not None and int(found) != schema.SCHEMA_VERSION:
                    raise SchemaVersionError(
                        f"{self.location}: schema version {found}, this sitroom reads version "
                        f"{schema.SCHEMA_VERSION}; re-ingest into a new database")
            if self.read_only:
                if "meta" not in tables:
                    raise SchemaVersionError(f"{self.location}: not a sitroom database (no meta table)")
                return
            if set(schema.TABLES) <= tables:
                return
            with self.transaction():
                self._lock_for_schema()
                if set(schema.TABLES) <= self._existing_tables():
                    return  # another process made them while this one waited for the lock
                for stmt in schema.create_statements(self.uncompressed):
                    self._execute(stmt)
                if self._scalar("SELECT value FROM meta WHERE key = ?", ["schema_version"]) is None:
                    self._insert("meta", [{"key": "schema_version", "value": str(schema.SCHEMA_VERSION)},
                                          {"key": DIRTY, "value": "0"}])

    def _existing_tables(self) -> set[str]:
        rows = self._rows("SELECT table_name FROM information_schema.tables WHERE table_schema = "
                          + self._schema_name_sql())
        return {r["table_name"] for r in rows}

    def _schema_name_sql(self) -> str:
        return "current_schema()"

    # --- writes ----------------------------------------------------------------------------------
    def find_raw(self, raw_hash: str) -> str | None:
        """The doc_id of an article ingested from exactly this input, if any."""
        with store_errors("looking up an article", self.location):
            return self._scalar("SELECT doc_id FROM articles WHERE raw_hash = ? ORDER BY doc_id LIMIT 1", [raw_hash])

    def put_document(self, result: DocumentResult, *, raw_hash: str, input_name: str | None = None,
                     ingested_at: str | None = None) -> str:
        """Store one document's layers: 'new', 'updated' (replaced an older version) or 'unchanged'."""
        doc_id = result.id
        rhash = result_hash(result)
        with store_errors(f"storing {doc_id}", self.location), self.transaction():
            incremental = self.merge_on_write
            if incremental:
                self._lock_for_merge()
                incremental = self._scalar("SELECT value FROM meta WHERE key = ?", [DIRTY]) != "1"
            else:
                self._lock_for_write()
            prev = self._rows("SELECT result_hash FROM articles WHERE doc_id = ?", [doc_id])
            if prev and prev[0]["result_hash"] == rhash:
                return "unchanged"  # same output (e.g. only the page's markup changed): nothing to write
            if prev:
                self._delete_article(doc_id)
            self._insert("articles", [article_row(result, raw_hash, rhash, input_name, ingested_at)])
            self._insert_layers(result)
            if incremental:
                self.merge_article(doc_id)
            else:
                self._mark_stale(True)
            return "updated" if prev else "new"

    def _insert_layers(self, result: DocumentResult) -> None:
        for table, rows in layer_rows(result).items():
            self._insert(table, rows)

    def _delete_article(self, doc_id: str) -> None:
        for table in (*schema.ARTICLE_TABLES, "articles"):
            self._execute(self._sql(f"DELETE FROM {table} WHERE doc_id = ?"), [doc_id])

    def delete_document(self, doc_id: str) -> bool:
        with store_errors(f"deleting {doc_id}", self.location), self.transaction():
            self._lock_for_write()
            found = self._scalar("SELECT COUNT(*) FROM articles WHERE doc_id = ?", [doc_id])
            if found:
                self._delete_article(doc_id)
                self._mark_stale(True)
            return bool(found)

    def _mark_stale(self, stale: bool) -> None:
        # an UPDATE that matches nothing when the flag is already set: cheap on every article
        value = "1" if stale else "0"
        self._execute(self._sql("UPDATE meta SET value = ? WHERE key = ? AND value <> ?"), [value, DIRTY, value])

    def is_stale(self) -> bool:
        """Have articles changed since the last merge?"""
        with store_errors("reading the merge state", self.location):
            return self._scalar("SELECT value FROM meta WHERE key = ?", [DIRTY]) == "1"

    # --- merging ------------------------------------------------------------------------------------
    def load_reports(self, doc_ids: Sequence[str] | None = None) -> list[Report]:
        """Every report (or those of these articles) with its article's independence data and its
        claims' figures."""
        only, params = "", []
        if doc_ids is not None:
            if not doc_ids:
                return []
            only = " AND doc_id IN (" + ", ".join("?" * len(doc_ids)) + ")"
            params = list(doc_ids)
        claims: dict[str, dict[str, dict]] = {}
        # by key, the claims without figures are left out below rather than in SQL: DuckDB reads through
        # an index only where the key is the table's one filter (merging one article reads its window so)
        with_figures = "" if doc_ids is not None else " AND figures <> '[]'"
        for c in self._rows("SELECT doc_id, claim_id, kind, speaker, speaker_actor, figures FROM claims "
                            "WHERE TRUE" + with_figures + only, params):
            if c["figures"] in (None, "[]"):
                continue
            c["figures"] = json.loads(c["figures"])
            claims.setdefault(c["doc_id"], {})[c["claim_id"]] = c
        places: dict[str, list[tuple[str, str | None]]] = {}
        for p in self._rows("SELECT doc_id, name, mention, feature FROM places WHERE TRUE" + only
                            + " ORDER BY doc_id, idx", params):
            for label in dict.fromkeys(filter(None, (p["name"], p["mention"]))):
                places.setdefault(p["doc_id"], []).append((label, p["feature"]))
        arts = {a["doc_id"]: ArticleInfo(doc_id=a["doc_id"], published=a["published"], outlet=a["outlet"],
                                         source_group=a["source_group"], minhash=a["minhash"] or "",
                                         ingested_at=a["ingested_at"], places=tuple(places.get(a["doc_id"], ())))
                for a in self._rows("SELECT doc_id, published, outlet, source_group, minhash, ingested_at "
                                    "FROM articles WHERE TRUE" + only, params)}
        reports = []
        # two lookups by key, not a join: merging one article reads a few rows of each, whatever the size
        for row in self._rows("SELECT * FROM reports WHERE TRUE" + only + " ORDER BY doc_id, rank",
                              params):
            doc_id = row.pop("doc_id")
            if doc_id not in arts:
                continue
            row["claims"] = json.loads(row["claims"] or "[]")
            row["evidence"] = json.loads(row["evidence"] or "[]")
            row.pop("rank", None)
            reports.append(Report(article=arts[doc_id], event=row,
                                  figures=figures_from_claims(row, claims.get(doc_id, {}))))
        return reports

    def remerge(self, merge: Callable[[list[Report]], Sequence[MergedEvent]] = merge_reports) -> int:
        """Recompute every merged event from the reports; the number of events.

        `merge` is `merge_reports` or one that gives the same events another way (a Dask
        cluster's partitioned merge, `sitroom.distributed.merge_on`)."""
        with store_errors("merging events", self.location), self.transaction():
            self._lock_for_merge()
            merged = merge(self.load_reports())
            for table in schema.MERGED_TABLES:
                self._execute(f"DELETE FROM {table}")
            self._insert_merged(merged)
            self._mark_stale(False)
            return len(merged)

    def _insert_merged(self, merged: Sequence[MergedEvent]) -> None:
        ev_cols = set(schema.columns("events"))
        self._insert("events", [{k: (_json(v) if k in schema.JSON_COLUMNS else v)
                                 for k, v in m.event.items() if k in ev_cols} for m in merged])
        self._insert("event_reports", [{"event_id": m.event["event_id"], "doc_id": r.doc_id,
                                        "report_id": r.report_id, "source_group": m.groups[r.doc_id]}
                                       for m in merged for r in m.members])
        self._insert("event_claims", [{"event_id": m.event["event_id"], "doc_id": d, "claim_id": c}
                                      for m in merged for d, c in m.claims])
        self._insert("event_history", [
            {"event_id": m.event["event_id"], "idx": i, "as_of": h["as_of"], "doc_id": h["doc_id"],
             "report_id": h["report_id"], "field": h["field"], "old_value": canonical_json(h["old"]),
             "new_value": canonical_json(h["new"])}
            for m in merged for i, h in enumerate(m.event.get("history") or [])])

    def merge_article(self, doc_id: str) -> int:
        """Place one stored article's reports into the merged events, reading only the events of
        their days (and those the article's older version was in); the number of events rewritten.

        Each report joins the best event it fits or starts one (`ClusterIndex.add`, the step a full
        merge repeats for every report), so the events equal a full merge that added the same
        reports in the same order; `remerge` also gives every report a second chance, so it may
        differ slightly (docs/decisions/merge.md). Call it in the transaction that stored the article,
        on merged tables that were up to date before it.
        """
        with store_errors(f"merging {doc_id}", self.location), self.transaction():
            new = sorted(self.load_reports([doc_id]), key=report_key)
            old = {r["event_id"] for r in self._rows(
                "SELECT DISTINCT event_id FROM event_reports WHERE doc_id = ?", [doc_id])}
            touched = set(old)
            days = [d for d in map(report_day, new) if d is not None]
            if days:
                touched |= self._events_near(min(days), max(days))
            stored = self._stored_clusters(sorted(touched), leave_out=doc_id)
            ids = sorted((e for e, members in stored.items() if members), key=lambda e: creation_order(stored[e]))
            index = ClusterIndex(stored[e] for e in ids)
            joined = {index.add(r) for r in new}
            rewrite = sorted(joined | {i for i, e in enumerate(ids) if e in old})
            self._delete_events(old | {ids[i] for i in joined if i < len(ids)})
            self._insert_merged([build_event(index.clusters[i]) for i in rewrite])
            return len(rewrite)

    def _events_near(self, first: int, last: int) -> set[str]:
        """The events with a report whose day (its event date, else its article's) comes within
        `ClusterIndex.candidates`' reach of [first, last] (day ordinals): every event a report of those
        days could join, found by index.

        Every report of an article published in the window counts, whatever its own date: reading
        each one's date to keep only the undated would cost a lookup of every article of the window
        (the dearest read of the merge), while the few events more that this reads change nothing,
        as a cluster out of a report's reach is never its candidate."""
        reach = MAX_DAYS_APART + 1  # as ClusterIndex.candidates: one more day for a vaguely dated report
        lo, hi = (date.fromordinal(d).isoformat() for d in (first - reach, last + reach + 1))
        keys = {(r["doc_id"], r["event_id"]) for r in self._rows(
            "SELECT doc_id, event_id FROM reports WHERE event_date >= ? AND event_date < ?", [lo, hi])}
        published = {r["doc_id"] for r in self._rows(
            "SELECT doc_id FROM articles WHERE published >= ? AND published < ?", [lo, hi])}
        docs = sorted({d for d, _ in keys} | published)
        out: set[str] = set()
        for i in range(0, len(docs), INSERT_CHUNK):
            chunk = docs[i:i + INSERT_CHUNK]
            out |= {r["event_id"] for r in self._rows(
                "SELECT event_id, doc_id, report_id FROM event_reports WHERE doc_id IN ("
                + ", ".join("?" * len(chunk)) + ")", chunk)
                if r["doc_id"] in published or (r["doc_id"], r["report_id"]) in keys}
        return out

    def _stored_clusters(self, event_ids: Sequence[str], leave_out: str) -> dict[str, list[Report]]:
        """event_id -> its reports as stored (in canonical order), without those of `leave_out`."""
        if not event_ids:
            return {}
        rows = self._rows("SELECT event_id, doc_id, report_id FROM event_reports WHERE event_id IN ("
                          + ", ".join("?" * len(event_ids)) + ")", list(event_ids))
        docs = sorted({r["doc_id"] for r in rows} - {leave_out})
        by_key = {(r.doc_id, r.report_id): r for r in self.load_reports(docs)}
        out: dict[str, list[Report]] = {e: [] for e in event_ids}
        for row in rows:
            report = by_key.get((row["doc_id"], row["report_id"]))
            if report is not None:
                out[row["event_id"]].append(report)
        return {e: sorted(members, key=report_key) for e, members in out.items()}

    def _delete_events(self, event_ids: set[str]) -> None:
        ids = sorted(event_ids)
        for i in range(0, len(ids), INSERT_CHUNK):
            chunk = ids[i:i + INSERT_CHUNK]
            for table in schema.MERGED_TABLES:
                self._execute(self._sql(f"DELETE FROM {table} WHERE event_id IN ("
                                        + ", ".join("?" * len(chunk)) + ")"), chunk)


    def ensure_merged(self) -> None:
        """Re-merge if articles changed since the last merge (e.g. after an interrupted ingest)."""
        if self.is_stale():
            if self.read_only:
                log.warning("%s: merged events are out of date (opened read-only, not re-merging)", self.location)
                return
            self.remerge()

    # --- feeds followed by `sitroom watch` ----------------------------------------------------------------
    def feeds(self) -> list[dict]:
        """Every followed feed's state (none in a database made before `sitroom watch` existed)."""
        with store_errors("reading the feeds", self.location):
            if "feeds" not in self._existing_tables():
                return []
            return self._rows("SELECT * FROM feeds ORDER BY added_url")

    def save_feed(self, row: dict) -> None:
        """Write one feed's state (keyed by the URL it was added as)."""
        with store_errors(f"saving the state of {row['added_url']}", self.location), self.transaction():
            self._execute(self._sql("DELETE FROM feeds WHERE added_url = ?"), [row["added_url"]])
            self._insert("feeds", [row])

    def feed_entries(self, feed: str) -> list[dict]:
        """The entries of a feed seen so far."""
        with store_errors(f"reading the entries of {feed}", self.location):
            return self._rows("SELECT * FROM feed_entries WHERE feed = ?", [feed])

    def save_entry(self, row: dict) -> None:
        with store_errors(f"saving entry {row['entry']}", self.location), self.transaction():
            self._execute(self._sql("DELETE FROM feed_entries WHERE feed = ? AND entry = ?"), [row["feed"], row["entry"]])
            self._insert("feed_entries", [row])

    # --- reads -----------------------------------------------------------------------------------------
    def events(self, *, country: str | None = None, admin1: str | None = None, since: str | None = None,
               until: str | None = None, type: str | None = None, actor: str | None = None,
               min_sources: int | None = None, event_id: str | None = None, limit: int | None = None) -> list[dict]:
        """Merged events matching every given filter, in date order."""
        self.ensure_merged()
        iso = None
        if country:
            from ..acled import country_codes
            iso = country_codes(country)[2]
        like = f"%{actor}%"
        where, params = _where([
            (country, "(LOWER(country) = LOWER(?)" + (" OR iso = ?)" if iso else ")"),
             [country] + ([iso] if iso else [])),
            (admin1, "LOWER(admin1) = LOWER(?)", [admin1]),
            (since, "event_date >= ?", [since]),
            (until, "event_date <= ?", [until]),
            (type, "(LOWER(event_type) = LOWER(?) OR LOWER(sub_event_type) = LOWER(?))", [type, type]),
            (actor, "(actor1 ILIKE ? OR actor2 ILIKE ? OR assoc_actor_1 ILIKE ? OR assoc_actor_2 ILIKE ?)", [like] * 4),
            (min_sources, "sources >= ?", [int(min_sources or 0)]),
            (event_id, "event_id = ?", [event_id]),
        ])
        sql = "SELECT * FROM events" + where
        sql += " ORDER BY event_date, event_id" + (f" LIMIT {int(limit)}" if limit else "")
        with store_errors("querying events", self.location):
            return [_decode(r) for r in self._rows(sql, params)]

    def claims(self, *, doc_id: str | None = None, event_id: str | None = None, speaker: str | None = None,
               actor: str | None = None, kind: str | None = None, since: str | None = None,
               until: str | None = None, with_figures: bool = False, limit: int | None = None) -> list[dict]:
        """Claims (who says what) with their article's date and outlet and the events they report."""
        if event_id:
            self.ensure_merged()
        where, params = _where([
            (doc_id, "c.doc_id = ?", [doc_id]),
            (event_id, "EXISTS (SELECT 1 FROM event_claims ec WHERE ec.doc_id = c.doc_id "
                       "AND ec.claim_id = c.claim_id AND ec.event_id = ?)", [event_id]),
            (speaker, "c.speaker ILIKE ?", [f"%{speaker}%"]),
            (actor, "c.speaker_actor ILIKE ?", [f"%{actor}%"]),
            (kind, "c.kind = ?", [kind]),
            (since, "a.published >= ?", [since]),
            (until, "a.published <= ?", [until]),
            (with_figures, "c.figures <> '[]'", []),
        ])
        sql = ("SELECT c.doc_id, c.claim_id, c.kind, c.speaker, c.speaker_role, c.speaker_actor, c.cue, c.text, "
               "c.start_char, c.end_char, c.hedged, c.figures, a.published, a.outlet, a.url "
               "FROM claims c JOIN articles a ON a.doc_id = c.doc_id" + where
               + " ORDER BY a.published, c.doc_id, c.rank" + (f" LIMIT {int(limit)}" if limit else ""))
        with store_errors("querying claims", self.location):
            rows = [_decode(r) for r in self._rows(sql, params)]
            links: dict[tuple[str, str], list[str]] = {}
            for r in self._rows("SELECT event_id, doc_id, claim_id FROM event_claims ORDER BY event_id"):
                links.setdefault((r["doc_id"], r["claim_id"]), []).append(r["event_id"])
        for r in rows:
            r["start"], r["end"] = r.pop("start_char"), r.pop("end_char")
            r["event_ids"] = links.get((r["doc_id"], r["claim_id"]), [])
        return rows

    def actors(self, *, name: str | None = None, country: str | None = None) -> list[dict]:
        """Actors across articles: canonical name, type, country, every alias seen, how often."""
        self.ensure_merged()
        with store_errors("querying actors", self.location):
            rows = self._rows("SELECT doc_id, name, aliases_seen, inter, country FROM actors ORDER BY name, doc_id")
            events = self._rows("SELECT actor1, actor2, assoc_actor_1, assoc_actor_2 FROM events")
        counts: dict[str, int] = {}
        for e in events:
            names = {e["actor1"], e["actor2"]} | {a.strip() for k in ("assoc_actor_1", "assoc_actor_2")
                                                   for a in (e[k] or "").split(";")}
            for n in names - {None, ""}:
                counts[n] = counts.get(n, 0) + 1
        out: dict[str, dict] = {}
        for r in rows:
            a = out.setdefault(r["name"], {"name": r["name"], "inter": [], "country": [], "aliases_seen": set(),
                                           "articles": 0, "events": counts.get(r["name"], 0)})
            a["inter"].append(r["inter"])
            a["country"].append(r["country"])
            a["aliases_seen"].update(json.loads(r["aliases_seen"] or "[]"))
            a["articles"] += 1
        result = []
        for a in out.values():
            a["inter"] = _most_common(a["inter"])
            a["country"] = _most_common(a["country"])
            a["aliases_seen"] = sorted(a["aliases_seen"])
            if name and name.casefold() not in a["name"].casefold() \
                    and not any(name.casefold() in x.casefold() for x in a["aliases_seen"]):
                continue
            if country and (a["country"] or "").casefold() != country.casefold():
                continue
            result.append(a)
        return result

    def articles(self, *, outlet: str | None = None, since: str | None = None, until: str | None = None,
                 with_text: bool = False) -> list[dict]:
        where, params = _where([
            (outlet, "LOWER(a.outlet) = LOWER(?)", [outlet]),
            (since, "a.published >= ?", [since]),
            (until, "a.published <= ?", [until]),
        ])
        cols = "a.doc_id, a.url, a.title, a.published, a.outlet, a.wire, a.source_group, a.input, a.ingested_at"
        sql = (f"SELECT {cols}{', a.text' if with_text else ''}, "
               "(SELECT COUNT(*) FROM reports r WHERE r.doc_id = a.doc_id) AS events, "
               "(SELECT COUNT(*) FROM claims c WHERE c.doc_id = a.doc_id) AS claims "
               "FROM articles a" + where
               + " ORDER BY a.published, a.doc_id")
        with store_errors("querying articles", self.location):
            return self._rows(sql, params)

    def counts(self) -> dict[str, int]:
        with store_errors("counting rows", self.location):
            return {t: int(self._scalar(f"SELECT COUNT(*) FROM {t}")) for t in schema.TABLES
                    if t not in schema.STATE_TABLES}

    def checksum(self) -> str:
        """SHA-256 over every table's rows in a canonical order: equal databases, equal checksums."""
        h = hashlib.sha256()
        with store_errors("computing the checksum", self.location):
            for table in sorted(set(schema.TABLES) - set(schema.STATE_TABLES)):
                cols = schema.columns(table)
                rows = self._execute(f"SELECT {', '.join(cols)} FROM {table}").fetchall()
                lines = sorted(canonical_json([_plain(v) for v in row]) for row in rows)
                h.update(f"{table}\n".encode())
                for line in lines:
                    h.update(line.encode("utf-8") + b"\n")
        return h.hexdigest()


def article_row(result: DocumentResult, raw_hash: str, rhash: str, input_name: str | None,
                ingested_at: str | None) -> dict:
    """The `articles` row of a document."""
    art = result.article
    wire = wire_of(art.text, art.outlet)
    return {
        "doc_id": result.id, "url": art.url, "title": art.title, "published": art.published,
        "outlet": art.outlet, "text": art.text,
        "links": _json([link.model_dump() for link in art.links]),
        "images": _json([img.model_dump() for img in art.images]),
        "input": input_name, "raw_hash": raw_hash, "text_hash": text_hash(art.text), "result_hash": rhash,
        "wire": wire, "source_group": source_group(result.id, art.outlet, wire), "minhash": minhash(art.text),
        "pipeline_version": __version__, "ingested_at": ingested_at or now_iso(),
    }


def layer_rows(result: DocumentResult) -> dict[str, list[dict]]:
    """The rows of one document's per-article tables (reports, claims, actors, places ...)."""
    d = result.id
    return {
        "reports": [{
            "doc_id": d, "rank": i, **{k: v for k, v in ev.model_dump().items() if k not in ("claims", "evidence")},
            "claims": _json(ev.claims), "evidence": _json([e.model_dump() for e in ev.evidence]),
        } for i, ev in enumerate(_unique(result.events, "event_id"))],
        "claims": [{
            "doc_id": d, "claim_id": c.claim_id, "rank": i, "kind": c.kind, "speaker": c.speaker,
            "speaker_role": c.speaker_role, "speaker_actor": c.speaker_actor, "cue": c.cue, "text": c.text,
            "start_char": c.start, "end_char": c.end, "hedged": c.hedged,
            "figures": _json([f.model_dump() for f in c.figures]),
        } for i, c in enumerate(_unique(result.claims, "claim_id"))],
        "actors": [{
            "doc_id": d, "name": a.name, "rank": i, "aliases_seen": _json(a.aliases_seen), "inter": a.inter,
            "country": a.country,
        } for i, a in enumerate(_unique(result.actors, "name"))],
        "places": [{
            "doc_id": d, "idx": i, "start_char": p.start, "end_char": p.end,
            **{k: v for k, v in p.model_dump().items() if k not in ("start", "end")},
        } for i, p in enumerate(result.places)],
        "relations": [{"doc_id": d, "idx": i, **r.model_dump()} for i, r in enumerate(result.relations)],
        "timexes": [{
            "doc_id": d, "idx": i, "text": t.text, "start_char": t.start, "end_char": t.end,
            "timex_type": t.type, "value": t.value,
        } for i, t in enumerate(result.timexes)],
    }


def _plain(value):
    if isinstance(value, float):
        return repr(value)
    return value


def _unique(items: Iterable, key: str) -> list:
    """First of each key: a stage that repeats an id must not break the primary key."""
    seen, out = set(), []
    for item in items:
        k = getattr(item, key)
        if k not in seen:
            seen.add(k)
            out.append(item)
    return out


def _where(filters: list[tuple[object, str, list]]) -> tuple[str, list]:
    """` WHERE c1 AND c2 ...` and its parameters, from (value, condition, parameters) of each filter:
    a filter whose value is empty is left out."""
    used = [(cond, params) for value, cond, params in filters if value]
    clause = " WHERE " + " AND ".join(cond for cond, _ in used) if used else ""
    return clause, [p for _, params in used for p in params]


def _decode(row: dict) -> dict:
    for k in schema.JSON_COLUMNS & row.keys():
        if isinstance(row[k], str):
            row[k] = json.loads(row[k])
    return row


def _most_common(values: list):
    vals = [v for v in values if v]
    return max(dict.fromkeys(vals), key=vals.count) if vals else None
