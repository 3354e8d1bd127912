"""The words the actor dictionary reads names with, and ACLED's conventions for generic actors.

ACLED's conventions are data (`sitroom/data/actors/roles.toml`: which phrases name a role
and ACLED's name for it in a country; `local_units.toml`: "Mandalay PDF"). The English
word lists below stay Python constants: they are grammar the resolution code walks
(modifiers it may skip, words that are never a name), read together with that code,
not facts about ACLED that a coder would edit.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from ..datafiles import check, data_path
from .schema import named_tables

ROLES_FILE = data_path("actors", "roles.toml")
LOCAL_UNITS_FILE = data_path("actors", "local_units.toml")

# Units under the interior ministry: "Police Forces of Kenya (2013-) General Service Unit".
POLICE_UNIT_WORDS = ("Police", "General Service Unit", "Rapid Deployment Unit", "Emergency Service",
                     "Border Guard", "Security Service", "Wildlife Service", "Gendarmerie")
# Unit names made only of these words name no country on their own ("Air Force", "National Guard").
GENERIC_UNIT_WORDS = frozenset("""air force forces navy naval national guard aerospace special police territorial
defense defence state emergency service border the of""".split())

# Fuzzy matching (typos and transliterations of named groups, e.g. "Al Nusa").
FUZZY_CUTOFF = 86          # rapidfuzz ratio; 86 keeps one-letter typos of 7+ char names
FUZZY_MIN_CHARS = 6        # shorter strings match too many unrelated words
FUZZY_MAX_TOKENS = 6       # longer candidates are clauses, not names
# Words that are never a fuzzy-matched actor on their own.
COMMON_WORDS = frozenset("""the and government army police forces military ministry group front
state national people party union movement council army's forces' international security""".split())

# Words that may stand between a country anchor and its head noun ("Syrian government forces").
MODIFIER_WORDS = frozenset("""government regime state security armed special military federal national
elite regular local pro government-backed allied loyalist army air naval ground border riot
counter-terrorism anti-terrorism paramilitary intelligence defence defense interior foreign health
official new former top senior the its their a an some several many unknown unidentified suspected
information home finance deputy acting chief press media public relations communications justice""".split())
# "<Country>-backed X" names X, not the country ("Iran-backed Houthis").
BACKING_WORDS = frozenset({"backed", "sponsored", "supported", "funded", "trained", "armed", "allied",
                           "aligned", "led", "controlled", "run", "affiliated", "linked", "based"})
# Nouns after an ethnic group that make it an armed actor ("Pokot raiders"), not a people.
ETHNIC_NOUNS = frozenset("""militia militias militiamen raiders gunmen fighters warriors herders youths
attackers men community communities clan clansmen tribesmen bandits morans herdsmen vigilantes
youth elders tribe tribes group groups militants pastoralists gangs attackers assailants""".split())


def unit_role(unit: str) -> str:
    """The state role a unit belongs to: "General Service Unit" is police, "Air Force" military."""
    return "police" if any(w in unit for w in POLICE_UNIT_WORDS) else "military"


@dataclass(frozen=True)
class Role:
    """One generic role and ACLED's name for it (see roles.toml)."""
    name: str
    inter: str
    template: str                      # "Police Forces of {state}"
    countryless: str | None = None     # the name when no country is known
    phrases: tuple[str, ...] = ()      # name the role on their own
    anchored: tuple[str, ...] = ()     # name it only after a country ("Syrian forces")
    countries: frozenset[str] = frozenset()  # ISO2 codes where ACLED uses the role (empty: everywhere)


@dataclass(frozen=True)
class LocalUnit:
    """A national movement's local unit named by place (see local_units.toml)."""
    named: str                         # "People's Defense Force - {place}"
    local: str                         # "People's Defense Force - Local Group"
    country: str
    inter: str


@functools.cache
def roles(path: Path = ROLES_FILE) -> dict[str, Role]:
    """The generic roles in file order (the order phrases are added to the dictionary)."""
    out: dict[str, Role] = {}
    for name, e in named_tables(path, "roles", {"template", "inter", "countryless", "phrases", "anchored",
                                                "countries"}):
        template = e.text("template")
        e.check("{state}" in template or "{country}" in template, "template needs {state} or {country}")
        countries = frozenset(e.strings("countries"))
        e.check(all(len(c) == 2 and c.isupper() for c in countries), "countries: expected ISO2 codes")
        e.check(not (countries and e.raw.get("countryless")), "a role limited to some countries has no countryless name")
        role = Role(name, e.inter(), template, e.text("countryless", optional=True), e.strings("phrases"),
                    e.strings("anchored"), countries)
        e.check(bool(role.phrases or role.anchored), "no phrases")
        out[name] = role
    check({"military", "police"} <= set(out), path, "roles military and police are required (units name them)")
    return out


@functools.cache
def local_units(path: Path = LOCAL_UNITS_FILE) -> dict[str, LocalUnit]:
    """Abbreviation ("PDF", "PDFs") -> its local unit naming."""
    out: dict[str, LocalUnit] = {}
    for abbr, e in named_tables(path, "units", {"also", "named", "local", "country", "inter"}):
        unit = LocalUnit(e.text("named"), e.text("local"), e.text("country"), e.inter())
        e.check("{place}" in unit.named, "named needs {place}")
        for form in (abbr, *e.strings("also")):
            out[form] = unit
    return out
