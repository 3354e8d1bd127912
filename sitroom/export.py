"""Exports of event records: ACLED CSV (ACLED's column names, in ACLED's order)."""
from __future__ import annotations

import csv
import io
from typing import Iterable

# ACLED's export columns, in ACLED's order (ACLED codebook); `doc_id` is sitroom's.
ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
)

# ACLED's disorder types, from the event type
DISORDER_TYPE = {
    "Battles": "Political violence",
    "Violence against civilians": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Riots": "Political violence; Demonstrations",
    "Protests": "Demonstrations",
    "Strategic developments": "Strategic developments",
}


def acled_row(event: dict, doc_id: str | None = None, source: str | None = None) -> dict:
    """One ACLED row from an event record (contract shape)."""
    date = event.get("event_date") or ""
    row = {c: event.get(c) for c in ACLED_COLUMNS}
    row.update(
        event_id_cnty=event.get("event_id"),
        year=date[:4] or None,
        disorder_type=DISORDER_TYPE.get(event.get("event_type") or ""),
        civilian_targeting="Civilian targeting" if event.get("civilian_targeting") else "",
        source=source,
    )
    if doc_id is not None:
        row["doc_id"] = doc_id
    return {k: ("" if v is None else v) for k, v in row.items()}


def acled_csv(rows: Iterable[dict], with_doc_id: bool = True) -> str:
    buf = io.StringIO()
    cols = list(ACLED_COLUMNS) + (["doc_id"] if with_doc_id else [])
    writer = csv.DictWriter(buf, fieldnames=cols, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return buf.getvalue()
