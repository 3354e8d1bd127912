"""Claims from the dependency parse: cue verbs with their complement as content and their
subject as speaker ("officials said ...", "according to ..."), and direct quotations with
the speech verb next to them ('“...,” the spokesman said').
"""
from __future__ import annotations

from spacy.tokens import Doc, Token

from .candidates import (MIN_CONTENT_CHARS, MIN_QUOTE_WORDS, Cand, QuoteIndex, dash_source, doc_text,
                         sent_of_char, sent_of_token, trim_chars)
from .cues import lexicon
from .quotes import Quote
from .speakers import read_speaker

# how far (chars) a cue may sit from its quote: "“...,” the spokesman told reporters on Monday"
QUOTE_CUE_WINDOW = 160

# subordinators that make a verb a circumstance, not a report ("when considering")
TEMPORAL_MARKS = {"when", "while", "after", "before", "if", "because", "since", "by", "until", "unless",
                  "once", "whether", "though", "although"}
# a cue after a quotation sits within this many words of it ('“...,” said Rep. G.K. Butterfield')
MAX_WORDS_TO_CUE = 7
OPEN_MARKS = {"“", "„", "«"}
# a quotation that is under this share of its claim is a partial quote in indirect speech
QUOTE_SHARE = 0.5
# a cue-less quotation in the next paragraph goes on with the previous speaker
CONTINUE_QUOTES_ACROSS_PARAGRAPHS = True
# children before a cue verb that belong to the cue ('has not yet said', 'also told')
CUE_LEFT_DEPS = {"aux", "auxpass", "neg", "advmod"}
WH_ADVERBS = {"when", "where", "why", "how", "as", "so", "then", "however", "meanwhile", "still"}


def cue_text(tok: Token, particle: Token | None = None) -> tuple[str, tuple[int, int]]:
    """The cue as written: the verb with its auxiliaries, negation, adverbs and particle
    ('has called for', 'did not deny', 'also said', 'pointed out')."""
    doc = tok.doc
    lo = tok.i
    lefts = {c.i: c for c in tok.lefts if c.dep_ in CUE_LEFT_DEPS and c.lower_ not in WH_ADVERBS}
    while lo - 1 in lefts or (lo - 1 >= 0 and doc[lo - 1].head.i in lefts and doc[lo - 1].dep_ == "advmod"
                              and lo - 2 in lefts):
        lo -= 1
    hi = tok.i + 1
    for c in tok.rights:
        if c.dep_ == "prt" and c.i == hi:
            hi += 1
    if particle is not None and particle.i == hi:
        hi = particle.i + 1
    s, e = doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1])
    return doc_text(doc)[s:e], (s, e)


def _clip_to_paragraph(text: str, s: int, e: int, anchor: int) -> tuple[int, int]:
    """A reported content stays in its cue's paragraph (a parse may run over a heading)."""
    p0 = text.rfind("\n", 0, anchor) + 1
    p1 = text.find("\n", anchor)
    p1 = len(text) if p1 < 0 else p1
    cs, ce = max(s, p0), min(e, p1)
    return (cs, ce) if ce > cs else (s, e)


def _subtree_range(tok: Token, exclude: list[Token] = ()) -> tuple[int, int]:
    """Characters of tok's subtree, cut before any excluded child subtree at its edges."""
    lo, hi = tok.left_edge.i, tok.right_edge.i + 1
    doc = tok.doc
    for ex in exclude:
        a, b = ex.left_edge.i, ex.right_edge.i + 1
        if a <= lo < b:
            lo = b
        elif lo < a < hi and b >= hi:
            hi = a
        elif lo < a and b < hi and ex.i > tok.i:
            hi = min(hi, a)
    if hi <= lo:
        return doc[tok.i].idx, doc[tok.i].idx + len(doc[tok.i])
    return doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1])


# ---------------------------------------------------------------- dependency attributions

def cue_subject(tok: Token) -> tuple[Token | None, bool]:
    """The cue verb's subject and whether the clause is passive without an agent."""
    for c in tok.children:
        if c.dep_ in ("nsubj", "csubj"):
            return c, False
    for c in tok.children:
        if c.dep_ == "agent":
            for p in c.children:
                if p.dep_ == "pobj":
                    return p, False
    for c in tok.children:
        if c.dep_ in ("nsubjpass", "expl"):
            return c, True
    # "..., adding that" / "and said": the subject of the verb it hangs from
    if tok.dep_ in ("conj", "advcl", "xcomp") and tok.head is not tok:
        head = tok.head
        if tok.dep_ == "advcl" and tok.tag_ == "VBG":
            root = sent_of_token(tok).root
            if root.lemma_.lower() in lexicon().verbs and root is not tok:
                head = root
        return cue_subject(head)
    return None, False


def _content(tok: Token, lemma: str) -> tuple[tuple[int, int], Token | None, str] | None:
    """The content of an attribution headed by `tok`: (char span, particle, how)."""
    lex = lexicon()
    children = list(tok.children)
    for c in children:
        if c.dep_ == "ccomp" and c.i != tok.i:
            # "said the strike killed two, adding that ...": the second report is its own claim
            nested = [t for t in c.subtree if t.dep_ in ("advcl", "conj") and t.tag_ == "VBG"
                      and t.lemma_.lower() in lex.speech]
            return _subtree_range(c, nested), None, "ccomp"
    for c in children:
        if c.dep_ in ("prt", "prep") and c.lower_ in lex.phrasal.get(lemma, ()):
            for p in c.children:
                if p.dep_ in ("pobj", "pcomp"):
                    return _subtree_range(p), c, "phrasal"
            if c.dep_ == "prt":
                for d in children:
                    if d.dep_ == "dobj":
                        return _subtree_range(d), c, "phrasal"
    subj_pass = any(c.dep_ == "nsubjpass" for c in children)
    if subj_pass and lemma not in lex.directive:
        for c in children:
            if c.dep_ == "xcomp" or (c.dep_ == "advcl" and any(a.lower_ == "to" and a.dep_ == "aux"
                                                                 for a in c.children)):
                # "X was reported (on Friday) to have launched ..."
                subj = next(c2 for c2 in children if c2.dep_ == "nsubjpass")
                s = _subtree_range(subj)[0]
                return (s, _subtree_range(c)[1]), None, "raising"
    if lemma in lex.directive | {"want", "plan", "promise", "pledge", "vow", "threaten", "expect", "agree",
                                 "refuse", "hope", "intend", "wish", "seek", "decline"}:
        for c in children:
            if c.dep_ == "xcomp":
                return _subtree_range(c), None, "xcomp"
    dobj = next((c for c in children if c.dep_ == "dobj"), None)
    if dobj is not None and lemma in lex.naming_verbs:
        # "has called climate change a hoax", "described the strike as a war crime"
        pred = next((c for c in children if c.dep_ in ("oprd", "ccomp", "xcomp") and c.i > dobj.i), None) \
            or next((c for c in children if c.dep_ == "prep" and c.lower_ == "as" and c.i > dobj.i), None)
        if pred is not None:
            return (_subtree_range(dobj)[0], _subtree_range(pred)[1]), None, "naming"
    if dobj is not None and lemma == "claim" and dobj.lemma_.lower() in lex.responsibility_objects:
        return _subtree_range(dobj), None, "responsibility"  # "claimed responsibility for the attack"
    if dobj is not None and lemma in lex.object_cues and dobj.pos_ != "PRON":
        return _subtree_range(dobj), None, "dobj"
    # "the program has expanded, they say": the cue hangs off the clause it reports
    if tok.dep_ == "parataxis" or (tok.dep_ in ("advcl",) and any(c.lower_ == "as" for c in tok.children)):
        head = tok.head
        return _subtree_range(head, [tok]), None, "parataxis"
    return None


def _is_cue_position(tok: Token, lemma: str) -> bool:
    """Not a modifier ('advisors supporting the offensive') nor a circumstance ('when considering')."""
    lex = lexicon()
    if tok.dep_ in ("acl", "amod", "compound", "pcomp", "csubj", "csubjpass"):
        return False
    if tok.tag_ == "VBG" and lemma not in lex.speech and not any(c.dep_ == "aux" for c in tok.children):
        return False
    if tok.dep_ == "advcl":
        if any(c.dep_ == "mark" and c.lower_ in TEMPORAL_MARKS for c in tok.children):
            return False
        if any(c.dep_ == "advmod" and c.lower_ in TEMPORAL_MARKS for c in tok.children):
            return False
        if tok.tag_ == "VBG" and lemma not in lex.speech:
            return False
    return True


def dep_attributions(doc: Doc, qidx: QuoteIndex, sent_index: dict[int, int]) -> list[Cand]:
    """Attributions from cue verbs and 'according to' in the dependency parse."""
    lex = lexicon()
    out: list[Cand] = []
    for tok in doc:
        if qidx.at(tok.idx) is not None:
            continue
        lemma = tok.lemma_.lower()
        if tok.lower_ == "according" and any(c.lower_ == "to" for c in tok.children):
            out.extend(_according(tok, sent_index))
            continue
        if tok.pos_ == "NOUN" and lemma in lex.nominal_speech:
            c = _nominal(tok, sent_index)
            if c is not None:
                out.append(c)
            continue
        if tok.pos_ not in ("VERB", "AUX") or lemma not in (lex.verbs | lex.object_cues):
            continue
        if tok.pos_ == "AUX" and lemma not in lex.speech:
            continue
        if not _is_cue_position(tok, lemma):
            continue
        got = _content(tok, lemma)
        if got is None:
            continue
        (cs, ce), particle, how = got
        cs, ce = trim_chars(doc_text(doc), *_clip_to_paragraph(doc_text(doc), cs, ce, tok.idx))
        if ce - cs < MIN_CONTENT_CHARS:
            continue
        subj, agentless = cue_subject(tok)
        if how == "raising":
            agentless, subj = True, None
        speaker = None
        if subj is not None and not agentless:
            if _generic_report(subj):
                agentless = True  # "Reports have indicated", "media reports say"
            else:
                speaker = read_speaker(subj)
        if speaker is None and subj is None and tok.tag_ in ("VBN",) and tok.dep_ in ("acl", "amod"):
            continue  # "the figures reported by": a modifier, not an attribution
        if speaker is None and not agentless:
            agentless = True
        cue, cue_span = cue_text(tok, particle)
        out.append(Cand(kind="reported", start=cs, end=ce, cue=cue, cue_span=cue_span, speaker=speaker,
                        lemma=lemma, origin="dep", agentless=agentless,
                        sent_i=sent_index.get(sent_of_token(tok).start, 0), extra={"how": how, "tok": tok.i}))
    return out


def _nominal(tok: Token, sent_index: dict[int, int]) -> Cand | None:
    """'Russia's claim that ...', 'reports that ...': a speech noun with a that-clause."""
    clause = next((c for c in tok.children if c.dep_ in ("acl", "ccomp", "appos", "relcl")
                   and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)), None)
    if clause is None:
        return None
    doc = tok.doc
    cs, ce = trim_chars(doc_text(doc), *_subtree_range(clause))
    if ce - cs < MIN_CONTENT_CHARS:
        return None
    owner = next((c for c in tok.children if c.dep_ == "poss" and c.pos_ != "PRON"), None)
    if owner is None:
        by = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("by", "from")), None)
        owner = next((p for p in by.children if p.dep_ == "pobj"), None) if by is not None else None
    speaker = read_speaker(owner) if owner is not None else None
    if speaker is not None and speaker.text and speaker.text.endswith(("’s", "'s")):
        speaker.text = speaker.text[:-2]
        speaker.end = (speaker.end or 0) - 2
    lo = tok.i
    while lo - 1 >= 0 and doc[lo - 1].head.i == tok.i and doc[lo - 1].dep_ in ("amod", "compound"):
        lo -= 1
    cue_span = (doc[lo].idx, tok.idx + len(tok))
    return Cand(kind="reported", start=cs, end=ce, cue=doc_text(doc)[cue_span[0]:cue_span[1]], cue_span=cue_span,
                speaker=speaker, lemma=tok.lemma_.lower(), origin="dep", agentless=speaker is None,
                sent_i=sent_index.get(sent_of_token(tok).start, 0), extra={"how": "nominal", "tok": tok.i})


def _generic_report(subj: Token) -> bool:
    """A subject that names no source: bare 'reports', 'rumours', 'accounts' (not 'a report by X')."""
    lex = lexicon()
    if subj.lower_ in ("there",) or subj.lemma_.lower() not in lex.agentless_subjects | {"report", "rumour", "rumor"}:
        return subj.lower_ == "there"
    if subj.lower_ == "it":
        return False  # active "it says": a document the text named before
    return not any(c.dep_ in ("det", "poss") or (c.dep_ == "prep" and c.lower_ in ("by", "from", "of"))
                   or (c.dep_ == "compound" and c.pos_ == "PROPN") for c in subj.children)


def _according(tok: Token, sent_index: dict[int, int]) -> list[Cand]:
    """'according to X, Y' / 'Y, according to X': X speaks, Y is the content."""
    to = next(c for c in tok.children if c.lower_ == "to")
    src = next((c for c in to.children if c.dep_ == "pobj"), None)
    if src is None:
        return []
    sent = sent_of_token(tok)
    a, b = tok.left_edge.i, tok.right_edge.i + 1
    doc = tok.doc
    # content: the rest of the sentence (the clause the phrase modifies)
    if a - sent.start >= sent.end - b:
        cs, ce = sent.start_char, doc[a - 1].idx if a > sent.start else sent.start_char
    else:
        cs, ce = doc[b].idx if b < len(doc) else sent.end_char, sent.end_char
    cs, ce = trim_chars(doc_text(doc), cs, ce)
    while ce > cs and doc_text(doc)[ce - 1] in ".!?":
        ce -= 1
    if ce - cs < MIN_CONTENT_CHARS:
        return []
    speaker = read_speaker(src)
    agentless = _generic_report(src)
    return [Cand(kind="reported", start=cs, end=ce, cue=doc_text(doc)[tok.idx:to.idx + len(to)],
                 cue_span=(tok.idx, to.idx + len(to)), speaker=None if agentless else speaker,
                 lemma="according to", origin="dep", agentless=agentless,
                 sent_i=sent_index.get(sent.start, 0), extra={"how": "according", "tok": tok.i})]


# ---------------------------------------------------------------- quotes

def _is_speech_verb(t: Token) -> bool:
    lex = lexicon()
    lemma = t.lemma_.lower()
    return t.pos_ in ("VERB", "AUX") and lemma != "be" and lemma in lex.speech | lex.report | lex.cognition


def _reports_elsewhere(t: Token, q: Quote) -> bool:
    """The verb already has its own content outside the quotation ('“...?” Clinton says there ...')."""
    for c in t.children:
        if c.dep_ in ("ccomp", "xcomp", "dobj") and not (q.start <= c.idx < q.end):
            if c.dep_ == "dobj" and c.pos_ in ("PRON", "PROPN", "NOUN") and t.lemma_.lower() in ("tell", "ask", "inform"):
                continue  # the hearer: '“...,” he told reporters'
            return True
    return False


def _speech_cue_near(doc: Doc, q: Quote, qidx: QuoteIndex) -> Token | None:
    """The speech verb that introduces or follows a quotation, outside any quotation."""
    text = doc_text(doc)
    # after: '“...,” said X' / '“...,” X told reporters' / '“...,” the ministry's spokesman said'
    span_after = doc.char_span(q.end, min(len(text), q.end + QUOTE_CUE_WINDOW), alignment_mode="contract")
    if span_after is not None:
        words = 0
        for t in span_after:
            if "\n" in t.text or t.text in OPEN_MARKS or qidx.at(t.idx) is not None:
                break
            if _is_speech_verb(t):
                if not _reports_elsewhere(t, q):
                    return t
                break
            if t.text in (".", "!", "?", ";"):
                break
            if not t.is_punct:
                words += 1
            if words > MAX_WORDS_TO_CUE:
                break
    # before: 'X said: "...' / 'X told reporters, "...' / 'who stated: "'
    lo = max(0, q.start - QUOTE_CUE_WINDOW)
    head = text[lo:q.start].rstrip()
    if head.endswith((":", ",")) or (head and q.start > 0 and _sentence_starts_before(doc, q.start)):
        span_before = doc.char_span(lo, q.start, alignment_mode="contract")
        if span_before is not None:
            for t in reversed(list(span_before)):
                if t.text in (".", "!", "?") or "\n" in t.text or qidx.at(t.idx) is not None:
                    break
                if _is_speech_verb(t):
                    if not _reports_elsewhere(t, q) or not head.endswith((":", ",")):
                        return t if head.endswith((":", ",")) or _introduces(t, q) else None
                    return t
    return None


def _sentence_starts_before(doc: Doc, char: int) -> bool:
    """The quotation sits inside a sentence that began before it ('He declared “...”')."""
    sent = sent_of_char(doc, char)
    return sent is not None and sent.start_char < char


def _introduces(t: Token, q: Quote) -> bool:
    """The verb's complement is the quotation itself ('Trump declared “I think ...”')."""
    return any(c.dep_ in ("ccomp", "dobj", "xcomp") and q.start <= c.idx < q.end for c in t.children) \
        or (t.i + 1 < len(t.doc) and q.start - (t.idx + len(t)) <= 2)


def quote_claims(doc: Doc, quotes: list[Quote], qidx: QuoteIndex, sent_index: dict[int, int],
                 dep: list[Cand]) -> list[Cand]:
    """A claim for each direct quotation that is speech (not a scare quote)."""
    text = doc_text(doc)
    by_tok = {c.extra.get("tok"): c for c in dep}
    out: list[Cand] = []
    prev: Cand | None = None
    for q in quotes:
        dash = dash_source(text, q)
        if dash is not None:
            (ds, de), speaker = dash
            sent = sent_of_char(doc, q.start)
            c = Cand(kind="quote", start=q.start, end=q.end, cue=text[ds:de], cue_span=(ds, de), speaker=speaker,
                     origin="quote", sent_i=sent_index.get(sent.start, 0) if sent is not None else 0, quote=q)
            out.append(c)
            prev = c
            continue
        cue_tok = _speech_cue_near(doc, q, qidx)
        words = q.words(text)
        sent = sent_of_char(doc, q.start)
        s_i = sent_index.get(sent.start, 0) if sent is not None else 0
        if cue_tok is None:
            # '“A,” said X. “B.”': the second part continues the first
            if prev is not None and _continues(text, prev, q):
                prev.end = max(prev.end, q.end)
                continue
            if words < MIN_QUOTE_WORDS or not _stands_alone(text, q):
                continue
            if CONTINUE_QUOTES_ACROSS_PARAGRAPHS and prev is not None and prev.speaker is not None \
                    and _near(text, prev.end, q.start):
                c = Cand(kind="quote", start=q.start, end=q.end, speaker=prev.speaker, origin="quote",
                         sent_i=s_i, quote=q, extra={"continued": True})
                out.append(c)
                prev = c
            continue
        subj, agentless = cue_subject(cue_tok)
        if subj is not None and q.start <= subj.idx < q.end:
            subj, agentless = _speaker_after_cue(cue_tok, q), False  # the parse took a quoted word
        speaker = read_speaker(subj) if subj is not None and not agentless else None
        cue, cue_span = cue_text(cue_tok)
        if prev is not None and prev.cue_span == cue_span:
            prev.end = max(prev.end, q.end)  # '“A,” he said, “B.”' is one quotation
            continue
        if words < MIN_QUOTE_WORDS and not _attached(text, q, cue_span):
            continue
        start, end = q.start, q.end
        d = by_tok.get(cue_tok.i)
        if d is not None:
            # the same cue read as indirect speech: one claim over both readings
            d.extra["absorbed"] = True
            if d.start < q.end and q.start < d.end:
                start, end = min(start, d.start), max(end, d.end)
        quoted_share = (q.inner(text)[1] - q.inner(text)[0]) / max(1, end - start)
        c = Cand(kind="quote" if quoted_share >= QUOTE_SHARE else "reported", start=start, end=end, cue=cue,
                 cue_span=cue_span, speaker=speaker, lemma=cue_tok.lemma_.lower(), origin="quote",
                 sent_i=s_i, quote=q, agentless=speaker is None, extra={"tok": cue_tok.i})
        out.append(c)
        prev = c
    return out


def _speaker_after_cue(cue: Token, q: Quote) -> Token | None:
    """'“...,” said Leslie Wimes, a ...': the first noun phrase after the cue, outside the quote."""
    doc = cue.doc
    for t in doc[cue.i + 1:min(len(doc), cue.i + 1 + MAX_WORDS_TO_CUE)]:
        if q.start <= t.idx < q.end or t.text in (".", "“", "\""):
            return None
        if t.pos_ in ("PROPN", "NOUN", "PRON"):
            while t.head.i > cue.i and t.head is not t and t.head.pos_ in ("PROPN", "NOUN") and t.dep_ in (
                    "compound", "amod", "nmod", "flat"):
                t = t.head
            return t
    return None


def _continues(text: str, prev: Cand, q: Quote) -> bool:
    """Only spaces, or only the previous quotation's own cue clause, stand between the two."""
    between = text[prev.end:q.start]
    if not between.strip():
        return True
    if "\n" in between or prev.cue_span is None:
        return False
    return prev.end <= prev.cue_span[0] < q.start and len(between) < QUOTE_CUE_WINDOW


def _near(text: str, a: int, b: int) -> bool:
    """The next quotation in the same or the following paragraph."""
    return a <= b and text[a:b].count("\n") <= 2 and len(text[a:b]) < 400


def _stands_alone(text: str, q: Quote) -> bool:
    """A quotation that makes up its sentence (or paragraph) rather than a phrase in one."""
    before = text[max(0, q.start - 2):q.start]
    return q.start == 0 or before.strip() == "" or before.rstrip().endswith((".", "!", "?", ":", "\n"))


def _attached(text: str, q: Quote, cue_span: tuple[int, int]) -> bool:
    """A short quotation counts when the cue sits right next to it ('“No,” he said')."""
    return abs(cue_span[0] - q.end) < 40 or abs(q.start - cue_span[1]) < 40
