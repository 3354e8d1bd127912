"""The public API: the flat `sitroom` namespace is exactly what `__all__` says, and every name works."""
from __future__ import annotations

import inspect
import subprocess
import sys

import sitroom
from sitroom import errors, pipeline, records, sources

EXPECTED = sorted([
    # functions
    "extract", "iter_documents", "load_pipeline", "open", "process", "to_records",
    # inputs and records
    "RawDocument", "DocumentResult", "Article", "Link", "Image", "Event", "Evidence", "Claim", "Figure",
    "Actor", "Place", "Relation", "Timex", "Database",
    # errors
    "SitroomError", "ConfigError", "InputError", "UnsupportedInput", "ExtractionFailed", "DataFileError",
    "PipelineError", "StoreError", "SchemaVersionError", "MissingExtra",
    "__version__",
])
FUNCTIONS = ["extract", "iter_documents", "load_pipeline", "open", "process", "to_records"]


def test_api_surface_all_is_exact_and_sorted():
    assert sitroom.__all__ == EXPECTED


def test_api_surface_every_name_resolves():
    for name in sitroom.__all__:
        assert getattr(sitroom, name) is not None, name
    assert set(sitroom.__all__) <= set(dir(sitroom))


def test_api_surface_functions_have_docstrings_and_real_signatures():
    for name in FUNCTIONS:
        fn = getattr(sitroom, name)
        assert inspect.isfunction(fn) and (fn.__doc__ or "").strip(), name
        kinds = {p.kind for p in inspect.signature(fn).parameters.values()}
        assert not kinds & {inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD}, name


def test_api_surface_wrappers_match_what_they_call():
    """The flat functions take the parameters of the functions they stand for."""
    for public, real in [(sitroom.process, pipeline.process), (sitroom.to_records, pipeline.to_records),
                         (sitroom.load_pipeline, pipeline.load_pipeline),
                         (sitroom.iter_documents, sources.iter_documents)]:
        assert list(inspect.signature(public).parameters) == list(inspect.signature(real).parameters), public


def test_api_surface_types_are_the_modules_own():
    assert sitroom.DocumentResult is records.DocumentResult and sitroom.Event is records.Event
    assert sitroom.RawDocument is sources.RawDocument
    assert sitroom.DataFileError is errors.DataFileError
    for name in sitroom.__all__:
        value = getattr(sitroom, name)
        if inspect.isclass(value) and issubclass(value, Exception):
            assert issubclass(value, sitroom.SitroomError), name


def test_api_surface_import_is_cheap():
    """`import sitroom` loads neither spaCy nor pydantic: a CLI's --help and a notebook import stay fast."""
    code = "import sys, sitroom; print(sorted(m for m in ('spacy', 'pydantic', 'duckdb') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_api_surface_extract_and_iter_documents(nlp, tmp_path):
    (tmp_path / "a.txt").write_text("Clashes broke out near Saraqib on Thursday, residents said.")
    (doc_id, raw), = list(sitroom.iter_documents([str(tmp_path)]))
    assert isinstance(raw, sitroom.RawDocument) and doc_id == str(tmp_path / "a.txt")
    result, = sitroom.process([(doc_id, raw)], nlp)
    assert isinstance(result, sitroom.DocumentResult) and result.error is None
    assert sitroom.extract(raw.content).article.text == result.article.text


def test_api_surface_records_keep_provenance_and_drop_working_keys():
    """`method` (which rule or resolver made a value) reaches the output; a stage's working keys do not."""
    place = {"mention": "Homs", "start": 0, "end": 4, "method": "ranked", "population": 652609}
    result = sitroom.DocumentResult(id="d", article=sitroom.Article(), places=[place],
                                    timexes=[{"text": "Monday", "start": 0, "end": 6, "source": "rules",
                                              "rule": "weekday", "anchor": "published"}])
    out = result.to_json_dict()
    assert out["places"][0]["method"] == "ranked" and "population" not in out["places"][0]
    assert (out["timexes"][0]["source"], out["timexes"][0]["rule"]) == ("rules", "weekday")
    assert "anchor" not in out["timexes"][0]
    for record in (sitroom.Event, sitroom.Claim, sitroom.Relation, sitroom.Place):
        assert "method" in record.model_fields, record
