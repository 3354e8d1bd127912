"""Every record of every layer has exactly the shape `sitroom.document` declares for it.

Consumers read required keys as `rec["key"]` without guards, so a producer that leaves
one out, writes an undeclared one, or writes a value of another type fails here first.
"""
from __future__ import annotations

import types
import typing

import pytest

from sitroom import document
from sitroom.pipeline import extract_article, make_doc, run_stages
from sitroom.sources import RawDocument

TEXTS = {
    "syria": ("2024-03-12", "Syria: airstrikes hit Idlib province\n\n"
              "IDLIB, March 11 (Reuters) - Russian warplanes struck the town of Maarat al-Numan in Idlib "
              "province on Sunday, killing at least 12 civilians, the Syrian Observatory for Human Rights said. "
              "Two days later, rebels of Hayat Tahrir al-Sham attacked Syrian army positions near Saraqib. "
              "Iran supports the Syrian government, while Turkey backs the rebels. "
              "\"We will not stop until Idlib is free,\" a rebel commander told Reuters."),
    "kenya": ("2023-07-20", "Police fired tear gas at protesters in Nairobi on Wednesday as demonstrations "
              "against tax increases spread to Kisumu and Mombasa. Kenyan police said 3 people were injured "
              "and 25 were arrested. Opposition leader Raila Odinga said the government had lost control. "
              "Late in the day, protesters burned tyres on the Thika road."),
    "sahel": ("2022-11-02", "Suspected JNIM militants ambushed a convoy of Malian soldiers near Boni, Mopti "
              "region, on October 30, according to local sources, who said about 20 soldiers were killed. "
              "Wagner Group fighters train the Malian army. The attack came a week after an IED killed "
              "five people in Burkina Faso."),
    "congo": ("2024-02-01", "Earlier in the day, M23 rebels shelled Goma, killing two civilians. Clashes with "
              "Congolese troops resumed near Sake, North Kivu."),
}


def _ok(value, tp) -> bool:
    """Does `value` have the annotated type `tp` (TypedDicts checked key by key)?"""
    return not _problems(value, tp, "")


def _problems(value, tp, where: str) -> list[str]:
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if typing.is_typeddict(tp):
        return typed_dict_problems(value, tp, where)
    if origin in (typing.Union, types.UnionType):
        return [] if any(_ok(value, a) for a in args) else [f"{where}: {value!r} is not {tp}"]
    if origin is typing.Literal:
        return [] if value in args else [f"{where}: {value!r} is not one of {args}"]
    if origin is list:
        if not isinstance(value, list):
            return [f"{where}: {value!r} is not a list"]
        return [p for i, v in enumerate(value) for p in _problems(v, args[0], f"{where}[{i}]")]
    if tp is type(None):
        return [] if value is None else [f"{where}: {value!r} is not None"]
    if tp in (int, float) and isinstance(value, bool):
        return [f"{where}: {value!r} is a bool, not {tp.__name__}"]
    return [] if isinstance(value, origin or tp) else [f"{where}: {value!r} is not {tp}"]


def typed_dict_problems(rec, td, where: str = "") -> list[str]:
    """Missing required keys, undeclared keys and mistyped values of one record."""
    if not isinstance(rec, dict):
        return [f"{where}: {rec!r} is not a dict"]
    hints = typing.get_type_hints(td)
    out = [f"{where}: missing {k!r}" for k in sorted(td.__required_keys__ - rec.keys())]
    out += [f"{where}: undeclared {k!r}" for k in sorted(rec.keys() - hints.keys())]
    for k in rec.keys() & hints.keys():
        out += _problems(rec[k], hints[k], f"{where}.{k}")
    return out


def test_checker_catches_shapes():
    good = {"text": "today", "start": 0, "end": 5, "type": "DATE", "value": "2024-01-01", "rule": "r",
            "source": "rules"}
    assert typed_dict_problems(good, document.TimexRecord) == []
    assert typed_dict_problems({**good, "anchor": False}, document.TimexRecord) == []
    assert typed_dict_problems({**good, "type": "WEEK"}, document.TimexRecord)
    assert typed_dict_problems({**good, "start": True}, document.TimexRecord)
    assert typed_dict_problems({**good, "extra": 1}, document.TimexRecord)
    assert typed_dict_problems({k: v for k, v in good.items() if k != "rule"}, document.TimexRecord)
    claim = {"claim_id": "c1", "kind": "reported", "speaker": None, "speaker_role": None, "speaker_actor": None,
             "cue": None, "text": "x", "start": 0, "end": 1, "hedged": False, "method": "pattern",
             "cue_start": None, "cue_end": None, "speaker_resolved": None,
             "figures": [{"count": "12"}]}
    problems = typed_dict_problems(claim, document.ClaimRecord)
    assert any(".figures[0].count" in p for p in problems) and any("missing 'qualifier'" in p for p in problems)


@pytest.fixture(scope="module")
def docs(nlp):
    out = {}
    for doc_id, (published, text) in TEXTS.items():
        raw = RawDocument(id=doc_id, source=doc_id, format="text", content=text, published=published)
        out[doc_id] = run_stages(nlp, make_doc(nlp, extract_article(raw), doc_id))
    return out


@pytest.mark.parametrize("name", [n for n, lay in document.LAYERS.items() if lay.record and not lay.meta])
def test_every_record_has_its_declared_shape(docs, name):
    td = document.LAYERS[name].record
    records = [(doc_id, i, rec) for doc_id, doc in docs.items() for i, rec in enumerate(getattr(doc._, name))]
    assert records, f"no {name} records: the texts should exercise every layer"
    problems = [p for doc_id, i, rec in records for p in typed_dict_problems(rec, td, f"{doc_id}:{name}[{i}]")]
    assert problems == []


def test_the_texts_exercise_the_optional_keys(docs):
    """The NotRequired keys and nested records appear, so their types are checked too."""
    def seen(name, key):
        return any(key in rec for doc in docs.values() for rec in getattr(doc._, name))
    assert seen("places", "seat") and seen("places", "demonym")
    assert seen("timexes", "date") and seen("timexes", "anchor")
    assert any(c["figures"] for doc in docs.values() for c in doc._.claims)
    assert any(doc._.relations for doc in docs.values())
