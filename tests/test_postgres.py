"""The PostgreSQL store against a real server: the DuckDB store's tests, plus what teams need.

The session fixture starts a throwaway cluster with scripts/start_postgres.sh (which
installs the Debian package if needed and possible); set SITROOM_TEST_POSTGRES to a
postgresql:// URL to use a running server instead.  Where no server can be started,
these tests are skipped with the reason.
"""
from __future__ import annotations

import json
import os
import subprocess
import tempfile
import threading
import uuid
from pathlib import Path

import pytest

psycopg = pytest.importorskip("psycopg", reason='psycopg is not installed: pip install "sitroom[postgres]"')

from sitroom.errors import SchemaVersionError, StoreError  # noqa: E402
from sitroom.store import open_store  # noqa: E402
from sitroom.store.ingest import ingest_results  # noqa: E402
from test_merge import cluster_results  # noqa: E402
from test_store import (cluster_store, put_all, test_store_actors_across_articles,  # noqa: E402,F401
                        test_store_articles_listing, test_store_changed_article_replaces_its_version_and_claims,
                        test_store_claim_filters, test_store_claims_link_to_their_event,
                        test_store_cluster_merges_into_one_event, test_store_delete_document_remerges,
                        test_store_event_filters, test_store_is_a_store, test_store_reingest_is_a_noop,
                        test_store_same_result_under_another_id_is_a_duplicate, test_store_stale_until_merged,
                        test_store_transaction_rolls_back_a_failed_article, test_store_unchanged_result_writes_nothing)

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "start_postgres.sh"


@pytest.fixture(scope="session")
def pg_server():
    """The admin DSN of a PostgreSQL server for this session."""
    given = os.environ.get("SITROOM_TEST_POSTGRES")
    if given:
        yield given
        return
    data = tempfile.mkdtemp(prefix="sitroom-pg-")
    try:
        proc = subprocess.run(["bash", str(SCRIPT), data], capture_output=True, text=True, timeout=900)
    except (OSError, subprocess.TimeoutExpired) as err:
        pytest.skip(f"PostgreSQL could not be started: {err}")
    if proc.returncode != 0:
        pytest.skip(f"PostgreSQL could not be started (scripts/start_postgres.sh exit {proc.returncode}): "
                    f"{proc.stderr.strip()[-400:]}")
    dsn = proc.stdout.strip().splitlines()[-1]
    yield dsn
    subprocess.run(["bash", str(SCRIPT), "stop", data], capture_output=True, timeout=120)


def _new_database(admin_dsn: str) -> tuple[str, str]:
    name = "sitroom_" + uuid.uuid4().hex[:12]
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return name, admin_dsn.rsplit("/", 1)[0] + "/" + name


def _drop_database(admin_dsn: str, name: str) -> None:
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture()
def pg_dsn(pg_server):
    name, dsn = _new_database(pg_server)
    yield dsn
    _drop_database(pg_server, name)


@pytest.fixture()
def store(pg_dsn):
    s = open_store(pg_dsn)
    yield s
    s.close()


@pytest.fixture(scope="module")
def cluster_ro(pg_server):
    name, dsn = _new_database(pg_server)
    s = open_store(dsn)
    put_all(s, cluster_results())
    yield s
    s.close()
    _drop_database(pg_server, name)


def test_postgres_same_contents_as_duckdb(store, tmp_path):
    put_all(store, cluster_results())
    duck = open_store(str(tmp_path / "same.duckdb"))
    try:
        put_all(duck, cluster_results())
        assert store.checksum() == duck.checksum()
    finally:
        duck.close()


def test_postgres_cli_ingest_and_export(pg_dsn, invoke, tmp_path):
    results = tmp_path / "cluster.jsonl"
    results.write_text("".join(json.dumps(r.to_json_dict()) + "\n" for r in cluster_results()))
    first = invoke("ingest", str(results), "--input-format", "results", "--db", pg_dsn)
    assert first.exit_code == 0 and "6 new" in first.stderr
    again = invoke("ingest", str(results), "--input-format", "results", "--db", pg_dsn)
    assert again.exit_code == 0 and "6 unchanged" in again.stderr
    out = invoke("events", "--db", pg_dsn, "--format", "acled-csv", "--min-sources", "4")
    lines = out.stdout.splitlines()
    assert out.exit_code == 0 and len(lines) == 2 and lines[1].startswith("ev-")


def test_postgres_concurrent_writers(pg_dsn):
    """Two processes' worth of connections ingesting at once end in one consistent merge."""
    results = cluster_results()
    halves = [results[::2], results[1::2]]
    errors: list[BaseException] = []

    def work(part):
        try:
            s = open_store(pg_dsn)
            try:
                ingest_results(s, [(r.id, r) for r in part])
            finally:
                s.close()
        except BaseException as err:  # noqa: BLE001 - reported below
            errors.append(err)

    threads = [threading.Thread(target=work, args=(h,)) for h in halves]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors
    s = open_store(pg_dsn)
    try:
        (ev,) = s.events()
        assert (ev["reports"], ev["sources"]) == (6, 4)
    finally:
        s.close()


def test_postgres_schema_version_mismatch(pg_dsn):
    s = open_store(pg_dsn)
    s._execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    s.close()
    with pytest.raises(SchemaVersionError):
        open_store(pg_dsn)


def test_postgres_unreachable_server_is_a_store_error_without_password():
    with pytest.raises(StoreError, match="connecting failed") as info:
        open_store("postgresql://someone:hunter2@127.0.0.1:1/nothing")
    assert "hunter2" not in str(info.value) and "***" in str(info.value)


def test_postgres_missing_tables_not_created(pg_dsn):
    with pytest.raises(StoreError):
        open_store(pg_dsn, read_only=True)
