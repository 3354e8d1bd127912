"""One sentence of a report as evidence for an event: its weighed cues and what they say on their own.

`segment.read_clauses` makes them, `segment.group_clauses` groups them into events,
and the other modules read an event as its list of clauses (the first is its anchor).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ...acled import SUB_EVENT_TYPES
from .cues import CueSet

CACHE_KEY = "sitroom_events_cache"  # in doc.user_data while the stage runs (extract_events drops it)


def once(doc, name: str, make):
    """`make()`, computed once per document while the events stage runs (what every event of a
    long report would otherwise compute again from the whole document); outside the stage, each time."""
    cache = doc.user_data.get(CACHE_KEY)
    if cache is None:
        return make()
    if name not in cache:
        cache[name] = make()
    return cache[name]


@dataclass
class Clause:
    """One sentence of the text as evidence for an event."""
    index: int
    start: int
    end: int
    paragraph: int
    cues: CueSet
    alone: str | None = None  # the sub-event type the sentence reports on its own
    victims: str | None = None  # 'armed' or 'civ': whom its violence hit
    agents: str | None = None  # 'crowd' or 'armed': who did it
    trigger: tuple[int, int] | None = None
    passive: bool = False
    background: bool = False
    date: tuple[str, int] | None = None
    places: dict[str, tuple[float, float]] = field(default_factory=dict)
    old: bool = False  # every calendar date it gives ended long before the report
    title: bool = False  # a headline or title line: summarises the body, anchors no event the body reports
    separate: bool = False  # 'in another airstrike', 'in a separate attack': an event of its own
    retold: bool = False  # joined its event paragraphs later, as a retelling: gives the day, not the toll

    @property
    def family(self) -> str | None:
        """The event type of what it reports on its own."""
        return SUB_EVENT_TYPES.get(self.alone or "")


def said(group: list[Clause], attr: str) -> str | None:
    """The first of an event's sentences that says who was hit ('victims') or who acted ('agents')."""
    return next((v for v in (getattr(c, attr) for c in group) if v), None)
