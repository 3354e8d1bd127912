"""Places stage: every toponym mention, resolved to coordinates, country, admin1 and admin2.

Recognition (`places_recognize`) finds mentions from cue patterns, the model's entities,
a gazetteer scan and demonyms; resolution (`places_resolve`) ranks gazetteer candidates by
prior and document context in two passes: the first collects what the article says
unambiguously (the countries it names, places with a single reading), the second ranks
every mention in that light.  Output: `doc._.places`, one dict per mention (the contract's
PLACE plus "metonymic", "method" and a few working keys), and the span group PLACES.

`resolve_place(name, country)` resolves a bare name string for other stages.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from ..document import PLACES
from ..gazetteer import NAME_MAIN, TOWN_POPULATION, Gazetteer, Place, fold, load_gazetteer
from .places_recognize import (COMMON_WORDS, Mention, compound_suffix, cue_mentions, dateline_mentions,
                               demonym_mentions, entity_label, gazetteer_mentions, merge_mentions,
                               ner_mentions, token_view)
from .places_resolve import Candidate, Context, candidates, rank

# --------------------------------------------------------------- constants

# Features strong enough to accept from the gazetteer scan alone (no model, no cue).
STRONG_FEATURES = frozenset({"country", "continent", "region", "sea", "lake", "river", "admin1"})
# A populated place the scan finds without a cue must be this big (smaller names are too often words or people).
SCAN_MIN_POPULATION = 100_000
# Inside an ORG name ('Toronto Police', 'Air Zimbabwe') only well-known places count.
ORG_MIN_POPULATION = 200_000
# A scan match in a country the article names needs only this many people.
RESCUE_MIN_POPULATION = 5_000
# Unambiguous enough to count as context in the first pass.
ANCHOR_MARGIN = 3.0
COUNTRY_CONTEXT_WEIGHT = 2       # a country named outright says more than a city in it
# Nouns after a demonym that make it a literal place ('the Syrian border', 'Syrian town of').
LITERAL_DEMONYM_HEADS = frozenset(
    "border borders frontier coast coastline capital town towns city cities village villages territory "
    "territories soil side airspace waters countryside province provinces region regions desert mountains "
    "port ports island islands mainland interior highlands north south east west heartland "
    "peninsula".split())
# Head nouns that make "X's ..." an actor ('Russia's defence ministry'), not a place.
ACTOR_HEADS = frozenset(
    "government army military forces force troops navy president prime minister ministry ministers regime "
    "leader leaders leadership officials authorities embassy ambassador envoy intelligence policy decision "
    "support backing proxies allies ally parliament foreign defence defense state administration "
    "delegation spokesman spokeswoman spokesperson diplomats diplomat media press agency security "
    "interior justice position stance demands demand role involvement intervention strategy".split())
# Verbs whose subject is a location, not an actor ('Syria lies', 'Aleppo remains divided').
LITERAL_VERBS = frozenset("be lie sit border remain stay become see witness host experience suffer "
                          "face contain include lose fall".split())
SPEECH_AFTER = re.compile(r"^\s*(?:has |have |had |will |would |also |then |reportedly |officially )?"
                          r"(?:said|says|say|claimed|claims|accused|accuses|announced|announces|denied|denies|"
                          r"warned|warns|threatened|insisted|argued|urged|called|demanded|rejected|condemned|"
                          r"agreed|signed|sent|deployed|launched|established|supports|supported|backs|backed|"
                          r"sponsors|sponsored|sanctioned|imposed|responded|retaliated|vowed|wants|wanted|"
                          r"sought|seeks|plans|planned|offered|provided|supplied|recognized|recognised|"
                          r"expelled|summoned|confirmed|stated|added|told|insists|believes|refused|"
                          r"pledged|promised|intervened|invaded|attacked|struck|bombed|shelled)\b", re.I)
POSSESSIVE_ACTOR = re.compile(r"^['’]s\s+(?:\w+\s+)?(?P<head>\w+)", re.I)

_DATA = Path(__file__).resolve().parent.parent / "data" / "places"


# --------------------------------------------------------------- lazy data


def capital_ids() -> frozenset[int]:
    """GeoNames ids of national capitals (the index records them at build time)."""
    return load_gazetteer().capitals


@functools.cache
def abbreviations() -> dict[str, tuple[str, str]]:
    """'Calif.' -> ('US', 'California'): dotted abbreviations the index cannot hold."""
    out = {}
    for line in (_DATA / "admin_aliases.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        for alias in (cols[2].split("|") if len(cols) > 2 else []):
            alias = alias.strip()
            if alias.endswith(".") or (alias.isupper() and len(alias) <= 3):
                out[alias] = (cols[0], cols[1])
    return out


# --------------------------------------------------------------- recognition


def find_mentions(doc: Doc, gaz: Gazetteer, text: str | None = None) -> list[Mention]:
    """Every candidate toponym in the document, overlapping ones included (accept, then merge)."""
    text = doc.text if text is None else text  # Doc.text joins every token: read it once
    found = cue_mentions(doc, text) + dateline_mentions(doc, text) + ner_mentions(doc, text)
    toks = token_view(doc)
    found += gazetteer_mentions(doc, text, gaz, toks) + demonym_mentions(doc, text, gaz, toks)
    found += abbreviation_mentions(text)
    ents = list(doc.ents)
    for m in found:
        if not m.label:
            m.label, s, e = entity_label(ents, m.start, m.end)
            m.whole_entity = m.start <= s + 4 and m.end >= e - 2  # 'the' or a possessive may differ
    return found


def abbreviation_mentions(text: str) -> list[Mention]:
    """'Maywood, Calif.': a state abbreviation after a comma."""
    out = []
    abbr = abbreviations()
    for m in re.finditer(r",\s*(?P<a>(?:[A-Z][a-z]{0,4}\.|[A-Z]\.\s?[A-Z]\.|[A-Z]\.\s?[A-Z][a-z]\.))", text):
        a = m.group("a")
        if a in abbr or a.replace(" ", "") in abbr:
            out.append(Mention(m.start("a"), m.end("a"), a, "abbreviation", locative=True))
    return out


def accept(m: Mention, best: Candidate | None, has_ner: bool) -> bool:
    """Whether a mention is a toponym, given its source, context and best reading."""
    if best is None:
        # an unknown name is still a place when a strong cue says so ('the village of X', '5 km from X')
        return m.source == "cue" and (m.hint == "populated" or m.relative is not None) and \
            fold(m.lookup) not in COMMON_WORDS
    if m.source in ("cue", "dateline", "abbreviation", "demonym"):
        return True
    p = best.place
    key = fold(m.lookup)
    if key in COMMON_WORDS:
        return False
    strong = p.feature in STRONG_FEATURES or p.id >= (1 << 40)
    if m.source == "ner":
        if best.kind != NAME_MAIN and p.population < TOWN_POPULATION and not (m.locative or strong):
            return False  # 'MoD' is no alternate spelling of a village called Maud
        return best.rung != "skeleton" or m.locative or strong
    # gazetteer scan or a name after a locative preposition: what the model said about the words decides
    if m.label == "PERSON":
        # 'Tamil Nadu' filed as a person; a lone 'Victoria' or 'Paul' is one; 'in Kutui' is a town
        if not m.whole_entity:
            return False
        if strong:
            return " " in m.lookup or m.locative or p.feature == "country"
        return m.locative and p.is_populated and p.population >= TOWN_POPULATION
    if best.kind != NAME_MAIN and not (strong or m.locative):
        return False  # an old or foreign alternate name ('Julia', 'Salisbury') needs a cue
    if m.label in ("ORG", "NORP", "PRODUCT", "WORK_OF_ART", "EVENT", "FAC", "LAW", "DATE"):
        # the model often files a town under ORG/PRODUCT; a locative cue ('from Dewsbury') settles it
        return strong or (p.is_populated and (p.population >= ORG_MIN_POPULATION
                                              or (m.locative and m.whole_entity)))
    if m.label in ("TIME", "MONEY", "CARDINAL", "ORDINAL", "QUANTITY", "PERCENT", "LANGUAGE"):
        return False
    if strong or m.locative:
        return True
    return (not has_ner) and p.population >= SCAN_MIN_POPULATION


def rescue(m: Mention, best: Candidate, countries: set[str | None]) -> bool:
    """A rejected scan match that lies in a country the article names outright."""
    p = best.place
    return (m.source == "gazetteer" and best.kind == NAME_MAIN and p.country in countries
            and p.population >= RESCUE_MIN_POPULATION and m.label in ("", "GPE", "LOC", "NORP")
            and fold(m.lookup) not in COMMON_WORDS)


def after_place_comma(m: Mention, cands: list[Candidate], accepted: list[Mention], text: str) -> bool:
    """'near Novoberyslav, Kherson': an area name right after a place and a comma names its area."""
    if m.source not in ("gazetteer", "locative") or not re.search(r"\w\s*,\s*$", text[max(0, m.start - 3):m.start]):
        return False
    comma = text.rindex(",", 0, m.start)
    if not any(a.end == comma or a.end == comma - 1 for a in accepted if not a.demonym) \
            and not re.search(r"(?:\b(?:near|in|at|of|from|outside)\s+)[A-Z][\w'’\-]*(?:\s[A-Z][\w'’\-]*)?$",
                              text[max(0, comma - 60):comma]):
        return False
    if any(c.place.feature == "admin1" for c in cands):
        m.hint = m.hint or "admin1"
        return True
    return any(c.place.feature == "country" for c in cands)


# --------------------------------------------------------------- resolution


def _cands(gaz: Gazetteer, m: Mention) -> list[Candidate]:
    if m.source == "demonym":
        return [Candidate(p, NAME_MAIN, "demonym") for p in gaz.by_demonym(m.lookup)]
    if m.source == "abbreviation":
        abbr = abbreviations()
        country, admin1 = abbr.get(m.lookup) or abbr.get(m.lookup.replace(" ", ""), (None, None))
        return [Candidate(p, NAME_MAIN, "abbreviation") for p in gaz.by_name(admin1 or "")
                if p.country == country and p.feature == "admin1"]
    # transliteration look-alikes only where the context already says 'place' (else names of people match)
    fuzzy = m.locative or m.hint is not None or m.source in ("cue", "dateline")
    cands = candidates(gaz, m.lookup, fuzzy=fuzzy)
    bare = m.lookup.replace(".", "")
    if bare.isupper() and len(bare) <= 4:
        # 'EU', 'UK', 'DRC' are countries or unions, never the village of Eu
        cands = [c for c in cands if c.place.feature in STRONG_FEATURES]
    return cands


def _container(mentions: list[Mention], i: int, text: str, chosen: dict[int, Place]) -> Place | None:
    """'Maywood, Calif.' / 'Tripoli, Lebanon': the area the next mention names, if it follows a comma."""
    if i + 1 >= len(mentions):
        return None
    nxt = mentions[i + 1]
    between = text[mentions[i].end:nxt.start]
    if not re.fullmatch(r"\s*,\s*", between):
        return None
    p = chosen.get(i + 1)
    return p if p is not None and p.feature in ("country", "admin1", "admin2") else None


def _contained(mentions: list[Mention], i: int, text: str, chosen: dict[int, Place]) -> Place | None:
    """'Atlanta, Georgia': the place before the comma, which the area after it should contain."""
    if i == 0 or not re.fullmatch(r"\s*,\s*", text[mentions[i - 1].end:mentions[i].start]):
        return None
    p = chosen.get(i - 1)
    return p if p is not None and p.feature not in ("country", "continent", "region", "sea") else None


def resolve_mentions(doc: Doc, mentions: list[Mention], gaz: Gazetteer,
                     text: str | None = None) -> list[tuple[Mention, Candidate | None, str]]:
    """Accept mentions context-free, merge overlaps, collect unambiguous context, then rank in it."""
    caps = capital_ids()
    text = doc.text if text is None else text
    has_ner = doc.has_annotation("ENT_IOB")
    accepted: list[Mention] = []
    rejected: list[tuple[Mention, Candidate]] = []
    cands_of: dict[int, list[Candidate]] = {}
    for m in mentions:
        cands = _cands(gaz, m)
        ranked = rank(list(cands), Context(), m.hint, None, caps)
        cands_of[id(m)] = cands
        if accept(m, ranked[0] if ranked else None, has_ner):
            accepted.append(m)
        elif ranked:
            rejected.append((m, ranked[0]))
    # a town the article's own countries hold is a place even without a cue ('Pokrovsk fell')
    countries = {c.place.country for m in accepted for c in cands_of[id(m)][:1]
                 if c.place.feature == "country" or m.demonym}
    accepted += [m for m, best in rejected if rescue(m, best, countries)
                 or after_place_comma(m, cands_of[id(m)], accepted, text)]
    merged = merge_mentions(accepted)
    ctx = Context()
    first: dict[int, Place] = {}
    for i, m in enumerate(merged):
        ranked = rank(list(cands_of[id(m)]), Context(), m.hint, None, caps)
        if not ranked:
            continue
        best = ranked[0]
        first[i] = best.place
        margin = best.score - ranked[1].score if len(ranked) > 1 else 99.0
        if margin >= ANCHOR_MARGIN or best.place.feature == "country":
            if best.place.country:
                ctx.countries[best.place.country] += COUNTRY_CONTEXT_WEIGHT if best.place.feature == "country" else 1
            if best.place.feature == "admin1" and best.place.admin1_code:
                ctx.admin1[best.place.admin1_code] += 1
            if best.place.feature not in ("country", "continent", "region", "sea") and not m.demonym:
                ctx.anchors.append(best.place)
    out = []
    for i, m in enumerate(merged):
        ranked = rank(list(cands_of[id(m)]), ctx, m.hint, _container(merged, i, text, first), caps,
                      member=_contained(merged, i, text, first))
        best = ranked[0] if ranked else None
        out.append((m, best, _method(best, ranked, first.get(i))))
    return out


def _method(best: Candidate | None, ranked: list[Candidate], context_free: Place | None) -> str:
    """Which rung resolved it: curated | demonym | exact | ranked | context | skeleton | unresolved."""
    if best is None:
        return "unresolved"
    if best.place.id >= (1 << 40):
        return "curated"
    if best.rung in ("demonym", "skeleton", "qualifier", "abbreviation"):
        return best.rung
    if len(ranked) == 1:
        return "exact"
    return "context" if context_free is not None and context_free.id != best.place.id else "ranked"


# --------------------------------------------------------------- metonymy


def is_metonymic(doc: Doc, text: str, m: Mention, place: Place | None) -> bool:
    """Whether the mention names a state or city as an actor ('Moscow said', 'Turkish-backed')."""
    after = text[m.end:m.end + 60]
    if compound_suffix(text, m.end):
        return True
    if m.demonym:
        nxt = re.match(r"^\s+(?:\w+\s+)?(\w+)", after)
        return not (nxt and nxt.group(1).lower() in LITERAL_DEMONYM_HEADS)
    if place is None or place.feature not in ("country", "city", "town", "admin1", "region", "continent"):
        return False
    poss = POSSESSIVE_ACTOR.match(after)
    if poss:
        return poss.group("head").lower() in ACTOR_HEADS
    if SPEECH_AFTER.match(after):
        return True
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None or not doc.has_annotation("DEP"):
        return False
    root = span.root
    if root.dep_ in ("nsubj", "nsubjpass") and root.head.pos_ in ("VERB", "AUX"):
        return root.head.lemma_.lower() not in LITERAL_VERBS and root.dep_ == "nsubj"
    if root.dep_ == "pobj" and root.head.lower_ == "by" and root.head.dep_ == "agent":
        return True
    return False


# --------------------------------------------------------------- output


def place_record(m: Mention | None, best: Candidate | None, method: str, *, text: str = "",
                 metonymic: bool = False) -> dict:
    """The contract's PLACE dict (plus working keys) for one resolved mention."""
    p = best.place if best else None
    rec = {
        "mention": text if m is None else None,
        "start": None, "end": None,
        "name": p.name if p else None,
        "geonameid": p.geonameid if p else None,
        "country": p.country if p else None,
        "admin1": p.admin1 if p else None,
        "admin2": p.admin2 if p else None,
        "latitude": round(p.lat, 5) if p and p.lat is not None else None,
        "longitude": round(p.lon, 5) if p and p.lon is not None else None,
        "feature": p.feature if p else None,
        "population": p.population if p else None,
        "metonymic": metonymic,
        "method": method,
    }
    if p and p.feature == "admin1":
        rec["admin1"] = p.name
    if p and p.feature == "admin2":
        rec["admin2"] = p.name
    return rec


def extract_places(doc: Doc, gaz: Gazetteer | None = None) -> list[dict]:
    """The places layer for one document (pure: reads the Doc, returns the dicts)."""
    gaz = gaz or load_gazetteer()
    text = doc.text
    mentions = find_mentions(doc, gaz, text)
    out = []
    for m, best, method in resolve_mentions(doc, mentions, gaz, text):
        rec = place_record(m, best, method, metonymic=is_metonymic(doc, text, m, best.place if best else None))
        rec.update(mention=text[m.start:m.end], start=m.start, end=m.end)
        if m.demonym:
            rec["demonym"] = True
        if m.relative:
            rec["relative"] = m.relative
        out.append(rec)
    return out


def resolve_place(name: str, country: str | None = None, admin1: str | None = None) -> dict | None:
    """Resolve a bare place name for other stages; None when nothing fits.

    `country` (ISO alpha-2 or a country name) and `admin1` (a name) restrict the reading: with
    a country, a place outside it is never returned (the same name abroad is another place).
    """
    gaz = load_gazetteer()
    iso = _country_code(gaz, country)
    cands = candidates(gaz, name)
    if iso:
        cands = [c for c in cands if c.place.country == iso]
        if not cands:  # a spelling variant inside the country ('Avdiyivka' for 'Avdiivka')
            cands = [c for c in candidates(gaz, name, fuzzy=True, force_fuzzy=True) if c.place.country == iso]
    if not cands:
        return None
    ctx = Context()
    if iso:
        ctx.countries[iso] += 1
    container = None
    if admin1:
        areas = [p for p in gaz.by_name(admin1) if p.feature == "admin1" and (not iso or p.country == iso)]
        container = areas[0] if areas else None
    ranked = rank(cands, ctx, None, container, capital_ids())
    rec = place_record(None, ranked[0], _method(ranked[0], ranked, None), text=name)
    rec.pop("start"), rec.pop("end")
    return rec


def _country_code(gaz: Gazetteer, country: str | None) -> str | None:
    if not country:
        return None
    if len(country) == 2 and country.isalpha():
        return country.upper()
    hits = [p for p in gaz.by_name(country) if p.feature == "country"]
    return hits[0].country if hits else None


def admin_names(country_iso2: str, admin1_code: str) -> str | None:
    """ACLED-style admin1 name of a GeoNames admin1 code: ('SY', '09') -> 'Aleppo'."""
    from ..gazetteer import admin_names as _admin_names
    return _admin_names(country_iso2, admin1_code)


class PlacesStage:
    def __init__(self, nlp: Language, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        places = extract_places(doc)
        doc._.places = places
        spans = []
        for i, rec in enumerate(places):
            span = doc.char_span(rec["start"], rec["end"], label=rec.get("feature") or "place",
                                 alignment_mode="expand")
            if span is not None:
                span._.place_index = i
                spans.append(span)
        doc.spans[PLACES] = spans
        return doc


__all__ = ["PlacesStage", "admin_names", "extract_places", "resolve_place"]
