"""The stage list: every sitroom stage, in pipeline order, with what it reads and writes.

This one list generates everything else: the spaCy factories (with `requires` and
`assigns`, so `nlp.analyze_pipes()` reports a stage placed before a layer it reads),
the `make_*` functions that `pyproject.toml` publishes as `spacy_factories` entry
points (so a pipeline saved with `nlp.to_disk()` loads with plain `spacy.load`), and
`sitroom stages`. A test runs each stage on a `Doc` that records every layer read and
written and checks them against this list.

Adding a stage: docs/contributing.md.
"""
# no `from __future__ import annotations`: spaCy validates factory signatures at run time
import importlib
import inspect
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from spacy.language import Language

from ..document import LAYERS


@dataclass(frozen=True)
class Stage:
    """One stage: its spaCy name, its class ("module:Class" under sitroom.stages), its layers, its config."""
    name: str
    component: str
    reads: tuple = ()
    writes: tuple = ()
    config: dict = field(default_factory=dict)  # option -> (type, default)
    doc: str = ""

    @property
    def requires(self) -> list:
        """spaCy's `requires`: the layers stages write (the article layer's are there before any stage)."""
        return [LAYERS[n].attr for n in self.reads if not LAYERS[n].meta]

    @property
    def assigns(self) -> list:
        return [LAYERS[n].attr for n in self.writes]

    @property
    def factory_name(self) -> str:
        return "make_" + self.name.removeprefix("sitroom_")

    @property
    def entry_point(self) -> str:
        return f"{__name__}:{self.factory_name}"

    def load_class(self) -> type:
        module, _, cls = self.component.partition(":")
        return getattr(importlib.import_module(f"{__package__}.{module}"), cls)


STAGES: tuple = (
    Stage("sitroom_places", "places:PlacesStage", reads=("datelines",), writes=("places",),
          doc="toponyms, resolved to coordinates and ACLED's admin areas"),
    Stage("sitroom_countries", "countries:CountriesStage", reads=("places",), writes=("countries",),
          doc="the countries the document is about, weighed once for every later stage"),
    Stage("sitroom_time", "temporal:TimeStage", reads=("published",), writes=("timexes",),
          doc="temporal expressions, normalised against the publication date"),
    Stage("sitroom_actors", "actors:ActorsStage", reads=("published", "datelines", "places", "countries"),
          writes=("actor_mentions", "actors"), doc="actor mentions in ACLED's naming"),
    Stage("sitroom_claims", "claims:ClaimsStage", reads=("article", "actor_mentions"), writes=("claims",),
          doc="who claims what, for which side, with which figures"),
    Stage("sitroom_relations", "relations:RelationsStage", reads=("actor_mentions", "claims"),
          writes=("relations",), doc="support, sponsorship, training, fighting and alliances between actors"),
    Stage("sitroom_events", "events:EventsStage",
          reads=("published", "datelines", "places", "timexes", "actor_mentions", "claims"), writes=("events",),
          config={"model_dir": (Optional[str], None)},
          doc="the events an ACLED coder would record, each linked to its claims"),
)
STAGE_NAMES = tuple(stage.name for stage in STAGES)
BY_NAME = {stage.name: stage for stage in STAGES}


def _factory(stage: Stage) -> Callable:
    """`make_<stage>(nlp, name, **config)` with a real signature, which spaCy validates."""
    def make(nlp, name, **config):
        return stage.load_class()(nlp, name, **config)

    params = [inspect.Parameter("nlp", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Language),
              inspect.Parameter("name", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=str)]
    params += [inspect.Parameter(option, inspect.Parameter.KEYWORD_ONLY, annotation=kind, default=default)
               for option, (kind, default) in stage.config.items()]
    make.__signature__ = inspect.Signature(params)
    make.__name__ = make.__qualname__ = stage.factory_name
    make.__doc__ = f"The {stage.name} component: {stage.doc}."
    return make


def _default_config(stage: Stage) -> dict[str, Any]:
    return {option: default for option, (_, default) in stage.config.items()}


# the entry points' targets: module-level make_* functions
for _stage in STAGES:
    globals()[_stage.factory_name] = _factory(_stage)


def register_stages() -> None:
    """Idempotent: registers each stage as a spaCy factory (also run on import, for entry points)."""
    for stage in STAGES:
        if not Language.has_factory(stage.name):
            Language.factory(stage.name, default_config=_default_config(stage), requires=stage.requires,
                             assigns=stage.assigns, func=globals()[stage.factory_name])


register_stages()
