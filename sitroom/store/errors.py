"""Database errors become `sitroom.errors.StoreError`, with what was being done and where."""
from __future__ import annotations

import contextlib
import re
from typing import Iterator

from ..errors import StoreError

# the engines' exception modules: their errors are the database's, others are bugs and pass through
_DB_MODULES = ("duckdb", "_duckdb", "psycopg", "psycopg_binary", "psycopg_pool")
_LOCKED = re.compile(r"could not set lock on file|conflicting lock", re.I)
_HOLDER = re.compile(r"\(PID (\d+)\)")


def is_database_error(err: BaseException) -> bool:
    return type(err).__module__.split(".")[0] in _DB_MODULES


def explain(err: BaseException) -> str:
    """The engine's message, with a hint for the errors people actually meet."""
    msg = " ".join(str(err).split())
    if _LOCKED.search(msg):
        pid = _HOLDER.search(msg)
        who = f" (PID {pid.group(1)})" if pid else ""
        return (f"the database is in use by another process{who}: a DuckDB file has one writer and no readers beside it; "
                f"wait for that process or stop it, read through its API when it is `sitroom serve` "
                f"(or run `sitroom serve --watch` instead of a separate watch), or use PostgreSQL "
                f"(--db postgresql://...) for readers and writers at once ({msg})")
    return msg


@contextlib.contextmanager
def store_errors(action: str, where: str = "") -> Iterator[None]:
    """Run a block; a DuckDB or psycopg error leaves it as a StoreError naming the action."""
    try:
        yield
    except StoreError:
        raise
    except Exception as err:  # noqa: BLE001 - re-raised unless it is the database's
        if not is_database_error(err):
            raise
        prefix = f"{where}: " if where else ""
        raise StoreError(f"{prefix}{action} failed: {explain(err)}") from err
