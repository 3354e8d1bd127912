"""Actors stage: actor mentions in documents, named the way ACLED does (the names: tests/test_actordict.py)."""
from __future__ import annotations

import pytest

from sitroom import document  # noqa: F401 - registers Doc extensions
from sitroom.datelines import dateline_records
from sitroom.stages.actors import ActorsStage, actor_records, find_actor_mentions
from sitroom.stages.countries import CountriesStage, doc_country


def annotate(spacy_model, text, published=None, places=None):
    doc = spacy_model(text)
    doc._.published = published
    doc._.datelines = dateline_records(text)
    doc._.places = places or []
    doc = CountriesStage(spacy_model, "sitroom_countries")(doc)
    return ActorsStage(spacy_model, "sitroom_actors")(doc)


SYRIA = ("The Turkish-sponsored Al Nusra Front attacked government positions near Aleppo. "
         "Jabhat al-Nusra fighters were repelled by the Syrian army, backed by Russia's Aerospace Forces. "
         "Al Nusa lost many men. Turkey has established military bases in the area, "
         "while Russia, Iran and Hezbollah back Damascus.")


def test_actors_mentions_resolve_one_group(spacy_model):
    doc = annotate(spacy_model, SYRIA, "2024-11-30")
    hts = [a for a in doc._.actors if a["name"] == "Hayat Tahrir al-Sham"]
    assert len(hts) == 1
    assert {"Al Nusra Front", "Jabhat al-Nusra", "Al Nusa"} <= set(hts[0]["aliases_seen"])


def test_actors_mentions_states_and_metonymy(spacy_model):
    doc = annotate(spacy_model, SYRIA, "2024-11-30")
    names = {a["name"] for a in doc._.actors}
    for want in ("Military Forces of Turkey (2002-)", "Military Forces of Syria (2000-2024)",
                 "Military Forces of Russia (2000-) Air Force", "Military Forces of Iran (1989-)", "Hezbollah"):
        assert want in names
    offsets_ok = all(doc.text[m["start"]:m["end"]] == m["text"] for m in doc._.actor_mentions)
    assert offsets_ok


@pytest.mark.parametrize("text, expected", [
    ("Kenyan police fired tear gas at protesters in Nairobi.", {"Police Forces of Kenya (2013-)",
                                                                 "Protesters (Kenya)"}),
    ("Suspected Al-Shabaab militants attacked a KDF camp in Lamu, killing two soldiers.",
     {"Al Shabaab", "Military Forces of Kenya (2013-)"}),
    ("Pokot raiders stole 300 cattle from Turkana herders in Kenya.",
     {"Pokot Ethnic Militia (Kenya)", "Turkana Ethnic Militia (Kenya)"}),
    ("Junta troops shelled a village held by the PDF in Sagaing, Myanmar.",
     {"Military Forces of Myanmar (2021-)", "PDF: People's Defense Force"}),
])
def test_actors_mentions_in_short_reports(spacy_model, text, expected):
    doc = annotate(spacy_model, text, "2022-06-01")
    assert expected <= {m["actor"] for m in doc._.actor_mentions}


@pytest.mark.parametrize("text, expected", [
    ("On 3 May, the Monywa PDF ambushed a junta convoy in Myanmar.", "People's Defense Force - Monywa"),
    ("A local PDF attacked a police post in Myanmar.", "People's Defense Force - Local Group"),
    ("On 3 May, Gangaw township People's Defence Force ambushed a convoy in Myanmar.", "People's Defense Force - Gangaw"),
    ("The Pauk township PDF attacked a police post in Myanmar.", "People's Defense Force - Pauk"),
    ("Clashes between Maasai and Kikuyu ethnic militias left two dead in Kenya.", "Kikuyu Ethnic Militia (Kenya)"),
    ("A truce was signed between the Pokot and Marakwet in Kenya.", "Marakwet Ethnic Militia (Kenya)"),
    ("GSU officers dispersed the crowd in Nairobi, Kenya.", "Police Forces of Kenya (2013-) General Service Unit"),
    ("ODM supporters stoned a convoy in Kisumu, Kenya.", "ODM: Orange Democratic Movement"),
])
def test_actors_special_mentions(spacy_model, text, expected):
    doc = annotate(spacy_model, text, "2021-06-01")
    assert expected in {m["actor"] for m in doc._.actor_mentions}


@pytest.mark.parametrize("text, expected", [
    ("Teachers protested over pay in Nairobi, Kenya.", "Protesters (Kenya)"),
    ("Students burned dormitories at a school in Kenya.", "Rioters (Kenya)"),
])
def test_actors_crowd_role_by_verb(spacy_model, text, expected):
    doc = annotate(spacy_model, text, "2019-06-01")
    assert expected in {m["actor"] for m in doc._.actor_mentions}


def test_actors_generic_roles_use_article_country(spacy_model):
    places = [{"mention": "Mogadishu", "start": 0, "end": 0, "country": "SO", "metonymic": False}]
    doc = annotate(spacy_model, "Gunmen killed three civilians in Mogadishu on Monday.", places=places)
    assert {"Unidentified Armed Group (Somalia)", "Civilians (Somalia)"} <= {m["actor"] for m in doc._.actor_mentions}


@pytest.mark.parametrize("text, absent", [
    ("Shops in Kenya sold army uniforms and police academy books.", "Military Forces of Kenya (2013-)"),
    ("Rebels seized government-held areas of Syria.", "Government of Syria (2024-)"),
])
def test_actors_modifier_use_is_not_an_actor(spacy_model, text, absent):
    doc = annotate(spacy_model, text)
    assert absent not in {m["actor"] for m in doc._.actor_mentions}


def test_actors_run_without_model(blank_en):
    doc = annotate(blank_en, "Hezbollah and the Israel Defense Forces exchanged fire; Kenyan police watched.",
                   "2024-01-01")
    names = {m["actor"] for m in doc._.actor_mentions}
    assert {"Hezbollah", "Military Forces of Israel (2022-)", "Police Forces of Kenya (2013-)"} <= names


def test_actors_records_exclude_speakers():
    mentions = [{"start": 0, "end": 4, "text": "SOHR", "actor": "Syrian Observatory for Human Rights",
                 "inter": None, "country": None, "kind": "monitor"},
                {"start": 5, "end": 8, "text": "HTS", "actor": "Hayat Tahrir al-Sham", "inter": "Rebel group",
                 "country": "Syria", "kind": "armed"}]
    assert [a["name"] for a in actor_records(mentions)] == ["Hayat Tahrir al-Sham"]


def test_actors_find_mentions_on_empty_doc(blank_en):
    assert find_actor_mentions(blank_en("")) == []


def test_actors_doc_country_outweighs_a_stray_place(blank_en):
    text = "Near Laiza, the Myanmar military shelled KIA positions north of Myitkyina."
    doc = blank_en(text)
    doc._.places = [
        {"mention": "Laiza", "start": 5, "end": 10, "country": "RO", "metonymic": False},
        {"mention": "Myanmar", "start": 16, "end": 23, "country": "MM", "metonymic": False},
        {"mention": "Myitkyina", "start": 63, "end": 72, "country": "MM", "metonymic": False},
    ]
    assert doc_country(doc) == "Myanmar"


@pytest.mark.parametrize("text, expected", [
    ("Russia said the strikes hit military targets.", "Government of Russia (2000-)"),
    ("Russia shelled the town overnight.", "Military Forces of Russia (2000-)"),
])
def test_actors_metonymic_country_side(spacy_model, text, expected):
    doc = annotate(spacy_model, text, "2024-01-01")
    assert expected in {m["actor"] for m in doc._.actor_mentions}


@pytest.mark.parametrize("text,absent", [
    ("KYIV, March 3 (Reuters) - Russian forces shelled Kharkiv region on Saturday.", "Government of Ukraine"),
    ("NAIROBI, June 3 - Protesters blocked roads in the city centre on Monday.", "Government of Kenya"),
])
def test_actors_dateline_city_is_not_a_government(spacy_model, text, absent):
    places = [{"mention": text.split(",")[0], "start": 0, "end": len(text.split(",")[0]), "metonymic": True,
               "country": "UA" if text.startswith("KYIV") else "KE", "feature": "city"}]
    doc = annotate(spacy_model, text, "2024-03-04", places)
    assert not any(m["actor"].startswith(absent) for m in doc._.actor_mentions)


@pytest.mark.parametrize("text,expected", [
    ("Ukraine's air defence shot down 20 drones overnight.", "Military Forces of Ukraine (2019-) Air Force"),
    ("Russian air defences intercepted three drones.", "Military Forces of Russia (2000-) Air Force"),
])
def test_actors_air_defence_is_the_state_air_force(spacy_model, text, expected):
    doc = annotate(spacy_model, text, "2024-03-04")
    assert expected in {m["actor"] for m in doc._.actor_mentions}



@pytest.mark.parametrize("text, expected, absent", [
    # "<role> of <Country>" is that country's, whatever the document's country
    ("On 2 May 2020, military forces of Armenia fired on the positions of the military forces of Azerbaijan "
     "near Tartar.", {"Military Forces of Armenia (2018-)", "Military Forces of Azerbaijan (2003-)"}, set()),
    ("Police of Tunisia arrested protesters in Sfax, Tunisia.", {"Police Forces of Tunisia (2019-)"}, set()),
    # ACLED's patterns for a militia named in the text
    ("Members of a Katsina communal militia rustled cattle in Batagarawa, Nigeria.",
     {"Katsina Communal Militia (Nigeria)"}, set()),
    ("The Jaafar clan militia clashed with the army in Baalbek, Lebanon.", {"Jaafar Clan Militia (Lebanon)"}, set()),
    ("Abgaal clan militia fought Habar Gidir clan militia near Adale, Somalia.",
     {"Abgaal Clan Militia (Somalia)", "Habar Gidir Clan Militia (Somalia)"}, set()),
    ("Fulani gunmen attacked Dogon villagers near Bankass, Mali.", {"Fulani Ethnic Militia (Mali)"},
     {"Fulani Ethnic Militia (Nigeria)"}),
    # gangs: the Americas' "Unidentified Gang", elsewhere an armed group
    ("Gang members shot dead a man in Sao Paulo, Brazil.", {"Unidentified Gang (Brazil)"}, set()),
    ("Gang members shot dead a man in Nairobi, Kenya.", {"Unidentified Armed Group (Kenya)"},
     {"Unidentified Gang (Kenya)"}),
    # a country's office speaks for its state, never for the other side
    ("Pakistan's information minister said Indian missiles struck a mosque in Muzaffarabad, Pakistan.",
     {"Government of Pakistan (2024-)"}, set()),
])
def test_actors_world_traps(spacy_model, text, expected, absent):
    doc = annotate(spacy_model, text, "2020-05-03" if "2020" in text else "2025-05-07")
    found = {m["actor"] for m in doc._.actor_mentions}
    assert expected <= found
    assert not (absent & found)


def test_actors_a_consulate_attacked_is_a_target_not_its_government_acting(spacy_model):
    doc = annotate(spacy_model, "A suicide bomber attacked the German consulate in Mazar-i-Sharif on Thursday.",
                   "2016-11-11")
    assert not any(m["actor"].startswith("Government of Germany") for m in doc._.actor_mentions)
