"""Relations stage: who supports, sponsors, trains, fights, allies with or controls whom.

Reads the actor mentions (`doc._.actor_mentions`) and finds, sentence by sentence,
the trigger patterns news prose uses for relations between armed actors:

* compounds:    "the Turkish-sponsored Al Nusra Front", "Iran-backed Houthis"
* passives:     "the Syrian army, backed by Russia's Aerospace Forces"
* active verbs: "Turkey and Ukraine provided support to Al Nusra", "Iran arms the Houthis"
* receiving:    "Al Nusra received support from Ukrainian advisors"
* nouns:        "Ukrainian support ... training militants", "clashes between X and Y"
* alliances:    "X and its allies", "X, allied with Y", "alongside X"

Each relation carries the canonical actor names and the id of the claim (from the
claims stage) whose span holds its trigger, so a reader sees who asserts it.
Works on token windows, so it runs without a parser; the parse, when present,
only decides which side of a clause an actor is on.
"""
from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span

from .. import document
from ..actordict import resolve_actor
from ..spans import ByStart

PREDICATES = ("supports", "sponsors", "trains", "fights", "allied_with", "controls")

# Participles in "X-<word> Y" compounds and "Y, <word> by X" passives.
COMPOUND_PREDICATE = {
    "backed": "supports", "supported": "supports", "armed": "supports", "equipped": "supports",
    "aided": "supports", "assisted": "supports", "protected": "supports", "reinforced": "supports",
    "sponsored": "sponsors", "funded": "sponsors", "financed": "sponsors", "bankrolled": "sponsors",
    "trained": "trains", "allied": "allied_with", "aligned": "allied_with", "affiliated": "allied_with",
    "controlled": "controls", "run": "controls", "led": "controls", "commanded": "controls",
}
# Verbs whose subject acts on the object directly ("Iran arms the Houthis").
VERB_PREDICATE = {
    "back": "supports", "support": "supports", "arm": "supports", "equip": "supports", "assist": "supports",
    "aid": "supports", "help": "supports", "protect": "supports", "reinforce": "supports",
    "bolster": "supports", "shield": "supports", "defend": "supports", "resupply": "supports",
    "sponsor": "sponsors", "fund": "sponsors", "finance": "sponsors", "bankroll": "sponsors",
    "train": "trains", "mentor": "trains", "instruct": "trains",
    "attack": "fights", "fight": "fights", "clash": "fights", "battle": "fights", "ambush": "fights",
    "shell": "fights", "bomb": "fights", "strike": "fights", "target": "fights", "raid": "fights",
    "assault": "fights", "repel": "fights", "repulse": "fights", "engage": "fights", "confront": "fights",
    "counterattack": "fights", "besiege": "fights", "encircle": "fights", "pound": "fights",
    "control": "controls", "command": "controls", "govern": "controls", "administer": "controls",
    "ally": "allied_with",
}
# Verbs that give something to a recipient named after "to"/"for" ("provided support to X").
GIVE_VERBS = frozenset({"provide", "give", "offer", "send", "supply", "deliver", "lend", "extend",
                        "transfer", "ship", "deploy", "dispatch"})
# Verbs whose subject receives from a giver named after "from" ("received support from X").
RECEIVE_VERBS = frozenset({"receive", "get", "obtain", "enjoy", "accept", "gain", "acquire", "secure"})
# What is given decides the predicate; anything military given is support.
SUPPORT_NOUNS = {
    "support": "supports", "backing": "supports", "assistance": "supports", "aid": "supports",
    "advisors": "supports", "advisers": "supports", "weapons": "supports", "arms": "supports",
    "ammunition": "supports", "drones": "supports", "equipment": "supports", "help": "supports",
    "reinforcements": "supports", "protection": "supports", "troops": "supports", "fighters": "supports",
    "supplies": "supports", "air": "supports", "cover": "supports", "missiles": "supports",
    "training": "trains", "instruction": "trains", "instructors": "trains",
    "funding": "sponsors", "funds": "sponsors", "financing": "sponsors", "money": "sponsors",
    "sponsorship": "sponsors", "patronage": "sponsors", "salaries": "sponsors",
}
# Nouns for a fight between two sides ("clashes between X and Y").
FIGHT_NOUNS = frozenset({"clash", "clashes", "fighting", "battle", "battles", "war", "hostilities",
                         "confrontation", "confrontations", "skirmish", "skirmishes", "firefight",
                         "gunfight", "exchange", "conflict"})
ATTACK_NOUNS = frozenset({"offensive", "attack", "attacks", "assault", "assaults", "counteroffensive",
                          "counter-offensive", "operation", "operations", "strikes", "airstrikes",
                          "raid", "raids", "campaign", "push", "incursion", "invasion"})
ALLY_NOUNS = frozenset({"allies", "ally", "affiliates", "partners", "proxies", "proxy"})
INTERVENTION_NOUNS = frozenset({"intervention", "involvement", "deployment", "entry", "support", "backing"})
ENABLE_VERBS = frozenset({"allow", "help", "enable", "assist", "let", "aid", "permit", "save"})

# Which actors can be party to a relation (not civilians, protesters or speakers).
PARTY_INTERS = frozenset({"State forces", "Rebel group", "Political militia", "Identity militia",
                          "External/Other forces", "Rioters"})
# Tokens allowed between two actors listed together ("Russia, Iran and the ... Hezbollah").
LIST_WORDS = frozenset({",", "and", "or", "both", "as", "well", "the", "its", "their", "&", "also",
                        "along", "with", "together"})
MAX_LIST_GAP = 5          # tokens between listed actors ("and the Lebanese paramilitary group")
MAX_SUBJECT_GAP = 14      # tokens from the subject to its verb ("Turkey ... having provided")
MAX_OBJECT_GAP = 18       # tokens from a give-verb to its recipient ("provided ... to Al Nusra")
MAX_COMPOUND_GAP = 4      # tokens from "X-backed" to the group it qualifies
PASSIVE_GAP = 4           # tokens from a group to its participle ("the Syrian army, reportedly backed by")


class Group:
    """Actors listed together in a sentence ("Russia, Iran and Hezbollah"), as token positions."""

    def __init__(self, members: list[dict]):
        self.members = members
        self.start = members[0]["_tok"][0]
        self.end = members[-1]["_tok"][1]

    @property
    def names(self) -> list[str]:
        return list(dict.fromkeys(m["actor"] for m in self.members))


def _party(m: document.ActorMention) -> bool:
    return (m["inter"] in PARTY_INTERS or m["kind"] == "state") and m["kind"] != "speaker"


def _mentions_with_tokens(doc: Doc) -> list[dict]:
    out = []
    for m in document.layer(doc, "actor_mentions"):
        if not _party(m):
            continue
        span = document.char_span(doc, m["start"], m["end"])
        if span is None:
            continue
        out.append({**m, "_tok": (span.start, span.end)})
    out.sort(key=lambda m: m["_tok"])
    return out


def _is_list_gap(doc: Doc, a: int, b: int) -> bool:
    gap = doc[a:b]
    if len(gap) > MAX_LIST_GAP:
        return False
    if [t.text for t in gap] == [","]:
        return True
    if not any(t.lower_ in ("and", "or", "&") for t in gap):  # ", a former X" is an apposition
        return False
    for t in gap:
        if t.lower_ in LIST_WORDS:
            continue
        if t.pos_ in ("VERB", "AUX", "ADP", "SCONJ", "PRON") or t.is_punct:
            return False
    return True


def _groups(doc: Doc, sent: Span, mentions: ByStart) -> list[Group]:
    inside = mentions.within(sent.start, sent.end)
    groups: list[list[dict]] = []
    for m in inside:
        if groups and _is_list_gap(doc, groups[-1][-1]["_tok"][1], m["_tok"][0]):
            groups[-1].append(m)
        else:
            groups.append([m])
    return [Group(g) for g in groups]


def _before(groups: list[Group], i: int, gap: int) -> Group | None:
    """The nearest group ending at or before token i, at most `gap` tokens away."""
    cands = [g for g in groups if g.end <= i and i - g.end <= gap]
    return cands[-1] if cands else None


def _after(groups: list[Group], i: int, gap: int) -> Group | None:
    cands = [g for g in groups if g.start >= i and g.start - i <= gap]
    return cands[0] if cands else None


def _subject(doc: Doc, groups: list[Group], verb: int) -> Group | None:
    """The subject group of a verb: the parse's nsubj when there is one, else the nearest before."""
    if doc.has_annotation("DEP"):
        tok = doc[verb]
        heads = [tok, *tok.ancestors][:4]
        for h in heads:
            for child in h.children:
                if child.dep_ in ("nsubj", "nsubjpass", "csubj") or (child.dep_ == "agent" and h is not tok):
                    for g in groups:
                        if g.start <= child.i < g.end or any(
                                m["_tok"][0] <= child.i < m["_tok"][1] for m in g.members):
                            return g
                        # subject noun phrase that contains the group ("the Syrian army's units")
                        sub = doc[child.left_edge.i:child.right_edge.i + 1]
                        if sub.start <= g.start and g.end <= sub.end:
                            return g
            if h.dep_ in ("relcl", "acl") and h.head.i < verb:
                g = _before(groups, h.head.i + 1, 2)
                if g:
                    return g
    return _before(groups, verb, MAX_SUBJECT_GAP)


def _word_after(doc: Doc, i: int, words: frozenset | set | dict, limit: int, end: int) -> int | None:
    for j in range(i, min(i + limit, end)):
        if doc[j].lower_ in words:
            return j
    return None


def _lemma(tok) -> str:
    lemma = (tok.lemma_ or "").lower()
    return lemma if lemma and lemma != tok.lower_ or tok.lower_ in VERB_PREDICATE else _stem(tok.lower_)


def _stem(word: str) -> str:
    """A crude verb stem for blank pipelines without a lemmatizer ("backed" -> "back")."""
    for suffix, repl in (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)] + repl
            for cand in (stem, stem + "e", stem[:-1] if len(stem) > 3 and stem[-1] == stem[-2] else stem):
                if cand in VERB_PREDICATE or cand in GIVE_VERBS or cand in RECEIVE_VERBS \
                        or cand in ENABLE_VERBS:
                    return cand
    return word


class _Found:
    """One document's relations as they are found, each tied to the claim whose span holds its trigger."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.claims = document.layer(doc, "claims")
        self.relations: list[document.RelationRecord] = []
        # every pattern reads every token: its lower form and lemma are read from spaCy once
        self.lowers = [t.lower_ for t in doc]
        self._lemmas: list[str | None] = [None] * len(doc)

    def lemma(self, i: int) -> str:
        if self._lemmas[i] is None:
            self._lemmas[i] = _lemma(self.doc[i])
        return self._lemmas[i]

    def add(self, subj: Group | None, pred: str, obj: Group | None, trigger: int, method: str) -> None:
        """Every subject-object pair of two groups, when both sides are known."""
        if subj is None or obj is None:
            return
        tok = self.doc[trigger]
        char = tok.idx
        claim = next((c["claim_id"] for c in self.claims if c["start"] <= char < c["end"]), None)
        for s in subj.names:
            for o in obj.names:
                if s != o:
                    self.relations.append({"subject": s, "predicate": pred, "object": o, "claim_id": claim,
                                           "start": tok.idx, "end": tok.idx + len(tok), "method": method})

    def add_allies(self, group: Group, trigger: int) -> None:
        """Actors acting jointly as one subject are allied with each other."""
        members = group.members
        for a in range(len(members)):
            for b in range(a + 1, len(members)):
                self.add(Group([members[a]]), "allied_with", Group([members[b]]), trigger, "co-subject")


@dataclass
class _Sentence:
    """One sentence being read: its actor groups, and where relations go."""
    doc: Doc
    sent: Span
    groups: list[Group]
    mentions: list[dict]
    found: _Found

    @property
    def end(self) -> int:
        return self.sent.end

    def before(self, i: int, gap: int) -> Group | None:
        return _before(self.groups, i, gap)

    def after(self, i: int, gap: int) -> Group | None:
        return _after(self.groups, i, gap)

    def subject(self, verb: int) -> Group | None:
        return _subject(self.doc, self.groups, verb)

    def word_after(self, i: int, words: frozenset | set | dict, limit: int) -> int | None:
        return _word_after(self.doc, i, words, limit, self.sent.end)

    def lower(self, i: int) -> str:
        return self.found.lowers[i]

    def lemma(self, i: int) -> str:
        return self.found.lemma(i)


def find_relations(doc: Doc) -> list[document.RelationRecord]:
    """Relations between actor mentions: [{subject, predicate, object, claim_id, start, end}]."""
    mentions = _mentions_with_tokens(doc)
    if len({m["actor"] for m in mentions}) < 2:
        return []
    found = _Found(doc)
    _sponsor_aliases(doc, mentions, found)
    by_token = ByStart(mentions, lambda m: m["_tok"])
    for sent in doc.sents:
        groups = _groups(doc, sent, by_token)
        if not groups:
            continue
        s = _Sentence(doc, sent, groups, mentions, found)
        for i in range(sent.start, sent.end):
            for pattern in TOKEN_PATTERNS:
                if pattern(s, i):
                    break
    return _dedupe(found.relations)


def _sponsor_aliases(doc: Doc, mentions: list[dict], found: _Found) -> None:
    """A dictionary alias that carries its sponsor: "Turkish-backed factions"."""
    for m in mentions:
        s, e = m["_tok"]
        if e - s >= 3 and doc[s + 1].text == "-" and doc[s + 2].lower_ in COMPOUND_PREDICATE:
            pred = COMPOUND_PREDICATE[doc[s + 2].lower_]
            found.add(_country_group(doc, s), pred, Group([m]), s + 2, "compound")


# ---------------------------------------------------------------- token patterns
# Each reads the sentence at token i and returns True when the token is taken (no later pattern
# looks at it); they run in the order of TOKEN_PATTERNS, at the end of this section.

def _compound(s: _Sentence, i: int) -> bool:
    """'Turkish-sponsored Al Nusra Front', 'Iran-backed Houthis'."""
    doc = s.doc
    if not (s.lower(i) == "-" and i + 1 < s.end and s.lower(i + 1) in COMPOUND_PREDICATE):
        return False
    subj = s.before(i, 0) or _country_group(doc, i - 1)
    obj = s.after(i + 2, MAX_COMPOUND_GAP)
    if obj is not None and any(t.pos_ in ("VERB", "AUX", "ADP") or t.is_punct for t in doc[i + 2:obj.start]):
        obj = None  # "Turkish-backed groups attacked the SDF": the SDF is not backed
    if obj is None and i + 2 < s.end and s.lower(i + 2) in ANAPHORS:
        obj = _antecedent(s.mentions, i, subj)  # "the Iran-backed group" = the group named before
    s.found.add(subj, COMPOUND_PREDICATE[s.lower(i + 1)], obj, i + 1, "compound")
    return True


def _passive(s: _Sentence, i: int) -> bool:
    """'Y, backed by X' / 'Y is controlled by X'."""
    doc = s.doc
    low = s.lower(i)
    if not (low in COMPOUND_PREDICATE and i + 1 < s.end and s.lower(i + 1) == "by"
            and not (i > 0 and doc[i - 1].text == "-")):
        return False
    tok = doc[i]
    subj = s.after(i + 2, 3)
    obj = s.before(i, PASSIVE_GAP)
    if obj is not None and any(t.pos_ in ("VERB", "AUX", "ADP") or t.text in ("(", ")")
                               for t in doc[obj.end:i]):
        obj = None  # "attacked the checkpoint (run by the military": not the attacker
    if obj is None and doc.has_annotation("DEP") and tok.dep_ in ("acl", "amod", "relcl"):
        obj = next((g for g in s.groups if g.start <= tok.head.i < g.end), None)
    if low == "run":
        obj = None  # "run by" qualifies facilities far more often than groups
    s.found.add(subj, COMPOUND_PREDICATE[low], obj, i, "passive")
    return True


def _with_support(s: _Sentence, i: int) -> bool:
    """'..., with (the) support of/from X': X supports the clause's subject."""
    doc = s.doc
    low = s.lower(i)
    if not (low in ("support", "backing", "help", "assistance", "cover") and i > 0
            and s.lower(i - 1) in ("with", "the", "air", "military", "artillery")
            and i + 1 < s.end and s.lower(i + 1) in ("of", "from")):
        return False
    j = i - 1
    while j > s.sent.start and s.lower(j) != "with" and i - j < 4:
        j -= 1
    if s.lower(j) != "with":
        return False
    head = doc[j].head if doc.has_annotation("DEP") else None
    if head is not None and head.pos_ == "VERB":
        supported = s.subject(head.i)
    else:
        supported = s.before(j, MAX_SUBJECT_GAP)
    s.found.add(s.after(i + 2, 3), SUPPORT_NOUNS.get(low, "supports"), supported, i, "with-support")
    return True


def _protection(s: _Sentence, i: int) -> bool:
    """'under the protection of X'; 'X placed ... under their protection' (the protected is the
    other armed actor before X)."""
    doc = s.doc
    if s.lower(i) != "protection":
        return False
    if i + 2 < s.end and s.lower(i + 1) == "of":
        s.found.add(s.after(i + 2, 3), "supports", s.before(i, MAX_SUBJECT_GAP), i, "protection")
        return True
    if i > 0 and s.lower(i - 1) in ("their", "its", "his"):
        subj = s.before(i, MAX_SUBJECT_GAP)
        others = [g for g in s.groups if subj and g is not subj and g.end <= subj.start]
        s.found.add(subj, "supports", others[-1] if others else None, i, "protection")
        return True
    return False


def _receive(s: _Sentence, i: int) -> bool:
    """'Al Nusra received support from Ukrainian advisors'."""
    if s.lemma(i) not in RECEIVE_VERBS:
        return False
    noun = s.word_after(i + 1, SUPPORT_NOUNS, 6)
    if noun is not None:
        frm = s.word_after(noun + 1, {"from"}, 4)
        if frm is not None:
            s.found.add(s.after(frm + 1, 3), SUPPORT_NOUNS[s.doc[noun].lower_], s.subject(i), i, "receive")
    return True


def _give(s: _Sentence, i: int) -> bool:
    """'Turkey and Ukraine provided such support to Al Nusra'."""
    if s.lemma(i) not in GIVE_VERBS:
        return False
    noun = s.word_after(i + 1, SUPPORT_NOUNS, 10)
    if noun is not None:
        to = s.word_after(i + 1, {"to", "for"}, MAX_OBJECT_GAP)
        obj = s.after(to + 1, 3) if to is not None else None
        s.found.add(s.subject(i), SUPPORT_NOUNS[s.doc[noun].lower_], obj, i, "give")
    return True


def _support_noun(s: _Sentence, i: int) -> bool:
    """'Ukrainian support ... training militants', "X's backing for Y"."""
    doc = s.doc
    low = s.lower(i)
    if low not in ("support", "backing", "sponsorship", "training", "funding"):
        return False
    tok = doc[i]
    if not (tok.pos_ != "VERB"
            and (i == 0 or s.lower(i - 1) not in ("to", "will", "would", "must"))):
        return False
    subj = s.before(i, 1) or _country_group(doc, i - 1)
    if subj is None:
        return False
    pred = SUPPORT_NOUNS[low]
    to = s.word_after(i + 1, {"for", "to"}, 3)
    obj = s.after(to + 1, 3) if to is not None else None
    if obj is None:
        train = s.word_after(i + 1, {"training", "arming", "funding", "equipping"}, 6)
        if train is not None:
            pred = SUPPORT_NOUNS.get(doc[train].lower_.replace("arming", "weapons")
                                     .replace("equipping", "equipment"), "supports")
            obj = s.after(train + 1, 2)
    s.found.add(subj, pred, obj, i, "noun")
    return True


def _fight_between(s: _Sentence, i: int) -> bool:
    """'clashes between X and Y'."""
    doc = s.doc
    if not (s.lower(i) in FIGHT_NOUNS and i + 1 < s.end and s.lower(i + 1) == "between"):
        return False
    g = s.after(i + 2, 2)
    if g is not None and len(g.members) >= 2:
        s.found.add(Group([g.members[0]]), "fights", Group(g.members[1:]), i, "between")
    return True


def _attack_noun(s: _Sentence, i: int) -> bool:
    """"X's offensive against Y", 'an offensive by X against Y'; never takes the token, so
    'intervention by X ... allowing Y' still reads it."""
    if s.lower(i) in ATTACK_NOUNS:
        against = s.word_after(i + 1, {"against", "on"}, 6)
        obj = s.after(against + 1, 3) if against is not None else None
        by = s.word_after(i + 1, {"by"}, 3)
        subj = s.after(by + 1, 2) if by is not None else s.before(i, 2)
        if obj is not None:
            s.found.add(subj, "fights", obj, i, "attack-noun")
    return False


def _intervention(s: _Sentence, i: int) -> bool:
    """'an intervention by Russia, Iran and Hezbollah ... allowing Syrian government forces'."""
    doc = s.doc
    if not (s.lower(i) in INTERVENTION_NOUNS and i + 1 < s.end and s.lower(i + 1) == "by"):
        return False
    subj = s.after(i + 2, 2)
    helped = next((g for j in range(i + 2, s.end) if s.lemma(j) in ENABLE_VERBS
                   for g in [s.after(j + 1, 4)] if g is not None and g is not subj), None)
    if subj is not None and helped is not None:
        s.found.add(subj, "supports", helped, i, "intervention")
        if len(subj.members) >= 2:
            s.found.add_allies(subj, i)
    return True


def _allies(s: _Sentence, i: int) -> bool:
    """'X and its allies Y', 'alongside X', 'X, allied with Y'."""
    doc = s.doc
    low = s.lower(i)
    if low in ALLY_NOUNS and i > 1 and s.lower(i - 1) in ("its", "their"):
        s.found.add(s.before(i - 1, 2), "allied_with", s.after(i + 1, 3), i, "allies")
        return True
    if low == "alongside":
        s.found.add(s.subject(i), "allied_with", s.after(i + 1, 3), i, "alongside")
        return True
    if low in ("allied", "aligned") and i + 1 < s.end and s.lower(i + 1) in ("with", "to"):
        s.found.add(s.before(i, 3), "allied_with", s.after(i + 2, 3), i, "allied")
        return True
    return False


def _active_verb(s: _Sentence, i: int) -> bool:
    """'Iran arms the Houthis', 'RSF fighters attacked the army', 'X clashed with Y'."""
    doc = s.doc
    lemma = s.lemma(i)
    if lemma not in VERB_PREDICATE:
        return False
    tok = doc[i]
    if not (tok.pos_ in ("VERB", "") or not doc.has_annotation("TAG")):
        return False
    if i + 1 < s.end and s.lower(i + 1) == "by":
        return True
    pred = VERB_PREDICATE[lemma]
    prep = s.word_after(i + 1, {"with", "against", "on"}, 2)
    obj = s.after((prep + 1) if prep is not None else i + 1, 4)
    subj = s.subject(i)
    between = doc[i + 1:obj.start] if obj is not None else doc[i:i]
    if any(t.pos_ in ("VERB", "AUX") for t in between):
        obj = None  # the object belongs to a later verb ("target positions and protect X")
    elif any(t.lower_ in ("alongside", "beside", "support", "help", "backing", "from") for t in between):
        obj = None  # "fighting alongside Russian troops", "with support from X"
    if obj is None and subj is not None:
        obj = _relative_antecedent(doc, s.groups, subj)
        if obj is not None:  # "the RSF, which the UAE is accused of arming"
            s.found.add(subj, pred, obj, i, "relative")
            return True
    if subj is not None and obj is not None and subj.start < i < obj.start:
        s.found.add(subj, pred, obj, i, "verb")
        if pred in ("fights", "supports") and len(subj.members) >= 2:
            s.found.add_allies(subj, i)
    return True


# first match wins: a token one pattern takes is not read by the later ones
TOKEN_PATTERNS = (_compound, _passive, _with_support, _protection, _receive, _give, _support_noun,
                  _fight_between, _attack_noun, _intervention, _allies, _active_verb)


ANAPHORS = frozenset({"group", "movement", "militia", "militias", "rebels", "faction", "organisation",
                      "organization", "outfit", "insurgents", "fighters", "militants", "force", "forces"})


def _antecedent(mentions: list[dict], i: int, subj: Group | None) -> Group | None:
    """The last non-state actor named before token i: what 'the Iran-backed group' refers to."""
    skip = set(subj.names) if subj else set()
    for m in reversed(mentions):
        if m["_tok"][1] <= i and m["kind"] in ("armed", "party") and m["actor"] not in skip:
            return Group([m])
    return None


def _relative_antecedent(doc: Doc, groups: list[Group], subj: Group) -> Group | None:
    """'X, which Y ...': X, when the subject Y opens a relative clause right after it."""
    prev = [g for g in groups if g.end <= subj.start]
    if not prev:
        return None
    gap = [t.lower_ for t in doc[prev[-1].end:subj.start]]
    if gap and gap[-1] == "the":
        gap = gap[:-1]
    return prev[-1] if gap in ([",", "which"], ["which"], [",", "whom"], ["that"]) else None


def _country_group(doc: Doc, i: int) -> Group | None:
    """'Ukrainian support': a country adjective or name right before a noun trigger, as its state."""
    if i < 0:
        return None
    tok = doc[i]
    if not tok.text[:1].isupper():
        return None
    rec = resolve_actor(tok.text, date=getattr(doc._, "published", None), fuzzy=False)
    if not rec or rec.get("kind") != "state":
        return None
    return Group([{"actor": rec["name"], "_tok": (i, i + 1)}])


def _dedupe(found: list[document.RelationRecord]) -> list[document.RelationRecord]:
    """One relation per (subject, predicate, object); the first claim that carries it wins."""
    seen: dict[tuple, document.RelationRecord] = {}
    for r in found:
        k = (r["subject"], r["predicate"], r["object"])
        if k not in seen or (seen[k]["claim_id"] is None and r["claim_id"] is not None):
            seen[k] = r
    return list(seen.values())


class RelationsStage:
    """spaCy component: writes `doc._.relations`."""

    def __init__(self, nlp: Language, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.relations = find_relations(doc)
        return doc
