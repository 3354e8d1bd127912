"""The embedded store: one DuckDB file (default `sitroom.duckdb`), one writer process at a time."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

import duckdb

from ..errors import StoreError
from .base import SQLStore
from .errors import store_errors

# DuckDB reads a filtered table through its index only when fewer rows than this match (default 2,048),
# else it scans the whole table. Merging one article looks up its window's ~200 articles (400 a
# statement) by key, with all their places and claims: a few thousand rows, which must stay lookups
# (at 1.5 million places, 3,000 rows read by index take 11 ms, by a scan 90 ms).
INDEX_SCAN_ROWS = 50_000


class DuckDBStore(SQLStore):
    dialect = "duckdb"
    placeholder = "?"
    uncompressed = "USING COMPRESSION uncompressed"  # see schema.FETCHED_BY_KEY

    def __init__(self, path: str, read_only: bool = False, create: bool = True):
        super().__init__(str(path), read_only=read_only)
        if path != ":memory:" and not Path(path).exists() and (read_only or not create):
            raise StoreError(f"{path}: no such database; create it with `sitroom ingest ... --db {path}`")
        with store_errors("opening the database", self.location):
            self.conn = duckdb.connect(str(path), read_only=read_only)
            self.conn.execute(f"SET index_scan_max_count = {INDEX_SCAN_ROWS}")
        self.ensure_schema()

    def _execute(self, sql: str, params: Sequence[Any] = ()):
        return self.conn.execute(sql, list(params)) if params else self.conn.execute(sql)

    def _begin(self) -> None:
        self.conn.begin()

    def _commit(self) -> None:
        self.conn.commit()

    def _rollback(self) -> None:
        self.conn.rollback()

    def _schema_name_sql(self) -> str:
        return "'main'"

    def close(self) -> None:
        conn = getattr(self, "conn", None)
        if conn is not None:
            with store_errors("closing the database", self.location):
                conn.close()
            self.conn = None
