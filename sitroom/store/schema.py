"""The store's schema: one portable definition for DuckDB and PostgreSQL.

Types are the common subset (TEXT, BIGINT, DOUBLE PRECISION, BOOLEAN); lists and
objects (claims' figures, an event's outlets) are canonical JSON text, so both engines
store the same bytes and checksums agree.  Offsets are `start_char`/`end_char` because
END is reserved in SQL.

    articles        one row per article (its text, metadata, hashes, independence key)
    reports         the per-article events (the contract's EVENT), i.e. reports of events
    claims          every claim of every article, with its figures
    actors, places, relations, timexes   the other per-article layers
    events          merged events: one per real-world event, recomputed from `reports`
    event_reports   which report belongs to which merged event (and its source group)
    event_claims    which claims report which merged event
    event_history   how later articles revised an event's day and toll: field, old and new value, when
    meta            schema version and the "merge is stale" flag
    feeds           what `sitroom watch` knows of each feed: its URL, validators, schedule, errors
    feed_entries    the entries of each feed already seen (so each is fetched once)

The watch tables are state, not content: `checksum` leaves them out, and a database
made before they existed gets them on its next write (CREATE TABLE IF NOT EXISTS).
"""
from __future__ import annotations

SCHEMA_VERSION = 1

T, I, F, B = "TEXT", "BIGINT", "DOUBLE PRECISION", "BOOLEAN"

EVENT_FIELDS: tuple[tuple[str, str], ...] = (
    ("event_date", T), ("time_precision", I), ("event_type", T), ("sub_event_type", T),
    ("actor1", T), ("assoc_actor_1", T), ("inter1", T), ("actor2", T), ("assoc_actor_2", T), ("inter2", T),
    ("country", T), ("iso", I), ("admin1", T), ("admin2", T), ("location", T),
    ("latitude", F), ("longitude", F), ("geo_precision", I),
    ("fatalities", I), ("fatalities_low", I), ("fatalities_best", I), ("fatalities_high", I),
    ("civilian_targeting", B),
)

# table -> (columns, primary key)
TABLES: dict[str, tuple[tuple[tuple[str, str], ...], tuple[str, ...]]] = {
    "meta": ((("key", T), ("value", T)), ("key",)),
    "articles": ((
        ("doc_id", T), ("url", T), ("title", T), ("published", T), ("outlet", T), ("text", T),
        ("links", T), ("images", T), ("input", T), ("raw_hash", T), ("text_hash", T), ("result_hash", T),
        ("wire", T), ("source_group", T), ("minhash", T), ("pipeline_version", T), ("ingested_at", T),
    ), ("doc_id",)),
    "reports": ((
        ("doc_id", T), ("event_id", T), ("rank", I), *EVENT_FIELDS,
        ("claims", T), ("evidence", T), ("notes", T),
    ), ("doc_id", "event_id")),
    "claims": ((
        ("doc_id", T), ("claim_id", T), ("rank", I), ("kind", T), ("speaker", T), ("speaker_role", T),
        ("speaker_actor", T), ("cue", T), ("text", T), ("start_char", I), ("end_char", I), ("hedged", B),
        ("figures", T),
    ), ("doc_id", "claim_id")),
    "actors": ((
        ("doc_id", T), ("name", T), ("rank", I), ("aliases_seen", T), ("inter", T), ("country", T),
    ), ("doc_id", "name")),
    "places": ((
        ("doc_id", T), ("idx", I), ("mention", T), ("start_char", I), ("end_char", I), ("name", T),
        ("geonameid", I), ("country", T), ("admin1", T), ("admin2", T), ("latitude", F), ("longitude", F),
        ("feature", T), ("metonymic", B),
    ), ("doc_id", "idx")),
    "relations": ((
        ("doc_id", T), ("idx", I), ("subject", T), ("predicate", T), ("object", T), ("claim_id", T),
    ), ("doc_id", "idx")),
    "timexes": ((
        ("doc_id", T), ("idx", I), ("text", T), ("start_char", I), ("end_char", I), ("timex_type", T),
        ("value", T),
    ), ("doc_id", "idx")),
    "events": ((
        ("event_id", T), *EVENT_FIELDS, ("contested", B), ("sources", I), ("reports", I),
        ("outlets", T), ("doc_ids", T), ("claims", T), ("figures", T), ("notes", T),
        ("first_published", T), ("last_ingested", T),
    ), ("event_id",)),
    "event_reports": ((
        ("event_id", T), ("doc_id", T), ("report_id", T), ("source_group", T),
    ), ("doc_id", "report_id")),
    "event_claims": ((
        ("event_id", T), ("doc_id", T), ("claim_id", T),
    ), ("event_id", "doc_id", "claim_id")),
    "event_history": ((
        ("event_id", T), ("idx", I), ("as_of", T), ("doc_id", T), ("report_id", T), ("field", T),
        ("old_value", T), ("new_value", T),
    ), ("event_id", "idx")),
    "feeds": ((
        ("added_url", T), ("url", T), ("title", T), ("etag", T), ("last_modified", T), ("body_hash", T),
        ("last_status", I), ("last_error", T), ("errors", I), ("interval_s", I), ("next_check", T),
        ("retry_after", T), ("last_checked", T), ("last_new", T), ("entries", I), ("requests", I),
        ("not_modified", I), ("disabled", T),
    ), ("added_url",)),
    "feed_entries": ((
        ("feed", T), ("entry", T), ("guid", T), ("link", T), ("doc_id", T), ("outcome", T), ("attempts", I),
        ("seen_at", T),
    ), ("feed", "entry")),
}

# per-article tables, deleted and rewritten when an article changes
ARTICLE_TABLES = ("reports", "claims", "actors", "places", "relations", "timexes")
# merged tables, rewritten by every merge
MERGED_TABLES = ("events", "event_reports", "event_claims", "event_history")
# what `sitroom watch` keeps about feeds: state, not content (left out of checksums)
STATE_TABLES = ("feeds", "feed_entries")
# columns holding JSON text
JSON_COLUMNS = frozenset({"links", "images", "claims", "evidence", "figures", "aliases_seen", "outlets", "doc_ids",
                          "old_value", "new_value"})


def columns(table: str) -> tuple[str, ...]:
    return tuple(name for name, _ in TABLES[table][0])


# secondary indexes: what merging one article looks up (its days' reports, their articles, claims,
# places and events) is found by key, not by scanning tables that grow with the database
INDEXES = (("reports", "doc_id"), ("reports", "event_date"), ("articles", "published"), ("claims", "doc_id"),
           ("places", "doc_id"), ("event_reports", "event_id"), ("event_reports", "doc_id"),
           ("event_claims", "event_id"), ("event_history", "event_id"))

# what merging one article fetches row by row through those indexes: its window's reports, their
# articles' independence data, places and claims, and the rows of the events it rewrites. DuckDB stores
# these columns uncompressed: fetching one row from a compressed segment (DICT_FSST strings above all)
# decodes more of the segment the more rows it holds, so with compression one article's merge cost three
# times as much at 100,000 reports as at 1,000 (docs/decisions/merge.md).
FETCHED_BY_KEY: dict[str, tuple[str, ...]] = {
    "articles": ("doc_id", "published", "outlet", "source_group", "minhash", "ingested_at", "result_hash"),
    "claims": ("doc_id", "claim_id", "kind", "speaker", "speaker_actor", "figures"),
    "places": ("doc_id", "idx", "name", "mention", "feature"),
    **{table: columns(table) for table in ("reports", *MERGED_TABLES)},
}


def create_statements(uncompressed: str = "") -> list[str]:
    """CREATE statements of every table and index; `uncompressed` is the engine's clause that keeps
    a column uncompressed (DuckDB's `USING COMPRESSION uncompressed`), added to FETCHED_BY_KEY's."""
    out = []
    for table, (cols, pk) in TABLES.items():
        plain = set(FETCHED_BY_KEY.get(table, ())) if uncompressed else set()
        body = ", ".join(f"{name} {kind}" + (f" {uncompressed}" if name in plain else "") for name, kind in cols)
        out.append(f"CREATE TABLE IF NOT EXISTS {table} ({body}, PRIMARY KEY ({', '.join(pk)}))")
    out += [f"CREATE INDEX IF NOT EXISTS {table}_{col} ON {table} ({col})" for table, col in INDEXES]
    return out
