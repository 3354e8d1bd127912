"""`sitroom watch` (follow feeds and keep the events current) and `sitroom feeds` (what it knows of them)."""
from __future__ import annotations

import json
import shutil
import signal
import sys
import threading

import click

from .common import say
from .store_commands import db_option


def watch_policy(allow_private: bool, no_follow: bool):
    from ..fetch import FetchPolicy
    return FetchPolicy(allow_private=allow_private, follow_feed_links=not no_follow)


def feed_urls(urls: tuple[str, ...], feeds_file: str | None) -> list[str]:
    from ..fetch import is_url
    from ..watch import read_feed_list
    bad = [u for u in urls if not is_url(u)]
    if bad:
        raise click.BadParameter(f"{bad[0]!r} is not an http(s) URL (a file of feeds goes after --feeds)",
                                 param_hint="FEED_URL")
    return [*urls, *(read_feed_list(feeds_file) if feeds_file else [])]


def watch_options(min_interval: float, max_errors: int, retry_disabled: bool = False):
    from ..watch import WatchOptions
    return WatchOptions(floor_s=min_interval * 60, max_errors=max_errors, retry_disabled=retry_disabled)


min_interval_option = click.option(
    "--min-interval", type=click.FloatRange(min=0.0, min_open=True), default=15.0, show_default=True,
    metavar="MINUTES", help="Never poll one feed more often than this (lower it only for your own servers).")
max_errors_option = click.option("--max-errors", type=click.IntRange(min=1), default=8, show_default=True,
                                  help="Disable a feed after this many consecutive failures.")
allow_private_option = click.option(
    "--allow-private", is_flag=True,
    help="Allow fetching from private, loopback and link-local addresses (refused by default).")


@click.command()
@click.argument("urls", nargs=-1, metavar="[FEED_URL ...]")
@click.option("--feeds", "feeds_file", type=click.Path(dir_okay=False), default=None, metavar="FILE",
              help="OPML file (a feed reader's export) or one feed URL a line.")
@db_option
@click.option("--once", is_flag=True, help="Poll every feed once, now, and exit (cron keeps the schedule; a feed "
                                         "whose server asked to wait, by Retry-After, is left until then).")
@allow_private_option
@min_interval_option
@max_errors_option
@click.option("--no-follow", is_flag=True, help="Use feed entries' own text instead of fetching their links.")
@click.option("--retry-disabled", is_flag=True, help="Give the disabled feeds among those watched a fresh start.")
def watch(urls, feeds_file, db, once, allow_private, min_interval, max_errors, no_follow, retry_disabled):
    """Follow RSS/Atom feeds and keep the event database current, politely.

    Each feed is asked with its ETag/Last-Modified, as often as it publishes (between
    --min-interval and a day, longer when its TTL, Cache-Control, Expires or Retry-After
    say so), one request per host at a time and a second apart; failures back off, and a
    feed is disabled after --max-errors failures in a row or a 410. New entries' pages are
    fetched where robots.txt allows, stored one article a transaction and merged into
    their events at once, so `sitroom serve` shows them within the poll. Feeds and their
    state live in the database: without FEED_URL or --feeds, the feeds it already follows
    are watched. Ctrl-C (or SIGTERM) finishes the article in hand and exits.

    \b
    Examples:
        sitroom watch --feeds desk.opml --db desk.duckdb
        sitroom watch https://example.org/world/rss.xml --once      # from cron
        sitroom feeds --db desk.duckdb
    """
    from ..store import open_store
    from ..watch import Watcher

    urls = feed_urls(urls, feeds_file)
    status = StatusLine()
    store = open_store(db)
    stop = threading.Event()
    watcher = None

    def on_signal(signum, frame):
        if not stop.is_set():
            say("stopping after the article in hand (again to force)")
            stop.set()
        else:
            raise KeyboardInterrupt

    handlers = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        options = watch_options(min_interval, max_errors, retry_disabled)
        watcher = Watcher(store, urls, watch_policy(allow_private, no_follow), options, stop=stop,
                          report=status.report, progress=status.progress if sys.stderr.isatty() else None)
        if once:
            watcher.run_once()
        else:
            say(f"watching {len(watcher.feeds)} feeds into {store.location}; Ctrl-C stops")
            watcher.run()
    finally:
        for s, handler in handlers.items():
            signal.signal(s, handler)
        if watcher is not None:
            watcher.close()
        store.close()


class StatusLine:
    """Log lines on stderr, and on a terminal one status line kept below them, rewritten in place."""

    def __init__(self):
        self.shown = False

    def progress(self, text: str) -> None:
        sys.stderr.write(f"\r\x1b[K{text[:shutil.get_terminal_size().columns - 1]}")
        sys.stderr.flush()
        self.shown = True

    def report(self, message: str) -> None:
        if self.shown:
            sys.stderr.write("\r\x1b[K")
            self.shown = False
        say(message)


FEED_COLUMNS = ("url", "state", "last_checked", "last_status", "errors", "next_check", "entries", "requests",
                "not_modified")


def feed_rows(store) -> list[dict]:
    rows = []
    for f in store.feeds():
        state = f"disabled: {f['disabled']}" if f["disabled"] else ("failing: " + f["last_error"]) if f["errors"] \
            else "ok"
        rows.append({**f, "state": state})
    return rows


@click.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def feeds(db, fmt):
    """The feeds `sitroom watch` follows: URL, state (ok, failing, disabled), last and next check, counts."""
    from ..store import open_store
    store = open_store(db, read_only=True)
    try:
        rows = feed_rows(store)
    finally:
        store.close()
    if fmt == "json":
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2, default=str) + "\n")
        return
    if not rows:
        say("no feeds yet; add some with `sitroom watch FEED_URL ...`")
        return
    shown = [[str(r[c] if r[c] is not None else "-") for c in FEED_COLUMNS] for r in rows]
    widths = [min(60, max(len(c), *(len(row[i]) for row in shown))) for i, c in enumerate(FEED_COLUMNS)]
    for line in [list(FEED_COLUMNS), *shown]:
        click.echo("  ".join(cell[:w].ljust(w) for cell, w in zip(line, widths)).rstrip())


@click.command()
@db_option
def remerge(db):
    """Recompute every merged event from all reports: the canonical merge.

    `sitroom watch` merges each article into its events as it arrives; a report that came
    early does not get the second chance the full merge gives every report, so the two can
    differ slightly. This makes the database what `sitroom ingest` of the same articles
    would have made.
    """
    from ..store import open_store
    store = open_store(db, create=False)
    try:
        say(f"{store.remerge()} merged events")
    finally:
        store.close()
