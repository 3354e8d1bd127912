"""Compare two `sitroom extract --format jsonl` outputs document by document.

    python scripts/same_output.py BEFORE.jsonl AFTER.jsonl [--show 5]

For refactors that must not change what sitroom extracts: prints how many documents
differ, in which members (article, places, timexes, actors, claims, relations, events,
error), and the first few differences. Exit status 1 when any document differs.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter


def read(path: str) -> dict[str, dict]:
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                doc = json.loads(line)
                out[str(doc.get("id"))] = doc
    return out


def first_difference(a, b, path: str = "") -> str | None:
    if type(a) is not type(b):
        return f"{path}: {a!r:.120} != {b!r:.120}"
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                return f"{path}.{k}: only in {'after' if k in b else 'before'}"
            d = first_difference(a[k], b[k], f"{path}.{k}")
            if d:
                return d
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items != {len(b)} items"
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_difference(x, y, f"{path}[{i}]")
            if d:
                return d
        return None
    return None if a == b else f"{path}: {a!r:.120} != {b!r:.120}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("before")
    ap.add_argument("after")
    ap.add_argument("--show", type=int, default=5)
    args = ap.parse_args(argv)
    before, after = read(args.before), read(args.after)
    members: Counter = Counter()
    shown = 0
    differing = 0
    for doc_id in sorted(set(before) | set(after)):
        a, b = before.get(doc_id), after.get(doc_id)
        if a == b:
            continue
        differing += 1
        if a is None or b is None:
            members["missing"] += 1
            continue
        for k in sorted(set(a) | set(b)):
            if a.get(k) != b.get(k):
                members[k] += 1
        if shown < args.show:
            print(f"{doc_id}: {first_difference(a, b)}")
            shown += 1
    print(f"{len(before)} before, {len(after)} after, {differing} differ"
          + (": " + ", ".join(f"{k} {n}" for k, n in members.most_common()) if members else ""))
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
