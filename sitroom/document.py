"""The document model: what every stage reads from and writes on one spaCy `Doc`.

Every stage sees the same `Doc`, whose `doc.text` *is* `article.text`, so every
character offset a stage emits points into the article text. A stage adds its
layer and reads only the layers it declares (`sitroom.stages.registry`; a test
runs each stage on a `Doc` that records every read and write):

* record layers are doc extensions holding lists of plain dicts, typed below as
  `TypedDict`s: the contract's members (../shared/eval/CONTRACT.md) plus the
  working keys later stages read, each declared here with what it means. Required
  keys are always there (read them with `r["key"]`); only `NotRequired` ones need
  `.get`. `layer(doc, name)` returns a layer's records with their type;
* mention layers are span groups keyed by the constants below, so a later stage
  can look a mention up by token position.

A missing input layer is not an error: the stage works with what is there.
"""
# no `from __future__ import annotations`: TypedDict reads NotRequired[...] only from evaluated
# annotations (Python 3.11 counts a postponed one as required)
from collections import Counter
from dataclasses import dataclass
from typing import Literal, NotRequired, Optional, TypedDict, overload

from spacy.tokens import Doc, Span

# ---------------------------------------------------------------- mention layers (span groups)
PLACES = "sitroom_places"        # toponym mentions; span.label_ = feature kind
TIMEXES = "sitroom_timexes"      # temporal expressions; span.label_ = DATE|TIME|DURATION|SET


# ---------------------------------------------------------------- record layers (doc extensions)
class ArticleMeta(TypedDict, total=False):
    """`doc._.article`: the article layer's metadata (`records.Article` without its text)."""
    url: Optional[str]
    title: Optional[str]
    published: Optional[str]
    outlet: Optional[str]
    links: list[dict]
    images: list[dict]


class DatelineRecord(TypedDict):
    """`doc._.datelines`: one news dateline ("KYIV, March 3 (Reuters) - "), from `sitroom.datelines`."""
    start: int
    end: int                        # where the report's own text starts
    place_start: int
    place_end: int                  # the city and region: "KHARTOUM, Sudan"
    places: list[list[int]]         # [start, end] of each name: "KHARTOUM", "Sudan"
    date_start: Optional[int]
    date_end: Optional[int]
    agency: Optional[str]           # the credit in brackets, as written: "Reuters"


class SeatRecord(TypedDict):
    """The seat town of a region named alone (ACLED codes such an event at the seat)."""
    name: str
    latitude: float
    longitude: float
    admin2: Optional[str]


class PlaceRecord(TypedDict):
    """One toponym mention, resolved (CONTRACT.md's PLACE); None values: nothing in the gazetteer fits."""
    mention: str
    start: int
    end: int
    name: Optional[str]
    geonameid: Optional[int]
    country: Optional[str]          # ISO 3166-1 alpha-2
    admin1: Optional[str]
    admin2: Optional[str]
    latitude: Optional[float]
    longitude: Optional[float]
    feature: Optional[str]          # country | admin1 | city | ... | unresolved-in-admin1
    metonymic: bool                 # "Kenya said": a country standing for its state, not a place
    # working keys
    population: Optional[int]       # the gazetteer's population: how sure a bare name is
    method: str                     # how it was resolved (exact, ranked, context, demonym, coherence, ...)
    demonym: NotRequired[bool]      # only when read from an adjective ("Kenyan villages"): True
    seat: NotRequired[SeatRecord]   # only for an admin area with a known seat town
    relative: NotRequired[str]      # only for "X village, Y township": the unit X was placed in


class CountryRecord(TypedDict):
    """`doc._.countries`: the countries a document is about, heaviest first (computed once)."""
    country: str                    # ISO 3166-1 alpha-2
    weight: float                   # places count most, country names next, adjectives and group homes least


class TimexRecord(TypedDict):
    """One temporal expression, normalised to a TIMEX3 value."""
    text: str
    start: int
    end: int
    type: Literal["DATE", "TIME", "DURATION", "SET"]
    value: Optional[str]            # None: a clock time no day could be given to
    # working keys
    rule: str                       # which rule found it
    source: str                     # which recogniser found it (rules)
    anchor: NotRequired[bool]       # only False: a time the text never tied to a day ("late in the day")
    date: NotRequired[str]          # only on a duration that moved the reference day ("two days later")


class ActorMention(TypedDict):
    """`doc._.actor_mentions`: every actor mention (parties, speakers, monitors), in text order."""
    start: int
    end: int
    text: str
    actor: str                      # ACLED's actor name
    inter: Optional[str]            # ACLED inter type in the document's country (forces abroad: External/Other)
    home_inter: Optional[str]       # the inter type at home
    country: Optional[str]          # the actor's country (ACLED name)
    kind: str                       # armed | state | generic | ethnic | party | speaker | monitor | ngo | un
    role: Optional[str]             # generic role ("police", "protesters") when kind is generic
    method: str                     # dictionary | pattern | ethnic | metonymy | fuzzy | generic | role-by-verb


class ActorRecord(TypedDict):
    """One canonical actor of the document (CONTRACT.md's actor), with its mention count."""
    name: str
    aliases_seen: list[str]
    inter: Optional[str]
    country: Optional[str]
    mentions: int


class FigureRecord(TypedDict):
    """A number a claim states: how many, of whom, what happened to them."""
    count: int
    count_high: Optional[int]       # the top of a range ("20 to 30")
    qualifier: str                  # at_least | about | at_most | exact | over | ...
    category: Optional[str]         # killed | injured | captured | displaced | ...
    victims: Optional[str]
    victim_actor: Optional[str]
    text: str
    start: int
    end: int


class ClaimRecord(TypedDict):
    """Who says what (CONTRACT.md's CLAIM)."""
    claim_id: str
    kind: Literal["quote", "reported", "assessment", "speculation", "assertion"]
    speaker: Optional[str]
    speaker_role: Optional[str]
    speaker_actor: Optional[str]
    cue: Optional[str]
    text: str
    start: int
    end: int
    hedged: bool
    figures: list[FigureRecord]
    # working keys
    method: str                     # how it was found: dependency | pattern | quote | outlet ...
    cue_start: Optional[int]        # the cue's characters, None when the claim has no cue word
    cue_end: Optional[int]
    speaker_resolved: Optional[str]  # the speaker continuity resolved a pronoun or title to, if other


class RelationRecord(TypedDict):
    """A relation between two actors, with the sentence that states it."""
    subject: str
    predicate: Literal["supports", "sponsors", "trains", "fights", "allied_with", "controls"]
    object: str
    claim_id: Optional[str]
    # working keys
    start: int                      # the word that states it
    end: int
    method: str                     # which pattern found it


class EvidenceSpan(TypedDict):
    start: int
    end: int


class EventRecord(TypedDict):
    """One event an ACLED coder would record (CONTRACT.md's EVENT)."""
    event_id: str
    event_date: Optional[str]
    time_precision: Optional[int]
    event_type: Optional[str]
    sub_event_type: str
    actor1: Optional[str]
    assoc_actor_1: Optional[str]
    inter1: Optional[str]
    actor2: Optional[str]
    assoc_actor_2: Optional[str]
    inter2: Optional[str]
    country: Optional[str]
    iso: Optional[int]
    admin1: Optional[str]
    admin2: Optional[str]
    location: Optional[str]
    latitude: Optional[float]
    longitude: Optional[float]
    geo_precision: Optional[int]
    fatalities: int
    fatalities_low: Optional[int]
    fatalities_best: Optional[int]
    fatalities_high: Optional[int]
    civilian_targeting: bool
    claims: list[str]
    evidence: list[EvidenceSpan]
    notes: str
    # working keys
    method: str                     # rules | typer | model: who chose the sub-event type
    cues: list[str]                 # the cue groups that typed it


@dataclass(frozen=True)
class Layer:
    """A doc extension in the contract: its name, record type and meaning."""
    name: str
    record: type | None
    doc: str
    meta: bool = False              # set by the article layer before any stage runs

    @property
    def attr(self) -> str:
        """The name spaCy's `requires`/`assigns` use."""
        return f"doc._.{self.name}"


LAYERS: dict[str, Layer] = {layer.name: layer for layer in (
    Layer("doc_id", None, "the input's id", meta=True),
    Layer("article", ArticleMeta, "the article's metadata", meta=True),
    Layer("published", None, "publication date 'YYYY-MM-DD' or None: the anchor for relative dates", meta=True),
    Layer("datelines", DatelineRecord, "the news datelines opening paragraphs: where the report was filed",
          meta=True),
    Layer("places", PlaceRecord, "every toponym mention, resolved"),
    Layer("countries", CountryRecord, "the countries the document is about, heaviest first"),
    Layer("timexes", TimexRecord, "temporal expressions with TIMEX3 values"),
    Layer("actor_mentions", ActorMention, "every actor mention"),
    Layer("actors", ActorRecord, "one record per canonical actor"),
    Layer("claims", ClaimRecord, "who says what"),
    Layer("relations", RelationRecord, "relations between actors"),
    Layer("events", EventRecord, "the events an ACLED coder would record"),
)}
# the layers a document's output carries (CONTRACT.md), in output order
DOC_LAYERS = ("places", "timexes", "actors", "claims", "relations", "events")


def register_extensions() -> None:
    """Idempotent; runs on import so every stage can rely on the attributes."""
    for name in LAYERS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    for name in ("place", "timex"):
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


@overload
def layer(doc: Doc, name: Literal["places"]) -> list[PlaceRecord]: ...
@overload
def layer(doc: Doc, name: Literal["countries"]) -> list[CountryRecord]: ...
@overload
def layer(doc: Doc, name: Literal["datelines"]) -> list[DatelineRecord]: ...
@overload
def layer(doc: Doc, name: Literal["timexes"]) -> list[TimexRecord]: ...
@overload
def layer(doc: Doc, name: Literal["actor_mentions"]) -> list[ActorMention]: ...
@overload
def layer(doc: Doc, name: Literal["actors"]) -> list[ActorRecord]: ...
@overload
def layer(doc: Doc, name: Literal["claims"]) -> list[ClaimRecord]: ...
@overload
def layer(doc: Doc, name: Literal["relations"]) -> list[RelationRecord]: ...
@overload
def layer(doc: Doc, name: Literal["events"]) -> list[EventRecord]: ...
def layer(doc: Doc, name: str) -> list:  # noqa: E302 - the overloads above type each layer's records
    """The records of a layer (typed by its name), `[]` when the stage has not run."""
    return list(getattr(doc._, name) or [])


def country_weights(doc: Doc) -> Counter:
    """The `countries` layer as ISO2 -> weight, heaviest first (empty when the stage has not run)."""
    return Counter({r["country"]: r["weight"] for r in layer(doc, "countries")})


def char_span(doc: Doc, start: int, end: int, label: str = "") -> Span | None:
    """A token-aligned span covering the characters [start, end)."""
    return doc.char_span(start, end, label=label, alignment_mode="expand")


def sentence_of(doc: Doc, char: int) -> Span | None:
    """The sentence holding a character offset."""
    for sent in doc.sents:
        if sent.start_char <= char < sent.end_char:
            return sent
    return None
