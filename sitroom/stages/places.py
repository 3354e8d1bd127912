"""Places stage: which places does this article mention, and which place is each one?

Recognition (`places_recognize`) finds mentions from cue patterns, the model's entities,
a gazetteer scan and demonyms.  This module decides, for the whole document, which of them
are toponyms and which reading each one has: the gazetteer's ranker (`sitroom.gazetteer.resolve`)
runs in two passes, the first collecting what the article says unambiguously (the countries
it names, places with a single reading), the second ranking every mention in that light;
then a coherence pass keeps readings in the countries the article is about, and a metonymy
check marks states and cities named as actors ('Moscow said').  Output: `doc._.places`, one
dict per mention (the contract's PLACE plus "metonymic", "method" and a few working keys),
and the span group PLACES.
"""
from __future__ import annotations

import functools
import re

from spacy.language import Language
from spacy.tokens import Doc

from ..document import PLACES, PlaceRecord, text_of
from ..distance import km
from ..folding import fold
from ..gazetteer import (NAME_MAIN, TOWN_POPULATION, Candidate, Context, Gazetteer, Place, admin_abbreviations,
                         candidates, holds, is_locality, load_gazetteer, method_of, place_record, rank)
from .places_recognize import COMMON_WORDS, Mention, compound_suffix, find_mentions, merge_mentions

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
COHERENT_MIN_POPULATION = 100_000  # an exact match this big says which country the article is about
FOREIGN_SMALL_POPULATION = 100_000  # below this, a place in a country nothing else supports is doubtful
HOME_NAMESAKE_SHARE = 0.1  # a town of the article's country this big, beside a namesake abroad, is the one meant
LOOSE_RUNGS = frozenset({"skeleton", "qualifier"})  # readings of a look-alike or of part of the name
REGION_SMALL_POPULATION = 10_000  # a village in another region than the article names needs its own evidence
FAR_KM = 2500.0                    # a village this far from every capital the article points to is another one
# words before a 'PERSON, Area' that make it a person from somewhere ('said John Smith, Texas')
NAME_BEFORE = frozenset("said says told by named mayor governor resident residents reported stated added according "
                        "and with to that as like called quoted wrote of for".split())
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


# --------------------------------------------------------------- lazy data


def capital_ids() -> frozenset[int]:
    """GeoNames ids of national capitals (the index records them at build time)."""
    return load_gazetteer().capitals


@functools.cache
def capital_points() -> dict[str, tuple[float, float]]:
    """Country code -> its capital's point (for 'is this village anywhere near the article's countries')."""
    return {iso: (p.lat, p.lon) for iso, p in load_gazetteer().capital_of.items() if p.lat is not None}


def far_from(p: Place, countries: set[str]) -> bool:
    """Whether a place lies more than FAR_KM from the capital of every one of these countries."""
    pts = [capital_points().get(c) for c in countries]
    pts = [x for x in pts if x is not None]
    return bool(pts) and p.lat is not None and all(km(lat, lon, p.lat, p.lon) > FAR_KM for lat, lon in pts)


# --------------------------------------------------------------- which mentions are toponyms


# a transcript's speaker label: 'SCOTT HORSLEY, BYLINE:', 'SHAPIRO:' at the start of a line (a dateline is the
# article's first line, and the datelines module finds it)
SPEAKER_LABEL_AFTER = re.compile(r"(?:\s+[A-Z][A-Z'’.-]+)*\s*(?:,\s*(?:HOST|BYLINE|CORRESPONDENT|REPORTER|ANCHOR|"
                                 r"GUEST|INTERVIEWER)\b[^\n]*)?:")


def speaker_label(m: Mention) -> bool:
    """Whether an all-capitals mention opens a transcript line as the speaker's name."""
    text = m.extra.get("text", "")
    line_start = text.rfind("\n", 0, m.start) + 1
    return (m.source != "dateline" and line_start > 0 and m.lookup.isupper() and not text[line_start:m.start].strip()
            and bool(SPEAKER_LABEL_AFTER.match(text, m.end)))


def accept(m: Mention, best: Candidate | None, has_ner: bool) -> bool:
    """Whether a mention is a toponym, given its source, context and best reading."""
    if m.extra.get("within") and (best is None or any(holds(a, best.place) for a in m.extra["within"])):
        if m.label != "PERSON" or not m.whole_entity or m.source == "cue":
            return True  # the pattern already demands an area and a clause boundary after it ('the town of X (X, Y)')
        prev = re.search(r"(\w+)\s+$", m.extra.get("text", "")[max(0, m.start - 30):m.start])
        return bool(prev) and prev.group(1).islower() and prev.group(1) not in NAME_BEFORE  # 'shelled X, Y'
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
    strong = p.feature in STRONG_FEATURES or p.is_curated
    if m.extra.get("facility"):
        return p.is_populated and best.kind == NAME_MAIN and best.rung != "skeleton"
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
        return m.locative and p.is_populated and (p.population >= TOWN_POPULATION or is_locality(p))
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
    if p.population < SCAN_MIN_POPULATION or best.kind != NAME_MAIN:
        return False
    # a big town the model left untagged ('on the Iten-Eldoret road, Eldoret'): its own name, not a word of a longer one
    text = m.extra.get("text", "")
    compound = bool(re.match(r"-[A-Z]", text[m.end:m.end + 2]))  # 'the Nairobi-Mai Mahiu road'
    # after 'X, ' it is X's area, which after_place_comma decides
    if m.label in ("GPE", "LOC") and not m.whole_entity and p.is_populated and p.population >= ORG_MIN_POPULATION \
            and not compound:
        return True  # a big city inside a place name the index lacks ('Seoul City - Gangnam')
    return not has_ner or (m.label == "" and p.is_populated
                           and not (_after_comma(text, m.start) or compound or in_longer_name(m)))


def _after_comma(text: str, start: int) -> bool:
    """A word and a comma right before this character ('Siversk, Donetsk')."""
    return bool(re.search(r"\w\s*,\s*$", text[max(0, start - 3):start]))


# after a demonym: the nouns of armed forces and their weapons, which act abroad as often as at home
MILITARY_AFTER = re.compile(
    r"^\s+(?:(?:armed|military|regular|special|occupying|occupation|backed)\s+)?(?:forces|troops|army|military|"
    r"soldiers|servicemen|drones?|missiles?|jets?|aircraft|warplanes|artillery|air\s+force|navy|warships?|"
    r"strikes?|airstrikes?|air\s+strikes?|shelling|occupiers|invaders|units|paratroopers|marines|tanks)\b", re.I)


def military_demonym(m: Mention) -> bool:
    """'Russian forces', 'Israeli airstrikes': a demonym naming an army, which says nothing of where."""
    return bool(MILITARY_AFTER.match(m.extra.get("text", "")[m.end:m.end + 40]))


def in_longer_name(m: Mention) -> bool:
    """Whether a scan match sits inside a run of capitalised words that it does not cover."""
    text = m.extra.get("text", "")
    before = re.search(r"(?<![\w.])([A-Z][\w'’\-]*)\s$", text[max(0, m.start - 30):m.start])
    after = re.match(r"\s([A-Z][\w'’\-]*)", text[m.end:m.end + 30])
    return any(x and fold(x.group(1)) not in COMMON_WORDS and not x.group(1).isupper() for x in (before, after))


def rescue(m: Mention, best: Candidate, countries: set[str | None]) -> bool:
    """A rejected scan match that lies in a country the article names outright."""
    p = best.place
    return (m.source == "gazetteer" and best.kind == NAME_MAIN and p.country in countries
            and p.population >= RESCUE_MIN_POPULATION and m.label in ("", "GPE", "LOC", "NORP")
            and fold(m.lookup) not in COMMON_WORDS)


def after_place_comma(m: Mention, cands: list[Candidate], accepted: list[Mention], text: str) -> bool:
    """'near Novoberyslav, Kherson': an area name right after a place and a comma names its area."""
    if m.source not in ("gazetteer", "locative") or not _after_comma(text, m.start):
        return False
    comma = text.rindex(",", 0, m.start)
    if not any(a.end == comma or a.end == comma - 1 for a in accepted if not a.demonym) \
            and not re.search(r"(?:\b(?:near|in|at|of|from|outside)\s+)[A-Z][\w'’\-]*(?:\s[A-Z][\w'’\-]*)?$",
                              text[max(0, comma - 60):comma]):
        return False
    if any(c.place.feature == "admin1" for c in cands):
        m.hint = m.hint or "admin1"
        return True
    if any(c.place.feature == "country" for c in cands):
        return True
    # 'in Kwachocha, Malindi': an unknown village, then the town it lies by
    return bool(re.search(r"\b(?:near|in|at|outside)\s+[A-Z][\w'’\-]*(?:\s[A-Z][\w'’\-]*)?$",
                          text[max(0, comma - 60):comma])) and any(
        c.kind == NAME_MAIN and c.place.is_populated and (c.place.population >= TOWN_POPULATION or is_locality(c.place))
        for c in cands)


def sentence_initial(text: str, start: int) -> bool:
    """Whether a word opens its sentence, line or quote (where any word is capitalised)."""
    before = text[max(0, start - 40):start]
    stripped = before.rstrip(" \t'\"‘“(")
    return (not stripped and start < 40) or stripped.endswith(("\n", ".", "!", "?", ":", ";", "—", "|"))


def same_sense(accepted: list[Mention], rejected: list[tuple[Mention, Candidate]],
               cands_of: dict[int, list[Candidate]], text: str) -> list[Mention]:
    """One sense per discourse: a plain word the article itself shows to be a town ('in Nice, France',
    'the resort town of Nice', a dateline) names that town wherever else it is capitalised inside a sentence ('the attack in Nice', 'Nice
    residents'), read as the town the confirmed mention is (its candidates narrowed to that reading)."""
    confirmed: dict[str, set[int]] = {}
    for m in accepted:
        if fold(m.lookup) in COMMON_WORDS and cands_of[id(m)]:
            confirmed.setdefault(m.lookup, set()).update(c.place.id for c in cands_of[id(m)])
    out = []
    for m, _ in rejected:
        if m.lookup not in confirmed or m.source not in ("gazetteer", "ner", "locative") \
                or sentence_initial(text, m.start):
            continue
        cands = [c for c in cands_of[id(m)] if c.place.id in confirmed[m.lookup]]
        if cands:
            cands_of[id(m)] = cands
            out.append(m)
    return out


# --------------------------------------------------------------- resolution


def _cands(gaz: Gazetteer, m: Mention) -> list[Candidate]:
    if m.source == "demonym":
        return [Candidate(p, NAME_MAIN, "demonym") for p in gaz.by_demonym(m.lookup)]
    if m.source == "abbreviation":
        abbr = admin_abbreviations()
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
    text = text_of(doc) if text is None else text
    has_ner = doc.has_annotation("ENT_IOB")
    accepted: list[Mention] = []
    rejected: list[tuple[Mention, Candidate]] = []
    cands_of: dict[int, list[Candidate]] = {}
    for m in mentions:
        if speaker_label(m):
            continue  # no place, and no rescue either
        cands = _cands(gaz, m)
        if m.extra.get("within"):
            cands = _within(gaz, m, cands)
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
    accepted += same_sense(accepted, rejected, cands_of, text)
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
        if m.demonym and military_demonym(m):
            continue  # 'Russian forces shelled Pokrovsk': whose army, not where
        if margin >= ANCHOR_MARGIN or best.place.feature == "country":
            if best.place.country:
                ctx.countries[best.place.country] += COUNTRY_CONTEXT_WEIGHT if best.place.feature == "country" else 1
            if best.place.feature == "admin1" and best.place.admin1_code:
                ctx.admin1[best.place.admin1_code] += 1
            if best.place.feature not in ("country", "continent", "region", "sea") and not m.demonym:
                ctx.add_anchor(best.place)
    out = []
    for i, m in enumerate(merged):
        ranked = rank(list(cands_of[id(m)]), ctx, m.hint, _container(merged, i, text, first), caps,
                      member=_contained(merged, i, text, first))
        best = ranked[0] if ranked else None
        out.append((m, best, method_of(best, ranked, first.get(i))))
    return cohere(out, cands_of, ctx, caps)


def _within(gaz: Gazetteer, m: Mention, cands: list[Candidate]) -> list[Candidate]:
    """'X, Y region': only readings of X inside Y (spelling variants included); none -> unresolved in Y."""
    areas = m.extra["within"]
    inside = [c for c in cands if any(holds(a, c.place) for a in areas)]
    if not inside:
        inside = [c for c in candidates(gaz, m.lookup, fuzzy=True, force_fuzzy=True)
                  if any(holds(a, c.place) for a in areas)]
    return inside


def _curated_area(p: Place) -> bool:
    """'the Gaza Strip', 'Donbas': a curated region names the article's country as surely as admin1 does."""
    return p.is_curated and p.feature == "region"


# 'the ambassador of the United States in Athens', 'the French embassy': a state abroad, not the article's country
DIPLOMAT_OF = re.compile(r"\b(?:ambassadors?|embass(?:y|ies)|consulates?|envoys?|consuls?)(?:[\s-]+general)?\s+of\s+"
                         r"(?:the\s+)?$", re.I)
DIPLOMAT_AFTER = re.compile(r"^(?:['’]s)?\s+(?:ambassadors?|embass(?:y|ies)|consulates?|envoys?|consuls?)\b", re.I)


def sending_state(m: Mention) -> bool:
    """Whether a mention names the state a diplomat or a mission comes from."""
    text = m.extra.get("text", "")
    return bool(DIPLOMAT_OF.search(text[max(0, m.start - 40):m.start]) or DIPLOMAT_AFTER.match(text[m.end:m.end + 24]))


def _sure_country(m: Mention, best: Candidate | None) -> str | None:
    """The country a mention makes the article sure of (named, an admin1, a big exact place, an
    'X, Y' area), else None."""
    if best is None or not best.place.country or m.demonym or sending_state(m):
        return None
    p = best.place
    if (p.feature in ("country", "admin1") and best.rung not in LOOSE_RUNGS) or m.extra.get("within") \
            or _curated_area(p) or (
            best.rung not in LOOSE_RUNGS and best.kind == NAME_MAIN and p.population >= COHERENT_MIN_POPULATION):
        return p.country
    return None


def _support(out: list[tuple[Mention, Candidate | None, str]]) -> tuple[set[str], set[str]]:
    """Countries the article is sure of (named, big exact places, 'X, Y' areas) and those only demonyms hint."""
    strong = {c for m, best, _ in out if (c := _sure_country(m, best))}
    weak = {best.place.country for m, best, _ in out
            if best is not None and best.place.country and m.demonym and not military_demonym(m)}
    return strong, weak


def _home_namesake(m: Mention, best: Candidate, others: set[str], cands: list[Candidate]) -> Candidate | None:
    """'from Beirut to Tripoli': a town of the article's own country that bears the name, read before a
    bigger namesake abroad that nothing else in the article points to (a far bigger one stays:
    'London' is not an estate of Nakuru)."""
    p = best.place
    if not others or not p.country or p.country in others or m.extra.get("within") \
            or not (p.is_populated or p.is_admin):
        return None  # seas, regions and countries are not namesakes of towns
    home = [c for c in cands if c.place.country in others and c.kind == NAME_MAIN and c.rung == "exact"
            and (c.place.is_populated or c.place.is_admin)
            and c.place.population >= HOME_NAMESAKE_SHARE * p.population]
    return max(home, key=lambda c: c.place.population) if home else None


def _named_regions(out: list[tuple[Mention, Candidate | None, str]]) -> dict[str, set[str]]:
    """country -> the first-order regions (admin1) the article names outright in it."""
    named: dict[str, set[str]] = {}
    for m, best, _ in out:
        if best is not None and best.place.feature == "admin1" and best.place.admin1_code and not m.demonym \
                and best.rung not in LOOSE_RUNGS and best.place.country:
            named.setdefault(best.place.country, set()).add(best.place.admin1_code)
    return named


def _other_region(best: Candidate, regions: dict[str, set[str]]) -> bool:
    """A village read in another region of the country than every region the article names."""
    p = best.place
    named = regions.get(p.country or "")
    return bool(named) and p.is_populated and p.population < REGION_SMALL_POPULATION \
        and bool(p.admin1_code) and p.admin1_code not in named


VILLAGE_AFTER = re.compile(r"^\s+(?:community|village|hamlet)\b", re.I)


def _village_abroad(m: Mention, best: Candidate, others: set[str]) -> bool:
    """'Buda community' in a Nigerian report: a village, so not the city abroad that bears the name
    (`others`: the countries the rest of the article is sure of)."""
    p = best.place
    return bool(others) and p.country not in others and p.is_populated and p.population >= TOWN_POPULATION \
        and bool(VILLAGE_AFTER.match(m.extra.get("text", "")[m.end:m.end + 16]))


def cohere(out: list[tuple[Mention, Candidate | None, str]], cands_of: dict[int, list[Candidate]],
           ctx: Context, caps: frozenset[int]) -> list[tuple[Mention, Candidate | None, str]]:
    """Document-level country coherence: a doubtful foreign reading moves into the article's country
    or is dropped ('Kenyan police ... Kiunga' is the Kenyan Kiunga, not the one in Papua New Guinea)."""
    strong, weak = _support(out)
    support = strong or weak
    sure = [(fold(m.lookup), c) for m, best, _ in out if (c := _sure_country(m, best))]
    named_in: dict[str, set[str]] = {}  # country -> the names that say it
    for name, c in sure:
        named_in.setdefault(c, set()).add(name)
    regions = _named_regions(out)
    res = []
    for m, best, method in out:
        if best is None or m.demonym or m.extra.get("within"):
            res.append((m, best, method))
            continue
        if _other_region(best, regions):
            continue  # 'Nyaung Kone' in an article about Sagaing is not Yangon's village of that name
        name = fold(m.lookup)  # what the rest of the article says:
        others = {c for c, names in named_in.items() if len(names) > 1 or name not in names}
        if _village_abroad(m, best, others):
            continue
        home = _home_namesake(m, best, others, cands_of[id(m)])
        if home is not None:
            res.append((m, home, "coherence"))
            continue
        p = best.place
        if (m.source == "gazetteer" and not m.locative and p.country not in support
                and p.feature not in STRONG_FEATURES and in_longer_name(m)):
            continue  # 'Standard Gauge Railway': a word of a longer name, in no country the article is about
        if (not support and not m.locative and m.source in ("gazetteer", "ner") and p.feature not in STRONG_FEATURES
                and p.population < FOREIGN_SMALL_POPULATION):
            continue  # nothing in the article says which country: a bare small-town match is a guess
        # a look-alike or a part of the name ('West Midlands' read as Midlands) abroad needs evidence,
        # even for a province (Zimbabwe's Midlands)
        loose = best.rung in LOOSE_RUNGS and bool(support) and bool(p.country)  # 'Northern Europe' is no namesake
        doubtful = best.rung in LOOSE_RUNGS or best.kind != NAME_MAIN or p.population < FOREIGN_SMALL_POPULATION
        if p.country in support or ((p.feature in STRONG_FEATURES or p.is_curated) and not loose) or not doubtful:
            res.append((m, best, method))
            continue
        alt = [c for c in cands_of[id(m)] if c.place.country in support and c.rung != "skeleton"]
        if alt:
            res.append((m, rank(alt, ctx, m.hint, None, caps)[0], "coherence"))
        elif best.rung == "skeleton" or loose or (strong and best.kind != NAME_MAIN) or (
                p.population < FOREIGN_SMALL_POPULATION and far_from(p, support)):
            continue  # a look-alike or a village abroad the article gives no reason for
        else:
            res.append((m, best, method))
    return res


# --------------------------------------------------------------- metonymy


GROUP_NOUN_AFTER = re.compile(
    r"^\s+(?:ethnic\s+|armed\s+)?(?:civilians|militia|militias|militiamen|raiders|youths?|herders|herdsmen|"
    r"pastoralists|clans?|elders|tribe|tribesmen|communit(?:y|ies)|fighters|gunmen|warriors|morans|people|"
    r"men|women|families|farmers|traders|supporters|politicians)\b", re.I)


@functools.cache
def ethnic_groups() -> frozenset[str]:
    """Peoples whose names are also places (Kikuyu, Turkana, Meru): the actor dictionary's group table."""
    from ..actordict import actor_dictionary
    return frozenset(fold(k) for k in actor_dictionary().ethnic)


@functools.cache
def speaking_offices() -> frozenset[str]:
    """Offices and outlets that speak for a state ('the White House', 'the Kremlin'): the actor
    dictionary's speakers, which name no place an event happens at (a town called White House)."""
    from ..actordict import actor_dictionary
    d = actor_dictionary()
    gaz = load_gazetteer()

    def town(name: str) -> bool:  # 'Myawaddy' is the junta's TV station and a town of Kayin
        return any(c.place.is_populated and c.kind == NAME_MAIN and c.rung == "exact"
                   for c in candidates(gaz, name, fuzzy=False))
    return frozenset(fold(k) for k, targets in d.aliases.items() if any(t.kind == "speaker" for t in targets)
                     and (" " in k.strip() or not town(k)))


def is_metonymic(doc: Doc, text: str, m: Mention, place: Place | None, parsed: bool | None = None) -> bool:
    """Whether the mention names a state or city as an actor ('Moscow said', 'Turkish-backed').

    `parsed`: whether the doc has a dependency parse (a scan of every token: ask once per doc)."""
    after = text[m.end:m.end + 60]
    if place is not None and place.feature != "country" and fold(m.lookup) in speaking_offices():
        return True
    if compound_suffix(text, m.end):
        return True
    if m.demonym:
        nxt = re.match(r"^\s+(\w+)(?:\s+(\w+))?", after)  # 'the Syrian border', 'the Lebanese coastal city'
        return not (nxt and any((w or "").lower() in LITERAL_DEMONYM_HEADS for w in nxt.groups()))
    if place is None or place.feature not in ("country", "city", "town", "admin1", "region", "continent"):
        return False
    if fold(m.lookup) in ethnic_groups() and GROUP_NOUN_AFTER.match(after):
        return True  # 'Kikuyu civilians', 'Turkana raiders': a people, not the town or county of that name
    poss = POSSESSIVE_ACTOR.match(after)
    if poss:
        return poss.group("head").lower() in ACTOR_HEADS
    if SPEECH_AFTER.match(after):
        return True
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None or not (doc.has_annotation("DEP") if parsed is None else parsed):
        return False
    root = span.root
    if root.dep_ in ("nsubj", "nsubjpass") and root.head.pos_ in ("VERB", "AUX"):
        return root.head.lemma_.lower() not in LITERAL_VERBS and root.dep_ == "nsubj"
    if root.dep_ == "pobj" and root.head.lower_ == "by" and root.head.dep_ == "agent":
        return True
    return False


# --------------------------------------------------------------- output


def extract_places(doc: Doc, gaz: Gazetteer | None = None) -> list[PlaceRecord]:
    """The places layer for one document (pure: reads the Doc, returns the dicts)."""
    gaz = gaz or load_gazetteer()
    text = text_of(doc)
    mentions = find_mentions(doc, gaz, text)
    out = []
    parsed = doc.has_annotation("DEP")
    for m, best, method in resolve_mentions(doc, mentions, gaz, text):
        p = best.place if best else None
        rec = place_record(p, method, mention=text[m.start:m.end], start=m.start, end=m.end,
                           metonymic=is_metonymic(doc, text, m, p, parsed))
        if best is None and m.extra.get("within"):
            rec.update(_in_area(m.lookup, m.extra.get("near") or m.extra["within"][0]))
        if m.demonym:
            rec["demonym"] = True
        if m.relative:
            rec["relative"] = m.relative
        if best is not None and best.place.is_admin and (seat := gaz.seat(best.place.id)) is not None:
            rec["seat"] = {"name": seat.name, "latitude": round(seat.lat, 5), "longitude": round(seat.lon, 5),
                           "admin2": seat.admin2}
        out.append(rec)
    return out


def _in_area(name: str, area: Place) -> dict:
    """'Xivka, Kharkiv region' with no Xivka in the gazetteer: the name, placed at its area's point
    (or at the district or town the text says holds it: 'Hukam Qala (Giro, Ghazni)')."""
    return {"name": name, "country": area.country, "latitude": round(area.lat, 5) if area.lat is not None else None,
            "longitude": round(area.lon, 5) if area.lon is not None else None,
            "admin1": area.name if area.feature == "admin1" else area.admin1,
            "admin2": area.name if area.feature == "admin2" else area.admin2,
            "feature": "unresolved-in-admin1", "method": "unresolved-in-admin1"}


class PlacesStage:
    """The spaCy component: writes `doc._.places` and the PLACES span group."""

    def __init__(self, nlp: Language, name: str):
        self.name = name
        load_gazetteer()  # built here, with the model, when missing: not inside a document's time budget

    def __call__(self, doc: Doc) -> Doc:
        places = extract_places(doc)
        doc._.places = places
        spans = []
        for i, rec in enumerate(places):
            span = doc.char_span(rec["start"], rec["end"], label=rec["feature"] or "place",
                                 alignment_mode="expand")
            if span is not None:
                span._.place_index = i
                spans.append(span)
        doc.spans[PLACES] = spans
        return doc


__all__ = ["PlacesStage", "extract_places"]
