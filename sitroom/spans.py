"""Which of many character spans holds an offset: asked for every mention of a long report.

A scan of every span per question grows with the square of a document's length (a sentence
repeated to 160,000 characters took minutes in the events stage); `SpanIndex` answers in
O(log n) after sorting once, and `holds` takes either an index or a plain list.
`DisjointSpans` is the other question of the kind: which kept spans does a new one overlap;
`ByStart` finds the items (mentions, figures) that lie within or overlap a range (or one of
several: an event's sentences).
"""
from __future__ import annotations

import bisect
import itertools
from typing import Any, Callable, Iterable, Sequence


class SpanIndex(list):
    """(start, end) spans, in the order given, that say in O(log n) whether one holds [s, e)."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()):
        super().__init__(spans)
        ordered = sorted(self)
        self._starts = [a for a, _ in ordered]
        self._reach = list(itertools.accumulate((b for _, b in ordered), max))  # furthest end so far

    def holds(self, s: int, e: int) -> bool:
        """Whether some span has start <= s and e <= end."""
        i = bisect.bisect_right(self._starts, s)
        return i > 0 and self._reach[i - 1] >= e


def holds(spans: list[tuple[int, int]], s: int, e: int) -> bool:
    """Whether one of `spans` holds [s, e) (an offset s: [s, s + 1)); an index answers at once, a list is scanned."""
    return spans.holds(s, e) if isinstance(spans, SpanIndex) else any(a <= s and e <= b for a, b in spans)


class DisjointSpans:
    """Spans that never overlap (each kept only where it clashes with none), with an item each;
    `overlapping` finds the ones a new span overlaps by bisection (their ends are in order too)."""

    def __init__(self):
        self._keys: list[tuple[int, int]] = []
        self._ends: list[int] = []
        self._items: list[Any] = []

    def add(self, s: int, e: int, item: Any = None) -> None:
        i = bisect.bisect(self._keys, (s, e))
        self._keys.insert(i, (s, e))
        self._ends.insert(i, e)
        self._items.insert(i, item)

    def overlapping(self, s: int, e: int) -> list[Any]:
        """The items whose span [a, b) overlaps [s, e): a < e and s < b."""
        out = []
        for i in range(bisect.bisect_right(self._ends, s), len(self._items)):
            if self._keys[i][0] >= e:
                break
            out.append(self._items[i])
        return out


class ByStart:
    """Items with a (start, end) span, found by range in O(log n + hits), in the order given.

    `within(s, e)` is `[m for m in items if s <= start and end <= e]`, `starting(s, e)`
    `[m for m in items if s <= start < e]` and `overlapping(s, e)` `[m for m in items if
    start < e and s < end]`, without a scan of every item.
    """

    def __init__(self, items: Sequence, span: Callable[[Any], tuple[int, int]]):
        self.items = list(items)
        self._spans = [span(m) for m in self.items]
        self._order = sorted(range(len(self.items)), key=lambda i: self._spans[i][0])
        self._starts = [self._spans[i][0] for i in self._order]
        self._longest = max((b - a for a, b in self._spans), default=0)

    def _pick(self, lo: int, hi: int, keep: Callable[[int, int], bool]) -> list:
        return [self.items[i] for i in sorted(self._order[lo:hi]) if keep(*self._spans[i])]

    def within(self, s: int, e: int) -> list:
        lo, hi = bisect.bisect_left(self._starts, s), bisect.bisect_right(self._starts, e)
        return self._pick(lo, hi, lambda a, b: b <= e)

    def starting(self, s: int, e: int) -> list:
        return self._pick(bisect.bisect_left(self._starts, s), bisect.bisect_left(self._starts, e), lambda a, b: True)

    def starting_in(self, spans: Iterable[tuple[int, int]]) -> list:
        """The items that start in one of `spans`, each once, in the order given."""
        picked: set[int] = set()
        for s, e in spans:
            picked.update(self._order[bisect.bisect_left(self._starts, s):bisect.bisect_left(self._starts, e)])
        return [self.items[i] for i in sorted(picked)]

    def overlapping(self, s: int, e: int) -> list:
        lo, hi = bisect.bisect_right(self._starts, s - self._longest), bisect.bisect_left(self._starts, e)
        return self._pick(lo, hi, lambda a, b: s < b)

    def overlapping_any(self, spans: Iterable[tuple[int, int]]) -> list:
        """The items that overlap one of `spans`, each once, in the order given."""
        picked: set[int] = set()
        for s, e in spans:
            lo, hi = bisect.bisect_right(self._starts, s - self._longest), bisect.bisect_left(self._starts, e)
            picked.update(i for i in self._order[lo:hi] if s < self._spans[i][1])
        return [self.items[i] for i in sorted(picked)]
