"""The watch loop: poll each feed when it is due, store its new entries, merge them at once.

Each new entry's article is its own transaction (ingest's), and its reports join or start
their events in that same transaction (`merge_on_write`), so the dashboard sees it within
the poll. An entry is known by its link, else its GUID, else its title and date: a GUID that
changes for the same link is not fetched twice, and a GUID reused for a new link is a new
entry (ingest's raw hash then keeps a page already stored from being stored twice). A feed's
state (URL, validators, schedule, errors) is saved after its entries, so a poll cut short
(`stop`, kill -9) is repeated in full next time and only finds the entries it did not store.
"""
from __future__ import annotations

import calendar
import contextlib
import hashlib
import logging
import threading
import time
from dataclasses import dataclass
from typing import Callable

from ..errors import ConfigError, InputError
from ..feeds import entry_document, parse_feed
from ..fetch import FetchPolicy, normalize_url
from ..store import schema
from ..store.base import now_iso
from ..store.ingest import ingest
from .client import Answer, PoliteClient
from .schedule import CEILING_S, FLOOR_S, MAX_ERRORS, backoff, epoch, iso, next_interval, rate_interval, \
    retry_after, server_hint

log = logging.getLogger(__name__)

ENTRY_ATTEMPTS = 3  # an entry whose page cannot be read is tried at this many polls, then given up


@dataclass(frozen=True)
class WatchOptions:
    floor_s: float = FLOOR_S  # never poll a feed more often (lower it only on purpose)
    ceiling_s: float = CEILING_S  # poll every feed at least this often
    max_errors: int = MAX_ERRORS  # consecutive failures that disable a feed
    spacing_s: float = 1.0  # between two requests to one host
    follow_links: bool = True  # fetch each entry's page (else the feed's own text)
    retry_disabled: bool = False  # give disabled feeds a fresh start


@dataclass
class PollResult:
    """One poll of one feed, as its log line says it."""

    feed: str
    status: str  # "200", "304 not modified", "HTTP 500 ...", "error: ..."
    new: int = 0
    failed: int = 0
    next_check: float | None = None
    disabled: str | None = None
    interrupted: bool = False

    def line(self, now: float) -> str:
        text = f"{self.feed}: {self.status}, {self.new} new"
        if self.failed:
            text += f", {self.failed} failed"
        if self.interrupted:
            text += " (stopped before the rest of its entries)"
        if self.disabled:
            return text + f"; disabled: {self.disabled}"
        minutes = max(0, round(((self.next_check or now) - now) / 60))
        return text + f"; next check {iso(self.next_check)} (in {minutes} min)"


def new_feed(url: str) -> dict:
    row = {c: None for c in schema.columns("feeds")}
    row.update(added_url=url, url=url, errors=0, entries=0, requests=0, not_modified=0)
    return row


def entry_key(entry) -> str:
    """What identifies an entry: its link, else its GUID, else its title and date."""
    if entry.get("link"):
        return normalize_url(entry["link"])
    if entry.get("id"):
        return "guid:" + entry["id"]
    return f"title:{entry.get('title') or ''}|{entry.get('published') or entry.get('updated') or ''}"


class Watcher:
    """Follow feeds in one store; `run_once` polls each now, `run` until `stop` is set."""

    def __init__(self, store, urls: list[str], policy: FetchPolicy, options: WatchOptions = WatchOptions(), *,
                 clock: Callable[[], float] = time.time, wait: Callable[[float], object] | None = None,
                 stop: threading.Event | None = None, report: Callable[[str], None] | None = None,
                 lock=None, nlp=None, progress: Callable[[str], None] | None = None):
        self.store = store
        self.progress = progress  # a status line between polls (a terminal's), None for none
        self.polls = self.new = 0
        self.options = options
        self.clock = clock
        self.stop = stop or threading.Event()
        self.wait = wait or self.stop.wait  # returns early when stop is set
        self.report = report or log.info
        self.lock = lock or contextlib.nullcontext()
        self.nlp = nlp
        with self.lock:
            stored = {f["added_url"]: f for f in store.feeds()}
            self.feeds = [stored.get(u) or new_feed(u) for u in dict.fromkeys(urls)] if urls else list(stored.values())
            if not self.feeds:
                raise ConfigError(f"{store.location}: no feeds to watch; give feed URLs or --feeds FILE")
            store.merge_on_write = True
            store.ensure_merged()
            for f in self.feeds:
                if options.retry_disabled and f["disabled"]:
                    f.update(disabled=None, errors=0, next_check=None, retry_after=None)
                    store.save_feed(f)
                elif f["added_url"] not in stored:
                    store.save_feed(f)
        self.client = PoliteClient(policy, clock=clock, wait=self.wait, spacing=options.spacing_s)

    def close(self) -> None:
        self.client.close()

    def due(self, feed: dict) -> float:
        return max(epoch(feed["next_check"]) or 0.0, epoch(feed["retry_after"]) or 0.0)

    def run_once(self) -> list[PollResult]:
        """Poll every enabled feed once, now (what cron runs), except those a server asked to wait."""
        out = []
        for feed in self.feeds:
            if self.stop.is_set():
                break
            waiting = epoch(feed["retry_after"])
            if waiting is not None and waiting > self.clock():
                self.report(f"{feed['url']}: not asked: the server said to wait until {feed['retry_after']}")
            elif not feed["disabled"]:
                out.append(self.poll(feed))
        return out

    def run(self) -> None:
        """Poll feeds as they come due until `stop` is set (or every feed is disabled)."""
        while not self.stop.is_set():
            live = [f for f in self.feeds if not f["disabled"]]
            if not live:
                self.report("every feed is disabled; stopping (see `sitroom feeds`)")
                return
            feed = min(live, key=self.due)
            delay = self.due(feed) - self.clock()
            if delay > 0:
                if self.progress:
                    self.progress(f"{len(live)} feeds, {self.polls} polls, {self.new} new articles; "
                                  f"next {feed['url']} in {delay:.0f} s")
                self.wait(delay)
                continue
            result = self.poll(feed)
            self.polls, self.new = self.polls + 1, self.new + result.new

    # --- one poll -----------------------------------------------------------------------------------
    def poll(self, feed: dict) -> PollResult:
        now = self.clock()
        headers = {k: v for k, v in (("If-None-Match", feed["etag"]), ("If-Modified-Since", feed["last_modified"]))
                   if v}
        answer = self.client.get(feed["url"], headers)
        feed["requests"] = (feed["requests"] or 0) + 1
        feed["last_checked"], feed["last_status"] = iso(now), answer.status
        if answer.moved_to and answer.status is not None and answer.status < 400:
            self.report(f"{feed['url']}: moved permanently to {answer.moved_to}")
            feed["url"] = answer.moved_to
        if answer.status == 304 or (answer.body is not None and _hash(answer.body) == feed["body_hash"]):
            result = self._unchanged(feed, answer, now)
        elif answer.body is not None:
            result = self._changed(feed, answer, now)
        else:
            result = self._failed(feed, answer, now)
        feed["next_check"] = iso(result.next_check)
        with self.lock:
            self.store.save_feed(feed)
            if self.store.is_stale():
                self.store.remerge()
        self.report(result.line(self.clock()))
        return result

    def _unchanged(self, feed: dict, answer: Answer, now: float) -> PollResult:
        feed["not_modified"] = (feed["not_modified"] or 0) + 1
        feed["errors"], feed["last_error"], feed["retry_after"] = 0, None, None
        interval = feed["interval_s"] or self.options.floor_s
        wait = next_interval(interval, server_hint(answer.headers, None, now), self.options.ceiling_s)
        status = "304 not modified" if answer.status == 304 else f"{answer.status} unchanged"
        return PollResult(feed["url"], status, next_check=now + wait)

    def _changed(self, feed: dict, answer: Answer, now: float) -> PollResult:
        try:
            parsed = parse_feed(answer.body, feed["url"])
        except InputError as err:
            return self._failed(feed, Answer(url=answer.url, status=answer.status, error=err.problem), now)
        feed["title"] = (parsed.get("feed") or {}).get("title") or feed["title"]
        new, failed, interrupted = self._entries(feed, parsed)
        if not interrupted:  # validators only once every entry is in: else the rest would never be read
            feed["etag"], feed["last_modified"] = answer.headers.get("etag"), answer.headers.get("last-modified")
            feed["body_hash"] = _hash(answer.body)
        feed["errors"], feed["last_error"], feed["retry_after"] = 0, None, None
        if new:
            feed["last_new"] = iso(now)
        times = [calendar.timegm(t) for e in parsed["entries"]
                 for t in [e.get("published_parsed") or e.get("updated_parsed")] if t]
        rate = rate_interval(times, now, self.options.floor_s, self.options.ceiling_s)
        hint = server_hint(answer.headers, (parsed.get("feed") or {}).get("ttl"), now)
        feed["interval_s"] = int(next_interval(rate, hint, self.options.ceiling_s))
        return PollResult(feed["url"], str(answer.status), new, failed, now + feed["interval_s"],
                          interrupted=interrupted)

    def _failed(self, feed: dict, answer: Answer, now: float) -> PollResult:
        status = answer.error or f"HTTP {answer.status}"
        feed["last_error"] = status
        wait = retry_after(answer.headers.get("retry-after"), now) if answer.status in (429, 503) else None
        if answer.status == 429:  # asked to slow down: not the feed's failure
            wait = wait if wait is not None else backoff(1, self.options.floor_s, self.options.ceiling_s)
        else:
            feed["errors"] = (feed["errors"] or 0) + 1
            wait = max(wait or 0.0, backoff(feed["errors"], self.options.floor_s, self.options.ceiling_s))
            if answer.status == 410:
                feed["disabled"] = "410 Gone: the feed was removed"
            elif feed["errors"] >= self.options.max_errors:
                feed["disabled"] = f"{feed['errors']} consecutive failures (last: {status})"
        feed["retry_after"] = iso(now + wait) if answer.status in (429, 503) else None
        if answer.status is None:
            shown = f"error: {status}"
        else:
            shown = status if status.startswith("HTTP") else f"HTTP {answer.status}: {status}"
        return PollResult(feed["url"], shown, next_check=now + wait, disabled=feed["disabled"])

    def _entries(self, feed: dict, parsed) -> tuple[int, int, bool]:
        """Store the entries not seen before, oldest first: (stored, failed, stopped before the end)."""
        with self.lock:
            seen = {r["entry"]: r for r in self.store.feed_entries(feed["added_url"])}
        title = (parsed.get("feed") or {}).get("title")
        new = failed = 0
        entries = list(enumerate(parsed["entries"], 1))
        for n, entry in reversed(entries):  # feeds list the newest first
            key = entry_key(entry)
            prev = seen.get(key)
            if prev and (prev["outcome"] in ("stored", "known") or (prev["attempts"] or 0) >= ENTRY_ATTEMPTS):
                continue
            if self.stop.is_set():
                return new, failed, True
            fetcher = (lambda: self.client) if self.options.follow_links else None
            doc_id, item = entry_document(entry, n, feed["url"], fetcher, feed_title=title)
            with self.lock:
                stats = ingest(self.store, [(doc_id, item)], merge=False, nlp=self.nlp)
                if stats.failed:
                    failed += 1
                    outcome = "failed: " + stats.errors[0][:300]
                    log.info("%s", stats.errors[0])
                else:
                    new += stats.changed
                    outcome = "stored" if stats.changed else "known"
                attempts = (prev["attempts"] or 0) + 1 if prev else 1
                self.store.save_entry({"feed": feed["added_url"], "entry": key, "guid": entry.get("id"),
                                       "link": entry.get("link"), "doc_id": doc_id, "outcome": outcome,
                                       "attempts": attempts, "seen_at": now_iso()})
            feed["entries"] = (feed["entries"] or 0) + (outcome == "stored")
        return new, failed, False


def _hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()
