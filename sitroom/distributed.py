"""Beyond one machine: the same extraction on a Dask cluster (the `dask` extra).

`process_on(items, scheduler)` sends chunks of documents to the cluster's workers
and yields their results in input order, exactly as `parallel.process` does, so
`ingest` stores them here, one transaction per article, and the database is the
one a local ingest makes. Each worker process loads the pipeline once (the task
calls the per-process cached `load_pipeline`) and sends back plain
`DocumentResult`s, never `Doc`s. The workers need sitroom and the English model
installed, at the same version as this machine. `merge_on(client, reports)` runs the
cross-article merge there too, in independent parts (by country and runs of days),
with the same events as a merge in one process.

`scheduler` is `tcp://HOST:PORT` (a running `dask scheduler`) or `local[:N]`: a
cluster of N worker processes (default: the number of cores) on this machine,
listening on loopback only, without a dashboard.
"""
from __future__ import annotations

import contextlib
import logging
import re
from collections import deque
from typing import Iterable, Iterator

from spacy.language import Language

from . import parallel, pipeline
from .errors import ConfigError, MissingExtra
from .merge import MergedEvent, Report
from .merge.partition import merge_partitioned
from .records import DocumentResult

log = logging.getLogger(__name__)

CHUNK = 16  # documents per task: a Dask task costs ~1 ms of scheduling, a document ~50-100 ms
_LOCAL = re.compile(r"local(?::(\d+))?")


def process_on(items: Iterable[parallel.Item], scheduler, nlp: Language | pipeline.PipelineSpec | None = None,
               batch_size: int = 16, *, chunk: int = CHUNK,
               budget_s: float = pipeline.DOC_BUDGET_S) -> Iterator[DocumentResult]:
    """One `DocumentResult` per item, in input order, extracted on the Dask cluster `scheduler`
    (an address, or a connected `distributed.Client`); given a `PipelineSpec`, only the workers load the model."""
    spec = parallel.worker_spec(nlp, "--scheduler")
    with _client(scheduler) as client:
        workers = _DaskWorkers(client, spec, batch_size, budget_s)
        yield from parallel.ordered(iter(items), workers, chunk, 3 * _threads(client))


def merge_on(scheduler, reports: Iterable[Report]) -> list[MergedEvent]:
    """`merge_reports` on the cluster's workers, in independent parts (`sitroom.merge.partition`):
    the same events, in the same order, as merging here."""
    with _client(scheduler) as client:
        def run(fn, batches):
            return client.gather(client.map(fn, batches, pure=False))
        return merge_partitioned(reports, run, n=4 * _threads(client))  # a few batches a worker: balance


def _threads(client) -> int:
    return max(1, sum(client.nthreads().values()))


def _client(scheduler):
    """A context giving a client: connect to an address, or use (and leave open) a client given."""
    return connect(scheduler) if isinstance(scheduler, str) else contextlib.nullcontext(scheduler)


@contextlib.contextmanager
def connect(scheduler: str):
    """A `distributed.Client` for `tcp://HOST:PORT` or a loopback `local[:N]` cluster, closed afterwards."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise MissingExtra("dask", "distributed") from None
    local = _LOCAL.fullmatch(scheduler)
    if local:
        workers = int(local.group(1)) if local.group(1) else parallel.cores()
        if workers < 1:
            raise ConfigError(f"--scheduler {scheduler}: a local cluster needs at least one worker")
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                          dashboard_address=None) as cluster, Client(cluster) as client:
            yield client
        return
    if not scheduler.startswith(("tcp://", "tls://")):
        raise ConfigError(f"--scheduler {scheduler!r}: expected tcp://HOST:PORT or local[:N]")
    try:
        client = Client(scheduler, timeout="10s")
    except (OSError, TimeoutError) as err:
        raise ConfigError(f"--scheduler {scheduler}: cannot connect to the Dask scheduler ({err})") from None
    with client:
        yield client


class _DaskWorkers:
    """Chunks as Dask tasks; the scheduler already retries a task whose worker died."""

    def __init__(self, client, spec: pipeline.PipelineSpec, batch_size: int, budget_s: float = pipeline.DOC_BUDGET_S):
        from distributed import KilledWorker
        self.client, self.spec, self.batch_size, self.budget_s = client, spec, batch_size, budget_s
        self.lost = (KilledWorker,)

    def submit(self, docs):
        return self.client.submit(parallel.extract_chunk, self.spec, docs, self.batch_size, self.budget_s,
                                  pure=False)

    def recover(self, slot, pending: deque) -> list[DocumentResult]:
        """The chunk killed workers more than once: each document alone, and one that still does fails."""
        results = []
        for doc in slot.docs:
            try:
                results.append(parallel.unwrap(self.submit([doc]).result())[0])
            except self.lost:
                results.append(parallel.died(doc))
        return results
