"""Soak `sitroom serve --watch`: 50 loopback feeds publishing all the time, for minutes.

    .venv/bin/python bench/watch_soak.py [--minutes 10] [--feeds 50] [--every 3] [--json OUT]

Ten loopback addresses (127.0.0.2 ...) each serve five RSS feeds (the per-host spacing applies per
address); every `--every` seconds one feed, in turn, publishes a new article (an entry linking to
a news page written here, a clash in one of a dozen towns). The dashboard app and the watcher run
in this process on one DuckDB file, as `sitroom serve --watch` does, with the watcher's floor at
5 s and its ceiling at 30 s (the soak's feeds are too young for their rate to say much: a feed
with three entries a week would be asked daily). A monitor asks /api/events?updated_since= every
second and, for each new event, its reports, noting when each article first appears in an event.

Prints, at the end: articles published, seen by the watcher, stored (equal), duplicates (zero),
requests per feed, the share of 304 answers, RSS every minute (flat), and the delay from publication
to the event in /api/events (median and max, articles whose text gave an event).
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from sitroom.fetch import FetchPolicy  # noqa: E402
from sitroom.serve import create_app  # noqa: E402
from sitroom.serve.server import running  # noqa: E402
from sitroom.serve.watching import watch_in_background  # noqa: E402
from sitroom.store import open_store  # noqa: E402
from sitroom.watch import WatchOptions  # noqa: E402

TOWNS = [("Goma", "North Kivu"), ("Bunia", "Ituri"), ("Beni", "North Kivu"), ("Kidal", "Kidal"),
         ("Gao", "Gao"), ("Mopti", "Mopti"), ("Maiduguri", "Borno"), ("El Fasher", "North Darfur"),
         ("Kharkiv", "Kharkiv"), ("Kherson", "Kherson"), ("Idlib", "Idlib"), ("Aleppo", "Aleppo")]
PAGE = ("<html><head><title>{title}</title></head><body><article><h1>{title}</h1><p>{town.upper()}, "
        "{region} - Gunmen attacked an army post on the edge of {town} on Monday, killing {n} soldiers, a local "
        "official told reporters on Tuesday. Story number {k}.</p><p>Residents said the attackers arrived on "
        "motorbikes before dawn and fled after a gun battle that lasted two hours. The army said it had sent "
        "reinforcements to {town} and opened an investigation.</p></article></body></html>")


class Desk:
    """The feeds and pages the loopback servers answer with, and what was published when."""

    def __init__(self, hosts: list[str], per_host: int):
        self.feeds = {f"{h}/feed{i}.xml": [] for h in hosts for i in range(per_host)}
        self.pages: dict[str, bytes] = {}
        self.published: dict[str, float] = {}  # article URL -> time published
        self.requests: dict[str, int] = {f: 0 for f in self.feeds}
        self.not_modified = 0
        self.lock = threading.Lock()

    def publish(self, k: int) -> None:
        feed = list(self.feeds)[k % len(self.feeds)]
        town, region = TOWNS[k % len(TOWNS)]
        url = feed.rsplit("/", 1)[0] + f"/news/{k}"
        page = PAGE.replace("{town.upper()}", town.upper()).format(title=f"Attack near {town}", town=town,
                                                                     region=region, n=3 + k % 9, k=k)
        with self.lock:
            self.pages[url] = page.encode()
            self.feeds[feed].insert(0, (k, url, time.time()))
            del self.feeds[feed][20:]
            self.published[url] = time.time()

    def rss(self, feed: str) -> bytes:
        items = "".join(f"<item><title>Story {k}</title><link>{url}</link><guid>{url}</guid><pubDate>"
                        f"{format_datetime(datetime.fromtimestamp(t, timezone.utc))}</pubDate></item>"
                        for k, url, t in self.feeds[feed])
        return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>{feed}</title><link>{feed}</link>'
                f"<description>soak</description>{items}</channel></rss>").encode()


def serve_host(ip: str) -> ThreadingHTTPServer:
    """A loopback server answering from its `desk` attribute (set once the ports are known)."""
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):  # noqa: N802
            desk: Desk = self.server.desk
            url = f"http://{ip}:{self.server.server_address[1]}{self.path}"
            etag = None
            with desk.lock:
                if url in desk.feeds:
                    desk.requests[url] += 1
                    body, ctype = desk.rss(url), "application/rss+xml"
                    etag = f'"{hash(body) & 0xFFFFFFFF}"'
                    if self.headers.get("If-None-Match") == etag:
                        desk.not_modified += 1
                        self.send_response(304)
                        self.end_headers()
                        return
                else:
                    body, ctype = desk.pages.get(url), "text/html; charset=utf-8"
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Type", ctype)
            if etag:
                self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

    server = ThreadingHTTPServer((ip, 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--minutes", type=float, default=10)
    ap.add_argument("--feeds", type=int, default=50)
    ap.add_argument("--every", type=float, default=3.0, help="seconds between two new articles (all feeds)")
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    servers = [serve_host(f"127.0.0.{i + 2}") for i in range(10)]
    desk = Desk([f"http://{s.server_address[0]}:{s.server_address[1]}" for s in servers], args.feeds // 10)
    for s in servers:
        s.desk = desk
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "soak.duckdb")
        open_store(db).close()
        result = soak(desk, db, args)
    for s in servers:
        s.shutdown()
    line = json.dumps({"bench": "watch_soak", **result})
    print(line)
    if args.json:
        Path(args.json).write_text(line + "\n")


def soak(desk: Desk, db: str, args) -> dict:
    from sitroom.pipeline import load_pipeline
    nlp = load_pipeline()
    app = create_app(db, writable=True)
    policy = FetchPolicy(allow_private=True)
    options = WatchOptions(floor_s=5, ceiling_s=30, spacing_s=1.0)
    polls = {"n": 0}

    def report(line: str) -> None:
        polls["n"] += 1
    for k in range(len(desk.feeds)):  # one entry each to start with
        desk.publish(k)
    appeared: dict[str, float] = {}
    rss: list[float] = []
    with running(app) as url:
        thread, stop = watch_in_background(app.state.backend, list(desk.feeds), policy, options, report=report,
                                           nlp=nlp)
        client = httpx.Client(base_url=url, timeout=30)
        since = client.get("/api/health").json()["now"]
        start = time.time()
        k = len(desk.feeds)
        next_pub, next_rss = start, start
        end = start + args.minutes * 60
        while time.time() < end:
            now = time.time()
            if now >= next_pub:
                desk.publish(k)
                k += 1
                next_pub += args.every
            if now >= next_rss:
                rss.append(round(rss_mb(), 1))
                next_rss += 60
            health = client.get("/api/health").json()
            changed = client.get("/api/events", params={"updated_since": since, "limit": 500}).json()
            for ev in changed["events"]:
                detail = client.get(f"/api/events/{ev['event_id']}").json()
                for doc_id in detail["doc_ids"]:
                    appeared.setdefault(doc_id, time.time())
            since = health["now"]
            time.sleep(1.0)
        # let the watcher catch up with the last articles (at most two ceilings), then stop it
        deadline = time.time() + 90
        while time.time() < deadline and client.get("/api/health").json()["counts"]["articles"] < len(desk.published):
            time.sleep(2)
        stop.set()
        thread.join(120)
        rss.append(round(rss_mb(), 1))
    with open_store(db, read_only=True) as s:
        arts = s.articles()
        stored = [a["doc_id"] for a in arts]
        with_events = {a["doc_id"] for a in arts if a["events"]}
        entries = sum(f["entries"] for f in s.feeds())
        requests = [f["requests"] for f in s.feeds()]
        merged_reports = sum(e["reports"] for e in s.events())
    delays = [appeared[d] - desk.published[d] for d in with_events if d in appeared and d in desk.published]
    feed_requests = sum(desk.requests.values())
    out = {
        "minutes": args.minutes, "feeds": len(desk.feeds), "published": len(desk.published),
        "seen_entries": entries, "stored": len(stored), "duplicates": len(stored) - len(set(stored)),
        "stored_not_published": len(set(stored) - set(desk.published)),
        "reports_stored": sum(a["events"] for a in arts), "reports_merged": merged_reports,
        "requests_per_feed": round(statistics.mean(requests), 1), "feed_requests": feed_requests,
        "share_304": round(desk.not_modified / max(feed_requests, 1), 3), "polls_logged": polls["n"],
        "rss_mb_per_minute": rss, "articles_with_events": len(with_events),
        "delay_s_median": round(statistics.median(delays), 1) if delays else None,
        "delay_s_max": round(max(delays), 1) if delays else None, "delays_measured": len(delays),
    }
    print(f"{out['published']} published, {out['seen_entries']} entries stored by the watcher, {out['stored']} "
          f"articles stored, {out['duplicates']} duplicates; {out['requests_per_feed']} requests per feed, "
          f"{out['share_304']:.0%} answered 304; RSS MB by minute {rss}; publication to /api/events "
          f"{out['delay_s_median']} s median, {out['delay_s_max']} s max ({len(delays)} articles with events)")
    return out


if __name__ == "__main__":
    main()
