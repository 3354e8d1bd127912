"""How `sitroom watch` asks servers: politely, and under `ingest`'s URL safety rules.

One `PoliteClient` per watcher: every request, to a feed, an article or a robots.txt, goes
through `fetch.Fetcher`'s client with its policy (no private or loopback targets unless
allowed, each redirect hop re-checked, size caps, timeouts); requests to one host are one at
a time and at least `spacing` seconds apart (the watcher is one thread, and the gate waits on
the injected clock; the hops of one redirect chain count as one request). Feeds are asked with If-None-Match / If-Modified-Since and their
redirects are followed hop by hop, so a permanent one (301, 308) can move the feed. Article
pages are fetched only where the site's robots.txt allows (RFC 9309: a missing robots.txt
allows everything, an unreachable one nothing, for now).
"""
from __future__ import annotations

import logging
import time
import urllib.robotparser
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import urljoin, urlsplit

from ..errors import InputError
from ..fetch import Fetched, Fetcher, FetchPolicy

log = logging.getLogger(__name__)

ROBOTS_TTL_S = 24 * 3600  # robots.txt is read again daily
ROBOTS_RETRY_S = 3600  # an unreachable robots.txt is asked again after an hour
ROBOTS_AGENT = "sitroom"
PERMANENT = (301, 308)


@dataclass
class Answer:
    """What a server said to one GET (after redirects): status, headers, the body of a 2xx."""

    url: str
    status: int | None  # None: no answer (refused, unreachable, timed out, too big)
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    moved_to: str | None = None  # where every redirect hop was permanent
    error: str | None = None


class PoliteClient:
    """GET feeds, pages and robots.txt files, one host at a time and `spacing` seconds apart."""

    def __init__(self, policy: FetchPolicy, *, clock: Callable[[], float] = time.time,
                 wait: Callable[[float], None] = time.sleep, spacing: float = 1.0):
        self.fetcher = Fetcher(policy)
        self.policy = policy
        self.clock = clock
        self.wait = wait
        self.spacing = spacing
        self.requests: dict[str, int] = {}  # host -> requests made
        self._last: dict[str, float] = {}  # host -> when its last request ended
        self._robots: dict[str, tuple[urllib.robotparser.RobotFileParser | None, float]] = {}

    def close(self) -> None:
        self.fetcher.close()

    def _turn(self, url: str) -> str:
        host = urlsplit(url).netloc.lower()
        due = self._last.get(host, float("-inf")) + self.spacing - self.clock()
        if due > 0:
            self.wait(due)
        self.requests[host] = self.requests.get(host, 0) + 1
        return host

    def _done(self, host: str) -> None:
        self._last[host] = self.clock()

    def get(self, url: str, headers: dict[str, str] | None = None) -> Answer:
        """One GET with extra headers; redirects followed hop by hop (each re-checked); never raises."""
        host = self._turn(url)
        try:
            return self._get(url, headers or {})
        except InputError as err:
            return Answer(url=url, status=None, error=err.problem)
        finally:
            self._done(host)

    def _get(self, url: str, headers: dict[str, str]) -> Answer:
        with self.fetcher.deadline() as deadline:  # the whole chain of hops, as Fetcher.fetch
            return self._follow(url, headers, deadline)

    def _follow(self, url: str, headers: dict[str, str], deadline) -> Answer:
        current, permanent = url, True
        for _ in range(self.policy.max_redirects + 1):
            response = self.fetcher.send(current, url, headers, deadline=deadline)
            try:
                answer_headers = {k.lower(): v for k, v in response.headers.items()}
                if response.is_redirect and response.headers.get("location"):
                    permanent = permanent and response.status_code in PERMANENT
                    current = urljoin(current, response.headers["location"])
                    continue
                moved = current if permanent and current != url else None
                if not 200 <= response.status_code < 300:
                    return Answer(url=current, status=response.status_code, headers=answer_headers, moved_to=moved,
                                  error=f"HTTP {response.status_code} {response.reason_phrase}".rstrip())
                page: Fetched = self.fetcher._read(url, current, response, deadline)
                return Answer(url=current, status=response.status_code, headers=answer_headers, body=page.body,
                              moved_to=moved)
            finally:
                response.close()
        raise InputError(url, f"more than {self.policy.max_redirects} redirects")

    # --- article pages ---------------------------------------------------------------------------
    def fetch(self, url: str) -> Fetched:
        """An article page, where robots.txt allows (else an InputError saying so)."""
        if not self.allowed(url):
            raise InputError(url, "robots.txt of the site disallows fetching it")
        host = self._turn(url)
        try:
            return self.fetcher.fetch(url)
        finally:
            self._done(host)

    def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc.lower()}"
        rules, expires = self._robots.get(key, (None, float("-inf")))
        if self.clock() >= expires:
            rules, ttl = self._read_robots(key + "/robots.txt")
            self._robots[key] = (rules, self.clock() + ttl)
        return rules is not None and rules.can_fetch(ROBOTS_AGENT, url)

    def _read_robots(self, url: str) -> tuple[urllib.robotparser.RobotFileParser | None, float]:
        answer = self.get(url)
        rules = urllib.robotparser.RobotFileParser(url)
        if answer.status is not None and 200 <= answer.status < 300:
            rules.parse((answer.body or b"").decode("utf-8", "replace").splitlines())
        elif answer.status is not None and 400 <= answer.status < 500:
            rules.parse([])  # no robots.txt: everything is allowed
        else:
            log.info("%s: unreachable (%s): not fetching that site's pages for now", url, answer.error)
            return None, ROBOTS_RETRY_S
        return rules, ROBOTS_TTL_S
