"""Actors stage: finds who acts in a report and names them the way ACLED does.

Every actor mention (a named group, "Kenyan police", "Russia's Aerospace Forces",
"gunmen", a metonymic "Turkey") resolves to one canonical actor name in ACLED's
style ("Military Forces of Russia (2000-) Air Force", "Unidentified Armed Group
(Somalia)", "Hayat Tahrir al-Sham") with its ACLED inter type and country.

Writes `doc._.actor_mentions` (every mention, for the claims/events stages) and
`doc._.actors` (one contract record per canonical actor). The dictionary is data
(`sitroom/data/actors/*.toml`), loaded lazily; see `actor_dictionary()`.

Public helpers used by other stages: `resolve_actor`, `find_actor_mentions`,
`inter_in`, `doc_country`, `actor_dictionary`.
"""
from __future__ import annotations

import functools
import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from rapidfuzz import fuzz, process
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from ..document import text_of

from .. import document

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "actors"

from ..acled import EXTERNAL, INTER_TYPES, STATE  # noqa: E402,F401 - INTER_TYPES re-exported
PARTY_KINDS = ("armed", "state", "generic", "ethnic", "party")  # kinds that are parties to events
# Units under the interior ministry: "Police Forces of Kenya (2013-) General Service Unit".
# Unit names made only of these words name no country on their own ("Air Force", "National Guard").
GENERIC_UNIT_WORDS = frozenset("""air force forces navy naval national guard aerospace special police territorial
defense defence state emergency service border the of""".split())
POLICE_UNIT_WORDS = ("Police", "General Service Unit", "Rapid Deployment Unit", "Emergency Service",
                     "Border Guard", "Security Service", "Wildlife Service", "Gendarmerie")

# Fuzzy matching (typos and transliterations of named groups, e.g. "Al Nusa").
FUZZY_CUTOFF = 86          # rapidfuzz ratio; 86 keeps one-letter typos of 7+ char names
FUZZY_MIN_CHARS = 6        # shorter strings match too many unrelated words
FUZZY_MAX_TOKENS = 6       # longer candidates are clauses, not names

# Right context of a country anchor: how far a head noun may follow ("Syrian government forces").
MAX_MODIFIERS = 3
MODIFIER_WORDS = frozenset("""government regime state security armed special military federal national
elite regular local pro government-backed allied loyalist army air naval ground border riot
counter-terrorism anti-terrorism paramilitary intelligence defence defense interior foreign health
official new former top senior the its their a an some several many unknown unidentified suspected""".split())
POSSESSIVE = frozenset({"'s", "’s", "'", "’"})
BACKING_WORDS = frozenset({"backed", "sponsored", "supported", "funded", "trained", "armed", "allied",
                           "aligned", "led", "controlled", "run", "affiliated", "linked", "based"})

# Generic role phrases -> role class. Classes ending in "*" need a country anchor
# ("Syrian forces" yes, bare "forces" no).
GENERIC_ROLES: dict[str, tuple[str, ...]] = {
    "military": ("army", "the army", "military", "the military", "armed forces", "troops", "soldiers", "soldier",
                 "servicemen", "serviceman", "government forces", "government troops", "government soldiers",
                 "regime forces", "state forces", "military forces", "ground forces", "army troops",
                 "army soldiers", "commandos", "paratroopers", "marines", "defence forces",
                 "defense forces", "defence force", "defense force", "military officials", "army officers",
                 "army officials", "military sources", "security sources",
                 "defence ministry", "defense ministry", "ministry of defence", "ministry of defense",
                 "defence minister", "defense minister", "general staff", "army spokesman",
                 "military spokesman", "army spokesperson", "military spokesperson", "armed forces spokesman",
                 "military intelligence", "gendarmerie", "gendarmes", "national guard"),
    "military*": ("forces", "special forces", "advisors", "advisers", "military advisors", "military advisers", "units",
                  "artillery", "tanks", "troop", "personnel", "military personnel", "command",
                  "officers", "commanders", "commander", "military interventions", "military intervention",
                  "intervention", "interventions", "shelling", "offensive", "operations", "missiles"),
    "air*": ("air force", "air forces", "aerospace forces", "aircraft", "warplanes", "warplane", "jets",
             "fighter jets", "drones", "helicopters", "airstrikes", "air strikes", "airstrike", "air strike",
             "air raid", "air raids", "drone strike", "drone strikes", "bombers", "aviation",
             "air support", "air defence", "air defense", "air defences", "air defenses", "air defence forces",
             "air defense forces", "air defence systems", "air defense systems"),
    "navy*": ("navy", "naval forces", "warships", "warship", "coast guard"),
    "police": ("police", "the police", "policemen", "policeman", "police officers", "police officer",
               "police forces", "police force", "riot police", "police service", "anti-riot police",
               "security forces", "security agents", "security personnel", "security officers",
               "interior ministry", "ministry of interior", "ministry of the interior",
               "ministry of internal affairs", "police spokesman", "police spokesperson",
               "police commander", "police chief", "border guards", "border police", "cops"),
    "government": ("the government", "government", "authorities", "the authorities", "foreign ministry",
                   "ministry of foreign affairs", "health ministry", "ministry of health", "presidency",
                   "the presidency", "president", "prime minister", "cabinet", "government spokesman",
                   "government spokesperson"),
    "government*": ("officials", "official", "minister", "embassy", "leadership", "spokesman",
                    "spokesperson", "foreign minister", "state media", "state television", "state tv",
                    "state news agency", "administration"),
    "armed": ("gunmen", "gunman", "unknown gunmen", "unidentified gunmen", "armed men", "armed man",
              "armed group", "armed groups", "unidentified armed group", "unidentified armed men",
              "militants", "militant", "suspected militants", "bandits", "armed bandits", "assailants",
              "attackers", "insurgents", "jihadists", "jihadist", "terrorists", "terrorist group",
              "armed gang", "armed gangs", "gang members", "militia", "militiamen", "militias",
              "rebels", "rebel group", "rebel fighters", "fighters", "suspected bandits", "kidnappers",
              "unknown assailants", "unidentified assailants", "unidentified attackers", "hijackers",
              "suicide bomber", "pirates", "unknown group", "unidentified group", "unidentified gang",
              "gang", "gangs", "unknown men", "unidentified men", "unknown attackers", "armed robbers",
              "robbers", "abductors", "unknown armed men", "suspected insurgents", "guerrillas",
              "assailant", "attacker", "unknown assailant", "unidentified assailant", "unknown attacker",
              "unidentified attacker", "unidentified youths", "unknown youths", "arsonists", "an unknown group",
              "unidentified persons", "unknown persons", "unidentified people", "unknown people",
              "two men on a motorcycle", "men on a motorcycle", "men on motorbikes", "motorcycle-borne gunmen"),
    "communal": ("communal militia", "communal militias", "local militia", "tribal militia",
                 "clan militia", "clan militias", "ethnic militia", "raiders", "cattle raiders",
                 "cattle rustlers", "rustlers", "armed herders", "vigilantes", "vigilante group",
                 "tribesmen", "morans", "warriors", "armed pastoralists", "pastoralists", "armed herdsmen",
                 "herdsmen", "ethnic militias", "tribal militias"),
    "civilians": ("civilians", "civilian", "residents", "villagers", "passengers", "farmers", "herders",
                  "refugees", "displaced people", "a man", "a woman", "women", "children", "a boy", "a girl",
                  "journalists", "a journalist", "worker", "a trader", "motorists",
                  "aid workers", "a teacher", "pupils", "worshippers", "fishermen", "a civilian",
                  "pedestrians", "a family", "locals", "shopkeepers", "health workers", "a businessman",
                  "people", "person", "persons", "one person", "two people", "villager", "resident",
                  "family members", "a student", "a pastor", "a farmer", "a herder", "voters", "a voter",
                  "candidate", "candidates", "aspirant", "aspirants", "councillor", "a councillor",
                  "ward administrator", "village administrator", "informant", "informants", "a child", "a teenager", "a youth",
                  "a resident", "a villager", "civil servants", "election officials", "humanitarian workers",
                  "a man and a woman", "bystanders", "commuters", "hostages", "detainees", "prisoners",
                  "inmates", "patients", "doctors", "nurses", "miners", "fisherman", "a fisherman", "fishermen",
                  "students", "teachers", "workers", "traders", "employees", "lecturers", "operators",
                  "boda boda operators", "matatu operators", "motorcycle taxi operators", "members of the public"),
    "civilians*": ("nationals", "citizens", "tourists", "family", "population", "villages"),
    "protesters": ("protesters", "protestors", "demonstrators", "marchers", "protesting", "demonstration",
                   "protest", "picketers", "strikers", "protests", "demonstrations", "crowd", "the crowd",
                   "supporters", "activists", "opposition supporters", "a crowd", "petitioners"),
    "rioters": ("rioters", "a mob", "mob", "angry mob", "irate mob", "angry youths", "irate youths",
                "angry residents", "irate residents", "youths", "looters", "rioting", "riot", "riots",
                "angry crowd", "irate crowd", "rowdy youths", "an angry mob", "an irate mob"),
    "private": ("private security guards", "private security guard", "security guards", "security guard",
                "private security", "private security firm", "private security company", "watchmen", "watchman",
                "bodyguards"),
    "localdefense": ("local defense force", "local defense forces", "local defence force", "local defence forces",
                     "local defense group", "self-defense group", "self-defence group", "self-defense groups",
                     "self-defence groups", "village defense force", "village guards", "home guards"),
}

# Generic classes -> the ACLED name template for country X ({state} gets the period suffix).
ROLE_TEMPLATES = {
    "military": "Military Forces of {state}", "air": "Military Forces of {state} Air Force",
    "navy": "Military Forces of {state} Navy", "police": "Police Forces of {state}",
    "government": "Government of {state}", "armed": "Unidentified Armed Group ({country})",
    "communal": "Unidentified Communal Militia ({country})", "civilians": "Civilians ({country})",
    "protesters": "Protesters ({country})", "rioters": "Rioters ({country})",
    "private": "Private Security Forces ({country})",
    "localdefense": "Unidentified Local Defense Forces ({country})",
}
ROLE_INTER = {"military": STATE, "air": STATE, "navy": STATE, "police": STATE, "government": STATE,
              "armed": "Political militia", "communal": "Identity militia", "civilians": "Civilians",
              "protesters": "Protesters", "rioters": "Rioters", "private": EXTERNAL,
              "localdefense": "Political militia"}
# Roles whose name lacks a country when the country is unknown (ACLED has no countryless form).
COUNTRYLESS = {"armed": "Unidentified Armed Group", "military": "Unidentified Military Forces",
               "communal": "Unidentified Communal Militia", "civilians": "Civilians", "protesters": "Protesters",
               "rioters": "Rioters", "private": "Private Security Forces", "police": "Police Forces"}
# Roles of a crowd: ACLED's choice among them depends on the event (a violent crowd is Rioters,
# one attacked is Civilians); the events stage may re-map them with `generic_actor`.
CROWD_ROLES = ("protesters", "rioters", "civilians")

# Subjects of these verbs are protesters / rioters ("teachers protested", "students rioted").
PROTEST_VERBS = frozenset({"protest", "demonstrate", "march", "picket", "rally", "petition", "strike", "block",
                           "barricade", "boycott", "sit"})
RIOT_VERBS = frozenset({"riot", "loot", "torch", "lynch", "stone", "storm", "vandalise", "vandalize", "burn",
                        "clash", "overpower", "ransack", "pelt", "destroy", "set", "attack", "beat", "assault",
                        "invade", "raid", "damage", "smash", "throw", "hurl"})
# Local units of a national movement named by place: "Mandalay PDF" -> "People's Defense Force - Mandalay".
LOCAL_UNITS = {"PDF": ("People's Defense Force - {place}", "People's Defense Force - Local Group", "Myanmar"),
               "PDFs": ("People's Defense Force - {place}", "People's Defense Force - Local Group", "Myanmar")}

LOCAL_UNIT_AREAS = frozenset({"township", "town", "district"})  # "Pauk township PDF": the place before it
ETHNIC_NOUNS = frozenset("""militia militias militiamen raiders gunmen fighters warriors herders youths
attackers men community communities clan clansmen tribesmen bandits morans herdsmen vigilantes
youth elders tribe tribes group groups militants pastoralists gangs attackers assailants""".split())
# Words that may stand between an ethnic name and its noun ("Maasai and Kikuyu ethnic militias").
ETHNIC_FILLERS = frozenset({"and", "or", "ethnic", "clan", "communal", "tribal", "armed", "the", ",", "-",
                            "suspected", "rival"})
ETHNIC_TEMPLATE = "{group} Ethnic Militia ({country})"

# Verbs after which a metonymic country is the government speaking, not its army.
GOVERNMENT_VERBS = frozenset("""say said says tell told state stated announce announced claim claimed
deny denied condemn condemned accuse accused warn warned urge urged call called sign signed agree agreed
demand demanded reject rejected welcome welcomed insist insisted confirm confirmed report reported
threaten threatened recognize recognise recognized recognised sanction sanctioned negotiate negotiated
express expressed vow vowed pledge pledged declare declared""".split())
METONYMIC_DEPS = frozenset({"nsubj", "nsubjpass", "agent", "csubj"})

# A one-word role used as a noun modifier is not an actor ("military bases", "government-held"),
# unless the noun it modifies is a person speaking for it ("police spokesman").
MODIFIER_ROLES = frozenset({"military", "army", "police", "government", "state", "security", "militia",
                            "protest", "demonstration", "civilian", "rebel", "insurgent", "militant",
                            "terrorist", "jihadist", "navy", "cabinet", "presidency", "mob"})
SPEAKER_NOUNS = frozenset("""spokesman spokesperson spokeswoman chief commander commanders officials official
officers officer sources source statement spokesmen leaders leader head boss minister""".split())
NOT_ACTOR_NEXT = frozenset("""intervention interventions aid support hardware academy school court courts
uniform uniforms junta rule regime coup budget spending brutality custody reform reforms service
- controlled held run backed owned affiliated linked appointed aligned""".split())
# One-word roles that stay actors before a noun: an attack on a "police station" or "military
# convoy" has the police or military as its target in ACLED's coding.
STATE_MODIFIERS = frozenset({"military", "army", "police", "security", "navy"})

# Words that are never a fuzzy-matched actor on their own.
COMMON_WORDS = frozenset("""the and government army police forces military ministry group front
state national people party union movement council army's forces' international security""".split())


def key(text: str) -> str:
    """Normalised lookup key: lowercase, straight quotes, hyphens and dots as spaces."""
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


# ----------------------------------------------------------------------------- data
@dataclass(frozen=True)
class Country:
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
    name: str
    inter: str | None
    country: str                 # ACLED country name or ""
    kind: str = "armed"
    after: tuple[str, str] | None = None
    fuzzy: bool = True


@dataclass(eq=False)
class ActorDictionary:
    countries: dict[str, Country] = field(default_factory=dict)
    named: list[Named] = field(default_factory=list)
    ethnic: dict[str, str] = field(default_factory=dict)           # group -> ACLED country
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


def _load_toml(name: str) -> dict:
    with open(DATA_DIR / name, "rb") as fh:
        return tomllib.load(fh)


@functools.cache
def actor_dictionary() -> ActorDictionary:
    """The actor dictionary (countries, named groups, speakers, ethnic groups), loaded once."""
    d = ActorDictionary()
    for iso, c in _load_toml("countries.toml")["countries"].items():
        country = Country(iso2=iso, name=c["name"], the=c.get("the", False),
                          adjectives=tuple(c.get("adjectives", ())), aliases=tuple(c.get("aliases", ())),
                          capitals=tuple(c.get("capitals", ())), periods=tuple(c.get("periods", ())),
                          since=tuple(c.get("since", {}).items()), military=tuple(c.get("military", ())),
                          police=tuple(c.get("police", ())), government=tuple(c.get("government", ())),
                          context=tuple(c.get("context", ())), units=tuple(c.get("units", {}).items()))
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
            role = "police" if any(w in unit for w in POLICE_UNIT_WORDS) else "military"
            generic = set(key(alias).split()) <= GENERIC_UNIT_WORDS  # "Air Force" alone: whose?
            d.add(alias, Target("state", iso, role=role, unit=unit,
                                context=iso if alias in context or generic else ""))
            for adj in country.adjectives:
                d.add(f"{adj} {alias}", Target("state", iso, role=role, unit=unit))
    for raw in _load_toml("named.toml")["actor"]:
        idx = len(d.named)
        after = raw.get("after")
        d.named.append(Named(name=raw["name"], inter=raw.get("inter"), country=raw.get("country", ""),
                             kind=raw.get("kind", "armed"),
                             after=(after["date"], after["name"]) if after else None,
                             fuzzy=not raw.get("nofuzzy", False)))
        home = d.country_by_name(raw.get("country"))
        context = set(raw.get("context", ()))
        for alias in raw["aliases"]:
            ctx = home.iso2 if (alias in context and home) else ""
            d.add(alias, Target("named", str(idx), context=ctx))
            if not ctx and d.named[idx].fuzzy and len(key(alias)) >= FUZZY_MIN_CHARS \
                    and key(alias) not in COMMON_WORDS:
                d.fuzzy_keys.setdefault(key(alias), idx)
    for raw in _load_toml("speakers.toml")["outlet"]:
        for alias in raw["aliases"]:
            d.add(alias, Target("speaker", raw["country"], role=raw["side"]))
    d.ethnic = dict(_load_toml("ethnic.toml")["groups"])
    for role, phrases in GENERIC_ROLES.items():
        for phrase in phrases:
            d.add(phrase, Target("role", role=role), force_cased=False)
    return d


# ----------------------------------------------------------------------------- naming
def _year_ok(date: str | None, after: tuple[str, str] | None) -> bool:
    """False once `date` is past the day ACLED renamed the group."""
    return not (after and date and date[:10] >= after[0])


def _state_record(country: Country, role: str, unit: str = "", date: str | None = None) -> dict:
    role = role.rstrip("*")
    if role == "adjective" or role == "capital":
        role = "military"
    template = ROLE_TEMPLATES.get(role, ROLE_TEMPLATES["military"])
    name = template.format(state=country.state(date), country=country.name)
    if unit and role in ("military", "police", "air", "navy"):
        base = ROLE_TEMPLATES["police" if role == "police" else "military"].format(state=country.state(date))
        name = f"{base} {unit}"
    return {"name": name, "inter": ROLE_INTER.get(role, STATE), "country": country.name,
            "kind": "state" if ROLE_INTER.get(role, STATE) == STATE else "generic", "role": role}


def _role_record(role: str, country: Country | None, date: str | None = None) -> dict | None:
    role = role.rstrip("*")
    if country is not None:
        return _state_record(country, role, date=date)
    if role in COUNTRYLESS:
        return {"name": COUNTRYLESS[role], "inter": ROLE_INTER[role], "country": None, "kind": "generic",
                "role": role}
    return None


def generic_actor(role: str, country: str | None = None, date: str | None = None) -> dict | None:
    """ACLED's generic actor of a role in a country: ("rioters", "Kenya") -> "Rioters (Kenya)".

    Roles: military, air, navy, police, government, armed, communal, civilians, protesters,
    rioters, private. For the events stage to re-map a crowd mention once the event type is known."""
    return _role_record(role, actor_dictionary().country_by_name(country), date)


def _named_record(d: ActorDictionary, idx: int, country: Country | None, date: str | None) -> dict:
    n = d.named[idx]
    if n.after and not _year_ok(date, n.after):
        name = n.after[1]
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


def _target_record(d: ActorDictionary, t: Target, country: Country | None, date: str | None) -> dict | None:
    if t.kind == "named":
        return _named_record(d, int(t.ref), country, date)
    if t.kind in ("state", "speaker"):
        rec = _state_record(d.countries[t.ref], t.role, t.unit, date)
        if t.kind == "speaker":
            rec["kind"] = "speaker"
        return rec
    if t.kind == "country":  # a bare capital is a place; a bare country name stands for its state
        return None if t.role == "capital" else _state_record(d.countries[t.ref], "military", date=date)
    if t.kind == "role":
        return _role_record(t.role, country, date)
    return None


def inter_in(actor: dict, country: str | None) -> str | None:
    """ACLED's inter of `actor` in an event in `country`: a state's forces abroad are External/Other."""
    inter = actor.get("home_inter") or actor.get("inter")
    home = actor.get("country")
    if inter == STATE and home and country and home != country:
        return EXTERNAL
    return inter


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


def _role_of(d: ActorDictionary, phrase: str, anchored: bool) -> str | None:
    """Role class of a head phrase, trying the longest suffix first ("syrian government forces")."""
    words = [w for w in phrase.split() if w not in ("'s", "s", "'")]
    for i in range(len(words)):
        tail = " ".join(words[i:])
        for t in d.aliases.get(tail, ()):
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
        rec = _target_record(d, t, home, date)
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
                role = "police" if any(w in unit for w in POLICE_UNIT_WORDS) else "military"
                return _state_record(anchor, role, unit, date)
        role = _role_of(d, after, anchored=True) if after else None
        if role is None and before.endswith(" of") or before == "of":
            role = _role_of(d, re.sub(r"\s*of$", "", before), anchored=True)
        if role is None and after:
            named = resolve_actor(after, anchor.iso2, date, fuzzy=False)
            if named and named.get("kind") == "armed":
                return named
        if role is None and (after or before):
            ethnic = _ethnic(d, k, home, date)
            return ethnic
        return _state_record(anchor, role or "military", date=date)
    ethnic = _ethnic(d, k, home, date)
    if ethnic:
        return ethnic
    role = _role_of(d, k, anchored=False)
    if role:
        return _role_record(role, home, date)
    if fuzzy:
        return _fuzzy(d, k, home, date)
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
    ci, cs = _matchers(nlp.vocab)
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
    return _target_record(d, best[2], home, date) if best else None


def _ethnic(d: ActorDictionary, k: str, home: Country | None, date: str | None) -> dict | None:
    words = k.split()
    for i, w in enumerate(words[:-1]):
        for size in (2, 1):
            group = " ".join(words[i:i + size])
            rest = words[i + size:]
            match = next((g for g in d.ethnic if key(g) == group), None)
            if match and rest and rest[0] in ETHNIC_NOUNS:
                where = d.ethnic[match]
                return {"name": ETHNIC_TEMPLATE.format(group=match, country=where),
                        "inter": "Identity militia", "country": where, "kind": "ethnic"}
    return None


def _fuzzy(d: ActorDictionary, k: str, home: Country | None, date: str | None) -> dict | None:
    """A named actor whose alias is a near-miss spelling of `k` (guarded against common words)."""
    if len(k) < FUZZY_MIN_CHARS or len(k.split()) > FUZZY_MAX_TOKENS or k in COMMON_WORDS:
        return None
    if k in d.by_country_name or k in d.aliases:
        return None
    hit = process.extractOne(k, d.fuzzy_keys.keys(), scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
    if not hit:
        return None
    alias = hit[0]
    # same first letter and same token count: "al nusa" ~ "al nusra", not "al nour" ~ "al nusra"
    if alias[0] != k[0] or len(alias.split()) != len(k.split()):
        return None
    rec = _named_record(d, d.fuzzy_keys[alias], home, date)
    rec["method"] = "fuzzy"
    return rec


# ----------------------------------------------------------------------------- mentions in a Doc
@functools.lru_cache(maxsize=8)
def _matchers(vocab: Vocab) -> tuple[PhraseMatcher, PhraseMatcher]:
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


def _published(doc: Doc) -> str | None:
    return getattr(doc._, "published", None) if Doc.has_extension("published") else None


# How much a place mention says about where the events happened.
PLACE_WEIGHT = 3.0        # a town, district or region
COUNTRY_NAME_WEIGHT = 2.0 # "in Kenya"
ADJECTIVE_WEIGHT = 0.5    # "Russian forces": who acts, not where
METONYMIC_WEIGHT = 0.5    # "Turkey has established bases": an actor, not a place
NAMED_GROUP_WEIGHT = 0.25 # "Mungiki": a group mostly fights at home; alone, any weight decides
NAMED_GROUP_SUPPORT = 1.0 # beside places: outweighs one mis-resolved village, not two places


def doc_countries(doc: Doc) -> Counter:
    """ISO2 -> weight of each country the document is about (places first, then names in text)."""
    d = actor_dictionary()
    counts: Counter = Counter()
    for p in document.layer(doc, "places"):
        iso = (p.get("country") or "").upper()
        if len(iso) != 2:
            continue
        k = key(p.get("mention") or "")
        kinds = {t.role or "name" for t in d.aliases.get(k, ()) if t.kind == "country"}
        if p.get("metonymic"):
            counts[iso] += METONYMIC_WEIGHT
        elif "name" in kinds:
            counts[iso] += COUNTRY_NAME_WEIGHT
        elif "adjective" in kinds:
            counts[iso] += ADJECTIVE_WEIGHT
        else:
            counts[iso] += PLACE_WEIGHT
    named_group_weight = NAMED_GROUP_WEIGHT if not counts else NAMED_GROUP_SUPPORT
    if not counts:
        ci, cs = _matchers(doc.vocab)
        for match_id, _, _ in [*ci(doc), *cs(doc)]:
            for t in d.aliases.get(doc.vocab.strings[match_id], ()):
                if t.kind == "country" and t.role != "capital":
                    counts[t.ref] += ADJECTIVE_WEIGHT if t.role == "adjective" else COUNTRY_NAME_WEIGHT
                elif t.kind == "state" and not t.context:
                    counts[t.ref] += ADJECTIVE_WEIGHT
    # the home countries of named groups ("Mungiki" -> Kenya, "KIA" -> Myanmar): decisive only
    # when nothing else is known, otherwise a tie-breaker against a place resolved abroad
    ci, cs = _matchers(doc.vocab)
    seen: set[str] = set()
    for match_id, _, _ in [*ci(doc), *cs(doc)]:
        for t in d.aliases.get(doc.vocab.strings[match_id], ()):
            if t.kind == "named" and not t.context and t.ref not in seen \
                    and d.named[int(t.ref)].kind in ("armed", "party"):
                seen.add(t.ref)  # each group once: "Al Shabaab" five times is still one clue
                home = d.country_by_name(d.named[int(t.ref)].country)
                if home and home.iso2 in d.countries:
                    counts[home.iso2] += named_group_weight
    return counts


def doc_country(doc: Doc) -> str | None:
    """The ACLED name of the document's main country (None when no country is evident)."""
    counts = doc_countries(doc)
    if not counts:
        return None
    country = actor_dictionary().country_by_name(counts.most_common(1)[0][0])
    return country.name if country else None


def _metonymic(doc: Doc, span: Span, places: list[dict]) -> str | None:
    """'government' or 'military' when a bare country name stands for its state, else None."""
    for p in places:
        if p.get("start") == span.start_char and p.get("metonymic"):
            return _state_side(span)
    if not doc.has_annotation("DEP"):
        return None
    root = span.root
    tok = root
    while tok.dep_ == "conj" and tok.head is not tok:
        tok = tok.head
    if tok.dep_ in METONYMIC_DEPS or (tok.dep_ == "pobj" and tok.head.lower_ == "by"):
        return _state_side(span)
    return None


def _state_side(span: Span) -> str:
    tok = span.root
    while tok.dep_ == "conj":
        tok = tok.head
    verb = tok.head
    return "government" if verb.lemma_.lower() in GOVERNMENT_VERBS or verb.lower_ in GOVERNMENT_VERBS \
        else "military"


def _candidate_spans(doc: Doc) -> Iterable[Span]:
    """Spans that may name an organisation not in the dictionary verbatim (for fuzzy matching)."""
    seen = set()
    for ent in doc.ents:
        if ent.label_ in ("ORG", "NORP", "PERSON", "GPE", "FAC", "LOC", "PRODUCT", "WORK_OF_ART"):
            seen.add((ent.start, ent.end))
            yield ent
    i = 0
    while i < len(doc):
        tok = doc[i]
        if tok.is_title and not tok.is_sent_start or tok.lower_ in ("al", "el") and tok.is_title:
            j = i + 1
            while j < len(doc) and j - i < FUZZY_MAX_TOKENS and (doc[j].is_title or doc[j].text == "-"):
                j += 1
            if (i, j) not in seen:
                yield doc[i:j]
            i = j
        else:
            i += 1


def find_actor_mentions(doc: Doc) -> list[dict]:
    """Every actor mention: {start, end, text, actor, inter, country, kind, method}."""
    d = actor_dictionary()
    ci, cs = _matchers(doc.vocab)
    date = _published(doc)
    counts = doc_countries(doc)
    home = d.country_by_name(counts.most_common(1)[0][0]) if counts else None
    home_name = home.name if home else None
    present = set(counts)
    places = document.layer(doc, "places")
    matches = sorted({(s, e, doc.vocab.strings[m]) for m, s, e in [*ci(doc), *cs(doc)]},
                     key=lambda x: (x[0], -(x[1] - x[0])))
    roles_at: dict[int, list[tuple[int, str]]] = {}
    for s, e, k in matches:
        for t in d.aliases.get(k, ()):
            if t.kind == "role":
                roles_at.setdefault(s, []).append((e, t.role))
    found: list[dict] = []

    def emit(s: int, e: int, rec: dict | None, method: str) -> None:
        if rec:
            span = doc[s:e]
            found.append({"start": span.start_char, "end": span.end_char, "text": span.text,
                          "actor": rec["name"], "inter": inter_in(rec, home_name), "home_inter": rec["inter"],
                          "country": rec["country"],
                          "kind": rec.get("kind", "armed"), "role": rec.get("role"), "method": method,
                          "_tok": (s, e)})

    for s, e, k in matches:
        for t in d.aliases.get(k, ()):
            if t.context and t.context not in present:
                continue
            if t.kind == "country":
                _emit_country(doc, d, s, e, t, roles_at, places, date, emit)
                break
            if t.kind == "role":
                if t.role.endswith("*") or _is_modifier(doc, s, e):
                    continue
                ethnic = _ethnic_before(doc, d, s, e)
                if ethnic:
                    emit(ethnic[0], e, ethnic[1], "ethnic")
                emit(s, e, _role_record(t.role, home, date), "generic")
                break
            emit(s, e, _target_record(d, t, home, date), "dictionary")
            break
    _local_units(doc, d, emit)
    _ethnic_mentions(doc, d, emit)
    covered = {i for m in found for i in range(*m["_tok"])}
    for span in _candidate_spans(doc):
        if any(i in covered for i in range(span.start, span.end)):
            continue
        if any(p.get("start") == span.start_char for p in places):
            continue
        rec = _fuzzy(d, key(span.text), home, date)
        if rec:
            emit(span.start, span.end, rec, "fuzzy")
            covered.update(range(span.start, span.end))
    kept = _resolve_overlaps(found)
    for m in kept:
        _crowd_by_verb(doc, m, home, date)
    return kept


def _verb_after(doc: Doc, span: Span) -> str | None:
    """The lemma of the verb a mention is the subject of (parse, else the next word or two)."""
    if doc.has_annotation("DEP"):
        root = span.root
        if root.dep_ in ("nsubj", "nsubjpass") or (root.dep_ == "conj" and root.head.dep_ == "nsubj"):
            head = root.head if root.dep_ != "conj" else root.head.head
            return (head.lemma_ or head.lower_).lower()
        return None
    for tok in doc[span.end:span.end + 2]:
        stem = _verb_stem(tok.lower_)
        if stem in PROTEST_VERBS or stem in RIOT_VERBS:
            return stem
    return None


def _verb_stem(word: str) -> str:
    for suffix in ("ed", "es", "s", "ing", "d"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)]
            for cand in (stem, stem + "e", stem[:-1]):
                if cand in PROTEST_VERBS or cand in RIOT_VERBS:
                    return cand
    return word


def _crowd_by_verb(doc: Doc, m: dict, home: Country | None, date: str | None) -> None:
    """'Teachers protested' are Protesters, 'students burned dormitories' are Rioters (ACLED's roles)."""
    if m.get("role") not in CROWD_ROLES:
        return
    span = doc.char_span(m["start"], m["end"], alignment_mode="expand")
    verb = _verb_after(doc, span) if span is not None else None
    role = "protesters" if verb in PROTEST_VERBS else "rioters" if verb in RIOT_VERBS else None
    if role and role != m["role"] and not (m["role"] == "protesters" and role == "rioters" and verb == "attack"):
        rec = _role_record(role, home, date)
        if rec:
            m.update(actor=rec["name"], inter=rec["inter"], home_inter=rec["inter"], role=role,
                     method="role-by-verb")


def _spelled_unit(doc: Doc, i: int) -> int | None:
    """End of "People's Defense Force(s)" spelled out from token i (any spelling ACLED's sources use)."""
    words = [t.lower_ for t in doc[i:i + 4]]
    if not words or words[0] != "people":
        return None
    k = 1 + (len(words) > 1 and words[1] in ("'s", "’s"))
    if len(words) > k + 1 and words[k] in ("defense", "defence") and words[k + 1] in ("force", "forces"):
        return i + k + 2
    return None


def _local_units(doc: Doc, d: ActorDictionary, emit) -> None:
    """'Mandalay PDF' -> "People's Defense Force - Mandalay"; 'the local PDF' -> '... - Local Group'."""
    for i, tok in enumerate(doc):
        spelled = _spelled_unit(doc, i)
        unit = LOCAL_UNITS.get("PDF" if spelled else tok.text)
        if not unit:
            continue
        named, local, where = unit
        k = i - 1 if i > 1 and doc[i - 1].lower_ in LOCAL_UNIT_AREAS else i  # "Pauk township PDF"
        j = k
        while j > 0 and doc[j - 1].is_title and not doc[j - 1].is_sent_start and doc[j - 1].lower_ not in (
                "the", "a", "local") and j > k - 3:
            j -= 1
        end = spelled or i + 1
        if spelled and j == k:
            continue  # the movement itself, spelled out: the dictionary names it
        if j < k:
            name = named.format(place=doc[j:k].text)
        elif i + 2 < len(doc) and doc[i + 1].text == "-" and doc[i + 2].is_title:
            name, end = named.format(place=doc[i + 2].text), i + 3
        elif i > 0 and doc[i - 1].lower_ == "local":
            j, name = i - 1, local
        else:
            continue
        emit(j, end, {"name": name, "inter": "Political militia", "country": where, "kind": "armed"}, "pattern")


def _ethnic_mentions(doc: Doc, d: ActorDictionary, emit) -> None:
    """Ethnic groups acting as militias: 'Pokot raiders', 'Maasai and Kikuyu ethnic militias',
    'clashes between the Pokot and Marakwet', 'Pokot attacked police'."""
    groups = _ethnic_index(d)
    i = 0
    while i < len(doc):
        hit = groups.get(doc[i].text) or groups.get(doc[i].text.title() if doc[i].is_upper else "")
        if not hit:
            i += 1
            continue
        name, where = hit
        j = i + 1
        listed = False
        while j < len(doc) and j - i <= 4 and (doc[j].lower_ in ETHNIC_FILLERS or doc[j].text in groups):
            listed = listed or doc[j].text in groups
            j += 1
        noun = j < len(doc) and doc[j].lower_ in ETHNIC_NOUNS
        between = i > 0 and doc[i - 1].lower_ in ("between", "the") and (i < 2 or doc[i - 2].lower_ in (
            "between", "by", "from"))
        subject = doc.has_annotation("DEP") and doc[i].dep_ in ("nsubj", "conj") and doc[i].head.pos_ == "VERB" \
            and doc[i].head.i > i and (doc[i].head.lemma_ or "").lower() in RIOT_VERBS | {"raid", "kill", "target"}
        if noun or listed or between or subject:
            rec = {"name": ETHNIC_TEMPLATE.format(group=name, country=where), "inter": "Identity militia",
                   "country": where, "kind": "ethnic"}
            emit(i, i + 1 if not noun or listed else j + 1, rec, "ethnic")
            for k in range(i + 1, j):  # the other groups listed with it ("Maasai and Kikuyu militias")
                other = groups.get(doc[k].text)
                if other:
                    emit(k, k + 1, {"name": ETHNIC_TEMPLATE.format(group=other[0], country=other[1]),
                                    "inter": "Identity militia", "country": other[1], "kind": "ethnic"}, "ethnic")
            i = j
            continue
        i += 1


@functools.cache
def _ethnic_index(d: ActorDictionary) -> dict[str, tuple[str, str]]:
    return {g: (g, c) for g, c in d.ethnic.items()}


# "KYIV, March 3 (Reuters) - ", "NAIROBI, Kenya - ": the opening line's place and date
DATELINE_RE = re.compile(r"(?:[A-Z][A-Z .'’-]{1,40}(?:,\s*[^\n]{0,40}?)?"  # an upper-case city
                         r"|[A-Z][\w .'’-]{1,40},\s*(?:[A-Z][a-z]+\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]+)[^\n]{0,30}?)"
                         r"\s*(?:\([^)]{1,40}\))?\s[-–—]\s")


def at_dateline(text: str, pos: int) -> bool:
    """Whether `pos` lies in the dateline that opens its paragraph."""
    m = DATELINE_RE.match(text, text.rfind("\n", 0, pos) + 1)
    return bool(m) and pos < m.end()


def _emit_country(doc, d, s, e, t, roles_at, places, date, emit) -> None:
    """A country anchor: '<adj> <role>', "<Country>'s <unit>", '<adj>-backed', or a metonymic name."""
    country = d.countries[t.ref]
    j = e
    if j < len(doc) and doc[j].text in POSSESSIVE:
        j += 1
    # "Russia's Aerospace Forces" / "Turkish Armed Forces": unit aliases
    for alias, unit in country.units:
        n = len(alias.split())
        if key(doc[j:j + n].text) == key(alias):
            role = "police" if any(w in unit for w in POLICE_UNIT_WORDS) else "military"
            emit(s, j + n, _state_record(country, role, unit, date), "pattern")
            return
    # "<adj> [modifiers] <role>"
    k = j
    for _ in range(MAX_MODIFIERS + 1):
        best = max(roles_at.get(k, []), default=None)
        if best is not None:
            end, role = best
            emit(s, end, _state_record(country, role, date=date), "pattern")
            return
        if k < len(doc) and doc[k].lower_ in MODIFIER_WORDS and doc[k].lower_ not in ("the",):
            k += 1
        else:
            break
    # "Turkish-backed", "Iran-sponsored": the sponsor state itself
    if e + 1 < len(doc) and doc[e].text == "-" and doc[e + 1].lower_ in BACKING_WORDS:
        emit(s, e, _state_record(country, "military", date=date), "pattern")
        return
    if at_dateline(text_of(doc), doc[s].idx):
        return  # "KYIV, March 3 (Reuters) -": where the report was filed, not its government
    if t.role == "" and not (j > e):  # a bare country name (not an adjective, not possessive)
        side = _metonymic(doc, doc[s:e], places)
        if side:
            emit(s, e, _state_record(country, side, date=date), "metonymy")
    elif t.role == "capital":
        for p in places:
            if p.get("start") == doc[s].idx and p.get("metonymic"):
                emit(s, e, _state_record(country, "government", date=date), "metonymy")


def _is_modifier(doc: Doc, s: int, e: int) -> bool:
    """A one-word role modifying another noun ("military bases"), or a generic word that is not
    the head of its phrase in the parse ("the protest leaders" is about leaders)."""
    if e - s != 1 or doc[s].lower_ not in MODIFIER_ROLES or e >= len(doc):
        return False
    nxt = doc[e]
    if nxt.lower_ in SPEAKER_NOUNS:
        return False
    if nxt.lower_ in NOT_ACTOR_NEXT:
        return True
    if doc[s].lower_ in STATE_MODIFIERS:
        return False
    if doc.has_annotation("DEP"):
        return doc[s].dep_ in ("amod", "compound", "nmod") and doc[s].head.i > s
    return False


def _ethnic_before(doc: Doc, d: ActorDictionary, s: int, e: int) -> tuple[int, dict] | None:
    """'Pokot raiders': an ethnic group right before a militia-like role noun."""
    if s == 0 or doc[s].lower_ not in ETHNIC_NOUNS:
        return None
    for size in (2, 1):
        if s - size < 0:
            continue
        group = doc[s - size:s].text
        match = next((g for g in d.ethnic if g.lower() == group.lower()), None)
        if match:
            where = d.ethnic[match]
            return s - size, {"name": ETHNIC_TEMPLATE.format(group=match, country=where),
                              "inter": "Identity militia", "country": where, "kind": "ethnic"}
    return None


def _resolve_overlaps(found: list[dict]) -> list[dict]:
    """Keep the longest mention where mentions overlap (named before generic on ties)."""
    rank = {"dictionary": 0, "pattern": 1, "ethnic": 1, "metonymy": 2, "fuzzy": 3, "generic": 4}
    found.sort(key=lambda m: (-(m["end"] - m["start"]), rank.get(m["method"], 5), m["start"]))
    kept: list[dict] = []
    taken: set[int] = set()
    for m in found:
        toks = set(range(*m["_tok"]))
        if toks & taken:
            continue
        taken |= toks
        kept.append(m)
    kept.sort(key=lambda m: m["start"])
    for m in kept:
        del m["_tok"]
    return kept


def actor_records(mentions: list[dict]) -> list[dict]:
    """Contract actor records, one per canonical actor, in order of first mention."""
    by_name: dict[str, dict] = {}
    for m in mentions:
        if m.get("kind") not in PARTY_KINDS:
            continue
        rec = by_name.setdefault(m["actor"], {"name": m["actor"], "aliases_seen": [], "inter": m["inter"],
                                              "country": m["country"], "mentions": 0})
        rec["mentions"] += 1
        if m["text"] not in rec["aliases_seen"]:
            rec["aliases_seen"].append(m["text"])
    return list(by_name.values())


class ActorsStage:
    """spaCy component: writes `doc._.actor_mentions` and `doc._.actors`."""

    def __init__(self, nlp: Language, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        mentions = find_actor_mentions(doc)
        doc._.actor_mentions = mentions
        doc._.actors = actor_records(mentions)
        return doc
