"""Countries stage: which countries the document is about, weighed once for every later stage.

Actors read it to name generic forces ("police" in a Kenyan report are Kenya's) and
to keep an actor to the countries the report is about; events read their own clause's
places first and this only as the document's background. The weights: the places the
document names first, then country names, adjectives and named groups in the text.
"""
from __future__ import annotations

from collections import Counter

from spacy.language import Language
from spacy.tokens import Doc

from .. import document
from ..actordict import actor_dictionary, alias_matches, key
from ..document import CountryRecord

# How much a place mention says about where the events happened.
PLACE_WEIGHT = 3.0        # a town, district or region
COUNTRY_NAME_WEIGHT = 2.0 # "in Kenya"
ADJECTIVE_WEIGHT = 0.5    # "Russian forces": who acts, not where
METONYMIC_WEIGHT = 0.5    # "Turkey has established bases": an actor, not a place
NAMED_GROUP_WEIGHT = 0.25 # "Mungiki": a group mostly fights at home; alone, any weight decides
NAMED_GROUP_SUPPORT = 1.0 # beside places: outweighs one mis-resolved village, not two places


def doc_countries(doc: Doc) -> Counter:
    """ISO2 -> weight of each country the document is about (places first, then names in text)."""
    d = actor_dictionary()
    counts: Counter = Counter()
    for p in document.layer(doc, "places"):
        iso = (p["country"] or "").upper()
        if len(iso) != 2:
            continue
        k = key(p["mention"])
        kinds = {t.role or "name" for t in d.aliases.get(k, ()) if t.kind == "country"}
        if p["metonymic"]:
            counts[iso] += METONYMIC_WEIGHT
        elif "name" in kinds:
            counts[iso] += COUNTRY_NAME_WEIGHT
        elif "adjective" in kinds:
            counts[iso] += ADJECTIVE_WEIGHT
        else:
            counts[iso] += PLACE_WEIGHT
    named_group_weight = NAMED_GROUP_WEIGHT if not counts else NAMED_GROUP_SUPPORT
    if not counts:
        for k, _, _ in alias_matches(doc):
            for t in d.aliases.get(k, ()):
                if t.kind == "country" and t.role != "capital":
                    counts[t.ref] += ADJECTIVE_WEIGHT if t.role == "adjective" else COUNTRY_NAME_WEIGHT
                elif t.kind == "state" and not t.context:
                    counts[t.ref] += ADJECTIVE_WEIGHT
    # the home countries of named groups ("Mungiki" -> Kenya, "KIA" -> Myanmar): decisive only
    # when nothing else is known, otherwise a tie-breaker against a place resolved abroad
    seen: set[str] = set()
    for k, _, _ in alias_matches(doc):
        for t in d.aliases.get(k, ()):
            if t.kind == "named" and not t.context and t.ref not in seen \
                    and d.named[int(t.ref)].kind in ("armed", "party"):
                seen.add(t.ref)  # each group once: "Al Shabaab" five times is still one clue
                home = d.country_by_name(d.named[int(t.ref)].country)
                if home and home.iso2 in d.countries:
                    counts[home.iso2] += named_group_weight
    return counts


def doc_country(doc: Doc) -> str | None:
    """The ACLED name of the document's main country (None when no country is evident)."""
    counts = doc_countries(doc)
    if not counts:
        return None
    country = actor_dictionary().country_by_name(counts.most_common(1)[0][0])
    return country.name if country else None


def country_records(counts: Counter) -> list[CountryRecord]:
    """Heaviest first; ties keep the order the evidence came in (as `Counter.most_common`)."""
    return [{"country": iso, "weight": weight} for iso, weight in counts.most_common()]


class CountriesStage:
    """spaCy component: writes `doc._.countries`."""

    def __init__(self, nlp: Language, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.countries = country_records(doc_countries(doc))
        return doc
