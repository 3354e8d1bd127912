"""Fetching web pages: one URL in, one `Fetched` page (or an `InputError` naming the URL) out.

`sitroom.inputs` decides what to fetch (URLs, feed entries); this module only fetches.
Fetching is careful because the URLs come from feeds and archives nobody vetted:
httpx with connect/read timeouts and an overall deadline per URL, a size cap enforced while
streaming, a bounded number of redirects (each hop re-checked), a clear User-Agent, and
no connections to private, loopback, link-local or otherwise non-public addresses
unless `allow_private` is set.  The address check is made on the resolved IP and the
request is then sent *to that IP* (Host header and TLS SNI keep the name), so a DNS
answer cannot change between the check and the connection.

The overall deadline holds whatever the server does: a `Deadline` watchdog thread shuts the
connection's socket down when the time is up, which wakes a read blocked on headers or body
that arrive a byte at a time (read timeouts only bound the wait for *each* byte).  It finds
the socket through httpcore's `trace` extension when the connection is made, so connections
are not kept alive between requests (every request makes its own, and its own deadline
closes only it).  The DNS lookup before the connection is not under the deadline.
"""
from __future__ import annotations

import ipaddress
import logging
import math
import re
import socket
import threading
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

from .version import __version__
from .errors import ConfigError, InputError, UnsupportedInput
from .sources import MAX_BYTES, RawDocument, check_bytes, decode

log = logging.getLogger(__name__)

USER_AGENT = f"sitroom/{__version__} (conflict-event extraction from news; python-httpx)"
TIMEOUT_S = 20.0  # connect and read timeouts: a live news site answers within seconds
TOTAL_TIMEOUT_S = 60.0  # a server dripping bytes cannot hold one input longer than this
MAX_REDIRECTS = 5  # news sites use 1-2 (http->https, canonical host); more is a loop or a trap
ACCEPT = ("text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
          "application/xml;q=0.9,text/xml;q=0.9,text/plain;q=0.8")
# content types worth reading; anything else (images, PDFs, archives) is refused before download
TEXT_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/rss+xml", "application/atom+xml",
              "application/rdf+xml", "application/xml", "text/xml")
CHUNK = 65536
URL_SCHEMES = ("http://", "https://")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)


@dataclass(frozen=True)
class FetchPolicy:
    """Limits for fetching URLs (and the pages that feeds link to)."""

    allow_private: bool = False
    timeout: float = TIMEOUT_S
    total_timeout: float = TOTAL_TIMEOUT_S
    max_bytes: int = MAX_BYTES
    max_redirects: int = MAX_REDIRECTS
    user_agent: str = USER_AGENT
    follow_feed_links: bool = True  # fetch each feed entry's page (else use the feed's own text)

    def __post_init__(self):
        """Limits that limit nothing (a negative or NaN timeout, a zero size) are a configuration error."""
        for name in ("timeout", "total_timeout"):
            value = getattr(self, name)
            if not (isinstance(value, (int, float)) and math.isfinite(value) and value > 0):
                raise ConfigError(f"the fetch {name.replace('_', ' ')}{' (--timeout)' if name == 'timeout' else ''} "
                                  f"must be a positive number of seconds, got {value!r}")
        if self.max_bytes <= 0:
            raise ConfigError(f"the largest page (--max-bytes) must be a positive number of bytes, got {self.max_bytes}")
        if self.max_redirects < 0:
            raise ConfigError(f"the number of redirects (--max-redirects) cannot be negative, got {self.max_redirects}")


@dataclass(frozen=True)
class Fetched:
    url: str  # as asked for
    final_url: str  # after redirects
    status: int
    content_type: str  # media type, lower case, no parameters
    charset: str | None
    body: bytes


def is_url(spec: str) -> bool:
    return spec.lower().startswith(URL_SCHEMES)


def normalize_url(url: str) -> str:
    """The URL as an id: no fragment, lower-case scheme and host."""
    parts = urlsplit(url.strip())
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, ""))


def is_public_address(ip: str) -> bool:
    addr = ipaddress.ip_address(ip.split("%", 1)[0])
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped:
        addr = addr.ipv4_mapped
    return addr.is_global and not (addr.is_multicast or addr.is_reserved or addr.is_unspecified)


def resolve(host: str, port: int, source: str, allow_private: bool) -> str:
    """One IP address to connect to; refuses hosts that resolve to a non-public address."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as err:
        raise InputError(source, f"cannot resolve host {host!r} ({err.strerror})") from None
    ips = list(dict.fromkeys(info[4][0] for info in infos))
    if not ips:
        raise InputError(source, f"cannot resolve host {host!r}")
    if not allow_private:
        blocked = [ip for ip in ips if not is_public_address(ip)]
        if blocked:
            raise InputError(source, f"refused: {host} resolves to a private, loopback or link-local address "
                                     f"({blocked[0]}); pass --allow-private to fetch it")
    return ips[0]


class Deadline:
    """A fetch's total-time budget: at `seconds` from now, every connection it made is shut down.

    Pass `trace` as the request's httpcore `trace` extension; `expired` says whether the
    watchdog fired (the error the read then raises is a timeout, not a network failure).
    """

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.at = time.monotonic() + seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True
        self._timer.start()

    def left(self) -> float:
        return self.at - time.monotonic()

    def trace(self, event: str, info: dict) -> None:
        if event != "connection.connect_tcp.complete":
            return
        sock = info["return_value"].get_extra_info("socket")
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shut(sock)

    def _fire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)

    def cancel(self) -> None:
        self._timer.cancel()

    def __enter__(self) -> Deadline:
        return self

    def __exit__(self, *exc) -> None:
        self.cancel()


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:  # closed already: nothing left to wake
        pass


class Fetcher:
    """GET pages under a `FetchPolicy`; every failure is an `InputError` naming the URL."""

    def __init__(self, policy: FetchPolicy | None = None):
        import httpx
        self.policy = policy or FetchPolicy()
        self._httpx = httpx
        self.client = httpx.Client(
            timeout=httpx.Timeout(self.policy.timeout), follow_redirects=False, trust_env=False,
            limits=httpx.Limits(max_keepalive_connections=0),  # a Deadline sees each connection made
            headers={"User-Agent": self.policy.user_agent, "Accept": ACCEPT,
                     "Accept-Encoding": "gzip, deflate"})

    def close(self) -> None:
        self.client.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def deadline(self) -> Deadline:
        """The total-time budget of one URL (its redirects included): use it as a context manager."""
        return Deadline(self.policy.total_timeout)

    def fetch(self, url: str) -> Fetched:
        current = url
        with self.deadline() as deadline:
            for _ in range(self.policy.max_redirects + 1):
                response = self.send(current, url, deadline=deadline)
                try:
                    if response.is_redirect:
                        location = response.headers.get("location")
                        if not location:
                            raise InputError(url, f"HTTP {response.status_code} redirect without a Location")
                        current = urljoin(current, location)
                        log.debug("%s: redirected to %s", url, current)
                        continue
                    page = self._read(url, current, response, deadline)
                    log.info("fetched %s (%d bytes, %s)", current, len(page.body), page.content_type)
                    return page
                finally:
                    response.close()
        raise InputError(url, f"more than {self.policy.max_redirects} redirects")

    def _late(self, url: str) -> InputError:
        return InputError(url, f"timed out: not complete after {self.policy.total_timeout:g} s")

    def send(self, current: str, url: str, headers: dict[str, str] | None = None, *, deadline: Deadline):
        """One GET of `current` (no redirects followed), to the address checked, under `deadline`
        (a streamed response; close it); errors name `url`, the URL asked for."""
        httpx = self._httpx
        if deadline.left() <= 0:
            raise self._late(url)
        try:
            target = httpx.URL(current)
        except (httpx.InvalidURL, ValueError) as err:
            raise InputError(url, f"invalid URL ({err})") from None
        if target.scheme not in ("http", "https") or not target.host:
            raise InputError(url, f"only http and https URLs can be fetched, not {current!r}")
        port = target.port or (443 if target.scheme == "https" else 80)
        ip = resolve(target.host, port, url, self.policy.allow_private)
        host_header = target.host if target.port is None else f"{target.host}:{target.port}"
        if ":" in target.host and target.port is None:
            host_header = f"[{target.host}]"
        request = self.client.build_request(
            "GET", target.copy_with(host=ip), headers={"Host": host_header, **(headers or {})},
            timeout=httpx.Timeout(min(self.policy.timeout, deadline.left())),
            extensions={"trace": deadline.trace, **({"sni_hostname": target.host} if target.scheme == "https" else {})})
        try:
            return self.client.send(request, stream=True)
        except httpx.HTTPError as err:
            raise self._failed(url, err, deadline) from None

    def _failed(self, url: str, err: Exception, deadline: Deadline) -> InputError:
        if deadline.expired:  # the watchdog shut the connection: whatever broke, it was the time
            return self._late(url)
        if isinstance(err, self._httpx.TimeoutException):
            return InputError(url, f"timed out after {self.policy.timeout:g} s")
        return InputError(url, f"fetch failed: {type(err).__name__}: {err}")

    def _read(self, url: str, final: str, response, deadline: Deadline) -> Fetched:
        httpx = self._httpx
        if response.status_code >= 400:
            raise InputError(url, f"HTTP {response.status_code} {response.reason_phrase}".rstrip())
        header = response.headers.get("content-type", "")
        media = header.split(";", 1)[0].strip().lower()
        if media and media not in TEXT_TYPES and not media.startswith("text/"):
            raise UnsupportedInput(url, f"content type {media!r} is not HTML or text")
        cap = self.policy.max_bytes
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > cap:
            raise InputError(url, f"{int(declared) / 1e6:.1f} MB, over the {cap / 1e6:g} MB limit")
        body = bytearray()
        try:
            for chunk in response.iter_raw(CHUNK):
                body += chunk
                if len(body) > cap:
                    raise InputError(url, f"over the {cap / 1e6:g} MB limit (stopped reading)")
                if deadline.left() < 0:
                    raise self._late(url)
        except httpx.HTTPError as err:
            raise self._failed(url, err, deadline) from None
        if response.headers.get("content-encoding", "identity").lower() not in ("identity", ""):
            body = bytearray(_decompress(url, bytes(body), response.headers["content-encoding"], cap))
        return Fetched(url=url, final_url=final, status=response.status_code, content_type=media,
                       charset=charset_of(header), body=bytes(body))


def _decompress(url: str, data: bytes, encoding: str, cap: int) -> bytes:
    """gzip/deflate bodies, capped after decompression too (no zip bombs)."""
    import zlib
    enc = encoding.lower().strip()
    wbits = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}.get(enc)
    if wbits is None:
        raise InputError(url, f"unsupported content encoding {encoding!r}")
    try:
        d = zlib.decompressobj(wbits)
        out = d.decompress(data, cap + 1)
    except zlib.error as err:
        raise InputError(url, f"corrupt {enc} body ({err})") from None
    if len(out) > cap:
        raise InputError(url, f"over the {cap / 1e6:g} MB limit once decompressed")
    return out


def charset_of(content_type: str) -> str | None:
    """The charset a Content-Type header declares, if any."""
    found = _CHARSET.search(content_type)
    return found.group(1) if found else None


def decode_body(data: bytes, charset: str | None, source: str) -> str:
    if charset:
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(data, source)


def page_document(fetched: Fetched, doc_id: str, published: str | None = None, **meta) -> RawDocument:
    """A fetched page as a RawDocument (raises InputError for empty or binary bodies)."""
    check_bytes(fetched.body, fetched.url)
    text = decode_body(fetched.body, fetched.charset, fetched.url)
    fmt = "text" if fetched.content_type == "text/plain" else "html"
    return RawDocument(id=doc_id, source=fetched.url, format=fmt, content=text, url=fetched.final_url,
                       published=published, **meta)


__all__ = ["Deadline", "FetchPolicy", "Fetcher", "Fetched", "is_public_address", "is_url", "normalize_url", "page_document"]
