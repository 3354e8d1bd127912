"""Places stage: recognition, resolution, disambiguation and metonymy on sentences we wrote."""
from __future__ import annotations

import pytest

from sitroom.datelines import dateline_records
from sitroom.distance import km
from sitroom.folding import fold, skeleton
from sitroom.gazetteer import admin_names, load_gazetteer, resolve_place, strip_admin
from sitroom.stages.places import PlacesStage, extract_places


def places_of(nlp, text: str) -> list[dict]:
    doc = nlp(text)
    doc._.datelines = dateline_records(text)  # the article layer's
    return extract_places(doc)


def find(places: list[dict], mention: str) -> dict:
    hits = [p for p in places if p["mention"] == mention]
    assert hits, f"{mention!r} not among {[p['mention'] for p in places]}"
    return hits[0]


# ---------------------------------------------------------------- names and keys


@pytest.mark.parametrize("a, b", [
    ("Khmeimim", "Hmeimim"),
    ("Avdiivka", "Avdiyivka"),
    ("Ma'arrat al-Nu'man", "Maarat al-Numan"),
    ("Deir ez-Zor", "Dayr az Zawr"),
    ("Raqqa", "Ar Raqqah"),
    ("Odessa", "Odesa"),
])
def test_places_skeleton_joins_transliterations(a, b):
    assert skeleton(fold(a)) == skeleton(fold(b))


@pytest.mark.parametrize("a, b", [("Homs", "Hama"), ("Idlib", "Aleppo"), ("Kyiv", "Kharkiv")])
def test_places_skeleton_keeps_different_places_apart(a, b):
    assert skeleton(fold(a)) != skeleton(fold(b))


@pytest.mark.parametrize("name, expected", [
    ("Aleppo Governorate", "Aleppo"), ("Donetsk Oblast", "Donetsk"), ("Kaunti ya Nairobi", "Nairobi"),
    ("Borno State", "Borno"), ("Manbij District", "Manbij"),
])
def test_places_strip_admin_drops_level_words(name, expected):
    assert strip_admin(name) == expected


@pytest.mark.parametrize("country, code, expected", [
    ("SY", "09", "Aleppo"), ("SY", "12", "Idleb"), ("UA", "05", "Donetsk"), ("KE", "05", "Nairobi"),
    ("SD", "29", "Khartoum"), ("SY", "SY.02", "Lattakia"),
])
def test_places_admin_names_in_acled_style(country, code, expected):
    assert admin_names(country, code) == expected


# ---------------------------------------------------------------- the curated tables


@pytest.mark.parametrize("name, width, coordinates", [
    ("countries.tsv", 5, "optional"), ("regions.tsv", 8, "optional"), ("sites.tsv", 7, "required"),
])
def test_places_curated_tables_are_well_formed(name, width, coordinates):
    from sitroom.gazetteer.build import _point, _table
    rows = list(_table(name, width))
    assert rows
    for path, line, cells in rows:
        assert cells[0], f"{name}:{line}: no name"
        lat, lon = cells[1:3] if name == "countries.tsv" else cells[2:4]
        if coordinates == "required" or lat or lon:
            lat, lon = _point(path, line, lat, lon)
            assert -90 <= lat <= 90 and -180 <= lon <= 180, f"{name}:{line}"


def test_places_alias_and_split_tables_load():
    from sitroom.gazetteer.naming import admin1_splits, admin_aliases
    assert all(row.country and row.admin1 and (row.names or row.display) for row in admin_aliases())
    assert ("MM", "MMR007", "Bago-East") in admin1_splits()


def test_places_broken_table_names_file_and_line(tmp_path, monkeypatch):
    from sitroom.errors import DataFileError
    from sitroom.gazetteer import naming
    from sitroom.gazetteer.build import _point, _table
    bad = tmp_path / "admin_aliases.tsv"
    bad.write_text("# comment\nUS\tCalifornia\tCalif.\nUS\tTexas\tTex.\t\textra\n", encoding="utf-8")
    monkeypatch.setattr(naming, "ALIASES_FILE", bad)
    naming.admin_aliases.cache_clear()
    try:
        with pytest.raises(DataFileError, match=r"admin_aliases.tsv:3: 5 columns"):
            naming.admin_aliases()
    finally:
        naming.admin_aliases.cache_clear()
    sites = tmp_path / "sites.tsv"
    sites.write_text("Base\t\t35.4\t3S.9\tairbase\tSY\tLatakia\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"sites.tsv:1: bad coordinates"):
        for path, line, cells in _table(sites, 7):
            _point(path, line, cells[2], cells[3])


# ---------------------------------------------------------------- resolve_place


@pytest.mark.parametrize("name, country, want_country, want_admin1", [
    ("Avdiivka", "UA", "UA", "Donetsk"),
    ("Avdiyivka", None, "UA", "Donetsk"),
    ("Krasnoarmiisk", "UA", "UA", "Donetsk"),          # Pokrovsk's former name
    ("Maarat al-Numan", "SY", "SY", "Idleb"),
    ("Ma'arrat al-Nu'man", None, "SY", "Idleb"),
    ("Tripoli", None, "LY", "Tripoli"),
    ("Tripoli", "Lebanon", "LB", "North"),
    ("Homs", None, "SY", "Homs"),
    ("Homs", "LY", "LY", None),                        # Al Khums, also written Homs
    ("Georgia", None, "GE", None),
    ("Georgia", "US", "US", "Georgia"),
    ("Khartoum", "Sudan", "SD", "Khartoum"),
    ("Lashio", "MM", "MM", "Shan-North"),              # ACLED splits Shan state
])
def test_places_resolve_place_variants_and_ambiguity(name, country, want_country, want_admin1):
    r = resolve_place(name, country)
    assert r is not None and r["country"] == want_country
    if want_admin1:
        assert r["admin1"] == want_admin1


def test_places_resolve_place_curated_airbase():
    r = resolve_place("Khmeimim Airbase")
    assert r["feature"] == "airbase" and r["country"] == "SY" and r["admin1"] == "Lattakia"
    assert abs(r["latitude"] - 35.41) < 0.1 and abs(r["longitude"] - 35.95) < 0.1


@pytest.mark.parametrize("name, country", [("Nowhere Special", "KE"), ("Aleppo", "KE")])
def test_places_resolve_place_none_outside_country(name, country):
    assert resolve_place(name, country) is None


# ---------------------------------------------------------------- recognition (no spacy_model)


@pytest.mark.parametrize("text, mention, name, feature", [
    ("Fighting spread across Aleppo governorate on Tuesday.", "Aleppo governorate", "Aleppo", "admin1"),
    ("Shelling hit the Idlib governate overnight.", "Idlib governate", "Idleb", "admin1"),
    ("Troops entered Donetsk oblast from the north.", "Donetsk oblast", "Donetsk", "admin1"),
    ("Rebels seized the town of Saraqib at dawn.", "Saraqib", "Saraqib", "town"),
    ("Jets struck 12 km north of Khan Shaykhun.", "Khan Shaykhun", None, "town"),
    ("Russian aircraft flew from Khmeimim Airbase.", "Khmeimim Airbase", "Hmeimim Air Base", "airbase"),
    ("Aid trucks crossed at Bab al-Hawa on Sunday.", "Bab al-Hawa", "Bab al-Hawa crossing", "crossing"),
    ("Residents fled from Avdiyivka as the assault began.", "Avdiyivka", "Avdiyivka", "town"),
])
def test_places_recognises_and_resolves_without_model(blank_en, text, mention, name, feature):
    p = find(places_of(blank_en, text), mention)
    assert text[p["start"]:p["end"]] == mention
    assert p["feature"] == feature
    if name:
        assert p["name"] == name


def test_places_relative_location_is_kept(blank_en):
    p = find(places_of(blank_en, "Jets struck 12 km north of Khan Shaykhun."), "Khan Shaykhun")
    assert p["relative"].startswith("12 km north")


@pytest.mark.parametrize("text, mention, country, admin1", [
    ("KHARTOUM, Sudan (Reuters) — Fighting resumed on Friday.", "KHARTOUM", "SD", "Khartoum"),
    ("Police arrested two men in Maywood, Calif., on Sunday.", "Calif.", "US", "California"),
])
def test_places_datelines_and_abbreviations(blank_en, text, mention, country, admin1):
    p = find(places_of(blank_en, text), mention)
    assert (p["country"], p["admin1"]) == (country, admin1)


@pytest.mark.parametrize("text, absent", [
    ("The EU said May would be decisive.", "May"),
    ("Al Nusra fighters and the Islamic State clashed.", "Al"),
    ("The car was parked near the school.", "car"),
])
def test_places_common_words_are_not_places(blank_en, text, absent):
    assert absent not in [p["mention"] for p in places_of(blank_en, text)]


@pytest.mark.parametrize("model", ["blank_en", "spacy_model"])
def test_places_a_word_shown_to_be_a_town_is_that_town_throughout(request, model):
    """One sense per discourse: once 'in Nice, France' shows the word is the town, the other
    capitalised uses inside sentences are the town too; the sentence-initial one stays a word."""
    nlp = request.getfixturevalue(model)
    text = ("A truck drove into a crowd in Nice, France, on Thursday night. Police in Nice said the driver "
            "was shot. Residents of Nice laid flowers on the promenade.\nNice weather had drawn crowds.")
    nice = [p for p in places_of(nlp, text) if p["mention"] == "Nice"]
    starts = sorted(p["start"] for p in nice)
    assert starts == [text.index("Nice"), text.index("in Nice said") + 3, text.index("of Nice") + 3]
    assert {(p["country"], p["feature"]) for p in nice} == {("FR", "city")}


def test_places_a_plain_word_stays_a_word_without_the_town_shown(blank_en):
    text = "Officials said it was a nice gesture. Police in Split Rock said Nice talks had failed."
    assert "Nice" not in [p["mention"] for p in places_of(blank_en, text)]


def test_places_all_caps_abbreviation_is_a_union_not_a_village(blank_en):
    p = find(places_of(blank_en, "The EU imposed new sanctions."), "EU")
    assert p["name"] == "European Union"


# ---------------------------------------------------------------- disambiguation from context


@pytest.mark.parametrize("text, mention, country", [
    ("Clashes broke out in Tripoli, Lebanon, after the vote.", "Tripoli", "LB"),
    ("Gunmen stormed a hotel in Tripoli as Libyan officials met.", "Tripoli", "LY"),
    ("Militias in Homs, east of Tripoli, clashed with Libyan forces.", "Homs", "LY"),
    ("Homs was shelled again as Syrian troops advanced on Hama.", "Homs", "SY"),
    ("Police in Atlanta, Georgia, arrested two men.", "Georgia", "US"),
    ("Georgia and Russia fought a war over South Ossetia in 2008.", "Georgia", "GE"),
])
def test_places_disambiguates_from_context(blank_en, text, mention, country):
    assert find(places_of(blank_en, text), mention)["country"] == country


def test_places_bare_name_is_the_city_and_cued_name_the_area(blank_en):
    places = places_of(blank_en, "Aleppo was quiet, but Aleppo province saw heavy fighting.")
    assert [p["feature"] for p in places if p["mention"].startswith("Aleppo")] == ["city", "admin1"]


# ---------------------------------------------------------------- metonymy (spacy_model)


@pytest.mark.parametrize("text, mention, metonymic", [
    ("Moscow said the strikes hit only military targets.", "Moscow", True),
    ("Turkey has established bases in Idlib.", "Turkey", True),
    ("Turkey has established bases in Idlib.", "Idlib", False),
    ("Russian-backed forces shelled the town.", "Russian", True),
    ("Heavy fighting continued in Syria on Monday.", "Syria", False),
    ("Russia's defence ministry denied the report.", "Russia", True),
    ("Refugees gathered near the Syrian border.", "Syrian", False),
    ("The president was briefed at the White House on the attack.", "White House", True),
])
def test_places_marks_metonymic_uses(spacy_model, text, mention, metonymic):
    p = find(extract_places(spacy_model(text)), mention)
    assert p["metonymic"] is metonymic


def test_places_stage_writes_layer_and_offsets(spacy_model):
    text = ("Syrian forces backed by Russia's Aerospace Forces fought in Aleppo and Idlib governorates, "
            "with Russian jets flying from Hmeimim Airbase in Latakia.")
    doc = PlacesStage(spacy_model, "sitroom_places")(spacy_model(text))
    assert doc._.places and all(text[p["start"]:p["end"]] == p["mention"] for p in doc._.places)
    assert all({"metonymic", "method", "feature", "admin1", "geonameid"} <= set(p) for p in doc._.places)
    by = {p["mention"]: p for p in doc._.places}
    assert by["Idlib governorate"]["feature"] == "admin1" and by["Aleppo"]["feature"] == "admin1"
    assert by["Latakia"]["country"] == "SY" and by["Russia"]["metonymic"]
    hm = by["Hmeimim Airbase"]
    assert km(hm["latitude"], hm["longitude"], 35.41, 35.95) < 5
    assert len(doc.spans["sitroom_places"]) == len(doc._.places)


def test_places_gazetteer_index_is_built_once_and_reused(monkeypatch):
    import sitroom.gazetteer.load as gz
    load_gazetteer()  # built by set-up (or now, once)
    load_gazetteer.cache_clear()

    def no_rebuild(*a, **k):
        raise AssertionError("the index was rebuilt although one exists for these versions")
    monkeypatch.setattr(gz, "build_index", no_rebuild)
    try:
        assert gz.index_path().exists()
        assert load_gazetteer().by_name("Aleppo")
    finally:
        load_gazetteer.cache_clear()


# ---------------------------------------------------------------- round 2: short event texts


@pytest.mark.parametrize("text, mention, country, admin1, feature", [
    ("Shelling hit Siversk, Donetsk region on Tuesday.", "Siversk", "UA", "Donetsk", "town"),
    ("Troops entered New York, Donetsk region.", "New York", "UA", "Donetsk", "village"),
    ("Drones struck Zzyzxivka, Kharkiv region.", "Zzyzxivka", "UA", "Kharkiv", "unresolved-in-admin1"),
    ("Shelling hit Tokmak, Zaporizhzhia oblast.", "Tokmak", "UA", "Zaporizhia", "town"),
])
def test_places_name_comma_area_is_inside_the_area(blank_en, spacy_model, text, mention, country, admin1, feature):
    for nlp in (blank_en, spacy_model):
        p = find(places_of(nlp, text), mention)
        assert (p["country"], p["admin1"], p["feature"]) == (country, admin1, feature)
        assert p["latitude"] is not None


def test_places_area_list_is_not_containment(spacy_model):
    p = find(places_of(spacy_model, "Strikes hit Kherson, Zaporizhzhia and Donetsk regions."), "Kherson")
    assert (p["country"], p["admin1"]) == ("UA", "Kherson")


@pytest.mark.parametrize("text, mention, country", [
    ("Garissa residents marched against insecurity.", "Garissa", "KE"),
    ("Eldoret residents protested on Monday.", "Eldoret", "KE"),
    ("On 3 March 2021, in Mawlamyine town, a bomb exploded.", "Mawlamyine", "MM"),
])
def test_places_town_without_model_cue_is_recognised(blank_en, spacy_model, text, mention, country):
    for nlp in (blank_en, spacy_model):
        assert find(places_of(nlp, text), mention)["country"] == country


@pytest.mark.parametrize("text, foreign", [
    ("Kenyan police said the attack on Kiunga left two dead.", "PG"),
    ("Farmers gathered at Bukembe market, Kenyan police said.", "BJ"),
    ("Truckers protested against the Standard Gauge Railway.", "CA"),
])
def test_places_foreign_lookalikes_are_dropped(spacy_model, text, foreign):
    assert foreign not in {p["country"] for p in places_of(spacy_model, text)}


def test_places_acled_admin1_spellings(spacy_model):
    p = find(places_of(spacy_model, "Clashes broke out in Elgeyo-Marakwet County."), "Elgeyo-Marakwet County")
    assert p["admin1"] == "Elgeyo-Marakwet"
    assert resolve_place("Tokmak", "UA")["admin1"] == "Zaporizhia"


@pytest.mark.parametrize("text, mention, present", [
    ("On 2 May 2023, Russian forces shelled near Bila Hora, Donetsk. Casualties unknown.", "Bila Hora", True),
    ("Officials said John Smith, Texas, was arrested.", "John Smith", False),
    ("Two men were attacked in Qwertyvo village, Nyamira on Monday.", "Qwertyvo", True),
])
def test_places_person_name_before_area_is_not_a_place(spacy_model, text, mention, present):
    places = places_of(spacy_model, text)
    assert any(p["mention"] == mention for p in places) == present
    if present:
        assert find(places, mention)["feature"] == "unresolved-in-admin1"


@pytest.mark.parametrize("text, mention, country", [
    ("Arsonists burned the Garissa police station.", "Garissa", "KE"),
    ("Students protested at the University of Machakos.", "Machakos", "KE"),
])
def test_places_institution_named_after_its_town(spacy_model, text, mention, country):
    p = find(places_of(spacy_model, text), mention)
    assert p["country"] == country and not p["metonymic"]


def test_places_institution_rule_needs_a_facility_noun(spacy_model):
    assert not places_of(spacy_model, "Manchester United won the match.")


@pytest.mark.parametrize("text, absent", [
    ("Sacco officials announced new rules for matatu owners.", "Sacco"),
    ("Westgate shoppers fled when gunmen opened fire.", "Westgate"),
])
def test_places_bare_small_town_without_any_country_is_dropped(spacy_model, text, absent):
    assert absent not in {p["mention"] for p in places_of(spacy_model, text)}



# ---------------------------------------------------------------- seats, settlement words, untagged towns


@pytest.mark.parametrize("area, country, seat", [
    ("Kajiado", "KE", "Kajiado"),        # a county named after its capital
    ("Mandera", "KE", "Mandera"),
    ("Taita Taveta", "KE", "Voi"),       # no namesake: the largest town
    ("Kherson", "UA", "Kherson"),
])
def test_places_seat_of_an_admin_area_is_its_namesake_or_largest_town(area, country, seat):
    gaz = load_gazetteer()
    admin = next(p for p in gaz.by_name(area) if p.feature == "admin1" and p.country == country)
    got = gaz.seat(admin.id)
    assert got is not None and got.name == seat and got.country == country and got.admin1_code == admin.admin1_code


def test_places_seat_of_a_town_is_none():
    gaz = load_gazetteer()
    town = next(p for p in gaz.by_name("Garissa") if p.is_populated)
    assert gaz.seat(town.id) is None


def test_places_admin_mention_carries_its_seat(spacy_model):
    rec = find(places_of(spacy_model, "Gunmen attacked a bus in Mandera County on Tuesday."), "Mandera County")
    assert rec["feature"] == "admin1"
    assert rec["seat"]["name"] == "Mandera" and km(rec["latitude"], rec["longitude"],
                                                  rec["seat"]["latitude"], rec["seat"]["longitude"]) > 1


@pytest.mark.parametrize("text, mention, name, country", [
    ("On 8 June, in Yangon city, two explosions went off near a market.", "Yangon", "Yangon", "MM"),
    ("Gunmen attacked a bar in Mexico City on Sunday.", "Mexico City", "Mexico City", "MX"),
])
def test_places_settlement_word_after_a_name_is_not_part_of_it(spacy_model, text, mention, name, country):
    rec = find(places_of(spacy_model, text), mention)
    assert (rec["name"], rec["country"]) == (name, country)


def test_places_big_town_the_model_leaves_untagged_is_found(spacy_model):
    places = places_of(spacy_model, "Farmers held a demonstration on the Iten-Eldoret road, Eldoret, over seed prices.")
    assert any(p["name"] == "Eldoret" and p["country"] == "KE" for p in places)


def test_places_big_town_inside_a_road_name_is_not_where_it_happened(spacy_model):
    from sitroom import extract
    events = extract("Transport on the Nairobi-Mai Mahiu road in Lari constituency, Kiambu county, was blocked "
                     "by protesters on Monday.", published="2024-05-07").events
    assert events and events[0].admin1 == "Kiambu"


@pytest.mark.parametrize("text, mention, country, admin1", [
    # a village the gazetteer lacks, in a sub-county the localities table knows
    ("A man was beaten by villagers in Ochieng'a, Rangwe sub-county, on Thursday.", "Ochieng'a", "KE", "Homa Bay"),
    # a name a foreign town shares ('Kani', Japan) is read inside the township named after it
    ("Troops burned houses in Pyin Htaung village, Kani township, on Monday.", "Pyin Htaung", "MM", "Sagaing"),
])
def test_places_name_comma_local_unit_is_inside_the_unit(spacy_model, text, mention, country, admin1):
    rec = find(places_of(spacy_model, text), mention)
    assert (rec["country"], rec["admin1"]) == (country, admin1)


def test_places_local_unit_holds_only_what_is_near_its_seat():
    from sitroom.gazetteer import holds
    gaz = load_gazetteer()
    seat = next(p for p in gaz.by_name("Rangwe") if p.country == "KE")
    homa_bay = next(p for p in gaz.by_name("Homa Bay") if p.is_populated and p.country == "KE")
    nairobi = next(p for p in gaz.by_name("Nairobi") if p.is_populated)
    assert holds(seat, homa_bay) and not holds(seat, nairobi)


def test_places_curated_estate_the_model_calls_a_person_is_a_place_after_in(spacy_model):
    rec = find(places_of(spacy_model, "Police shot dead a youth in Dandora who was said to be armed."), "Dandora")
    assert (rec["country"], rec["admin1"]) == ("KE", "Nairobi")


def test_places_town_after_an_unknown_village_and_a_comma(spacy_model):
    places = places_of(spacy_model, "Police killed four gunmen after a shootout in Kwachocha, Malindi.")
    assert any(p["name"] == "Malindi" and p["country"] == "KE" for p in places)


@pytest.mark.parametrize("text, mention, metonymic", [
    ("Odinga supporters attacked Kikuyu civilians in Mathare on Monday.", "Kikuyu", True),
    ("Police dispersed protesters in Kikuyu town on Monday.", "Kikuyu", False),
])
def test_places_a_people_named_like_a_place_is_not_where(spacy_model, text, mention, metonymic):
    assert find(places_of(spacy_model, text), mention)["metonymic"] is metonymic
