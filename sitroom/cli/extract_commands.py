"""`sitroom extract` and `sitroom stages`: documents in, the contract's records out."""
from __future__ import annotations

import json
import sys

import click

from .common import budget_option, check_date, jobs_option, report_error, say


@click.command()
@click.argument("paths", nargs=-1, metavar="[PATH ...]")
@click.option("--input-format", type=click.Choice(["html", "text", "jsonl"]), default=None,
              help="How to read the inputs (default: from the file name, else sniffed).")
@click.option("--published", metavar="YYYY-MM-DD", default=None,
              help="Publication date, the anchor for relative dates (default: read from the page).")
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl", "acled-csv", "summary"]), default="json",
              help="Output: one JSON document (array for several), JSON lines, ACLED CSV rows, "
                   "or a readable summary.")
@click.option("-o", "--output", type=click.File("w"), default="-", help="Write here instead of stdout.")
@click.option("--model", "event_model", type=click.Path(exists=True, file_okay=False), default=None,
              help="An event-type classifier made by `sitroom train`.")
@jobs_option
@budget_option
@click.option("--no-progress", is_flag=True, help="No progress bar, even on a terminal.")
def extract(paths, input_format, published, fmt, output, event_model, jobs, budget_s, no_progress):
    """Extract articles, places, dates, actors, claims and events from documents.

    PATH is an HTML or text file, a JSONL file (one {"id", "text"|"html"} per line),
    a directory (searched recursively for *.html, *.htm, *.txt and *.jsonl, as
    `sitroom ingest` does), or - for standard input (the default).

    \b
    Example:
        sitroom extract samples/*.html --format jsonl
        sitroom extract samples/ --format acled-csv
        cat docs.jsonl | sitroom extract - --input-format jsonl --format acled-csv
    """
    from ..export import acled_csv, acled_row
    from ..parallel import process
    from ..pipeline import PipelineSpec
    from ..records import json_line
    from ..sources import iter_documents

    check_date(published, "--published")
    nlp = PipelineSpec(event_model=event_model)  # loaded where the documents run: here, or only in the workers
    items = iter_documents(list(paths), input_format, published)
    results = process(items, nlp, jobs=jobs, budget_s=budget_s)
    if sys.stderr.isatty() and not no_progress:
        from tqdm import tqdm
        results = tqdm(results, unit="doc", desc="extract", file=sys.stderr, leave=False)

    failed = total = 0
    collected: list[dict] = []
    for res in results:
        total += 1
        if res.error:
            failed += 1
            report_error(res.error)
        d = res.to_json_dict()
        if fmt in ("json", "acled-csv"):
            collected.append(d)
        if fmt == "jsonl":
            output.write(json_line(d) + "\n")
            output.flush()
        elif fmt == "summary":
            from ..report import render_summary
            output.write(render_summary(res) + "\n")
            output.flush()
    if fmt == "json":
        payload = collected[0] if len(collected) == 1 else collected
        output.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    elif fmt == "acled-csv":
        rows = (acled_row(ev, doc_id=d["id"], source=d["article"].get("outlet"))
                for d in collected for ev in d.get("events", []))
        output.write(acled_csv(rows))
    if failed:
        say(f"{failed} of {total} documents failed")
    sys.exit(1 if failed else 0)


@click.command()
def stages():
    """List the extraction stages in pipeline order, with what each reads and writes.

    \b
    Example:
        sitroom stages
    """
    from ..stages.registry import STAGES
    for stage in STAGES:
        reads = ", ".join(f"doc._.{n}" for n in stage.reads) or "-"
        click.echo(f"{stage.name:20} reads {reads:70} writes {', '.join(f'doc._.{n}' for n in stage.writes)}")
