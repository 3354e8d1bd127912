"""`sitroom watch`: follow feeds all day, politely, and keep the events current within minutes.

    from sitroom.watch import Watcher, WatchOptions, read_feed_list
    with open_store("desk.duckdb") as store:
        Watcher(store, read_feed_list("feeds.opml"), policy).run()      # until stop is set

Split by question: `feedlist` (which feeds: OPML or one URL a line), `schedule` (when to ask
again: the feed's own rate, TTL and cache headers, Retry-After, backoff; pure functions of
times), `client` (how to ask: conditional GET, one request per host at a time and a second
apart, robots.txt for article pages, the `ingest` URL safety rules), `watcher` (the loop:
poll, store new entries one article a transaction, merge each into its events at once, keep
each feed's state in the database).
"""
from __future__ import annotations

from .feedlist import read_feed_list
from .watcher import PollResult, Watcher, WatchOptions

__all__ = ["PollResult", "WatchOptions", "Watcher", "read_feed_list"]
