"""The team store: PostgreSQL through psycopg 3, the same schema and behaviour as DuckDB.

Several processes may ingest at once: each article is its own transaction holding a shared
advisory lock, and a merge takes the same lock exclusively, so it reads a database no one is
writing to and two merges never interleave.
"""
from __future__ import annotations

import re
from typing import Any, Sequence

from ..errors import MissingExtra, StoreError
from .base import SQLStore
from .errors import store_errors

MERGE_LOCK = 7_470_001  # pg_advisory_xact_lock keys (any constants shared by all sitroom clients)
SCHEMA_LOCK = 7_470_002
_PASSWORD = re.compile(r"(://[^:/@]+:)[^@]*@")


def redact(dsn: str) -> str:
    """The DSN without its password, for messages."""
    return _PASSWORD.sub(r"\1***@", dsn)


class PostgresStore(SQLStore):
    dialect = "postgres"
    placeholder = "%s"

    def __init__(self, dsn: str, read_only: bool = False, create: bool = True):
        super().__init__(redact(dsn), read_only=read_only)
        try:
            import psycopg
        except ImportError:
            raise MissingExtra("postgres", "psycopg") from None
        with store_errors("connecting", self.location):
            self.conn = psycopg.connect(dsn, autocommit=True, connect_timeout=10)
        self._tx = None
        if read_only:
            with store_errors("setting read-only", self.location):
                self.conn.execute("SET default_transaction_read_only = on")
        self.ensure_schema()
        if not create and "articles" not in self._existing_tables():
            raise StoreError(f"{self.location}: no sitroom tables; create them with `sitroom ingest`")

    def _execute(self, sql: str, params: Sequence[Any] = ()):
        return self.conn.execute(sql, list(params)) if params else self.conn.execute(sql)

    def _begin(self) -> None:
        self._tx = self.conn.transaction()
        self._tx.__enter__()

    def _commit(self) -> None:
        tx, self._tx = self._tx, None
        tx.__exit__(None, None, None)

    def _rollback(self) -> None:
        tx, self._tx = self._tx, None
        if tx is not None:
            import psycopg
            try:
                tx.__exit__(psycopg.Rollback, psycopg.Rollback(), None)
            except psycopg.Rollback:
                pass

    def _lock_for_merge(self) -> None:
        self._execute("SELECT pg_advisory_xact_lock(%s)", [MERGE_LOCK])

    def _lock_for_write(self) -> None:
        self._execute("SELECT pg_advisory_xact_lock_shared(%s)", [MERGE_LOCK])

    def _lock_for_schema(self) -> None:
        self._execute("SELECT pg_advisory_xact_lock(%s)", [SCHEMA_LOCK])

    def close(self) -> None:
        conn = getattr(self, "conn", None)
        if conn is not None:
            conn.close()
            self.conn = None
