"""`sitroom serve`: the dashboard and the JSON API over one database, on loopback by default."""
from __future__ import annotations

import ipaddress
import os

import click

from .common import CommandError, say
from .watch import allow_private_option, feed_urls, max_errors_option, min_interval_option, watch_options, \
    watch_policy

TOKEN_ENV = "SITROOM_TOKEN"


def read_token(token_file: str | None) -> str | None:
    """The ingest token: the file's first line, else $SITROOM_TOKEN, else None (read-only)."""
    if token_file:
        try:
            with open(token_file, encoding="utf-8") as fh:
                token = fh.readline().strip()
        except OSError as err:
            raise CommandError(f"{token_file}: cannot read the token file ({err.strerror or err})") from None
        if not token:
            raise CommandError(f"{token_file}: the token file is empty")
        return token
    return os.environ.get(TOKEN_ENV, "").strip() or None


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@click.command()
@click.option("--db", default=None, envvar="SITROOM_DB", metavar="FILE|URL",
              help="DuckDB file or postgresql:// URL (default: $SITROOM_DB, else sitroom.duckdb).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but loopback exposes the database to the network.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--token-file", type=click.Path(dir_okay=False), default=None,
              help=f"File whose first line is the Bearer token for POST /api/ingest (else ${TOKEN_ENV}); "
                   "without a token the server is read-only.")
@click.option("--watch", "watch_file", type=click.Path(dir_okay=False), default=None, metavar="FILE",
              help="Also follow the feeds in FILE (OPML or one URL a line), as `sitroom watch` does, "
                   "in this process: new events appear on the dashboard within the poll.")
@allow_private_option
@min_interval_option
@max_errors_option
def serve(db, host, port, token_file, watch_file, allow_private, min_interval, max_errors):
    """The situation room in a browser: map, timeline, event cards and the claims ledger.

    Serves the dashboard at / and the JSON API at /api (reference at /docs) from one
    database. Nothing is loaded from another host, so it works offline. Read-only unless
    a token is given; then POST /api/ingest (JSONL documents or URLs, with
    `Authorization: Bearer TOKEN`) extracts and stores articles while the dashboard keeps
    answering. With DuckDB this process owns the file: stop it before `sitroom ingest`,
    or ingest through the API, and follow feeds with --watch FILE (the watcher runs in
    this process); PostgreSQL takes writers from other processes too.

    \b
    Example:
        sitroom ingest samples/ --db conflict.duckdb
        sitroom serve --db conflict.duckdb          # then open http://127.0.0.1:8000/
        sitroom serve --db desk.duckdb --watch desk.opml
    """
    try:
        import uvicorn

        from ..serve import create_app
    except ImportError:
        from ..errors import MissingExtra
        raise MissingExtra("serve", "fastapi and uvicorn") from None

    token = read_token(token_file)
    urls = feed_urls((), watch_file) if watch_file else []
    if not is_loopback(host):
        say(f"warning: listening on {host}, not loopback: anyone who can reach this machine can read the database"
            + (" and, with the token, ingest into it" if token else ""))
    app = create_app(db, token=token, writable=bool(urls))
    backend = app.state.backend
    stop = None
    if urls:
        from ..serve.watching import watch_in_background
        _, stop = watch_in_background(backend, urls, watch_policy(allow_private, False),
                                      watch_options(min_interval, max_errors), report=say)
    mode = "ingest enabled with the Bearer token" if token else "read-only: no token"
    shown = f"[{host}]" if ":" in host else host
    say(f"serving {backend.store.location} at http://{shown}:{port}/ ({mode}); API reference at /docs; Ctrl-C stops")
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning")
    finally:
        if stop is not None:
            stop.set()
        backend.close()
