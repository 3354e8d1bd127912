"""The shipped sub-event typer: a softmax regression over hashed word n-grams, in numpy.

It reads a report (a sentence or the sentences of one event) and gives a probability
for each of ACLED's 25 sub-event types and for `none`, a report ACLED does not code
(accidents, disasters, crime, diplomacy, claims, threats, analysis, history, sport).
It is trained on the corpus the team wrote (`corpus.py`; rebuild it with
`scripts/train_typer.py`) and shipped as `data/events/typer/typer.npz`: plain arrays
(the hashed feature ids, their weights, the labels), no pickled objects, loaded offline.
`classify.type_group` combines it with the codebook rules (see docs/decisions/events.md).
"""
from __future__ import annotations

import functools
import json
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np

from ...errors import ConfigError

from ...datafiles import data_path
from .corpus import NONE

MODEL_FILE = "typer.npz"
SHIPPED = data_path("events", "typer", MODEL_FILE)
FORMAT = "sitroom-typer"
VERSION = 1

TOKEN_RE = re.compile(r"[a-z]+(?:['’][a-z]+)?|\d+(?:[.,]\d+)*")
BITS = 22  # feature ids are crc32 hashes folded to this many bits
BIAS = "<bias>"
RULE = "<rule>="  # the codebook rules' label of the passage is one more feature

# training: mini-batch SGD with momentum and L2, a fixed seed
EPOCHS = 12
BATCH = 32
LEARNING_RATE = 0.5
MOMENTUM = 0.9
L2 = 2e-5
MIN_COUNT = 2  # a feature seen once says more about one passage than about a type


def tokens(text: str) -> list[str]:
    return ["<num>" if t[0].isdigit() else t for t in TOKEN_RE.findall(text.lower())]


def features(text: str, rule: str | None = None) -> list[str]:
    """Word unigrams and bigrams (numbers folded), the passage's edges marked, and the rules' label."""
    toks = ["<s>"] + tokens(text) + ["</s>"]
    return [BIAS, RULE + str(rule)] + toks[1:-1] + [f"{a} {b}" for a, b in zip(toks, toks[1:])]


def feature_ids(text: str, rule: str | None = None) -> np.ndarray:
    mask = (1 << BITS) - 1
    return np.unique(np.fromiter((zlib.crc32(f.encode("utf-8")) & mask for f in features(text, rule)),
                                 dtype=np.int64))


def _known(ids: np.ndarray, f: np.ndarray) -> np.ndarray:
    """Positions in the sorted `ids` of the feature ids in `f` that it holds."""
    pos = np.minimum(np.searchsorted(ids, f), len(ids) - 1)
    return pos[ids[pos] == f]


@dataclass
class Typer:
    labels: list[str]
    ids: np.ndarray  # sorted hashed feature ids the model knows
    weights: np.ndarray  # (len(ids), len(labels))
    meta: dict = field(default_factory=dict)

    def probs(self, text: str, rule: str | None = None) -> np.ndarray:
        """P(label | text, the rules' label) for every label, in `labels` order."""
        z = self.weights[_known(self.ids, feature_ids(text, rule if self.meta.get("rules") else None))].sum(axis=0, dtype=np.float64)
        z -= z.max()
        p = np.exp(z)
        return p / p.sum()

    def predict(self, text: str, rule: str | None = None) -> tuple[str, float]:
        """The most probable label and its probability."""
        p = self.probs(text, rule)
        k = int(np.argmax(p))
        return self.labels[k], float(p[k])

    def save(self, path: str | Path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        header = json.dumps({"format": FORMAT, "version": VERSION, "bits": BITS, "labels": self.labels,
                             "meta": self.meta}, ensure_ascii=False, sort_keys=True)
        with open(path, "wb") as f:
            np.savez_compressed(f, header=np.array(header), ids=self.ids.astype(np.int32),
                                weights=self.weights.astype(np.float16))
        return path


def load(path: str | Path = SHIPPED) -> Typer:
    """A typer written by `Typer.save` (ConfigError if the file is not one: a one-line CLI error)."""
    try:
        with np.load(path, allow_pickle=False) as z:
            header = json.loads(str(z["header"]))
            ids, weights = z["ids"].astype(np.int64), z["weights"].astype(np.float32)
    except (OSError, KeyError, ValueError) as err:
        raise ConfigError(f"{path}: not a typer model ({err})") from None
    if header.get("format") != FORMAT or header.get("bits") != BITS:
        raise ConfigError(f"{path}: not a typer model of this version")
    return Typer(header["labels"], ids, weights, header.get("meta", {}))


def holds_typer(model_dir: str | Path) -> Path | None:
    """The typer file in a model directory `sitroom train --from-shipped` wrote, if any."""
    path = Path(model_dir)
    path = path / MODEL_FILE if path.is_dir() else path
    return path if path.name.endswith(".npz") and path.exists() else None


@functools.lru_cache(maxsize=1)
def shipped() -> Typer:
    """The typer shipped in the package (loaded once)."""
    return load(SHIPPED)


# ---------------------------------------------------------------- training
def train(texts: Sequence[str], labels: Sequence[str], seed: int = 0, epochs: int = EPOCHS,
          min_count: int = MIN_COUNT, rules: Sequence[str | None] | None = None, meta: dict | None = None) -> Typer:
    """Fit the typer on (passage, label) pairs, with the rules' label of each passage when `rules`
    is given; the same data and seed give the same weights."""
    if not texts:
        raise ValueError("no training examples")
    names = sorted(set(labels))
    y = np.asarray([names.index(lab) for lab in labels], dtype=np.int64)
    rows = [feature_ids(t, rules[i] if rules is not None else None) for i, t in enumerate(texts)]
    counts = np.unique(np.concatenate(rows), return_counts=True)
    kept = counts[0][counts[1] >= min_count]
    bias_id = feature_ids("")[0:1]  # the bias and the edge bigram '<s> </s>' are in every row
    kept = np.union1d(kept, bias_id)
    rows = [_known(kept, r) for r in rows]
    w = np.zeros((len(kept), len(names)))
    vel = np.zeros_like(w)
    rng = np.random.default_rng(seed)
    for epoch in range(epochs):
        order = rng.permutation(len(rows))
        lr = LEARNING_RATE / (1 + 0.5 * epoch)
        for start in range(0, len(order), BATCH):
            batch = order[start:start + BATCH]
            idx = np.concatenate([rows[i] for i in batch])
            lens = np.fromiter((len(rows[i]) for i in batch), dtype=np.int64)
            offsets = np.concatenate([[0], np.cumsum(lens)[:-1]])
            z = np.add.reduceat(w[idx], offsets, axis=0)
            z -= z.max(axis=1, keepdims=True)
            p = np.exp(z)
            p /= p.sum(axis=1, keepdims=True)
            p[np.arange(len(batch)), y[batch]] -= 1.0
            touched, inverse = np.unique(idx, return_inverse=True)
            n_lab = len(names)
            flat = (inverse[:, None] * n_lab + np.arange(n_lab)).ravel()
            grad = np.bincount(flat, weights=np.repeat(p, lens, axis=0).ravel(), minlength=len(touched) * n_lab)
            grad = grad.reshape(len(touched), n_lab) / len(batch) + L2 * w[touched]
            vel[touched] = MOMENTUM * vel[touched] - lr * grad
            w[touched] += vel[touched]
    info = {"examples": len(texts), "features": int(len(kept)), "seed": seed, "epochs": epochs,
            "rules": rules is not None, **(meta or {})}
    return Typer(names, kept.astype(np.int64), w.astype(np.float32), info)


def accuracy(model: Typer, texts: Sequence[str], labels: Sequence[str], rules: Sequence[str | None]) -> float:
    """Share of passages typed right, given the rules' label of each (`classify.classify_text`)."""
    return sum(model.predict(t, r)[0] == lab for t, lab, r in zip(texts, labels, rules)) / max(1, len(texts))


# ---------------------------------------------------------------- with the rules
@dataclass
class Combination:
    """How the typer and the codebook rules share the decision (measured in docs/decisions/events.md).

    `mode`: "rules" (the typer unused), "typer" (its best event label replaces the rules'),
    "margin" (the typer overrides the rules' label only when its own label is `margin`
    more probable than the rules'). `veto`: P(none) from which the typer drops an event the
    rules found (None: never). `alone`: the probability of an event label from which the
    typer yields an event where the rules found none (None: never)."""
    mode: str = "margin"
    margin: float = 0.3
    veto: float | None = None
    alone: float | None = 0.6
    keep: frozenset = frozenset()  # rule labels the typer never overrides


# the codebook's precedence rules type explosions, clashes and attacks better than the typer does on
# incident summaries and ACLED's own notes (docs/decisions/events.md): there the rules keep their label
COMBINATION = Combination(keep=frozenset({
    "Air/drone strike", "Suicide bomb", "Shelling/artillery/missile attack", "Remote explosive/landmine/IED",
    "Grenade", "Chemical weapon", "Armed clash", "Attack", "Agreement"}))


def best_event(model: Typer, p: np.ndarray) -> tuple[str, float]:
    """The most probable sub-event type (never `none`) and its probability."""
    order = np.argsort(-p, kind="stable")
    k = next(int(i) for i in order if model.labels[i] != NONE)
    return model.labels[k], float(p[k])


def combine(rule: str | None, text: str, model: Typer | None = None,
            how: Combination | None = None) -> tuple[str | None, str]:
    """(sub-event type or None, method) for an event the rules typed `rule` (None: found none)."""
    how = how or COMBINATION
    if how.mode == "rules":
        return rule, "rules"
    model = model or shipped()
    p = model.probs(text, rule)
    p_none = float(p[model.labels.index(NONE)]) if NONE in model.labels else 0.0
    label, p_label = best_event(model, p)
    if rule is None:
        ok = how.alone is not None and p_label >= how.alone and p_none < p_label
        return (label, "typer") if ok else (None, "rules")
    if how.veto is not None and p_none >= how.veto:
        return None, "typer"
    if rule in how.keep or label == rule:
        return rule, "rules"
    if how.mode == "typer":
        return label, "typer"
    p_rule = float(p[model.labels.index(rule)]) if rule in model.labels else 0.0
    return (label, "typer") if p_label - p_rule >= how.margin else (rule, "rules")
