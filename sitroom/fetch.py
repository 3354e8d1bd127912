"""Inputs beyond single files: directories, URLs, RSS/Atom feeds and WARC archives.

`iter_inputs` turns what a user names on the command line into the same
`(id, RawDocument | InputError)` stream that `sitroom.sources.iter_documents` yields, so
the pipeline and the store treat every input alike, and one bad input is one error line.

Fetching is careful because the URLs come from feeds and archives nobody vetted:
httpx with connect/read timeouts and an overall deadline, a size cap enforced while
streaming, a bounded number of redirects (each hop re-checked), a clear User-Agent, and
no connections to private, loopback, link-local or otherwise non-public addresses
unless `allow_private` is set.  The address check is made on the resolved IP and the
request is then sent *to that IP* (Host header and TLS SNI keep the name), so a DNS
answer cannot change between the check and the connection.
"""
from __future__ import annotations

import dataclasses
import hashlib
import ipaddress
import logging
import re
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator
from urllib.parse import urljoin, urlsplit, urlunsplit

from . import __version__
from .errors import InputError, UnsupportedInput
from .sources import MAX_BYTES, InputFormat, RawDocument, check_bytes, decode, iter_documents

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

# directory walks pick these up (WARC archives too); other files are skipped silently
DIR_SUFFIXES = (".html", ".htm", ".txt", ".jsonl", ".warc", ".warc.gz")
WARC_SUFFIXES = (".warc", ".warc.gz")
FEED_SUFFIXES = (".rss", ".atom", ".xml")
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
        httpx = self._httpx
        deadline = time.monotonic() + self.policy.total_timeout
        current = url
        for _ in range(self.policy.max_redirects + 1):
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
                "GET", target.copy_with(host=ip), headers={"Host": host_header},
                extensions={"sni_hostname": target.host} if target.scheme == "https" else {})
            try:
                response = self.client.send(request, stream=True)
            except httpx.TimeoutException:
                raise InputError(url, f"timed out after {self.policy.timeout:g} s") from None
            except httpx.HTTPError as err:
                raise InputError(url, f"fetch failed: {type(err).__name__}: {err}") from None
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
        charset = _CHARSET.search(header)
        return Fetched(url=url, final_url=final, status=response.status_code, content_type=media,
                       charset=charset.group(1) if charset else None, body=bytes(body))


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


# --- the input dispatcher --------------------------------------------------------------------------
def iter_directory(path: str) -> Iterator[str]:
    """Files under a directory worth reading, recursively, in a stable order (hidden ones skipped)."""
    root = Path(path)
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).parts
        if any(part.startswith(".") for part in rel) or not p.is_file():
            continue
        if p.name.lower().endswith(DIR_SUFFIXES):
            yield str(p)


def iter_inputs(specs: list[str], input_format: InputFormat | None = None, published: str | None = None,
                policy: FetchPolicy | None = None) -> Iterator[tuple[str, RawDocument | InputError]]:
    """(id, document or error) for files, directories, JSONL, URLs, feeds and WARC archives."""
    policy = policy or FetchPolicy()
    fetcher: Fetcher | None = None

    def get_fetcher() -> Fetcher:
        nonlocal fetcher
        if fetcher is None:
            fetcher = Fetcher(policy)
        return fetcher

    try:
        for spec in specs or ["-"]:
            if is_url(spec):
                yield from url_documents(spec, get_fetcher, published, policy)
            elif spec != "-" and Path(spec).is_dir():
                files = list(iter_directory(spec))
                if not files:
                    yield spec, InputError(spec, f"no {', '.join(DIR_SUFFIXES)} files in this directory")
                for f in files:
                    yield from file_documents(f, input_format, published, get_fetcher, policy)
            else:
                yield from file_documents(spec, input_format, published, get_fetcher, policy)
    finally:
        if fetcher is not None:
            fetcher.close()


def url_documents(url: str, get_fetcher, published: str | None,
                  policy: FetchPolicy) -> Iterator[tuple[str, RawDocument | InputError]]:
    from . import feeds
    doc_id = normalize_url(url)
    try:
        page = get_fetcher().fetch(url)
        if feeds.looks_like_feed(page.body, page.content_type):
            yield from feeds.feed_documents(page.body, url, get_fetcher if policy.follow_feed_links else None,
                                            published)
            return
        yield doc_id, page_document(page, doc_id, published)
    except InputError as err:
        yield doc_id, err


def file_documents(path: str, input_format: InputFormat | None, published: str | None, get_fetcher,
                   policy: FetchPolicy) -> Iterator[tuple[str, RawDocument | InputError]]:
    from . import feeds
    low = path.lower()
    if input_format is None and low.endswith(WARC_SUFFIXES):
        yield from warc_documents(path, published, policy.max_bytes)
        return
    if input_format is None and low.endswith(FEED_SUFFIXES):
        try:
            data = Path(path).read_bytes()
        except OSError as err:
            yield path, InputError(path, err.strerror or str(err))
            return
        if feeds.looks_like_feed(data, None):
            yield from feeds.feed_documents(data, path, get_fetcher if policy.follow_feed_links else None, published)
            return
    for doc_id, item in iter_documents([path], input_format, published):
        if isinstance(item, RawDocument) and item.id == path:
            # a file's id is its absolute path, so the same file ingested from elsewhere is the same article
            new_id = ("stdin:" + hashlib.sha256(item.content.encode()).hexdigest()[:16]) if path == "-" \
                else str(Path(path).resolve())
            item = dataclasses.replace(item, id=new_id)
            doc_id = new_id
        yield doc_id, item


def warc_documents(path: str, published: str | None = None,
                   max_bytes: int = MAX_BYTES) -> Iterator[tuple[str, RawDocument | InputError]]:
    """HTML and text responses of a WARC archive, one document per response record (id: its URI)."""
    try:
        from warcio.archiveiterator import ArchiveIterator
        from warcio.exceptions import ArchiveLoadFailed
    except ImportError:  # pragma: no cover - a declared dependency
        yield path, InputError(path, "reading WARC archives needs warcio")
        return
    try:
        stream = open(path, "rb")
    except FileNotFoundError:
        yield path, InputError(path, "no such file")
        return
    except OSError as err:
        yield path, InputError(path, err.strerror or str(err))
        return
    found = 0
    with stream:
        try:
            for n, record in enumerate(ArchiveIterator(stream), 1):
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                uri = record.rec_headers.get_header("WARC-Target-URI") or f"{path}#{n}"
                source = f"{path}: {uri}"
                status = record.http_headers.get_statuscode()
                header = record.http_headers.get_header("Content-Type") or ""
                media = header.split(";", 1)[0].strip().lower()
                if not status or not status.startswith("2") or (media and media not in TEXT_TYPES):
                    continue
                found += 1
                body = record.content_stream().read(max_bytes + 1)
                try:
                    if len(body) > max_bytes:
                        raise InputError(source, f"over the {max_bytes / 1e6:g} MB limit for one page")
                    check_bytes(body, source)
                    charset = _CHARSET.search(header)
                    text = decode_body(body, charset.group(1) if charset else None, source)
                except InputError as err:
                    yield uri, err
                    continue
                fmt = "text" if media == "text/plain" else "html"
                doc_id = normalize_url(uri) if is_url(uri) else uri
                yield doc_id, RawDocument(id=doc_id, source=source, format=fmt, content=text,
                                          url=uri if is_url(uri) else None, published=published)
        except ArchiveLoadFailed as err:
            yield path, UnsupportedInput(path, f"not a readable WARC archive ({str(err).strip()[:200]})")
            return
    if not found:
        yield path, InputError(path, "no HTML or text response records in this WARC archive")


__all__ = ["FetchPolicy", "Fetcher", "Fetched", "iter_inputs", "iter_directory", "warc_documents",
           "is_public_address", "normalize_url"]
