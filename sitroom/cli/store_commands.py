"""`sitroom ingest|events|claims|actors`: the event database from the command line."""
from __future__ import annotations

import json
import sys

import click

from .common import budget_option, check_date, jobs_option, report_error, say

EVENT_FORMATS = ("acled-csv", "geojson", "plover-jsonl", "parquet", "json")
TABLE_FORMATS = ("json", "jsonl", "csv", "parquet")

db_option = click.option(
    "--db", default=None, envvar="SITROOM_DB", metavar="FILE|URL",
    help="DuckDB file or postgresql:// URL (default: $SITROOM_DB, else sitroom.duckdb).")
output_option = click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
                             help="Write here instead of stdout (required for parquet).")


def _dates(since: str | None, until: str | None) -> None:
    check_date(since, "--since")
    check_date(until, "--until")


@click.command()
@click.argument("inputs", nargs=-1, metavar="PATH|URL|FEED ...")
@db_option
@click.option("--input-format", type=click.Choice(["html", "text", "jsonl", "results"]), default=None,
              help="How to read file inputs (default: from the name, else sniffed). 'results': JSONL "
                   "from `sitroom extract --format jsonl`, stored without re-extracting.")
@click.option("--published", metavar="YYYY-MM-DD", default=None,
              help="Publication date, the anchor for relative dates (default: read from the page; "
                   "JSONL lines and feed entries keep their own).")
@click.option("--allow-private", is_flag=True,
              help="Allow fetching from private, loopback and link-local addresses (refused by default).")
@click.option("--timeout", type=float, default=None, metavar="SECONDS", help="Connect/read timeout per URL (20).")
@click.option("--max-bytes", type=int, default=None, help="Largest page fetched or read, in bytes (20 MB).")
@click.option("--max-redirects", type=int, default=None, help="Most redirects followed per URL (5).")
@click.option("--no-follow", is_flag=True, help="Use feed entries' own text instead of fetching their links.")
@click.option("--reprocess", is_flag=True, help="Extract inputs again even if already stored unchanged.")
@click.option("--model", "event_model", type=click.Path(exists=True, file_okay=False), default=None,
              help="An event-type classifier made by `sitroom train`.")
@jobs_option
@click.option("--scheduler", metavar="tcp://HOST:PORT|local[:N]", default=None,
              help="Extract and merge on a Dask cluster (the dask extra) instead of --jobs: a running scheduler, "
                   "or a cluster of N local worker processes on loopback (default N: the number of cores).")
@budget_option
@click.option("--no-progress", is_flag=True, help="No progress bar, even on a terminal.")
def ingest(inputs, db, input_format, published, allow_private, timeout, max_bytes, max_redirects, no_follow,
           reprocess, event_model, jobs, scheduler, budget_s, no_progress):
    """Extract articles into the event database and merge their events.

    Each input is a file (HTML, text, JSONL), a directory (searched recursively for
    *.html, *.htm, *.txt, *.jsonl and WARC archives), an http(s) URL of a page or an
    RSS/Atom feed, a local feed file (*.rss, *.atom, *.xml) or a WARC archive.

    Ingesting the same input again changes nothing; a changed article (same id, new
    content) replaces its older version. An interrupted ingest resumes where it stopped.

    \b
    Examples:
        sitroom ingest articles/ --db conflict.duckdb
        sitroom ingest https://example.org/world/rss.xml
        sitroom extract docs.jsonl --input-format jsonl --format jsonl > out.jsonl
        sitroom ingest out.jsonl --input-format results
        sitroom ingest articles/ --scheduler tcp://10.0.0.5:8786
    """
    from ..fetch import FetchPolicy
    from ..inputs import iter_inputs
    from ..store import open_store
    from ..store.ingest import ingest as run_ingest, ingest_results, iter_results

    check_date(published, "--published")
    policy = FetchPolicy(allow_private=allow_private, follow_feed_links=not no_follow,
                         **{k: v for k, v in (("timeout", timeout), ("max_bytes", max_bytes),
                                              ("max_redirects", max_redirects)) if v is not None})

    wrap = None
    if sys.stderr.isatty() and not no_progress:
        from tqdm import tqdm

        def wrap(results):
            return tqdm(results, unit="doc", desc="ingest", file=sys.stderr, leave=False)

    store = open_store(db)
    try:
        if input_format == "results":
            stats = ingest_results(store, iter_results(list(inputs)), on_error=report_error)
        else:
            from ..pipeline import PipelineSpec
            nlp = PipelineSpec(event_model=event_model)  # loaded where the documents run (see parallel.process)
            items = iter_inputs(list(inputs), input_format, published, policy)
            stats = run_ingest(store, items, nlp=nlp, reprocess=reprocess, on_error=report_error, wrap=wrap,
                               jobs=jobs, scheduler=scheduler, budget_s=budget_s)
    except KeyboardInterrupt:
        say("interrupted; articles stored so far are kept, run the same command to resume")
        sys.exit(130)
    finally:
        store.close()
    say(stats.summary())
    sys.exit(1 if stats.failed else 0)


def _open_existing(db: str | None):
    from ..store import open_store
    return open_store(db, create=False)


def _emit(text: str, output: str | None) -> None:
    if output:
        with open(output, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text)


def _write_table(rows: list[dict], columns, fmt: str, output: str | None) -> None:
    from ..export import records_csv, write_parquet
    if fmt == "parquet":
        if not output:
            raise click.UsageError("--format parquet needs -o FILE")
        write_parquet(rows, output, columns)
    elif fmt == "csv":
        _emit(records_csv(rows, columns), output)
    elif fmt == "jsonl":
        from ..records import json_line
        _emit("".join(json_line(r, default=str) + "\n" for r in rows), output)
    else:
        _emit(json.dumps(rows, ensure_ascii=False, indent=2, default=str) + "\n", output)


@click.command()
@db_option
@click.option("--country", help="Country name or ISO code.")
@click.option("--admin1", help="First-level region (province, state, oblast).")
@click.option("--since", metavar="YYYY-MM-DD", help="Events on or after this date.")
@click.option("--until", metavar="YYYY-MM-DD", help="Events on or before this date.")
@click.option("--type", "type_", metavar="TYPE", help="ACLED event or sub-event type, e.g. Battles.")
@click.option("--actor", help="Substring of an actor or associated actor.")
@click.option("--min-sources", type=click.IntRange(min=1), help="At least this many independent sources.")
@click.option("--event-id", help="One merged event.")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many events.")
@click.option("--format", "fmt", type=click.Choice(EVENT_FORMATS), default="acled-csv", show_default=True)
@output_option
def events(db, country, admin1, since, until, type_, actor, min_sources, event_id, limit, fmt, output):
    """Merged events: one per real-world event, with independent sources and the fatality spread.

    \b
    Formats: acled-csv (ACLED's columns in ACLED's order, then fatalities_low/best/high,
    contested, sources, reports), geojson (RFC 7946 FeatureCollection), plover-jsonl
    (PLOVER records), parquet (-o FILE), json.

    \b
    Example:
        sitroom events --country Syria --since 2024-11-01 --min-sources 2 --format geojson -o syria.geojson
    """
    from ..export import events_acled_csv, geojson, plover_jsonl, write_parquet
    from ..store.schema import columns

    _dates(since, until)
    if fmt == "parquet" and not output:
        raise click.UsageError("--format parquet needs -o FILE")
    store = _open_existing(db)
    try:
        rows = store.events(country=country, admin1=admin1, since=since, until=until, type=type_, actor=actor,
                            min_sources=min_sources, event_id=event_id, limit=limit)
        articles = None
        if fmt == "plover-jsonl":
            articles = {a["doc_id"]: a for a in store.articles()}
    finally:
        store.close()
    if fmt == "acled-csv":
        _emit(events_acled_csv(rows), output)
    elif fmt == "geojson":
        _emit(json.dumps(geojson(rows), ensure_ascii=False) + "\n", output)
    elif fmt == "plover-jsonl":
        _emit(plover_jsonl(rows, articles), output)
    elif fmt == "parquet":
        write_parquet(rows, output, columns("events"))
    else:
        _emit(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", output)


@click.command()
@db_option
@click.option("--doc", "doc_id", help="Claims of one article (its id).")
@click.option("--event-id", help="Claims that report one merged event.")
@click.option("--speaker", help="Substring of the speaker.")
@click.option("--actor", help="Substring of the party the speaker speaks for.")
@click.option("--kind", type=click.Choice(["quote", "reported", "assessment", "speculation", "assertion"]))
@click.option("--since", metavar="YYYY-MM-DD", help="Articles published on or after this date.")
@click.option("--until", metavar="YYYY-MM-DD", help="Articles published on or before this date.")
@click.option("--with-figures", is_flag=True, help="Only claims that give figures (killed, injured, ...).")
@click.option("--limit", type=click.IntRange(min=1))
@click.option("--format", "fmt", type=click.Choice(TABLE_FORMATS), default="json", show_default=True)
@output_option
def claims(db, doc_id, event_id, speaker, actor, kind, since, until, with_figures, limit, fmt, output):
    """The claims ledger: who says what, in which article, about which event."""
    from ..api import CLAIM_COLUMNS

    _dates(since, until)
    store = _open_existing(db)
    try:
        rows = store.claims(doc_id=doc_id, event_id=event_id, speaker=speaker, actor=actor, kind=kind,
                            since=since, until=until, with_figures=with_figures, limit=limit)
    finally:
        store.close()
    _write_table(rows, CLAIM_COLUMNS, fmt, output)


@click.command()
@db_option
@click.option("--name", help="Substring of the actor's name or of an alias seen.")
@click.option("--country", help="The actor's country.")
@click.option("--format", "fmt", type=click.Choice(TABLE_FORMATS), default="json", show_default=True)
@output_option
def actors(db, name, country, fmt, output):
    """Actors across all articles: canonical name, type, country, aliases, articles and events."""
    from ..api import ACTOR_COLUMNS

    store = _open_existing(db)
    try:
        rows = store.actors(name=name, country=country)
    finally:
        store.close()
    _write_table(rows, ACTOR_COLUMNS, fmt, output)
