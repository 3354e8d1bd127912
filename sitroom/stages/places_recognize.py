"""Toponym recognition: where does the text name a place?  Every candidate mention, with offsets.

Five sources, merged longest-first by the places stage after it decides which are toponyms:

* cue patterns (work without any model): "X governorate", "the town of X", "near X",
  "12 km north of X", news datelines ("KHARTOUM, Sudan —", read from `doc._.datelines`);
* the English model's GPE/LOC/FAC entities;
* a gazetteer scan of capitalised token runs, which also finds toponyms the model files
  under ORG or PERSON ("Air Zimbabwe", "Tamil Nadu") and everything when there is no model;
* demonyms and other adjectival forms ("Syrian-backed", "Russian forces"), which the
  events stage must not take for a location (they come out metonymic);
* news-agency state abbreviations after a comma ("Maywood, Calif.").

"X, Y region" and "X village in Y county" tie a mention to the areas Y can mean; a name
before "school" or after "University of" marks a facility in that town.

Each mention keeps what it learned from its context (a feature hint from its cue word,
whether a locative preposition precedes it) for the resolver.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from typing import NamedTuple

from spacy.tokens import Doc

from ..document import layer, text_of
from ..folding import fold
from ..spans import DisjointSpans
from ..gazetteer import (CAPS_PREFIX, NAME_MAIN, Gazetteer, Place, admin_abbreviations, candidates, holds,
                         is_caps_abbreviation, is_locality, strip_admin)
from ..gazetteer.resolve import QUALIFIER_PREFIXES

# --------------------------------------------------------------- patterns and word lists

# Level words after a name, and the admin level they point to.
ADMIN1_WORDS = ("governorate", "governate", "province", "oblast", "region", "state", "prefecture",
                "emirate", "wilaya", "krai", "kray")
ADMIN2_WORDS = ("district", "county", "raion", "rayon", "municipality", "subdistrict", "sub-county",
                "local government area", "lga", "hromada", "township", "constituency")
# Words that make "X ... district/state" an organisation ('Police Department', 'School District').
ORG_WORDS = frozenset("police court fire health water sheriff school schools university college hospital "
                      "council assembly party department office board authority agency service services "
                      "bank company corporation club team league union committee commission ministry "
                      "governor government attorney prosecutor".split())
LEVEL_WORDS = {**{w: "admin1" for w in ADMIN1_WORDS}, **{w: "admin2" for w in ADMIN2_WORDS}}

# Nouns before "of X" that say X is a populated place or an area.
PLACE_NOUNS = {
    "town": "populated", "city": "populated", "village": "populated", "hamlet": "populated",
    "settlement": "populated", "suburb": "populated", "neighbourhood": "populated",
    "neighborhood": "populated", "district": "admin2", "capital": "populated", "port": "populated",
    "outskirts": "populated", "province": "admin1", "governorate": "admin1", "governate": "admin1",
    "region": "admin1", "state": "admin1", "oblast": "admin1", "county": "admin2", "area": None,
    "municipality": "admin2", "island": None, "countryside": None, "environs": None,
}
# Prepositions that make the next capitalised name a place.
LOCATIVE_PREPOSITIONS = frozenset(
    "in near at outside from into toward towards around across inside through via of "
    "to between within throughout along "
    # a town is the object of these verbs in war reporting ('Russian forces shelled Pokrovsk')
    "shelled bombed bombarded struck captured recaptured liberated seized stormed besieged encircled "
    "evacuated".split())
LOCATIVE_STRONG = frozenset("in near at outside into toward towards around inside across".split())

# Lower-case words that may sit inside a multi-word place name.
NAME_CONNECTORS = frozenset(
    "of de del della la le les al el ad an ar as at az ash ath ez es en ed ul du des da do dos das "
    "di upon on the and bin ibn abu bani beni wadi i e".split())  # i, e: Mazar-i-Sharif, Mazar-e-Sharif
CONNECTOR_PUNCT = frozenset({"-", "'", "’", "‘", "`"})
MAX_NAME_TOKENS = 6

# Capitalised words that are names of some place somewhere but almost never one in English text.
COMMON_WORDS = frozenset("""
a an the this that these those it its he she they we i you his her their our my your
mr mrs ms dr sir lord lady president minister general colonel captain king queen prince
january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday today tomorrow yesterday
north south east west northern southern eastern western central upper lower middle new old
northeast northwest southeast southwest north-east north-west south-east south-west
great grand little big city town village state states province region district county
union republic kingdom federation island islands coast lake river mountains valley
police army forces force navy air military government ministry council party front
national international united federal islamic democratic republican people peoples
church school university college hospital center centre market station street road airport
free act mobile reading nice bath split van gap hull march battle victory liberty freedom independence
justice hope faith grace unity peace progress friendship concord union plenty paradise eden
bay bank beach bridge camp castle cross fort forest green hill hills park point port rock spring
springs vista view gate gates lakes wells well mill mills rose star sun moon sky
according also after again against all although among and any as because before but
by can could did do does during each either even every for from had has have how however
if in into is just last many more most much must no nor not now of off on once one only or
other over own same should since so some still such than then there though through thus
to under until up upon very was were what when where whether which while who whom whose
why will with within without would yet you all both few next first second third
english french arabic russian spanish german chinese persian turkish
news times post press daily herald tribune journal guardian telegraph agency
man men woman women people boy girl child children family home house
summit conference meeting talks deal agreement war peace crisis
day week month year night morning evening
al el ad an ar as at az ash ez es en le la de du da di del des los las san santa
""".split())


@dataclass
class Mention:
    """A candidate toponym: offsets, the text to look up, and what its context says."""

    start: int
    end: int
    lookup: str
    source: str                       # cue | ner | gazetteer | demonym | dateline | abbreviation
    hint: str | None = None           # admin1 | admin2 | populated: what a cue word says it is
    locative: bool = False            # a locative preposition or cue precedes it
    demonym: bool = False
    label: str = ""                   # the model's entity label over it, if any
    relative: str | None = None       # '12 km north of': where the event is relative to it
    whole_entity: bool = True         # it spans the model's whole entity (not a part of one)
    extra: dict = field(default_factory=dict)

    @property
    def length(self) -> int:
        return self.end - self.start


SOURCE_RANK = {"cue": 5, "dateline": 5, "abbreviation": 4, "ner": 3, "demonym": 2.5, "gazetteer": 2, "locative": 1.5}

_CAP = r"[A-Z][\w\-]*(?:['’`](?!s\b)\w+)*"
_CONN = r"(?:al|el|ad|an|ar|as|at|az|ash|ez|es|en|ed|ul|de|del|la|le|of|bin|ibn|abu|bani|wadi)"
_NAME = rf"{_CAP}(?:[ \-]+(?:{_CONN}[ \-]+)?{_CAP}){{0,4}}"
# "Aleppo governorate", "Idlib province", "Donetsk oblast", "Borno State", "Manbij district"
LEVEL_PATTERN = re.compile(
    rf"\b(?P<name>{_NAME})[ \-]+(?P<level>(?i:{'|'.join(sorted(LEVEL_WORDS, key=len, reverse=True))}))s?\b")
# "the town of X", "the outskirts of X", "the province of X"
OF_PATTERN = re.compile(
    rf"\b(?P<noun>{'|'.join(PLACE_NOUNS)})s?\s+of\s+(?P<name>{_NAME})")
# "in X", "near X": a capitalised name after a locative preposition (misspellings included)
LOCATIVE_PATTERN = re.compile(rf"\b(?:in|near|outside|at|around|towards?|from)\s+(?P<name>{_NAME})")
# "Garissa residents", "in Mawlamyine town": a settlement noun right after a name marks it as a place
SUFFIX_NOUNS = ("residents", "villagers", "town", "township", "village", "ward")
SUFFIX_PATTERN = re.compile(
    rf"\b(?P<name>{_NAME})\s+(?P<noun>{'|'.join(SUFFIX_NOUNS)})\b(?!\s+(?:hall|halls|council|centre|center|square|meeting))")
SETTLEMENT_SUFFIX = re.compile(r"\s+(city|town|township|village)$", re.I)
# level words after an area name; the local ones name a unit below admin1 ('Rangwe sub-county', 'Kale township')
LOCAL_LEVELS = ("sub-county", "subcounty", "sub county", "constituency", "township", "district")
TOWN_LEVELS = ("town", "city")
_AREA_LEVEL = "|".join(("region", "oblast", "county", "state", "province", "governorate") + LOCAL_LEVELS + TOWN_LEVELS)
# "Siversk, Donetsk" / "near Starytsia, Kharkiv region": a name, a comma, then the area that holds it
# 'Kharkiv, eastern Ukraine', 'Nice, southern France'
_COMPASS = r"(?:(?:north|south)(?:-?(?:east|west))?(?:ern)?|east(?:ern)?|west(?:ern)?|central)"
WITHIN_PATTERN = re.compile(
    rf"\b(?P<name>{_NAME})(?:\s+(?:village|town|ward|area))?\s*,\s*(?:{_COMPASS}\s+)?(?P<area>{_NAME})"
    rf"(?:\s+(?P<level>{_AREA_LEVEL}))?"
    rf"(?=\s*(?:[.,;:)]|$)|\s+(?:on|in|at|with|after|before|during|where|when|which|that|as|but|amid)\b)")
# "X village in Y county": the same constraint, said with 'in'
# and "the village of X in the Y region", with the area's level word said
IN_AREA_PATTERN = re.compile(
    rf"\b(?P<name>{_NAME})\s+(?:village|town|ward|area)\s+(?:in|of)\s+(?P<area>{_NAME})"
    rf"(?:\s+(?P<level>{_AREA_LEVEL}))?\b|"
    rf"\b(?:village|town|settlement|hamlet)\s+of\s+(?P<name2>{_NAME})\s+in\s+(?:the\s+)?(?P<area2>{_NAME})\s+"
    rf"(?P<level2>region|oblast|province|governorate|state|county|district)\b")
# "in Karaga (Karaga, Northern)", "Yagaba town (Mamprugu Moaduri, Northern)": ACLED's own way of
# writing a place with its district and region; the pair says which country even when the region's
# name is a plain word ('Central', 'Northern')
PAREN_AREA_PATTERN = re.compile(rf"\((?P<district>{_NAME}),\s*(?P<area>{_NAME})\)")
# "in Leon (Leon)", "Tripoli city (Tripoli)": a town and its area in one parenthesis
PAREN_ONE_AREA_PATTERN = re.compile(rf"\((?P<area>{_NAME})\)")
# the name the parenthesis follows, with a place noun between ('Goma airport (Goma, Nord-Kivu)')
PAREN_NAME_BEFORE = re.compile(
    rf"\b(?P<name>{_NAME})(?:\s+(?:village|town|city|area|camp|neighbourhood|neighborhood|market|airport|"
    rf"hospital|prison|school|university|mosque|church|checkpoint|base|bridge|junction|road|district|commune))?\s*$")
# "Kherson, Zaporizhzhia, and Donetsk regions" is a list, not a place and its area
LIST_AFTER = re.compile(r"^\s*,\s*(?:(?:and|or)\s+)?[A-Z][\w'’\-]*(?:\s+[A-Z][\w'’\-]*)*\s*(?:,|and\b|or\b|regions|oblasts|provinces|states)")
LIST_BEFORE = re.compile(r"[A-Z][\w'’\-]*\s*,\s*$")
# words a 'X, Y' match may start with that are not part of the name
WITHIN_LEADING = frozenset("the in on at near from and of by for to into outside around towards toward".split())
# ", Y and Z" after a cued name / "X and " before one
COORDINATED_AFTER = re.compile(rf"(?:\s*,\s*|\s+and\s+|\s*&\s*|\s*,\s*and\s+)(?P<name>{_NAME})")
COORDINATED_BEFORE = re.compile(rf"(?P<name>{_NAME})(?:\s*,\s*|\s+and\s+|\s*&\s*)$")
# "12 km north of X", "30 kilometres south-east of X"
RELATIVE_PATTERN = re.compile(
    r"\b(?P<rel>(?:about |some |around |nearly |roughly )?\d+(?:[.,]\d+)?\s*(?:-\s*)?"
    r"(?:km|kms|kilometres|kilometers|kilometre|kilometer|miles|mile|mi)\s+"
    r"(?:\(\s*\d+\s*\w+\s*\)\s+)?"
    r"(?:north|south|east|west|northeast|northwest|southeast|southwest|north-east|north-west|south-east|"
    r"south-west|northern|southern|eastern|western)?(?:\s*|-)?(?:of|from|outside)\s+)"
    rf"(?P<name>{_NAME})")
# adjectival compounds: "Russian-backed", "Turkish-sponsored", "Iran-aligned"
COMPOUND_SUFFIX = re.compile(r"^[-–](?:backed|led|sponsored|supported|funded|aligned|allied|"
                             r"controlled|held|run|based|made|born|trained|brokered|linked)$", re.I)


# "Garissa police station", "Maseno University", "University of Machakos": an institution named after
# its town puts the event in that town
FACILITY_AFTER = re.compile(
    r"^(?:\s+[A-Z][\w'’]*){0,3}\s+(?i:school|university|college|high court|law courts?|police station|police post|"
    r"hospital|market|stadium|prison|refugee camp|factory|polling station|polytechnic|institute|county offices?)\b")
FACILITY_BEFORE = re.compile(r"\b(?:University|College|Polytechnic|Prison|Port) of\s+$")
# 'the US dollar exchange rate', 'Hong Kong dollars': a currency, not where anything happened
CURRENCY_AFTER = re.compile(r"[\s-]+dollars?\b", re.I)
NUMERIC_LABELS = frozenset({"TIME", "MONEY", "CARDINAL", "ORDINAL", "QUANTITY", "PERCENT", "LANGUAGE", "DATE"})


class Tok(NamedTuple):
    """The few token attributes the scans read (spaCy builds a Token object on every access)."""

    text: str
    idx: int
    whitespace_: str
    lower_: str
    is_alpha: bool


def token_view(doc: Doc) -> list[Tok]:
    """One pass over the Doc's tokens, shared by the scans."""
    return [Tok(t.text, t.idx, t.whitespace_, t.lower_, t.is_alpha) for t in doc]


def _capitalised(tok: Tok) -> bool:
    t = tok.text
    return bool(t) and t[0].isupper() and any(ch.isalpha() for ch in t)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop a leading 'the', a trailing possessive and surrounding punctuation."""
    while start < end and not (text[start].isalnum()):
        start += 1
    while end > start and not (text[end - 1].isalnum() or text[end - 1] == "."):
        end -= 1
    m = re.match(r"(?i)the\s+", text[start:end])
    if m and end - start > m.end():
        start += m.end()
    m = re.search(r"['’]s?$", text[start:end])
    if m and end - start > len(m.group()):
        end -= len(m.group())
    if text[start:end].endswith(".") and not re.search(r"\b[A-Z]\.$|\b[A-Z][a-z]{1,4}\.$", text[start:end]):
        end -= 1
    return start, end


def _preceded_by_locative(text: str, char: int) -> bool:
    """A locative preposition right before this character."""
    before = text[max(0, char - 40):char].lower()
    m = re.search(r"([a-z]+)\s+(?:the\s+)?$", before)
    return bool(m) and m.group(1) in LOCATIVE_PREPOSITIONS


# --------------------------------------------------------------- sources


def cue_mentions(doc: Doc, text: str) -> list[Mention]:
    """Names that a cue word marks as places: level words, 'town of', distances, datelines."""
    out: list[Mention] = []
    for m in LEVEL_PATTERN.finditer(text):
        name = m.group("name")
        # "the Idlib and Aleppo provinces": keep the last name before the level word
        name_start = m.start("name")
        level = m.group("level").lower()
        if fold(name) in COMMON_WORDS or name.lower() in ("islamic", "the"):
            continue
        if ORG_WORDS & set(fold(name).split()):
            continue
        if level in ("state", "republic", "region") and not _level_word_is_admin(text, m):
            continue
        s, e = _trim_leading_common(text, name_start, m.end("level"))
        hint = LEVEL_WORDS.get(level.rstrip("s"), "admin1")
        out.append(Mention(s, e, text[s:m.end("name")], "cue", hint=hint, locative=True))
        # "Aleppo and Idlib governorates": the names coordinated before it share the level
        before = COORDINATED_BEFORE.search(text[max(0, s - 80):s])
        if before:
            b0 = max(0, s - 80) + before.start("name")
            out.append(Mention(b0, b0 + len(before.group("name")), before.group("name"), "cue", hint=hint,
                               locative=True))
    for m in OF_PATTERN.finditer(text):
        noun = m.group("noun").lower()
        s, e = m.start("name"), m.end("name")
        out.append(Mention(s, e, text[s:e], "cue", hint=PLACE_NOUNS.get(noun), locative=True))
        # "the provinces of Aleppo and Idlib": the level word covers every coordinated name
        for c in COORDINATED_AFTER.finditer(text, e):
            if c.start() != e:
                break
            s2, e2 = c.start("name"), c.end("name")
            out.append(Mention(s2, e2, text[s2:e2], "cue", hint=PLACE_NOUNS.get(noun), locative=True))
            e = c.end()
    for m in LOCATIVE_PATTERN.finditer(text):
        s, e = m.start("name"), m.end("name")
        if fold(text[s:e]) not in COMMON_WORDS:
            out.append(Mention(s, e, text[s:e], "locative", locative=True))
    for m in RELATIVE_PATTERN.finditer(text):
        s, e = m.start("name"), m.end("name")
        out.append(Mention(s, e, text[s:e], "cue", locative=True, relative=m.group("rel").strip()))
    for m in SUFFIX_PATTERN.finditer(text):
        s, e = _trim_leading_common(text, m.start("name"), m.end("name"))
        if s < e and fold(text[s:e]) not in COMMON_WORDS:
            hint = "admin2" if m.group("noun") == "township" else "populated"
            out.append(Mention(s, e, text[s:e], "cue", hint=hint, locative=True))
    return out


MID_SENTENCE_BEFORE = re.compile(r"\b(?:in|near|at|from|to|outside|of)\s+$")


def within_mentions(text: str) -> list[tuple[Mention, str, str]]:
    """'X, Y region': X paired with the area name Y that should hold it (checked by the resolver), and
    what a level word after Y says it is: 'unit' ('Y sub-county', 'Y township'), 'town' ('Y town') or ''."""
    out = []
    matches = list(WITHIN_PATTERN.finditer(text)) + list(IN_AREA_PATTERN.finditer(text))
    for m in matches:
        g = "2" if m.re is IN_AREA_PATTERN and m.group("name2") else ""
        s, e = m.start("name" + g), m.end("name" + g)
        while (w := re.match(r"(\w+)\s+", text[s:e])) and w.group(1).lower() in WITHIN_LEADING:
            s += w.end()
        listed = m.re is WITHIN_PATTERN and LIST_AFTER.match(text[m.end():m.end() + 80])
        if listed or LIST_BEFORE.search(text[max(0, s - 40):s]):
            continue
        area = m.group("area" + g)
        if s >= e or fold(area) in COMMON_WORDS:
            continue
        level = (m.group("level" + g) or "").lower()
        local = "town" if level in TOWN_LEVELS else "unit" if level in LOCAL_LEVELS else ""
        mention = Mention(s, e, text[s:e], "locative", locative=True)
        if fold(text[s:e]) in COMMON_WORDS:
            # 'in Nice, France': a plain word is a town's name when its country or region follows it mid-sentence
            if local or not text[s].isupper() or not MID_SENTENCE_BEFORE.search(text[max(0, s - 12):s]):
                continue
        out.append((mention, area, local))
    return out


def _level_word_is_admin(text: str, m: re.Match) -> bool:
    """'Borno State' and 'Kherson region' are places; 'Islamic State' and 'the state' are not."""
    name = m.group("name")
    return name[0].isupper() and fold(name) not in ("islamic", "united", "member", "nation", "police",
                                                     "the", "his", "her", "this", "that", "union")


def _trim_leading_common(text: str, start: int, end: int) -> tuple[int, int]:
    """'In Idlib province' -> 'Idlib province': drop capitalised function words at the front.

    A qualifier stays ('Lower Shabelle region', 'Upper Nile state' are names; the resolver reads
    'Northern Idlib' as Idlib when no place bears the whole name)."""
    while True:
        m = re.match(r"([A-Z][a-z]+)\s+", text[start:end])
        if m and m.group(1).lower() in COMMON_WORDS and m.group(1).lower() not in QUALIFIER_PREFIXES:
            start += m.end()
            continue
        return start, end


def dateline_mentions(doc: Doc, text: str) -> list[Mention]:
    """'KHARTOUM, Sudan (AP) —': the city of a news dateline, and its state or country.

    The datelines are the article layer's (`doc._.datelines`); an upper-case name is
    looked up in title case, unless it is too short or a common word."""
    out = []
    for dateline in layer(doc, "datelines"):
        for start, end in dateline["places"]:
            name = text[start:end]
            if name.isupper():
                name = name.rstrip(".")
                if len(name) < 3 or fold(name) in COMMON_WORDS:
                    continue
                out.append(Mention(start, start + len(name), name.title(), "dateline", locative=True))
            else:
                out.append(Mention(start, end, name, "dateline", locative=True))
    return out


def ner_mentions(doc: Doc, text: str, gaz: Gazetteer | None = None) -> list[Mention]:
    """The model's GPE, LOC and FAC entities (none when the pipeline has no NER)."""
    out = []
    for ent in doc.ents:
        if ent.label_ not in ("GPE", "LOC", "FAC"):
            continue
        s, e = _trim(text, ent.start_char, ent.end_char)
        if e <= s:
            continue
        hint = None
        suffix = SETTLEMENT_SUFFIX.search(text[s:e])
        if suffix and suffix.start() > 0 and not (gaz is not None and gaz.has_key(fold(text[s:e]))):
            # 'Yangon city', 'Kale township': the name is before the settlement word ('Mexico City' is whole)
            e, hint = s + suffix.start(), "admin2" if suffix.group(1).lower() == "township" else "populated"
        out.append(Mention(s, e, text[s:e], "ner", label=ent.label_, hint=hint,
                           locative=_preceded_by_locative(text, ent.start_char)))
    return out


def gazetteer_mentions(doc: Doc, text: str, gaz: Gazetteer, toks: list[Tok] | None = None) -> list[Mention]:
    """Capitalised token runs that the gazetteer knows, longest match first."""
    out = []
    toks = token_view(doc) if toks is None else toks
    n = len(toks)
    i = 0
    while i < n:
        if not _capitalised(toks[i]) or toks[i].text.lower() in ("i",):
            i += 1
            continue
        best = None
        start = toks[i].idx
        for j in range(i, min(n, i + MAX_NAME_TOKENS)):
            tok = toks[j]
            if j > i:
                if not (_capitalised(tok) or tok.lower_ in NAME_CONNECTORS or tok.text in CONNECTOR_PUNCT
                        or tok.lower_ in ("'s", "’s")):
                    break
                if toks[j - 1].whitespace_ and tok.text in CONNECTOR_PUNCT:
                    break
            end = tok.idx + len(tok.text)
            surface = text[start:end]
            key = fold(surface)
            if _capitalised(tok) and (gaz.has_key(key) or (is_caps_abbreviation(surface)
                                                             and gaz.has_key(CAPS_PREFIX + key))):
                best = (j, end)
            if not gaz.has_prefix(key):
                break
        if best is None:
            i += 1
            continue
        j, end = best
        s, e = _trim(text, start, end)
        if e > s:
            out.append(Mention(s, e, text[s:e], "gazetteer", locative=_preceded_by_locative(text, s)))
        i = j + 1
    return out


def demonym_mentions(doc: Doc, text: str, gaz: Gazetteer, toks: list[Tok] | None = None) -> list[Mention]:
    """Adjectival forms of countries and regions: 'Syrian', 'South Korean', 'Russian-backed'."""
    out = []
    toks = token_view(doc) if toks is None else toks
    for i, tok in enumerate(toks):
        if not _capitalised(tok) or not tok.is_alpha:
            continue
        # two-word forms first ("South Korean", "Latin American")
        if i + 1 < len(toks) and _capitalised(toks[i + 1]) and toks[i].whitespace_:
            two = text[tok.idx:toks[i + 1].idx + len(toks[i + 1].text)]
            if gaz.by_demonym(two):
                out.append(Mention(tok.idx, tok.idx + len(two), two, "demonym", demonym=True))
                continue
        if gaz.by_demonym(tok.text):
            out.append(Mention(tok.idx, tok.idx + len(tok.text), tok.text, "demonym", demonym=True))
    return out


def merge_mentions(mentions: list[Mention]) -> list[Mention]:
    """Non-overlapping mentions: longer first, then the more reliable source."""
    ranked = sorted(mentions, key=lambda m: (-m.length, -SOURCE_RANK.get(m.source, 0), m.start))
    kept: list[Mention] = []
    spans = DisjointSpans()  # the kept ones: a bisection finds the clashes
    for m in ranked:
        clash = spans.overlapping(m.start, m.end)
        if clash:
            # a shorter mention inside a kept one lends it its locative context and hint
            for k in clash:
                if (k.start, k.end) == (m.start, m.end):
                    for key, v in m.extra.items():
                        k.extra.setdefault(key, v)
                k.locative = k.locative or m.locative
                k.hint = k.hint or m.hint
                k.label = k.label or m.label
            continue
        kept.append(m)
        spans.add(m.start, m.end, m)
    return sorted(kept, key=lambda m: m.start)


def entity_label(ents: list, start: int, end: int, ends: list[int] | None = None) -> tuple[str, int, int]:
    """The model's entity label over a character range, with the entity's offsets ('' if none).

    `ends`: the entities' end offsets (they are in order and never overlap), for a bisection."""
    first = 0 if ends is None else bisect.bisect_right(ends, start)
    for ent in ents[first:first + 1] if ends is not None else ents:
        if ent.start_char < end and start < ent.end_char:
            return ent.label_, ent.start_char, ent.end_char
    return "", start, end


def compound_suffix(text: str, end: int) -> bool:
    """'Russian-backed': the mention ends right before a '-backed'-style suffix."""
    return bool(COMPOUND_SUFFIX.match(text[end:end + 14].split(" ")[0].rstrip(",.;:")))


# --------------------------------------------------------------- all sources together


def find_mentions(doc: Doc, gaz: Gazetteer, text: str | None = None) -> list[Mention]:
    """Every candidate toponym in the document, overlapping ones included (accept, then merge)."""
    text = text_of(doc) if text is None else text  # Doc.text joins every token: read it once
    found = cue_mentions(doc, text) + dateline_mentions(doc, text) + ner_mentions(doc, text, gaz)
    toks = token_view(doc)
    found += gazetteer_mentions(doc, text, gaz, toks) + demonym_mentions(doc, text, gaz, toks)
    found += abbreviation_mentions(text) + capital_mentions(text, gaz)
    same_span: dict[tuple[int, int], list[Mention]] = {}
    for other in found:
        same_span.setdefault((other.start, other.end), []).append(other)
    for m, area, local in within_mentions(text):
        if local == "town":  # 'X ward in Magway town': the biggest town of that name holds X
            towns = sorted((c.place for c in candidates(gaz, area, fuzzy=False) if c.place.is_populated
                            and c.kind == NAME_MAIN), key=lambda p: -p.population)
            areas = tuple(towns[:1])
        else:
            areas = tuple(c.place for c in candidates(gaz, area) if c.place.feature in ("admin1", "country")
                          or (local and (c.place.feature == "admin2" or is_locality(c.place))))
        if areas:
            m.extra["within"] = areas
            for other in same_span.get((m.start, m.end), ()):  # the same name found by another source
                other.extra["within"] = areas  # shares the constraint
            found.append(m)
            same_span.setdefault((m.start, m.end), []).append(m)
    found += paren_area_mentions(text, gaz, found)
    found = [m for m in found if not CURRENCY_AFTER.match(text, m.end)]
    ents = list(doc.ents)
    ends = [ent.end_char for ent in ents]
    for m in found:
        m.extra["text"] = text
        if m.source == "gazetteer" and (FACILITY_AFTER.match(text[m.end:m.end + 60])
                                        or FACILITY_BEFORE.search(text[max(0, m.start - 20):m.start])):
            m.extra["facility"] = True
            m.locative = True
        if not m.label:
            m.label, s, e = entity_label(ents, m.start, m.end, ends)
            m.whole_entity = m.start <= s + 4 and m.end >= e - 2  # 'the' or a possessive may differ
            if m.label in NUMERIC_LABELS and not m.whole_entity:
                m.label = ""  # 'On 18 May 2021, in Mawlamyine': a date entity that swallowed the name
    return found


def _paren_areas(gaz: Gazetteer, district: str, area: str) -> tuple[tuple[Place, ...], Place | None]:
    """The first-level areas named `area` that hold a district or town named `district` (and that
    place); when none does, the areas of that name, unless the name is a plain word."""
    areas = [c.place for c in candidates(gaz, area, fuzzy=False) if c.place.feature == "admin1"]
    if not areas:
        return (), None
    inner = [c.place for c in candidates(gaz, strip_admin(district))
             if c.place.feature == "admin2" or c.place.is_populated]
    pairs = [(a, d) for d in inner for a in areas if holds(a, d)]
    if pairs:
        # the district's seat (a town of its name) before the district's middle, then the bigger town
        pairs.sort(key=lambda ad: (not ad[1].is_populated, -ad[1].population))
        held = tuple(dict.fromkeys(a for a, _ in pairs))
        return held, pairs[0][1]
    if fold(area) in COMMON_WORDS or len({a.country for a in areas}) > 1:
        return (), None
    return tuple(areas), None


def _name_span(text: str, s: int, e: int) -> tuple[int, int] | None:
    """The name at [s, e) without its leading small words ('in', 'the'); None for a common word."""
    while (w := re.match(r"(\w+)\s+", text[s:e])) and w.group(1).lower() in WITHIN_LEADING:
        s += w.end()
    return None if s >= e or fold(text[s:e]) in COMMON_WORDS else (s, e)


def _held(text: str, s: int, e: int, areas: tuple[Place, ...], found: list[Mention]) -> Mention:
    """A mention of the name at [s, e) held to `areas`; the same name found by another source shares it."""
    mention = Mention(s, e, text[s:e], "locative", locative=True)
    mention.extra["within"] = areas
    for other in found:
        if (other.start, other.end) == (s, e):
            other.extra["within"] = areas
    return mention


def paren_area_mentions(text: str, gaz: Gazetteer, found: list[Mention]) -> list[Mention]:
    """'X (District, Region)': X and the district, both held to the region that holds the district;
    'X (Area)': X held to the area, when an area of that name holds a place of X's name."""
    out = []
    for m in PAREN_AREA_PATTERN.finditer(text):
        areas, district = _paren_areas(gaz, m.group("district"), m.group("area"))
        if not areas:
            continue
        before = PAREN_NAME_BEFORE.search(text[max(0, m.start() - 80):m.start()])
        spans = [(m.start("district"), m.end("district"), False)]
        if before:
            offset = max(0, m.start() - 80)
            spans.insert(0, (offset + before.start("name"), offset + before.end("name"), True))
        for s, e, named in spans:
            if (name := _name_span(text, s, e)) is None:
                continue
            mention = _held(text, *name, areas, found)
            if named and district is not None:
                mention.extra["near"] = district  # an unknown village lies in this district
            out.append(mention)
    for m in PAREN_ONE_AREA_PATTERN.finditer(text):
        offset = max(0, m.start() - 80)
        before = PAREN_NAME_BEFORE.search(text[offset:m.start()])
        if not before or (name := _name_span(text, offset + before.start("name"), offset + before.end("name"))) is None:
            continue
        areas = [c.place for c in candidates(gaz, m.group("area"), fuzzy=False)
                 if c.place.feature in ("admin1", "admin2")]
        inner = [c.place for c in candidates(gaz, strip_admin(text[slice(*name)]))
                 if c.place.is_populated or c.place.is_admin]
        held = tuple(dict.fromkeys(a for a in areas for p in inner if holds(a, p)))
        if len({a.country for a in held}) != 1:
            continue  # '(AFP)': no area holds the name before it; 'Leon (Leon)': one in several countries
        out.append(_held(text, *name, held, found))
    return out


# "the capital of the Maldives", "Burundi's capital": the country's capital, when no name follows
CAPITAL_PATTERN = re.compile(rf"\b(?:the|its|their)\s+capital(?:\s+city)?\s+of\s+(?:the\s+)?(?P<c1>{_NAME})|"
                             rf"\b(?P<c2>{_NAME})['’]s\s+capital(?:\s+city)?")
NAMED_AFTER = re.compile(r"\s*,?\s*(?:of\s+)?[A-Z]")


def capital_mentions(text: str, gaz: Gazetteer) -> list[Mention]:
    """'Two grenades exploded in Burundi's capital': the capital of the country named."""
    out = []
    for m in CAPITAL_PATTERN.finditer(text):
        if NAMED_AFTER.match(text[m.end():m.end() + 4]):
            continue  # 'Burundi's capital Bujumbura': the name itself is found
        name = m.group("c1") or m.group("c2")
        countries = [p for p in gaz.by_name(name) if p.feature == "country"]
        if not countries:
            continue
        capital = gaz.capital_of.get(countries[0].country)
        if capital is not None:
            mention = Mention(m.start(), m.end(), capital.name, "cue", hint="populated", locative=True)
            mention.extra["within"] = (countries[0],)
            out.append(mention)
    return out


def abbreviation_mentions(text: str) -> list[Mention]:
    """'Maywood, Calif.': a state abbreviation after a comma."""
    out = []
    abbr = admin_abbreviations()
    for m in re.finditer(r",\s*(?P<a>(?:[A-Z][a-z]{0,4}\.|[A-Z]\.\s?[A-Z]\.|[A-Z]\.\s?[A-Z][a-z]\.))", text):
        a = m.group("a")
        if a in abbr or a.replace(" ", "") in abbr:
            out.append(Mention(m.start("a"), m.end("a"), a, "abbreviation", locative=True))
    return out
