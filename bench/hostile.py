"""Time each extraction stage on hostile documents of doubling length (does any stage grow super-linearly?).

    .venv/bin/python bench/hostile.py [--start 10000] [--max 160000] [--kinds sentence,word,quote]

Kinds: `sentence` (one news sentence repeated), `word` (one word repeated), `quote` (a quoted
statement repeated).  Prints, per kind and length, the CPU seconds (steadier than wall time on
a busy machine) of the model parse and of each sitroom stage, and the events stage's seconds
per 1,000 characters (linear: a flat ratio).
"""
from __future__ import annotations

import argparse
import time

KINDS = {
    "sentence": "Gunmen killed five people in a village near Kano on Monday, police said. ",
    "word": "attack ",
    "quote": '"We will not leave," he said. ',
}


def document(kind: str, n: int) -> str:
    unit = KINDS[kind]
    return (unit * (n // len(unit) + 1))[:n]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--start", type=int, default=10_000)
    ap.add_argument("--max", type=int, default=160_000)
    ap.add_argument("--kinds", default="sentence,word,quote")
    args = ap.parse_args()

    from sitroom.pipeline import annotate_meta, extract_article, load_pipeline, stage_names
    from sitroom.sources import RawDocument

    nlp = load_pipeline()
    warm = extract_article(RawDocument(id="w", source="w", format="text", content=KINDS["sentence"]))
    with nlp.select_pipes(disable=stage_names(nlp)):
        doc = annotate_meta(nlp(warm.text), warm, "w")
    for name in stage_names(nlp):  # load every stage's data once, outside the timings
        doc = nlp.get_pipe(name)(doc)
    for kind in args.kinds.split(","):
        n = args.start
        while n <= args.max:
            art = extract_article(RawDocument(id=kind, source=kind, format="text", content=document(kind, n)))
            t = time.process_time()
            with nlp.select_pipes(disable=stage_names(nlp)):
                doc = nlp(art.text)
            times = {"parse": time.process_time() - t}
            annotate_meta(doc, art, kind)
            for name in stage_names(nlp):
                t = time.process_time()
                doc = nlp.get_pipe(name)(doc)
                times[name.removeprefix("sitroom_")] = time.process_time() - t
            cells = " ".join(f"{k}={v:.2f}" for k, v in times.items())
            print(f"{kind:8} {n:>8} chars  {cells}  events/kchar={times['events'] / n * 1000:.3f}", flush=True)
            n *= 2


if __name__ == "__main__":
    main()
