"""sitroom: news reporting on armed conflict into sourced, auditable event data."""
from __future__ import annotations

import logging

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = ["__version__", "extract", "load_pipeline", "open", "process", "to_records"]


def load_pipeline(*args, **kwargs):
    from .pipeline import load_pipeline as _load
    return _load(*args, **kwargs)


def process(*args, **kwargs):
    from .pipeline import process as _process
    return _process(*args, **kwargs)


def to_records(doc):
    from .pipeline import to_records as _to_records
    return _to_records(doc)


def extract(text: str | None = None, *, html: str | None = None, published: str | None = None,
            url: str | None = None, doc_id: str = "doc"):
    """One document's `DocumentResult` from text or HTML (notebook convenience)."""
    from .sources import RawDocument
    from .pipeline import process as _process
    raw = RawDocument(id=doc_id, source=doc_id, format="html" if html is not None else "text",
                      content=html if html is not None else (text or ""), url=url, published=published)
    return next(_process([(doc_id, raw)]))


def open(db=None, *, read_only: bool = False):  # noqa: A001 - sitroom.open("sitroom.duckdb")
    """Open (or create) an event database whose tables come back as DataFrames.

    `db` is a DuckDB path (default `sitroom.duckdb`) or a postgresql:// URL.
    """
    from .api import open as _open
    return _open(db, read_only=read_only)
