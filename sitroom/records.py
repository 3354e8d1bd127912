"""Typed records at sitroom's boundaries (the shapes of ../shared/eval/CONTRACT.md).

Between stages the spaCy `Doc` is the only carrier; these records are what
comes out of it (`to_records`), what the store keeps and what exports read.
"""
from __future__ import annotations

import json
import re
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1
# Legal raw inside a JSON string, but line breaks to str.splitlines and to JavaScript before ES2019
_LINE_SEPARATORS = re.compile("[\u2028\u2029\u0085]")


def json_line(obj, default=None) -> str:
    """`obj` as one JSON line (no newline) that every JSONL reader splits correctly.

    Non-ASCII text stays readable; U+2028, U+2029 and U+0085 are written as escapes.
    """
    return _LINE_SEPARATORS.sub(lambda m: f"\\u{ord(m[0]):04x}", json.dumps(obj, ensure_ascii=False, default=default))


class _Record(BaseModel):
    # Stages may carry working keys (a place's population, a claim's cue offsets); records keep the
    # contract's members and the provenance a reader needs to judge a value (`method`: which rule
    # or resolver produced it). Extra members are allowed by JSON readers and ignored by the scorers.
    model_config = ConfigDict(extra="ignore")


class Link(_Record):
    url: str
    text: str = ""


class Image(_Record):
    url: str
    title: Optional[str] = None
    alt: Optional[str] = None


class Article(_Record):
    url: Optional[str] = None
    title: Optional[str] = None
    published: Optional[str] = None  # YYYY-MM-DD
    outlet: Optional[str] = None
    text: str = ""
    links: list[Link] = Field(default_factory=list)
    images: list[Image] = Field(default_factory=list)


class Place(_Record):
    mention: str
    start: int
    end: int
    name: Optional[str] = None
    geonameid: Optional[int] = None
    country: Optional[str] = None  # ISO 3166-1 alpha-2
    admin1: Optional[str] = None
    admin2: Optional[str] = None
    latitude: Optional[float] = None
    longitude: Optional[float] = None
    feature: Optional[str] = None
    metonymic: bool = False
    method: Optional[str] = None  # how the mention was resolved (e.g. "ranked")


class Timex(_Record):
    text: str
    start: int
    end: int
    type: Optional[str] = None  # DATE | TIME | DURATION | SET
    value: Optional[str] = None  # TIMEX3 value
    source: Optional[str] = None  # which recogniser found it (e.g. "rules")
    rule: Optional[str] = None  # the rule that matched (e.g. "duration")


class Figure(_Record):
    count: Optional[int] = None
    count_high: Optional[int] = None  # upper end of a range
    qualifier: Optional[str] = None  # at_least | about | at_most | exact | over
    category: Optional[str] = None  # killed | injured | captured | displaced | ...
    victims: Optional[str] = None
    victim_actor: Optional[str] = None
    text: Optional[str] = None
    start: Optional[int] = None
    end: Optional[int] = None


ClaimKind = Literal["quote", "reported", "assessment", "speculation", "assertion"]


class Claim(_Record):
    claim_id: str
    kind: ClaimKind
    speaker: Optional[str] = None  # as written: "he", "the spokesman", "Oleg Ignasyuk"
    speaker_resolved: Optional[str] = None  # the named speaker a pronoun or description refers to
    speaker_role: Optional[str] = None
    speaker_actor: Optional[str] = None
    cue: Optional[str] = None
    text: str
    start: int
    end: int
    hedged: bool = False
    figures: list[Figure] = Field(default_factory=list)
    method: Optional[str] = None  # which pattern found the claim (e.g. "outlet")


class Actor(_Record):
    name: str
    aliases_seen: list[str] = Field(default_factory=list)
    inter: Optional[str] = None
    country: Optional[str] = None


class Relation(_Record):
    subject: str
    predicate: Literal["supports", "sponsors", "trains", "fights", "allied_with", "controls"]
    object: str
    claim_id: Optional[str] = None
    method: Optional[str] = None  # which pattern found the relation (e.g. "attack-noun")


class Evidence(_Record):
    start: int
    end: int


class Event(_Record):
    event_id: str
    event_date: Optional[str] = None
    time_precision: Optional[int] = None
    event_type: Optional[str] = None
    sub_event_type: Optional[str] = None
    actor1: Optional[str] = None
    assoc_actor_1: Optional[str] = None
    inter1: Optional[str] = None
    actor2: Optional[str] = None
    assoc_actor_2: Optional[str] = None
    inter2: Optional[str] = None
    country: Optional[str] = None
    iso: Optional[int] = None
    admin1: Optional[str] = None
    admin2: Optional[str] = None
    location: Optional[str] = None
    latitude: Optional[float] = None
    longitude: Optional[float] = None
    geo_precision: Optional[int] = None
    fatalities: Optional[int] = None
    fatalities_low: Optional[int] = None
    fatalities_best: Optional[int] = None
    fatalities_high: Optional[int] = None
    civilian_targeting: bool = False
    claims: list[str] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)
    notes: Optional[str] = None
    method: Optional[str] = None  # how the event was typed (e.g. "rules")


class DocumentResult(_Record):
    """One document's output: every member of the contract, empty where nothing was found."""

    id: str
    article: Article
    events: list[Event] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    actors: list[Actor] = Field(default_factory=list)
    places: list[Place] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)
    timexes: list[Timex] = Field(default_factory=list)
    error: Optional[str] = None

    def to_json_dict(self) -> dict:
        d = self.model_dump(mode="json")
        if d.get("error") is None:
            d.pop("error", None)
        return d
