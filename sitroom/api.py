"""The notebook API: an event database as pandas DataFrames.

    import sitroom
    db = sitroom.open("sitroom.duckdb")            # or "postgresql://user@host/db"
    db.ingest(["articles/", "https://example.org/feed.xml"])
    db.events(country="Syria", min_sources=2)       # merged events, one row each
    db.claims(event_id="ev-...")                    # who says what about one event
    db.actors(), db.articles()

Every method returns a DataFrame (lists stay Python lists); `db.store` is the
underlying `sitroom.store.Store` for anything else.
"""
from __future__ import annotations

from typing import Iterable

from .store import Store, open_store
from .store.schema import columns

EVENT_COLUMNS = tuple(c for c in columns("events"))
CLAIM_COLUMNS = ("doc_id", "claim_id", "kind", "speaker", "speaker_role", "speaker_actor", "cue", "text",
                 "start", "end", "hedged", "figures", "published", "outlet", "url", "event_ids")
ACTOR_COLUMNS = ("name", "inter", "country", "aliases_seen", "articles", "events")
ARTICLE_COLUMNS = ("doc_id", "url", "title", "published", "outlet", "wire", "source_group", "input",
                   "ingested_at", "events", "claims")


class Database:
    """One sitroom database opened for analysis (a context manager; close() when done)."""

    def __init__(self, db: str | None = None, *, read_only: bool = False):
        self.store: Store = open_store(db, read_only=read_only)

    def __repr__(self) -> str:
        return f"<sitroom.Database {self.store.location}>"

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.store.close()

    def events(self, **filters):
        """Merged events: country, admin1, since, until, type, actor, min_sources, event_id, limit."""
        return _frame(self.store.events(**filters), EVENT_COLUMNS)

    def claims(self, **filters):
        """Claims: doc_id, event_id, speaker, actor (speaker_actor), kind, since, until, with_figures."""
        return _frame(self.store.claims(**filters), CLAIM_COLUMNS)

    def actors(self, **filters):
        """Actors across articles: name (substring of name or alias), country."""
        return _frame(self.store.actors(**filters), ACTOR_COLUMNS)

    def articles(self, **filters):
        """Stored articles: outlet, since, until, with_text."""
        rows = self.store.articles(**filters)
        cols = ARTICLE_COLUMNS + (("text",) if filters.get("with_text") else ())
        return _frame(rows, cols)

    def ingest(self, inputs: Iterable[str], *, allow_private: bool = False, published: str | None = None,
               reprocess: bool = False):
        """Ingest files, directories, URLs, feeds or WARC archives; returns the run's IngestStats."""
        from .fetch import FetchPolicy
        from .inputs import iter_inputs
        from .store.ingest import ingest
        items = iter_inputs(list(inputs), published=published, policy=FetchPolicy(allow_private=allow_private))
        return ingest(self.store, items, reprocess=reprocess)

    def checksum(self) -> str:
        return self.store.checksum()


def open(db: str | None = None, *, read_only: bool = False) -> Database:  # noqa: A001 - sitroom.open(...)
    """Open (or create) a sitroom database: a DuckDB path or a postgresql:// URL."""
    return Database(db, read_only=read_only)


def _frame(rows: list[dict], cols: Iterable[str]):
    import pandas as pd
    cols = list(cols)
    return pd.DataFrame.from_records(rows, columns=cols) if rows else pd.DataFrame(columns=cols)
