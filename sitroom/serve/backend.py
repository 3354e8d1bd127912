"""Who may touch the database, and when: readers never wait for the writer.

DuckDB allows one writing process, so `sitroom serve` owns the file: every request reads
through its own cursor (DuckDB's MVCC shows it the last committed state, even while an
ingest's transaction is open), and ingests posted to the API are written one at a time
under a lock.  PostgreSQL allows many processes: readers get their own connection per
worker thread, and other processes may ingest into the same database meanwhile.  (A PostgreSQL
`Store` handed to `create_app` without its URL has one connection: reads and writes take turns.)
"""
from __future__ import annotations

import contextlib
import copy
import logging
import threading
from typing import Iterator

from ..store import Store, is_postgres, open_store

log = logging.getLogger(__name__)


class Backend:
    """The app's store: cursors for readers, one lock for writers."""

    def __init__(self, store: Store, *, dsn: str | None = None, token: str | None = None, owned: bool = False):
        self.store = store
        self.token = token
        self.owned = owned
        self.dsn = dsn if dsn and is_postgres(dsn) else None
        self.dialect = getattr(store, "dialect", "sql")
        self.write_lock = threading.Lock()
        self._local = threading.local()
        self._readers: list = []
        self._readers_lock = threading.Lock()
        self._shared_lock = threading.RLock()  # a PostgreSQL store given without its DSN: one connection for all
        self._writer = None

    @property
    def read_only(self) -> bool:
        return self.token is None or self.store.read_only

    @classmethod
    def open(cls, db: str | None, token: str | None = None, writable: bool = False) -> "Backend":
        """Open a database for serving: read-only unless a token allows ingests (or a watcher writes)."""
        writable = writable or token is not None
        store = open_store(db, read_only=not writable, create=writable)
        return cls(store, dsn=db, token=token, owned=True)

    def start(self) -> None:
        """Bring merged events up to date before the first request (a stale merge from an interrupted ingest)."""
        if not self.store.read_only:
            with self.write_lock, self.writer() as w:
                w.ensure_merged()

    # --- readers ---------------------------------------------------------------------------------
    @contextlib.contextmanager
    def reader(self) -> Iterator[Store]:
        """A store to read through from this thread."""
        if self.dialect == "postgres" and self.dsn is None:
            with self._shared_lock:
                yield self.store
            return
        reader = getattr(self._local, "reader", None)
        if reader is None:
            reader = self._new_reader()
            self._local.reader = reader
            with self._readers_lock:
                self._readers.append(reader)
        yield reader

    def _new_reader(self):
        if self.dialect == "duckdb":
            return self._cursor_store()
        return open_store(self.dsn, read_only=True, create=False)

    def _cursor_store(self):
        """The DuckDB store again, over a cursor of its connection (a connection of its own to the same file)."""
        with self._readers_lock:
            cur = self.store.conn.cursor()
        twin = copy.copy(self.store)
        twin.conn = cur
        twin._in_tx = False
        return twin

    # --- the writer ------------------------------------------------------------------------------
    @contextlib.contextmanager
    def writer(self) -> Iterator[Store]:
        """The store to write through; hold `write_lock` around its use."""
        if self.dialect == "duckdb":
            if self._writer is None:
                self._writer = self._cursor_store()
            yield self._writer
        elif self.dsn is None:
            with self._shared_lock:
                yield self.store
        else:
            yield self.store

    def close(self) -> None:
        with self._readers_lock:
            readers, self._readers = self._readers, []
        for r in readers + ([self._writer] if self._writer is not None else []):
            r.close()
        self._writer = None
        if self.owned:
            self.store.close()
