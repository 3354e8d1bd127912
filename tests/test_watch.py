"""`sitroom watch` against real HTTP servers on loopback: conditional GET, schedules, errors, robots.txt.

The watcher's clock is injected (`Clock`): waiting advances it, so nothing here sleeps; the servers
are real (http.server in a thread) and every request goes through the real client and its checks
(`--allow-private` because they listen on 127.0.0.1).
"""
from __future__ import annotations

import json
import threading
from email.utils import format_datetime
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sitroom.errors import InputError
from sitroom.fetch import FetchPolicy
from sitroom.store import open_store
from sitroom.watch import Watcher, WatchOptions, read_feed_list
from sitroom.watch.client import PoliteClient
from sitroom.watch.schedule import CEILING_S, FLOOR_S, backoff, rate_interval, retry_after, server_hint

START = datetime(2026, 3, 2, 12, 0, tzinfo=timezone.utc).timestamp()
POLICY = FetchPolicy(allow_private=True, timeout=5, total_timeout=10)


class Clock:
    """Seconds since the epoch that only move when the code under test waits."""

    def __init__(self, now: float = START):
        self.now = now
        self.waits: list[float] = []

    def __call__(self) -> float:
        return self.now

    def wait(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds


ARTICLE = ("<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
           "<p>GOMA, Congo - Fighters of the M23 rebel group attacked army positions near the town of Sake in "
           "North Kivu province on {day}, killing {n} soldiers, a local official said on Tuesday.</p>"
           "<p>The fighting forced thousands of families to flee towards Goma, aid workers said. The army said it "
           "had pushed the rebels back from the main road after several hours of clashes.</p></article></body></html>")


def rss(items: list[dict], ttl: int | None = None) -> bytes:
    body = "".join(
        f"<item><title>{i['title']}</title>" + (f"<link>{i['link']}</link>" if i.get("link") else "")
        + (f"<guid>{i['guid']}</guid>" if i.get("guid") else "")
        + f"<pubDate>{format_datetime(i.get('date', datetime(2026, 3, 2, 9, tzinfo=timezone.utc)))}</pubDate>"
        + f"<description>{i.get('description', 'A teaser.')}</description></item>" for i in items)
    ttl_tag = f"<ttl>{ttl}</ttl>" if ttl else ""
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Test desk</title><link>http://x/</link>'
            f"<description>d</description>{ttl_tag}{body}</channel></rss>").encode()


class Site:
    """What the test server answers: path -> (status, headers, body); every request is logged."""

    def __init__(self):
        self.routes: dict[str, tuple[int, dict, bytes]] = {}
        self.log: list[tuple[str, dict]] = []
        self.etags = True  # answer 304 to a matching If-None-Match
        self.gates: dict[str, tuple[threading.Event, threading.Event]] = {}  # path -> (asked, release)

    def hold(self, path: str) -> tuple[threading.Event, threading.Event]:
        """Make requests for `path` wait until released: (set when asked, set to release)."""
        self.gates[path] = (threading.Event(), threading.Event())
        return self.gates[path]

    def page(self, path: str, body: bytes, status: int = 200, ctype: str = "text/html; charset=utf-8", **headers):
        self.routes[path] = (status, {"Content-Type": ctype, **headers}, body)

    def feed(self, path: str, items: list[dict], **kw):
        self.page(path, rss(items, kw.pop("ttl", None)), ctype="application/rss+xml", **kw)

    def requests_to(self, path: str) -> list[dict]:
        return [h for p, h in self.log if p == path]


@pytest.fixture()
def site():
    s = Site()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):  # noqa: N802
            s.log.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
            if self.path in s.gates:
                asked, release = s.gates[self.path]
                asked.set()
                release.wait(60)
            status, headers, body = s.routes.get(self.path, (404, {"Content-Type": "text/plain"}, b"no such page"))
            etag = '"' + str(hash(body) & 0xFFFFFFFF) + '"'
            if status == 200 and s.etags and self.path.endswith(".xml"):
                headers = {**headers, "ETag": etag}
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    s.base = f"http://127.0.0.1:{server.server_address[1]}"
    yield s
    server.shutdown()
    server.server_close()


@pytest.fixture()
def store(tmp_path):
    s = open_store(str(tmp_path / "watch.duckdb"))
    yield s
    s.close()


def article(site, path: str, title: str, n: int = 5, day: str = "Monday") -> str:
    site.page(path, ARTICLE.format(title=title, n=n, day=day).encode())
    return site.base + path


def watcher(store, site, feeds=("/feed.xml",), clock=None, nlp=None, lines=None, **options):
    clock = clock or Clock()
    opts = WatchOptions(**{"max_errors": 3, **options})
    return Watcher(store, [site.base + f for f in feeds], POLICY, opts, clock=clock, wait=clock.wait, nlp=nlp,
                   report=(lines.append if lines is not None else None))


# --- what to follow, and when -------------------------------------------------------------------------
def test_watch_feed_list_reads_opml_and_plain_lists(tmp_path):
    opml = tmp_path / "desk.opml"
    opml.write_text('<?xml version="1.0"?><opml version="2.0"><head/><body><outline text="Africa">'
                    '<outline text="A" xmlUrl="https://a.example/rss"/><outline text="B" xmlUrl="https://b.example/atom"/>'
                    '</outline><outline text="A again" xmlUrl="https://a.example/rss"/></body></opml>')
    assert read_feed_list(str(opml)) == ["https://a.example/rss", "https://b.example/atom"]
    plain = tmp_path / "feeds.txt"
    plain.write_text("# my desk\nhttps://a.example/rss\n\nhttp://c.example/feed\n")
    assert read_feed_list(str(plain)) == ["https://a.example/rss", "http://c.example/feed"]
    plain.write_text("https://a.example/rss\nftp://nope.example/x\n")
    with pytest.raises(InputError, match=r"feeds.txt:2: not an http\(s\) URL"):
        read_feed_list(str(plain))
    (tmp_path / "broken.opml").write_text("<opml><body><outline xmlUrl='https://a.example/rss'></body>")
    with pytest.raises(InputError, match="not valid OPML"):
        read_feed_list(str(tmp_path / "broken.opml"))


def test_watch_schedule_follows_the_feed_rate_and_the_server():
    now = START
    assert rate_interval([], now) == CEILING_S  # a feed that published nothing this week: daily
    assert rate_interval([now - 3600 * i for i in range(7)], now) == 86400  # one a day
    assert rate_interval([now - 60 * i for i in range(5000)], now) == FLOOR_S  # a firehose: the floor
    assert rate_interval([now - 60 * i for i in range(5000)], now, floor=60) == pytest.approx(604800 / 5000)
    assert retry_after("120", now) == 120
    assert retry_after(format_datetime(datetime.fromtimestamp(now + 600, timezone.utc), usegmt=True), now) == 600
    assert retry_after("soon", now) is None
    assert server_hint({"cache-control": "public, max-age=3600"}, None, now) == 3600
    assert server_hint({"expires": format_datetime(datetime.fromtimestamp(now + 7200, timezone.utc))}, "30", now) \
        == 7200
    assert server_hint({}, "90", now) == 5400
    assert [backoff(e) for e in (1, 2, 3)] == [FLOOR_S, 2 * FLOOR_S, 4 * FLOOR_S] and backoff(30) == CEILING_S


def test_watch_client_spaces_requests_to_one_host(site):
    site.page("/a", b"a")
    clock = Clock()
    client = PoliteClient(POLICY, clock=clock, wait=clock.wait, spacing=1.0)
    client.get(site.base + "/a")
    client.get(site.base + "/a")
    client.get(site.base.replace("127.0.0.1", "localhost") + "/a")  # another host name: no wait
    client.close()
    assert clock.waits == [1.0]


# --- polls ----------------------------------------------------------------------------------------
def test_watch_stores_new_entries_then_asks_conditionally(site, store, nlp):
    one = article(site, "/news/1", "Clashes near Sake")
    two = article(site, "/news/2", "Army pushes back rebels", n=7, day="Tuesday")
    site.feed("/feed.xml", [{"title": "Two", "link": two, "guid": "g2"}, {"title": "One", "link": one, "guid": "g1"}])
    clock, lines = Clock(), []
    w = watcher(store, site, clock=clock, nlp=nlp, lines=lines)
    (first,) = w.run_once()
    assert (first.status, first.new) == ("200", 2)
    assert store.counts()["articles"] == 2 and not store.is_stale()
    assert sum(e["reports"] for e in store.events()) == sum(a["events"] for a in store.articles())
    assert lines[-1].startswith(f"{site.base}/feed.xml: 200, 2 new; next check ")

    (second,) = w.run_once()
    assert second.status == "304 not modified" and second.new == 0
    assert site.requests_to("/feed.xml")[-1]["if-none-match"]
    assert len(site.requests_to("/news/1")) == 1  # each page once

    three = article(site, "/news/3", "Fighting resumes", n=3, day="Wednesday")
    site.feed("/feed.xml", [{"title": "Three", "link": three, "guid": "g3"},
                            {"title": "Two", "link": two, "guid": "g2"}, {"title": "One", "link": one, "guid": "g1"}])
    (third,) = w.run_once()
    assert (third.status, third.new) == ("200", 1) and store.counts()["articles"] == 3
    (feed,) = store.feeds()
    assert (feed["requests"], feed["not_modified"], feed["entries"], feed["errors"]) == (3, 1, 3, 0)
    w.close()


def test_watch_same_body_without_validators_counts_as_unchanged(site, store, nlp):
    site.etags = False
    site.feed("/feed.xml", [{"title": "One", "link": article(site, "/n/1", "One"), "guid": "g1"}])
    w = watcher(store, site, nlp=nlp)
    assert [r.status for r in w.run_once() + w.run_once()] == ["200", "200 unchanged"]
    w.close()


def test_watch_guid_changes_and_reuse(site, store, nlp):
    one = article(site, "/n/1", "One")
    site.feed("/feed.xml", [{"title": "One", "link": one, "guid": "g1"}])
    w = watcher(store, site, nlp=nlp)
    w.run_once()
    # the same link under a new GUID: known, not fetched again
    site.feed("/feed.xml", [{"title": "One", "link": one, "guid": "changed-g1"}])
    assert w.run_once()[0].new == 0 and len(site.requests_to("/n/1")) == 1
    # an old GUID reused for a new article: a new entry, stored
    two = article(site, "/n/2", "Two", n=9, day="Friday")
    site.feed("/feed.xml", [{"title": "Two", "link": two, "guid": "g1"}, {"title": "One", "link": one, "guid": "x"}])
    assert w.run_once()[0].new == 1
    assert sorted(a["url"] for a in store.articles()) == [one, two]
    w.close()


def test_watch_schedule_uses_ttl_and_rate(site, store, nlp):
    now = datetime.fromtimestamp(START, timezone.utc)
    items = [{"title": f"T{i}", "guid": f"g{i}", "date": now - timedelta(hours=i),
              "description": f"entry {i} " + "word " * 60} for i in range(20)]
    site.feed("/feed.xml", items, ttl=600)  # 10 hours
    clock = Clock()
    w = watcher(store, site, clock=clock, nlp=nlp, follow_links=False)
    (r,) = w.run_once()
    assert r.new == 20  # entries without links: their own text
    assert r.next_check - START == 600 * 60  # the TTL over the rate (20 a week: every 8.4 h)
    (feed,) = store.feeds()
    assert feed["interval_s"] == 600 * 60
    site.feed("/feed.xml", items[:1] + items, ttl=1)  # a duplicate entry, and now the rate wins
    clock.now = r.next_check
    (r,) = w.run_once()
    assert r.new == 0 and r.next_check - clock.now == pytest.approx(604800 / 21)
    w.close()


def test_watch_429_waits_as_asked_without_counting_a_failure(site, store):
    site.page("/feed.xml", b"slow down", status=429, ctype="text/plain", **{"Retry-After": "7200"})
    w = watcher(store, site)
    (r,) = w.run_once()
    assert r.status.startswith("HTTP 429") and r.next_check == START + 7200
    (feed,) = store.feeds()
    assert feed["errors"] == 0 and feed["retry_after"] and not feed["disabled"]
    assert w.run_once() == [] and len(site.requests_to("/feed.xml")) == 1  # not even --once asks before then
    w.clock.now += 7200
    assert len(w.run_once()) == 1
    w.close()


def test_watch_410_disables_the_feed(site, store, nlp):
    site.page("/feed.xml", b"gone", status=410, ctype="text/plain")
    lines = []
    w = watcher(store, site, lines=lines, nlp=nlp)
    (r,) = w.run_once()
    assert r.disabled.startswith("410") and "disabled: 410 Gone" in lines[-1]
    assert w.run_once() == []  # a disabled feed is not asked again
    assert len(site.requests_to("/feed.xml")) == 1
    w.close()
    site.feed("/feed.xml", [{"title": "Back", "guid": "g1", "description": "back " * 60}])
    again = watcher(store, site, retry_disabled=True, follow_links=False, nlp=nlp)
    assert [r.status for r in again.run_once()] == ["200"] and not store.feeds()[0]["disabled"]
    again.close()


def test_watch_failures_back_off_then_disable(site, store):
    site.page("/feed.xml", b"oops", status=500, ctype="text/plain")
    clock = Clock()
    w = watcher(store, site, clock=clock, max_errors=3)
    delays = []
    for _ in range(3):
        clock.now = w.due(w.feeds[0]) or clock.now
        (r,) = w.run_once()
        delays.append(r.next_check - clock.now)
    assert delays == [FLOOR_S, 2 * FLOOR_S, 4 * FLOOR_S]
    assert r.disabled == "3 consecutive failures (last: HTTP 500 Internal Server Error)"
    assert store.feeds()[0]["disabled"] and w.run_once() == []
    w.close()


def test_watch_malformed_feed_is_a_failure(site, store):
    site.page("/feed.xml", b"<html><body>not a feed</body></html>", ctype="application/rss+xml")
    w = watcher(store, site)
    (r,) = w.run_once()
    assert "not a readable feed" in r.status or "feed has no entries" in r.status
    assert store.feeds()[0]["errors"] == 1
    w.close()


@pytest.mark.parametrize("code, moves", [(301, True), (308, True), (302, False), (307, False)])
def test_watch_permanent_redirect_moves_the_feed(site, store, nlp, code, moves):
    site.feed("/new.xml", [{"title": "One", "link": article(site, "/n/1", "One"), "guid": "g1"}])
    site.page("/feed.xml", b"", status=code, ctype="text/plain", Location="/new.xml")
    w = watcher(store, site, nlp=nlp)
    (r,) = w.run_once()
    assert r.new == 1
    (feed,) = store.feeds()
    assert feed["added_url"] == site.base + "/feed.xml"
    assert feed["url"] == site.base + ("/new.xml" if moves else "/feed.xml")
    w.close()


def test_watch_honours_robots_txt_for_article_pages(site, store, nlp):
    site.page("/robots.txt", b"User-agent: *\nDisallow: /private/\n", ctype="text/plain")
    closed = article(site, "/private/1", "Closed")
    long_teaser = "M23 rebels attacked army positions near Sake in North Kivu, killing five soldiers. " * 4
    site.feed("/feed.xml", [{"title": "Closed", "link": closed, "guid": "g1", "description": long_teaser},
                            {"title": "Open", "link": article(site, "/open/1", "Open"), "guid": "g2"}])
    w = watcher(store, site, nlp=nlp)
    (r,) = w.run_once()
    assert r.new == 2  # the disallowed page's entry is stored from the feed's own text
    assert site.requests_to("/private/1") == [] and len(site.requests_to("/open/1")) == 1
    assert len(site.requests_to("/robots.txt")) == 1  # read once per site, not per page
    w.close()


def test_watch_stop_finishes_the_article_in_hand_and_resumes_without_duplicates(site, store, nlp):
    links = [article(site, f"/n/{i}", f"Story {i}", n=i + 2) for i in range(4)]
    site.feed("/feed.xml", [{"title": f"S{i}", "link": link, "guid": f"g{i}"} for i, link in enumerate(links)])
    w = watcher(store, site, nlp=nlp)
    stored = []
    real_save = store.save_entry

    def save_and_stop(row):
        real_save(row)
        stored.append(row["entry"])
        if len(stored) == 2:
            w.stop.set()  # as SIGTERM would, in the middle of the poll
    store.save_entry = save_and_stop
    (r,) = w.run_once()
    assert r.interrupted and r.new == 2 and store.counts()["articles"] == 2
    assert store.feeds()[0]["etag"] is None  # not marked as read: the next poll reads it whole
    w.stop.clear()
    (r,) = w.run_once()
    assert r.new == 2 and store.counts()["articles"] == 4
    assert all(len(site.requests_to(f"/n/{i}")) == 1 for i in range(4))
    w.close()


def test_watch_run_polls_when_due(site, store, nlp):
    site.feed("/feed.xml", [{"title": "One", "link": article(site, "/n/1", "One"), "guid": "g1"}],
              **{"Cache-Control": "max-age=3600"})
    clock, lines = Clock(), []
    w = watcher(store, site, clock=clock, nlp=nlp, lines=lines)

    def report(line):
        lines.append(line)
        if len(lines) == 3:
            w.stop.set()
    w.report = report
    shown = []
    w.progress = shown.append
    w.run()
    assert len(site.requests_to("/feed.xml")) == 3
    # between polls the status line says what is next and what has come in
    assert shown and shown[-1].startswith("1 feeds, 2 polls, 1 new articles; next ") and shown[-1].endswith(" s")
    assert clock.now - START >= 2 * 3600  # waited for the feed between polls, on the injected clock
    assert ": 304 not modified, 0 new" in lines[-1]
    w.close()


# --- the commands ----------------------------------------------------------------------------------
def test_watch_cli_once_then_feeds(site, invoke, tmp_path):
    site.feed("/feed.xml", [{"title": "One", "link": article(site, "/n/1", "One"), "guid": "g1"}])
    listing = tmp_path / "feeds.txt"
    listing.write_text(site.base + "/feed.xml\n")
    db = str(tmp_path / "cli.duckdb")
    res = invoke("watch", "--feeds", str(listing), "--db", db, "--once", "--allow-private")
    assert res.exit_code == 0, res.output
    assert f"{site.base}/feed.xml: 200, 1 new; next check" in res.stderr
    res = invoke("feeds", "--db", db, "--format", "json")
    (feed,) = json.loads(res.stdout)
    assert feed["state"] == "ok" and feed["entries"] == 1 and feed["last_status"] == 200
    res = invoke("feeds", "--db", db)
    assert res.stdout.splitlines()[0].split()[:2] == ["url", "state"] and "/feed.xml" in res.stdout
    # again, without naming feeds: the database's own
    res = invoke("watch", "--db", db, "--once", "--allow-private")
    assert res.exit_code == 0 and "304 not modified" in res.stderr


def test_watch_cli_refuses_loopback_without_the_flag(site, invoke, tmp_path):
    site.feed("/feed.xml", [{"title": "One", "link": site.base + "/n/1", "guid": "g1"}])
    res = invoke("watch", site.base + "/feed.xml", "--db", str(tmp_path / "x.duckdb"), "--once")
    assert res.exit_code == 0 and "refused" in res.stderr and "--allow-private" in res.stderr
    assert site.log == []


def test_watch_cli_errors_in_one_line(invoke, tmp_path):
    res = invoke("watch", "not-a-url", "--db", str(tmp_path / "x.duckdb"), "--once")
    assert res.exit_code == 2 and "not an http(s) URL" in res.stderr
    (tmp_path / "f.txt").write_text("gopher://x\n")
    res = invoke("watch", "--feeds", str(tmp_path / "f.txt"), "--db", str(tmp_path / "x.duckdb"), "--once")
    assert res.exit_code == 1 and res.stderr.strip().startswith("sitroom: error:") and "f.txt:1" in res.stderr
    res = invoke("watch", "--db", str(tmp_path / "y.duckdb"), "--once")
    assert res.exit_code == 1 and "no feeds to watch" in res.stderr


def test_watch_cli_remerge_gives_the_canonical_merge(site, invoke, tmp_path, nlp):
    site.feed("/feed.xml", [{"title": "One", "link": article(site, "/n/1", "One"), "guid": "g1"}])
    db = str(tmp_path / "re.duckdb")
    assert invoke("watch", site.base + "/feed.xml", "--db", db, "--once", "--allow-private").exit_code == 0
    with open_store(db) as s:
        before = s.checksum()
    res = invoke("remerge", "--db", db)
    assert res.exit_code == 0 and "merged events" in res.stderr
    with open_store(db) as s:
        assert s.checksum() == before  # one article: both merges agree
    assert invoke("remerge", "--db", str(tmp_path / "none.duckdb")).exit_code == 1


def test_watch_status_line_rewrites_itself_and_yields_to_log_lines(capsys):
    from sitroom.cli.watch import StatusLine
    status = StatusLine()
    status.progress("3 feeds, 0 polls, 0 new articles; next https://a.example/rss in 60 s")
    status.report("https://a.example/rss: 200, 2 new")
    err = capsys.readouterr().err
    assert err.startswith("\r\x1b[K3 feeds") and "\r\x1b[Ksitroom: https://a.example/rss: 200, 2 new\n" in err
