"""Round 3: headline lines, targets named after a targeting verb, demonym strikes, Gaza localities."""
import pytest

from sitroom import extract
from sitroom.stages.events.segment import is_title_line
from sitroom.stages.events.who import TARGETED_BEFORE_RE


@pytest.mark.parametrize("text, start, end, expected", [
    ("Rocket fire kills two near Sumy, police say\n\nBody text follows here.", 0, 43, True),
    ("Report on raids in Kassala\n\nBody.", 0, 26, True),
    ("Gunmen killed two people in Sumy.\n\nBody.", 0, 33, False),
])
def test_events_title_line(text, start, end, expected):
    assert is_title_line(text, start, end) is expected


@pytest.mark.parametrize("left, expected", [
    ("the army said it had targeted a ", True),
    ("the strike killed a senior ", True),
    ("fighters from ", False),
])
def test_events_targeted_object(left, expected):
    assert bool(TARGETED_BEFORE_RE.search(left)) is expected


CASES = [
    # the headline names only the region; the body's own sentence names the town and the attacker
    ("Shelling kills four in Sumy region, officials say\n\n"
     "Russian artillery shelled the town of Okhtyrka in Ukraine's Sumy region on Monday, killing four "
     "civilians, the regional governor said.\n\nHe added that a school had been damaged.",
     {"actor1": "Military Forces of Russia (2000-)", "location": "Okhtyrka", "fatalities": 4}),
    # the object of 'targeted' is the target, not the attacker
    ("An Israeli air strike hit a car in Deir al-Balah in the central Gaza Strip on Sunday, "
     "killing three people, medics said.\n\nThe Israeli military said it had targeted a Hamas commander.",
     {"actor1_prefix": "Military Forces of Israel", "country": "Palestine"}),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_events_anchor_and_sides(text, expected):
    ev = extract(text, published="2025-04-08").events[0]
    if "actor1" in expected:
        assert ev.actor1 == expected["actor1"]
    if "actor1_prefix" in expected:
        assert (ev.actor1 or "").startswith(expected["actor1_prefix"])
    if "location" in expected:
        assert expected["location"].lower()[:5] in (ev.location or "").lower()
    if "fatalities" in expected:
        assert ev.fatalities == expected["fatalities"]
    if "country" in expected:
        assert ev.country == expected["country"]


@pytest.mark.parametrize("text, mention", [
    ("Medics said an air strike hit a tent in Khan Younis in the southern Gaza Strip.", "Khan Younis"),
    ("Residents fled Jabalia in the northern Gaza Strip after the raid.", "Jabalia"),
])
def test_places_gaza_localities(text, mention):
    places = extract(text, published="2025-04-08").places
    hit = [p for p in places if p.mention == mention]
    assert hit and hit[0].country == "PS"


@pytest.mark.parametrize("text, n_events, subs_absent, country", [
    # damage told after a strike is the strike's, and a capture dated years back is background
    ("Russian drones struck the city of Sumy on Tuesday, killing two civilians, the mayor said.\n\n"
     "\"They hit a residential block,\" he wrote, adding that a kindergarten had been damaged.\n\n"
     "Sumy, which lies near the border, was shelled by Russian forces in October 2022 as well.",
     1, {"Looting/property destruction"}, "Ukraine"),
    # one sentence about another country: the event sits where its own sentence says
    ("Ukrainian officials in Kharkiv and Kyiv said Russian shelling killed one man in Kharkiv on Monday.\n\n"
     "Separately, Russia said its air defences shot down 9 Ukrainian drones over the Kursk region on Monday.",
     2, set(), None),
])
def test_events_grouping_and_background(text, n_events, subs_absent, country):
    evs = extract(text, published="2025-04-08").events
    assert len(evs) == n_events
    assert not subs_absent & {e.sub_event_type for e in evs}
    if country:
        assert all(e.country == country for e in evs)
    if n_events == 2:
        assert {e.country for e in evs} == {"Ukraine", "Russia"}


@pytest.mark.parametrize("text, expected", [
    ("Government troops backed by the Iraqi Air Force repelled an assault by Islamic State fighters "
     "near the village of Tal Afar on Monday.", "Armed clash"),
    ("Iraqi Air Force jets struck Islamic State hideouts near Tal Afar on Monday, the army said.",
     "Air/drone strike"),
])
def test_events_supporter_is_no_strike(text, expected):
    assert extract(text, published="2025-04-08").events[0].sub_event_type == expected


STATEMENT = ("Statement on violence against civilians in Kassala\n\n"
             "The Eastern Sudan Observatory condemns the assault carried out by the Rapid Support Forces on the village of "
             "Wad Sharifai in Kassala state on 3 April 2025. According to witnesses, the attackers killed at least "
             "nine civilians and abducted four women.\n\nThe observatory calls for an inquiry.")


def test_events_statement_title_and_lead_in():
    ev = extract(STATEMENT, published="2025-04-08").events[0]
    assert ev.sub_event_type == "Attack"  # killed and abducted: the killing decides
    assert ev.event_date == "2025-04-03"  # the body's date, not the title's fallback
    assert ev.fatalities == 9
    assert len(ev.claims) >= 2  # the condemnation and the witnesses' account are one incident


@pytest.mark.parametrize("text, resolved", [
    ('Troops repelled an attack on the base, according to a statement by the Iraqi Ministry of Interior. '
     'The statement said "dozens of attackers were killed" in the fighting.', "Ministry of Interior"),
    ('Rebels shelled the port, according to a report by the United Nations Mission. '
     'The report said "four civilians died" in the shelling.', "United Nations Mission"),
])
def test_claims_document_noun_resolves_to_issuer(text, resolved):
    claims = extract(text, published="2025-04-08").claims
    back = [c for c in claims if (c.speaker or "").lower().startswith("the ")
            and (c.speaker or "").split()[-1].lower() in ("statement", "report")]
    assert back and resolved in (back[0].speaker_resolved or "")


@pytest.mark.parametrize("text, admin1", [
    ("An air strike hit a school in Khan Younis in the southern Gaza Strip on Monday, killing four people.",
     "Gaza Strip"),
    ("Israeli troops raided a house in Jenin in the northern West Bank on Monday, killing two men.", "West Bank"),
])
def test_places_palestine_admin1_as_acled(text, admin1):
    ev = extract(text, published="2025-04-08").events[0]
    assert ev.country == "Palestine" and ev.admin1 == admin1
