"""The actor data files: each file's schema, one entry per ACLED name, government periods that hold."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from sitroom.acled import INTER_TYPES, country_of
from sitroom.actordict import ActorDictionary, actor_dictionary, ethnic_record, resolve_actor, roles
from sitroom.actordict.dictionary import DATA_DIR
from sitroom.errors import DataFileError


def _broken_copy(tmp_path: Path, name: str, old: str, new: str) -> Path:
    """A copy of the data directory with one file edited."""
    d = tmp_path / "actors"
    shutil.copytree(DATA_DIR, d)
    text = (d / name).read_text()
    assert old in text
    (d / name).write_text(text.replace(old, new, 1))
    return d


# ----------------------------------------------------------------------------- schema, one test per file
def test_countries_file_rejects_an_unknown_sovereign(tmp_path):
    d = _broken_copy(tmp_path, "countries.toml", 'state = "FR"', 'state = "XX"')
    with pytest.raises(DataFileError, match="state 'XX'"):
        ActorDictionary.load(d)


def test_countries_file_rejects_a_since_outside_periods(tmp_path):
    d = _broken_copy(tmp_path, "countries.toml", '"2014-2019" = "2014-12-31"', '"2015-2019" = "2014-12-31"')
    with pytest.raises(DataFileError, match="since names a period"):
        ActorDictionary.load(d)


def test_named_file_rejects_a_rename_without_name(tmp_path):
    d = _broken_copy(tmp_path, "named.toml", '{ date = "2022-03-21", name = "Islamic State (Sahel)" }',
                     '{ date = "2022-03-21" }')
    with pytest.raises(DataFileError, match="after needs date and name"):
        ActorDictionary.load(d)


def test_ethnic_file_rejects_a_group_listed_twice(tmp_path):
    d = _broken_copy(tmp_path, "ethnic.toml", 'Jareer = "Somalia"', 'Jareer = "Somalia"\nAbgaal = "Kenya"')
    with pytest.raises(DataFileError):
        ActorDictionary.load(d)


def test_ethnic_file_rejects_a_template_without_group(tmp_path):
    d = _broken_copy(tmp_path, "ethnic.toml", 'clan_template = "{group} Clan', 'clan_template = "Clan')
    with pytest.raises(DataFileError, match="templates need"):
        ActorDictionary.load(d)


def test_roles_file_rejects_a_country_that_is_no_iso2_code(tmp_path):
    d = _broken_copy(tmp_path, "roles.toml", '"MX", "GT"', '"Mexico", "GT"')
    with pytest.raises(DataFileError, match="ISO2"):
        roles.__wrapped__(d / "roles.toml")


def test_speakers_file_rejects_an_unknown_country(tmp_path):
    d = _broken_copy(tmp_path, "speakers.toml", 'country = "RU"', 'country = "QQ"')
    with pytest.raises(DataFileError, match="not in countries.toml"):
        ActorDictionary.load(d)


# ----------------------------------------------------------------------------- each ACLED name, one entry
def test_each_acled_country_name_maps_to_one_entry():
    d = actor_dictionary()
    names = [c.name for c in d.countries.values()]
    assert len(names) == len(set(names))
    for iso, c in d.countries.items():
        assert c.name == country_of(iso)[0], iso  # the events' country and the actors' agree
        assert d.country_by_name(c.name) is c


def test_every_un_member_has_state_forces():
    import pycountry
    d = actor_dictionary()
    missing = [c.alpha_2 for c in pycountry.countries if c.alpha_2 not in d.countries
               and c.alpha_2 not in ("AQ", "BV", "GS", "HM", "TF", "JE", "GG")]
    assert not missing


def test_periods_are_ordered_and_dated():
    for iso, c in actor_dictionary().countries.items():
        starts = [dict(c.since).get(p) or p.split("-")[0] + "-01-01" for p in c.periods]
        assert starts == sorted(starts), iso
        assert all(re.fullmatch(r"\d{4}-(\d{4})?", p) for p in c.periods), iso
        assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", s) for _, s in c.since), iso
        assert not c.periods or c.periods[-1].endswith("-"), iso
        assert bool(c.sovereign) != bool(c.periods) or iso in ("PR",), iso


def test_each_named_acled_name_maps_to_one_entry():
    d = actor_dictionary()
    names = [(n.name, n.after) for n in d.named]  # one name twice only with different renames
    assert len(names) == len(set(names))
    assert all(n.inter in INTER_TYPES for n in d.named if n.kind == "armed")


def test_each_ethnic_name_maps_to_one_group():
    d = actor_dictionary()
    made = [ethnic_record(g, home)["name"] for g, home in d.ethnic.items()]
    assert len(made) == len(set(made))
    assert all(home in {c.name for c in d.countries.values()} for cs in d.ethnic_countries.values() for home in cs)


# ----------------------------------------------------------------------------- periods on the event date
@pytest.mark.parametrize("text, date, expected", [
    ("Tunisian army", "2015-06-01", "Military Forces of Tunisia (2014-2019)"),
    ("Tunisian police", "2021-01-01", "Police Forces of Tunisia (2019-)"),
    ("Malian soldiers", "2020-05-06", "Military Forces of Mali (2013-2020)"),
    ("Malian soldiers", "2020-10-01", "Military Forces of Mali (2020-2021)"),
    ("Mexican army", "2018-06-01", "Military Forces of Mexico (2012-2018)"),
    ("Mexican army", "2019-06-01", "Military Forces of Mexico (2018-2024)"),
    ("Nigerian police", "2012-01-01", "Police Forces of Nigeria (2010-2015)"),
    ("Afghan forces", "2020-03-01", "Military Forces of Afghanistan (2014-2021)"),
    ("Jamaican police", "2022-01-01", "Police Forces of Jamaica (2016-)"),
    ("Austrian police", "2022-01-01", "Police Forces of Austria (2020-2025)"),
    ("Thai soldiers", "2016-01-01", "Military Forces of Thailand (2014-2019)"),
    ("Brazilian police", "2020-04-28", "Police Forces of Brazil (2019-2022)"),
    ("Peruvian police", "2023-01-10", "Police Forces of Peru (2022-2025)"),
])
def test_state_forces_take_the_period_of_the_date(text, date, expected):
    assert resolve_actor(text, None, date)["name"] == expected


def test_a_territory_has_its_sovereign_forces_and_its_own_generic_actors():
    police = resolve_actor("police", "New Caledonia", "2024-05-14")
    assert police["name"] == "Police Forces of France (2017-)"
    assert resolve_actor("protesters", "New Caledonia")["name"] == "Protesters (New Caledonia)"
    from sitroom.actordict import inter_in
    assert inter_in(resolve_actor("French police", None, "2024-05-14"), "New Caledonia") == "State forces"
    assert inter_in(resolve_actor("French troops", None, "2019-05-14"), "Mali") == "External/Other forces"


# ----------------------------------------------------------------------------- named groups, clans, gangs
@pytest.mark.parametrize("text, country, date, expected", [
    ("Boko Haram", "Nigeria", "2014-01-01", "Boko Haram - Jamatu Ahli is-Sunnah lid-Dawati wal-Jihad"),
    ("Boko Haram fighters", "Cameroon", "2015-06-01", "Islamic State (West Africa)"),
    ("Boko Haram", "Cameroon", "2020-06-01",
     "Islamic State (West Africa) and/or Boko Haram - Jamatu Ahli is-Sunnah lid-Dawati wal-Jihad"),
    ("JAS", "Nigeria", "2022-01-01", "Boko Haram - Jamatu Ahli is-Sunnah lid-Dawati wal-Jihad"),
    ("ISWAP", "Niger", "2022-01-01", "Islamic State (West Africa)"),
    ("ISGS", "Niger", "2020-05-01", "Islamic State (Greater Sahara)"),
    ("ISGS", "Burkina Faso", "2023-05-01", "Islamic State (Sahel)"),
    ("Maute group", "Philippines", None, "Islamic State (Philippines)"),
    ("BIFF", "Philippines", None, "BIFF: Bangsamoro Islamic Freedom Fighters"),
    ("G9", "Haiti", None, "G9 Family and Allies"),
    ("Comando Vermelho", "Brazil", None, "CV: Red Command"),
    ("Raia Mutomboki", "Democratic Republic of Congo", None, "Wazalendo"),
    ("Yakutumba", "Democratic Republic of Congo", None, "Mayi Mayi Militia (Yakutumba)"),
    ("Imbonerakure", "Burundi", None, "Imbonerakure"),
    ("Libyan National Army", "Libya", None, "LNA: Libyan National Army"),
    ("NSCN-IM", "India", None, "NSCN-IM: National Socialist Council of Nagaland-Isak-Muivah"),
    ("Artsakh forces", "Azerbaijan", "2020-04-01", "Military Forces of Artsakh (2007-2020)"),
    ("SPLM-N al-Hilu", "Sudan", None, "SPLM-N: Sudan People's Liberation Movement-North (Al Hilu Faction)"),
])
def test_named_groups_of_each_region(text, country, date, expected):
    assert resolve_actor(text, country, date)["name"] == expected


@pytest.mark.parametrize("text, country, expected", [
    ("Fulani militia", "Mali", "Fulani Ethnic Militia (Mali)"),
    ("Fulani herdsmen", "Nigeria", "Fulani Ethnic Militia (Nigeria)"),
    ("Fulani militia", "Kenya", "Fulani Ethnic Militia (Nigeria)"),  # not a group of Kenya: its home
    ("Hema militia", "Democratic Republic of Congo", "Hema Ethnic Militia (Democratic Republic of Congo)"),
    ("Murle raiders", "South Sudan", "Murle Ethnic Militia (South Sudan)"),
    ("Abgaal clan militia", "Somalia", "Abgaal Clan Militia (Somalia)"),
    ("Konkomba youths", "Ghana", "Konkomba Ethnic Militia (Ghana)"),
    ("Tiv militia", "Nigeria", "Tiv Ethnic Militia (Nigeria)"),
])
def test_ethnic_and_clan_militias_follow_acled_patterns(text, country, expected):
    assert resolve_actor(text, country)["name"] == expected


@pytest.mark.parametrize("text, country, expected", [
    ("gang members", "Brazil", "Unidentified Gang (Brazil)"),
    ("hitmen", "Mexico", "Unidentified Gang (Mexico)"),
    ("armed gang", "Jamaica", "Unidentified Gang (Jamaica)"),
    ("gang members", "Kenya", "Unidentified Armed Group (Kenya)"),  # ACLED's gangs are the Americas'
    ("gangs", None, "Unidentified Armed Group"),
    ("gunmen", "Honduras", "Unidentified Armed Group (Honduras)"),
    ("rioters", "Cape Verde", "Rioters (Cape Verde)"),
    ("civilians", "Czech Republic", "Civilians (Czech Republic)"),
    ("soldiers", None, "Unidentified Military Forces"),
])
def test_generic_actors_per_country(text, country, expected):
    assert resolve_actor(text, country)["name"] == expected
