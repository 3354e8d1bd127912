"""Name, role or phrase + country + date -> the ACLED actor record.

A record is `{"name", "inter", "country", "kind"}` (plus `"role"` for states and generic
roles): "Kenyan police" in 2016 -> "Police Forces of Kenya (2013-)", State forces, Kenya.
The record builders (`state_record`, `role_record`, ...) are shared with the actors stage,
which finds the mentions in a document and names them here.
"""
from __future__ import annotations

import functools
import re

from rapidfuzz import fuzz, process

from ..acled import EXTERNAL, STATE
from .dictionary import ActorDictionary, Country, Target, actor_dictionary, alias_matchers, ethnic_by, key
from .lexicon import (BACKING_WORDS, COMMON_WORDS, ETHNIC_NOUNS, FUZZY_CUTOFF, FUZZY_MAX_TOKENS, FUZZY_MIN_CHARS,
                      MODIFIER_WORDS, roles, unit_role)


# ----------------------------------------------------------------------------- records
def _renamed(date: str | None, after: tuple[tuple[str, str], ...]) -> str | None:
    """The name ACLED gives the group on `date` once renamed (None: its own name)."""
    names = [name for since, name in after if date and date[:10] >= since]
    return names[-1] if names else None


def state_record(country: Country, role: str, unit: str = "", date: str | None = None) -> dict:
    """A state's actor: ("Kenya", "police", date 2016) -> "Police Forces of Kenya (2013-)"; a unit
    is appended to its force ("... Air Force"); a generic role names the country ("Civilians (Kenya)")."""
    table = roles()
    role = role.rstrip("*")
    if role == "adjective" or role == "capital":
        role = "military"
    template = (table[role] if role in table else table["military"]).template
    # a territory's state forces are its sovereign's ("Police Forces of France (2017-)" in New Caledonia)
    state = actor_dictionary().countries.get(country.sovereign, country) if country.sovereign else country
    name = template.format(state=state.state(date), country=country.name)
    if unit and role in ("military", "police", "air", "navy"):
        base = table["police" if role == "police" else "military"].template.format(state=state.state(date))
        name = f"{base} {unit}"
    inter = table[role].inter if role in table else STATE
    return {"name": name, "inter": inter, "country": country.name,
            "kind": "state" if inter == STATE else "generic", "role": role}


def role_record(role: str, country: Country | None, date: str | None = None) -> dict | None:
    """A generic role's actor in `country`, or its countryless name (None where ACLED has none)."""
    role = role.rstrip("*")
    r = roles().get(role)
    if r is not None and r.countries and (country is None or country.iso2 not in r.countries):
        return None  # a regional role ("Unidentified Gang" in the Americas): the caller tries the next
    if country is not None:
        return state_record(country, role, date=date)
    if r is not None and r.countryless:
        return {"name": r.countryless, "inter": r.inter, "country": None, "kind": "generic", "role": role}
    return None


def ethnic_record(group: str, country: str, where: str | None = None) -> dict:
    """An ethnic group's or clan's militia: ("Pokot", "Kenya") -> "Pokot Ethnic Militia (Kenya)";
    ("Fulani", "Nigeria", where="Mali") -> "Fulani Ethnic Militia (Mali)" (the group lives there too);
    ("Abgaal", "Somalia") -> "Abgaal Clan Militia (Somalia)"."""
    d = actor_dictionary()
    if where and where in d.ethnic_countries.get(group, ()):
        country = where
    template = d.ethnic_templates.get(group, d.ethnic_template)
    return {"name": template.format(group=group, country=country), "inter": d.ethnic_inter,
            "country": country, "kind": "ethnic"}


def generic_actor(role: str, country: str | None = None, date: str | None = None) -> dict | None:
    """ACLED's generic actor of a role in a country: ("rioters", "Kenya") -> "Rioters (Kenya)".

    Roles: those of roles.toml (military, air, navy, police, government, armed, communal,
    civilians, protesters, rioters, private, localdefense). For the events stage to re-map a
    crowd mention once the event type is known."""
    return role_record(role, actor_dictionary().country_by_name(country), date)


def _named_record(d: ActorDictionary, idx: int, country: Country | None, date: str | None) -> dict:
    n = d.named[idx]
    renamed = _renamed(date, n.after)
    if renamed:
        name = renamed
        inter = STATE if name.startswith(("Military Forces", "Police Forces", "Government")) else n.inter
        return {"name": name, "inter": inter, "country": n.country or None, "kind": n.kind}
    name, home = n.name, n.country or None
    if "{country}" in name:
        where = country.name if country else (n.country or None)
        if where is None:
            name, home = name.replace(" ({country})", ""), None
        else:
            name, home = name.format(country=where), where
    return {"name": name, "inter": n.inter, "country": home, "kind": n.kind}


def target_record(d: ActorDictionary, t: Target, country: Country | None, date: str | None) -> dict | None:
    """The actor an alias target stands for in a document about `country` on `date`."""
    if t.kind == "named":
        return _named_record(d, int(t.ref), country, date)
    if t.kind in ("state", "speaker"):
        rec = state_record(d.countries[t.ref], t.role, t.unit, date)
        if t.kind == "speaker":
            rec["kind"] = "speaker"
        return rec
    if t.kind == "country":  # a bare capital is a place; a bare country name stands for its state
        return None if t.role == "capital" else state_record(d.countries[t.ref], "military", date=date)
    if t.kind == "role":
        return role_record(t.role, country, date)
    return None


def inter_in(actor: dict, country: str | None) -> str | None:
    """ACLED's inter of `actor` in an event in `country`: a state's forces abroad are External/Other."""
    inter = actor.get("home_inter") or actor.get("inter")
    home = actor.get("country")
    if inter == STATE and home and country and home != country and not _sovereign_of(country, home):
        return EXTERNAL
    return inter


def _sovereign_of(territory: str, state: str) -> bool:
    """Whether `state` is the sovereign of `territory` (France's police in New Caledonia are at home)."""
    d = actor_dictionary()
    t, s = d.country_by_name(territory), d.country_by_name(state)
    return bool(t and s and t.sovereign and t.sovereign == s.iso2)


# ----------------------------------------------------------------------------- resolve a phrase
def _split_country(d: ActorDictionary, k: str) -> tuple[Country | None, str, str]:
    """Find a country reference in a normalised phrase: (country, text before, text after)."""
    words = k.split()
    for size in (3, 2, 1):
        for i in range(len(words) - size + 1):
            cand = " ".join(words[i:i + size])
            for t in d.aliases.get(cand, ()):
                if t.kind == "country" and t.role != "capital":
                    return d.countries[t.ref], " ".join(words[:i]), " ".join(words[i + size:])
    return None, k, ""


def _role_of(d: ActorDictionary, phrase: str, anchored: bool, home: Country | None = None) -> str | None:
    """Role class of a head phrase, trying the longest suffix first ("syrian government forces");
    a regional role only in its countries ("gangs" are "Unidentified Gang" in the Americas)."""
    words = [w for w in phrase.split() if w not in ("'s", "s", "'")]
    table = roles()
    for i in range(len(words)):
        tail = " ".join(words[i:])
        for t in d.aliases.get(tail, ()):
            limited = t.kind == "role" and table[t.role.rstrip("*")].countries
            if limited and (home is None or home.iso2 not in limited):
                continue
            if t.kind == "role" and (anchored or not t.role.endswith("*")):
                if all(w in MODIFIER_WORDS for w in words[:i]):
                    return t.role
    return None


def resolve_actor(text: str, country: str | None = None, date: str | None = None,
                  fuzzy: bool = True) -> dict | None:
    """A mention or affiliation phrase -> {"name", "inter", "country", "kind"} or None.

    `country` (ACLED name or ISO2) is the article's country: it fills generic actors
    ("gunmen" -> "Unidentified Armed Group (Kenya)") and enables context-only aliases.
    `date` (ISO) picks the government period ("(2000-2024)" vs "(2024-)")."""
    d = actor_dictionary()
    home = d.country_by_name(country)
    k = key(text)
    if not k:
        return None
    for t in d.aliases.get(k, ()):
        if t.context and (home is None or t.context != home.iso2) or t.role.endswith("*"):
            continue
        rec = target_record(d, t, home, date)
        if rec:
            return rec
    # "deputy chief of the Russian Center for Reconciliation ...": the longest specific alias inside
    inner = _contained(d, text, home, date)
    if inner:
        return inner
    # "<country> <role>", "<role> of <country>", "<country>'s <unit>"
    anchor, before, after = _split_country(d, re.sub(r"(?<=\w)'s?\b", "", k))
    if anchor is not None:
        first, _, rest = after.partition(" ")
        if first in BACKING_WORDS and rest:  # "Iran-backed Houthis" is the Houthis
            return resolve_actor(rest, country, date, fuzzy)
        for alias, unit in anchor.units:
            if after.endswith(key(alias)):
                return state_record(anchor, unit_role(unit), unit, date)
        role = _role_of(d, after, anchored=True, home=anchor) if after else None
        if role is None and before.endswith(" of") or before == "of":
            role = _role_of(d, re.sub(r"\s*of$", "", before), anchored=True, home=anchor)
        if role is None and after:
            named = resolve_actor(after, anchor.iso2, date, fuzzy=False)
            if named and named.get("kind") == "armed":
                return named
        if role is None and (after or before):
            return _ethnic(d, k, home)
        return state_record(anchor, role or "military", date=date)
    ethnic = _ethnic(d, k, home)
    if ethnic:
        return ethnic
    role = _role_of(d, k, anchored=False, home=home)
    if role:
        return role_record(role, home, date)
    if fuzzy:
        return fuzzy_record(d, k, home, date)
    return None


@functools.cache
def _tokenizer():
    from spacy.lang.en import English
    return English()


def _contained(d: ActorDictionary, text: str, home: Country | None, date: str | None) -> dict | None:
    """The named/state/speaker alias covering most of a longer phrase, if any."""
    if len(text.split()) < 2:
        return None
    nlp = _tokenizer()
    doc = nlp.make_doc(text)
    ci, cs = alias_matchers(nlp.vocab)
    best = None
    for match_id, s, e in [*ci(doc), *cs(doc)]:
        k = nlp.vocab.strings[match_id]
        if k == key(text):
            continue
        for t in d.aliases.get(k, ()):
            if t.kind not in ("named", "state", "speaker") or (t.context and (home is None or t.context != home.iso2)):
                continue
            if best is None or e - s > best[1] - best[0]:
                best = (s, e, t)
    return target_record(d, best[2], home, date) if best else None


def _ethnic(d: ActorDictionary, k: str, home: Country | None = None) -> dict | None:
    """'turkana herders': an ethnic group followed by a militia-like noun."""
    words = k.split()
    for i, w in enumerate(words[:-1]):
        for size in (2, 1):
            group = " ".join(words[i:i + size])
            rest = words[i + size:]
            match = ethnic_by(d).get(group)
            if match and rest and rest[0] in ETHNIC_NOUNS:
                return ethnic_record(match, d.ethnic[match], home.name if home else None)
    return None


@functools.lru_cache(maxsize=1 << 14)
def _nearest_alias(d: ActorDictionary, k: str) -> str | None:
    """The fuzzy key nearest `k` above the cut-off (cached: the same phrases recur across documents)."""
    hit = process.extractOne(k, d.fuzzy_keys.keys(), scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
    return hit[0] if hit else None


def fuzzy_record(d: ActorDictionary, k: str, home: Country | None, date: str | None) -> dict | None:
    """A named actor whose alias is a near-miss spelling of key `k` (guarded against common words)."""
    if len(k) < FUZZY_MIN_CHARS or len(k.split()) > FUZZY_MAX_TOKENS or k in COMMON_WORDS:
        return None
    if k in d.by_country_name or k in d.aliases:
        return None
    alias = _nearest_alias(d, k)
    if alias is None:
        return None
    # same first letter and same token count: "al nusa" ~ "al nusra", not "al nour" ~ "al nusra"
    if alias[0] != k[0] or len(alias.split()) != len(k.split()):
        return None
    rec = _named_record(d, d.fuzzy_keys[alias], home, date)
    rec["method"] = "fuzzy"
    return rec
