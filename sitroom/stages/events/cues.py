"""Event cues: the words that report an event, and how much each counts where it stands.

The lexicon (`sitroom/data/events/cues.txt`) lists, per cue group, the words that
report a protest, a clash, an air strike, an arrest, ... A sentence is scanned for
them (`find_cues`) and each match is weighed by its context (`weigh`): negated,
speculative or only the *cause* of what happened ("protesting over the killing of
...") it counts for less or nothing. `classify.decide` turns the weighed cues into an
ACLED sub-event type.
"""
from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ...datafiles import check, data_path, read_lines
from ...numbers import is_number

CUES_FILE = data_path("events", "cues.txt")

# Cue groups that say an event happened (the others only qualify one).
EVENT_GROUPS = frozenset({
    "PROTEST", "RIOT", "MOB", "CLASH", "ATTACK", "KILL", "INJURE", "AIR", "AIRCRAFT", "SHELL", "IED", "GRENADE",
    "SUICIDE", "CHEMICAL", "SEXUAL", "ABDUCT", "CAPTURE", "RECAPTURE", "WITHDRAW", "AGREEMENT",
    "ARREST", "DISRUPT", "HQ", "LOOT", "DESTROY", "CHANGE",
})
# Groups a preceding negation does not cancel ("without resistance" IS the cue).
NEGATION_PROOF = frozenset({"NONVIOLENT", "NOCASUALTY", "CIV", "ARMED", "CROWD", "COMMUNAL"})
# Groups that name who was hit or who acted, not what happened.
TARGET_GROUPS = frozenset({"CIV", "ARMED"})
AGENT_GROUPS = frozenset({"CROWD", "ARMED"})
VIOLENT_GROUPS = ("KILL", "ATTACK", "INJURE", "CLASH", "DESTROY")

PRESENT = 0.5  # a group's summed weight from which it counts as reported
# an air arm named as who backs the fighting ('backed by the Russian Air Force') is a supporter, no strike
SUPPORT_SENSITIVE = frozenset({"AIRCRAFT"})
SUPPORT_BEFORE_RE = re.compile(r"\b(?:backed|supported|assisted|aided|covered)\s+by\s+(?:the\s+)?(?:[A-Z][\w'’-]*\s+){0,2}$|"
                               r"\bwith (?:the )?(?:support|backing|help|cover) (?:of|from)\s+(?:the\s+)?(?:[A-Z][\w'’-]*\s+){0,2}$",
                               re.I)
SUPPORT_WINDOW = 60  # characters before the cue that may hold 'backed by the Syrian'
CAUSE_WEIGHT = 0.25  # "protesting over the killing of ...": the killing is the cause, not this event
CONTEXT_WORDS = 5  # how far back a modal or cause marker reaches (words)
CAUSE_WORDS = 8  # a cause phrase is longer: "following the killing of two herders in a cattle raid"
NEGATION_WORDS = 5  # how far back a negation reaches ("no one was killed")

# "no clashes", "were not injured", "never exploded" (lower case: "None" and "No." can be names)
NEGATION_RE = re.compile(r"\b(?:[Nn]o|not|never|[Ww]ithout|nobody|none|neither|nor|denied|deny|denies)\b|n't\b")
# a verb between a cause marker and the cue ends the cause phrase ("suspected of theft, was lynched")
FINITE_VERB_RE = re.compile(r"\b(?:is|was|were|are|been|be|has|have|had|did|does)\b|,", re.I)
# conjecture or intention: the event is not coded as having happened
SPECULATION_RE = re.compile(
    r"\b(?:(?-i:may|might|could|would|will|shall|should|must)|plan(?:s|ned)? to|planning|threat(?:en|ens|ened|ening)|"
    r"vow(?:s|ed)?|intend(?:s|ed)?|expected|likely|possibl[ey]|potential|feared?|fears|warn(?:s|ed)?|"
    r"prepar(?:e|es|ed|ing) to|aim(?:s|ed)? to|set to|poised to|speculat\w*|rumou?r\w*|if|unless|"
    r"want(?:s|ed)? to|call(?:s|ed)? for|urged?|demand(?:s|ed)?|"
    r"allegedly plann\w*|ready to|readiness to|in case of|prevent(?:ed)?)\b", re.I)
# the cue names the reason or the background of the event, not the event
CAUSE_RE = re.compile(
    r"\b(?:(?<!took )(?<!take )(?<!taken )(?<!taking )(?<!handed )(?<!turned )over|following|against|protest(?:ing|ed)?|condemn\w*|denounc\w*|in response to|"
    r"in retaliation (?:for|to)|revenge for|retaliat\w*|suspected of|accused of|blamed for|linked to|"
    r"responsible for|in connection with|related to|investigat\w*|in the wake of|amid|since|earlier|previous\w*|"
    r"recent|past|history|aftermath|sparked by|triggered by|because of|due to|death of|killing of|"
    r"murder of|arrest of|for the|demand\w*|in protest (?:at|of|against)|in solidarity|remember\w*|commemorat\w*|"
    r"mourn\w*|anniversary|escaped|survived|fled (?:from|after)?)\b", re.I)
# "deployed to quell clashes", "in a bid to flush out": what a move is for has not happened
PURPOSE_RE = re.compile(r"\b(?:to|bid to|meant to|order to)\s+(?:help\s+)?(?:quell|stop|end|curb|contain|prevent|avert|halt|"
                        r"deter|counter|combat|investigate|probe|avenge|flush out|restore)\b(?:\s+\w+){0,2}\s*$|"
                        r"\b(?:for|preparing|planning|plotting|convicted of|charged with|jailed for)\s+(?:\w+\s+)?$|"
                        r"(?<!the )\b(?:cease|stop|halt|end)(?:s|ed|ing)?\s+(?:the\s+|all\s+|its\s+)?(?:\w+\s+)?$", re.I)
# History and background: what happened before the news ("previously", "in the mid-2010s").
HISTORY_RE = re.compile(
    r"\b(?:(?:previously|formerly)(?!\s+(?:known|called|named|referred))|historically|in the past(?!\s+(?:\d+|few|several|two|three|four|24|48|72|week|day|"
    r"night|hours?|days?|weeks?))|years? ago|decades? ago|months ago|last year|in the (?:early |mid-?|late )?"
    r"(?:19|20)\d0s|back in|prior|in recent years|over the years|has long|have long|for years|for decades|"
    r"a history of|since (?:19|20)\d\d)\b", re.I)
# who demonstrates and how police answer are not the cause ("tear gas against protesters")
CAUSE_PROOF = frozenset({"PROTEST", "INTERVENTION", "FORCE", "NONVIOLENT"})
# "launched a counteroffensive to retake ...": an aim, not a change of control
INTENT_SENSITIVE = frozenset({"CAPTURE", "RECAPTURE", "WITHDRAW", "AGREEMENT"})
INTENT_RE = re.compile(r"\bto$|\bin order to$|\bseek(?:s|ing)? to$|\baim(?:s|ed|ing)? at$|"
                       r"\battempt(?:s|ed|ing)? to\b|\btr(?:y|ies|ied|ying) to\b", re.I)
# "settlements captured by X": a participle describing a noun tells a state, not the news
REDUCED_RELATIVE_RE = re.compile(r"\s+by\b", re.I)
REDUCED_RELATIVE_WEIGHT = 0.5
CLAUSE_BREAK_RE = re.compile(r"[.;:!?()]|,\s+(?:and|but|while|whereas|as|when)\b|\bbut\b|\bwhile\b")
# "was/were (quickly) ..." right before a verb: a passive, whose subject was acted on
PASSIVE_RE = re.compile(r"\b(?:was|were|been|being|is|are|got|get)\s+(?:\w+\s+)?$", re.I)


@dataclass(frozen=True)
class Cue:
    """One lexicon match: its group, where it stands and how much it counts."""
    group: str
    start: int
    end: int
    weight: float
    text: str


@dataclass
class CueSet:
    """Weighed cues of one stretch of text, summed per group."""
    cues: list[Cue] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=lambda: defaultdict(float))

    def add(self, cue: Cue, factor: float = 1.0) -> None:
        """Keep a cue with its context applied (its weight times `factor`)."""
        weight = cue.weight * factor
        if weight <= 0:
            return
        self.cues.append(cue if factor == 1.0 else Cue(cue.group, cue.start, cue.end, weight, cue.text))
        self.scores[cue.group] += weight

    def has(self, group: str, at_least: float = PRESENT) -> bool:
        return self.scores.get(group, 0.0) >= at_least

    def score(self, group: str) -> float:
        return self.scores.get(group, 0.0)

    def merge(self, other: "CueSet", factor: float = 1.0) -> None:
        for cue in other.cues:
            self.cues.append(cue)
        for g, s in other.scores.items():
            self.scores[g] += s * factor

    @property
    def eventful(self) -> bool:
        return any(self.has(g) for g in EVENT_GROUPS)


# ---------------------------------------------------------------- lexicon
GAP = r"(?:[^\s.;!?]+\s+){0,4}?"  # the `..` of the lexicon: up to four words


def _split_top(line: str) -> list[str]:
    """Split on spaces outside parentheses (a group may hold spaces)."""
    tokens, depth, cur = [], 0, ""
    for ch in line:
        depth += (ch == "(") - (ch == ")")
        if ch == " " and depth == 0:
            if cur:
                tokens.append(cur)
            cur = ""
        else:
            cur += ch
    return tokens + ([cur] if cur else [])


def _compile_pattern(line: str) -> re.Pattern:
    """One lexicon line → regex (syntax in the header of cues.txt)."""
    parts: list[str] = []
    for tok in _split_top(line):
        if tok == "..":
            parts.append(GAP)
            continue
        tok = re.sub(r"\((?!\?)", "(?:", tok)
        tok = tok.replace("_", r"[\s-]?").replace("*", r"\w*").replace(" ", r"[\s-]+")
        parts.append(tok)
    body = ""
    for i, part in enumerate(parts):
        if i and parts[i - 1] != GAP:
            body += r"\s+" if part == GAP else r"[\s-]+"
        body += part
    return re.compile(r"(?<![\w-])" + body + r"(?!\w)", re.I)


@functools.cache
def load_cues(path: str | None = None) -> dict[str, list[tuple[re.Pattern, float]]]:
    """The cue lexicon: group → [(pattern, weight)] (cached; read on first use).

    A malformed line raises `DataFileError` naming the file and the line."""
    where = Path(path) if path else CUES_FILE
    groups: dict[str, list[tuple[re.Pattern, float]]] = defaultdict(list)
    group = None
    for line_no, (line,) in read_lines(where):
        if line.startswith("[") and line.endswith("]"):
            group = line[1:-1]
            continue
        check(group is not None, where, f"pattern before any [GROUP]: {line!r}", line_no)
        weight = "1.0"
        if " | " in line:
            line, weight = line.rsplit(" | ", 1)
        check(is_number(weight), where, f"weight {weight!r} is not a number", line_no)
        try:
            pattern = _compile_pattern(line)
        except re.error as err:
            check(False, where, f"not a valid pattern ({err})", line_no)
        groups[group].append((pattern, float(weight)))
    return dict(groups)


def _strip_groups(line: str) -> str:
    """A lexicon line without its parenthesised alternatives and regex escapes."""
    line = re.sub(r"\\.", " ", line)
    line = re.sub(r"\[[^\]]*\]", " ", line)  # character classes
    out, depth = [], 0
    for ch in line:
        depth += ch == "("
        out.append(" " if depth else ch)
        depth -= ch == ")" and depth > 0
    return "".join(out)


def anchor_of(pattern: re.Pattern) -> str | None:
    """The longest literal word every match of a cue pattern must contain (lower case), if any.

    A sentence that lacks it cannot match, so the pattern is skipped: most of the ~600
    patterns have one, and `in` on a string is far cheaper than running the regex.
    """
    literal = _strip_groups(pattern.pattern)  # groups, look-arounds included, are alternatives
    if "|" in literal:
        return None  # a top-level alternation has no single required word
    runs = []
    for m in re.finditer(r"[A-Za-z]+", literal):
        run = m.group(0)
        if literal[m.end():m.end() + 1] in ("?", "*", "{"):
            run = run[:-1]  # its last letter is optional
        if len(run) >= 3:
            runs.append(run.lower())
    return max(runs, key=len) if runs else None


@functools.cache
def _anchored_cues() -> tuple[tuple[str, re.Pattern, float, str | None], ...]:
    return tuple((group, pattern, weight, anchor_of(pattern))
                 for group, patterns in load_cues().items() for pattern, weight in patterns)


HEAD = 3  # how many leading characters of a match the head index keys on
_WORD_START = "(?<![\\w-])"  # what every compiled cue pattern opens with (`_compile_pattern`)


def _heads(items, rest=None) -> set[str] | None:
    """The lower-case openings (up to HEAD characters) every match of a parsed pattern starts with.

    None when some opening is not a literal ("\\w+", a character class): such a pattern cannot be
    skipped by its head. A shorter opening than HEAD means the literal run ends there."""
    rest = rest or []
    seq = list(items) + rest
    if not seq:
        return {""}
    op, av = seq[0]
    name = str(op)
    if name == "LITERAL":
        tails = _heads(seq[1:])
        if tails is None:
            return {chr(av).lower()}
        return {(chr(av).lower() + t)[:HEAD] for t in tails}
    if name == "IN" and all(str(o) == "LITERAL" for o, _ in av):  # "(?:a|b)" parses as "[ab]"
        return _heads([("BRANCH", (None, [[(o, c)] for o, c in av]))], seq[1:])
    if name == "SUBPATTERN":
        return _heads(av[-1], seq[1:])
    if name == "BRANCH":
        out: set[str] = set()
        for alt in av[1]:
            got = _heads(alt, seq[1:])
            if got is None:
                return None
            out |= got
        return out
    return None


def head_keys(pattern: re.Pattern) -> frozenset[str] | None:
    """The openings one of which the text at a word start must begin with for `pattern` to match, if known."""
    if not pattern.pattern.startswith(_WORD_START):
        return None
    try:
        from re import _parser as sre_parse  # noqa: PLC0415 - the stdlib's own pattern parser
        parsed = sre_parse.parse(pattern.pattern[len(_WORD_START):], pattern.flags)
    except (ImportError, re.error):
        return None
    heads = _heads(list(parsed))
    if heads is None or "" in heads or not all(h.isascii() for h in heads):  # non-ASCII letters fold in odd ways
        return None
    return frozenset(heads)


@functools.cache
def _cue_index() -> tuple[tuple[int, ...], dict[str, tuple[int, ...]]]:
    """The cues no head can rule out, and the others by each opening they may start with."""
    always, by_head = [], defaultdict(list)
    for i, (_, pattern, _, _) in enumerate(_anchored_cues()):
        heads = head_keys(pattern)
        if heads is None:
            always.append(i)
        for head in heads or ():
            by_head[head].append(i)
    return tuple(always), {h: tuple(ix) for h, ix in by_head.items()}


WORD_START_RE = re.compile(_WORD_START)
# characters that IGNORECASE matches to ASCII letters though their lower case is no ASCII letter
_FOLDS_TO_ASCII = frozenset("\u0130\u0131\u017f\u212a")


def _candidates(text: str, lower: str) -> range | list[int]:
    """The cues that may match `text`: those whose opening starts some word of it (all, when unsure)."""
    cues = _anchored_cues()
    if len(lower) != len(text) or not _FOLDS_TO_ASCII.isdisjoint(text):
        return range(len(cues))
    always, by_head = _cue_index()
    picked = set(always)
    for head in {lower[m.start():m.start() + HEAD] for m in WORD_START_RE.finditer(text)}:
        for n in range(1, len(head) + 1):
            picked.update(by_head.get(head[:n], ()))
    return sorted(picked)


def find_cues(text: str, offset: int = 0) -> list[Cue]:
    """Every cue match in `text` (the strongest pattern per group and span), offsets shifted by `offset`.

    Only the patterns whose opening words occur in `text` are run (`_candidates`): most of the
    ~600 cannot match a given sentence, and a dictionary look-up per word is cheaper than a regex."""
    found: dict[tuple[str, int, int], Cue] = {}
    lower = text.lower()
    cues = _anchored_cues()
    for i in _candidates(text, lower):
        group, pattern, weight, anchor = cues[i]
        if anchor is not None and anchor not in lower:
            continue
        for m in pattern.finditer(text):
            if m.end() == m.start():
                continue
            key = (group, m.start(), m.end())
            if key not in found or found[key].weight < weight:
                found[key] = Cue(group, m.start() + offset, m.end() + offset, weight, m.group(0))
    # overlapping matches of one group count once (the longest, then the heaviest)
    cues = sorted(found.values(), key=lambda c: (c.group, c.start, -(c.end - c.start), -c.weight))
    kept: list[Cue] = []
    for cue in cues:
        if kept and kept[-1].group == cue.group and cue.start < kept[-1].end:
            if cue.weight > kept[-1].weight:
                kept[-1] = Cue(cue.group, kept[-1].start, kept[-1].end, cue.weight, kept[-1].text)
            continue
        kept.append(cue)
    return sorted(kept, key=lambda c: (c.start, c.group))


# ---------------------------------------------------------------- context
def _clause_before(text: str, pos: int, n_words: int = CONTEXT_WORDS) -> str:
    """The words of the clause before `pos`, at most `n_words` of them.

    Read in windows growing back from `pos`, not from the start of the text, so that every
    cue of a long sentence does not cost the whole sentence; the same words as scanning `text[:pos]`.
    """
    width = 128
    while True:
        start = max(0, pos - width)
        last = None
        for last in CLAUSE_BREAK_RE.finditer(text, start, pos):
            pass
        words = text[last.end() if last else start:pos].split()
        if last or start == 0 or len(words) > n_words:
            return " ".join(words[-n_words:])
        width *= 4


def context_factor(text: str, cue: Cue, offset: int = 0) -> float:
    """How much a cue counts: 0 when negated or speculative, CAUSE_WEIGHT when it is a cause."""
    pos = cue.start - offset
    if cue.group not in NEGATION_PROOF and NEGATION_RE.search(_clause_before(text, pos, NEGATION_WORDS)):
        return 0.0
    if cue.group in SUPPORT_SENSITIVE and SUPPORT_BEFORE_RE.search(text[max(0, pos - SUPPORT_WINDOW):pos]):
        return 0.0  # "troops backed by the Russian Air Force repelled ...": a supporter, not a strike
    if cue.group in TARGET_GROUPS | AGENT_GROUPS or cue.group in ("NOCASUALTY", "COMMUNAL"):
        return 1.0
    before = _clause_before(text, pos)
    if SPECULATION_RE.search(before) or PURPOSE_RE.search(before):
        return 0.0
    if cue.group in INTENT_SENSITIVE and INTENT_RE.search(before):
        return 0.0
    if cue.group in INTENT_SENSITIVE and REDUCED_RELATIVE_RE.match(text[cue.end - offset:]) and not PASSIVE_RE.search(
            text[max(0, pos - 25):pos]):
        return REDUCED_RELATIVE_WEIGHT
    wide = _clause_before(text, pos, CAUSE_WORDS)
    if HISTORY_RE.search(wide):
        return 0.0  # "the post previously seized by the rebels"
    causes = [m for m in CAUSE_RE.finditer(wide)
              if not (cue.group in CAUSE_PROOF and m.group(0).lower() in ("against", "over"))]
    if causes and not FINITE_VERB_RE.search(wide[causes[-1].end():]):
        return CAUSE_WEIGHT
    return 1.0


# "eight were injured following the explosion of a grenade": when the sentence tells only the harm, the weapon
# named as its cause is how the event was done, not an earlier event
WEAPON_GROUPS = frozenset({"IED", "GRENADE", "SHELL", "AIR", "AIRCRAFT", "SUICIDE"})
HARM_GROUPS = frozenset({"KILL", "INJURE", "DESTROY"})
MECHANISM_RE = re.compile(r"\b(?:following|after|in the wake of)\b", re.I)


def weigh(text: str, offset: int = 0, cues: list[Cue] | None = None) -> CueSet:
    """The cues of `text` with their context applied."""
    out = CueSet()
    found = cues if cues is not None else find_cues(text, offset)
    factors = [context_factor(text, cue, offset) for cue in found]
    told = {c.group for c, f in zip(found, factors) if f == 1.0 and c.group in EVENT_GROUPS}
    if told and told <= HARM_GROUPS:
        factors = [1.0 if f == CAUSE_WEIGHT and c.group in WEAPON_GROUPS
                   and MECHANISM_RE.search(_clause_before(text, c.start - offset, CAUSE_WORDS)) else f
                   for c, f in zip(found, factors)]
    for cue, factor in zip(found, factors):
        out.add(cue, factor)
    return out
