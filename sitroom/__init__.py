"""sitroom: news reporting on armed conflict into sourced, auditable event data.

    import sitroom
    result = sitroom.extract("Fighting broke out near Saraqib on Thursday ...", published="2024-11-29")
    result.events[0].sub_event_type                 # 'Armed clash'

    nlp = sitroom.load_pipeline()                   # loads the English model once (~1 s)
    for result in sitroom.process(sitroom.iter_documents(["articles/"]), nlp):
        ...                                         # one DocumentResult per document, in order

    with sitroom.open("sitroom.duckdb") as db:      # the event database as DataFrames
        db.events(country="Syria", min_sources=2)

`import sitroom` stays cheap: spaCy, pydantic and the database engines load when a
function or record type is first used.
"""
from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING, Iterable, Iterator, Sequence

from .errors import (ConfigError, DataFileError, ExtractionFailed, InputError, MissingExtra, PipelineError,
                     SchemaVersionError, SitroomError, StoreError, UnsupportedInput)
from .sources import DOC_BUDGET_S
from .version import __version__

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from .api import Database
    from .records import (Actor, Article, Claim, DocumentResult, Event, Evidence, Figure, Image, Link, Place,
                          Relation, Timex)
    from .sources import RawDocument

logging.getLogger(__name__).addHandler(logging.NullHandler())

# names loaded on first use (module __getattr__), so `import sitroom` does not import pydantic or spaCy
_LAZY = {
    "Database": "api",
    "RawDocument": "sources",
    **{name: "records" for name in ("Actor", "Article", "Claim", "DocumentResult", "Event", "Evidence", "Figure",
                                    "Image", "Link", "Place", "Relation", "Timex")},
}

__all__ = [
    "Actor", "Article", "Claim", "ConfigError", "DataFileError", "Database", "DocumentResult", "Event",
    "Evidence", "ExtractionFailed", "Figure", "Image", "InputError", "Link", "MissingExtra", "PipelineError",
    "Place", "RawDocument", "Relation", "SchemaVersionError", "SitroomError", "StoreError", "Timex",
    "UnsupportedInput", "__version__", "extract", "iter_documents", "load_pipeline", "open", "process",
    "to_records",
]


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'sitroom' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


def iter_documents(paths: Sequence[str], input_format: str | None = None,
                   published: str | None = None) -> Iterator[tuple[str, RawDocument | InputError]]:
    """`(id, RawDocument or InputError)` for files, directories, JSONL files or '-' (stdin), for `process`.

    `input_format` is "html", "text" or "jsonl" (default: from each file's name, else
    sniffed); `published` (YYYY-MM-DD) is the date for documents that do not carry one.
    """
    from .sources import iter_documents as read
    return read(list(paths), input_format, published)


def load_pipeline(model: str | None = None, stages: Sequence[str] | None = None,
                  event_model: str | None = None) -> Language:
    """The spaCy pipeline: the English model, then sitroom's stages (cached: loading costs ~1 s).

    `model` is a spaCy model name (default: the packaged English model; without it a blank
    English pipeline runs, with a warning), `stages` a subset of the stage names in
    pipeline order (default: all), `event_model` a directory made by `sitroom train`.
    """
    from . import pipeline
    return pipeline.load_pipeline(model or pipeline.DEFAULT_MODEL,
                                  tuple(stages) if stages is not None else pipeline.STAGE_NAMES, event_model)


def process(items: Iterable[tuple[str, RawDocument | InputError]], nlp: Language | None = None,
            batch_size: int = 16, budget_s: float = DOC_BUDGET_S) -> Iterator[DocumentResult]:
    """One `DocumentResult` per `(id, RawDocument or InputError)` item, in input order.

    A document that cannot be read or processed still gives its result, with `error`
    set, so one bad page never stops a batch; so does one whose extraction takes more
    than `budget_s` seconds. `nlp` defaults to `load_pipeline()`.
    """
    from .pipeline import process as run
    return run(items, nlp, batch_size, budget_s)


def to_records(doc: Doc) -> DocumentResult:
    """The contract's document record from a `Doc` the pipeline has annotated."""
    from .pipeline import to_records as convert
    return convert(doc)


def extract(text: str | None = None, *, html: str | None = None, published: str | None = None,
            url: str | None = None, doc_id: str = "doc") -> DocumentResult:
    """One document's `DocumentResult` from text or HTML (a notebook convenience).

    `published` (YYYY-MM-DD) anchors relative dates such as "on Thursday".
    """
    from .sources import RawDocument
    raw = RawDocument(id=doc_id, source=doc_id, format="html" if html is not None else "text",
                      content=html if html is not None else (text or ""), url=url, published=published)
    return next(process([(doc_id, raw)]))


def open(db: str | None = None, *, read_only: bool = False) -> Database:  # noqa: A001 - sitroom.open(...)
    """Open (or create) an event database whose tables come back as DataFrames.

    `db` is a DuckDB path (default: $SITROOM_DB, else `sitroom.duckdb`) or a postgresql:// URL.
    """
    from .api import Database
    return Database(db, read_only=read_only)
