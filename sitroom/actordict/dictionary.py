"""The actor dictionary: every alias of every actor ACLED names, loaded once from `sitroom/data/actors/`.

countries.toml  states: names, adjectives, capitals, ACLED government periods, units
named.toml      named groups and organisations ("Hayat Tahrir al-Sham", "OCHA")
speakers.toml   outlets and offices that speak for a state ("TASS", "the Kremlin")
ethnic.toml     ethnic groups ACLED codes as identity militias, and their militia name
roles.toml      generic role phrases ("gunmen", "the police"), via `lexicon.roles`

Each alias maps to `Target`s (what it stands for); a name is made from a target only once
the document's country and date are known (`resolve.py`). Every file is checked on load:
a malformed entry raises `DataFileError` naming the file and the line of its table.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from spacy.matcher import PhraseMatcher
from spacy.vocab import Vocab

from ..datafiles import check, data_path
from .lexicon import COMMON_WORDS, FUZZY_MIN_CHARS, GENERIC_UNIT_WORDS, roles, unit_role
from .schema import array_tables, named_tables, top_level

DATA_DIR = data_path("actors")
NAMED_KINDS = ("armed", "state", "monitor", "un", "ngo", "media", "party")
SPEAKER_SIDES = ("government", "military", "police")


@functools.lru_cache(maxsize=1 << 16)
def key(text: str) -> str:
    """Normalised lookup key: lowercase, straight quotes, hyphens and dots as spaces (cached: a hot path)."""
    text = text.lower().replace("’", "'").replace("‘", "'")
    text = re.sub(r"[-–—./]", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"^the ", "", text)


def _cased(alias: str) -> bool:
    """Acronyms and one-word names match with case ("IS", "AA", "Amnesty" vs "amnesty")."""
    letters = [c for c in alias if c.isalpha()]
    if letters and not any(c.islower() for c in letters):
        return True
    return " " not in alias.strip() and "-" not in alias


@dataclass(frozen=True)
class Country:
    """A state as ACLED names it, with its government periods ("Military Forces of Kenya (2013-)")."""
    iso2: str
    name: str
    the: bool = False
    adjectives: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    capitals: tuple[str, ...] = ()
    periods: tuple[str, ...] = ()
    since: tuple[tuple[str, str], ...] = ()
    military: tuple[str, ...] = ()
    police: tuple[str, ...] = ()
    government: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    units: tuple[tuple[str, str], ...] = ()
    sovereign: str = ""          # a territory's state (ISO2), whose forces act there

    @property
    def state_name(self) -> str:
        return f"the {self.name}" if self.the else self.name

    def period(self, date: str | None) -> str | None:
        """The ACLED government period in force on `date` (ISO date or year; None: the latest)."""
        if not self.periods:
            return None
        if not date:
            return self.periods[-1]
        since = dict(self.since)
        chosen = self.periods[0]
        for label in self.periods:
            start = since.get(label) or label.split("-")[0] + "-01-01"
            if date[:10] >= start[: len(date[:10])]:
                chosen = label
        return chosen

    def state(self, date: str | None) -> str:
        period = self.period(date)
        return f"{self.state_name} ({period})" if period else self.state_name


@dataclass(frozen=True)
class Target:
    """What an alias stands for; resolved to a name once the date and document country are known."""
    kind: str                    # named | state | role | speaker | ethnic | country
    ref: str = ""                # named: actor index; state/country/speaker: ISO2; ethnic: group
    role: str = ""               # state/role/speaker: role class (military, police, ...); unit suffix
    unit: str = ""
    context: str = ""            # ISO2: valid only when that country is in the document


@dataclass(frozen=True)
class Named:
    """A named actor; `after` = ((date, name), ...) from which ACLED codes it under another name
    (oldest first: "Boko Haram" is JAS, then ISWAP from 2015, then "ISWAP and/or JAS" from 2016)."""
    name: str
    inter: str | None
    country: str                 # ACLED country name or ""
    kind: str = "armed"
    after: tuple[tuple[str, str], ...] = ()
    fuzzy: bool = True


@dataclass(eq=False)
class ActorDictionary:
    countries: dict[str, Country] = field(default_factory=dict)
    named: list[Named] = field(default_factory=list)
    ethnic: dict[str, str] = field(default_factory=dict)           # group -> its home (ACLED country)
    ethnic_countries: dict[str, tuple[str, ...]] = field(default_factory=dict)  # group -> every country it lives in
    ethnic_templates: dict[str, str] = field(default_factory=dict)  # group -> its pattern (ethnic or clan)
    ethnic_template: str = ""                                       # "{group} Ethnic Militia ({country})"
    clan_template: str = ""                                         # "{group} Clan Militia ({country})"
    ethnic_inter: str = ""
    aliases: dict[str, list[Target]] = field(default_factory=dict)  # key -> targets
    surface: dict[str, set[str]] = field(default_factory=dict)     # key -> surface forms
    cased: set[str] = field(default_factory=set)                    # surface forms matched with case
    by_country_name: dict[str, str] = field(default_factory=dict)  # lower name -> ISO2
    fuzzy_keys: dict[str, int] = field(default_factory=dict)       # alias key -> named index

    def add(self, alias: str, target: Target, force_cased: bool | None = None) -> None:
        alias = alias.strip()
        if not alias:
            return
        k = key(alias)
        targets = self.aliases.setdefault(k, [])
        if target not in targets:
            targets.append(target)
        self.surface.setdefault(k, set()).add(alias)
        if force_cased if force_cased is not None else _cased(alias):
            self.cased.add(alias)

    def country_by_name(self, name: str | None) -> Country | None:
        if not name:
            return None
        iso = name.upper() if len(name) == 2 and name.upper() in self.countries else \
            self.by_country_name.get(key(name))
        if iso:
            return self.countries.get(iso)
        return _pycountry(name)

    @classmethod
    def load(cls, directory: Path = DATA_DIR) -> ActorDictionary:
        """Read and check the data files of `directory` (the packaged ones by default)."""
        d = cls()
        _load_countries(d, directory / "countries.toml")
        for c in d.countries.values():
            check(not c.sovereign or c.sovereign in d.countries, directory / "countries.toml",
                  f"countries.{c.iso2}: state {c.sovereign!r} is not a country of the file")
        _load_named(d, directory / "named.toml")
        _load_speakers(d, directory / "speakers.toml")
        _load_ethnic(d, directory / "ethnic.toml")
        for role in roles(directory / "roles.toml").values():
            for phrase in role.phrases:
                d.add(phrase, Target("role", role=role.name), force_cased=False)
            for phrase in role.anchored:
                d.add(phrase, Target("role", role=role.name + "*"), force_cased=False)
        return d


@functools.lru_cache(maxsize=256)
def _pycountry(name: str) -> Country | None:
    """A country the data file lacks, named as pycountry does (no government periods)."""
    try:
        import pycountry
        c = pycountry.countries.get(alpha_2=name.upper()) if len(name) == 2 else \
            pycountry.countries.lookup(name)
    except (ImportError, LookupError):
        return None
    if c is None:
        return None
    return Country(iso2=c.alpha_2, name=getattr(c, "common_name", None) or c.name)


@functools.lru_cache(maxsize=4)
def ethnic_by(d: ActorDictionary, fold: str = "key") -> dict[str, str]:
    """Each ethnic group under its `key` (or its lower case): the first listed wins, as a scan would find it."""
    out: dict[str, str] = {}
    for g in d.ethnic:
        out.setdefault(key(g) if fold == "key" else g.lower(), g)
    return out


@functools.cache
def actor_dictionary() -> ActorDictionary:
    """The actor dictionary (countries, named groups, speakers, ethnic groups, roles), loaded once."""
    return ActorDictionary.load()


# ----------------------------------------------------------------------------- loading, one file each
_COUNTRY_LISTS = ("adjectives", "aliases", "capitals", "periods", "military", "police", "government", "context")


def _load_countries(d: ActorDictionary, path: Path) -> None:
    for iso, e in named_tables(path, "countries", {"name", "the", "since", "units", "state", *_COUNTRY_LISTS}):
        e.check(len(iso) == 2 and iso.isupper(), "expected an ISO2 code")
        lists = {f: e.strings(f) for f in _COUNTRY_LISTS}
        since, units = e.raw.get("since", {}), e.raw.get("units", {})
        e.check(isinstance(since, dict) and set(since) <= set(lists["periods"]), "since names a period not in periods")
        e.check(isinstance(units, dict) and all(isinstance(u, str) for u in units.values()),
                "units maps alias = unit name")
        e.check(set(lists["context"]) <= {*lists["military"], *lists["police"], *lists["government"], *units},
                "a context alias is not among the military/police/government/units aliases")
        sovereign = e.text("state", optional=True) or ""
        e.check(not sovereign or len(sovereign) == 2 and sovereign.isupper() and sovereign != iso,
                "state must be another country's ISO2 code")
        country = Country(iso2=iso, name=e.text("name"), the=e.flag("the"), since=tuple(since.items()),
                          units=tuple(units.items()), sovereign=sovereign, **lists)
        d.countries[iso] = country
        for n in (country.name, *country.aliases):
            d.by_country_name[key(n)] = iso
            d.add(n, Target("country", iso))
        d.by_country_name[key(iso)] = iso
        for adj in country.adjectives:
            d.add(adj, Target("country", iso, role="adjective"))
        for cap in country.capitals:
            d.add(cap, Target("country", iso, role="capital"))
        context = set(country.context)
        for role in ("military", "police", "government"):
            for alias in getattr(country, role):
                d.add(alias, Target("state", iso, role=role, context=iso if alias in context else ""))
        for alias, unit in country.units:
            role = unit_role(unit)
            generic = set(key(alias).split()) <= GENERIC_UNIT_WORDS  # "Air Force" alone: whose?
            d.add(alias, Target("state", iso, role=role, unit=unit,
                                context=iso if alias in context or generic else ""))
            for adj in country.adjectives:
                d.add(f"{adj} {alias}", Target("state", iso, role=role, unit=unit))


def _load_named(d: ActorDictionary, path: Path) -> None:
    for e in array_tables(path, "actor", {"name", "inter", "country", "aliases", "context", "kind", "after",
                                          "nofuzzy"}):
        kind = e.raw.get("kind", "armed")
        e.check(kind in NAMED_KINDS, f"kind {kind!r} is not one of {', '.join(NAMED_KINDS)}")
        inter = e.inter() if kind == "armed" or e.raw.get("inter") is not None else None
        e.check(isinstance(e.raw.get("country", ""), str), "country must be a name")
        aliases, context = e.strings("aliases"), set(e.strings("context"))
        e.check(bool(aliases), "aliases missing")
        e.check(context <= set(aliases), "a context alias is not among its aliases")
        after = e.raw.get("after", [])
        after = [after] if isinstance(after, dict) else after
        e.check(isinstance(after, list) and all(isinstance(a, dict) and set(a) == {"date", "name"} for a in after),
                "after needs date and name (a table, or a list of them)")
        after = tuple(sorted((a["date"], a["name"]) for a in after))
        idx = len(d.named)
        d.named.append(Named(name=e.text("name"), inter=inter, country=e.raw.get("country", ""), kind=kind,
                             after=after, fuzzy=not e.flag("nofuzzy")))
        home = d.country_by_name(e.raw.get("country"))
        for alias in aliases:
            ctx = home.iso2 if (alias in context and home) else ""
            d.add(alias, Target("named", str(idx), context=ctx))
            if not ctx and d.named[idx].fuzzy and len(key(alias)) >= FUZZY_MIN_CHARS \
                    and key(alias) not in COMMON_WORDS:
                d.fuzzy_keys.setdefault(key(alias), idx)


def _load_speakers(d: ActorDictionary, path: Path) -> None:
    for e in array_tables(path, "outlet", {"country", "side", "aliases"}, label="country"):
        e.check(e.raw.get("country") in d.countries, f"country {e.raw.get('country')!r} is not in countries.toml")
        e.check(e.raw.get("side") in SPEAKER_SIDES, f"side is not one of {', '.join(SPEAKER_SIDES)}")
        for alias in e.strings("aliases"):
            d.add(alias, Target("speaker", e.raw["country"], role=e.raw["side"]))


def _load_ethnic(d: ActorDictionary, path: Path) -> None:
    e = top_level(path, {"template", "clan_template", "inter", "groups", "clans"})
    template, clan_template = e.text("template"), e.text("clan_template")
    for t in (template, clan_template):
        e.check("{group}" in t and "{country}" in t, "templates need {group} and {country}")
    d.ethnic_template, d.clan_template, d.ethnic_inter = template, clan_template, e.inter()
    for table, pattern in (("groups", template), ("clans", clan_template)):
        groups = e.raw.get(table)
        e.check(isinstance(groups, dict) and all(
            isinstance(c, str) and c or isinstance(c, list) and c and all(isinstance(x, str) and x for x in c)
            for c in groups.values()), f"[{table}] maps group = ACLED country, or a list of them (home first)")
        for group, countries in groups.items():
            e.check(group not in d.ethnic, f"{group!r} is listed twice")
            countries = (countries,) if isinstance(countries, str) else tuple(countries)
            d.ethnic[group], d.ethnic_countries[group], d.ethnic_templates[group] = countries[0], countries, pattern


# ----------------------------------------------------------------------------- matching in text
@functools.lru_cache(maxsize=8)
def alias_matchers(vocab: Vocab) -> tuple[PhraseMatcher, PhraseMatcher]:
    """Case-insensitive (NORM) and case-sensitive (ORTH) phrase matchers over every alias."""
    from spacy.lang.en import English

    d = actor_dictionary()
    tokenizer = English(vocab=vocab).tokenizer
    ci, cs = PhraseMatcher(vocab, attr="NORM"), PhraseMatcher(vocab, attr="ORTH")
    ci_pats: dict[str, list] = {}
    cs_pats: dict[str, list] = {}
    for k, forms in d.surface.items():
        for form in forms:
            variants = {form, form.replace("-", " "), form.replace("’", "'")}
            if form in d.cased:
                if not any(c.isupper() for c in form):
                    variants |= {v[:1].upper() + v[1:] for v in list(variants)}
                variants |= {v.upper() for v in list(variants) if len(v) > 3}
                cs_pats.setdefault(k, []).extend(tokenizer(v) for v in variants)
            else:
                ci_pats.setdefault(k, []).extend(tokenizer(v) for v in variants)
    for k, pats in ci_pats.items():
        ci.add(k, pats)
    for k, pats in cs_pats.items():
        cs.add(k, pats)
    return ci, cs


MATCHES_KEY = "sitroom_alias_matches"


CURRENCY_WORDS = frozenset({"dollar", "dollars"})  # 'the US dollar exchange rate' names no actor and no country


def alias_matches(doc) -> list[tuple[str, int, int]]:
    """Every dictionary alias in a Doc as (alias key, start token, end token), case-insensitive
    matches first; matched once per Doc (the countries and actors stages both read them)."""
    found = doc.user_data.get(MATCHES_KEY)
    if found is None:  # a Doc's tokens never change, nor, within a process, the dictionary
        ci, cs = alias_matchers(doc.vocab)
        found = doc.user_data[MATCHES_KEY] = [(doc.vocab.strings[m], s, e) for m, s, e in [*ci(doc), *cs(doc)]
                                              if not (e < len(doc) and doc[e].lower_ in CURRENCY_WORDS)]
    return found
