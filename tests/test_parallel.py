"""`--jobs N`: worker processes give the same results, in the same order, as one process."""
from __future__ import annotations

import json
import multiprocessing
import os
import signal

import pytest

from sitroom.errors import InputError, PipelineError
from sitroom.parallel import MIN_DOCS, process
from sitroom.pipeline import PipelineSpec
from sitroom.pipeline import process as process_here
from sitroom.sources import RawDocument
from sitroom.store import open_store
from sitroom.store.ingest import ingest

TOWNS = ["Saraqib", "Kupiansk", "El Fasher", "Goma", "Kismayo", "Gao", "Marib", "Sittwe"]
SIDES = [("Syrian government forces", "Hayat Tahrir al-Sham"), ("Russian troops", "Ukrainian forces"),
         ("the Rapid Support Forces", "the Sudanese army"), ("M23 rebels", "Congolese soldiers")]


def article(i: int) -> dict:
    town, (a, b) = TOWNS[i % len(TOWNS)], SIDES[i % len(SIDES)]
    text = (f"{a} attacked positions held by {b} near {town} on Tuesday, killing at least {i + 3} people, "
            f"a local official said.\n\n\"We pushed them back,\" a spokesman for {b} told reporters. "
            f"Residents said the shelling lasted {i % 5 + 2} hours.")
    return {"id": f"story-{i:02d}", "text": text, "published": "2024-11-26", "outlet": f"paper{i % 3}.example"}


def raw(i: int) -> RawDocument:
    d = article(i)
    return RawDocument(id=d["id"], source=d["id"], format="text", content=d["text"], published=d["published"],
                       outlet=d["outlet"])


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """More documents than the in-process threshold, with one broken line in the middle."""
    path = tmp_path_factory.mktemp("parallel") / "stories.jsonl"
    lines = [json.dumps(article(i)) for i in range(MIN_DOCS + 4)]
    lines.insert(17, '{"id": "broken", "text": ')
    path.write_text("\n".join(lines) + "\n")
    return path


def test_parallel_extract_output_is_byte_identical_to_one_process(invoke, corpus):
    one = invoke("extract", str(corpus), "--format", "jsonl", "--jobs", "1")
    two = invoke("extract", str(corpus), "--format", "jsonl", "--jobs", "2")
    assert one.exit_code == two.exit_code == 1  # the broken line fails, the rest goes on
    assert two.stdout == one.stdout
    assert len(two.stdout.splitlines()) == MIN_DOCS + 5
    assert [json.loads(line)["id"] for line in two.stdout.splitlines()][16:19] == [
        "story-16", f"{corpus}:18", "story-17"]
    assert "not valid JSON" in two.stderr and f"1 of {MIN_DOCS + 5} documents failed" in two.stderr


def test_parallel_process_keeps_order_and_input_errors_in_place(nlp):
    items = [(f"story-{i:02d}", raw(i)) for i in range(9)]
    items.insert(4, ("missing.txt", InputError("missing.txt", "no such file")))
    here = [r.to_json_dict() for r in process_here(items, nlp)]
    there = [r.to_json_dict() for r in process(items, nlp, jobs=2, chunk=2, min_docs=0)]
    assert there == here
    assert there[4]["id"] == "missing.txt" and there[4]["error"] == "missing.txt: no such file"
    assert [d["id"] for d in there if not d.get("error")] == [f"story-{i:02d}" for i in range(9)]


def test_parallel_given_a_spec_only_the_workers_load_the_model(nlp, monkeypatch):
    items = [(f"story-{i:02d}", raw(i)) for i in range(6)]
    here = [r.to_json_dict() for r in process_here(items, nlp)]

    def not_here(**_):
        raise AssertionError("the parent loaded the model")
    monkeypatch.setattr("sitroom.pipeline.load_pipeline", not_here)
    assert [r.to_json_dict() for r in process(items, PipelineSpec(), jobs=2, chunk=2, min_docs=0)] == here
    with pytest.raises(PipelineError, match="unknown stage 'sitroom_nonesuch'"):  # checked here, before any worker
        next(process(items, PipelineSpec(stages=("sitroom_nonesuch",)), jobs=2, min_docs=0))
    with pytest.raises(AssertionError, match="the parent loaded"):  # too few documents: they run here
        next(process(items, PipelineSpec(), jobs=2))


def test_parallel_workers_are_recycled_without_changing_results(nlp):
    items = [(f"story-{i:02d}", raw(i)) for i in range(10)]
    here = [r.to_json_dict() for r in process_here(items, nlp)]
    # a fresh pair of workers every 2 documents each: four generations of workers for ten documents
    assert [r.to_json_dict() for r in process(items, nlp, jobs=2, chunk=1, min_docs=0, recycle_docs=2)] == here


def test_parallel_a_killed_worker_costs_a_retry_not_the_batch(nlp):
    items = [(f"story-{i:02d}", raw(i)) for i in range(12)]
    here = [r.to_json_dict() for r in process_here(items, nlp)]
    results = process(items, nlp, jobs=2, chunk=2, min_docs=0)
    first = next(results).to_json_dict()
    workers = [p for p in multiprocessing.active_children() if p.name.startswith(("ForkServerProcess", "SpawnProcess"))]
    assert workers
    os.kill(workers[0].pid, signal.SIGKILL)
    assert [first] + [r.to_json_dict() for r in results] == here


def test_parallel_ingest_stores_the_same_database_and_stays_idempotent(corpus, tmp_path, nlp, monkeypatch):
    from sitroom.inputs import iter_inputs
    monkeypatch.setattr("sitroom.store.base.now_iso", lambda: "2024-11-27T06:00:00+00:00")  # one clock for both
    sums = []
    for jobs in (1, 2):
        with open_store(str(tmp_path / f"j{jobs}.duckdb")) as store:
            stats = ingest(store, iter_inputs([str(corpus)]), nlp=nlp, jobs=jobs)
            assert (stats.new, stats.failed) == (MIN_DOCS + 4, 1)
            again = ingest(store, iter_inputs([str(corpus)]), nlp=nlp, jobs=jobs)
            assert (again.new, again.unchanged) == (0, MIN_DOCS + 4)
            sums.append((store.checksum(), store.counts()))
    assert sums[0] == sums[1]
    assert sums[0][1]["events"] > 0


def test_cli_ingest_jobs_option(invoke, corpus, tmp_path):
    db = str(tmp_path / "cli.duckdb")
    res = invoke("ingest", str(corpus), "--db", db, "--jobs", "2", "--no-progress")
    assert res.exit_code == 1 and f"ingested {MIN_DOCS + 4} new" in res.stderr
    assert invoke("ingest", str(corpus), "--db", db, "--jobs", "0").exit_code == 2  # a usage error


def test_parallel_a_workers_configuration_error_keeps_its_kind_and_message():
    """sitroom's errors do not pickle; a worker sends kind and message, and the parent raises the same."""
    from sitroom.errors import DataFileError
    from sitroom.parallel import _Fatal, unwrap
    with pytest.raises(DataFileError, match=r"^cues.txt:3: not a regular expression$"):
        unwrap(_Fatal("DataFileError", "cues.txt:3: not a regular expression"))
