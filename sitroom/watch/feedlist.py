"""Which feeds to follow: an OPML file (what feed readers export) or one URL a line ('#' comments)."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ..errors import InputError
from ..fetch import is_url
from ..sources import read_path

_OPML = re.compile(rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<opml[\s>]", re.S | re.I)


def read_feed_list(path: str) -> list[str]:
    """The feed URLs a file names, in order, each once; an InputError naming the file (and line) if not."""
    data, source = read_path(path)
    if _OPML.match(data[:4096]):
        return _opml_urls(data, source)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(source, "not UTF-8 text: give an OPML file or one feed URL a line") from None
    urls = []
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not is_url(line) or any(c.isspace() for c in line):
            raise InputError(f"{source}:{n}", f"not an http(s) URL: {line[:80]!r}")
        urls.append(line)
    if not urls:
        raise InputError(source, "no feed URLs in this file")
    return list(dict.fromkeys(urls))


def _opml_urls(data: bytes, source: str) -> list[str]:
    try:
        root = ET.fromstring(data)
    except ET.ParseError as err:
        raise InputError(source, f"not valid OPML ({err})") from None
    urls = [o.get("xmlUrl", "").strip() for o in root.iter("outline") if o.get("xmlUrl")]
    bad = [u for u in urls if not is_url(u)]
    if bad:
        raise InputError(source, f"an outline's xmlUrl is not an http(s) URL: {bad[0][:80]!r}")
    if not urls:
        raise InputError(source, "no <outline xmlUrl=...> feeds in this OPML file")
    return list(dict.fromkeys(urls))
