"""`sitroom train`: learn the event-type classifier from an ACLED export the user holds,
or rebuild the shipped typer from the team's corpus, with the user's rows added."""
from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

import click

from ..errors import InputError
from .common import say

TEXT_COLUMN = "notes"
LABEL_COLUMN = "sub_event_type"
MIN_EXAMPLES = 2  # fewer rows cannot teach a classifier anything


def read_acled_csv(path: str, text_column: str = TEXT_COLUMN,
                   label_column: str = LABEL_COLUMN) -> tuple[list[str], list[str]]:
    """(notes, sub-event types) of an ACLED CSV export; rows without either are skipped."""
    csv.field_size_limit(min(sys.maxsize, 2 ** 31 - 1))
    texts, labels = [], []
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        missing = {text_column, label_column} - set(reader.fieldnames or ())
        if missing:
            raise InputError(
                path, f"no column {', '.join(sorted(missing))} (ACLED exports have "
                f"'{TEXT_COLUMN}' and '{LABEL_COLUMN}'; see --text-column/--label-column)")
        for row in reader:
            text, label = (row.get(text_column) or "").strip(), (row.get(label_column) or "").strip()
            if text and label:
                texts.append(text)
                labels.append(label)
    return texts, labels


@click.command()
@click.option("--acled", "acled_file", type=click.Path(exists=True, dir_okay=False),
              help="An ACLED export (CSV with 'notes' and 'sub_event_type' columns).")
@click.option("--from-shipped", is_flag=True,
              help="Train the shipped typer's kind of model on the team's corpus plus the --acled rows "
                   "(the rules still decide first; the typer checks them and finds non-events).")
@click.option("--corpus", "corpus_only", is_flag=True,
              help="Rebuild the shipped typer from the team's corpus alone (as scripts/train_typer.py).")
@click.option("--out", "out_dir", default="sitroom-event-model", show_default=True, type=click.Path(file_okay=False),
              help="Directory to write the model to (a JSON file).")
@click.option("--kind", type=click.Choice(["logreg", "nb"]), default="logreg", show_default=True,
              help="Logistic regression or naive Bayes over word n-grams.")
@click.option("--no-rules", is_flag=True, help="Do not use the codebook rules' decision as a feature.")
@click.option("--holdout", type=click.FloatRange(0.0, 0.9), default=0.0, show_default=True,
              help="Share of rows kept aside to report accuracy (the model is then trained on the rest).")
@click.option("--text-column", default=TEXT_COLUMN, show_default=True, help="Column holding the event description.")
@click.option("--label-column", default=LABEL_COLUMN, show_default=True, help="Column holding the sub-event type.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the holdout split.")
def train(acled_file, from_shipped, corpus_only, out_dir, kind, no_rules, holdout, text_column, label_column, seed):
    """Learn the event-type classifier (notes -> sub_event_type) from an ACLED export.

    The model is written to OUT as plain JSON; use it with
    `sitroom extract --model OUT`.  Without a model, extract types events by the
    codebook rules alone.

    \b
    Example:
        sitroom train --acled acled_export.csv --out models/acled --holdout 0.2
        sitroom extract report.html --model models/acled
        sitroom train --acled acled_export.csv --from-shipped --out models/typer
    """
    if corpus_only or from_shipped:
        return train_typer(acled_file if from_shipped else None, out_dir, seed, text_column, label_column)
    if not acled_file:
        raise click.UsageError("give --acled FILE (or --corpus to rebuild the shipped typer)")
    from ..stages.events.classify import classify_text
    from ..stages.events.model import accuracy
    from ..stages.events.model import train as fit

    texts, labels = read_acled_csv(acled_file, text_column, label_column)
    if len(texts) < MIN_EXAMPLES or len(set(labels)) < 2:
        raise InputError(acled_file, f"need at least {MIN_EXAMPLES} rows and 2 sub-event types "
                                   f"(found {len(texts)} rows, {len(set(labels))} types)")
    order = list(range(len(texts)))
    random.Random(seed).shuffle(order)
    n_test = int(len(order) * holdout)
    test, tr = order[:n_test], order[n_test:]
    say(f"training a {kind} classifier on {len(tr)} rows, {len(set(labels))} sub-event types")
    model = fit([texts[i] for i in tr], [labels[i] for i in tr], kind=kind, use_rules=not no_rules,
                meta={"source": str(acled_file)})
    path = model.save(out_dir)
    say(f"wrote {path}")
    if test:
        tx, ty = [texts[i] for i in test], [labels[i] for i in test]
        rules = sum(classify_text(t) == y for t, y in zip(tx, ty)) / len(ty)
        click.echo(f"holdout: n={len(ty)} model_accuracy={accuracy(model, tx, ty):.3f} "
                   f"rules_accuracy={rules:.3f}")


def train_typer(acled_file: str | None, out_dir: str, seed: int, text_column: str, label_column: str) -> None:
    """The typer of `stages/events/typer.py` on the team's corpus (plus the user's rows), to OUT/typer.npz."""
    from ..acled import SUB_EVENT_TYPES
    from ..stages.events import corpus, typer
    from ..stages.events.classify import classify_text

    passages = corpus.passages(seed=seed, per_label=corpus.PER_LABEL, per_none=corpus.PER_NONE_KIND)
    texts, labels = [p.text for p in passages], [p.label for p in passages]
    if acled_file:
        rows = [(t, lab) for t, lab in zip(*read_acled_csv(acled_file, text_column, label_column))
                if lab in SUB_EVENT_TYPES]
        if not rows:
            raise InputError(acled_file, "no row with one of ACLED's sub-event types")
        texts += [t for t, _ in rows]
        labels += [lab for _, lab in rows]
        say(f"{len(rows)} rows of {acled_file} added to {len(passages)} corpus passages")
    say(f"training the typer on {len(texts)} passages")
    model = typer.train(texts, labels, seed=seed, rules=[classify_text(t) for t in texts],
                        meta={"corpus_seed": seed, "acled": str(acled_file) if acled_file else None})
    path = model.save(Path(out_dir) / typer.MODEL_FILE)
    say(f"wrote {path}")
