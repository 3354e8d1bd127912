"""The shared document contract: what each stage reads from and writes on a spaCy `Doc`.

Every stage sees the same `Doc` (whose `doc.text` *is* `article.text`, so every
character offset any stage emits points into the article text) and adds its layer:

* mention layers go in span groups, keyed by the constants below, so later stages
  can look them up by token position;
* record layers go in doc extensions as lists of plain dicts (msgpack-able, shaped
  like the records of `sitroom.records` / `../shared/eval/CONTRACT.md`, with
  character offsets).

A stage writes only its own layer, and a missing input layer is not an error:
the stage works with what is there.
"""
from __future__ import annotations

from spacy.tokens import Doc, Span

# span-group keys (mention layers)
PLACES = "sitroom_places"        # toponym mentions; span.label_ = feature kind
TIMEXES = "sitroom_timexes"      # temporal expressions; span.label_ = DATE|TIME|DURATION|SET
ACTORS = "sitroom_actors"        # actor mentions; span.label_ = canonical actor name
CLAIMS = "sitroom_claims"        # claim contents; span.label_ = kind

# doc extensions (record layers): list[dict] in contract shape, char offsets
DOC_LAYERS = ("places", "timexes", "actors", "claims", "relations", "events")

_DOC_EXTENSIONS = {
    "doc_id": None,        # str: the input's id
    "article": None,       # dict: Article.model_dump() minus text (url, title, published, outlet, links, images)
    "published": None,     # str 'YYYY-MM-DD' or None: the anchor for relative dates
    **{name: None for name in DOC_LAYERS},
    # list[dict]: every actor mention, for claims/events: {start, end, text, actor, inter,
    # home_inter, country, kind (armed/state/generic/ethnic/party/speaker/monitor/ngo/un), role, method}
    "actor_mentions": None,
}


def register_extensions() -> None:
    """Idempotent; runs on import so every stage can rely on the attributes."""
    for name, default in _DOC_EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    for name in ("place", "timex", "actor"):
        # per-span index into the matching doc-level record list
        if not Span.has_extension(f"{name}_index"):
            Span.set_extension(f"{name}_index", default=None)


register_extensions()


def text_of(doc: Doc) -> str:
    """`doc.text`, read once: spaCy joins every token each time the property is read."""
    text = doc.user_data.get("sitroom_text")
    if text is None:  # a Doc's text never changes (retokenizing keeps it)
        text = doc.user_data["sitroom_text"] = doc.text
    return text


def layer(doc: Doc, name: str) -> list[dict]:
    """The records of a layer, `[]` when the stage has not run."""
    return list(getattr(doc._, name) or [])


def char_span(doc: Doc, start: int, end: int, label: str = "") -> Span | None:
    """A token-aligned span covering the characters [start, end)."""
    return doc.char_span(start, end, label=label, alignment_mode="expand")


def sentence_of(doc: Doc, char: int) -> Span | None:
    """The sentence holding a character offset."""
    for sent in doc.sents:
        if sent.start_char <= char < sent.end_char:
            return sent
    return None
