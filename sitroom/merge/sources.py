"""Which reports are independent: wire credits, outlets and near-identical texts.

One monitor's statement reprinted by five outlets is one source, not five. An article
is first keyed by who wrote it (a wire service it credits, else its outlet, else
itself); then articles whose texts are near-identical (word-shingle MinHash) are
folded together, which catches reprints that dropped the credit.
"""
from __future__ import annotations

import hashlib
import re
from typing import Sequence

import numpy as np

from ..outlets import credited_wire, wire_of_host
from .records import Report

NEAR_DUP_JACCARD = 0.5  # word 5-shingle Jaccard: reprints score > 0.6, separate write-ups < 0.15
SHINGLE_WORDS = 5  # 5-word shingles: long enough that shared phrases ("killed in an air strike") rarely match
NUM_PERM = 64  # MinHash permutations: standard error of the Jaccard estimate ~0.06

_WORD = re.compile(r"\w+", re.UNICODE)


# --- wire credits and source groups -----------------------------------------------------------
def wire_of(text: str | None, outlet: str | None = None) -> str | None:
    """The wire service an article is credited to (its key), or None for the outlet's own story."""
    return wire_of_host(outlet) or credited_wire(text)


def source_group(doc_id: str, outlet: str | None, wire: str | None) -> str:
    """The independence key of an article before near-duplicate folding."""
    if wire:
        return f"wire:{wire}"
    if outlet:
        return f"outlet:{outlet.lower()}"
    return f"doc:{doc_id}"


# --- MinHash over word shingles ----------------------------------------------------------
_PRIME = (1 << 31) - 1  # Mersenne prime: a*x + b stays below 2**63 for 31-bit a, x, b


def _coefficients() -> tuple[np.ndarray, np.ndarray]:
    """Fixed permutation coefficients derived from hashes (stable across numpy versions)."""
    def num(tag: str) -> int:
        return int.from_bytes(hashlib.blake2b(tag.encode(), digest_size=8).digest(), "big")
    a = np.array([num(f"a{i}") % (_PRIME - 1) + 1 for i in range(NUM_PERM)], dtype=np.uint64)
    b = np.array([num(f"b{i}") % _PRIME for i in range(NUM_PERM)], dtype=np.uint64)
    return a, b


_A, _B = _coefficients()


def shingles(text: str, k: int = SHINGLE_WORDS) -> set[str]:
    """The text's casefolded k-word windows (the whole text when it is shorter than k words)."""
    words = [w.casefold() for w in _WORD.findall(text or "")]
    if len(words) < k:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + k]) for i in range(len(words) - k + 1)}


def minhash(text: str) -> str:
    """Hex MinHash signature of the text's word shingles ('' for an empty text)."""
    sh = shingles(text)
    if not sh:
        return ""
    x = np.array([int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "big") % _PRIME
                  for s in sorted(sh)], dtype=np.uint64)
    sig = ((np.outer(_A, x) + _B[:, None]) % _PRIME).min(axis=1).astype(">u4")
    return sig.tobytes().hex()


def jaccard(sig_a: str, sig_b: str) -> float:
    """Estimated Jaccard similarity of two texts from their signatures."""
    if not sig_a or not sig_b or len(sig_a) != len(sig_b):
        return 0.0
    a = np.frombuffer(bytes.fromhex(sig_a), dtype=">u4")
    b = np.frombuffer(bytes.fromhex(sig_b), dtype=">u4")
    return float(np.mean(a == b))


# --- independent groups ----------------------------------------------------------------------
def independent_groups(members: Sequence[Report]) -> dict[str, str]:
    """doc_id -> source group, folding near-identical texts (unattributed reprints) together."""
    arts = {r.doc_id: r.article for r in members}
    parent = {d: d for d in arts}

    def find(d: str) -> str:
        while parent[d] != d:
            parent[d] = parent[parent[d]]
            d = parent[d]
        return d

    def union(x: str, y: str) -> None:
        rx, ry = find(x), find(y)
        if rx != ry:
            parent[max(rx, ry)] = min(rx, ry)

    ids = sorted(arts)
    by_group: dict[str, str] = {}
    for d in ids:
        g = arts[d].source_group or f"doc:{d}"
        if g in by_group:
            union(d, by_group[g])
        else:
            by_group[g] = d
    for i, x in enumerate(ids):
        for y in ids[i + 1:]:
            if jaccard(arts[x].minhash, arts[y].minhash) >= NEAR_DUP_JACCARD:
                union(x, y)
    # name each folded group after its smallest member's own group (deterministic)
    names: dict[str, str] = {}
    for d in ids:
        names.setdefault(find(d), arts[d].source_group or f"doc:{d}")
    return {d: names[find(d)] for d in ids}
