"""Fuzz `sitroom extract` with generated hostile JSONL documents and check its promises.

    .venv/bin/python bench/fuzz.py [--n 2000] [--seed 1] [--batch 2000] [--jobs 2] [--budget 30] [--ingest]
                                   [--max-minutes M]

Every category the reliability issue names is generated: exotic Unicode (lone surrogates,
line separators inside strings, RTL overrides, zero-width and combining marks, NUL),
JSON edge cases (deep nesting, 5,000-digit integers, non-objects, members of the wrong
type), invalid UTF-8 bytes, impossible dates, giant and negative numbers, malformed,
truncated and deeply nested HTML, regex-hostile repetition, mojibake and text over the
length limit.  The documents go through `sitroom extract --format jsonl` in batches, and
the invariants are checked: one output line per input line, in order, with its id; each
failed document one `sitroom: error:` line; no raw U+2028/2029/0085 in the output; never a
traceback; no document over the time budget (--doc-budget) without its error (the seconds
between consecutive results are timed: with --jobs a chunk's, which is at least any of its
documents', so this errs on the side of reporting).  Documents are generated one batch at a
time, so memory stays that of one batch and one extract run, whatever --n.  With --ingest
the same batches are ingested too: every line is counted as new, unchanged, duplicate or
failed, and the run ends with its merge.  Prints tracebacks, lost lines, documents over the
budget unreported, the counts per category and per message, and the duration.
"""
from __future__ import annotations

import argparse
import collections
import json
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

KANO = "Gunmen killed five people in a village near Kano on Monday, police said."


def _text(rng: random.Random) -> str:
    return " ".join(rng.choice([KANO, "Residents fled.", "The army denied it.", '"We will fight," he said.'])
                    for _ in range(rng.randrange(1, 6)))


def _obj(doc_id: str, **members) -> str:
    return json.dumps({"id": doc_id, **members}, ensure_ascii=False)


def generate(rng: random.Random, n: int) -> tuple[str, str | None, bytes]:
    """(category, id the output must carry or None for a line with no readable id, the line's bytes)."""
    i = f"d{n}"
    kind = rng.choice(CATEGORIES)
    t = _text(rng)
    if kind == "ok":
        return kind, i, _obj(i, text=t).encode()
    if kind == "surrogate":
        text = json.dumps(t)[:-1] + ' \\udcff\\ud800 end"'  # escapes json.dumps would never write
        return kind, i, f'{{"id": "{i}", "text": {text}, "title": "\\udfff"}}'.encode()
    if kind == "line_separators":
        odd = rng.choice("\u2028\u2029\u0085\u000b\u000c\u001c\u001d\u001e")
        return kind, i, _obj(i, text=t.replace(" ", odd, 2)).encode()
    if kind == "deep_json":
        depth = rng.choice([2000, 50_000])
        return kind, None, (f'{{"id": "{i}", "text": {json.dumps(t)}, "x": ' + "[" * depth + "]" * depth + "}").encode()
    if kind == "bigint":
        return kind, None, f'{{"id": "{i}", "text": {json.dumps(t)}, "n": {"9" * 5000}}}'.encode()
    if kind == "bad_utf8":
        return kind, None, _obj(i, text=t + " Kano").encode().replace(b"Kano", b"K\xe9no\xff")
    if kind == "impossible_date":
        return kind, i, _obj(i, text=t, published=rng.choice(["2024-02-30", "0000-00-00", "2024-13-45", "soon"])).encode()
    if kind == "wrong_types":
        key, value = rng.choice([("title", 5), ("outlet", ["a"]), ("url", {"u": 1}), ("text", 7), ("published", 2024)])
        return kind, i, _obj(i, **{"text": t, key: value}).encode()
    if kind == "not_an_object":
        return kind, None, rng.choice([b"[1, 2]", b"null", b'"text"', b"{}", b"{", b'{"text": "a" "b"}'])
    if kind == "giant_numbers":
        n_ = rng.choice(["99999999999999999999", "1" + ",000" * 300, "-5", "1e309", "9" * 400, "0.5"])
        return kind, i, _obj(i, text=f"Gunmen killed {n_} people in Kano. The toll rose to {n_}.").encode()
    if kind == "html":
        body = rng.choice([
            f"<p>{t}", f"<html><body><p>{t}</p><script>alert(1)</script>", f"<p>{t} &amp; &#0; &#xD800; &bogus;</p>",
            "<div>" * 400 + f"<p>{t}</p>" + "</div>" * 400, f"<table><tr><td>{t}", f"<p>{t}</p><!--", "<<<>>>" * 50,
            f"<p dir='rtl'>\u202e{t}\u202c</p>"])
        return kind, i, _obj(i, html=body).encode()
    if kind == "exotic_unicode":
        noise = rng.choice(["\u202e", "\u200b", "\u0301" * 50, "\u0000", "\ufeff", "\U0001F4A3" * 20, "\u00a0" * 30])
        return kind, i, _obj(i, text=t.replace(" ", f" {noise}", 3)).encode()
    if kind == "repetition":
        unit = rng.choice(["a", "killed ", "((", ",,", '"', "attack ", "said ", "near Kano ", "1,"])
        return kind, i, _obj(i, text=unit * rng.randrange(100, 3000)).encode()
    if kind == "mojibake":
        return kind, i, _obj(i, text=t.encode("utf-8").decode("latin-1")).encode()
    if kind == "too_long":
        return kind, i, _obj(i, text="word " * 41_000).encode()
    raise AssertionError(kind)


CATEGORIES = ["ok", "surrogate", "line_separators", "deep_json", "bigint", "bad_utf8", "impossible_date",
              "wrong_types", "not_an_object", "giant_numbers", "html", "exotic_unicode", "repetition",
              "mojibake", "too_long"]
_SPECIFIC = re.compile(r"\d[\d,.]*|'[^']*'|\"[^\"]*\"|\([^)]*\)")


def message_kind(line: str) -> str:
    """An error line without its input name and specifics, for counting."""
    problem = line.split(": ", 3)[-1] if line.count(": ") >= 3 else line
    return _SPECIFIC.sub("…", problem)[:90]


def run_batch(lines: list[tuple[str, str | None, bytes]], workdir: Path, k: int, ingest: bool = False,
              jobs: int = 2, budget: float = 30.0) -> dict:
    """One `sitroom extract` run over a batch (through `child`, which also times each result)."""
    path = workdir / f"batch{k}.jsonl"
    gaps = workdir / f"gaps{k}.txt"
    path.write_bytes(b"\n".join(b for _, _, b in lines) + b"\n")
    proc = subprocess.run([sys.executable, __file__, "--child", str(gaps), "extract", str(path), "--format", "jsonl",
                           "--no-progress", "--jobs", str(jobs), "--doc-budget", str(budget)], capture_output=True)
    out = proc.stdout.decode("utf-8").split("\n")[:-1]
    stderr = proc.stderr.decode("utf-8", "replace")
    err = [line for line in stderr.split("\n") if line]
    problems = []
    tracebacks = stderr.count("Traceback")
    if tracebacks:
        problems.append("traceback: " + stderr[stderr.index("Traceback"):][-300:].replace("\n", " | "))
    if any(sep in o for o in out for sep in "\u2028\u2029\u0085"):
        problems.append("a raw line separator in the JSONL output")
    lost = max(0, len(lines) - len(out))
    if len(out) != len(lines):
        problems.append(f"{len(lines)} lines in, {len(out)} out")
    results = [json.loads(o) for o in out]
    for (kind, want, _), res in zip(lines, results):
        if want is not None and res["id"] != want:
            problems.append(f"{kind}: id {res['id']!r} for {want!r}")
    error_lines = [e for e in err if e.startswith("sitroom: error:")]
    failed = sum(1 for r in results if r.get("error"))
    if len(error_lines) != failed:
        problems.append(f"{failed} failed results, {len(error_lines)} error lines")
    seconds = [float(x) for x in gaps.read_text().split()] if gaps.exists() else []
    unreported = sum(1 for t, r in zip(seconds, results) if t > budget and BUDGET_ERROR not in (r.get("error") or ""))
    if ingest:
        problems += ingest_batch(path, len(lines), workdir / "fuzz.duckdb")
    path.unlink()
    return {"results": results, "errors": error_lines, "problems": problems, "status": proc.returncode,
            "tracebacks": tracebacks, "lost": lost, "unreported": unreported, "longest": max(seconds, default=0.0)}


BUDGET_ERROR = "time budget per document"


def child(gaps: str, args: list[str]) -> None:
    """`sitroom ARGS` in this process, writing the seconds between consecutive results to `gaps`
    (one document's time, or one chunk's with --jobs: at least as long as any document in it)."""
    import sitroom.parallel
    real = sitroom.parallel.process

    def timed(*a, **k):
        with open(gaps, "w") as out:
            last = time.perf_counter()
            for result in real(*a, **k):
                now = time.perf_counter()
                out.write(f"{now - last:.3f}\n")
                last = now
                yield result

    sitroom.parallel.process = timed
    from sitroom.cli import cli
    cli.main(args, prog_name="sitroom")


def ingest_batch(path: Path, n: int, db: Path) -> list[str]:
    """`sitroom ingest` of the same lines: every line stored, skipped or failed, the run and its merge finished."""
    proc = subprocess.run([sys.executable, "-m", "sitroom", "ingest", str(path), "--db", str(db), "--no-progress"],
                          capture_output=True)
    err = proc.stderr.decode("utf-8", "replace")
    stats = next((line for line in err.splitlines() if line.startswith("sitroom: ingested ")), None)
    if "Traceback" in err or stats is None:
        return [f"ingest stopped: {err.strip().splitlines()[-1] if err.strip() else proc.returncode}"]
    counted = sum(int(m) for m in re.findall(r"(\d+) (?:new|updated|unchanged|duplicate|failed)", stats))
    return [] if counted == n else [f"ingest: {n} lines, {counted} counted ({stats})"]


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        return child(sys.argv[2], sys.argv[3:])
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--batch", type=int, default=2000, help="documents per `sitroom extract` run (generated per batch)")
    ap.add_argument("--jobs", type=int, default=2, help="extract's --jobs")
    ap.add_argument("--budget", type=float, default=30.0, help="extract's --doc-budget, in seconds")
    ap.add_argument("--ingest", action="store_true", help="also `sitroom ingest` each batch into one DuckDB file")
    ap.add_argument("--max-minutes", type=float, default=None,
                    help="start no batch after this many minutes (the report says how many documents ran)")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    per_category: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    messages: collections.Counter = collections.Counter()
    problems: list[str] = []
    totals: collections.Counter = collections.Counter()
    longest = 0.0
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(0, args.n, args.batch):
            if args.max_minutes is not None and time.perf_counter() - t0 > args.max_minutes * 60:
                print(f"stopped after {args.max_minutes:g} minutes, before document {k} of {args.n}")
                break
            batch = [generate(rng, n) for n in range(k, min(args.n, k + args.batch))]  # one batch in memory
            res = run_batch(batch, Path(tmp), k, args.ingest, args.jobs, args.budget)
            problems += res["problems"]
            totals.update(tracebacks=res["tracebacks"], lost=res["lost"], unreported=res["unreported"],
                          documents=len(batch))
            longest = max(longest, res["longest"])
            for (kind, _, _), r in zip(batch, res["results"]):
                per_category[kind]["error" if r.get("error") else "extracted"] += 1
            messages.update(message_kind(e) for e in res["errors"])
            print(f"  ... {totals['documents']} documents, {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
    took = time.perf_counter() - t0
    print(f"{totals['documents']} documents in {took:.0f} s ({totals['documents'] / took:.1f}/s, seed {args.seed}, "
          f"batches of {args.batch}, --jobs {args.jobs}, --doc-budget {args.budget:g}); "
          f"{len(problems)} broken promises")
    print(f"  tracebacks {totals['tracebacks']}, lost {totals['lost']}, over the time budget unreported "
          f"{totals['unreported']}, longest gap between two results {longest:.1f} s")
    for p in problems[:20]:
        print("  PROBLEM", p)
    for kind in CATEGORIES:
        c = per_category[kind]
        print(f"  {kind:16} {c['extracted']:6} extracted {c['error']:6} errors")
    for msg, count in messages.most_common():
        print(f"  {count:6}  {msg}")
    sys.exit(1 if problems or totals["unreported"] else 0)


if __name__ == "__main__":
    main()
