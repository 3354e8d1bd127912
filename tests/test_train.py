"""`sitroom train`: a classifier learned from an ACLED-like CSV, saved as JSON, used by extract."""
from __future__ import annotations

import csv
import json

import pytest
import spacy
from click.testing import CliRunner

from sitroom import document  # noqa: F401 - registers the Doc extensions
from sitroom.cli import cli
from sitroom.stages.events import EventsStage
from sitroom.stages.events import model as em

# A tiny, house-written "export" in which the coder files every shooting of a guard as
# "Armed clash" and every march as "Peaceful protest".
ROWS = [
    ("Guards at the mine were shot at by unknown men.", "Armed clash"),
    ("Unknown men shot at guards protecting the depot.", "Armed clash"),
    ("A guard was shot at the warehouse gate by unknown men.", "Armed clash"),
    ("Security guards came under gunfire near the depot.", "Armed clash"),
    ("Nurses marched through the town demanding unpaid wages.", "Peaceful protest"),
    ("Teachers marched to the ministry demanding their wages.", "Peaceful protest"),
    ("Hundreds of workers marched peacefully demanding wages.", "Peaceful protest"),
    ("Farmers marched to the county office demanding payment.", "Peaceful protest"),
    ("Police arrested two traders for smuggling weapons.", "Arrests"),
    ("Police arrested a man suspected of supplying guns.", "Arrests"),
    ("Three youths were arrested by police at a roadblock.", "Arrests"),
    ("Police arrested four men for illegal possession of arms.", "Arrests"),
]


@pytest.fixture()
def export(tmp_path):
    path = tmp_path / "acled.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, ["event_id_cnty", "event_type", "sub_event_type", "notes"])
        w.writeheader()
        for i, (notes, sub) in enumerate(ROWS):
            w.writerow({"event_id_cnty": f"X{i}", "event_type": "", "sub_event_type": sub, "notes": notes})
    return path


def test_train_cli_writes_json_model(export, tmp_path):
    out = tmp_path / "model"
    res = CliRunner().invoke(cli, ["train", "--acled", str(export), "--out", str(out)])
    assert res.exit_code == 0, res.output
    data = json.loads((out / em.MODEL_FILE).read_text())
    assert data["format"] == em.FORMAT and data["kind"] == "logreg"
    assert set(data["labels"]) == {"Armed clash", "Peaceful protest", "Arrests"}
    model = em.load_model(out)
    assert model.predict("Unknown men shot at a guard at the depot.") == "Armed clash"
    assert model.predict("Workers marched demanding wages.") == "Peaceful protest"


@pytest.mark.parametrize("kind", ["logreg", "nb"])
def test_train_learns_the_coders_convention(kind):
    texts, labels = zip(*ROWS)
    model = em.train(texts, labels, kind=kind, min_count=1)
    assert em.accuracy(model, texts, labels) == 1.0


def test_train_holdout_reports_accuracy(export, tmp_path):
    res = CliRunner().invoke(cli, ["train", "--acled", str(export), "--out", str(tmp_path / "m"),
                                   "--holdout", "0.25", "--kind", "nb"])
    assert res.exit_code == 0, res.output
    assert "holdout: n=3 model_accuracy=" in res.output


def test_train_rejects_csv_without_acled_columns(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("a,b\n1,2\n")
    res = CliRunner().invoke(cli, ["train", "--acled", str(path), "--out", str(tmp_path / "m")])
    assert res.exit_code != 0 and "notes" in res.output


def test_train_model_types_events_in_the_stage(export, tmp_path):
    out = tmp_path / "model"
    assert CliRunner().invoke(cli, ["train", "--acled", str(export), "--out", str(out)]).exit_code == 0
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    doc = nlp("Unknown men shot at two guards at the depot on Monday.")
    doc._.published = "2024-05-07"
    with_model = EventsStage(nlp, "sitroom_events", model_dir=str(out))(doc)._.events
    assert with_model[0]["sub_event_type"] == "Armed clash" and with_model[0]["method"] == "model"
    rules = EventsStage(nlp, "sitroom_events")(doc)._.events
    assert rules[0]["method"] == "rules"


def test_train_load_model_rejects_other_files(tmp_path):
    (tmp_path / em.MODEL_FILE).write_text(json.dumps({"format": "something else"}))
    from sitroom.errors import ConfigError
    with pytest.raises(ConfigError, match="not an event-type model"):
        em.load_model(tmp_path)


def test_train_from_shipped_adds_the_users_rows_to_the_team_corpus(export, tmp_path, monkeypatch):
    """`--from-shipped`: the typer retrained on the corpus plus the export, used by extract --model."""
    from sitroom.stages.events import corpus, typer

    monkeypatch.setattr(corpus, "PER_LABEL", 6)  # a small corpus keeps the test quick
    monkeypatch.setattr(corpus, "PER_NONE_KIND", 3)
    out = tmp_path / "typer"
    res = CliRunner().invoke(cli, ["train", "--acled", str(export), "--from-shipped", "--out", str(out)])
    assert res.exit_code == 0, res.output
    model = typer.load(out / typer.MODEL_FILE)
    assert model.meta["examples"] == 25 * 6 + 9 * 3 + len(ROWS) and corpus.NONE in model.labels
    stage = EventsStage(spacy.blank("en"), "sitroom_events", model_dir=str(out))
    assert stage.typer is not None and stage.model is None


def test_train_needs_an_export_or_the_corpus():
    res = CliRunner().invoke(cli, ["train"])
    assert res.exit_code != 0 and "--acled" in res.output
