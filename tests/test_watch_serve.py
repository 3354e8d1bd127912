"""`sitroom serve --watch`: the watcher writes through the server's backend while the API answers,
and `updated_since` finds the events it brought (what the dashboard's live mode polls)."""
from __future__ import annotations

import threading

import httpx
import pytest

pytest.importorskip("fastapi")

from sitroom.serve import create_app  # noqa: E402
from sitroom.serve.server import running  # noqa: E402
from sitroom.serve.watching import watch_in_background  # noqa: E402
from sitroom.store import open_store  # noqa: E402
from sitroom.watch import WatchOptions  # noqa: E402
from test_watch import POLICY, article, site  # noqa: E402,F401 - the loopback feed server fixture


def test_watch_serve_shows_new_events_without_a_reload(site, tmp_path, nlp):  # noqa: F811
    db = str(tmp_path / "live.duckdb")
    open_store(db).close()
    site.feed("/feed.xml", [{"title": "Clashes", "link": article(site, "/n/1", "Clashes near Sake", n=6),
                             "guid": "g1"}])
    app = create_app(db, writable=True)
    polled = threading.Event()
    lines = []

    def report(line):
        lines.append(line)
        if ": 200," in line:
            polled.set()
    with running(app) as url:
        before = httpx.get(url + "/api/health").json()
        assert before["counts"]["articles"] == 0 and before["read_only"]  # no token: no API ingest
        thread, stop = watch_in_background(app.state.backend, [site.base + "/feed.xml"], POLICY, WatchOptions(),
                                           report=report, nlp=nlp)
        assert polled.wait(120), lines
        stop.set()
        thread.join(60)
        assert not thread.is_alive()
        after = httpx.get(url + "/api/health").json()
        assert after["counts"]["articles"] == 1 and not after["merge_stale"]
        changed = httpx.get(url + "/api/events", params={"updated_since": before["now"]}).json()
        assert changed["total"] == after["counts"]["events"] >= 1
        assert {e["event_type"] for e in changed["events"]} == {"Battles"}
        nothing = httpx.get(url + "/api/events", params={"updated_since": "2999-01-01T00:00:00Z"}).json()
        assert nothing["total"] == 0
        (feed,) = httpx.get(url + "/api/feeds").json()["feeds"]  # `sitroom feeds` cannot open the file now
        assert feed["url"] == site.base + "/feed.xml" and feed["entries"] == 1 and feed["last_status"] == 200
    assert any("1 new" in line for line in lines)
