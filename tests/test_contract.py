"""The document contract: every stage reads and writes exactly the layers it declares.

Each stage runs on a `Doc` whose extension attributes record every read and write
(spaCy's `Underscore` is the one door to `doc._`), and the record is checked against
`sitroom.stages.registry.STAGES` both ways: no undeclared access, no declared read
that never happens. A pipeline in the wrong order must fail `analyze_pipes`.
"""
from __future__ import annotations

import contextlib
import tomllib
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc
from spacy.tokens.underscore import Underscore

from sitroom import document
from sitroom.pipeline import annotate_meta, extract_article
from sitroom.sources import RawDocument
from sitroom.stages.registry import BY_NAME, STAGE_NAMES, STAGES, register_stages

ROOT = Path(__file__).resolve().parents[1]

# written by the team to touch every layer: places, a dateline, dates, named and generic actors,
# a quote with a figure, a relation, an attack
TEXTS = [
    "MANDERA, Kenya, June 2 (Reuters) - Al Shabaab militants killed five police officers in an attack on "
    "a camp near Mandera on Sunday, the Kenyan army said.\n\n"
    "\"We repelled them and killed 12 of the attackers,\" army spokesman Paul Njuguna told reporters in "
    "Nairobi on Monday. Al Shabaab, which is backed by foreign fighters, fights the Somali government.",
    "Protesters marched through Kharkiv on Saturday. Police said 30 people were arrested. "
    "Russia-backed forces shelled Kupiansk the same day, local officials said.",
]


@contextlib.contextmanager
def recording():
    """Log every (action, name) on a Doc's extension attributes while the block runs."""
    log: list[tuple[str, str]] = []
    get, set_ = Underscore.__getattr__, Underscore.__setattr__

    def rec_get(self, name):
        if isinstance(self._obj, Doc):
            log.append(("read", name))
        return get(self, name)

    def rec_set(self, name, value):
        if isinstance(self._obj, Doc):
            log.append(("write", name))
        return set_(self, name, value)

    Underscore.__getattr__, Underscore.__setattr__ = rec_get, rec_set
    try:
        yield log
    finally:
        Underscore.__getattr__, Underscore.__setattr__ = get, set_


def _doc_before(nlp, text: str, stage: str) -> Doc:
    """The Doc as `stage` receives it: model, metadata and every earlier stage."""
    art = extract_article(RawDocument(id="t", source="t", format="text", content=text, published="2024-06-03"))
    with nlp.select_pipes(disable=list(STAGE_NAMES)):
        doc = nlp(art.text)
    annotate_meta(doc, art, "t")
    for name in STAGE_NAMES[:STAGE_NAMES.index(stage)]:
        doc = nlp.get_pipe(name)(doc)
    return doc


@pytest.fixture(scope="module")
def accesses(nlp):
    """stage -> (layers read, layers written) over every text."""
    seen = {}
    for name in STAGE_NAMES:
        reads, writes = set(), set()
        for text in TEXTS:
            doc = _doc_before(nlp, text, name)
            with recording() as log:
                nlp.get_pipe(name)(doc)
            reads |= {n for action, n in log if action == "read"}
            writes |= {n for action, n in log if action == "write"}
        seen[name] = (reads, writes)
    return seen


@pytest.mark.parametrize("name", STAGE_NAMES)
def test_contract_stage_reads_only_what_it_declares(accesses, name):
    reads, writes = accesses[name]
    stage = BY_NAME[name]
    assert reads - set(stage.reads) - set(stage.writes) == set(), f"{name} reads undeclared layers"
    assert writes - set(stage.writes) == set(), f"{name} writes undeclared layers"


@pytest.mark.parametrize("name", STAGE_NAMES)
def test_contract_stage_declares_nothing_it_does_not_use(accesses, name):
    reads, writes = accesses[name]
    stage = BY_NAME[name]
    assert set(stage.reads) - reads == set(), f"{name} declares reads it never makes"
    assert set(stage.writes) - writes == set(), f"{name} declares writes it never makes"


def test_contract_every_layer_is_declared_in_the_document_model():
    for stage in STAGES:
        assert set(stage.reads) | set(stage.writes) <= set(document.LAYERS)


def test_contract_each_read_is_written_by_an_earlier_stage_or_the_article_layer():
    written = {n for n, layer in document.LAYERS.items() if layer.meta}
    for stage in STAGES:
        assert set(stage.reads) <= written, stage.name
        written |= set(stage.writes)


def _pipeline(order: list[str]):
    register_stages()
    nlp = spacy.blank("en")
    for name in order:
        nlp.add_pipe(name)
    return nlp


def test_contract_the_default_order_has_no_problems():
    problems = _pipeline(list(STAGE_NAMES)).analyze_pipes()["problems"]
    assert not any(problems.values()), problems


@pytest.mark.parametrize("first,second", [("sitroom_places", "sitroom_actors"),
                                          ("sitroom_countries", "sitroom_actors"),
                                          ("sitroom_claims", "sitroom_relations"),
                                          ("sitroom_time", "sitroom_events")])
def test_contract_a_stage_before_a_layer_it_reads_fails_analyze_pipes(first, second):
    order = list(STAGE_NAMES)
    i, j = order.index(first), order.index(second)
    order[i], order[j] = order[j], order[i]
    problems = _pipeline(order).analyze_pipes()["problems"]
    assert problems[second], f"{second} before {first} went unnoticed"


def test_contract_entry_points_are_the_stage_list():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    declared = project["project"]["entry-points"]["spacy_factories"]
    assert declared == {stage.name: stage.entry_point for stage in STAGES}


def test_contract_entry_points_build_the_stages():
    from importlib import import_module
    for stage in STAGES:
        module, _, attr = stage.entry_point.partition(":")
        make = getattr(import_module(module), attr)
        assert make(spacy.blank("en"), stage.name).__class__ is stage.load_class()


def test_contract_layer_records_are_typed():
    for name, layer in document.LAYERS.items():
        if not layer.meta:
            assert layer.record is not None and layer.record.__annotations__, name
