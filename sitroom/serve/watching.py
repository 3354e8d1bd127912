"""`sitroom serve --watch FILE`: the watcher in the server's process, writing through its backend.

DuckDB allows one writing process, so serving and watching one file means one process: the
watcher runs on a thread of its own and writes through the backend's writer under its write
lock (API ingests wait for the article in hand, readers never wait), and the dashboard's live
mode (`updated_since`) shows each merged event within the poll that brought it. PostgreSQL
needs none of this: `sitroom watch` may run in its own process next to `sitroom serve`.
"""
from __future__ import annotations

import logging
import threading
from typing import Callable

from ..errors import SitroomError
from ..fetch import FetchPolicy
from ..watch import Watcher, WatchOptions

log = logging.getLogger(__name__)


def watch_in_background(backend, urls: list[str], policy: FetchPolicy, options: WatchOptions,
                        report: Callable[[str], None] = log.info, **watcher_args) -> tuple[threading.Thread, threading.Event]:
    """Start the watcher on a daemon thread; set the returned event to stop it after the article in hand."""
    stop = threading.Event()

    def run() -> None:
        try:
            with backend.writer() as store:
                watcher = Watcher(store, urls, policy, options, stop=stop, report=report,
                                  lock=backend.write_lock, **watcher_args)
                try:
                    watcher.run()
                finally:
                    watcher.close()
        except SitroomError as err:
            report(f"error: the watcher stopped: {err}")

    thread = threading.Thread(target=run, daemon=True, name="sitroom-watch")
    thread.start()
    return thread, stop
