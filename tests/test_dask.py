"""`sitroom ingest --scheduler`: extraction on a real Dask cluster lands in the same database."""
from __future__ import annotations

import json

import pytest

pytest.importorskip("distributed", reason="the dask extra is not installed (pip install 'sitroom[dask]')")

from distributed import LocalCluster  # noqa: E402

from sitroom.distributed import merge_on, process_on  # noqa: E402
from sitroom.errors import InputError  # noqa: E402
from sitroom.inputs import iter_inputs  # noqa: E402
from sitroom.merge import merge_reports  # noqa: E402
from sitroom.pipeline import process as process_here  # noqa: E402
from sitroom.store import open_store  # noqa: E402
from sitroom.store.ingest import ingest  # noqa: E402
from test_merge_partition import plain_events, reports_over  # noqa: E402
from test_parallel import article, raw  # noqa: E402

CLOCK = "2024-11-27T06:00:00+00:00"


@pytest.fixture(scope="module")
def cluster():
    """Two worker processes on loopback, no dashboard."""
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as c:
        yield c


@pytest.fixture()
def stories(tmp_path):
    path = tmp_path / "stories.jsonl"
    lines = [json.dumps(article(i)) for i in range(20)]
    lines.insert(5, "not json at all")
    path.write_text("\n".join(lines) + "\n")
    return path


def test_dask_process_keeps_order_and_equals_one_process(cluster, nlp):
    items = [(f"story-{i:02d}", raw(i)) for i in range(7)]
    items.insert(3, ("gone.txt", InputError("gone.txt", "no such file")))
    here = [r.to_json_dict() for r in process_here(items, nlp)]
    there = [r.to_json_dict() for r in process_on(items, cluster.scheduler_address, nlp, chunk=2)]
    assert there == here
    assert there[3]["error"] == "gone.txt: no such file"


def test_dask_ingest_equals_a_local_ingest(cluster, stories, tmp_path, nlp, monkeypatch):
    monkeypatch.setattr("sitroom.store.base.now_iso", lambda: CLOCK)  # one clock for both databases
    snapshots = []
    for name, scheduler in (("local", None), ("dask", cluster.scheduler_address)):
        with open_store(str(tmp_path / f"{name}.duckdb")) as store:
            stats = ingest(store, iter_inputs([str(stories)]), nlp=nlp, scheduler=scheduler)
            assert (stats.new, stats.failed) == (20, 1)
            snapshots.append((store.checksum(), store.counts(), store.events()))
    assert snapshots[0] == snapshots[1]
    assert snapshots[1][1]["events"] > 0
    with open_store(str(tmp_path / "dask.duckdb")) as store:  # idempotent on the cluster too
        again = ingest(store, iter_inputs([str(stories)]), nlp=nlp, scheduler=cluster.scheduler_address)
        assert (again.new, again.unchanged) == (0, 20) and store.checksum() == snapshots[0][0]


def test_dask_merge_in_parts_equals_one_merge(cluster):
    reports = reports_over(120)  # four months of reports in four countries: about twenty independent parts
    assert plain_events(merge_on(cluster.scheduler_address, reports)) == plain_events(merge_reports(reports))


def test_cli_ingest_scheduler(invoke, cluster, stories, tmp_path):
    db = str(tmp_path / "cli.duckdb")
    res = invoke("ingest", str(stories), "--db", db, "--scheduler", cluster.scheduler_address, "--no-progress")
    assert res.exit_code == 1 and "ingested 20 new" in res.stderr and "not valid JSON" in res.stderr


def test_cli_ingest_bad_scheduler_is_one_line(invoke, stories, tmp_path):
    res = invoke("ingest", str(stories), "--db", str(tmp_path / "x.duckdb"), "--scheduler", "spark://nowhere")
    assert res.exit_code == 1
    assert res.stderr.strip().splitlines()[-1] == (
        "sitroom: error: --scheduler 'spark://nowhere': expected tcp://HOST:PORT or local[:N]")
