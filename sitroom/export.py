"""Exports of event records: ACLED CSV, GeoJSON (RFC 7946), PLOVER JSON lines, Parquet, JSON.

Every function takes event records in the contract's shape (a per-article EVENT, or a
merged event from the store, which adds `sources`, `reports`, `contested`, ...), so
`sitroom extract` and `sitroom events` share them.
"""
from __future__ import annotations

import csv
import functools
import io
import json
import re
from datetime import datetime, timezone
from typing import Iterable, Sequence

from .acled import (BATTLES, CIVILIANS, EXPLOSIONS, INTER_TYPES, POLITICAL_MILITIA, PROTESTERS, PROTESTS, REBELS,
                    RIOTERS, RIOTS, STATE, STRATEGIC, VIOLENCE_AGAINST_CIVILIANS, country_codes)
from .numbers import is_number
from .records import json_line

# ACLED's export columns, in ACLED's order (ACLED codebook); `doc_id` is sitroom's.
ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
)
# what a merged event adds, appended after ACLED's columns so ACLED readers keep working
MERGED_COLUMNS = ("fatalities_low", "fatalities_best", "fatalities_high", "contested", "sources", "reports")

# ACLED's disorder types, from the event type
DISORDER_TYPE = {
    BATTLES: "Political violence",
    VIOLENCE_AGAINST_CIVILIANS: "Political violence",
    EXPLOSIONS: "Political violence",
    RIOTS: "Political violence; Demonstrations",
    PROTESTS: "Demonstrations",
    STRATEGIC: "Strategic developments",
}
# ACLED's actor types in inter-code order: the interaction names the lower code first
INTER_ORDER = INTER_TYPES


def _inter_rank(inter: str) -> int:
    return INTER_ORDER.index(inter) if inter in INTER_ORDER else len(INTER_ORDER)


def interaction(inter1: str | None, inter2: str | None) -> str | None:
    """ACLED's interaction label: 'State forces-Rebel group' (lower code first), 'Protesters only'."""
    kinds = sorted((i for i in (inter1, inter2) if i), key=_inter_rank)
    if not kinds:
        return None
    return "-".join(kinds) if len(kinds) == 2 else f"{kinds[0]} only"


def _epoch(iso: str | None) -> int | None:
    if not iso:
        return None
    try:
        dt = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return None
    return int((dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)).timestamp())


def acled_row(event: dict, doc_id: str | None = None, source: str | None = None) -> dict:
    """One ACLED row from an event record (contract shape, or a merged event)."""
    date = event.get("event_date") or ""
    row = {c: event.get(c) for c in ACLED_COLUMNS}
    if source is None and event.get("outlets"):
        source = "; ".join(event["outlets"])
    row.update(
        event_id_cnty=event.get("event_id"),
        year=date[:4] or None,
        disorder_type=DISORDER_TYPE.get(event.get("event_type") or ""),
        interaction=event.get("interaction") or interaction(event.get("inter1"), event.get("inter2")),
        civilian_targeting="Civilian targeting" if event.get("civilian_targeting") else "",
        source=source,
        timestamp=event.get("timestamp") or _epoch(event.get("last_ingested")),
    )
    for col in MERGED_COLUMNS:
        if col in event:
            row[col] = event[col]
    if doc_id is not None:
        row["doc_id"] = doc_id
    return {k: ("" if v is None else v) for k, v in row.items()}


# A cell a spreadsheet would run as a formula ('=HYPERLINK(...)', '+1+cmd|...', '@SUM(...)'): OWASP's advice
# for CSV injection is a leading apostrophe, which spreadsheets show as text and do not evaluate
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A text cell that cannot start a spreadsheet formula; numbers (-3, 1.5) pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not is_number(value):
        return "'" + value
    return value


def acled_csv(rows: Iterable[dict], with_doc_id: bool = True, extra: Sequence[str] = ()) -> str:
    buf = io.StringIO()
    cols = list(ACLED_COLUMNS) + list(extra) + (["doc_id"] if with_doc_id else [])
    writer = csv.DictWriter(buf, fieldnames=cols, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: safe_cell(v) for k, v in row.items()})
    return buf.getvalue()


def events_acled_csv(events: Iterable[dict]) -> str:
    """Merged events as ACLED CSV: ACLED's columns, then MERGED_COLUMNS."""
    return acled_csv((acled_row(e) for e in events), with_doc_id=False, extra=MERGED_COLUMNS)


# --- GeoJSON -------------------------------------------------------------------------------
def geojson_feature(event: dict) -> dict:
    """An RFC 7946 Feature: Point [longitude, latitude], or a null geometry when unplaced."""
    lat, lon = event.get("latitude"), event.get("longitude")
    geometry = None
    if lat is not None and lon is not None:
        geometry = {"type": "Point", "coordinates": [round(float(lon), 6), round(float(lat), 6)]}
    props = {k: v for k, v in event.items() if k not in ("latitude", "longitude")}
    return {"type": "Feature", "id": event.get("event_id"), "geometry": geometry, "properties": props}


def geojson(events: Iterable[dict]) -> dict:
    return {"type": "FeatureCollection", "features": [geojson_feature(e) for e in events]}


# --- PLOVER --------------------------------------------------------------------------------
# ACLED sub-event type -> (PLOVER event category, mode, context); PLOVER manual 0.7b1 tables
# (keyed by acled.SUB_EVENT_TYPES' labels; tests/test_export.py checks they match)
ACLED_TO_PLOVER: dict[str, tuple[str | None, str | None, str | None]] = {
    "Armed clash": ("ASSAULT", "firearms", "military"),
    "Government regains territory": ("ASSAULT", None, "military"),
    "Non-state actor overtakes territory": ("ASSAULT", None, "military"),
    "Chemical weapon": ("ASSAULT", None, "cbrn"),
    "Air/drone strike": ("ASSAULT", "heavy-weapons", "military"),
    "Suicide bomb": ("ASSAULT", "suicide-attack", None),
    "Shelling/artillery/missile attack": ("ASSAULT", "heavy-weapons", "military"),
    "Remote explosive/landmine/IED": ("ASSAULT", "explosives", None),
    "Grenade": ("ASSAULT", "explosives", None),
    "Sexual violence": ("ASSAULT", "sexual", None),
    "Attack": ("ASSAULT", None, None),
    "Abduction/forced disappearance": ("ASSAULT", "abduct", None),
    "Peaceful protest": ("PROTEST", "demo", "political"),
    "Protest with intervention": ("PROTEST", "demo", "political"),
    "Excessive force against protesters": ("ASSAULT", None, "political"),
    "Violent demonstration": ("PROTEST", "riot", "political"),
    "Mob violence": ("ASSAULT", "beat", None),
    "Agreement": ("AGREE", None, None),
    "Arrests": ("COERCE", "arrest", None),
    "Change to group/activity": (None, None, None),
    "Disrupted weapons use": ("COERCE", "confiscate", "military"),
    "Headquarters or base established": ("MOBILIZE", "troops", "military"),
    "Looting/property destruction": ("ASSAULT", "destroy", None),
    "Non-violent transfer of territory": ("RETREAT", "withdraw", "military"),
    "Other": (None, None, None),
}
# when the sub-event type is missing
ACLED_TYPE_TO_PLOVER = {
    BATTLES: ("ASSAULT", None, "military"),
    EXPLOSIONS: ("ASSAULT", None, "military"),
    VIOLENCE_AGAINST_CIVILIANS: ("ASSAULT", None, None),
    PROTESTS: ("PROTEST", "demo", "political"),
    RIOTS: ("PROTEST", "riot", "political"),
    STRATEGIC: (None, None, None),
}
# PLOVER quad categories: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict
PLOVER_QUAD = {"AGREE": 1, "CONSULT": 1, "SUPPORT": 1, "CONCEDE": 1, "COOPERATE": 2, "AID": 2, "RETREAT": 2,
               "INVESTIGATE": 2, "DEMAND": 3, "DISAPPROVE": 3, "REJECT": 3, "THREATEN": 3, "SANCTION": 3,
               "ACCUSE": 3, "PROTEST": 4, "MOBILIZE": 4, "COERCE": 4, "ASSAULT": 4}
# ACLED actor type -> PLOVER sector code
INTER_TO_SECTOR = {STATE: "MIL", REBELS: "REB", POLITICAL_MILITIA: "PRM", PROTESTERS: "OPP", RIOTERS: "CVL",
                   CIVILIANS: "CVL"}
_STATE_SECTOR = (("police", "COP"), ("government", "GOV"))
# two-sided violence: every participant is a PLOVER source, no recipient
TWO_SIDED = frozenset({BATTLES})
_ACTOR_COUNTRY = re.compile(r"\(([^()]+)\)\s*$|\bof\s+(?:the\s+)?([A-Z][\w\s'-]+?)(?:\s*\(|$)")
PLOVER_CODEBOOK = "PLOVER 0.7b1 (event, mode, context from ACLED types via sitroom)"


def _plover_actor(name: str, inter: str | None) -> dict:
    sector = INTER_TO_SECTOR.get(inter or "")
    if inter == STATE:
        low = name.casefold()
        sector = next((code for word, code in _STATE_SECTOR if low.startswith(word)), sector)
    m = _ACTOR_COUNTRY.search(name)
    country = (m.group(1) or m.group(2)) if m else None
    code = country_codes(country.strip())[1] if country else None
    return {"actor_text": name, "code": code, "sector": sector, "inter": inter}


def plover_record(event: dict, articles: dict[str, dict] | None = None) -> dict:
    """A PLOVER JSON record for one event (field names from the PLOVER manual's JSON table)."""
    cat, mode, context = ACLED_TO_PLOVER.get(event.get("sub_event_type") or "") \
        or ACLED_TYPE_TO_PLOVER.get(event.get("event_type") or "", (None, None, None))
    a1 = [_plover_actor(event["actor1"], event.get("inter1"))] if event.get("actor1") else []
    a2 = [_plover_actor(event["actor2"], event.get("inter2"))] if event.get("actor2") else []
    two_sided = event.get("event_type") in TWO_SIDED
    cc2, cc3, _ = country_codes(event.get("country"))
    cites = []
    for doc_id in event.get("doc_ids") or []:
        art = (articles or {}).get(doc_id, {})
        cites.append({"citation": doc_id, "url": art.get("url"), "title": art.get("title"),
                      "publication": art.get("outlet")})
    last = event.get("last_ingested")
    return {
        "id": event.get("event_id"),
        "has_event": cat is not None,
        "date": event.get("event_date"),
        "event": [cat] if cat else [],
        "mode": [mode] if mode else [],
        "context": [context] if context else [],
        "source": a1 + a2 if two_sided else a1,
        "recipient": [] if two_sided else a2,
        "event_loc": {"name": event.get("location"), "latitude": event.get("latitude"),
                      "longitude": event.get("longitude"), "country_code": cc2, "cc3": cc3,
                      "admin1": event.get("admin1"), "admin2": event.get("admin2"),
                      "geo_precision": event.get("geo_precision")},
        "quad_code": PLOVER_QUAD.get(cat) if cat else None,
        "dead": event.get("fatalities"),
        "comment": event.get("notes"),
        "cite_info": cites,
        "coder": "sitroom",
        "codebook": PLOVER_CODEBOOK,
        "coded_date": last[:10] if last else None,
        # flat conveniences and what sitroom adds (PLOVER allows named extra fields)
        "event_type": cat,
        "actor1": event.get("actor1"),
        "actor2": event.get("actor2"),
        "location": event.get("location"),
        "acled_event_type": event.get("event_type"),
        "acled_sub_event_type": event.get("sub_event_type"),
        **{k: event.get(k) for k in ("fatalities_low", "fatalities_best", "fatalities_high", "contested",
                                     "sources", "reports") if k in event},
    }


def plover_jsonl(events: Iterable[dict], articles: dict[str, dict] | None = None) -> str:
    return "".join(json_line(plover_record(e, articles)) + "\n" for e in events)


# --- tables ----------------------------------------------------------------------------------
def to_frame(records: Sequence[dict], columns: Sequence[str] | None = None):
    """A pandas DataFrame of records (lists and dicts kept as Python objects)."""
    import pandas as pd
    return pd.DataFrame.from_records(list(records), columns=list(columns) if columns else None)


def write_parquet(records: Sequence[dict], path: str, columns: Sequence[str] | None = None) -> None:
    """Parquet via pyarrow; nested values (figures, lists of dicts) are stored as JSON text."""
    frame = to_frame(records, columns)
    for col in frame.columns:
        if frame[col].map(lambda v: isinstance(v, dict) or (isinstance(v, list) and any(isinstance(x, dict) for x in v))).any():
            frame[col] = frame[col].map(lambda v: None if v is None else json.dumps(v, ensure_ascii=False))
    frame.to_parquet(path, index=False)


def records_csv(records: Sequence[dict], columns: Sequence[str]) -> str:
    """Plain CSV of records (lists joined with '; ', dicts as JSON)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for rec in records:
        writer.writerow({k: safe_cell(_cell(rec.get(k))) for k in columns})
    return buf.getvalue()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "; ".join(value)
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
