"""Registers every sitroom stage as a spaCy factory (one place, idempotent).

The same `make_*` functions are published in the `spacy_factories` entry-point
group, so a pipeline saved with `nlp.to_disk()` loads with plain `spacy.load`.
"""
# no `from __future__ import annotations`: spaCy validates factory signatures at run time
from typing import Optional

from spacy.language import Language

# (component name, requires, assigns) in pipeline order
STAGES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("sitroom_places", (), ("doc._.places",)),
    ("sitroom_time", (), ("doc._.timexes",)),
    ("sitroom_actors", (), ("doc._.actors", "doc._.actor_mentions")),
    ("sitroom_claims", ("doc._.actor_mentions",), ("doc._.claims",)),
    ("sitroom_relations", ("doc._.actors", "doc._.claims"), ("doc._.relations",)),
    ("sitroom_events", ("doc._.places", "doc._.timexes", "doc._.actors", "doc._.claims"), ("doc._.events",)),
)
STAGE_NAMES = tuple(name for name, _, _ in STAGES)


def make_places(nlp: Language, name: str):
    from .places import PlacesStage
    return PlacesStage(nlp, name)


def make_time(nlp: Language, name: str):
    from .temporal import TimeStage
    return TimeStage(nlp, name)


def make_actors(nlp: Language, name: str):
    from .actors import ActorsStage
    return ActorsStage(nlp, name)


def make_claims(nlp: Language, name: str):
    from .claims import ClaimsStage
    return ClaimsStage(nlp, name)


def make_relations(nlp: Language, name: str):
    from .relations import RelationsStage
    return RelationsStage(nlp, name)


def make_events(nlp: Language, name: str, model_dir: Optional[str]):
    from .events import EventsStage
    return EventsStage(nlp, name, model_dir=model_dir)


_FACTORIES = {
    "sitroom_places": (make_places, {}),
    "sitroom_time": (make_time, {}),
    "sitroom_actors": (make_actors, {}),
    "sitroom_claims": (make_claims, {}),
    "sitroom_relations": (make_relations, {}),
    "sitroom_events": (make_events, {"model_dir": None}),
}


def register_stages() -> None:
    """Idempotent: spaCy accepts re-registering the same function under a name."""
    for name, requires, assigns in STAGES:
        func, config = _FACTORIES[name]
        if not Language.has_factory(name):
            Language.factory(name, default_config=config, requires=list(requires), assigns=list(assigns))(func)
