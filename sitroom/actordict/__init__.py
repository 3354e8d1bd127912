"""The actor dictionary: names, roles and phrases -> actors as ACLED names them.

A library beside the gazetteer, used by the stages (actors, places, relations, events,
claims) rather than by one stage calling another:

    >>> resolve_actor("Kenyan police", date="2016-01-01")["name"]
    'Police Forces of Kenya (2013-)'
    >>> generic_actor("rioters", "Kenya")["name"]
    'Rioters (Kenya)'

`dictionary` loads and checks `sitroom/data/actors/*.toml` once (`actor_dictionary()`);
`resolve` turns a phrase, role or alias plus the document's country and date into a
record `{"name", "inter", "country", "kind"}`; `lexicon` holds ACLED's generic-role
conventions (from roles.toml, local_units.toml) and the English word lists; `schema`
checks each data file's tables (a `DataFileError` names the file and the line).
"""
from __future__ import annotations

from .dictionary import (ActorDictionary, Country, Named, Target, actor_dictionary, alias_matchers, alias_matches,
                         ethnic_by, key)
from .lexicon import LocalUnit, Role, local_units, roles, unit_role
from .resolve import (ethnic_record, fuzzy_record, generic_actor, inter_in, resolve_actor, role_record,
                      state_record, target_record)

__all__ = [
    # the dictionary
    "ActorDictionary", "Country", "Named", "Target", "actor_dictionary", "alias_matchers", "alias_matches", "ethnic_by",
    "key",
    # ACLED's conventions for unnamed actors
    "LocalUnit", "Role", "local_units", "roles", "unit_role",
    # phrase / role + country + date -> ACLED actor record
    "resolve_actor", "generic_actor", "inter_in",
    "state_record", "role_record", "target_record", "ethnic_record", "fuzzy_record",
]
