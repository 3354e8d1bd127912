"""Events stage: ACLED-coded events, each traced to the sentences and claims that report it.

The stage answers one question per module, in this order:

- `segment`: which sentences report an event and how they group into events (one
  article can hold several); `clause` is a sentence as evidence, `cues` the words
  that report an event and how much each counts where it stands;
- `classify`: which ACLED sub-event type (the codebook's precedence over the cues, checked
  by the shipped `typer` learned from the team's `corpus`; or the classifier `sitroom train`
  made, `model`, when `model_dir` is given);
- `when`: its date (the time stage's timexes); `where`: its country and place;
- `who`: actor1/actor2 by ACLED's per-type conventions (`data/events/actor_rules.toml`);
- `fatalities`: ACLED's most conservative reported death toll;
- `record`: the EVENT record with its claims and evidence, and the order of events
  (the lead event first; long-past events only when nothing recent is reported).
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ...document import EventRecord, text_of
from . import typer
from .classify import model_only_group, type_group
from .clause import CACHE_KEY
from .model import load_model
from .record import build_event, order_events, same_event
from .segment import drop_titles, group_clauses, read_clauses

__all__ = ["EventsStage", "extract_events"]


def extract_events(doc: Doc, model=None, typer_model: typer.Typer | None = None) -> list[EventRecord]:
    """The events of a Doc, most salient first (contract EVENT dicts plus working keys).

    `model`: a classifier `sitroom train --acled` made; `typer_model`: a typer made by
    `sitroom train --from-shipped` (default: the shipped one)."""
    doc.user_data[CACHE_KEY] = {}
    try:
        return _events(doc, model, typer_model)
    finally:
        doc.user_data.pop(CACHE_KEY, None)


def _events(doc: Doc, model, typer_model: typer.Typer | None) -> list[EventRecord]:
    clauses = read_clauses(doc)
    events: list[EventRecord] = []
    groups = group_clauses(drop_titles(clauses), doc._.published)
    if not groups:
        groups = model_only_group(clauses, model, text_of(doc), typer_model)
    kept: list[tuple[list, str, str]] = []  # (sentences, sub-event type, method) of each event so far
    for group in groups:
        told = [c for c in group if not c.retold]  # a retelling gives the day, not the type
        sub, method = type_group(told, model, text_of(doc), whole=len(groups) == 1, typer_model=typer_model)
        if sub is None:
            continue
        ev = build_event(doc, group, sub, f"e{len(events) + 1}", method)
        same = None if group[0].separate else next((i for i, old in enumerate(events) if same_event(old, ev)), None)
        if same is None:
            events.append(ev)
            kept.append((list(group), sub, method))
            continue
        sentences, sub0, method0 = kept[same]  # one event per place and day: the first telling gains the evidence
        sentences.extend(group)
        events[same] = build_event(doc, sentences, sub0, events[same]["event_id"], method0)
    events = order_events(events, doc._.published)
    for n, ev in enumerate(events, 1):
        ev["event_id"] = f"e{n}"
    return events


class EventsStage:
    """spaCy component: writes `doc._.events` (see the module docstring)."""

    def __init__(self, nlp: Language, name: str, model_dir: str | None = None):
        self.name = name
        self.model, self.typer = None, None
        if model_dir and typer.holds_typer(model_dir):
            self.typer = typer.load(typer.holds_typer(model_dir))
        elif model_dir:
            self.model = load_model(model_dir)

    def __call__(self, doc: Doc) -> Doc:
        doc._.events = extract_events(doc, self.model, self.typer)
        return doc
