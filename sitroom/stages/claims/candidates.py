"""What every claims module shares: the claim candidate, the per-document lookups
(text, sentences by token and by character), quotation spans, and small text helpers.

The parse-based readers (`parsed`), the no-model fallback (`patterns`) and the outlet's
voice (`outlet`) all build `Cand`s; the stage (`__init__`) turns them into CLAIM dicts.
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from .cues import lexicon
from .quotes import Quote
from .speakers import Speaker

# a quote shorter than this with no cue of its own is a scare quote, not a claim
MIN_QUOTE_WORDS = 4
# contents shorter than this are not claims ("he said so")
MIN_CONTENT_CHARS = 3

# '“...” ― Name' (blogs, vox pops): the dash is the cue, the name the speaker
DASH_SOURCE_RE = re.compile(r"[ \t]*(?P<dash>[―—–]|--)[ \t]*(?P<name>[A-Z][\w.'’-]*(?:[ \t]+[A-Z\w][\w.'’-]*)*)"
                            r"(?=[ \t]*(?:[,;(\n]|\.(?:\s|$)|$))")
MAX_DASH_NAME_WORDS = 6


@dataclass
class Cand:
    """A claim under construction (character offsets into doc.text)."""
    kind: str
    start: int
    end: int
    cue: str | None = None
    cue_span: tuple[int, int] | None = None
    speaker: Speaker | None = None
    lemma: str | None = None
    origin: str = "dep"
    hedged: bool = False
    agentless: bool = False
    sent_i: int = 0
    quote: Quote | None = None
    extra: dict = field(default_factory=dict)


CTX_KEY = "sitroom_claims_ctx"  # per-document cache in doc.user_data while the stage runs


class DocContext:
    """What the stage looks up over and over: the text (spaCy rebuilds doc.text on every
    access) and the sentences, by token and by character."""

    def __init__(self, doc: Doc):
        self.text = doc.text
        self.sents = list(doc.sents)
        self.starts = [s.start_char for s in self.sents]
        self.tok_sent = [0] * len(doc)
        for n, sent in enumerate(self.sents):
            for i in range(sent.start, sent.end):
                self.tok_sent[i] = n


def doc_context(doc: Doc) -> DocContext:
    ctx = doc.user_data.get(CTX_KEY)
    if ctx is None:
        ctx = doc.user_data[CTX_KEY] = DocContext(doc)
    return ctx


def doc_text(doc: Doc) -> str:
    return doc_context(doc).text


def sent_of_token(tok: Token) -> Span:
    ctx = doc_context(tok.doc)
    return ctx.sents[ctx.tok_sent[tok.i]]


def sent_of_char(doc: Doc, char: int) -> Span | None:
    ctx = doc_context(doc)
    i = bisect.bisect_right(ctx.starts, char) - 1
    return ctx.sents[i] if i >= 0 and char < ctx.sents[i].end_char else None


@functools.cache
def _hedge_re() -> re.Pattern:
    words = "|".join(sorted(map(re.escape, lexicon().hedges), key=len, reverse=True))
    return re.compile(rf"\b(?:{words})\b", re.I)


def is_hedged(text: str) -> bool:
    """Modal or evidential hedges in a claim's content ('may', 'reportedly', 'believed')."""
    return bool(_hedge_re().search(text))


def trim_chars(text: str, s: int, e: int) -> tuple[int, int]:
    """Strip spaces, commas and dangling quote marks from a content span's ends."""
    while s < e and (text[s].isspace() or text[s] in ",;:—–-"):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in ",;:—–-"):
        e -= 1
    # a single unmatched quote mark at one end
    if e > s and text[s] in "\"“" and not any(c in "\"”" for c in text[s + 1:e]):
        s += 1
    if e > s and text[e - 1] in "\"”" and not any(c in "\"“" for c in text[s:e - 1]):
        e -= 1
    return s, e


class QuoteIndex:
    """Which character offsets fall inside a quotation."""

    def __init__(self, quotes: list[Quote], text: str):
        self.quotes = quotes
        self.starts = [q.start for q in quotes]
        self.text = text

    def at(self, char: int) -> Quote | None:
        i = bisect.bisect_right(self.starts, char) - 1
        if i >= 0:
            q = self.quotes[i]
            for s, e in q.segments:
                if s < char < e - 1:
                    return q
        return None


def dash_source(text: str, q: Quote) -> tuple[tuple[int, int], Speaker] | None:
    """'“...” ― Karen Bobadilla': a dash and a name closing a quotation (blogs, vox pops)."""
    m = DASH_SOURCE_RE.match(text, q.end)
    if m is None or len(m.group("name").split()) > MAX_DASH_NAME_WORDS:
        return None
    return m.span("dash"), Speaker(m.group("name"), m.start("name"), m.end("name"), kind="name")

