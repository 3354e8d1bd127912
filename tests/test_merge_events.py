"""One event told by several outlets in different words, and near misses that must stay apart.

Every cluster here is invented: a market bombing in the (fictional-looking but real-shaped)
town of Qaryat al-Nakhil, reported by a wire, a local paper that names only the district,
a broadcaster that names only the province, a paper datelined from the capital, and an
outlet that dates the attack by its own publication day; then the near misses: the same
town two days later, the same group's attack on another town the same day, a neighbouring
village raided the same day, and an unrelated incident in the capital.
"""
from __future__ import annotations

import pytest

from sitroom.merge import ArticleInfo, Report, cluster_reports, merge_reports
from sitroom.merge.cluster import ClusterIndex
from sitroom.merge.records import dated_vaguely, place_key, report_key
from sitroom.merge.similarity import compatible, place_link

DAY = "2025-03-06"  # a Thursday
TOWN = {"country": "Iraq", "iso": 368, "admin1": "Diyala", "admin2": "Baqubah", "location": "Qaryat al-Nakhil",
        "latitude": 33.80, "longitude": 44.70, "geo_precision": 1}
DISTRICT = {**TOWN, "location": "Baqubah District", "latitude": 33.75, "longitude": 44.64, "geo_precision": 2}
CITY = {**TOWN, "location": "Baqubah", "latitude": 33.75, "longitude": 44.61, "geo_precision": 1}
PROVINCE = {**TOWN, "admin2": None, "location": "Diyala", "latitude": 34.0, "longitude": 45.0, "geo_precision": 3}
CAPITAL = {"country": "Iraq", "iso": 368, "admin1": "Baghdad", "admin2": "Al Rusafa", "location": "Baghdad",
           "latitude": 33.34, "longitude": 44.40, "geo_precision": 1}
NEIGHBOUR = {**TOWN, "location": "Tell al-Zuhur", "latitude": 33.86, "longitude": 44.76}  # ~8 km away
FAR_TOWN = {**TOWN, "admin1": "Salah al-Din", "admin2": "Tikrit", "location": "Tikrit", "latitude": 34.60,
            "longitude": 43.68}

# the gazetteer features each place has in an article's places layer
FEATURES = {"Qaryat al-Nakhil": "village", "Baqubah District": "admin2", "Baqubah": "city", "Diyala": "admin1",
            "Baghdad": "city", "Tell al-Zuhur": "village", "Tikrit": "city"}
IS = "Islamic State (Iraq)"
CIVILIANS = "Civilians (Iraq)"


def report(doc: str, place: dict, *, date=DAY, published=DAY, sub="Suicide bomb", etype="Explosions/Remote violence",
           actor1=IS, actor2=CIVILIANS, names=(), rid="e1", fatalities=0) -> Report:
    """One article's report; `names` are the other places its text names (its places layer)."""
    named = [place["location"], *names]
    info = ArticleInfo(doc_id=doc, published=published, outlet=f"{doc}.example",
                       source_group=f"outlet:{doc}.example",
                       places=tuple((n, FEATURES.get(n, "town")) for n in named))
    event = {"event_id": rid, "event_date": date, "time_precision": 1, "event_type": etype, "sub_event_type": sub,
             "actor1": actor1, "actor2": actor2, **place, "fatalities": fatalities, "claims": []}
    return Report(article=info, event=event)


def one_event_in_many_words() -> list[Report]:
    """Five outlets' versions of the market bombing (one event)."""
    return [
        report("wire", TOWN, published=DAY),
        report("local", DISTRICT, sub="Remote explosive/landmine/IED", actor1="Unidentified Armed Group (Iraq)"),
        report("broadcaster", PROVINCE, sub="Remote explosive/landmine/IED", actor1=None, actor2=None),
        report("capital-daily", CAPITAL, names=("Qaryat al-Nakhil",), date="2025-03-07", published="2025-03-07"),
        report("city-paper", CITY, actor1="Military Forces of Iraq (2022-)", sub="Attack",
               etype="Violence against civilians"),
    ]


def test_merge_events_one_event_across_precision_dates_and_names():
    events = merge_reports(one_event_in_many_words())
    assert len(events) == 1
    ev = events[0].event
    assert ev["reports"] == 5
    assert (ev["location"], ev["geo_precision"]) == ("Qaryat al-Nakhil", 1)  # the most precise place


@pytest.mark.parametrize("near_miss", [
    report("next-attack", TOWN, date="2025-03-08", published="2025-03-09"),  # same town, two days later
    report("other-town", FAR_TOWN, published=DAY),  # same group, another town, same day
    report("neighbour", NEIGHBOUR, names=("Qaryat al-Nakhil",)),  # the neighbouring village, same day
    report("capital-blast", CAPITAL),  # a blast in the capital whose article does not name the town
    report("protest", TOWN, sub="Peaceful protest", etype="Protests", actor1="Protesters (Iraq)", actor2=None),
], ids=["another-day", "same-group-other-town", "neighbouring-village", "unrelated-capital", "other-type"])
def test_merge_events_near_misses_stay_apart(near_miss):
    reports = [*one_event_in_many_words(), near_miss]
    events = merge_reports(reports)
    assert len(events) == 2
    assert any(e.event["doc_ids"] == [near_miss.doc_id] for e in events)


def test_merge_events_place_links():
    wire, local, broadcaster, capital, city = one_event_in_many_words()
    assert place_link(wire, local) == "within"  # the village is in the district the local paper names
    assert place_link(wire, broadcaster) == "within"  # province level
    assert place_link(wire, city) == "within"  # within a city's reach
    assert place_link(wire, capital) == "named"  # the capital's paper names the village
    assert place_link(wire, report("n", NEIGHBOUR)) == "distinct"
    assert place_link(wire, report("t", FAR_TOWN)) is None
    assert place_key("Mazār-e Sharīf") == place_key("Mazar-i-Sharif") == "mazar sharif"


@pytest.mark.parametrize("date, published, vague", [
    ("2025-03-06", "2025-03-07", False),  # an earlier day named: taken at its word
    ("2025-03-07", "2025-03-07", True),  # the publication day: maybe last night
    (None, "2025-03-07", True),
])
def test_merge_events_dated_vaguely(date, published, vague):
    assert dated_vaguely(report("x", TOWN, date=date, published=published)) is vague


def test_merge_events_vague_later_report_joins_but_a_dated_one_does_not():
    wire = report("wire", TOWN, date="2025-03-05", published="2025-03-06")
    vague = report("weekly", TOWN, date="2025-03-07", published="2025-03-07")  # may mean the day before
    dated = report("dated", TOWN, date="2025-03-07", published="2025-03-08")  # says the 7th: two days on
    later = report("later", TOWN, date="2025-03-08", published="2025-03-08")  # vague, but three days on
    assert compatible(wire, vague) and not compatible(wire, dated) and not compatible(wire, later)


def test_merge_events_different_parties_stay_apart():
    wire = report("wire", TOWN)
    clash = report("clash", TOWN, sub="Armed clash", etype="Battles", actor1="Military Forces of Iraq (2022-)",
                   actor2="Popular Mobilization Forces")
    assert not compatible(wire, clash)  # no party in common, not even the victims


def test_merge_events_a_misplaced_member_does_not_keep_out_a_right_one():
    # the capital's paper joined by naming the village; a paper datelined abroad that also names the
    # village joins the village's event even though it shares nothing with the capital's paper
    abroad = {"country": "Jordan", "iso": 400, "admin1": "Amman", "admin2": None, "location": "Amman",
              "latitude": 31.95, "longitude": 35.93, "geo_precision": 1}
    reports = [*one_event_in_many_words(), report("abroad", abroad, names=("Qaryat al-Nakhil",))]
    assert len(merge_reports(reports)) == 1


def test_merge_events_incremental_add_matches_full_merge():
    reports = one_event_in_many_words()
    index = ClusterIndex()
    placed = [index.add(r) for r in sorted(reports, key=report_key)]
    assert len(set(placed)) == 1
    assert [sorted(r.doc_id for r in c) for c in index.clusters] == \
        [sorted(r.doc_id for r in c) for c in cluster_reports(reports)]
    assert index.add(report("next-attack", TOWN, date="2025-03-09", published="2025-03-10")) != placed[0]


def test_merge_events_fusion_records_choice_and_dissent():
    (m,) = merge_reports(one_event_in_many_words())
    fusion = m.event["fusion"]
    assert fusion["location"]["value"] == "Qaryat al-Nakhil" and fusion["location"]["reports"] == ["wire#e1"]
    assert "Baghdad" in fusion["location"]["dissent"]
    sub = fusion["sub_event_type"]
    assert sub["value"] == m.event["sub_event_type"] and sub["sources"] == len(sub["reports"])
    assert m.event["independent_reports"] == sorted(f"{r.doc_id}#e1" for r in one_event_in_many_words())



def test_merge_events_an_articles_better_report_takes_its_place():
    # one paper gives two reports: the bombing placed at its dateline in the capital and dated the
    # day before (first canonically, so it founds the event that the others join because the paper
    # names their places), and the bombing at the town, dated by the paper's own day (last
    # canonically); the town report takes the event, the dateline one is left alone
    datelined = report("dateline-daily", CAPITAL, names=("Qaryat al-Nakhil", "Baqubah District"), date="2025-03-05",
                       published="2025-03-07", rid="e1")
    at_town = report("dateline-daily", TOWN, date="2025-03-07", published="2025-03-07", rid="e2")
    others = [report("wire", TOWN), report("local", DISTRICT, sub="Remote explosive/landmine/IED")]
    reports = [datelined, at_town, *others]
    events = merge_reports(reports)
    assert sorted(sorted(f"{r.doc_id}#{r.report_id}" for r in m.members) for m in events) == [
        ["dateline-daily#e1"], ["dateline-daily#e2", "local#e1", "wire#e1"]]
    main = max(events, key=lambda m: len(m.members))
    assert (main.event["location"], main.event["event_date"]) == ("Qaryat al-Nakhil", DAY)
    # no matter of order: the same events whatever order the reports come in
    assert sorted(sorted(r.report_id + r.doc_id for r in m.members) for m in merge_reports(reversed(reports))) \
        == sorted(sorted(r.report_id + r.doc_id for r in m.members) for m in events)


def _killed(count: int, qualifier: str, speaker: str) -> dict:
    return {"count": count, "count_high": None, "qualifier": qualifier, "category": "killed", "victims": "people",
            "victim_actor": None, "speaker": speaker, "speaker_actor": None, "kind": "assertion", "claim_id": "c1"}


def test_merge_events_later_reports_revise_the_toll_and_the_day_and_the_history_keeps_both():
    # the wire's first take: "at least 5 killed" today; next day two papers put the blast on the
    # evening before and the hospital's count at 12
    first = report("wire", TOWN, date="2025-03-06", published="2025-03-06")
    first.figures = [_killed(5, "at_least", "police")]
    later = [report(doc, TOWN, date="2025-03-05", published="2025-03-07") for doc in ("local", "city-paper")]
    for r in later:
        r.figures = [_killed(12, "exact", "hospital officials")]
    (m,) = merge_reports([first, *later])
    assert (m.event["event_date"], m.event["fatalities"], m.event["fatalities_low"]) == ("2025-03-05", 12, 5)
    assert not m.event["contested"]  # a toll that grew is no dispute
    # the first paper out the next day (by id) revises both: one day against one is a tie, which the
    # earlier day takes; the second adds nothing new
    assert m.event["history"] == [
        {"as_of": "2025-03-07", "doc_id": "city-paper", "report_id": "e1", "field": "event_date", "old": "2025-03-06",
         "new": "2025-03-05"},
        {"as_of": "2025-03-07", "doc_id": "city-paper", "report_id": "e1", "field": "fatalities", "old": 5, "new": 12},
    ]
    # an event its reports agree on has no history
    assert merge_reports([first])[0].event["history"] == []


def test_merge_events_a_report_paired_too_early_moves_to_its_event():
    # a broadcaster's province-level report of the bombing, dated the day before, founds an event
    # that a clash in another town of the province joins; the bombing's own reports form theirs the
    # next day: the broadcaster's report gets a second chance and moves there
    khanaqin = {**TOWN, "admin2": "Khanaqin", "location": "Khanaqin", "latitude": 34.35, "longitude": 45.39}
    early = report("broadcaster", PROVINCE, date="2025-03-05", sub="Remote explosive/landmine/IED", actor1=None,
                   actor2=None)
    clash = report("clash-paper", khanaqin, date="2025-03-05", published="2025-03-05", sub="Armed clash",
                   etype="Battles", actor2="Military Forces of Iraq (2022-)")
    bombing = [report("wire", TOWN), report("local", DISTRICT, sub="Remote explosive/landmine/IED")]
    index = ClusterIndex()
    for r in sorted([early, clash, *bombing], key=report_key):
        index.add(r)
    assert sorted(sorted(r.doc_id for r in c) for c in index.clusters) == [
        ["broadcaster", "clash-paper"], ["local", "wire"]]  # placed in date order
    assert sorted(sorted(r.doc_id for r in c) for c in cluster_reports([early, clash, *bombing])) == [
        ["broadcaster", "local", "wire"], ["clash-paper"]]
