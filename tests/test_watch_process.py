"""`sitroom watch` as a process: SIGTERM finishes the article in hand and exits 0; kill -9 in the middle
of a poll loses nothing committed, and the next run stores the rest without duplicating anything."""
from __future__ import annotations

import os
import signal
import subprocess
import sys

from sitroom.store import open_store
from test_watch import article, site  # noqa: F401 - the loopback feed server fixture


def start(site, db) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(_root()), os.environ.get("PYTHONPATH")]))}
    return subprocess.Popen([sys.executable, "-m", "sitroom", "watch", site.base + "/feed.xml", "--db", db,
                             "--allow-private"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def _root():
    from pathlib import Path
    return Path(__file__).resolve().parent.parent


def four_stories(site):
    links = [article(site, f"/n/{i}", f"Story {i}", n=i + 2) for i in range(4)]
    site.feed("/feed.xml", [{"title": f"S{i}", "link": link, "guid": f"g{i}"} for i, link in enumerate(links)])


def stored(db) -> tuple[list[str], int, int]:
    with open_store(db, read_only=True) as s:
        arts = s.articles()
        return sorted(a["doc_id"] for a in arts), sum(a["events"] for a in arts), \
            sum(e["reports"] for e in s.events())


def test_watch_sigterm_finishes_the_article_in_hand(site, tmp_path):  # noqa: F811
    four_stories(site)
    asked, release = site.hold("/n/1")  # entries go oldest first: /n/3, /n/2, then /n/1 is in hand
    db = str(tmp_path / "term.duckdb")
    proc = start(site, db)
    assert asked.wait(120)
    proc.send_signal(signal.SIGTERM)
    release.set()
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert "stopping after the article in hand" in err
    docs, reports, merged = stored(db)
    assert docs == [site.base + f"/n/{i}" for i in (1, 2, 3)] and reports == merged


def test_watch_kill_9_loses_nothing_committed_and_duplicates_nothing(site, tmp_path):  # noqa: F811
    four_stories(site)
    asked, release = site.hold("/n/1")
    db = str(tmp_path / "kill.duckdb")
    proc = start(site, db)
    assert asked.wait(120)
    proc.kill()
    proc.communicate(timeout=60)
    release.set()
    docs, reports, merged = stored(db)
    assert docs == [site.base + f"/n/{i}" for i in (2, 3)] and reports == merged  # the two before it, merged
    site.gates.clear()
    res = subprocess.run([sys.executable, "-m", "sitroom", "watch", site.base + "/feed.xml", "--db", db,
                          "--allow-private", "--once"], capture_output=True, text=True, timeout=300,
                         env={**os.environ, "PYTHONPATH": str(_root())})
    assert res.returncode == 0, res.stderr
    assert "2 new" in res.stderr
    docs, reports, merged = stored(db)
    assert docs == [site.base + f"/n/{i}" for i in range(4)] and reports == merged
    assert [len(site.requests_to(f"/n/{i}")) for i in range(4)] == [1, 2, 1, 1]  # only the one in hand again
