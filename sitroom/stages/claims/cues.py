"""The claims stage's cue lexicon (sitroom/data/claims/cues.json), loaded once, on first use."""
from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass

from ...datafiles import check, read_json

CUES_FILE = "claims/cues.json"
# word lists kept longest first: they are matched as phrases, the longest wins
PHRASE_LISTS = ("nominal_cues", "verification_phrases", "speculation_patterns", "speculation_predicates",
                "accusations")

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
    """The cue lexicon; a missing, extra or mistyped key raises `DataFileError` naming the file."""
    raw = read_json(CUES_FILE)
    check(isinstance(raw, dict), CUES_FILE, "expected a JSON object")
    fields = {f.name for f in dataclasses.fields(Lexicon)}
    keys = {k for k in raw if not k.startswith("_")}
    check(not fields - keys, CUES_FILE, f"missing keys: {', '.join(sorted(fields - keys))}")
    check(not keys - fields, CUES_FILE, f"unknown keys: {', '.join(sorted(keys - fields))}")
    for key in sorted(fields - {"phrasal"}):
        check(_strings(raw[key]), CUES_FILE, f"{key!r} must be a list of strings")
    phrasal = raw["phrasal"]
    check(isinstance(phrasal, dict) and all(_strings(v) for v in phrasal.values()), CUES_FILE,
          "'phrasal' must map a verb to a list of particles")
    sets = {k: frozenset(raw[k]) for k in fields - {"phrasal", *PHRASE_LISTS}}
    tuples = {k: tuple(sorted(raw[k], key=len, reverse=True)) for k in PHRASE_LISTS}
    return Lexicon(phrasal={k: tuple(v) for k, v in phrasal.items()}, **sets, **tuples)


def _strings(value) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v for v in value)


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
