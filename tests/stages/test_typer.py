"""The shipped sub-event typer: loads offline, rebuilds reproducibly, and with the rules types
house-written reports of every sub-event type and keeps non-events out."""
from __future__ import annotations

import zipfile

import numpy as np
import pytest

from sitroom import acled
from sitroom.stages.events import corpus, typer
from sitroom.stages.events.classify import classify_text


def decided(text: str) -> str | None:
    """The rules' label checked by the shipped typer (as `classify.type_group` does for one report)."""
    return typer.combine(classify_text(text), text)[0]


# ---------------------------------------------------------------- the shipped model
def test_shipped_typer_loads_offline_without_pickles():
    assert typer.SHIPPED.stat().st_size < 5_000_000
    with zipfile.ZipFile(typer.SHIPPED) as z:  # plain arrays only
        assert sorted(z.namelist()) == ["header.npy", "ids.npy", "weights.npy"]
    model = typer.load()
    assert set(model.labels) == set(acled.SUB_EVENT_TYPES) | {corpus.NONE}
    assert model.weights.shape == (len(model.ids), len(model.labels))
    assert model.meta["rules"] is True
    p = model.probs("Soldiers clashed with rebels near the town.", "Armed clash")
    assert p.shape == (len(model.labels),) and abs(float(p.sum()) - 1.0) < 1e-6


def test_load_rejects_other_files(tmp_path):
    bad = tmp_path / "x.npz"
    np.savez(bad, a=np.zeros(2))
    from sitroom.errors import ConfigError
    with pytest.raises(ConfigError, match="not a typer model"):
        typer.load(bad)
    with pytest.raises(ConfigError, match="not a typer model"):
        typer.load(tmp_path / "missing.npz")


# ---------------------------------------------------------------- the corpus and training
def test_corpus_covers_every_type_and_non_event_kind_and_is_fixed_by_its_seed():
    a = corpus.passages(seed=3, per_label=4, per_none=2)
    assert {p.label for p in a} == set(acled.SUB_EVENT_TYPES) | {corpus.NONE}
    kinds = {p.kind for p in a if p.label == corpus.NONE}
    assert {"none:accident", "none:natural_disaster", "none:crime", "none:diplomacy", "none:claim",
            "none:threat", "none:analysis", "none:history", "none:sport"} <= kinds
    assert a == corpus.passages(seed=3, per_label=4, per_none=2)
    assert a != corpus.passages(seed=4, per_label=4, per_none=2)
    assert all("{" not in p.text and "[" not in p.text.replace("[size=no report]", "") for p in a)


TINY = [("Troops clashed with rebels near the river.", "Armed clash"),
        ("Rebels and soldiers exchanged fire at the bridge.", "Armed clash"),
        ("Students marched peacefully to the ministry.", "Peaceful protest"),
        ("Teachers marched demanding their wages.", "Peaceful protest"),
        ("A flood swept away homes in the valley.", corpus.NONE),
        ("Heavy rains flooded the valley.", corpus.NONE)]


def test_training_is_reproducible(tmp_path):
    texts, labels = zip(*TINY)
    a = typer.train(texts, labels, seed=7, min_count=1, epochs=3)
    b = typer.train(texts, labels, seed=7, min_count=1, epochs=3)
    assert np.array_equal(a.ids, b.ids) and np.array_equal(a.weights, b.weights)
    c = typer.load(a.save(tmp_path / "t.npz"))
    assert c.labels == a.labels and np.allclose(c.weights, a.weights, atol=1e-2)
    assert a.predict("Soldiers clashed with rebels.")[0] == "Armed clash"
    assert a.predict("Floods swept the valley.")[0] == corpus.NONE


# ---------------------------------------------------------------- rules + typer on house-written texts
TYPED = [
    ("Government forces clashed with fighters of the Northern Front near Kalo on Monday, leaving six dead.", "Armed clash"),
    ("Militiamen and soldiers exchanged fire for two hours outside the district office.", "Armed clash"),
    ("The army said it had recaptured the town of Kalo from the rebels after three days of fighting.", "Government regains territory"),
    pytest.param("Rebels of the Northern Front seized the border town of Kalo after the army retreated under fire.",
                 "Non-state actor overtakes territory", marks=pytest.mark.xfail(
                     reason="the typer reads 'retreated' as a withdrawal without a fight (known miss)", strict=True)),
    ("The rebels entered Kalo without a fight after the garrison withdrew under a deal brokered by elders.", "Non-violent transfer of territory"),
    ("Doctors said 30 people were treated for choking after shells filled with chlorine gas hit the district.", "Chemical weapon"),
    ("A drone strike hit a house in Kalo overnight, killing a family of four.", "Air/drone strike"),
    ("Warplanes bombed the market in Kalo on Friday, killing nine traders.", "Air/drone strike"),
    ("A suicide bomber blew himself up at a checkpoint in Kalo, killing three policemen.", "Suicide bomb"),
    ("Rebels shelled residential districts of Kalo with artillery on Sunday, killing two civilians.", "Shelling/artillery/missile attack"),
    ("A roadside bomb exploded under a minibus near Kalo, killing five passengers.", "Remote explosive/landmine/IED"),
    ("Unknown attackers threw a grenade into a bar in Kalo, wounding seven people.", "Grenade"),
    ("Soldiers raped two women who had gone to fetch water near Kalo, a rights group said.", "Sexual violence"),
    ("Gunmen shot dead four farmers in their fields near Kalo on Tuesday.", "Attack"),
    ("Gunmen abducted twelve passengers from a bus on the road to Kalo.", "Abduction/forced disappearance"),
    ("Hundreds of nurses marched peacefully through Kalo demanding unpaid salaries.", "Peaceful protest"),
    ("Police fired tear gas to disperse traders protesting against a new market tax in Kalo.", "Protest with intervention"),
    ("Security forces opened fire on peaceful demonstrators in Kalo, killing five of them.", "Excessive force against protesters"),
    ("Protesters burned tyres and stoned police officers in Kalo during a demonstration over fuel prices.", "Violent demonstration"),
    ("An angry mob lynched a man accused of stealing a motorcycle in Kalo.", "Mob violence"),
    ("The government and the Northern Front signed a ceasefire agreement in the capital on Friday.", "Agreement"),
    ("Police arrested the opposition leader at his home in Kalo on charges of treason.", "Arrests"),
    ("The Northern Front announced its merger with a rival armed group on Saturday.", "Change to group/activity"),
    ("Soldiers defused a roadside bomb planted on the road to Kalo.", "Disrupted weapons use"),
    ("Air defences shot down four drones over Kalo overnight, the military said.", "Disrupted weapons use"),
    ("The rebels set up a new base in the hills above Kalo, residents said.", "Headquarters or base established"),
    ("Gunmen looted shops and set fire to the market in Kalo, but no one was hurt.", "Looting/property destruction"),
]
NOT_EVENTS = [
    ("Floods killed 14 people and destroyed hundreds of homes in the river valley on Monday.", "disaster"),
    ("A fire gutted a textile factory in Kalo, killing three workers.", "accident"),
    ("A gas explosion at a chemical plant in Kalo injured nine workers.", "accident"),
    ("A bus collided with a truck near Kalo, killing 11 passengers.", "accident"),
    ("Customs officers seized cocaine worth two million dollars at the port.", "crime"),
    ("The foreign minister met his counterpart in the capital to discuss trade and energy.", "diplomacy"),
    ("The court sentenced a former commander to 20 years for the 2019 massacre in Kalo.", "court case"),
    ("The Northern Front claimed responsibility for last week's attack in a statement posted online.", "claim"),
    ("The rebels threatened to attack Kalo unless the army withdraws.", "threat"),
    ("Analysts say the insurgency is unlikely to end soon because of deep land disputes.", "analysis"),
    ("Residents commemorated the tenth anniversary of the massacre in Kalo on Sunday.", "anniversary"),
    ("The home side beat the champions 2-1 in the derby on Saturday.", "sport"),
]


@pytest.mark.parametrize("text,expected", TYPED)
def test_rules_and_typer_type_every_sub_event_type(text, expected):
    assert decided(text) == expected


def test_typer_alone_reads_non_events_as_none():
    model = typer.shipped()
    wrong = [(kind, text) for text, kind in NOT_EVENTS
             if model.predict(text, classify_text(text))[0] != corpus.NONE]
    assert len(wrong) <= 2, wrong


def test_combination_modes():
    text = "Soldiers defused a roadside bomb planted on the road to Kalo."
    assert typer.combine("Remote explosive/landmine/IED", text, how=typer.Combination(mode="rules")) == (
        "Remote explosive/landmine/IED", "rules")
    assert typer.combine("Remote explosive/landmine/IED", text, how=typer.Combination(
        keep=frozenset({"Remote explosive/landmine/IED"}))) == ("Remote explosive/landmine/IED", "rules")
    assert typer.combine(None, "Nothing happened today.", how=typer.Combination(alone=0.99))[0] is None
    flood = "Floods killed 14 people and destroyed hundreds of homes in the river valley on Monday."
    assert typer.combine("Attack", flood, how=typer.Combination(veto=0.5))[0] is None
