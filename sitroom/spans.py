"""Which of many character spans holds an offset: asked for every mention of a long report.

A scan of every span per question grows with the square of a document's length (a sentence
repeated to 160,000 characters took minutes in the events stage); `SpanIndex` answers in
O(log n) after sorting once, and `holds` takes either an index or a plain list.
"""
from __future__ import annotations

import bisect
import itertools
from typing import Iterable


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
