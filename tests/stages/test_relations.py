"""Relations stage: support, sponsorship, training, fighting, alliances and control between actors."""
from __future__ import annotations

import pytest

from sitroom import document  # noqa: F401 - registers Doc extensions
from sitroom.stages.actors import ActorsStage
from sitroom.stages.countries import CountriesStage
from sitroom.stages.relations import RelationsStage, find_relations


def relate(spacy_model, text, claims=None, published="2024-11-30"):
    doc = spacy_model(text)
    doc._.published = published
    doc._.places = []
    doc._.claims = claims or []
    doc = CountriesStage(spacy_model, "sitroom_countries")(doc)
    doc = ActorsStage(spacy_model, "sitroom_actors")(doc)
    return RelationsStage(spacy_model, "sitroom_relations")(doc)


def triples(doc):
    return {(r["subject"], r["predicate"], r["object"]) for r in doc._.relations}


def has(doc, subj, preds, obj):
    return any(subj.lower() in s.lower() and p in preds and obj.lower() in o.lower() for s, p, o in triples(doc))


SUPPORT = ("supports", "sponsors", "trains")


@pytest.mark.parametrize("text, subj, preds, obj", [
    ("The Turkish-sponsored Al Nusra Front attacked Aleppo.", "Turkey", ("sponsors",), "Hayat Tahrir"),
    ("Iran-backed Houthis fired missiles at ships in the Red Sea.", "Iran", ("supports",), "Houthi"),
    ("The Syrian army, backed by Russia's Aerospace Forces, retook the town.", "Russia", ("supports",),
     "Military Forces of Syria"),
    ("Both Turkey and Ukraine have provided support to Al Nusra in the past year.", "Ukraine", SUPPORT,
     "Hayat Tahrir"),
    ("Al Nusra received considerable training from Ukrainian advisors.", "Ukraine", ("trains",), "Hayat Tahrir"),
    ("Rwanda trains and arms the M23 rebels, according to UN experts.", "Rwanda", SUPPORT, "M23"),
    ("RSF fighters clashed with the Sudanese army in El Fasher.", "Rapid Support Forces", ("fights",),
     "Military Forces of Sudan"),
    ("Heavy clashes between the KIA and the Tatmadaw continued.", "KIO/KIA", ("fights",), "Myanmar"),
    ("A major intervention by Russia and Iran helped the Syrian army recapture Aleppo.", "Iran", ("supports",),
     "Military Forces of Syria"),
    ("Wagner fighters fought alongside the Malian army near Kidal.", "Wagner", ("allied_with",), "Mali"),
    ("The Rapid Support Forces, which the UAE is accused of arming, attacked El Fasher in Sudan.",
     "United Arab Emirates", SUPPORT, "Rapid Support Forces"),
    ("Israeli jets struck Hezbollah after the Iran-backed group fired rockets.", "Iran", ("supports",),
     "Hezbollah"),
    ("The Congolese army fought the M23 with support from Burundian troops.", "Burundi", ("supports",),
     "Democratic Republic of Congo"),
    ("Hamas and its allies, including Palestinian Islamic Jihad, fired rockets.", "Hamas", ("allied_with",),
     "Palestinian Islamic Jihad"),
])
def test_relations_patterns(spacy_model, text, subj, preds, obj):
    doc = relate(spacy_model, text)
    assert has(doc, subj, preds, obj), triples(doc)


@pytest.mark.parametrize("text", [
    "Al Shabaab attacked a police station in Mandera.",          # one party plus police: a fight, not support
    "Turkey and Ukraine held talks in Ankara on grain exports.",
    "Residents said Hezbollah had closed the road.",
])
def test_relations_no_support_without_trigger(spacy_model, text):
    doc = relate(spacy_model, text)
    assert not any(p in SUPPORT for _, p, _ in triples(doc)), triples(doc)


def test_relations_run_by_a_facility_is_not_control(spacy_model):
    doc = relate(spacy_model, "The KIA attacked a checkpoint (run by the military and police) near Myitkyina, Myanmar.")
    assert not any(p == "controls" for _, p, _ in triples(doc)), triples(doc)


def test_relations_fighting_alongside_is_not_a_fight(spacy_model):
    doc = relate(spacy_model, "North Korean soldiers are fighting alongside Russian troops in Kursk.")
    assert not any(p == "fights" for _, p, _ in triples(doc)), triples(doc)
    assert has(doc, "North Korea", ("allied_with",), "Russia")


def test_relations_claim_id_from_covering_claim(spacy_model):
    text = "Officials said the Turkish-backed SNA attacked the SDF near Manbij, Syria."
    start = text.index("the Turkish")
    claims = [{"claim_id": "c7", "kind": "reported", "start": start, "end": len(text), "text": text[start:]}]
    doc = relate(spacy_model, text, claims)
    rel = next(r for r in doc._.relations if r["predicate"] == "supports")
    assert rel["claim_id"] == "c7"
    assert rel["subject"].startswith("Military Forces of Turkey") and rel["object"] == "SNA: Syrian National Army"


def test_relations_claim_id_null_when_uncovered(spacy_model):
    doc = relate(spacy_model, "The Turkish-backed SNA attacked the SDF near Manbij in Syria.")
    assert doc._.relations and all(r["claim_id"] is None for r in doc._.relations)


def test_relations_no_self_relations(spacy_model):
    doc = relate(spacy_model, "Jabhat al-Nusra, backed by Al Nusra Front, advanced.")
    assert not any(s == o for s, _, o in triples(doc))


def test_relations_predicates_in_contract(spacy_model):
    doc = relate(spacy_model, "Iran-backed Houthis clashed with Saudi-backed government forces in Marib, Yemen.")
    assert doc._.relations
    assert {r["predicate"] for r in doc._.relations} <= {"supports", "sponsors", "trains", "fights",
                                                         "allied_with", "controls"}


def test_relations_run_without_model(blank_en):
    doc = relate(blank_en, "The Turkish-sponsored Al Nusra Front attacked. The Syrian army, backed by Russia's "
                        "Aerospace Forces, held the line.")
    assert has(doc, "Turkey", ("sponsors",), "Hayat Tahrir")
    assert has(doc, "Russia", ("supports",), "Syria")


def test_relations_empty_without_actors(blank_en):
    doc = blank_en("Nothing happened today.")
    doc._.actor_mentions = []
    assert find_relations(doc) == []
