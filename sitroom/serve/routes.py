"""The JSON API: events (list, detail, GeoJSON, CSV, grid, timeline), claims, actors, articles, ingest.

Handlers are plain functions (FastAPI runs them on its worker threads), each reading
through `Backend.reader()`; responses are serialised with `json.dumps` directly, which
is several times faster than FastAPI's encoder on 500-event pages.
"""
from __future__ import annotations

import hmac
import json
from datetime import date, datetime, timezone
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from ..store import query
from ..store.query import ClaimQuery, EventQuery
from ..version import __version__

router = APIRouter(prefix="/api")

MAX_PAGE = 5000
MAX_EXPORT = 1_000_000
GRID_MAX_ZOOM = 18
BIG = 1_000_000_000  # the largest offset or count threshold taken (larger ones overflow the engines' integers)


def backend_of(request: Request):
    return request.app.state.backend


def json_response(data, status: int = 200, headers: dict | None = None) -> Response:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    return Response(body, status_code=status, media_type="application/json", headers=headers)


def _split(values: list[str] | None) -> tuple[str, ...]:
    """Repeated parameters, each of which may also be comma-separated."""
    return tuple(v.strip() for value in values or () for v in value.split(",") if v.strip())


def _bbox(value: str | None) -> tuple[float, float, float, float] | None:
    if not value:
        return None
    try:
        west, south, east, north = (float(v) for v in value.split(","))
    except ValueError:
        raise HTTPException(400, f"bbox: four numbers west,south,east,north expected, got {value!r}") from None
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        raise HTTPException(400, f"bbox: longitudes in [-180, 180], latitudes in [-90, 90] with south <= north, "
                                 f"got {value!r}")
    return west, south, east, north


def _utc(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).replace(microsecond=0).isoformat()


def event_query(
    since: Annotated[date | None, Query(description="Events on or after this date (YYYY-MM-DD).")] = None,
    until: Annotated[date | None, Query(description="Events on or before this date (YYYY-MM-DD).")] = None,
    updated_since: Annotated[datetime | None, Query(
        description="Events whose newest report was ingested at or after this time (ISO 8601; UTC if no "
                    "offset): poll with the `now` of /api/health for a live view.")] = None,
    bbox: Annotated[str | None, Query(description="west,south,east,north in degrees (west > east crosses 180°).",
                                      examples=["35.5,32,42.5,37.5"])] = None,
    event_type: Annotated[list[str] | None, Query(description="ACLED event type(s); repeat or comma-separate.")] = None,
    sub_event_type: Annotated[list[str] | None, Query(description="ACLED sub-event type(s).")] = None,
    actor: Annotated[str | None, Query(description="Substring of an actor or associated actor.")] = None,
    min_fatalities: Annotated[int | None, Query(ge=0, le=BIG, description="Conservative fatalities at least this.")] = None,
    contested: Annotated[bool | None, Query(description="Only events whose figures are (or are not) contested.")] = None,
    min_sources: Annotated[int | None, Query(ge=1, le=BIG, description="Corroborated by at least N independent sources.")] = None,
    country: Annotated[list[str] | None, Query(description="Country name(s) or ISO code(s).")] = None,
    admin1: Annotated[str | None, Query(description="First-level region.")] = None,
    outlet: Annotated[str | None, Query(description="Reported by this outlet.")] = None,
    max_geo_precision: Annotated[int | None, Query(ge=1, le=3, description="ACLED geo precision, 1 = exact.")] = None,
    max_time_precision: Annotated[int | None, Query(ge=1, le=3, description="ACLED time precision, 1 = day.")] = None,
) -> EventQuery:
    if since and until and since > until:
        raise HTTPException(400, f"since ({since}) is after until ({until})")
    return EventQuery(
        since=since.isoformat() if since else None, until=until.isoformat() if until else None,
        updated_since=_utc(updated_since), bbox=_bbox(bbox), event_type=_split(event_type),
        sub_event_type=_split(sub_event_type), actor=actor or None, min_fatalities=min_fatalities,
        contested=contested, min_sources=min_sources, country=_split(country), admin1=admin1 or None,
        outlet=outlet or None, max_geo_precision=max_geo_precision, max_time_precision=max_time_precision)


Filters = Annotated[EventQuery, Depends(event_query)]
SortParam = Annotated[str, Query(description="event_date, fatalities, sources, reports, country, admin1, location, "
                                             "event_type or last_ingested; '-' first for descending.")]


@router.get("/health", summary="Is the server up, what does it serve, may it ingest")
def health(request: Request) -> Response:
    b = backend_of(request)
    with b.reader() as store:
        counts = query.health(store)
        stale = store.is_stale()
    return json_response({
        "status": "ok", "version": __version__, "database": b.store.location, "engine": b.dialect,
        "read_only": b.read_only,
        "ingest": "disabled: no token configured (start with --token-file or $SITROOM_TOKEN)" if b.token is None
        else ("disabled: the database is open read-only" if b.store.read_only else "enabled (Bearer token)"),
        "merge_stale": stale, "counts": counts,
        "now": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
    })


@router.get("/feeds", summary="The feeds `sitroom watch` (or `serve --watch`) follows, with their state")
def feeds(request: Request) -> Response:
    with backend_of(request).reader() as store:
        return json_response({"feeds": store.feeds()})


@router.get("/facets", summary="Values the filters can take: types, countries, regions, outlets, dates")
def facets(request: Request) -> Response:
    with backend_of(request).reader() as store:
        return json_response(query.facets(store))


@router.get("/events", summary="Merged events matching the filters, a page at a time, with the total")
def events(request: Request, q: Filters,
           limit: Annotated[int, Query(ge=0, le=MAX_PAGE)] = 500,
           offset: Annotated[int, Query(ge=0, le=BIG)] = 0,
           sort: SortParam = "-event_date") -> Response:
    with backend_of(request).reader() as store:
        total = query.count_events(store, q)
        rows = query.find_events(store, q, limit=limit, offset=offset, sort=sort) if limit else []
    return json_response({"total": total, "limit": limit, "offset": offset, "events": rows})


@router.get("/events.geojson", summary="The filtered events as an RFC 7946 FeatureCollection")
def events_geojson(request: Request, q: Filters,
                   limit: Annotated[int, Query(ge=1, le=MAX_EXPORT)] = MAX_EXPORT,
                   sort: SortParam = "-event_date") -> Response:
    from ..export import geojson
    return _export(request, q, limit, sort, lambda rows: json.dumps(geojson(rows), ensure_ascii=False, default=str),
                   "application/geo+json", "sitroom-events.geojson")


@router.get("/events.csv", summary="The filtered events in ACLED's columns (then the merged ones)")
def events_csv(request: Request, q: Filters,
               limit: Annotated[int, Query(ge=1, le=MAX_EXPORT)] = MAX_EXPORT,
               sort: SortParam = "-event_date") -> Response:
    from ..export import events_acled_csv
    return _export(request, q, limit, sort, events_acled_csv, "text/csv; charset=utf-8", "sitroom-events.csv")


def _export(request: Request, q, limit: int, sort: str, render, media_type: str, filename: str) -> Response:
    """The filtered events, whole, rendered as a file to download."""
    with backend_of(request).reader() as store:
        rows = query.find_events(store, q, limit=limit, sort=sort, full=True)
    return Response(render(rows), media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@router.get("/events/grid", summary="The filtered events aggregated into grid cells sized for a map zoom")
def events_grid(request: Request, q: Filters,
                zoom: Annotated[int, Query(ge=0, le=GRID_MAX_ZOOM, description="Web map zoom level.")] = 2) -> Response:
    cell = 360.0 / 2 ** (zoom + 3)  # about 32 px cells on a 256 px tile
    with backend_of(request).reader() as store:
        total = query.count_events(store, q)
        cells = query.event_grid(store, q, cell)
    return json_response({"total": total, "zoom": zoom, "cell_degrees": cell, "cells": cells})


@router.get("/events/timeline", summary="Events and fatalities per day for the filters")
def events_timeline(request: Request, q: Filters) -> Response:
    with backend_of(request).reader() as store:
        days = query.event_timeline(store, q)
    return json_response({"days": days})


@router.get("/events/{event_id}", summary="One event: its reports with articles and evidence, and its claims")
def event(request: Request, event_id: str) -> Response:
    with backend_of(request).reader() as store:
        found = query.event_detail(store, event_id)
    if found is None:
        raise HTTPException(404, f"no event {event_id!r}")
    return json_response(found)


@router.get("/claims", summary="The claims ledger: who says what, with figures, about which events")
def claims(request: Request,
           speaker: Annotated[str | None, Query(description="Substring of the speaker.")] = None,
           speaker_actor: Annotated[str | None, Query(description="Substring of the party spoken for.")] = None,
           kind: Literal["quote", "reported", "assessment", "speculation", "assertion"] | None = None,
           event_id: str | None = None,
           doc_id: str | None = None,
           with_figures: bool = False,
           since: Annotated[date | None, Query(description="Articles published on or after.")] = None,
           until: Annotated[date | None, Query(description="Articles published on or before.")] = None,
           limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
           offset: Annotated[int, Query(ge=0, le=BIG)] = 0) -> Response:
    q = ClaimQuery(speaker=speaker, speaker_actor=speaker_actor, kind=kind, event_id=event_id, doc_id=doc_id,
                   with_figures=with_figures, since=since.isoformat() if since else None,
                   until=until.isoformat() if until else None)
    with backend_of(request).reader() as store:
        total, rows = query.find_claims(store, q, limit=limit, offset=offset)
    return json_response({"total": total, "limit": limit, "offset": offset, "claims": rows})


@router.get("/actors", summary="Actors by how many articles name them, with their relations")
def actors(request: Request,
           name: Annotated[str | None, Query(description="Substring of the canonical name (autocomplete).")] = None,
           country: str | None = None,
           limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
           offset: Annotated[int, Query(ge=0, le=BIG)] = 0) -> Response:
    with backend_of(request).reader() as store:
        total, rows = query.find_actors(store, name=name, country=country, limit=limit, offset=offset)
    return json_response({"total": total, "limit": limit, "offset": offset, "actors": rows})


@router.get("/articles/{doc_id:path}", summary="An article's clean text with offsets of places, actors, claims")
def article(request: Request, doc_id: str) -> Response:
    with backend_of(request).reader() as store:
        found = query.article_detail(store, doc_id)
    if found is None:
        raise HTTPException(404, f"no article {doc_id!r}")
    return json_response(found)


@router.post("/ingest", summary="Extract and store documents (JSONL) or URLs; needs the Bearer token",
             openapi_extra={"requestBody": {"content": {
                 "application/x-ndjson": {"schema": {"type": "string"},
                                          "example": '{"id": "a1", "text": "...", "published": "2024-06-03"}'},
                 "application/json": {"schema": {"type": "object", "properties": {
                     "urls": {"type": "array", "items": {"type": "string"}},
                     "documents": {"type": "array", "items": {"type": "object"}}}}}}}})
async def ingest(request: Request, authorization: Annotated[str | None, Header()] = None) -> Response:
    from .ingest import IngestRequestError, MAX_BODY, parse_body, run_ingest

    b = backend_of(request)
    if b.token is None:
        raise HTTPException(403, "this server is read-only: start `sitroom serve` with --token-file or "
                                 "$SITROOM_TOKEN to accept ingests")
    if b.store.read_only:
        raise HTTPException(403, "the database is open read-only")
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), b.token.encode()):
        raise HTTPException(401, "a valid `Authorization: Bearer TOKEN` header is needed to ingest",
                            headers={"WWW-Authenticate": "Bearer"})
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise HTTPException(413, f"request body over {MAX_BODY // 1_000_000} MB")
    try:
        documents, urls = parse_body(bytes(body), request.headers.get("content-type", ""))
    except IngestRequestError as err:
        raise HTTPException(400, str(err)) from None
    stats = await run_in_threadpool(run_ingest, b, documents, urls)
    status = 422 if stats["failed"] and not (stats["new"] + stats["updated"] + stats["unchanged"]
                                             + stats["duplicate"]) else 200
    return json_response(stats, status=status)
