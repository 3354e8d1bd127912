"""Actors stage: finds who acts in a report and names them the way ACLED does.

Every actor mention (a named group, "Kenyan police", "Russia's Aerospace Forces",
"gunmen", a metonymic "Turkey") resolves to one canonical actor name in ACLED's
style ("Military Forces of Russia (2000-) Air Force", "Unidentified Armed Group
(Somalia)", "Hayat Tahrir al-Sham") with its ACLED inter type and country.

Writes `doc._.actor_mentions` (every mention, for the claims/events stages) and
`doc._.actors` (one contract record per canonical actor). This module finds the
mentions in the Doc (reading `doc._.places`, the article layer's `doc._.datelines` and the
`doc._.countries` layer of the countries stage); the names come from the actor dictionary (`sitroom.actordict`).
"""
from __future__ import annotations

import functools
from typing import Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span

from .. import document
from ..acled import IDENTITY_MILITIA
from ..actordict import (ActorDictionary, Country, actor_dictionary, alias_matches, ethnic_by, ethnic_record, fuzzy_record,
                         inter_in, key, local_units, role_record, roles, state_record, target_record, unit_role)
from ..actordict.lexicon import BACKING_WORDS, ETHNIC_NOUNS, FUZZY_MAX_TOKENS, MODIFIER_WORDS
from ..datelines import dateline_at
from ..document import ActorMention, ActorRecord, PlaceRecord

PARTY_KINDS = ("armed", "state", "generic", "ethnic", "party")  # kinds that are parties to events

# Right context of a country anchor: how far a head noun may follow ("Syrian government forces").
MAX_MODIFIERS = 3
POSSESSIVE = frozenset({"'s", "’s", "'", "’"})

# Roles of a crowd: ACLED's choice among them depends on the event (a violent crowd is Rioters,
# one attacked is Civilians); the events stage may re-map them with `generic_actor`.
CROWD_ROLES = ("protesters", "rioters", "civilians")

# Subjects of these verbs are protesters / rioters ("teachers protested", "students rioted").
PROTEST_VERBS = frozenset({"protest", "demonstrate", "march", "picket", "rally", "petition", "strike", "block",
                           "barricade", "boycott", "sit"})
RIOT_VERBS = frozenset({"riot", "loot", "torch", "lynch", "stone", "storm", "vandalise", "vandalize", "burn",
                        "clash", "overpower", "ransack", "pelt", "destroy", "set", "attack", "beat", "assault",
                        "invade", "raid", "damage", "smash", "throw", "hurl"})
# Local units of a national movement named by place (local_units.toml): "Mandalay PDF".
LOCAL_UNIT_AREAS = frozenset({"township", "town", "district"})  # "Pauk township PDF": the place before it
# The spelled-out movement ("People's Defence Forces") stands for this abbreviation's unit.
SPELLED_UNIT = "PDF"
# "<Name> clan/communal/ethnic militia": ACLED's patterns for a militia named in the text.
MILITIA_PATTERNS = {"clan": "{group} Clan Militia ({country})", "communal": "{group} Communal Militia ({country})",
                    "ethnic": "{group} Ethnic Militia ({country})", "tribal": "{group} Ethnic Militia ({country})"}
MILITIA_NOUNS = frozenset({"militia", "militias", "militiamen", "militia members", "fighters", "gunmen"})
# Words that may stand between an ethnic name and its noun ("Maasai and Kikuyu ethnic militias").
ETHNIC_FILLERS = frozenset({"and", "or", "ethnic", "clan", "communal", "tribal", "armed", "the", ",", "-",
                            "suspected", "rival"})

# Verbs after which a metonymic country is the government speaking, not its army.
GOVERNMENT_VERBS = frozenset("""say said says tell told state stated announce announced claim claimed
deny denied condemn condemned accuse accused warn warned urge urged call called sign signed agree agreed
demand demanded reject rejected welcome welcomed insist insisted confirm confirmed report reported
threaten threatened recognize recognise recognized recognised sanction sanctioned negotiate negotiated
express expressed vow vowed pledge pledged declare declared""".split())
METONYMIC_DEPS = frozenset({"nsubj", "nsubjpass", "agent", "csubj"})

# A one-word role used as a noun modifier is not an actor ("military bases", "government-held"),
# unless the noun it modifies is a person speaking for it ("police spokesman").
MODIFIER_ROLES = frozenset({"military", "army", "police", "government", "state", "security", "militia",
                            "protest", "demonstration", "civilian", "rebel", "insurgent", "militant",
                            "terrorist", "jihadist", "navy", "cabinet", "presidency", "mob"})
SPEAKER_NOUNS = frozenset("""spokesman spokesperson spokeswoman chief commander commanders officials official
officers officer sources source statement spokesmen leaders leader head boss minister""".split())
NOT_ACTOR_NEXT = frozenset("""intervention interventions aid support hardware academy school court courts
uniform uniforms junta rule regime coup budget spending brutality custody reform reforms service
- controlled held run backed owned affiliated linked appointed aligned""".split())
# One-word roles that stay actors before a noun: an attack on a "police station" or "military
# convoy" has the police or military as its target in ACLED's coding.
STATE_MODIFIERS = frozenset({"military", "army", "police", "security", "navy"})


def _published(doc: Doc) -> str | None:
    return getattr(doc._, "published", None) if Doc.has_extension("published") else None


def _metonymic(doc: Doc, span: Span, places: list[PlaceRecord]) -> str | None:
    """'government' or 'military' when a bare country name stands for its state, else None."""
    for p in places:
        if p["start"] == span.start_char and p["metonymic"]:
            return _state_side(span)
    if not doc.has_annotation("DEP"):
        return None
    root = span.root
    tok = root
    while tok.dep_ == "conj" and tok.head is not tok:
        tok = tok.head
    if tok.dep_ in METONYMIC_DEPS or (tok.dep_ == "pobj" and tok.head.lower_ == "by"):
        return _state_side(span)
    return None


def _state_side(span: Span) -> str:
    tok = span.root
    while tok.dep_ == "conj":
        tok = tok.head
    verb = tok.head
    return "government" if verb.lemma_.lower() in GOVERNMENT_VERBS or verb.lower_ in GOVERNMENT_VERBS \
        else "military"


def _candidate_spans(doc: Doc) -> Iterable[Span]:
    """Spans that may name an organisation not in the dictionary verbatim (for fuzzy matching)."""
    seen = set()
    for ent in doc.ents:
        if ent.label_ in ("ORG", "NORP", "PERSON", "GPE", "FAC", "LOC", "PRODUCT", "WORK_OF_ART"):
            seen.add((ent.start, ent.end))
            yield ent
    i = 0
    while i < len(doc):
        tok = doc[i]
        if tok.is_title and not tok.is_sent_start or tok.lower_ in ("al", "el") and tok.is_title:
            j = i + 1
            while j < len(doc) and j - i < FUZZY_MAX_TOKENS and (doc[j].is_title or doc[j].text == "-"):
                j += 1
            if (i, j) not in seen:
                yield doc[i:j]
            i = j
        else:
            i += 1


def find_actor_mentions(doc: Doc) -> list[ActorMention]:
    """Every actor mention: {start, end, text, actor, inter, country, kind, method}."""
    d = actor_dictionary()
    date = _published(doc)
    counts = document.country_weights(doc)
    home = d.country_by_name(counts.most_common(1)[0][0]) if counts else None
    home_name = home.name if home else None
    present = set(counts)
    places = document.layer(doc, "places")
    datelines = document.layer(doc, "datelines")
    matches = sorted({(s, e, k) for k, s, e in alias_matches(doc)},
                     key=lambda x: (x[0], -(x[1] - x[0])))
    roles_at: dict[int, list[tuple[int, str]]] = {}
    countries_at: dict[int, tuple[int, Country]] = {}  # "of Armenia": the country a role belongs to
    for s, e, k in matches:
        for t in d.aliases.get(k, ()):
            if t.kind == "role":
                roles_at.setdefault(s, []).append((e, t.role))
            elif t.kind == "country" and t.role != "capital" and s not in countries_at:
                countries_at[s] = (e, d.countries[t.ref])
    found: list[dict] = []

    def emit(s: int, e: int, rec: dict | None, method: str) -> None:
        if rec:
            span = doc[s:e]
            found.append({"start": span.start_char, "end": span.end_char, "text": span.text,
                          "actor": rec["name"], "inter": inter_in(rec, home_name), "home_inter": rec["inter"],
                          "country": rec["country"],
                          "kind": rec.get("kind", "armed"), "role": rec.get("role"), "method": method,
                          "_tok": (s, e)})

    for s, e, k in matches:
        for t in d.aliases.get(k, ()):
            if t.context and t.context not in present:
                continue
            if t.kind == "country":
                _emit_country(doc, d, s, e, t, roles_at, places, datelines, date, emit)
                break
            if t.kind == "role":
                if t.role.endswith("*") or _is_modifier(doc, s, e):
                    continue
                ethnic = _ethnic_before(doc, d, s, e, home_name, present)
                if ethnic:
                    emit(ethnic[0], e, ethnic[1], "ethnic")
                owner = _of_country(doc, e, countries_at)
                if owner is not None:  # "military forces of Armenia" are Armenia's, whatever the document
                    emit(s, owner[0], role_record(t.role, owner[1], date), "pattern")
                    break
                rec = role_record(t.role, home, date)
                if rec is None and roles()[t.role].countries:
                    continue  # "gangs" outside the Americas: the next role of the phrase names them
                emit(s, e, rec, "generic")
                break
            emit(s, e, target_record(d, t, home, date), "dictionary")
            break
    _local_units(doc, d, emit)
    _ethnic_mentions(doc, d, emit, home_name, present)
    if home_name:
        _named_militias(doc, emit, home_name)
    covered = {i for m in found for i in range(*m["_tok"])}
    place_starts = {p["start"] for p in places}
    for span in _candidate_spans(doc):
        if any(i in covered for i in range(span.start, span.end)):
            continue
        if span.start_char in place_starts:
            continue
        rec = fuzzy_record(d, key(span.text), home, date)
        if rec:
            emit(span.start, span.end, rec, "fuzzy")
            covered.update(range(span.start, span.end))
    kept = _resolve_overlaps(found)
    for m in kept:
        _crowd_by_verb(doc, m, home, date)
    return kept


def _of_country(doc: Doc, e: int, countries_at: dict[int, tuple[int, Country]]) -> tuple[int, Country] | None:
    """(end, country) of "of [the] <Country>" right after token `e`, if any."""
    if e >= len(doc) or doc[e].lower_ != "of":
        return None
    k = e + 1 + (e + 1 < len(doc) and doc[e + 1].lower_ == "the")
    return countries_at.get(k)


def _verb_after(doc: Doc, span: Span) -> str | None:
    """The lemma of the verb a mention is the subject of (parse, else the next word or two)."""
    if doc.has_annotation("DEP"):
        root = span.root
        if root.dep_ in ("nsubj", "nsubjpass") or (root.dep_ == "conj" and root.head.dep_ == "nsubj"):
            head = root.head if root.dep_ != "conj" else root.head.head
            return (head.lemma_ or head.lower_).lower()
        return None
    for tok in doc[span.end:span.end + 2]:
        stem = _verb_stem(tok.lower_)
        if stem in PROTEST_VERBS or stem in RIOT_VERBS:
            return stem
    return None


def _verb_stem(word: str) -> str:
    for suffix in ("ed", "es", "s", "ing", "d"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)]
            for cand in (stem, stem + "e", stem[:-1]):
                if cand in PROTEST_VERBS or cand in RIOT_VERBS:
                    return cand
    return word


def _crowd_by_verb(doc: Doc, m: ActorMention, home: Country | None, date: str | None) -> None:
    """'Teachers protested' are Protesters, 'students burned dormitories' are Rioters (ACLED's roles)."""
    if m["role"] not in CROWD_ROLES:
        return
    span = doc.char_span(m["start"], m["end"], alignment_mode="expand")
    verb = _verb_after(doc, span) if span is not None else None
    role = "protesters" if verb in PROTEST_VERBS else "rioters" if verb in RIOT_VERBS else None
    if role and role != m["role"] and not (m["role"] == "protesters" and role == "rioters" and verb == "attack"):
        rec = role_record(role, home, date)
        if rec:
            m.update(actor=rec["name"], inter=rec["inter"], home_inter=rec["inter"], role=role,
                     method="role-by-verb")


def _spelled_unit(doc: Doc, i: int) -> int | None:
    """End of "People's Defense Force(s)" spelled out from token i (any spelling ACLED's sources use)."""
    words = [t.lower_ for t in doc[i:i + 4]]
    if not words or words[0] != "people":
        return None
    k = 1 + (len(words) > 1 and words[1] in ("'s", "’s"))
    if len(words) > k + 1 and words[k] in ("defense", "defence") and words[k + 1] in ("force", "forces"):
        return i + k + 2
    return None


def _local_units(doc: Doc, d: ActorDictionary, emit) -> None:
    """'Mandalay PDF' -> "People's Defense Force - Mandalay"; 'the local PDF' -> '... - Local Group'."""
    for i, tok in enumerate(doc):
        spelled = _spelled_unit(doc, i) if tok.lower_ == "people" else None
        unit = local_units().get(SPELLED_UNIT if spelled else tok.text)
        if not unit:
            continue
        k = i - 1 if i > 1 and doc[i - 1].lower_ in LOCAL_UNIT_AREAS else i  # "Pauk township PDF"
        j = k
        while j > 0 and doc[j - 1].is_title and not doc[j - 1].is_sent_start and doc[j - 1].lower_ not in (
                "the", "a", "local") and j > k - 3:
            j -= 1
        end = spelled or i + 1
        if spelled and j == k:
            continue  # the movement itself, spelled out: the dictionary names it
        if j < k:
            name = unit.named.format(place=doc[j:k].text)
        elif i + 2 < len(doc) and doc[i + 1].text == "-" and doc[i + 2].is_title:
            name, end = unit.named.format(place=doc[i + 2].text), i + 3
        elif i > 0 and doc[i - 1].lower_ == "local":
            j, name = i - 1, unit.local
        else:
            continue
        emit(j, end, {"name": name, "inter": unit.inter, "country": unit.country, "kind": "armed"}, "pattern")


def _ethnic_mentions(doc: Doc, d: ActorDictionary, emit, where: str | None, present: set[str]) -> None:
    """Ethnic groups acting as militias: 'Pokot raiders', 'Maasai and Kikuyu ethnic militias',
    'clashes between the Pokot and Marakwet', 'Pokot attacked police'."""
    groups = _ethnic_index(d)
    i = 0
    while i < len(doc):
        tok = doc[i]
        hit = groups.get(tok.text) or groups.get(tok.text.title() if tok.is_upper else "")
        if not hit:
            i += 1
            continue
        name, home = hit
        j = i + 1
        listed = False
        while j < len(doc) and j - i <= 4 and (doc[j].lower_ in ETHNIC_FILLERS or doc[j].text in groups):
            listed = listed or doc[j].text in groups
            j += 1
        noun = j < len(doc) and doc[j].lower_ in ETHNIC_NOUNS
        between = i > 0 and doc[i - 1].lower_ in ("between", "the") and (i < 2 or doc[i - 2].lower_ in (
            "between", "by", "from"))
        subject = doc.has_annotation("DEP") and doc[i].dep_ in ("nsubj", "conj") and doc[i].head.pos_ == "VERB" \
            and doc[i].head.i > i and (doc[i].head.lemma_ or "").lower() in RIOT_VERBS | {"raid", "kill", "target"}
        if noun or listed or between or subject:
            emit(i, i + 1 if not noun or listed else j + 1,
                 ethnic_record(name, home, _ethnic_where(d, home, where, present)), "ethnic")
            for k in range(i + 1, j):  # the other groups listed with it ("Maasai and Kikuyu militias")
                other = groups.get(doc[k].text)
                if other:
                    emit(k, k + 1, ethnic_record(*other, _ethnic_where(d, other[1], where, present)), "ethnic")
            i = j
            continue
        i += 1


def _named_militias(doc: Doc, emit, country: str) -> None:
    """'a Katsina communal militia', 'the Jaafar clan militia', 'Bimoba ethnic militiamen': a militia
    named for its group or place in ACLED's patterns, in the document's country."""
    for i, tok in enumerate(doc):
        pattern = MILITIA_PATTERNS.get(tok.lower_)
        if pattern is None or i + 1 >= len(doc) or doc[i + 1].lower_ not in MILITIA_NOUNS:
            continue
        j = i
        while j > 0 and i - j < 3 and (doc[j - 1].is_title or doc[j - 1].text == "-" and j - 1 > 0) \
                and not doc[j - 1].is_sent_start and doc[j - 1].lower_ not in ("the", "a", "an"):
            j -= 1
        if j == i or doc[j].text == "-":
            continue
        group = doc[j:i].text
        emit(j, i + 2, {"name": pattern.format(group=group, country=country), "inter": IDENTITY_MILITIA,
                        "country": country, "kind": "ethnic"}, "pattern")


def _ethnic_where(d: ActorDictionary, home: str, where: str | None, present: set[str]) -> str | None:
    """The country a group's militia is named after: its home where the document names it ("Turkana" on
    the Kenya-South Sudan border are Kenya's), else the document's country if the group lives there."""
    country = d.country_by_name(home)
    return None if country is not None and country.iso2 in present else where


@functools.cache
def _ethnic_index(d: ActorDictionary) -> dict[str, tuple[str, str]]:
    return {g: (g, c) for g, c in d.ethnic.items()}


def _emit_country(doc, d, s, e, t, roles_at, places, datelines, date, emit) -> None:
    """A country anchor: '<adj> <role>', "<Country>'s <unit>", '<adj>-backed', or a metonymic name."""
    country = d.countries[t.ref]
    j = e
    if j < len(doc) and doc[j].text in POSSESSIVE:
        j += 1
    # "Russia's Aerospace Forces" / "Turkish Armed Forces": unit aliases
    for alias, unit in country.units:
        n = len(alias.split())
        if key(doc[j:j + n].text) == key(alias):
            emit(s, j + n, state_record(country, unit_role(unit), unit, date), "pattern")
            return
    # "<adj> [modifiers] <role>"
    k = j
    for _ in range(MAX_MODIFIERS + 1):
        best = max(roles_at.get(k, []), default=None)
        if best is not None:
            end, role = best
            emit(s, end, state_record(country, role, date=date), "pattern")
            return
        if k < len(doc) and doc[k].lower_ in MODIFIER_WORDS and doc[k].lower_ not in ("the",):
            k += 1
        else:
            break
    # "Turkish-backed", "Iran-sponsored": the sponsor state itself
    if e + 1 < len(doc) and doc[e].text == "-" and doc[e + 1].lower_ in BACKING_WORDS:
        emit(s, e, state_record(country, "military", date=date), "pattern")
        return
    if dateline_at(datelines, doc[s].idx):
        return  # "KYIV, March 3 (Reuters) -": where the report was filed, not its government
    if t.role == "" and not (j > e):  # a bare country name (not an adjective, not possessive)
        side = _metonymic(doc, doc[s:e], places)
        if side:
            emit(s, e, state_record(country, side, date=date), "metonymy")
    elif t.role == "capital":
        for p in places:
            if p["start"] == doc[s].idx and p["metonymic"]:
                emit(s, e, state_record(country, "government", date=date), "metonymy")


def _is_modifier(doc: Doc, s: int, e: int) -> bool:
    """A one-word role modifying another noun ("military bases"), or a generic word that is not
    the head of its phrase in the parse ("the protest leaders" is about leaders)."""
    if e - s != 1 or doc[s].lower_ not in MODIFIER_ROLES or e >= len(doc):
        return False
    nxt = doc[e]
    if nxt.lower_ in SPEAKER_NOUNS:
        return False
    if nxt.lower_ in NOT_ACTOR_NEXT:
        return True
    if doc[s].lower_ in STATE_MODIFIERS:
        return False
    if doc.has_annotation("DEP"):
        return doc[s].dep_ in ("amod", "compound", "nmod") and doc[s].head.i > s
    return False


def _ethnic_before(doc: Doc, d: ActorDictionary, s: int, e: int, where: str | None,
                   present: set[str]) -> tuple[int, dict] | None:
    """'Pokot raiders': an ethnic group right before a militia-like role noun."""
    if s == 0 or doc[s].lower_ not in ETHNIC_NOUNS:
        return None
    for size in (2, 1):
        if s - size < 0:
            continue
        group = doc[s - size:s].text
        match = ethnic_by(d, "lower").get(group.lower())
        if match:
            return s - size, ethnic_record(match, d.ethnic[match], _ethnic_where(d, d.ethnic[match], where, present))
    return None


def _resolve_overlaps(found: list[dict]) -> list[dict]:
    """Keep the longest mention where mentions overlap (named before generic on ties)."""
    rank = {"dictionary": 0, "pattern": 1, "ethnic": 1, "metonymy": 2, "fuzzy": 3, "generic": 4}
    found.sort(key=lambda m: (-(m["end"] - m["start"]), rank.get(m["method"], 5), m["start"]))
    kept: list[dict] = []
    taken: set[int] = set()
    for m in found:
        toks = set(range(*m["_tok"]))
        if toks & taken:
            continue
        taken |= toks
        kept.append(m)
    kept.sort(key=lambda m: m["start"])
    for m in kept:
        del m["_tok"]
    return kept


def actor_records(mentions: list[ActorMention]) -> list[ActorRecord]:
    """Contract actor records, one per canonical actor, in order of first mention."""
    by_name: dict[str, ActorRecord] = {}
    for m in mentions:
        if m["kind"] not in PARTY_KINDS:
            continue
        rec = by_name.setdefault(m["actor"], {"name": m["actor"], "aliases_seen": [], "inter": m["inter"],
                                              "country": m["country"], "mentions": 0})
        rec["mentions"] += 1
        if m["text"] not in rec["aliases_seen"]:
            rec["aliases_seen"].append(m["text"])
    return list(by_name.values())


class ActorsStage:
    """spaCy component: writes `doc._.actor_mentions` and `doc._.actors`."""

    def __init__(self, nlp: Language, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        mentions = find_actor_mentions(doc)
        doc._.actor_mentions = mentions
        doc._.actors = actor_records(mentions)
        return doc
