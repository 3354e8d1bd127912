"""The watch state and incremental merging on PostgreSQL: the DuckDB tests again, on a throwaway
server (tests/test_postgres.py starts it; skipped, saying why, where it cannot)."""
from __future__ import annotations

import pytest

psycopg = pytest.importorskip("psycopg", reason='psycopg is not installed: pip install "sitroom[postgres]"')

from sitroom.store import open_store  # noqa: E402
from test_postgres import pg_dsn, pg_server  # noqa: E402,F401
from test_watch import site, test_watch_guid_changes_and_reuse, \
    test_watch_stores_new_entries_then_asks_conditionally  # noqa: E402,F401
from test_watch_merge import test_a_stale_store_is_not_merged_piecemeal, \
    test_incremental_equals_merging_the_same_reports_in_the_same_order, \
    test_incremental_replaces_an_updated_article_and_its_old_event  # noqa: E402,F401


@pytest.fixture()
def store(pg_dsn):  # noqa: F811
    s = open_store(pg_dsn)
    s.merge_on_write = True
    yield s
    s.close()


def test_watch_postgres_feed_state_round_trips(store):
    row = {"added_url": "https://a.example/rss", "url": "https://a.example/rss2", "etag": '"x"', "errors": 2,
           "requests": 5, "not_modified": 1, "entries": 3, "next_check": "2026-03-02T12:15:00+00:00"}
    store.save_feed(row)
    store.save_feed({**row, "errors": 0})
    (saved,) = store.feeds()
    assert saved["url"] == "https://a.example/rss2" and saved["errors"] == 0 and saved["title"] is None
    store.save_entry({"feed": row["added_url"], "entry": "https://a.example/1", "guid": "g1", "outcome": "stored",
                      "attempts": 1})
    assert [e["guid"] for e in store.feed_entries(row["added_url"])] == ["g1"]
