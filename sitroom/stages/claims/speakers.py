"""Who makes a claim: the speaker's name as written, role, party, and continuity.

A speaker is read off the subject of the cue verb (dependency parse): a name (PERSON /
ORG entity or proper-noun chain), its titles ("Captain 1st rank", "Rep.") and
appositives ("deputy chief of ...") as the role, or a described source ("a senior
official", "sources") as written.  The party comes from the actors stage: its mentions
inside the speaker's phrase or role, else its dictionary (`resolve_actor`).  Pronouns,
surnames and role nouns ("he", "Ignasyuk", "the spokesman") resolve to a speaker named
earlier in the document.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from ...figures import actor_entry
from ...spans import ByStart

PERSONAL_PRONOUNS = {"he": "m", "she": "f", "him": "m", "her": "f", "they": "p", "them": "p",
                     "we": "p", "i": "s", "you": "s", "it": "n"}
RELATIVE_PRONOUNS = {"who", "that", "which", "whom"}
NAME_ENTS = {"PERSON", "ORG", "NORP", "GPE", "FAC"}
# dependency labels that end a described speaker's phrase ("officials, who spoke ...")
NP_STOP_DEPS = {"appos", "relcl", "acl", "punct", "cc", "conj", "advcl", "parataxis"}
MAX_SPEAKER_CHARS = 120  # a longer "speaker" is a misparse, not a source
# pronouns resolve to a speaker named at most this many sentences earlier
MAX_ANTECEDENT_SENTS = 8
# a document and who issued it ("a statement by the Ministry of Defence"), and a later mention of the document
DOCUMENT_NOUNS = r"statement|report|communiqu[eé]|press release|release|bulletin|declaration|announcement"
ISSUED_DOCUMENT_RE = re.compile(rf"^(?:an?|the|its|their)\s+(?:\w+\s+)?(?P<noun>{DOCUMENT_NOUNS})\s+"
                                r"(?:issued\s+by|released\s+by|published\s+by|by|from)\s+(?P<issuer>\S.*)$", re.I)
DOCUMENT_BACK_RE = re.compile(rf"^(?:the|this|that)\s+(?:\w+\s+)?(?P<noun>{DOCUMENT_NOUNS})$", re.I)


@dataclass
class Speaker:
    text: str | None
    start: int | None = None
    end: int | None = None
    role: str | None = None
    role_span: tuple[int, int] | None = None
    kind: str = "name"  # name | described | pronoun | agentless
    head: Token | None = None
    actor: str | None = None
    resolved_from: str | None = None
    plural: bool = False
    spans: list[tuple[int, int]] = field(default_factory=list)


# ---------------------------------------------------------------- phrase reading

def _entity_of(tok: Token) -> Span | None:
    doc = tok.doc
    if tok.ent_type_ in NAME_ENTS:
        for ent in doc.ents:
            if ent.start <= tok.i < ent.end:
                return ent
    return None


def _name_chain(tok: Token) -> tuple[int, int]:
    """Token range of the proper-noun chain headed by `tok` ('Oleg Ignasyuk', 'G.K. Butterfield')."""
    lo = hi = tok.i
    doc = tok.doc
    while lo - 1 >= 0 and doc[lo - 1].pos_ == "PROPN" and doc[lo - 1].head.i in range(lo, hi + 1 + 3) \
            and doc[lo - 1].dep_ in ("compound", "flat", "nmod", "amod"):
        lo -= 1
    while hi + 1 < len(doc) and doc[hi + 1].pos_ == "PROPN" and doc[hi + 1].dep_ in ("flat", "appos", "compound") \
            and doc[hi + 1].head.i == tok.i and not doc[hi].is_punct:
        hi += 1
    return lo, hi + 1


def _trim(doc: Doc, lo: int, hi: int) -> tuple[int, int]:
    while lo < hi and (doc[lo].is_punct or doc[lo].is_space):
        lo += 1
    while hi > lo and (doc[hi - 1].is_punct or doc[hi - 1].is_space):
        hi -= 1
    return lo, hi


def _np_range(head: Token) -> tuple[int, int]:
    """The noun phrase of `head` without appositives, relative clauses and trailing asides."""
    lo = head.left_edge.i
    hi = head.i + 1
    for child in head.rights:
        if child.dep_ in NP_STOP_DEPS:
            break
        hi = child.right_edge.i + 1
    for child in head.lefts:
        if child.dep_ in ("punct",) and child.i > lo:
            lo = child.i + 1
    return _trim(head.doc, lo, hi)


def _is_name(tok: Token) -> bool:
    return tok.pos_ == "PROPN" or tok.ent_type_ in ("PERSON", "ORG")


def _appositive_of(tok: Token) -> Token | None:
    """The noun this name stands in apposition to ('deputy chief of X, Captain Oleg Ignasyuk')."""
    head = tok.head
    if tok.dep_ == "appos" and head.pos_ in ("NOUN", "PROPN"):
        return head
    if tok.dep_ == "conj" and head.pos_ == "NOUN":
        between = tok.doc[head.i + 1:tok.i]
        if any(t.text == "," for t in between) and not any(t.dep_ == "cc" for t in between):
            return head
    return None


def read_speaker(subj: Token) -> Speaker:
    """The speaker named by the subject token of a cue verb."""
    doc = subj.doc
    low = subj.lower_
    if low in RELATIVE_PRONOUNS and subj.head.dep_ == "relcl":
        subj = subj.head.head
        low = subj.lower_
    if subj.pos_ == "PRON" and low in PERSONAL_PRONOUNS:
        return Speaker(subj.text, subj.idx, subj.idx + len(subj), kind="pronoun", head=subj,
                       plural=PERSONAL_PRONOUNS[low] == "p")
    role_parts: list[tuple[int, int]] = []
    # a described head with a name in apposition: the name speaks, the description is the role
    if not _is_name(subj):
        for child in subj.children:
            if child.dep_ in ("appos",) and _is_name(child) and child.ent_type_ == "PERSON":
                role_parts.append(_np_range(subj))
                subj = child
                break
    if _is_name(subj):
        ent = _entity_of(subj)
        lo, hi = _name_chain(subj)
        if ent is not None and ent.label_ == "PERSON":
            lo, hi = ent.start, ent.end  # titles before a person's name are the role
        elif ent is not None and ent.label_ == "ORG":
            lo, hi = min(lo, ent.start), max(hi, ent.end)  # widened: "Mandalay PDF"
        # titles: compounds before the name that the entity leaves out ("Captain 1st rank", "Rep.")
        t_lo = subj.left_edge.i
        if t_lo < lo:
            t_lo, t_hi = _trim(doc, t_lo, lo)
            if t_hi > t_lo and not all(doc[k].pos_ == "DET" for k in range(t_lo, t_hi)):
                lo_det = t_lo + (1 if doc[t_lo].pos_ == "DET" else 0)
                if t_hi > lo_det:
                    role_parts.insert(0, (lo_det, t_hi))
        appo_head = _appositive_of(subj)
        if appo_head is not None:
            a_lo, a_hi = _np_range(appo_head)
            role_parts.append((a_lo, min(a_hi, lo)))
        for child in subj.rights:
            if child.dep_ == "appos":
                role_parts.append(_trim(doc, child.left_edge.i, child.right_edge.i + 1))
                break
        name = doc[lo:hi]
        roles = [doc[a:b] for a, b in role_parts if b > a]
        role = ", ".join(r.text for r in roles) or None
        rspan = (roles[0].start_char, roles[-1].end_char) if roles else None
        return Speaker(name.text, name.start_char, name.end_char, role=role, role_span=rspan,
                       kind="name", head=subj, plural=subj.tag_ in ("NNPS",),
                       spans=[(r.start_char, r.end_char) for r in roles])
    lo, hi = _np_range(subj)
    span = doc[lo:hi]
    if len(span.text) > MAX_SPEAKER_CHARS:
        span = doc[subj.i:subj.i + 1]
    return Speaker(span.text, span.start_char, span.end_char, kind="described", head=subj,
                   plural=subj.tag_ in ("NNS", "NNPS"))


def speaker_from_text(text: str, start: int, end: int) -> Speaker:
    """A speaker from a character span (no parse: the fallback path)."""
    words = text[start:end]
    low = words.lower()
    if low in PERSONAL_PRONOUNS:
        return Speaker(words, start, end, kind="pronoun", plural=PERSONAL_PRONOUNS[low] == "p")
    kind = "name" if words[:1].isupper() and low not in ("officials", "sources") else "described"
    return Speaker(words, start, end, kind=kind)


# ---------------------------------------------------------------- parties

def _resolve(phrase: str) -> str | None:
    """The party a phrase names, from the actors dictionary."""
    return (actor_entry(phrase) or {}).get("name") or None


def speaker_actor(sp: Speaker, mentions: ByStart) -> str | None:
    """The party a speaker speaks for: actor mentions inside the speaker or role, else the dictionary."""
    spans = [(sp.start, sp.end)] if sp.start is not None else []
    spans += sp.spans or ([sp.role_span] if sp.role_span else [])
    for s, e in spans:
        inside = [m for m in mentions.within(s, e) if m["actor"]]
        if inside:
            # the most specific mention: the one latest in the role ("chief of the X of Y")
            return max(inside, key=lambda m: (m["end"] - m["start"]))["actor"]
    for phrase in (sp.role, sp.text):
        # only phrases with a name in them can resolve ("the ministry" alone names no party)
        if phrase and sp.kind != "pronoun" and any(ch.isupper() for ch in phrase):
            hit = _resolve(phrase)
            if hit:
                return hit
    return None


# ---------------------------------------------------------------- continuity

class SpeakerMemory:
    """Speakers named so far in a document, for 'he said', 'Ignasyuk stated', 'the spokesman added'."""

    def __init__(self) -> None:
        self.named: list[tuple[int, Speaker]] = []  # (sentence index, speaker)
        self.issuers: list[tuple[int, str, Speaker]] = []  # (sentence index, document noun, its issuer)

    def remember(self, sent_i: int, sp: Speaker) -> None:
        if sp.kind == "name" and sp.text:
            self.named.append((sent_i, sp))
        m = ISSUED_DOCUMENT_RE.match(sp.text or "")
        if m:
            issuer = Speaker(m["issuer"], kind="name", actor=sp.actor, role=sp.role)
            self.issuers.append((sent_i, _document_noun(m["noun"]), issuer))

    def resolve(self, sent_i: int, sp: Speaker) -> Speaker:
        """The earlier speaker this one refers back to, or `sp` unchanged."""
        if not sp.text:
            return sp
        low = sp.text.lower()
        m = DOCUMENT_BACK_RE.match(sp.text)
        if m:  # "The statement said": the issuer of the statement named before speaks
            noun = _document_noun(m["noun"])
            recent = [(si, n, iss) for si, n, iss in self.issuers if sent_i - si <= MAX_ANTECEDENT_SENTS]
            match = next((iss for _, n, iss in reversed(recent) if n == noun), None)
            if match is None and recent:
                match = recent[-1][2]
            return _inherit(sp, match) if match is not None else sp
        if sp.kind == "pronoun":
            if low in ("i", "you", "it", "we"):
                return sp
            for si, prev in reversed(self.named):
                if sent_i - si > MAX_ANTECEDENT_SENTS:
                    break
                if prev.plural == sp.plural:
                    return _inherit(sp, prev)
            return sp
        if sp.kind == "name":
            last = low.split()[-1]
            for _, prev in reversed(self.named):
                full = (prev.text or "").lower()
                if full != low and len(full) > len(low) and full.split()[-1] == last:
                    out = _inherit(sp, prev)
                    out.role = sp.role or prev.role
                    return out
            return sp
        if sp.kind == "described":
            head = low.split()[-1]
            for si, prev in reversed(self.named):
                if sent_i - si > MAX_ANTECEDENT_SENTS:
                    break
                if low.startswith("the ") and prev.role and head in prev.role.lower().split():
                    return _inherit(sp, prev)
        return sp


def _document_noun(noun: str) -> str:
    return noun.lower().replace("é", "e")


def _inherit(sp: Speaker, prev: Speaker) -> Speaker:
    return Speaker(prev.text, sp.start, sp.end, role=prev.role, role_span=None, kind="name",
                   head=sp.head, actor=prev.actor, resolved_from=sp.text, plural=prev.plural)
