"""Claims stage: who says what, for which side, with which figures.

Passages are written for these tests in the styles the stage meets: a wire report, a
partisan outlet, a monitoring group's statement and a live blog.  People and groups
in them are invented.
"""
from __future__ import annotations

import json

import pytest

from layer_records import record
from sitroom import document  # noqa: F401 - registers the Doc extensions
from sitroom.datafiles import data_path
from sitroom.document import ActorMention
from sitroom.errors import DataFileError
from sitroom.stages.claims import ClaimsStage
from sitroom.stages.claims import cues
from sitroom.stages.claims.quotes import find_quotes

WIRE = (
    "KHARKIV, March 3 - Shelling killed two soldiers and three civilians in the region overnight, "
    "the regional governor said on Sunday. \"The enemy struck residential buildings in the centre,” "
    "Governor Petro Marchenko wrote on Telegram. “Rescue work is continuing.” "
    "The defence ministry in Moscow denied that its forces had targeted civilians. "
    "According to the ministry, up to 50 servicemen were neutralised near the river."
)
PARTISAN = (
    "Following a large assault on March 1, it was reported that over 200 militants were killed in the "
    "first day of fighting. The losses were reported by the deputy head of the Northern Command, "
    "Colonel Ivan Dorokhov, who stated: \"Armed groups attacked our positions at dawn. At least 200 "
    "militants were eliminated.” The figures appear credible given the group's past losses. "
    "Reports have indicated that foreign advisors supporting the assault have also been killed. "
    "It has been speculated that the army may go on to retake the valley."
)
MONITOR = (
    "The Valley Monitoring Network said on Tuesday that at least 12 civilians, including four "
    "children, were killed in airstrikes on the market. The group's director, Amal Haddad, told "
    "reporters that dozens of people were wounded. She added that hundreds of families had fled."
)
LIVEBLOG = (
    "10:45 a.m.\n\n"
    "“We will respond to every attack on our villages,” said Lieutenant Sara Okoye, a spokeswoman "
    "for the Coastal Brigade. “Our units are ready.”\n\n"
    "“I saw the smoke from my window and ran to the shelter with my children.” ― Maria Lopez\n\n"
    "The brigade is expected to move north by the end of the week."
)


def _claims(nlp, text: str, outlet: str | None = "example-news.com", mentions: list[dict] | None = None):
    doc = nlp(text)
    doc._.article = {"outlet": outlet}
    doc._.actor_mentions = [record(ActorMention, **m) for m in mentions or []]
    return ClaimsStage(nlp, "sitroom_claims")(doc)._.claims


def _find(claims, needle: str) -> dict:
    hits = [c for c in claims if needle in c["text"]]
    assert hits, f"no claim with {needle!r} in {[c['text'] for c in claims]}"
    return hits[0]


# ---------------------------------------------------------------- quotes

@pytest.mark.parametrize("text, expected", [
    ('He said: "At least 400 militants were eliminated.” Then he left.',
     ['"At least 400 militants were eliminated.”']),
    ("“We will not retreat,” she said.", ["“We will not retreat,”"]),
    ("”Fear. I am afraid.” ― A. Reader", ["”Fear. I am afraid.”"]),
    ("''We never edited it,'' he told me.", ["''We never edited it,''"]),
    ("“First paragraph goes on\n“and ends here.”\nNo quote.", ["“First paragraph goes on\n“and ends here.”"]),
])
def test_claims_quotes_pair_mixed_marks(text, expected):
    assert [text[q.start:q.end] for q in find_quotes(text)] == expected


def test_claims_quote_with_role_and_party(spacy_model):
    mentions = [{"start": PARTISAN.index("Northern Command"), "end": PARTISAN.index("Northern Command") + 16,
                 "text": "Northern Command", "actor": "Military Forces of Examplia", "inter": "State forces",
                 "country": "Examplia"}]
    claims = _claims(spacy_model, PARTISAN, mentions=mentions)
    q = _find(claims, "were eliminated")
    assert q["kind"] == "quote"
    assert q["speaker"] == "Ivan Dorokhov"
    assert "Colonel" in q["speaker_role"] and "Northern Command" in q["speaker_role"]
    assert q["speaker_actor"] == "Military Forces of Examplia"
    assert q["cue"] == "stated"
    fig = q["figures"][0]
    assert (fig["count"], fig["qualifier"], fig["category"], fig["victims"]) == (200, "at_least", "killed", "militants")


def test_claims_quote_split_by_cue_is_one_claim(spacy_model):
    claims = _claims(spacy_model, LIVEBLOG)
    q = _find(claims, "We will respond")
    assert "Our units are ready" in q["text"]
    assert q["speaker"] == "Sara Okoye"
    assert "spokeswoman" in q["speaker_role"]
    assert q["cue"] == "said"


def test_claims_dash_source_after_quote(spacy_model):
    q = _find(_claims(spacy_model, LIVEBLOG), "I saw the smoke")
    assert (q["kind"], q["speaker"], q["cue"]) == ("quote", "Maria Lopez", "―")


def test_claims_quote_over_paragraphs(spacy_model):
    text = ("The commander, Yusuf Bello, said: “We held the bridge for three days.\n"
            "“Nobody expected the second wave.”")
    q = _find(_claims(spacy_model, text), "held the bridge")
    assert "second wave" in q["text"] and q["speaker"] == "Yusuf Bello"


# ---------------------------------------------------------------- reported speech

@pytest.mark.parametrize("text, needle, speaker, cue", [
    (WIRE, "killed two soldiers", "the regional governor", "said"),
    (WIRE, "its forces had targeted civilians", "The defence ministry in Moscow", "denied"),
    (WIRE, "up to 50 servicemen", "the ministry", "According to"),
    (MONITOR, "at least 12 civilians", "The Valley Monitoring Network", "said"),
    (MONITOR, "dozens of people were wounded", "Amal Haddad", "told"),
    ("Officials have repeatedly claimed that the convoy carried only food.", "the convoy carried", "Officials",
     "have repeatedly claimed"),
])
def test_claims_indirect_speech(spacy_model, text, needle, speaker, cue):
    c = _find(_claims(spacy_model, text), needle)
    assert c["kind"] == "reported"
    assert c["speaker"] == speaker
    assert c["cue"] == cue


@pytest.mark.parametrize("text, needle, cue", [
    (PARTISAN, "over 200 militants were killed", "was reported"),
    (PARTISAN, "foreign advisors", "have indicated"),
    ("The army was reported on Friday to have launched a counteroffensive near the dam.", "counteroffensive",
     "was reported"),
])
def test_claims_agentless_reporting_has_no_speaker(spacy_model, text, needle, cue):
    c = _find(_claims(spacy_model, text), needle)
    assert (c["kind"], c["speaker"], c["cue"], c["hedged"]) == ("reported", None, cue, True)


def test_claims_speaker_continuity_fills_role_and_party(spacy_model):
    mentions = [{"start": MONITOR.index("Valley"), "end": MONITOR.index("Valley") + 24,
                 "text": "Valley Monitoring Network", "actor": "Valley Monitoring Network", "inter": None,
                 "country": None}]
    claims = _claims(spacy_model, MONITOR, mentions=mentions)
    added = _find(claims, "hundreds of families")
    assert added["speaker"] == "She"  # as written
    assert added["speaker_resolved"] == "Amal Haddad"
    assert added["cue"] == "added"


# ---------------------------------------------------------------- the outlet's voice

def test_claims_outlet_assessment(spacy_model):
    c = _find(_claims(spacy_model, PARTISAN, outlet="partisan.example"), "appear credible")
    assert (c["kind"], c["speaker"], c["speaker_actor"]) == ("assessment", None, "partisan.example")


@pytest.mark.parametrize("text, needle", [
    (PARTISAN, "the army may go on"),
    (LIVEBLOG, "The brigade is expected to move north"),
])
def test_claims_speculation(spacy_model, text, needle):
    c = _find(_claims(spacy_model, text), needle)
    assert c["kind"] == "speculation" and c["hedged"]


def test_claims_outlet_assertion_with_a_figure(spacy_model):
    text = "Government aircraft bombed the market in Dara on Monday, killing 14 civilians."
    c = _find(_claims(spacy_model, text, outlet="wire.example"), "killing 14 civilians")
    assert (c["kind"], c["speaker"], c["speaker_actor"]) == ("assertion", None, "wire.example")
    assert c["figures"][0]["count"] == 14 and c["figures"][0]["victim_actor"] == "Civilians"


def test_claims_plain_sentence_is_not_a_claim(spacy_model):
    assert _claims(spacy_model, "The road runs north of the river through three villages.") == []


# ---------------------------------------------------------------- contract shape

@pytest.mark.parametrize("text", [WIRE, PARTISAN, MONITOR, LIVEBLOG])
def test_claims_offsets_ids_and_figures_point_into_the_text(spacy_model, text):
    claims = _claims(spacy_model, text)
    assert claims
    assert [c["claim_id"] for c in claims] == [f"c{i}" for i in range(1, len(claims) + 1)]
    for c in claims:
        assert text[c["start"]:c["end"]] == c["text"]
        assert c["kind"] in ("quote", "reported", "assessment", "speculation", "assertion")
        for f in c["figures"]:
            assert text[f["start"]:f["end"]] == f["text"]


# ---------------------------------------------------------------- without the spacy_model

@pytest.mark.parametrize("text, needle, kind, speaker, cue", [
    (WIRE, "killed two soldiers", "reported", "the regional governor", "said"),
    (PARTISAN, "At least 200", "quote", "Colonel Ivan Dorokhov", "stated"),
    (PARTISAN, "foreign advisors", "reported", None, "indicated"),
    (PARTISAN, "appear credible", "assessment", None, "appear credible"),
    (PARTISAN, "the army may go on", "speculation", None, "speculated"),
    (LIVEBLOG, "We will respond", "quote", "Lieutenant Sara Okoye", "said"),
    (WIRE, "up to 50 servicemen", "reported", "the ministry", "According to"),
])
def test_claims_without_model(blank_en, text, needle, kind, speaker, cue):
    c = _find(_claims(blank_en, text), needle)
    assert (c["kind"], c["speaker"], c["cue"]) == (kind, speaker, cue)


def test_claims_victims_side_from_the_group_the_claim_names(spacy_model):
    text = ('The army spokesman said: "The Free Hills Brigade attacked our posts at night. '
            'At least 30 militants were killed."')
    start = text.index("Free Hills Brigade")
    mentions = [{"start": start, "end": start + 18, "text": "Free Hills Brigade", "actor": "Free Hills Brigade",
                 "inter": "Rebel group", "country": None, "kind": "armed"}]
    fig = _find(_claims(spacy_model, text, mentions=mentions), "militants were killed")["figures"][0]
    assert (fig["count"], fig["victims"], fig["victim_actor"]) == (30, "militants", "Free Hills Brigade")


def test_claims_second_report_in_one_sentence_is_its_own_claim(spacy_model):
    text = "Officials in Kyiv said the strike killed two soldiers, adding that the toll could rise."
    claims = _claims(spacy_model, text)
    assert [(c["cue"], c["speaker"], c["text"]) for c in claims] == [
        ("said", "Officials in Kyiv", "the strike killed two soldiers"),
        ("adding", "Officials in Kyiv", "that the toll could rise"),
    ]
    assert claims[1]["hedged"] and not claims[0]["hedged"]


# ---------------------------------------------------------------- the cue file

def test_claims_cue_file_schema():
    """data/claims/cues.json: every list the stage reads holds lower-case words; it loads through the checks."""
    raw = json.loads(data_path(cues.CUES_FILE).read_text(encoding="utf-8"))
    lex = cues.lexicon()
    for key, words in raw.items():
        if key.startswith("_") or key == "phrasal":
            continue
        assert words and all(w == w.strip() and w == w.lower() for w in words), key
    assert lex.phrasal and all(lex.phrasal.values())
    assert cues.verb_forms()["said"] == "say"


@pytest.fixture
def cue_file(tmp_path, monkeypatch):
    """Point the lexicon at a scratch copy of the cue file; the cached lexicon is rebuilt after."""
    path = tmp_path / "cues.json"
    monkeypatch.setattr(cues, "CUES_FILE", path)
    cues.lexicon.cache_clear()
    yield path
    cues.lexicon.cache_clear()


@pytest.mark.parametrize("content, problem", [
    ('{"speech": ["say",]', "not valid JSON"),
    ('["say"]', "expected a JSON object"),
    ('{"speech": ["say"]}', "missing keys"),
])
def test_claims_broken_cue_file_raises_data_file_error(cue_file, content, problem):
    cue_file.write_text(content, encoding="utf-8")
    with pytest.raises(DataFileError, match=problem) as err:
        cues.lexicon()
    assert err.value.path == str(cue_file)


def test_claims_cue_file_with_a_mistyped_list_names_the_key(cue_file):
    raw = json.loads(data_path("claims", "cues.json").read_text(encoding="utf-8"))
    raw["hedges"] = "may"
    cue_file.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(DataFileError, match="'hedges' must be a list of strings"):
        cues.lexicon()


@pytest.mark.parametrize("text, speaker_actor", [
    ("Pakistan's information minister said Indian missiles struck a mosque in Muzaffarabad.",
     "Government of Pakistan (2024-)"),
    ("India's defence ministry said its forces hit nine sites in Pakistan.", "Military Forces of India (2014-)"),
    ("Nigeria's army spokesman said troops killed 20 Boko Haram fighters in Borno.",
     "Military Forces of Nigeria (2023-)"),
    ("Mali's transitional government said JNIM fighters attacked a convoy near Timbuktu.",
     "Government of Mali (2021-)"),
])
def test_claims_a_partys_office_speaks_for_that_party(nlp, text, speaker_actor):
    """A minister, ministry or army spokesman of a country speaks for that country (latest period: no date)."""
    doc = nlp(text)
    claims = [c for c in doc._.claims if c["speaker"]]
    assert claims and claims[0]["speaker_actor"] == speaker_actor
