#!/usr/bin/env python3
"""Rebuild the shipped sub-event typer from the team's corpus (fixed seed: same corpus, same weights).

    .venv/bin/python scripts/train_typer.py [--seed 0] [--out sitroom/data/events/typer/typer.npz]
                                            [--holdout 0.2] [--dump corpus.jsonl]

The corpus is expanded from sitroom/data/events/corpus/ (templates.txt, places.toml,
lexicon.toml; see its README.md); the codebook rules' label of each passage is a
feature. `--holdout` reports accuracy on a share of the corpus kept aside (the shipped
model is trained on all of it); `--dump` writes the passages as JSON lines to read.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sitroom.stages.events import corpus, typer  # noqa: E402
from sitroom.stages.events.classify import classify_text  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default=str(typer.SHIPPED))
    ap.add_argument("--holdout", type=float, default=0.0)
    ap.add_argument("--dump", help="write the corpus here as JSON lines")
    args = ap.parse_args()
    passages = corpus.passages(seed=args.seed)
    if args.dump:
        with open(args.dump, "w", encoding="utf-8") as f:
            for p in passages:
                f.write(json.dumps({"text": p.text, "label": p.label, "kind": p.kind}, ensure_ascii=False) + "\n")
    order = list(range(len(passages)))
    random.Random(args.seed).shuffle(order)
    n_test = int(len(order) * args.holdout)
    test = [passages[i] for i in order[:n_test]]
    train = [passages[i] for i in sorted(order[n_test:])]  # corpus order, as `sitroom train --corpus`
    rules = [classify_text(p.text) for p in train]
    model = typer.train([p.text for p in train], [p.label for p in train], seed=args.seed, rules=rules,
                        meta={"corpus": "sitroom/data/events/corpus", "corpus_seed": args.seed})
    if test:
        acc = typer.accuracy(model, [p.text for p in test], [p.label for p in test],
                             [classify_text(p.text) for p in test])
        print(f"holdout accuracy {acc:.3f} (n={len(test)}; template passages, an upper bound)")
        return
    path = model.save(args.out)
    print(f"wrote {path}: {len(passages)} passages, {model.meta['features']} features, "
          f"{path.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
