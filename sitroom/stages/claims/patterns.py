"""Claims without a parser: surface patterns over each sentence (the model-missing fallback).

Reduced quality by design: a cue verb form from the lexicon, the speaker as the words
just before it ("Officials in Kyiv said") or just after it ("..., said John Smith"), and
the content as the rest of the sentence on the other side.  Quotes attach to a cue
within a few words of them.
"""
from __future__ import annotations

import re

from spacy.tokens import Doc

from .candidates import MIN_QUOTE_WORDS, Cand, QuoteIndex, dash_source, doc_context, sent_of_char
from .cues import lexicon, verb_forms
from .quotes import Quote
from .speakers import PERSONAL_PRONOUNS, Speaker, speaker_from_text

WORD_RE = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*\.?|[^\w\s]")
# words between a speaker and its cue that belong to neither ("has also said")
AUX_WORDS = {"has", "have", "had", "was", "were", "is", "are", "will", "would", "also", "later",
             "previously", "earlier", "then", "again", "not", "did", "does", "do", "reportedly",
             "repeatedly", "often", "once", "had", "been", "being"}
AGENTLESS_LEAD = re.compile(r"\b(?:it|this)\s+(?:has|had)?\s*(?:been|was|is|were)\s+$", re.I)
REPORT_SUBJECT_RE = re.compile(r"^(?:(?:media|news|unconfirmed|local|several|some|other|initial)\s+)?"
                               r"(?:reports?|reporting|accounts|rumou?rs)\s+(?:have|had|has)?\s*$", re.I)
ACCORDING_RE = re.compile(r"\baccording to\s+(?P<src>[^,.;]{2,80}?)(?=[,.;]|$)", re.I)
THAT_RE = re.compile(r"^\s*(?:,\s*)?(?:that\b\s*)?")
HEARERS_RE = re.compile(r"^\s*(?:reporters|journalists|the press|media|[A-Z][\w.-]+(?:\s+[A-Z][\w.-]+)*|him|her|them|us|me)"
                        r"(?:\s+(?:on|in|at)\s+[A-Z]?\w+)?\s*(?=that\b|,|:)", re.I)
PASSIVE_AGENT_RE = re.compile(r"\s+by\b")
MAX_SPEAKER_WORDS = 8  # "the deputy head of the regional military administration"
MAX_WORDS_TO_CUE = 6
MIN_CONTENT_WORDS = 3
CLAUSE_BREAKS = {",", ";", ":", "(", "—", "–", "\"", "“", "”"}


def _words(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    return [(m.group(), m.start() + start, m.end() + start) for m in WORD_RE.finditer(text[start:end])]


def _speaker_before(text: str, words: list[tuple[str, int, int]], k: int) -> Speaker | None:
    """The speaker phrase ending just before word k (auxiliaries and adverbs skipped)."""
    j = k - 1
    while j >= 0 and words[j][0].lower() in AUX_WORDS:
        j -= 1
    if j < 0 or words[j][0] in CLAUSE_BREAKS or words[j][0] in ".!?":
        return None
    end = words[j][2]
    i = j
    while i - 1 >= 0 and j - i + 1 < MAX_SPEAKER_WORDS and words[i - 1][0] not in CLAUSE_BREAKS \
            and words[i - 1][0] not in (".", "!", "?") and words[i - 1][0].lower() not in ("that", "and", "but", "as", "when"):
        i -= 1
    # a pronoun or a name right before the cue is the whole speaker ("..., he said")
    if words[j][0].lower() in PERSONAL_PRONOUNS:
        i = j
    # "Captain Oleg Ignasyuk, who stated": the relative pronoun's antecedent
    if words[j][0].lower() in ("who", "which") and j >= 2 and words[j - 1][0] == ",":
        e = j - 1
        b = e
        while b - 1 >= 0 and (words[b - 1][0][:1].isupper() or words[b - 1][0][:1].isdigit()) \
                and e - b < MAX_SPEAKER_WORDS and words[b - 1][0] not in CLAUSE_BREAKS:
            b -= 1
        if b < e:
            return speaker_from_text(text, words[b][1], words[e - 1][2])
        return None
    start = words[i][1]
    if words[i][0].lower() in ("the", "a", "an") or words[i][0][:1].isupper() or i == j:
        return speaker_from_text(text, start, end)
    return speaker_from_text(text, start, end)


def _speaker_after(text: str, words: list[tuple[str, int, int]], k: int) -> Speaker | None:
    """'..., said John Smith, a spokesman for ...': the capitalised run after the cue."""
    j = k + 1
    if j >= len(words):
        return None
    if words[j][0].lower() in PERSONAL_PRONOUNS:
        return speaker_from_text(text, words[j][1], words[j][2])
    i = j
    while i < len(words) and i - j < MAX_SPEAKER_WORDS and words[i][0] not in CLAUSE_BREAKS \
            and words[i][0] not in (".", "!", "?"):
        i += 1
    if i == j:
        return None
    if not (words[j][0][:1].isupper() or words[j][0].lower() in ("the", "a", "an")):
        return None
    return speaker_from_text(text, words[j][1], words[i - 1][2])


def _clean(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and (text[s].isspace() or text[s] in ",;:—–-\"“”"):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in ",;:—–-.!?\"“”"):
        e -= 1
    return s, e


def pattern_attributions(doc: Doc, qidx: QuoteIndex, sent_index: dict[int, int]) -> list[Cand]:
    """Cue verb forms in each sentence, with the speaker beside them and the rest of the sentence as content."""
    text = doc_context(doc).text
    forms = verb_forms()
    lex = lexicon()
    out: list[Cand] = []
    for sent in doc_context(doc).sents:
        s0, s1 = sent.start_char, sent.end_char
        s_i = sent_index.get(sent.start, 0)
        words = _words(text, s0, s1)
        for m in ACCORDING_RE.finditer(text, s0, s1):
            src_s, src_e = m.span("src")
            if m.start() - s0 > s1 - m.end():
                cs, ce = _clean(text, s0, m.start())
            else:
                cs, ce = _clean(text, m.end(), s1)
            if len(text[cs:ce].split()) >= MIN_CONTENT_WORDS:
                cue_e = m.start() + len("according to")
                out.append(Cand(kind="reported", start=cs, end=ce, cue=text[m.start():cue_e],
                                cue_span=(m.start(), cue_e), speaker=speaker_from_text(text, src_s, src_e),
                                lemma="according to", origin="pattern", sent_i=s_i))
        for k, (w, ws, we) in enumerate(words):
            lemma = forms.get(w.lower())
            if lemma is None or qidx.at(ws) is not None or lemma in ("see", "know", "put", "call", "show", "find"):
                continue
            if PASSIVE_AGENT_RE.match(text, we) and re.search(r"\b(?:was|were|been|being|is|are)\s+$", text[s0:ws]):
                continue  # "the casualties were reported by X": no content clause
            before = text[s0:ws]
            after_text = text[we:s1]
            agentless = bool(AGENTLESS_LEAD.search(before)) or bool(REPORT_SUBJECT_RE.search(before.strip()[-40:] + " "))
            speaker = None if agentless else _speaker_before(text, words, k)
            tail = after_text
            hearer = HEARERS_RE.match(tail) if lemma in ("tell", "inform", "assure", "warn", "brief") else None
            offset = we + (hearer.end() if hearer else 0)
            lead = THAT_RE.match(text[offset:s1])
            cs, ce = _clean(text, offset + (lead.end() if lead else 0), s1)
            if speaker is None and not agentless:
                # inverted: "The strike killed two soldiers, said John Smith."
                speaker = _speaker_after(text, words, k)
                if speaker is None:
                    continue
                cs, ce = _clean(text, s0, ws)
            elif len(text[cs:ce].split()) < MIN_CONTENT_WORDS:
                # "..., officials said.": the content is the clause before the speaker
                cs, ce = _clean(text, s0, speaker.start if speaker is not None and speaker.start else ws)
            if len(text[cs:ce].split()) < MIN_CONTENT_WORDS:
                continue
            if speaker is not None and speaker.text and speaker.text.lower() in lex.agentless_subjects:
                speaker, agentless = None, True
            out.append(Cand(kind="reported", start=cs, end=ce, cue=w, cue_span=(ws, we), speaker=speaker,
                            lemma=lemma, origin="pattern", agentless=agentless or speaker is None, sent_i=s_i,
                            extra={"tok": ws}))
    return out


def pattern_quote_claims(doc: Doc, quotes: list[Quote], qidx: QuoteIndex, sent_index: dict[int, int],
                         dep: list[Cand]) -> list[Cand]:
    """Quotations with a cue verb within a few words after ('“...,” he said') or before ('X said: “...')."""
    text = doc_context(doc).text
    forms = verb_forms()
    by_cue = {c.cue_span: c for c in dep}
    lex = lexicon()
    speech = lex.speech | lex.report
    out: list[Cand] = []
    for q in quotes:
        sent = sent_of_char(doc, q.start)
        s_i = sent_index.get(sent.start, 0) if sent is not None else 0
        dash = dash_source(text, q)
        if dash is not None:
            (ds, de), speaker = dash
            out.append(Cand(kind="quote", start=q.start, end=q.end, cue=text[ds:de], cue_span=(ds, de),
                            speaker=speaker, origin="quote", sent_i=s_i, quote=q))
            continue
        if q.words(text) < MIN_QUOTE_WORDS:
            continue
        line_end = text.find("\n", q.end)
        line_end = len(text) if line_end < 0 else line_end
        after = _words(text, q.end, min(line_end, q.end + 120))
        found = None
        inner = text[q.inner(text)[0]:q.inner(text)[1]].rstrip()
        ended = inner.endswith((".", "!", "?")) and after and after[0][0][:1].isupper() \
            and after[0][0].lower() not in PERSONAL_PRONOUNS and not forms.get(after[0][0].lower())
        for k, (w, ws, we) in enumerate([] if ended else after[:MAX_WORDS_TO_CUE + 1]):
            if w in (".", "!", "?") or w in ("“", "\""):
                break
            if forms.get(w.lower()) in speech:
                sp = _speaker_before(text, after, k) if k > 0 else None
                sp = sp or _speaker_after(text, after, k)
                found = (w, ws, we, sp)
                break
        if found is None:
            head = text[max(0, q.start - 160):q.start].rstrip()
            if head.endswith((":", ",")):
                lo = max(0, q.start - 160)
                before = _words(text, lo, q.start)
                for k in range(len(before) - 1, -1, -1):
                    w, ws, we = before[k]
                    if w in (".", "!", "?"):
                        break
                    if forms.get(w.lower()) in speech:
                        found = (w, ws, we, _speaker_before(text, before, k))
                        break
        if found is None:
            continue
        w, ws, we, sp = found
        d = by_cue.get((ws, we))
        if d is not None:
            d.extra["absorbed"] = True
        out.append(Cand(kind="quote", start=q.start, end=q.end, cue=w, cue_span=(ws, we), speaker=sp,
                        lemma=forms.get(w.lower()), origin="quote", sent_i=s_i, quote=q,
                        agentless=sp is None))
    return out
