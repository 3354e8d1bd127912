"""Which gazetteer this process reads: the index for these package versions, built once if missing."""
from __future__ import annotations

import functools
import logging

from .build import build_index, index_path
from .index import Gazetteer

__all__ = ["admin_names", "load_gazetteer"]

log = logging.getLogger(__name__)


@functools.cache
def load_gazetteer() -> Gazetteer:
    """The gazetteer, building its index first when this machine has none for these versions."""
    path = index_path()
    if not path.exists():
        log.warning("building the gazetteer index once (about 30 s): %s", path)
        build_index(path)
    return Gazetteer(path)


def admin_names(country_iso2: str, admin1_code: str) -> str | None:
    """ACLED-style admin1 name for a GeoNames admin1 code ('SY', '09' or 'SY.09' -> 'Aleppo')."""
    code = admin1_code if "." in admin1_code else f"{country_iso2.upper()}.{admin1_code}"
    return load_gazetteer().admin_name(code)
