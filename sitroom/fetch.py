"""Fetching web pages: one URL in, one `Fetched` page (or an `InputError` naming the URL) out.

`sitroom.inputs` decides what to fetch (URLs, feed entries); this module only fetches.
Fetching is careful because the URLs come from feeds and archives nobody vetted:
httpx with connect/read timeouts and an overall deadline, a size cap enforced while
streaming, a bounded number of redirects (each hop re-checked), a clear User-Agent, and
no connections to private, loopback, link-local or otherwise non-public addresses
unless `allow_private` is set.  The address check is made on the resolved IP and the
request is then sent *to that IP* (Host header and TLS SNI keep the name), so a DNS
answer cannot change between the check and the connection.
"""
from __future__ import annotations

import ipaddress
import logging
import math
import re
import socket
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


class Fetcher:
    """GET pages under a `FetchPolicy`; every failure is an `InputError` naming the URL."""

    def __init__(self, policy: FetchPolicy | None = None):
        import httpx
        self.policy = policy or FetchPolicy()
        self._httpx = httpx
        self.client = httpx.Client(
            timeout=httpx.Timeout(self.policy.timeout), follow_redirects=False, trust_env=False,
            headers={"User-Agent": self.policy.user_agent, "Accept": ACCEPT,
                     "Accept-Encoding": "gzip, deflate"})

    def close(self) -> None:
        self.client.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def fetch(self, url: str) -> Fetched:
        deadline = time.monotonic() + self.policy.total_timeout
        current = url
        for _ in range(self.policy.max_redirects + 1):
            response = self.send(current, url)
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

    def send(self, current: str, url: str, headers: dict[str, str] | None = None):
        """One GET of `current` (no redirects followed), to the address checked (a streamed response;
        close it); errors name `url`, the URL asked for."""
        httpx = self._httpx
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
            extensions={"sni_hostname": target.host} if target.scheme == "https" else {})
        try:
            return self.client.send(request, stream=True)
        except httpx.TimeoutException:
            raise InputError(url, f"timed out after {self.policy.timeout:g} s") from None
        except httpx.HTTPError as err:
            raise InputError(url, f"fetch failed: {type(err).__name__}: {err}") from None

    def _read(self, url: str, final: str, response, deadline: float) -> Fetched:
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
                if time.monotonic() > deadline:
                    raise InputError(url, f"timed out: not complete after {self.policy.total_timeout:g} s")
        except httpx.TimeoutException:
            raise InputError(url, f"timed out after {self.policy.timeout:g} s") from None
        except httpx.HTTPError as err:
            raise InputError(url, f"fetch failed: {type(err).__name__}: {err}") from None
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


__all__ = ["FetchPolicy", "Fetcher", "Fetched", "is_public_address", "is_url", "normalize_url", "page_document"]
