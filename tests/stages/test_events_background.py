"""What a full article reports as new, and what it only recalls: court steps, accidents, figures of
speech, and one event per place and day (texts written by the team)."""
import pytest

from sitroom import extract
from sitroom.stages.events.record import same_event

PUB = "2025-03-12"


@pytest.mark.parametrize("text", [
    # a court step about a past bombing: the bombing is the case's history
    ("Court indicts two men over Kandara market bombing\n\n"
     "A military court on Tuesday indicted two men on ten counts connected to the bombing of the Kandara "
     "market in August, which killed 20 people and wounded 120.\n\n"
     "Twin bombs exploded near the market's east gate, killing shoppers and traders.\n\n"
     "The men have been held in custody since their arrests in September."),
    ("Accused bomber pleads not guilty\n\n"
     "A man accused of setting off a pipe bomb at a bus station in Larkton pleaded not guilty on Monday "
     "to federal charges.\n\nThe blast injured 14 people. He was shot and wounded in a shootout with "
     "police two days after the bombing."),
    # an accident: deaths with nothing violent told
    ("Seven people died and dozens were injured after a commuter train derailed near Halden station "
     "on Wednesday morning, officials said.\n\nThe driver was injured and taken to hospital."),
    # words of violence that tell none
    ("The pharmacy chain said it had run short of pain killers this winter.\n\n"
     "A cyber attack forced the grocery chain to close all of its branches on Tuesday."),
    ("What struck me most was how quiet the town had become, she said of her visit to Marlow."),
    # firefighters fight no battle, and a tram negotiating a curve signs no deal
    ("Four people died when a tram overturned near Dunmere station on Monday.\n\n"
     "Firefighters worked for hours to free passengers, and the chief constable said at least four people "
     "had lost their lives.\n\nInvestigators said the tram was negotiating a sharp curve too fast."),
    # a natural disaster does the harm
    ("A powerful earthquake struck the island of Veldra on Sunday, killing at least four people and "
     "destroying dozens of homes."),
    # an industrial blast or leak
    ("Three workers were injured when a storage tank at the Corvin chemical plant exploded on Thursday night."),
    ("At least 40 people fell ill after poisonous gas leaked from a fertiliser factory in Port Ammar on Monday."),
    # ordinary crime: an arrest over a robbery or smuggling is no ACLED arrest
    ("Police arrested two men on Monday after a string of bank robberies in the capital, Marlo."),
    ("Border guards detained 30 people who were being smuggled in the back of a lorry, officials said."),
    # diplomacy
    ("Veldavia expelled two embassy staff members on Friday in a retaliatory move, the foreign ministry said."),
    ("The bloc agreed new sanctions against Norland over its missile test, officials said on Monday."),
    # a report led by a cyber attack: 'the attack' it speaks of later is that one
    ("Hackers shut down the payment systems of the Brenmart grocery chain on Tuesday.\n\n"
     "An analyst said the attack looked like a denial of service rather than theft of data.\n\n"
     "The minister said companies must guard against such attacks."),
])
def test_recalled_or_unpolitical_reports_yield_no_event(text):
    assert extract(text, published=PUB).events == []


@pytest.mark.parametrize("text, sub", [
    # what an armed actor does in a flood-hit district, or with a bomb in a factory, is still an event
    ("Militants attacked a village in the flood-hit district of Korvan on Monday, killing three people.", "Attack"),
    ("A bomb planted by insurgents exploded at a gas plant in Korvan on Monday, killing two guards.",
     "Remote explosive/landmine/IED"),
    ("A member of the Storm Corps was killed in a landmine blast near the border on Monday.",
     "Remote explosive/landmine/IED"),
    ("Gunfire erupted early on Monday at a music festival in Playa Norte, leaving five people dead.", "Attack"),
    # a protest over flood relief, and an arrest of protesters, are events
    ("Hundreds of flood victims protested outside the governor's office in Korvan on Monday, demanding aid.",
     "Peaceful protest"),
    # the state's forces taking a town from a rebel council regain territory; a protest that turned violent
    ("Government forces seized control of the coastal town of Marsa from the rebel council on Tuesday, "
     "an official said.", "Government regains territory"),
    ("Thousands of protesters marched in Lindau on Saturday. There were scuffles with police and the "
     "protest turned very violent.", "Violent demonstration"),
    # an attack on a court is an attack, not a court step
    ("A suicide bomber blew himself up at the Supreme Court building in Kabul, Afghanistan, on Tuesday, "
     "killing 21 people.", "Suicide bomb"),
    # an arrest told with its court case is still an arrest
    ("Police arrested the head of the opposition party in Dar es Salaam on Friday after he twice failed to "
     "appear in court to face charges of illegal assembly, a party official said.", "Arrests"),
    # the weapon named as what caused the wounds is how the event was done
    ("Eight people were seriously injured on Sunday evening following the explosion of a grenade that was "
     "thrown into a bar in Bujumbura, police said.", "Grenade"),
    # a strike by an air power, with nothing more said
    ("An Israeli strike on a house in Deir al-Balah in the central Gaza Strip killed five people on Monday, "
     "medics said.", "Air/drone strike"),
])
def test_events_still_coded(text, sub):
    evs = extract(text, published=PUB).events
    assert evs and evs[0].sub_event_type == sub


def test_one_event_per_place_and_day():
    # the toll given paragraphs later retells the raid; it is not a second event
    text = ("Gunmen raided the village of Kuje in Nigeria's Abuja territory on Monday, killing three farmers, "
            "residents said.\n\nThe attackers arrived on motorcycles and fired on people in the market.\n\n"
            "Residents fled to the nearby town.\n\nSchools in the area were closed.\n\n"
            "A local official said on Monday evening that five people had been killed in the attack on Kuje.")
    evs = extract(text, published="2025-03-11").events
    assert len(evs) == 1
    assert evs[0].location == "Kuje"


def _ev(**kw):
    base = {"event_type": "Violence against civilians", "country": "Nigeria", "event_date": "2025-03-10",
            "latitude": 8.88, "longitude": 7.23, "cues": ["ATTACK", "KILL"]}
    return {**base, **kw}


@pytest.mark.parametrize("b, same", [
    (_ev(), True),
    (_ev(event_date="2025-03-11"), True),  # the report's day and the event's
    (_ev(event_date="2025-03-14"), False),  # the same place another day
    (_ev(latitude=10.5, longitude=6.9), False),  # another town the same day
    (_ev(latitude=None, longitude=None), True),  # a retelling that names no place
    (_ev(event_type="Battles", cues=["CLASH"]), False),
    (_ev(event_type="Explosions/Remote violence", cues=["KILL"]), True),  # 'the toll rose to five'
    (_ev(country="Niger"), False),
])
def test_same_event(b, same):
    assert same_event(_ev(), b) is same


def test_events_in_two_places_stay_two():
    text = ("Gunmen raided the village of Kuje in Nigeria's Abuja territory on Monday, killing three farmers, "
            "residents said.\n\nIn a separate incident on Monday, bandits attacked travellers near Birnin Gwari "
            "in Kaduna state, killing two.")
    evs = extract(text, published="2025-03-11").events
    assert len(evs) == 2


@pytest.mark.parametrize("text, published, day", [
    # the day the official spoke is not the day of the killing: an undated report is the day before
    ("Gang members killed 12 people and burned houses in Cabaret, near Port-au-Prince, Haiti, an official "
     "said Wednesday.", "2025-03-12", "2025-03-11"),
    ("Clashes between protesters and police in central Baghdad killed two demonstrators, medical sources "
     "told Reuters on Monday.", "2025-03-10", "2025-03-09"),
    # 'was reported on <day> to have ...': the day is the act's
    ("The army was reported on March 9 to have launched a counteroffensive against rebels near Goma, "
     "in the Democratic Republic of Congo, clashing with M23 fighters.", "2025-03-12", "2025-03-09"),
    # a day of its own stays
    ("Gunmen killed five villagers in Kuje, Nigeria, on Sunday, police said on Tuesday.", "2025-03-11",
     "2025-03-09"),
])
def test_statement_day_is_not_the_event_day(text, published, day):
    evs = extract(text, published=published).events
    assert evs and evs[0].event_date == day


@pytest.mark.parametrize("text, location, sub", [
    # a town whose name is a plain English word, placed by the country after it
    ("A truck rammed into a crowd in Nice, southern France, killing dozens on Thursday night, local media "
     "reported.", "Nice", "Attack"),
    # the crowd a vehicle drove into is whom it hit, not a mob
    ("A van ploughed into crowds of shoppers in Reading, England, on Saturday, killing three people, "
     "police said.", "Reading", "Attack"),
])
def test_plain_word_towns_and_vehicle_attacks(text, location, sub):
    evs = extract(text, published="2016-07-15").events
    assert evs and (evs[0].location, evs[0].sub_event_type) == (location, sub)


def test_a_plain_word_is_no_town_without_its_country():
    assert not [p for p in extract("It was a nice day in France.", published=PUB).places if p.mention == "nice"]


@pytest.mark.parametrize("text, dead", [
    # ACLED counts the attackers who die: the bomber too
    ("A suicide car bomber blasted an outdoor market on Saturday in Tal Afar, Iraq, killing six people and "
     "wounding 54, police said.", 7),
    ("Two suicide bombers blew themselves up at a mosque in Maiduguri, Nigeria, on Friday, killing 12 worshippers.", 14),
    # ... unless the toll already counts him, or he was caught alive
    ("A suicide bomber killed five people, including the bomber, at a checkpoint in Mogadishu, Somalia, on Monday.", 5),
    ("A suicide bomber detonated his vest in Mora town, Cameroon, on Monday, killing himself and two others.", 3),
])
def test_suicide_bombers_count(text, dead):
    evs = extract(text, published=PUB).events
    assert evs and evs[0].sub_event_type == "Suicide bomb" and evs[0].fatalities == dead


@pytest.mark.parametrize("text, country", [
    ("Two grenades exploded on Monday in Burundi's capital, injuring three people, police said.", "BI"),
    ("Police in the capital of the Maldives fired tear gas at protesters on Friday.", "MV"),
])
def test_a_countrys_capital_is_a_place(text, country):
    places = extract(text, published=PUB).places
    hit = [p for p in places if "capital" in p.mention]
    assert hit and hit[0].country == country


def test_the_region_named_after_a_village_holds_it():
    evs = extract("Russian forces attacked the village of Zmiivka in the Kherson region with a drone on Sunday, "
                  "killing a local man.", published="2024-08-12").events
    assert evs and evs[0].admin1 == "Kherson" and evs[0].location == "Zmiivka"


@pytest.mark.parametrize("text, dead", [
    # a total before an aside, or with its time between verb and 'killed', is the total
    ("Seven people, among them two children and three women, were killed in an air raid near Golo, Sudan, "
     "on Monday.", 7),
    ("Twelve suspected cattle rustlers were at the weekend killed at Yartala village in Zamfara state, Nigeria, "
     "by a local vigilante group.", 12),
    ("At least eight civilians, including four children, were killed in a blast near Lashkar Gah, Afghanistan, "
     "officials said on Saturday.", 8),
    # a named victim killed counts one
    ("Gunmen on Saturday shot and killed Emeka Okafor, the chairman of a party ward in Ebonyi state, Nigeria.", 1),
    ("Lawyer Peter Wanyama was shot dead on Monday morning as he returned home in Bungoma, Kenya, police said.", 1),
    # a group named after the verb is no single victim
    ("Soldiers killed Boko Haram fighters in Borno state, Nigeria, on Monday.", 0),
    # both conjuncts of 'N X and M Y were killed' are this event's dead
    ("Ten civilians and three army technicians were killed on Wednesday when a bomb exploded near a prison "
     "in Lahj, Yemen.", 13),
    ("SIX guerillas from the FARC rebel group and four Colombian soldiers have been killed in clashes in "
     "southwest Colombia.", 10),
    # 'an attack and two soldiers were killed' is no coordination of two tolls
    ("Gunmen staged an attack and two soldiers were killed at a checkpoint in Kaduna, Nigeria, on Monday.", 2),
])
def test_counting_rules(text, dead):
    evs = extract(text, published=PUB).events
    assert evs and evs[0].fatalities == dead


def test_a_transcripts_speaker_labels_are_no_places():
    text = ("President Obama has been briefed on the situation in Nice, France, where at least 60 people were "
            "killed on Thursday when a truck drove through a crowd.\n"
            "ARI SHAPIRO, HOST: We are joined by Scott Horsley.\n"
            "SCOTT HORSLEY, BYLINE: Good to be with you.\nSHAPIRO: What can you tell us?")
    result = extract(text, published="2016-07-15")
    assert {p.mention for p in result.places} == {"Nice", "France"}
    assert result.events[0].location == "Nice"


def test_a_retelling_paragraphs_later_gives_the_day_not_the_toll():
    """The lead states no day; a later paragraph retells the strike with its day: one event, on that day,
    with the lead's toll (the quote's breakdown further down is no extra dead)."""
    text = ("Rebels shelled the market of Korvani, killing nine people, officials said.\n\n"
            "The shelling was the heaviest the town has seen this year.\n\n"
            "Residents said the shells hit the market on Tuesday morning, when it was crowded.\n\n"
            "\"We lost four traders and five children,\" a local official said.")
    events = extract(text, published="2025-03-13").events
    assert len(events) == 1
    assert events[0].event_date == "2025-03-11"
    assert events[0].fatalities == 9
    assert len(events[0].evidence) >= 2


def test_a_paragraph_weeks_before_is_no_retelling():
    """A later paragraph that recalls an act of weeks before does not date the new one."""
    text = ("Rebels shelled the market of Korvani, killing nine people, officials said.\n\n"
            "The town was also shelled on February 2, when three people were killed.")
    events = extract(text, published="2025-03-13").events
    assert events and events[0].event_date != "2025-02-02"
    assert events[0].fatalities == 9


def test_who_speaks_says_nothing_of_where():
    # the event's sentence names no place; the White House, an office that speaks for a state, is no
    # place of the attack (not the town of that name) and votes for no country: Nice, France decides
    text = ("At least 50 people were killed on Thursday when a truck plowed through a crowd watching fireworks.\n"
            "The president was briefed at the White House. Officials at the White House said they were following "
            "events. A White House spokesman said the White House would say more. The White House said U.S. "
            "officials were in touch.\nThe attack happened in Nice, France, on the promenade.")
    result = extract(text, published="2016-07-15")
    assert [(e.country, e.location) for e in result.events] == [("France", "Nice")]
    assert all(p.metonymic for p in result.places if p.mention == "White House")


def test_an_age_beside_a_toll_does_not_break_the_events_stage():
    """'45-year-old' is no count; with another figure in the sentence it once crashed the stage."""
    result = extract("Gunmen killed 45-year-old farmer John Okello and two other people in Amuru on Monday, "
                     "police said.", published="2024-05-07")
    assert result.error is None
    assert result.events and result.events[0].sub_event_type == "Attack"


def test_another_strike_the_same_day_is_an_event_of_its_own():
    """'killed in another airstrike': a second strike in the same township that day, not a retelling."""
    doc = extract("An airstrike killed eight villagers in Pale Township, Sagaing Region, on Tuesday, residents said.\n\n"
                  "A woman in Pale Township was killed in another airstrike on Tuesday.", published="2023-06-28")
    assert [e.sub_event_type for e in doc.events] == ["Air/drone strike", "Air/drone strike"]
    one = extract("An airstrike killed eight villagers in Pale Township, Sagaing Region, on Tuesday, residents said.\n\n"
                  "A woman in Pale Township was also killed in the airstrike on Tuesday.", published="2023-06-28")
    assert len(one.events) == 1


def test_villagers_killed_by_a_strike_are_no_mob():
    """'killing 10 villagers and injuring five': the villagers are whom the strike hit, not a crowd that acted."""
    from sitroom.stages.events.classify import agent_kind
    from sitroom.stages.events.cues import find_cues
    hit = "A jet dropped three bombs on the village, killing 10 villagers and injuring five, a spokesman said."
    assert agent_kind(hit, find_cues(hit)) != "crowd"
    acted = "Angry villagers beat two suspected thieves and injured a third, police said."
    assert agent_kind(acted, find_cues(acted)) == "crowd"
    doc = extract("A jet dropped three bombs on Kin village near Kale on Tuesday, killing 10 villagers and "
                  "injuring five, according to a local administration spokesman.", published="2023-06-28")
    assert doc.events and doc.events[0].sub_event_type == "Air/drone strike"


@pytest.mark.parametrize("text", [
    "Militants handed over 15 abducted schoolgirls to the authorities in Dikwa on Thursday after weeks of "
    "negotiations, officials said. The girls were kidnapped from their school in Gwoza in 2019.",
    "Twelve of the students kidnapped from a college in Kagara last year have been released after talks "
    "with the gunmen, the state government said on Friday.",
])
def test_a_negotiated_release_of_captives_is_an_agreement(text):
    """ACLED codes a negotiated release of hostages as an Agreement; the abduction it ends is its history."""
    doc = extract(text, published="2021-04-09")
    assert doc.events and doc.events[0].sub_event_type == "Agreement"
    assert "Abduction/forced disappearance" not in {e.sub_event_type for e in doc.events}


def test_a_strike_two_months_before_is_background_and_its_sources_no_mob():
    """'In April, ... that locals said killed about 170' in a report of late June: history, told by locals."""
    from sitroom.stages.events.classify import agent_kind
    from sitroom.stages.events.cues import find_cues
    old = ("In April, the military bombed a gathering in Sagaing that media and locals said killed about 170 "
           "people.")
    assert agent_kind(old, find_cues(old)) != "crowd"
    doc = extract("A military air strike on a village in Sagaing region killed ten civilians on Tuesday, residents "
                  "said.\n\n" + old, published="2023-06-28")
    assert [(e.sub_event_type, e.fatalities) for e in doc.events] == [("Air/drone strike", 10)]
