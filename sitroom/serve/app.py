"""The FastAPI application: the JSON API under /api, the dashboard's static files at /.

    from sitroom.serve import create_app
    app = create_app("conflict.duckdb")                  # read-only
    app = create_app("conflict.duckdb", token="s3cret")  # POST /api/ingest with that Bearer token

Every response carries a Content-Security-Policy that allows scripts, styles, images and
requests from this origin only (no inline script, no other host), so a title or article
text that smuggles markup cannot run even if some code path forgot to treat it as text.
Errors are JSON `{"error": message, "status": code}`; a bad parameter is a 400, never a 500.
"""
from __future__ import annotations

import json
import logging
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request

from ..errors import DataFileError, MissingExtra, PipelineError, SitroomError, StoreError
from ..store import Store
from ..version import __version__
from .backend import Backend
from .routes import router

log = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class SecurityHeaders:
    """ASGI middleware adding SECURITY_HEADERS to every HTTP response."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message = {**message, "headers": list(message.get("headers", [])) + SECURITY_HEADERS}
            await send(message)
        await self.app(scope, receive, send_with_headers)


def error(status: int, message: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"error": message, "status": status}, status_code=status, headers=headers)


def _validation_message(err: RequestValidationError) -> str:
    parts = []
    for e in err.errors():
        where = ".".join(str(x) for x in e.get("loc", ()) if x not in ("query", "path", "body", "header"))
        got = e.get("input")
        shown = f" (got {json.dumps(got, default=str)[:80]})" if got is not None and not isinstance(got, dict) else ""
        parts.append(f"{where or 'request'}: {e.get('msg', 'invalid')}{shown}")
    return "; ".join(parts) or "invalid request"


def create_app(store_or_db: Store | str | None = None, token: str | None = None, writable: bool = False) -> FastAPI:
    """The app over an open `Store` (left open) or a database path/URL (opened, read-only without a token,
    unless `writable`: `sitroom serve --watch` writes through it)."""
    if isinstance(store_or_db, str) or store_or_db is None:
        backend = Backend.open(store_or_db, token=token, writable=writable)
    else:
        backend = Backend(store_or_db, token=token)
    backend.start()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        backend.close()

    app = FastAPI(
        title="sitroom", version=__version__, lifespan=lifespan,
        description="Merged conflict events, their reports and the claims ledger, from a sitroom database. "
                    "Read-only unless the server was started with a token; then POST /api/ingest "
                    "with `Authorization: Bearer TOKEN`.",
        docs_url=None, redoc_url=None,  # the docs page is ours (static/docs.html): the stock ones load from a CDN
    )
    app.state.backend = backend
    app.add_middleware(SecurityHeaders)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError):
        return error(400, _validation_message(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        detail = exc.detail if isinstance(exc.detail, str) else json.dumps(exc.detail)
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"{request.url.path}: no such page or API endpoint"
        return error(exc.status_code, detail, getattr(exc, "headers", None))

    @app.exception_handler(ValueError)
    async def bad_value(request: Request, exc: ValueError):
        return error(400, str(exc))

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError):
        log.error("%s", exc)
        return error(503, str(exc))

    @app.exception_handler(SitroomError)
    async def sitroom_error(request: Request, exc: SitroomError):
        # the request's fault (a bad input) is a 400; a broken data file or pipeline is the server's
        server_side = isinstance(exc, (DataFileError, PipelineError, MissingExtra))
        if server_side:
            log.error("%s", exc)
        return error(500 if server_side else 400, str(exc))

    @app.exception_handler(Exception)
    async def bug(request: Request, exc: Exception):
        log.exception("internal error on %s", request.url.path)
        return error(500, f"internal error ({type(exc).__name__}); the server log has the details")

    app.include_router(router)

    @app.get("/docs", include_in_schema=False)
    def docs() -> FileResponse:
        return FileResponse(STATIC / "docs.html")

    app.mount("/", StaticFiles(directory=STATIC, html=True), name="static")
    return app
