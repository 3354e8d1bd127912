"""The pipeline: stage registration and order, the model fallback, per-document isolation."""
from __future__ import annotations

import warnings

import pytest

from sitroom.pipeline import ModelMissingWarning, load_language, load_pipeline, process
from sitroom.sources import RawDocument
from sitroom.stages.registry import STAGE_NAMES

TEXT = "Gunmen attacked a village near Mopti on Sunday, killing five civilians, the army said."


def _raw(i: int, text: str = TEXT) -> tuple[str, RawDocument]:
    return f"d{i}", RawDocument(id=f"d{i}", source=f"d{i}", format="text", content=text, published="2024-06-03")


def test_pipeline_stages_in_order_after_the_model(nlp):
    names = nlp.pipe_names
    assert [n for n in names if n.startswith("sitroom_")] == list(STAGE_NAMES)
    assert names.index("sitroom_places") > names.index("ner")


def test_pipeline_analyze_has_no_problems(nlp):
    analysis = nlp.analyze_pipes()
    assert not any(analysis["problems"].values()), analysis["problems"]


def test_pipeline_missing_model_falls_back_with_one_warning():
    with pytest.warns(ModelMissingWarning, match="sitroom\\[model\\]"):
        blank = load_language("no_such_model_for_sitroom_tests")
    assert "sentencizer" in blank.pipe_names
    doc = blank(TEXT)
    assert len(list(doc.sents)) == 1


def test_pipeline_runs_without_the_model():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ModelMissingWarning)
        nlp = load_pipeline("no_such_model_for_sitroom_tests")
    (res,) = list(process([_raw(0)], nlp=nlp))
    assert res.error is None
    assert res.article.text == TEXT


def test_pipeline_a_failing_stage_marks_only_its_document(nlp, monkeypatch):
    events = nlp.get_pipe("sitroom_events")
    real = type(events).__call__

    def flaky(self, doc):
        if "explode" in doc.text:
            raise RuntimeError("boom")
        return real(self, doc)

    monkeypatch.setattr(type(events), "__call__", flaky)
    out = list(process([_raw(0), _raw(1, "This will explode the events stage."), _raw(2)], nlp=nlp))
    assert [r.id for r in out] == ["d0", "d1", "d2"]
    assert out[0].error is None and out[2].error is None
    assert "stage sitroom_events failed" in out[1].error and "boom" in out[1].error
    assert out[1].article.text  # the article is kept
    assert not (out[1].places or out[1].actors or out[1].claims or out[1].events)  # no partial layers


def test_pipeline_every_offset_points_into_article_text(nlp):
    (res,) = list(process([_raw(0)], nlp=nlp))
    text = res.article.text
    for group in (res.places, res.timexes, res.claims):
        for rec in group:
            assert 0 <= rec.start < rec.end <= len(text)
    for p in res.places:
        assert text[p.start:p.end] == p.mention
    for t in res.timexes:
        assert text[t.start:t.end] == t.text
    for e in res.events:
        for ev in e.evidence:
            assert 0 <= ev.start < ev.end <= len(text)


def test_pipeline_line_breaks_end_sentences(nlp):
    from sitroom.pipeline import make_doc
    from sitroom.records import Article
    text = "Statement on attacks in the north\n\nPublished 2 June 2025\n\nThe group condemns the attack."
    doc = make_doc(nlp, Article(text=text), "d")
    assert [s.text.strip() for s in doc.sents] == [
        "Statement on attacks in the north", "Published 2 June 2025", "The group condemns the attack."]


def test_pipeline_an_unknown_stage_is_a_pipeline_error():
    from sitroom.errors import PipelineError
    with pytest.raises(PipelineError, match="unknown stage 'sitroom_nonesuch'"):
        load_pipeline(stages=("sitroom_places", "sitroom_nonesuch"))


def test_pipeline_a_document_over_its_time_budget_is_its_error(nlp, monkeypatch):
    """A stage that runs past the budget on one document: that document's error, no layers; the rest go on."""
    import time
    places = nlp.get_pipe("sitroom_places")
    real = type(places).__call__

    def slow(self, doc):
        if "slowly" in doc.text:
            time.sleep(3.5)
        return real(self, doc)

    monkeypatch.setattr(type(places), "__call__", slow)
    out = list(process([_raw(0), _raw(1, "This one reads slowly in Kano."), _raw(2)], nlp=nlp, budget_s=3))
    assert [r.id for r in out] == ["d0", "d1", "d2"]
    assert out[0].error is None and out[2].error is None and out[2].events
    assert out[1].error.startswith("d1: over the 3 s time budget per document (")
    assert "by the end of stage sitroom_places" in out[1].error
    assert not (out[1].places or out[1].events or out[1].claims)  # no partial layers
    assert out[1].article.text == "This one reads slowly in Kano."


@pytest.mark.parametrize("value", ["-1", "nan", "0", "inf"])
def test_pipeline_doc_budget_that_limits_nothing_is_one_clear_error(invoke, value):
    out = invoke("extract", "-", "--input-format", "jsonl", "--doc-budget", value, input='{"id": "a", "text": "x"}\n')
    assert out.exit_code != 0 and "Traceback" not in out.stderr
    assert out.stderr.strip().splitlines()[-1].startswith(
        "sitroom: error: the time budget per document (--doc-budget) must be a positive number of seconds, got ")
