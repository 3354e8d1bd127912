"""How each extraction stage's time grows with a document's length (none may grow faster than linearly).

    .venv/bin/python bench/stage_scaling.py [--lengths 10000,30000,100000,200000]
                                            [--kinds news,sentence,quote,word] [--events-to 1000000]

Kinds: `news` (varied reports: bench/ingest.py's story generator, articles joined until the
length is reached: many towns, sides, figures and dates), `sentence` (one news sentence
repeated), `quote` (one quoted statement repeated), `word` (one word repeated).  For each kind
and length it prints the CPU seconds (steadier than wall time on a shared machine) of the model
parse and of every sitroom stage, then each one's time per character relative to the shortest
length: about 1 everywhere is linear, a ratio that grows with the length is not ("-" where the
shortest time is too small to divide by).  With --events-to N it then times the events stage
alone on `news` and `sentence` texts from 10k characters up to N, past the 200,000-character
limit of one document (the stage is called directly, the limit only guards the inputs).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

UNITS = {
    "sentence": "Gunmen killed five people in a village near Kano on Monday, police said. ",
    "quote": '"We will not leave," he said. ',
    "word": "attack ",
}
TINY_S = 0.02  # below this, a ratio to the shortest time is noise


def news(n: int, seed: int = 3) -> str:
    """Varied news text of `n` characters: generated articles, one after another."""
    from ingest import make_corpus
    parts, size, k = [], 0, 0
    while size < n:
        k += 1
        docs = make_corpus(40, seed=seed * 1000 + k)
        for d in docs:
            parts.append(d["text"])
            size += len(d["text"]) + 2
    return "\n\n".join(parts)[:n]


def document(kind: str, n: int) -> str:
    if kind == "news":
        return news(n)
    unit = UNITS[kind]
    return (unit * (n // len(unit) + 1))[:n]


def timed_stages(nlp, text: str, only: str | None = None) -> dict[str, float]:
    """CPU seconds of the parse and of each stage (or only of `only`) over one text."""
    from sitroom.pipeline import annotate_meta, extract_article, stage_names
    from sitroom.sources import RawDocument

    meta = extract_article(RawDocument(id="bench", source="bench", format="text", content="Bench."))
    t = time.process_time()
    with nlp.select_pipes(disable=stage_names(nlp)):
        doc = nlp(text)
    times = {"parse": time.process_time() - t}
    annotate_meta(doc, meta, "bench")
    for name in stage_names(nlp):
        t = time.process_time()
        doc = nlp.get_pipe(name)(doc)
        short = name.removeprefix("sitroom_")
        if only is None or short == only:
            times[short] = time.process_time() - t
    if only is None:
        times["stages"] = sum(v for k, v in times.items() if k != "parse")
    return times


def ratios(rows: list[tuple[int, dict[str, float]]]) -> list[tuple[int, dict[str, str]]]:
    """Each stage's seconds per character over the shortest length's."""
    n0, t0 = rows[0]
    out = []
    for n, times in rows:
        out.append((n, {k: (f"{(v / n) / (t0[k] / n0):.2f}" if t0[k] >= TINY_S else "-") for k, v in times.items()}))
    return out


def table(title: str, rows: list[tuple[int, dict]]) -> None:
    names = list(rows[0][1])
    print(title)
    print(f"  {'chars':>9} " + " ".join(f"{k:>9}" for k in names))
    for n, cells in rows:
        print(f"  {n:>9} " + " ".join(f"{v:>9.2f}" if isinstance(v, float) else f"{v:>9}" for v in cells.values()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lengths", default="10000,30000,100000,200000")
    ap.add_argument("--kinds", default="news,sentence,quote,word")
    ap.add_argument("--events-to", type=int, default=0, help="also time the events stage alone up to this length")
    args = ap.parse_args()

    from sitroom.pipeline import load_pipeline
    nlp = load_pipeline()
    nlp.max_length = max(nlp.max_length, args.events_to + 1)
    timed_stages(nlp, document("news", 3000))  # every stage's data loaded once, outside the timings
    lengths = [int(x) for x in args.lengths.split(",")]
    print("CPU seconds per stage (parse: the English model; the rest: sitroom's stages)", flush=True)
    for kind in args.kinds.split(","):
        rows = [(n, timed_stages(nlp, document(kind, n))) for n in lengths]
        table(f"{kind}: seconds", rows)
        table(f"{kind}: seconds per character / the same at {lengths[0]:,}", ratios(rows))
        sys.stdout.flush()
    if args.events_to:
        curve = [n for n in (10_000, 30_000, 100_000, 300_000, 1_000_000, 3_000_000) if n <= args.events_to]
        for kind in ("news", "sentence"):
            rows = [(n, timed_stages(nlp, document(kind, n), only="events")) for n in curve]
            table(f"events stage alone, {kind}: seconds", rows)
            table(f"events stage alone, {kind}: seconds per character / the same at {curve[0]:,}", ratios(rows))
            sys.stdout.flush()


if __name__ == "__main__":
    main()
