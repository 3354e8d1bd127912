"""Every core busy: `process` over worker processes, same results in the same order.

Each worker is a clean process (forkserver or spawn, never a fork of this one: the
parent may hold DuckDB's or httpx's threads, which `fork` would copy mid-lock) that
loads the pipeline once and extracts chunks of documents into plain
`DocumentResult`s; no `Doc` crosses a process boundary. The parent reads the inputs, keeps a bounded window of chunks
in flight and yields results in input order, so callers (extract's output, the
ingest's one-transaction-per-article store) see exactly what the one-process path
gives them.

Memory stays bounded in long runs: the workers are replaced by a fresh set after
`RECYCLE_DOCS` documents each (spaCy's string store and the stages' caches only
grow). A worker that dies (killed, out of memory, a crash in a C library) costs
a restart: its chunk is retried one document at a time, and a document that
kills a worker again comes back as that document's error.
"""
from __future__ import annotations

import functools
import logging
import multiprocessing
import os
import threading
import warnings
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from itertools import chain, islice
from typing import Iterable, Iterator

from spacy.language import Language

from . import pipeline
from .errors import InputError, PipelineError, SitroomError
from .records import DocumentResult
from .sources import RawDocument, check_budget

log = logging.getLogger(__name__)

CHUNK = 8  # documents per task: small enough to balance, large enough that pickling is noise
MIN_DOCS = 32  # fewer documents than this run in-process: starting workers (~3 s each) would cost more
RECYCLE_DOCS = 2000  # documents per worker before it is replaced by a fresh one
DEATHS = 3  # workers dying on this many documents in a row, each alone, is no document's fault: stop

Item = tuple[str, RawDocument | InputError]


def cores() -> int:
    """The cores this process may run on (the container's share, not the host's)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def process(items: Iterable[Item], nlp: Language | pipeline.PipelineSpec | None = None, batch_size: int = 16,
            jobs: int = 1, *, chunk: int = CHUNK, min_docs: int = MIN_DOCS,
            recycle_docs: int = RECYCLE_DOCS, budget_s: float = pipeline.DOC_BUDGET_S) -> Iterator[DocumentResult]:
    """`pipeline.process` on `jobs` processes: one `DocumentResult` per item, in input order.

    `nlp` must come from `pipeline.load_pipeline` (the workers load the same one by its
    arguments), or be the `PipelineSpec` to load: then this process loads the model only
    if it runs the documents itself. `jobs=1`, or fewer than `min_docs` items, runs here.
    `budget_s`: the time budget per document (`pipeline.process`).
    """
    budget_s = check_budget(budget_s)
    items = iter(items)
    head = list(islice(items, min_docs))
    if jobs <= 1 or len(head) < min_docs:
        yield from pipeline.process(chain(head, items), pipeline.pipeline_of(nlp), batch_size=batch_size,
                                   budget_s=budget_s)
        return
    spec = worker_spec(nlp, "--jobs")
    with _Workers(spec, jobs, batch_size, recycle_docs, budget_s) as workers:
        yield from ordered(chain(head, items), workers, chunk, window=3 * jobs)


def worker_spec(nlp: Language | pipeline.PipelineSpec | None, option: str) -> pipeline.PipelineSpec:
    """What the workers load: the spec given (checked, not loaded), or how `nlp` was loaded."""
    if isinstance(nlp, pipeline.PipelineSpec):
        pipeline.check_spec(nlp)
        return nlp
    spec = pipeline.spec_of(pipeline.pipeline_of(nlp))
    if spec is None:
        raise PipelineError(f"{option} needs a pipeline made by load_pipeline (the workers load it again)")
    return spec


@dataclass
class _Slot:
    """One chunk in the window: its documents and, once known, their results."""
    docs: list[tuple[str, RawDocument]]
    future: Future | None = None
    results: list[DocumentResult] | None = None


def _chunks(items: Iterator[Item], size: int) -> Iterator[_Slot]:
    """Documents in chunks of `size`; an unreadable input is a finished slot of its own."""
    docs: list[tuple[str, RawDocument]] = []
    for doc_id, item in items:
        if isinstance(item, InputError):
            if docs:
                yield _Slot(docs)
                docs = []
            yield _Slot([], results=[pipeline.error_result(doc_id, item)])
            continue
        docs.append((doc_id, item))
        if len(docs) == size:
            yield _Slot(docs)
            docs = []
    if docs:
        yield _Slot(docs)


def ordered(items: Iterator[Item], workers, chunk: int, window: int) -> Iterator[DocumentResult]:
    """Results in input order, with at most `window` chunks on `workers` at once.

    `workers` has `submit(docs) -> future`, `lost` (the exceptions that mean a worker died
    under a chunk) and `recover(slot, pending) -> results` (what to do then).
    """
    pending: deque[_Slot] = deque()
    for slot in _chunks(items, chunk):
        if slot.results is None:
            slot.future = workers.submit(slot.docs)
        pending.append(slot)
        while len(pending) > window:
            yield from _results(pending, workers)
    while pending:
        yield from _results(pending, workers)


def _results(pending: deque[_Slot], workers) -> list[DocumentResult]:
    slot = pending.popleft()
    if slot.results is not None:
        return slot.results
    try:
        return unwrap(slot.future.result())
    except workers.lost:
        log.warning("a worker process died; retrying its documents one by one")
    return workers.recover(slot, pending)


def unwrap(outcome: list[DocumentResult] | _Fatal) -> list[DocumentResult]:
    if isinstance(outcome, _Fatal):
        raise outcome.error()
    return outcome


class _Workers:
    """A process pool that loads the pipeline once per worker and is renewed every so often."""

    lost = (BrokenProcessPool,)

    def __init__(self, spec: pipeline.PipelineSpec, jobs: int, batch_size: int, recycle_docs: int,
                 budget_s: float = pipeline.DOC_BUDGET_S):
        self.spec, self.jobs, self.batch_size, self.budget_s = spec, jobs, batch_size, budget_s
        self.recycle_docs = recycle_docs * jobs
        self.pool: ProcessPoolExecutor | None = None
        self.sent = self.deaths = 0

    def __enter__(self) -> _Workers:
        return self

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def _fresh(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.jobs, mp_context=_context())

    def submit(self, docs: list[tuple[str, RawDocument]]) -> Future:
        if self.pool is None or self.sent >= self.recycle_docs:
            if self.pool is not None:  # the old workers finish what they hold, then exit
                self.pool.shutdown(wait=False)
            self.pool, self.sent = self._fresh(), 0
        self.sent += len(docs)
        return self.pool.submit(extract_chunk, self.spec, docs, self.batch_size, self.budget_s)

    def restart(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
        self.pool = None

    def recover(self, slot: _Slot, pending: deque[_Slot]) -> list[DocumentResult]:
        """Fresh workers; the chunk's documents one at a time; then every chunk in flight again."""
        self.restart()
        results = []
        for doc in slot.docs:
            try:
                results.append(unwrap(self.submit([doc]).result())[0])
                self.deaths = 0
            except BrokenProcessPool:
                self.restart()
                self.deaths += 1
                if self.deaths >= DEATHS:  # not one document's fault: every worker dies
                    raise PipelineError(f"worker processes died on {DEATHS} documents in a row "
                                        f"(out of memory?); the last was {doc[1].source}") from None
                results.append(died(doc))
        for later in pending:  # the pool's death failed every chunk in flight: send them again
            if later.future is not None:
                later.future = self.submit(later.docs)
        return results


@functools.cache
def _context() -> multiprocessing.context.BaseContext:
    """Forkserver where there is one: a clean single-threaded server that has imported spaCy and
    sitroom once, so a new worker only loads the model (~1.3 s saved a worker); else spawn."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload([__name__])
    return ctx


def died(doc: tuple[str, RawDocument]) -> DocumentResult:
    doc_id, raw = doc
    return pipeline.error_result(doc_id, f"{raw.source}: the worker process died while extracting it")


@dataclass
class _Fatal:
    """A configuration error in a worker, carried back as text (sitroom's errors do not pickle)."""
    kind: str
    message: str

    def error(self) -> SitroomError:
        from . import errors
        cls = getattr(errors, self.kind, SitroomError)
        err = cls.__new__(cls)
        Exception.__init__(err, self.message)
        return err


_LOCK = threading.Lock()  # one document at a time per process, whatever threads the worker runs


def extract_chunk(spec: pipeline.PipelineSpec, docs: list[tuple[str, RawDocument]],
                  batch_size: int, budget_s: float = pipeline.DOC_BUDGET_S) -> list[DocumentResult] | _Fatal:
    """A worker's task: the pipeline (loaded once per process) over a chunk, plain records back."""
    warnings.simplefilter("ignore", pipeline.ModelMissingWarning)  # the parent has said it once
    with _LOCK:
        try:
            nlp = pipeline.load_pipeline(*spec)
            return list(pipeline.process(docs, nlp, batch_size=batch_size, budget_s=budget_s))
        except SitroomError as err:  # ConfigError and the like: every document would fail, say it once
            return _Fatal(type(err).__name__, str(err))
