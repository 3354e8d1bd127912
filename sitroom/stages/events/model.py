"""A learned event-type classifier: ACLED notes → sub-event type, made by `sitroom train`.

Plain multinomial logistic regression (or naive Bayes) over word unigrams and
bigrams, in numpy, saved as one JSON file; no heavy dependency.  The rule decision
of `classify.py` is one more feature (`__rule__=<sub-event type>`), so the
model learns where a user's coding agrees with the codebook rules and where it
departs from them.  Detection stays with the rules: the model only names the type
of an event the rules found.
"""
from __future__ import annotations

import json
import math
import random
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from ...errors import ConfigError

from .classify import classify_text

MODEL_FILE = "event_types.json"
FORMAT = "sitroom-event-types"
VERSION = 1

TOKEN_RE = re.compile(r"[a-z]+(?:['’][a-z]+)?|\d+")
MIN_COUNT = 2  # a feature seen once says more about one note than about a type
RULE_FEATURE = "__rule__="

# logistic regression: mini-batch gradient descent with L2
EPOCHS = 30
BATCH = 64
LEARNING_RATE = 1.0
L2 = 1e-3  # pulls weights back to the prior (see train_logreg)
RULE_PRIOR = 5.0  # starting weight of the rules' vote for its own label (logit units)
NB_ALPHA = 0.1  # additive smoothing of naive Bayes


def features(text: str, rule: str | None = None) -> list[str]:
    """Lower-cased word unigrams and bigrams (numbers folded to <num>), plus the rules' vote."""
    toks = ["<num>" if t.isdigit() else t for t in TOKEN_RE.findall(text.lower())]
    feats = toks + [f"{a} {b}" for a, b in zip(toks, toks[1:])]
    if rule:
        feats.append(RULE_FEATURE + rule)
    return feats


def rule_label(text: str) -> str | None:
    """The rules' sub-event type of a whole report (a feature of the model)."""
    return classify_text(text)


@dataclass
class EventTypeModel:
    kind: str
    labels: list[str]
    vocab: dict[str, int]
    weights: np.ndarray  # (len(vocab), len(labels))
    bias: np.ndarray  # (len(labels),)
    use_rules: bool = True
    meta: dict = field(default_factory=dict)

    # ------------------------------------------------------------ prediction
    def scores(self, text: str) -> np.ndarray:
        feats = features(text, rule_label(text) if self.use_rules else None)
        idx = [self.vocab[f] for f in feats if f in self.vocab]
        z = self.bias.copy()
        if idx:
            z += self.weights[idx].sum(axis=0)
        if self.kind == "logreg":
            z = z - z.max()
            p = np.exp(z)
            return p / p.sum()
        return z  # naive Bayes: log joint

    def predict(self, text: str) -> str:
        return self.labels[int(np.argmax(self.scores(text)))]

    # ------------------------------------------------------------ persistence
    def save(self, out_dir: str | Path) -> Path:
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        path = out / MODEL_FILE
        vocab = sorted(self.vocab, key=self.vocab.get)
        payload = {
            "format": FORMAT, "version": VERSION, "kind": self.kind, "labels": self.labels,
            "use_rules": self.use_rules, "meta": self.meta, "vocab": vocab,
            "bias": [round(float(b), 5) for b in self.bias],
            "weights": [[round(float(w), 5) for w in row] for row in self.weights],
        }
        path.write_text(json.dumps(payload, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        return path


def load_model(model_dir: str | Path) -> EventTypeModel:
    """Read a model directory written by `sitroom train` (ConfigError if it holds none: a one-line CLI error)."""
    path = Path(model_dir)
    if path.is_dir():
        path = path / MODEL_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise ConfigError(f"{model_dir}: not an event-type model made by `sitroom train` ({err})") from None
    if data.get("format") != FORMAT:
        raise ConfigError(f"{path}: not an event-type model made by `sitroom train`")
    vocab = {f: i for i, f in enumerate(data["vocab"])}
    return EventTypeModel(data["kind"], data["labels"], vocab, np.asarray(data["weights"], dtype=np.float64),
                          np.asarray(data["bias"], dtype=np.float64), data.get("use_rules", True),
                          data.get("meta", {}))


# ---------------------------------------------------------------- training
def _encode(docs: Sequence[list[str]], vocab: dict[str, int]) -> list[np.ndarray]:
    return [np.fromiter((vocab[f] for f in feats if f in vocab), dtype=np.int64) for feats in docs]


def _vocabulary(docs: Sequence[list[str]], min_count: int) -> dict[str, int]:
    df = Counter(f for feats in docs for f in set(feats))
    kept = sorted(f for f, n in df.items() if n >= min_count or f.startswith(RULE_FEATURE))
    return {f: i for i, f in enumerate(kept)}


def train_nb(rows: Sequence[list[str]], y: np.ndarray, n_labels: int, n_feats: int) -> tuple[np.ndarray, np.ndarray]:
    counts = np.full((n_feats, n_labels), NB_ALPHA)
    for idx, k in zip(rows, y):
        np.add.at(counts[:, k], idx, 1.0)
    loglik = np.log(counts / counts.sum(axis=0, keepdims=True))
    prior = np.bincount(y, minlength=n_labels) + 1.0
    return loglik, np.log(prior / prior.sum())


def train_logreg(rows: Sequence[np.ndarray], y: np.ndarray, n_labels: int, n_feats: int,
                 seed: int = 0, prior: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Softmax regression by mini-batch gradient descent on binary bag-of-features rows.

    `prior` (same shape as the weights) is where training starts and what the L2 term
    pulls back to: the rules' vote for their own label, so words only move the decision
    where the training data show the rules wrong."""
    rng = random.Random(seed)
    w0 = prior if prior is not None else np.zeros((n_feats, n_labels))
    w = w0.copy()
    b = np.zeros(n_labels)
    order = list(range(len(rows)))
    rows = [np.unique(r) for r in rows]
    for epoch in range(EPOCHS):
        rng.shuffle(order)
        lr = LEARNING_RATE / (1 + epoch * 0.1)
        for start in range(0, len(order), BATCH):
            batch = order[start:start + BATCH]
            gw_rows, gw_vals = [], []
            gb = np.zeros(n_labels)
            for i in batch:
                idx = rows[i]
                z = b + (w[idx].sum(axis=0) if len(idx) else 0.0)
                z -= z.max()
                p = np.exp(z)
                p /= p.sum()
                p[y[i]] -= 1.0
                gb += p
                gw_rows.append(idx)
                gw_vals.append(p)
            for idx, g in zip(gw_rows, gw_vals):
                w[idx] -= lr * g / len(batch)
            b -= lr * gb / len(batch)
            if L2:
                w -= lr * L2 * (w - w0)
    return w, b


def train(texts: Iterable[str], labels: Iterable[str], kind: str = "logreg", use_rules: bool = True,
          min_count: int = MIN_COUNT, meta: dict | None = None) -> EventTypeModel:
    """Fit a classifier on (notes, sub_event_type) pairs."""
    texts, labels = list(texts), list(labels)
    if not texts:
        raise ValueError("no training examples")
    names = sorted(set(labels))
    y = np.asarray([names.index(lab) for lab in labels], dtype=np.int64)
    docs = [features(t, rule_label(t) if use_rules else None) for t in texts]
    vocab = _vocabulary(docs, min_count)
    rows = _encode(docs, vocab)
    if kind == "nb":
        w, b = train_nb(rows, y, len(names), len(vocab))
    elif kind == "logreg":
        prior = np.zeros((len(vocab), len(names)))
        for f, i in vocab.items():
            if f.startswith(RULE_FEATURE) and f[len(RULE_FEATURE):] in names:
                prior[i, names.index(f[len(RULE_FEATURE):])] = RULE_PRIOR
        w, b = train_logreg(rows, y, len(names), len(vocab), prior=prior)
    else:
        raise ValueError(f"unknown model kind {kind!r} (logreg or nb)")
    info = {"examples": len(texts), "labels": dict(Counter(labels)), "features": len(vocab), **(meta or {})}
    return EventTypeModel(kind, names, vocab, w, b, use_rules, info)


def accuracy(model: EventTypeModel, texts: Sequence[str], labels: Sequence[str]) -> float:
    if not texts:
        return math.nan
    return sum(model.predict(t) == lab for t, lab in zip(texts, labels)) / len(texts)
