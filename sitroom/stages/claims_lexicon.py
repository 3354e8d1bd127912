"""The claims stage's cue lexicon (sitroom/data/claims/cues.json), loaded once, on first use."""
from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "claims"

# past / participle forms the regular rules get wrong
IRREGULAR = {
    "say": ("said",), "tell": ("told",), "write": ("wrote", "written"), "think": ("thought",),
    "find": ("found",), "know": ("knew", "known"), "feel": ("felt",), "see": ("saw", "seen"),
    "speak": ("spoke", "spoken"), "forecast": ("forecast",), "understand": ("understood",),
    "put": ("put",), "show": ("showed", "shown"), "learn": ("learned", "learnt"),
    "hear": ("heard",), "hit": ("hit",), "come": ("came",), "lash": ("lashed",),
}
# verbs that double their last consonant (admitted, planned)
DOUBLING = {"admit", "plan", "regret", "permit", "refer", "prefer", "confer", "submit", "omit",
            "rebut", "quip", "chat", "commit", "abet", "spot"}


@dataclass(frozen=True)
class Lexicon:
    speech: frozenset[str]
    report: frozenset[str]
    cognition: frozenset[str]
    speculation: frozenset[str]
    denial: frozenset[str]
    directive: frozenset[str]
    object_cues: frozenset[str]
    phrasal: dict[str, tuple[str, ...]]
    nominal_cues: tuple[str, ...]
    report_nouns: frozenset[str]
    agentless_subjects: frozenset[str]
    hedges: frozenset[str]
    assessment_predicates: frozenset[str]
    claim_nouns: frozenset[str]
    assessment_verbs: frozenset[str]
    verification_phrases: tuple[str, ...]
    speculation_patterns: tuple[str, ...]
    speculation_predicates: tuple[str, ...]
    accusations: tuple[str, ...]
    reporting_persons: frozenset[str]
    nominal_speech: frozenset[str]
    responsibility_objects: frozenset[str]
    naming_verbs: frozenset[str]

    @property
    def verbs(self) -> frozenset[str]:
        """Every lemma that can head an attribution."""
        return self.speech | self.report | self.cognition | self.speculation | self.denial | self.directive


@functools.cache
def lexicon() -> Lexicon:
    raw = json.loads((DATA_DIR / "cues.json").read_text(encoding="utf-8"))
    sets = {k: frozenset(v) for k, v in raw.items() if isinstance(v, list) and k not in (
        "nominal_cues", "verification_phrases", "speculation_patterns", "speculation_predicates", "accusations")}
    tuples = {k: tuple(sorted(raw[k], key=len, reverse=True)) for k in (
        "nominal_cues", "verification_phrases", "speculation_patterns", "speculation_predicates", "accusations")}
    return Lexicon(phrasal={k: tuple(v) for k, v in raw["phrasal"].items()}, **sets, **tuples)


def inflections(lemma: str) -> set[str]:
    """The forms of a reporting verb: say -> say, says, said, saying."""
    forms = {lemma}
    if lemma.endswith("e"):
        forms |= {lemma + "s", lemma + "d", lemma[:-1] + "ing"}
    elif re.search(r"[^aeiou]y$", lemma):
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"}
    elif lemma.endswith(("s", "sh", "ch", "x", "z")):
        forms |= {lemma + "es", lemma + "ed", lemma + "ing"}
    elif lemma in DOUBLING:
        forms |= {lemma + "s", lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    else:
        forms |= {lemma + "s", lemma + "ed", lemma + "ing"}
    if lemma in IRREGULAR:
        forms = {f for f in forms if not f.endswith("ed") or lemma in ("show", "learn", "lash")}
        forms |= set(IRREGULAR[lemma])
    return forms


@functools.cache
def verb_forms() -> dict[str, str]:
    """Inflected form -> lemma for every cue verb (the fallback has no lemmatiser)."""
    lex = lexicon()
    out: dict[str, str] = {}
    for lemma in sorted(lex.verbs):
        for form in inflections(lemma):
            out.setdefault(form, lemma)
    return out
