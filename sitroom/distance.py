"""Great-circle distance: how far apart two points on the Earth are, in kilometres.

One implementation for the whole package (the gazetteer's resolver, the events stage and
the merge step all compare points), so a change of formula or radius happens once.
"""
from __future__ import annotations

import math

__all__ = ["km"]


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance in kilometres on a sphere of 6,371 km radius."""
    p = math.pi / 180
    a = (math.sin((lat2 - lat1) * p / 2) ** 2
         + math.cos(lat1 * p) * math.cos(lat2 * p) * math.sin((lon2 - lon1) * p / 2) ** 2)
    return 12742 * math.asin(math.sqrt(min(1.0, a)))
