"""Article layer: a page (full HTML, fragment or plain text) to clean text and metadata.

trafilatura finds the main text, links and images and reads meta tags; htmldate
reads dates from headers, JSON-LD and the URL.  What neither does is written here:
paragraph-preserving plain text with exact offsets, the publication date from the
page's own image and link paths (a fragment's only date is often there), and the
outlet from the host those resources point to when no URL is given.
"""
from __future__ import annotations

import logging
import re
from collections import Counter
from datetime import date
from urllib.parse import urljoin, urlsplit

import htmldate
import trafilatura
from lxml import etree

from .errors import ExtractionFailed, InputError
from .records import Article, Image, Link
from .sources import MAX_TEXT_CHARS

# trafilatura and htmldate log every page they reject; sitroom reports per document itself
for _name in ("trafilatura", "htmldate"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)

# Block elements of trafilatura's output tree: each becomes one paragraph.
BLOCK_TAGS = {"p", "head", "quote", "list", "table", "code", "lb"}
# A date in a URL path: /2024/11/30/ , /2024-11-30/ , /20241130/
URL_DATE = re.compile(r"/((?:19|20)\d{2})[/_-]?(0[1-9]|1[0-2])[/_-]?(0[1-9]|[12]\d|3[01])(?=[/_.-]|$)")
# /2024/11/ alone (month precision) is not a publication day: ignored.
SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
MANY_NEWLINES = re.compile(r"\n{3,}")
# soft hyphens, zero-width joiners and the like break words for the eye only ('cy\u00adber\u00adat\u00adtack')
INVISIBLE = re.compile(r"[\u00ad\u200c\u200d\u2060\ufeff]")
# A date line (not a news dateline, see `sitroom.datelines`): a short line that is only a date, perhaps after a label
DATE_LINE = re.compile(r"^(?:(?:published|posted|updated|date|dated)\s*(?:on|:)?\s*)?([A-Za-z0-9 ,./-]{6,40})$", re.I)
DATE_LINE_LINES = 5  # the date of a statement or press release sits at its top
HAS_ROOT = re.compile(r"<\s*(html|body)\b", re.I)
HOST_PREFIX = re.compile(r"^(www\d*|m|amp|mobile)\.")
# elements that end a line in `nested_text`, the rescue for pages nested deeper than libxml2 parses by default
LINE_TAGS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "article", "section",
                       "blockquote", "pre", "table", "ul", "ol"})


def normalize_text(text: str) -> str:
    """Plain text with single spaces inside lines and one blank line between paragraphs."""
    text = INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return MANY_NEWLINES.sub("\n\n", "\n".join(lines)).strip()


def host_of(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return HOST_PREFIX.sub("", host.lower()) if host else None


def _element_text(el: etree._Element) -> str:
    """Text of one block; list items and table rows on lines of their own."""
    if el.tag == "list":
        return "\n".join(_element_text(item) for item in el if isinstance(item.tag, str))
    if el.tag == "table":
        rows = []
        for row in el.iter("row"):
            cells = [" ".join("".join(c.itertext()).split()) for c in row if isinstance(c.tag, str)]
            rows.append(" | ".join(c for c in cells if c))
        return "\n".join(r for r in rows if r)
    return "".join(el.itertext())


def check_length(text: str, source: str) -> str:
    """`text`, unless it is longer than one document may be (`MAX_TEXT_CHARS`): then an `InputError`."""
    if len(text) > MAX_TEXT_CHARS:
        raise InputError(source, f"article text of {len(text):,} characters, over the {MAX_TEXT_CHARS:,}-character "
                                 "limit for one document; split it")
    return text


def nested_text(html: str) -> str:
    """All visible text of a page, one line per block, parsed without libxml2's depth limit.

    libxml2 stops at 255 nested elements unless told otherwise, and neither trafilatura
    nor its baseline sees text below that; this is the last rescue for such pages.
    """
    tree = etree.fromstring(html, etree.HTMLParser(huge_tree=True))
    if tree is None:
        return ""
    etree.strip_elements(tree, "script", "style", "noscript", "template", with_tail=False)
    for el in tree.iter(*LINE_TAGS):
        el.tail = "\n" + (el.tail or "")
    return normalize_text("".join(tree.itertext()))


def body_text(body: etree._Element) -> str:
    parts: list[str] = []
    if body.text and body.text.strip():
        parts.append(body.text)
    for el in body:
        if not isinstance(el.tag, str):
            continue
        parts.append(_element_text(el))
        if el.tail and el.tail.strip():
            parts.append(el.tail)
    return normalize_text("\n\n".join(parts))


def _links_and_images(body: etree._Element, base: str | None) -> tuple[list[Link], list[Image]]:
    links, images, seen = [], [], set()
    for ref in body.iter("ref"):
        target = (ref.get("target") or "").strip()
        if not target or target.startswith(("#", "javascript:", "mailto:")):
            continue
        url = urljoin(base, target) if base else target
        if url in seen:
            continue
        seen.add(url)
        links.append(Link(url=url, text=" ".join("".join(ref.itertext()).split())))
    for g in body.iter("graphic"):
        src = (g.get("src") or "").strip()
        if not src or src.startswith("data:"):
            continue
        images.append(Image(url=urljoin(base, src) if base else src,
                            title=(g.get("title") or None), alt=(g.get("alt") or None)))
    return links, images


def date_from_urls(urls: list[str], host: str | None = None) -> str | None:
    """Latest day found in the paths of URLs on `host` (all hosts when None).

    The latest wins: a page links to older articles, never to newer ones, and its
    own images are uploaded the day it is published.
    """
    found = []
    for url in urls:
        if host and host_of(url) != host:
            continue
        m = URL_DATE.search(urlsplit(url).path)
        if m:
            try:
                found.append(date(int(m[1]), int(m[2]), int(m[3])).isoformat())
            except ValueError:
                continue
    return max(found) if found else None


def outlet_from_resources(links: list[Link], images: list[Image]) -> str | None:
    """The host the page's own images (then links) mostly point to."""
    for urls in ([i.url for i in images], [l.url for l in links]):
        hosts = Counter(h for h in map(host_of, urls) if h)
        if hosts:
            return hosts.most_common(1)[0][0]
    return None


def find_published(html: str, url: str | None, links: list[Link], images: list[Image],
                   meta_date: str | None, outlet: str | None) -> str | None:
    """Cheapest reliable source first: page metadata and URL, then own image paths, then own links."""
    if url:
        m = URL_DATE.search(urlsplit(url).path)
        if m:
            return f"{m[1]}-{m[2]}-{m[3]}"
    if meta_date:
        return meta_date
    return (date_from_urls([i.url for i in images], outlet)
            or date_from_urls([i.url for i in images])
            or date_from_urls([l.url for l in links], outlet))


def from_html(html: str, *, source: str, url: str | None = None, published: str | None = None,
              title: str | None = None, outlet: str | None = None) -> Article:
    """Extract the article from HTML; raises ExtractionFailed when it holds no text."""
    if not HAS_ROOT.search(html[:4096]):
        # a fragment (no <html>/<body>): lxml would root it at its first element
        html = f"<html><body>{html}</body></html>"
    doc = trafilatura.bare_extraction(
        html, url=url, favor_recall=True, include_comments=False, include_tables=True,
        include_links=True, include_images=True, with_metadata=True, deduplicate=False,
        date_extraction_params={"extensive_search": False, "original_date": True, "url": url},
    )
    body = doc.body if doc is not None else None
    text = body_text(body) if body is not None else ""
    if not text:
        # trafilatura's own cheap rescue for pages its main extractor rejects
        try:
            body, text, _ = trafilatura.baseline(html)
        except Exception:  # noqa: BLE001 - baseline is a best-effort rescue
            body, text = None, ""
        text = normalize_text(text or "") or nested_text(html)
    if not text:
        raise ExtractionFailed(source, "no article text found in the HTML")
    check_length(text, source)
    # the page's own canonical URL (link rel=canonical, og:url) when none was given
    url = url or (doc.url if doc is not None and (doc.url or "").startswith("http") else None)
    links, images = _links_and_images(body, url) if body is not None else ([], [])
    outlet = outlet or host_of(url) or outlet_from_resources(links, images) \
        or (doc.sitename if doc is not None else None)
    meta_date = doc.date if doc is not None else None
    if not published:
        published = find_published(html, url, links, images, meta_date, outlet)
        if not published and len(html) < 2_000_000:
            published = htmldate.find_date(html, url=url, extensive_search=True)
    return Article(url=url, title=title or (doc.title if doc is not None else None),
                   published=published, outlet=outlet, text=text, links=links, images=images)


def date_line_date(text: str) -> str | None:
    """A date standing alone on one of the first lines ("Published 2 June 2025", "June 2, 2025")."""
    import dateparser

    for line in [l for l in text.split("\n") if l.strip()][:DATE_LINE_LINES]:
        m = DATE_LINE.match(line.strip())
        if not m:
            continue
        parsed = dateparser.parse(m.group(1), languages=["en"],
                                  settings={"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"]})
        if parsed:
            return parsed.date().isoformat()
    return None


def from_text(text: str, *, source: str, url: str | None = None, published: str | None = None,
              title: str | None = None, outlet: str | None = None) -> Article:
    """Plain text is kept exactly as given: offsets must point into the user's own text."""
    if not text.strip():
        raise ExtractionFailed(source, "the document holds no text")
    check_length(text, source)
    published = published or date_line_date(text)
    return Article(url=url, title=title, published=published, outlet=outlet or host_of(url), text=text)
