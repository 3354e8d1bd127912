"""`sitroom serve`: the event database over HTTP, a JSON API and an offline dashboard.

    from sitroom.serve import create_app
    app = create_app("conflict.duckdb")        # any ASGI server: uvicorn.run(app, port=8000)

`app` (the factory, security headers, errors), `routes` (the API), `backend` (who reads
and writes the database, and when), `ingest` (POST /api/ingest), `static/` (the
dashboard, with vendored Leaflet, uPlot and a Natural Earth basemap: no other host).
Needs the `serve` extra (FastAPI, uvicorn).
"""
from __future__ import annotations

import importlib.util

from ..errors import MissingExtra

if importlib.util.find_spec("fastapi") is None:  # pragma: no cover - depends on the installed extras
    raise MissingExtra("serve", "fastapi")

from .app import create_app  # noqa: E402

__all__ = ["create_app"]
