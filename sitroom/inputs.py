"""What a user names on the command line -- files, directories, URLs, feeds, WARC archives -- as documents.

`iter_inputs` turns inputs into the same `(id, RawDocument | InputError)` stream that
`sitroom.sources.iter_documents` yields for files, so the pipeline and the store treat
every input alike, and one bad input is one error line. Pages are fetched by
`sitroom.fetch`, feeds read by `sitroom.feeds`.
"""
from __future__ import annotations

import dataclasses
import hashlib
import zlib
from pathlib import Path
from typing import Iterator

from . import feeds
from .errors import InputError, UnsupportedInput
from .fetch import TEXT_TYPES, FetchPolicy, Fetcher, charset_of, decode_body, is_url, normalize_url, page_document
from .sources import DOCUMENT_SUFFIXES, MAX_BYTES, InputFormat, RawDocument, check_bytes, directory_files, \
    open_path, path_documents, read_path

WARC_SUFFIXES = (".warc", ".warc.gz")
FEED_SUFFIXES = (".rss", ".atom", ".xml")
# directory walks pick up WARC archives too (`sitroom extract` reads only documents)
DIR_SUFFIXES = DOCUMENT_SUFFIXES + WARC_SUFFIXES


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
                try:
                    files = directory_files(spec, DIR_SUFFIXES)
                except InputError as err:
                    yield spec, err
                    continue
                for f in files:
                    if isinstance(f, InputError):
                        yield f.source, f
                        continue
                    yield from file_documents(f, input_format, published, get_fetcher, policy)
            else:
                yield from file_documents(spec, input_format, published, get_fetcher, policy)
    finally:
        if fetcher is not None:
            fetcher.close()


def url_documents(url: str, get_fetcher, published: str | None,
                  policy: FetchPolicy) -> Iterator[tuple[str, RawDocument | InputError]]:
    doc_id = normalize_url(url)
    try:
        page = get_fetcher().fetch(url)
        if feeds.looks_like_feed(page.body, page.content_type):
            yield from feed_documents(page.body, url, get_fetcher if policy.follow_feed_links else None, published)
            return
        yield doc_id, page_document(page, doc_id, published)
    except InputError as err:
        yield doc_id, err


def feed_documents(data: bytes, source: str, get_fetcher, published: str | None
                   ) -> Iterator[tuple[str, RawDocument | InputError]]:
    """`feeds.feed_documents`; a feed that feedparser itself fails on (a surrogate character
    reference, "&#xD800;", is a UnicodeEncodeError inside it) is that feed's error."""
    entries = feeds.feed_documents(data, source, get_fetcher, published)
    try:
        first = next(entries, None)  # the feed is parsed here, before its first entry
    except UnicodeError as err:
        yield source, InputError(source, f"a feed that cannot be read ({err.reason})")
        return
    if first is not None:
        yield first
        yield from entries


def file_documents(path: str, input_format: InputFormat | None, published: str | None, get_fetcher,
                   policy: FetchPolicy) -> Iterator[tuple[str, RawDocument | InputError]]:
    low = path.lower()
    if input_format is None and low.endswith(WARC_SUFFIXES):
        yield from warc_documents(path, published, policy.max_bytes)
        return
    if input_format is None and low.endswith(FEED_SUFFIXES):
        try:
            data, _ = read_path(path, policy.max_bytes)
        except InputError as err:
            yield path, err
            return
        if feeds.looks_like_feed(data, None):
            yield from feed_documents(data, path, get_fetcher if policy.follow_feed_links else None, published)
            return
    for doc_id, item in path_documents(path, input_format, published, policy.max_bytes):
        if isinstance(item, RawDocument) and item.id == path:
            # a file's id is its absolute path, so the same file ingested from elsewhere is the same article
            new_id = ("stdin:" + hashlib.sha256(item.content.encode()).hexdigest()[:16]) if path == "-" \
                else str(Path(path).resolve())
            item = dataclasses.replace(item, id=new_id)
            doc_id = new_id
        yield doc_id, item


def warc_documents(path: str, published: str | None = None,
                   max_bytes: int = MAX_BYTES) -> Iterator[tuple[str, RawDocument | InputError]]:
    """HTML and text responses of a WARC archive, one document per response record (id: its URI).

    Records are read one by one: a record cut short (the archive ends inside it) is that
    record's error, and damage further on ends the archive with one error, keeping what came before.
    """
    try:
        from warcio.archiveiterator import ArchiveIterator
        from warcio.exceptions import ArchiveLoadFailed
        from warcio.statusandheaders import StatusAndHeadersParserException
    except ImportError:  # pragma: no cover - a declared dependency
        yield path, InputError(path, "reading WARC archives needs warcio")
        return
    try:
        stream, _ = open_path(path)
    except InputError as err:
        yield path, err
        return
    found = n = 0
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
                doc_id = normalize_url(uri) if is_url(uri) else uri
                try:
                    if len(body) > max_bytes:
                        raise InputError(source, f"over the {max_bytes / 1e6:g} MB limit for one page")
                    if getattr(record.raw_stream, "limit", 0) > 0:
                        raise InputError(source, "record cut short: the archive ends inside it")
                    check_bytes(body, source, max_bytes)
                    text = decode_body(body, charset_of(header), source)
                except InputError as err:
                    yield doc_id, err
                    continue
                fmt = "text" if media == "text/plain" else "html"
                yield doc_id, RawDocument(id=doc_id, source=source, format=fmt, content=text,
                                          url=uri if is_url(uri) else None, published=published)
        except ArchiveLoadFailed as err:
            problem = f"not a readable WARC archive ({str(err).strip()[:200]})"
            yield path, UnsupportedInput(path, problem) if not found else InputError(path, f"after record {n}: {problem}")
            return
        # warcio meets a truncated or corrupt archive with these (AttributeError: a header block cut short)
        except (StatusAndHeadersParserException, AttributeError, ValueError, EOFError, OSError, zlib.error) as err:
            detail = "a record header is cut short" if isinstance(err, AttributeError) else str(err).strip()[:200]
            yield path, InputError(path, f"damaged WARC archive, nothing read after record {n} ({detail})")
            return
    if not found:
        yield path, InputError(path, "no HTML or text response records in this WARC archive")


__all__ = ["DIR_SUFFIXES", "iter_inputs", "warc_documents"]
