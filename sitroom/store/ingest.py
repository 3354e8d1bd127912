"""Ingest: inputs -> extraction -> one transaction per article -> merged events.

Idempotent and resumable by construction:

* each input's *raw hash* (its content and the metadata that shapes its output) is
  looked up before extraction; an input already stored is skipped without parsing, so
  re-running an interrupted ingest only does the work that is left;
* each article is stored in its own transaction (old version and its claims deleted,
  new rows inserted), so `kill -9` leaves whole articles or none;
* merged events are recomputed once at the end, from all reports, deterministically;
  a merge that was interrupted leaves the "stale" mark set and runs next time.
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
from collections import deque
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from pydantic import ValidationError

from ..errors import InputError, StoreError
from ..merge import canonical_json
from ..records import DocumentResult
from ..sources import DOC_BUDGET_S, RawDocument, load_json, open_path, stream_jsonl_lines
from .base import result_hash

log = logging.getLogger(__name__)

ErrorSink = Callable[[str], None]


@dataclass
class IngestStats:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicate: int = 0
    failed: int = 0
    events: int | None = None  # merged events after the run (None when no merge ran)
    errors: list[str] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return self.new + self.updated

    def summary(self) -> str:
        parts = [f"{self.new} new", f"{self.updated} updated", f"{self.unchanged} unchanged"]
        if self.duplicate:
            parts.append(f"{self.duplicate} duplicate")
        if self.failed:
            parts.append(f"{self.failed} failed")
        text = "ingested " + ", ".join(parts)
        if self.events is not None:
            text += f"; {self.events} merged events"
        return text


def raw_hash(doc: RawDocument) -> str:
    """Hash of an input as the pipeline sees it (not its id: the same page under two names is one article)."""
    payload = canonical_json({"format": doc.format, "content": doc.content, "url": doc.url,
                              "published": doc.published, "title": doc.title, "outlet": doc.outlet})
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def ingest(store, items: Iterable[tuple[str, RawDocument | InputError]], *, reprocess: bool = False,
           merge: bool = True, on_error: ErrorSink | None = None, wrap: Callable | None = None,
           nlp=None, batch_size: int = 16, jobs: int = 1, scheduler: str | None = None,
           budget_s: float = DOC_BUDGET_S) -> IngestStats:
    """Extract and store every new or changed input; errors go to `on_error` and the batch goes on.

    With `jobs` > 1 the extraction runs on that many worker processes, with `scheduler` on
    a Dask cluster (`sitroom.distributed`), and the merge too, in independent parts; storing
    stays here, one transaction per article, in input order.
    """
    from ..parallel import process

    stats = IngestStats()
    pending: deque[tuple[str, str]] = deque()
    seen: dict[str, str] = {}  # raw hash -> id, for repeats within this run (not yet stored)

    def todo() -> Iterator[tuple[str, RawDocument | InputError]]:
        for doc_id, item in items:
            if isinstance(item, InputError):
                pending.append(("", ""))
                yield doc_id, item
                continue
            h = raw_hash(item)
            if not reprocess or h in seen:
                known = seen.get(h) or store.find_raw(h)
                if known is not None:
                    if known == item.id:
                        stats.unchanged += 1
                    else:
                        stats.duplicate += 1
                        log.info("%s: same content as %s, skipped", item.source, known)
                    continue
            seen[h] = item.id
            pending.append((h, item.source))
            yield doc_id, item

    with contextlib.ExitStack() as stack:
        remerge = store.remerge
        if scheduler:
            from ..distributed import connect, merge_on, process_on
            client = stack.enter_context(connect(scheduler))  # one cluster for the extraction and the merge
            results = process_on(todo(), client, nlp=nlp, batch_size=batch_size, budget_s=budget_s)
            remerge = functools.partial(store.remerge, functools.partial(merge_on, client))
        else:
            results = process(todo(), nlp=nlp, batch_size=batch_size, jobs=jobs, budget_s=budget_s)
        if wrap is not None:
            results = wrap(results)
        for result in results:
            h, source = pending.popleft()
            if result.error:
                _fail(stats, result.error, on_error)
                continue
            _store(store, result, h, source, stats, on_error)
        if merge and (stats.changed or store.is_stale()):
            stats.events = remerge()
    return stats


def ingest_results(store, items: Iterable[tuple[str, DocumentResult | InputError]], *, merge: bool = True,
                   on_error: ErrorSink | None = None) -> IngestStats:
    """Store documents already extracted (`sitroom extract --format jsonl` output, or hand-made)."""
    stats = IngestStats()
    for _doc_id, item in items:
        if isinstance(item, InputError):
            _fail(stats, str(item), on_error)
            continue
        if item.error:
            _fail(stats, item.error, on_error)
            continue
        h = "result:" + result_hash(item)
        known = store.find_raw(h)
        if known is not None:
            if known == item.id:
                stats.unchanged += 1
            else:
                stats.duplicate += 1
            continue
        _store(store, item, h, item.id, stats, on_error)
    if merge and (stats.changed or store.is_stale()):
        stats.events = store.remerge()
    return stats


def _fail(stats: IngestStats, message: str, on_error: ErrorSink | None) -> None:
    stats.failed += 1
    stats.errors.append(message)
    if on_error is not None:
        on_error(message)


def _store(store, result: DocumentResult, h: str, source: str | None, stats: IngestStats,
           on_error: ErrorSink | None) -> None:
    """Store one article; one that the database refuses (a value it cannot hold) is that article's error."""
    try:
        status = store.put_document(result, raw_hash=h, input_name=source)
    except StoreError as err:
        _fail(stats, f"{source or result.id}: not stored: {err}", on_error)
        return
    setattr(stats, status, getattr(stats, status) + 1)
    log.info("stored %s (%s)", result.id, status)


def iter_results(paths: list[str]) -> Iterator[tuple[str, DocumentResult | InputError]]:
    """DocumentResults from JSONL files of `sitroom extract --format jsonl` output (or a JSON array).

    JSONL is read line by line (split at "\\n" only): a bad line costs that line alone.
    """
    for path in paths or ["-"]:
        try:
            stream, source = open_path(path)
        except InputError as err:
            yield path, err
            continue
        try:
            yield from _results(stream, source, path)
        finally:
            if path != "-":
                stream.close()


def _results(stream, source: str, path: str) -> Iterator[tuple[str, DocumentResult | InputError]]:
    try:
        head = stream.peek(64)[:64] if hasattr(stream, "peek") else b""
        if head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"["):
            objs = load_json(stream.read().decode("utf-8-sig"), source)
            items = ((f"{source}:{i}", o) for i, o in enumerate(objs, 1))
        else:
            items = ((where, line if isinstance(line, InputError) else _loaded(line, where))
                     for where, _default, line in stream_jsonl_lines(stream, source, path))
    except UnicodeDecodeError as err:
        yield path, InputError(source, f"not valid UTF-8 (at byte {err.start})")
        return
    except InputError as err:
        yield path, err
        return
    except OSError as err:
        yield path, InputError(source, err.strerror or str(err))
        return
    for where, obj in items:
        if isinstance(obj, InputError):
            yield where, obj
            continue
        try:
            result = DocumentResult.model_validate(obj)
        except ValidationError as err:
            first = err.errors()[0]
            loc = ".".join(str(x) for x in first["loc"])
            yield where, InputError(where, f"not a sitroom document result ({loc}: {first['msg']})")
            continue
        yield result.id, result


def _loaded(line: str, where: str):
    try:
        return load_json(line, where)
    except InputError as err:
        return err
