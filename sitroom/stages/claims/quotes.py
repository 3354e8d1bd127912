"""Direct quotations in plain text: straight and curly marks, mixed, across paragraphs.

Pure text functions (no model).  A quotation is found by pairing an opening mark with
the next closing mark inside one paragraph; straight `"` is read as opening or closing
from its neighbours, so `"... eliminated.”` (straight open, curly close) pairs.  A
paragraph that ends inside an open quotation and is followed by a paragraph opening
with a quotation mark continues the same quotation (the English convention for
quotes over several paragraphs).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

OPENING = "“„«‟"
CLOSING = "”»"
STRAIGHT = '"'
MARKS = OPENING + CLOSING + STRAIGHT
# a straight quote after these is an opening one
OPEN_BEFORE = set(" \t\n([{—–-:;,/") | set(OPENING)
CLOSE_AFTER = set(" \t\n.,;:!?)—–-")
PARAGRAPH_RE = re.compile(r"[^\n]+")
WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")


@dataclass
class Quote:
    """One quotation: its segments (one per paragraph) and their inner text spans."""
    segments: list[tuple[int, int]] = field(default_factory=list)  # (open mark, close mark + 1)
    closed: bool = True

    @property
    def start(self) -> int:
        return self.segments[0][0]

    @property
    def end(self) -> int:
        return self.segments[-1][1]

    def inner(self, text: str) -> tuple[int, int]:
        """The quoted words without the marks (and without trailing spaces)."""
        s, e = self.start, self.end
        while s < e and (text[s] in MARKS or text[s] in "'`"):
            s += 1
        while e > s and (text[e - 1] in MARKS or text[e - 1] == "'"):
            e -= 1
        while e > s and text[e - 1].isspace():
            e -= 1
        return s, e

    def words(self, text: str) -> int:
        s, e = self.inner(text)
        return len(WORD_RE.findall(text[s:e]))


MARK_RE = re.compile(r"''|``|[\"“”„«»‟]")


def _marks(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """Quotation marks in [start, end): (offset, width, 'open' | 'close' | 'straight').

    Curly marks used the wrong way round ('”Fear ...' at a paragraph start) are read
    from their neighbours, and a doubled apostrophe ('' ... '') is a straight mark."""
    out = []
    for m in MARK_RE.finditer(text, start, end):
        i, ch = m.start(), m.group()
        before = text[i - 1] if i > start else " "
        after = text[m.end()] if m.end() < end else " "
        if ch in ("''", STRAIGHT):
            kind = "straight"
        elif ch in OPENING or ch == "``":
            kind = "close" if (not before.isspace() and before not in OPEN_BEFORE and after in CLOSE_AFTER) else "open"
        else:
            kind = "open" if (before.isspace() or before in "([—–-") and after.isalnum() else "close"
        out.append((i, m.end() - i, kind))
    return out


def _is_opening(text: str, i: int, start: int) -> bool:
    """A straight quote opens when preceded by a space/bracket/dash or the paragraph start."""
    return i == start or text[i - 1] in OPEN_BEFORE


def _paragraph_segments(text: str, start: int, end: int) -> tuple[list[tuple[int, int]], int | None]:
    """Closed quotations in one paragraph, and the offset of a quotation left open at its end."""
    out: list[tuple[int, int]] = []
    open_at: int | None = None
    for i, width, kind in _marks(text, start, end):
        after = text[i + width] if i + width < end else " "
        if kind == "open":
            if open_at is None:
                open_at = i
            elif after in CLOSE_AFTER:
                out.append((open_at, i + width))  # an opening mark used as a closing one
                open_at = None
        elif kind == "close":
            if open_at is not None:
                out.append((open_at, i + width))
                open_at = None
        elif open_at is None:
            if _is_opening(text, i, start):
                open_at = i
        elif not _is_opening(text, i, start) or after in CLOSE_AFTER:
            out.append((open_at, i + width))
            open_at = None
        else:
            open_at = i  # two openings in a row: the first was a stray mark
    return out, open_at


def find_quotes(text: str) -> list[Quote]:
    """Every quotation in `text`, in order; multi-paragraph quotations are one `Quote`."""
    quotes: list[Quote] = []
    carry: Quote | None = None  # a quotation still open at the end of the previous paragraph
    for para in PARAGRAPH_RE.finditer(text):
        ps, pe = para.start(), para.end()
        lead = ps + len(para.group()) - len(para.group().lstrip())
        segments, open_at = _paragraph_segments(text, ps, pe)
        continues = carry is not None and lead < pe and (text[lead] in OPENING + STRAIGHT + "”"
                                                         or text.startswith("''", lead))
        if carry is not None and not continues:
            quotes.append(carry)
            carry = None
        for n, seg in enumerate(segments):
            if n == 0 and continues and carry is not None and seg[0] == lead:
                carry.segments.append(seg)
                quotes.append(carry)
                carry = None
                continue
            quotes.append(Quote([seg]))
        if continues and carry is not None and open_at is not None and open_at == lead:
            carry.segments.append((open_at, pe))  # the quotation runs on into the next paragraph
            continue
        if carry is not None:
            quotes.append(carry)
            carry = None
        if open_at is not None:
            carry = Quote([(open_at, pe)], closed=False)
    if carry is not None:
        quotes.append(carry)
    quotes.sort(key=lambda q: q.start)
    return quotes
