"""RSS and Atom feeds (feedparser): each entry becomes one document.

By default each entry's link is fetched (feeds usually carry a teaser, the page the
whole story); when fetching is off or fails, the entry's own content is used if it
has any.  The entry's publication date becomes the document's `published`.
"""
from __future__ import annotations

import re
import time
from typing import Callable, Iterator

from .errors import InputError
from .fetch import normalize_url, page_document
from .sources import RawDocument

FEED_MEDIA = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")
_FEED_ROOT = re.compile(rb"<(rss|feed|rdf:RDF)[\s>]", re.I)
SNIFF = 2048  # a feed's root element sits within its first bytes (after the XML prolog)
MIN_ENTRY_CHARS = 200  # an entry's own text shorter than this is a teaser, not an article


def looks_like_feed(data: bytes, content_type: str | None) -> bool:
    if content_type in FEED_MEDIA:
        return True
    return bool(_FEED_ROOT.search(data[:SNIFF].lstrip()))


def entry_date(entry) -> str | None:
    """The entry's publication date, YYYY-MM-DD."""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            return time.strftime("%Y-%m-%d", value)
    return None


def _entry_content(entry) -> str:
    for item in entry.get("content") or []:
        if item.get("value", "").strip():
            return item["value"]
    return entry.get("summary") or ""


def parse_feed(data: bytes, source: str):
    """feedparser's reading of a feed; an InputError when it has no entries (or is not a feed)."""
    import feedparser

    parsed = feedparser.parse(data)
    if not parsed.get("entries"):
        problem = f"not a readable feed ({parsed.get('bozo_exception')})" if parsed.get("bozo") else "feed has no entries"
        raise InputError(source, problem)
    return parsed


def entry_document(entry, n: int, source: str, get_fetcher: Callable | None = None, published: str | None = None,
                   feed_title: str | None = None) -> tuple[str, RawDocument | InputError]:
    """(id, document or error) of the feed's n-th entry: its linked page, else its own text."""
    link = entry.get("link")
    doc_id = normalize_url(link) if link else (entry.get("id") or f"{source}#{n}")
    where = f"{source}: entry {n}" + (f" ({link})" if link else "")
    meta = {"title": entry.get("title"), "published": entry_date(entry) or published}
    fetch_error = None
    if link and get_fetcher is not None:
        try:
            page = get_fetcher().fetch(link)
            return doc_id, page_document(page, doc_id, **meta)
        except InputError as err:
            fetch_error = err
    content = _entry_content(entry)
    if len(re.sub(r"<[^>]+>", "", content).strip()) >= MIN_ENTRY_CHARS:
        return doc_id, RawDocument(id=doc_id, source=where, format="html", content=content, url=link,
                                   published=meta["published"], title=meta["title"], outlet=None)
    return doc_id, fetch_error or InputError(where, f"entry has no link to fetch and no text "
                                                    f"(feed {feed_title or source!r})")


def feed_documents(data: bytes, source: str, get_fetcher: Callable | None = None,
                   published: str | None = None) -> Iterator[tuple[str, RawDocument | InputError]]:
    """(id, document or error) per feed entry; the id is the entry's link (else its guid)."""
    try:
        parsed = parse_feed(data, source)
    except InputError as err:
        yield source, err
        return
    feed_title = (parsed.get("feed") or {}).get("title")
    for n, entry in enumerate(parsed["entries"], 1):
        yield entry_document(entry, n, source, get_fetcher, published, feed_title)
