"""Merging reports into events: independence, syndication, fatality spread, contested figures.

The cluster below is hand-written: one clash near Saraqib reported by a wire story, two
outlets reprinting it (one keeps the "(Reuters)" credit, one drops it and adds a line), a
monitoring group's statement and each belligerent's claim.  Other test modules import
`cluster_results()` from here.
"""
from __future__ import annotations

import pytest

from sitroom.merge import (ArticleInfo, Report, build_event, cluster_reports, compatible, fatality_spread,
                           independent_groups, jaccard, merge_reports, minhash, provenance_figures, same_actor,
                           side_of, source_group, wire_of)
from sitroom.records import DocumentResult

DAY = "2024-11-28"
SARAQIB = {"country": "Syria", "iso": 760, "admin1": "Idlib", "admin2": "Idlib", "location": "Saraqib",
           "latitude": 35.8644, "longitude": 36.8006, "geo_precision": 1}
SYRIA_ARMY = "Military Forces of Syria (2000-2024)"
RUSSIA = "Military Forces of Russia (2000-)"
HTS = "Hayat Tahrir al-Sham"
SOHR = "Syrian Observatory for Human Rights"

WIRE_TEXT = (
    "SARAQIB, Syria (Reuters) - Fighters led by Hayat Tahrir al-Sham stormed army positions around the town of "
    "Saraqib on Thursday in the heaviest fighting in the northwest for years, residents and a war monitor said. "
    "At least 45 people were killed in the clashes, the Syrian Observatory for Human Rights said. "
    "Russia's defence ministry said its aircraft and Syrian troops had killed more than 400 militants since the "
    "offensive began, a figure that could not be independently verified. The rebels said they had seized several "
    "villages on the road to Aleppo and that dozens of government soldiers had been killed. "
    "Columns of smoke rose over the town as families fled north towards the Turkish border."
)
REPRINT_CREDITED = WIRE_TEXT.replace("Thursday in the heaviest", "Thursday, in the heaviest")
REPRINT_UNCREDITED = (
    WIRE_TEXT.replace("SARAQIB, Syria (Reuters) - ", "")
    + " The town sits on the main highway linking Damascus and Aleppo."
)
MONITOR_TEXT = (
    "The Syrian Observatory for Human Rights has documented the deaths of 47 people in the battles that erupted at "
    "dawn on the Saraqib front between government forces and factions led by Hayat Tahrir al-Sham. Sources of the "
    "Observatory reported intense Russian air strikes on the villages east of the town."
)
RUSSIA_TEXT = (
    "On November 28 units of the Syrian Arab Army supported by the Russian Aerospace Forces repelled attacks of "
    "terrorist formations in the Saraqib area of Idlib province. Over the past day more than 400 militants were "
    "eliminated and dozens of pieces of equipment destroyed."
)
HTS_TEXT = (
    "Our forces liberated positions of the regime militias around Saraqib today and killed more than 60 soldiers of "
    "the criminal regime. Twelve of our heroic fighters were martyred in the battle."
)


def _event(event_id: str, claims: list[str], notes: str, **over) -> dict:
    ev = {"event_id": event_id, "event_date": DAY, "time_precision": 1, "event_type": "Battles",
          "sub_event_type": "Armed clash", "actor1": HTS, "inter1": "Rebel group", "actor2": SYRIA_ARMY,
          "assoc_actor_2": RUSSIA, "inter2": "State forces", **SARAQIB, "fatalities": 0, "claims": claims,
          "evidence": [{"start": 0, "end": 80}], "notes": notes}
    ev.update(over)
    return ev


def _claim(cid: str, text: str, full: str, speaker=None, actor=None, figures=(), kind="reported") -> dict:
    start = full.index(text)
    return {"claim_id": cid, "kind": kind, "speaker": speaker, "speaker_actor": actor, "cue": "said",
            "text": text, "start": start, "end": start + len(text), "hedged": False, "figures": list(figures)}


def _killed(count, qualifier="exact", victims=None, victim_actor=None) -> dict:
    return {"count": count, "qualifier": qualifier, "category": "killed", "victims": victims,
            "victim_actor": victim_actor}


def _wire_like(doc_id: str, text: str, outlet: str, url: str, published=DAY) -> DocumentResult:
    claims = [
        _claim("c1", "At least 45 people were killed in the clashes", text, SOHR, SOHR,
               [_killed(45, "at_least", "people")]),
        _claim("c2", "its aircraft and Syrian troops had killed more than 400 militants", text,
               "Russia's defence ministry", RUSSIA, [_killed(400, "over", "militants", HTS)]),
    ]
    event = _event("e1", ["c1", "c2"], "On 28 November 2024, HTS fighters clashed with Syrian forces around Saraqib.")
    return DocumentResult.model_validate({
        "id": doc_id, "article": {"url": url, "published": published, "outlet": outlet, "text": text},
        "events": [event], "claims": claims,
        "actors": [{"name": HTS, "aliases_seen": ["Hayat Tahrir al-Sham"], "inter": "Rebel group", "country": "Syria"},
                   {"name": SYRIA_ARMY, "aliases_seen": ["Syrian troops"], "inter": "State forces", "country": "Syria"}],
        "places": [{"mention": "Saraqib", "start": 0, "end": 7, "name": "Saraqib", "geonameid": 163345, "country": "SY",
                    "admin1": "Idlib", "latitude": 35.8644, "longitude": 36.8006, "feature": "town"}],
    })


def cluster_results() -> list[DocumentResult]:
    """Six reports of one clash (see the module docstring)."""
    wire = _wire_like("wire", WIRE_TEXT, "reuters.com", "https://www.reuters.com/world/middle-east/saraqib-clash")
    credited = _wire_like("reprint-credited", REPRINT_CREDITED, "dailystar.example",
                          "https://dailystar.example/news/saraqib")
    uncredited = _wire_like("reprint-uncredited", REPRINT_UNCREDITED, "gulfpost.example",
                            "https://gulfpost.example/world/saraqib", published="2024-11-29")
    monitor = DocumentResult.model_validate({
        "id": "monitor", "article": {"url": "https://syriahr.example/en/1", "published": DAY, "outlet": "syriahr.example",
                                     "text": MONITOR_TEXT},
        "events": [_event("e1", ["c1"], "SOHR documented 47 deaths on the Saraqib front.", event_date="2024-11-28",
                          latitude=35.87, longitude=36.82, geo_precision=2)],
        "claims": [_claim("c1", "documented the deaths of 47 people", MONITOR_TEXT, SOHR, SOHR,
                          [_killed(47, "exact", "people")], kind="assertion")],
    })
    russia = DocumentResult.model_validate({
        "id": "russia-mod", "article": {"url": "https://mod.example/news/1", "published": DAY, "outlet": "mod.example",
                                        "text": RUSSIA_TEXT},
        "events": [_event("e1", ["c1"], "Russian MoD: attacks repelled near Saraqib.", actor1=SYRIA_ARMY,
                          inter1="State forces", assoc_actor_1=RUSSIA, actor2=HTS, inter2="Rebel group",
                          assoc_actor_2=None, admin2=None, location="Idlib", latitude=35.93, longitude=36.63,
                          geo_precision=3)],
        "claims": [_claim("c1", "more than 400 militants were eliminated", RUSSIA_TEXT, "Ministry of Defence", RUSSIA,
                          [_killed(400, "over", "militants", HTS)], kind="assertion")],
    })
    hts = DocumentResult.model_validate({
        "id": "hts-statement", "article": {"url": None, "published": "2024-11-27", "outlet": "hts-channel.example",
                                           "text": HTS_TEXT},
        "events": [_event("e1", ["c1", "c2"], "HTS claims capture of positions near Saraqib.",
                          event_date="2024-11-27", latitude=35.86, longitude=36.79)],
        "claims": [
            _claim("c1", "killed more than 60 soldiers of the criminal regime", HTS_TEXT, "HTS", HTS,
                   [_killed(60, "over", "soldiers", SYRIA_ARMY)], kind="assertion"),
            _claim("c2", "Twelve of our heroic fighters were martyred", HTS_TEXT, "HTS", HTS,
                   [_killed(12, "exact", "fighters", HTS)], kind="assertion"),
        ],
    })
    return [wire, credited, uncredited, monitor, russia, hts]


def reports_of(results: list[DocumentResult]) -> list[Report]:
    from sitroom.merge import figures_from_claims
    out = []
    for r in results:
        wire = wire_of(r.article.text, r.article.outlet)
        info = ArticleInfo(doc_id=r.id, published=r.article.published, outlet=r.article.outlet,
                           source_group=source_group(r.id, r.article.outlet, wire), minhash=minhash(r.article.text))
        claims = {c.claim_id: c.model_dump() for c in r.claims}
        for ev in r.events:
            e = ev.model_dump()
            out.append(Report(article=info, event=e, figures=figures_from_claims(e, claims)))
    return out


@pytest.fixture(scope="module")
def merged():
    events = merge_reports(reports_of(cluster_results()))
    assert len(events) == 1
    return events[0]


def test_merge_cluster_is_one_event_with_every_report(merged):
    assert merged.event["reports"] == 6
    assert merged.event["doc_ids"] == sorted(["wire", "reprint-credited", "reprint-uncredited", "monitor",
                                              "russia-mod", "hts-statement"])
    assert len(merged.event["claims"]) == 10  # every report's claims, doc-qualified
    assert "hts-statement#c2" in merged.event["claims"]


def test_merge_cluster_counts_independent_sources(merged):
    # the wire and both reprints are one source; the monitor and each belligerent are one each
    assert merged.event["sources"] == 4
    assert merged.groups["reprint-credited"] == merged.groups["wire"] == "wire:reuters"
    assert merged.groups["reprint-uncredited"] == "wire:reuters"  # folded by near-identical text


def test_merge_cluster_fatalities_follow_the_credible_monitor(merged):
    ev = merged.event
    assert ev["fatalities"] == 47  # the monitor's own statement supersedes the wire's "at least 45"
    assert ev["fatalities_low"] == 47
    assert ev["fatalities_best"] == 47
    assert ev["fatalities_high"] == 400  # the Russian claim about the enemy's dead
    assert ev["contested"] is True


def test_merge_cluster_flags_partisan_figures(merged):
    figs = {f["provenance"]: f for f in merged.event["figures"]}
    assert figs[f"actor:state:russia"]["partisan"] and not figs["actor:state:russia"]["credible"]
    assert figs["actor:syrian observatory for human rights"]["credible"]
    assert figs["actor:syrian observatory for human rights"]["count"] == 47
    assert sorted(figs["actor:syrian observatory for human rights"]["doc_ids"]) == \
        ["monitor", "reprint-credited", "reprint-uncredited", "wire"]
    hts = [f for f in merged.event["figures"] if f["provenance"] == "actor:hayat tahrir al-sham"]
    assert {(f["count"], f["partisan"]) for f in hts} == {(60, True), (12, False)}  # own dead is an admission


def test_merge_cluster_takes_the_precise_place_and_the_common_date(merged):
    ev = merged.event
    assert (ev["location"], ev["geo_precision"], ev["admin1"]) == ("Saraqib", 1, "Idlib")
    assert ev["event_date"] == DAY
    assert ev["event_type"] == "Battles" and ev["sub_event_type"] == "Armed clash"
    assert {ev["actor1"], ev["actor2"]} == {HTS, SYRIA_ARMY}
    assert ev["assoc_actor_2" if ev["actor2"] == SYRIA_ARMY else "assoc_actor_1"] == RUSSIA  # allies stay with their side
    assert (ev["latitude"], ev["longitude"]) == (SARAQIB["latitude"], SARAQIB["longitude"])
    assert "6 reports from 4 independent sources" in ev["notes"]


def test_merge_is_independent_of_input_order():
    reports = reports_of(cluster_results())
    a = merge_reports(reports)
    b = merge_reports(list(reversed(reports)))
    assert [m.event for m in a] == [m.event for m in b]


@pytest.mark.parametrize("change, merges", [
    ({"event_date": "2024-11-30"}, False),                               # two days later
    ({"latitude": 36.2, "longitude": 37.15, "admin2": "Jebel Saman", "location": "Aleppo"}, False),  # ~60 km away
    ({"latitude": 35.95, "longitude": 36.9}, True),                      # ~13 km away
    ({"event_type": "Protests", "sub_event_type": "Peaceful protest"}, False),
    ({"event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike"}, True),
    ({"actor1": "Islamic State (Syria)", "actor2": "Syrian Democratic Forces", "assoc_actor_2": None}, False),
    ({"country": "Turkey", "iso": 792}, False),
])
def test_merge_compatibility_rules(change, merges):
    base = reports_of(cluster_results()[:1])[0]
    other = reports_of(cluster_results()[3:4])[0]
    other.event.update(change)
    assert compatible(base, other) is merges
    assert len(merge_reports([base, other])) == (1 if merges else 2)


def test_merge_keeps_one_articles_events_apart():
    r = reports_of(cluster_results()[:1])[0]
    twin = Report(article=r.article, event={**r.event, "event_id": "e2"}, figures=[])
    assert len(cluster_reports([r, twin])) == 2


@pytest.mark.parametrize("text, outlet, expected", [
    ("DAMASCUS (Reuters) - Fighting raged on.", None, "reuters"),
    ("KYIV, Ukraine (AP) — Drones struck the city overnight.", None, "ap"),
    ("Shelling continued on Monday.\n\n— AFP", None, "afp"),
    ("Troops advanced. Reporting by Jane Roe in Beirut; Editing by John Doe", None, "reuters"),
    ("Troops advanced, Reuters reported, citing officials.", None, None),  # citing the wire is not reprinting it
    ("Our own correspondent saw the damage.", "apnews.com", "ap"),
    ("Our own correspondent saw the damage.", "example.com", None),
])
def test_merge_wire_credit(text, outlet, expected):
    assert wire_of(text, outlet) == expected


def test_merge_minhash_separates_reprints_from_rewrites():
    assert jaccard(minhash(WIRE_TEXT), minhash(REPRINT_UNCREDITED)) >= 0.5
    assert jaccard(minhash(WIRE_TEXT), minhash(MONITOR_TEXT)) < 0.2
    assert minhash("") == "" and jaccard("", minhash(WIRE_TEXT)) == 0.0


@pytest.mark.parametrize("a, b, same", [
    ("Military Forces of Russia (2000-)", "Russia", True),
    ("Government of Syria", "Military Forces of Syria (2000-2024)", True),
    ("Hayat Tahrir al-Sham", "Hayat Tahrir al-Sham (HTS)", True),
    ("Hayat Tahrir al-Sham", "Military Forces of Syria (2000-2024)", False),
    ("Syrian Observatory for Human Rights", "Military Forces of Syria (2000-2024)", False),
])
def test_merge_actor_sides(a, b, same):
    assert same_actor(a, b) is same
    assert (side_of(a) == side_of(b)) is same or same  # fuzzy matches may differ in spelling


def _fig(prov, count, partial=False, partisan=False, qualifier="exact", parts=None, high=None):
    return {"provenance": prov, "count": count, "high": high if high is not None else count, "qualifier": qualifier,
            "partial": partial, "partisan": partisan, "credible": not partisan,
            "parts": parts or ({"x": {"count": count, "high": count, "qualifier": qualifier}} if partial else {})}


@pytest.mark.parametrize("figures, fatalities, low, high, contested", [
    ([], None, None, None, False),
    ([_fig("a", 10), _fig("b", 11)], 10, 10, 11, False),                      # within tolerance: agree
    ([_fig("a", 10), _fig("b", 30)], 10, 10, 30, True),                       # ACLED: the lowest credible
    # "at least 10" allows 30, and 30 meets it: the early count of a toll that grew
    ([_fig("a", 10, qualifier="at_least"), _fig("b", 30)], 30, 10, 30, False),
    ([_fig("a", 20, qualifier="at_least"), _fig("b", 60, qualifier="at_least"), _fig("c", 84, qualifier="at_least"),
      _fig("d", 84)], 84, 20, 84, False),
    ([_fig("a", 84, qualifier="at_least"), _fig("b", 84, qualifier="at_least")], 84, 84, 84, False),
    ([_fig("a", 10, qualifier="at_least"), _fig("b", 30, partial=True)], 30, 10, 30, False),  # a part floors it
    ([_fig("a", 10), _fig("p", 300, partial=True, partisan=True)], 10, 10, 300, True),
    ([_fig("p", 300, partial=True, partisan=True)], 0, 0, 300, False),         # only a partisan figure: 0 .. 300
    ([_fig("a", 10), _fig("own", 20, partial=True)], 20, 10, 20, True),        # an admission floors the toll
])
def test_merge_fatality_spread(figures, fatalities, low, high, contested):
    spread = fatality_spread(figures)
    assert (spread["fatalities"], spread["fatalities_low"], spread["fatalities_high"], spread["contested"]) == \
        (fatalities, low, high, contested)


def test_merge_same_speaker_across_outlets_is_one_figure():
    reports = reports_of(cluster_results()[:3])
    m = build_event(reports)
    figs = provenance_figures(m.members, m.groups)
    sohr = [f for f in figs if "observatory" in f["provenance"]]
    assert len(sohr) == 1 and sohr[0]["count"] == 45 and sohr[0]["qualifier"] == "at_least"
    assert m.event["sources"] == 1 and m.event["reports"] == 3
    assert independent_groups(m.members) == m.groups


def test_merge_event_without_figures_keeps_zero():
    r = reports_of(cluster_results()[:1])[0]
    r.figures = []
    r.event["fatalities"] = 0
    m = build_event([r])
    assert (m.event["fatalities"], m.event["fatalities_high"], m.event["contested"]) == (0, 0, False)
