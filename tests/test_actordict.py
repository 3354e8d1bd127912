"""The actor dictionary library: loading and checking its data files, resolving phrases to ACLED actors."""
from __future__ import annotations

import shutil

import pytest

from sitroom.acled import INTER_TYPES
from sitroom.actordict import (ActorDictionary, actor_dictionary, generic_actor, inter_in, local_units,
                               resolve_actor, roles)
from sitroom.actordict.dictionary import DATA_DIR
from sitroom.errors import DataFileError

@pytest.mark.parametrize("text, country, date, expected", [
    ("the Syrian army", None, "2024-11-30", "Military Forces of Syria (2000-2024)"),
    ("Syrian Arab Army", None, "2025-03-01", "Military Forces of Syria (2024-)"),
    ("Russian Center for Reconciliation of the Opposing Parties in Syria", None, None,
     "Military Forces of Russia (2000-)"),
    ("Ukraine's defence ministry", None, "2023-05-01", "Military Forces of Ukraine (2019-)"),
    ("Russia’s Aerospace Forces", None, None, "Military Forces of Russia (2000-) Air Force"),
    ("Al Nusra Front", None, None, "Hayat Tahrir al-Sham"),
    ("Jabhat al-Nusra", None, None, "Hayat Tahrir al-Sham"),
    ("RSF", None, None, "Rapid Support Forces"),
    ("Sudanese Armed Forces", None, "2024-01-01", "Military Forces of Sudan (2019-)"),
    ("police", "Kenya", "2015-06-01", "Police Forces of Kenya (2013-)"),
    ("police", "KE", "2010-06-01", "Police Forces of Kenya (2002-2013)"),
    ("Kenyan police", None, "2016-01-01", "Police Forces of Kenya (2013-)"),
    ("gunmen", "Somalia", None, "Unidentified Armed Group (Somalia)"),
    ("protesters", "Nigeria", None, "Protesters (Nigeria)"),
    ("civilians", "Kenya", None, "Civilians (Kenya)"),
    ("Pokot raiders", None, None, "Pokot Ethnic Militia (Kenya)"),
    ("Tatmadaw", None, "2022-01-01", "Military Forces of Myanmar (2021-)"),
    ("Kachin Independence Army", None, None, "KIO/KIA: Kachin Independence Organization/Kachin Independence Army"),
    ("ISWAP", None, None, "Islamic State (West Africa)"),
    ("Islamic State", "Somalia", None, "Islamic State (Somalia)"),
    ("Iran-backed Houthis", None, None, "Military Forces of Yemen (2017-) Houthi"),
    ("Taliban", None, "2019-01-01", "Taliban"),
    ("Taliban", None, "2023-01-01", "Military Forces of Afghanistan (2021-)"),
    ("TASS", None, None, "Government of Russia (2000-)"),
    ("Gaza health ministry", None, None, "Hamas Movement"),
    ("Israel Defense Forces", None, "2024-01-01", "Military Forces of Israel (2022-)"),
    ("the U.S. military", None, "2024-06-01", "Military Forces of the United States (2021-2025)"),
    ("Congolese army", None, "2024-01-01", "Military Forces of the Democratic Republic of Congo (2019-)"),
    ("DPR positions", "Ukraine", "2023-03-15", "Military Forces of Russia (2000-) Donetsk People's Militia"),
    ("LPR", "Ukraine", "2023-03-15", "Military Forces of Russia (2000-) Luhansk People's Militia"),
    ("NAF rebels", "Ukraine", "2018-05-03", "NAF: United Armed Forces of Novorossiya"),
])
def test_actors_resolve_canonical(text, country, date, expected):
    rec = resolve_actor(text, country, date)
    assert rec is not None and rec["name"] == expected


@pytest.mark.parametrize("text, expected_inter", [
    ("Al Shabaab", "Rebel group"), ("Kenyan police", "State forces"), ("Mungiki", "Political militia"),
    ("Turkana herders", "Identity militia"), ("Wagner Group", "External/Other forces"),
])
def test_actors_resolve_inter(text, expected_inter):
    assert resolve_actor(text)["inter"] == expected_inter


@pytest.mark.parametrize("text", ["Al Nusa", "Jabhat al-Nusrra", "Hizbolla", "Boko Harm"])
def test_actors_fuzzy_typos_resolve(text):
    rec = resolve_actor(text)
    assert rec is not None and rec.get("method") == "fuzzy"


@pytest.mark.parametrize("text, country", [
    ("the weather", None), ("Tuesday", None), ("Al Nour", None), ("Nairobi", None), ("the junta", "Kenya"),
    ("forces", "Syria"), ("Amnesty law", None), ("Ministry", None), ("NAF", "Nigeria"),
])
def test_actors_resolve_none(text, country):
    assert resolve_actor(text, country) is None


def test_actors_context_alias_needs_its_country():
    assert resolve_actor("the junta", "Myanmar")["name"].startswith("Military Forces of Myanmar")
    assert resolve_actor("AA", "Myanmar")["name"] == "AA: Arakan Army"
    assert resolve_actor("AA", "Kenya") is None


def test_actors_inter_abroad_is_external():
    russia = resolve_actor("Russian troops")
    assert inter_in(russia, "Ukraine") == "External/Other forces"
    assert inter_in(russia, "Russia") == "State forces"


def test_actors_speakers_are_not_parties():
    assert resolve_actor("Syrian Observatory for Human Rights")["kind"] == "monitor"
    assert resolve_actor("OCHA")["kind"] == "un"


def test_actors_dictionary_is_cached_and_complete():
    d = actor_dictionary()
    assert d is actor_dictionary()
    assert len(d.countries) > 100 and len(d.named) > 100


@pytest.mark.parametrize("phrase, expected", [
    ("deputy chief of the Russian Center for Reconciliation of the Opposing Parties in Syria",
     "Military Forces of Russia (2000-)"),
    ("a senior Hezbollah official", "Hezbollah"),
    ("spokesman for the Syrian army", "Military Forces of Syria (2000-2024)"),
    ("head of the Syrian Observatory for Human Rights", "Syrian Observatory for Human Rights"),
])
def test_actors_resolve_speaker_phrases(phrase, expected):
    assert resolve_actor(phrase, date="2024-05-01")["name"] == expected


def test_actors_generic_actor_remaps_roles():
    assert generic_actor("rioters", "Kenya")["name"] == "Rioters (Kenya)"
    assert generic_actor("civilians", None)["name"] == "Civilians"
    assert generic_actor("police", "KE", "2010-01-01")["name"] == "Police Forces of Kenya (2002-2013)"


def test_actors_data_uses_acled_inter_types():
    d = actor_dictionary()
    assert all(n.inter in INTER_TYPES or (n.inter is None and n.kind != "armed") for n in d.named)


def test_actors_data_aliases_are_unambiguous():
    """No alias names two different named actors everywhere (context aliases aside)."""
    d = actor_dictionary()
    for k, targets in d.aliases.items():
        named = {t.ref for t in targets if t.kind == "named" and not t.context}
        assert len(named) <= 1, (k, [d.named[int(i)].name for i in named])


# ----------------------------------------------------------------------------- data files
def test_actordict_roles_file_schema():
    table = roles()
    assert {"military", "police", "armed", "civilians", "protesters", "rioters"} <= set(table)
    for role in table.values():
        assert role.inter in INTER_TYPES
        assert "{state}" in role.template or "{country}" in role.template
        assert role.phrases or role.anchored
    assert table["armed"].countryless == "Unidentified Armed Group"
    assert "gunmen" in table["armed"].phrases and "forces" in table["military"].anchored


def test_actordict_local_units_file_schema():
    units = local_units()
    assert units["PDF"] is units["PDFs"]
    assert units["PDF"].named.format(place="Mandalay") == "People's Defense Force - Mandalay"
    assert all(u.inter in INTER_TYPES and "{place}" in u.named for u in units.values())


def test_actordict_ethnic_file_schema():
    d = actor_dictionary()
    assert d.ethnic_inter in INTER_TYPES
    assert d.ethnic_template.format(group="Pokot", country="Kenya") == "Pokot Ethnic Militia (Kenya)"
    assert d.ethnic["Pokot"] == "Kenya"


def _copy_data(tmp_path):
    """The packaged actor data files in a scratch folder, to break one of them."""
    for f in DATA_DIR.glob("*.toml"):
        shutil.copy(f, tmp_path / f.name)
    return tmp_path


def test_actordict_loads_a_copy_of_the_data(tmp_path):
    d = ActorDictionary.load(_copy_data(tmp_path))
    assert d.aliases.keys() == actor_dictionary().aliases.keys()


@pytest.mark.parametrize("name", ["countries.toml", "named.toml", "speakers.toml", "ethnic.toml", "roles.toml",
                                  "local_units.toml"])
def test_actordict_broken_toml_names_file_and_line(tmp_path, name):
    path = _copy_data(tmp_path) / name
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(10, "this is = = not toml")
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        ActorDictionary.load(tmp_path) if name != "local_units.toml" else local_units(path)
    assert err.value.path == str(path) and err.value.line == 11
    assert f"{name}:11:" in str(err.value)


@pytest.mark.parametrize("name, old, new, problem", [
    ("roles.toml", 'inter = "Rioters"', 'inter = "Looters"', "not an ACLED inter type"),
    ("roles.toml", 'template = "Rioters ({country})"', 'template = "Rioters"', "template needs"),
    ("roles.toml", "phrases = [", "phrazes = [", "unknown key(s) phrazes"),
    ("local_units.toml", "named = \"People's Defense Force - {place}\"", 'named = "PDF"', "named needs {place}"),
    ("ethnic.toml", 'inter = "Identity militia"', 'inter = "Tribe"', "not an ACLED inter type"),
    ("countries.toml", 'adjectives = ["Afghan", "Afghani"]', 'adjectives = "Afghan"', "expected a list"),
    ("named.toml", 'inter = "Rebel group"', 'inter = "Rebels"', "not an ACLED inter type"),
    ("speakers.toml", 'side = "military"', 'side = "navy"', "side is not one of"),
])
def test_actordict_schema_errors_name_the_table(tmp_path, name, old, new, problem):
    path = _copy_data(tmp_path) / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    broken = text[:text.index(old)].count("\n") + 1
    with pytest.raises(DataFileError) as err:
        ActorDictionary.load(tmp_path) if name != "local_units.toml" else local_units(path)
    assert err.value.path == str(path) and problem in err.value.problem
    tables = [i for i, line in enumerate(text.splitlines()[:broken], 1) if line.startswith("[")]
    assert err.value.line == (tables[-1] if tables else None)  # the line of the entry's table
