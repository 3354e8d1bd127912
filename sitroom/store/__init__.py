"""The event database: every article, report and claim, and the merged events.

    from sitroom.store import open_store
    with open_store("sitroom.duckdb") as store:          # or "postgresql://user@host/db"
        store.put_document(result, raw_hash=...)
        store.remerge()
        store.events(country="Syria", min_sources=2)

One small interface (`Store`), two implementations over the same portable SQL:
DuckDB (embedded, the default) and PostgreSQL (psycopg 3, for teams).
"""
from __future__ import annotations

import os
from typing import Protocol, runtime_checkable

from ..errors import ConfigError
from ..records import DocumentResult

DEFAULT_DB = "sitroom.duckdb"
DB_ENV = "SITROOM_DB"  # the database when --db is not given
POSTGRES_SCHEMES = ("postgresql://", "postgres://")


@runtime_checkable
class Store(Protocol):
    """What ingest, merge, exports and the notebook API need from a database."""

    location: str
    read_only: bool

    def find_raw(self, raw_hash: str) -> str | None: ...
    def put_document(self, result: DocumentResult, *, raw_hash: str, input_name: str | None = None,
                     ingested_at: str | None = None) -> str: ...
    def delete_document(self, doc_id: str) -> bool: ...
    def is_stale(self) -> bool: ...
    def remerge(self, merge=...) -> int: ...
    def ensure_merged(self) -> None: ...
    def events(self, **filters) -> list[dict]: ...
    def claims(self, **filters) -> list[dict]: ...
    def actors(self, **filters) -> list[dict]: ...
    def articles(self, **filters) -> list[dict]: ...
    def counts(self) -> dict[str, int]: ...
    def checksum(self) -> str: ...
    def close(self) -> None: ...


def default_db() -> str:
    return os.environ.get(DB_ENV) or DEFAULT_DB


def is_postgres(db: str) -> bool:
    return db.startswith(POSTGRES_SCHEMES)


def open_store(db: str | None = None, *, read_only: bool = False, create: bool = True) -> Store:
    """A DuckDB file path or a postgresql:// URL; `create=False` refuses to make a new database."""
    db = db or default_db()
    if "://" in db and not is_postgres(db):
        raise ConfigError(f"{db}: not a database sitroom can open; give a DuckDB file path or a "
                          "postgresql:// URL (--db or $SITROOM_DB)")
    if is_postgres(db):
        from .postgres import PostgresStore
        return PostgresStore(db, read_only=read_only, create=create)
    from .duckdb import DuckDBStore
    return DuckDBStore(db, read_only=read_only, create=create)


__all__ = ["DEFAULT_DB", "Store", "open_store", "default_db", "is_postgres"]
