"""How many died in an event: ACLED's most conservative reported figure, and low/best/high.

`sitroom.figures` reads the casualty figures of each sentence, `supplement_deaths` the
death reports it does not ("shot dead three suspected pirates", "two women ... are
lynched"); a figure that reports another incident, a doubt, an accident or a subset of
a total already counted is not this event's. The sentences' figures add up unless
they restate a total or give another source's count: alternatives, the lowest of which
is ACLED's count.
"""
from __future__ import annotations

import functools
import re

from ...document import FigureRecord
from ...figures import find_figures
from ...numbers import word_value

# death reports the figure reader misses
_NUM = (r"(?P<n>\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
        r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|a|an|his|her)")
_DIED = (r"(?:killed|shot dead|gunned down|lynched|murdered|hacked to death|beaten to death|burnt to death|"
         r"burned to death|stoned to death|stabbed to death|crushed to death|clubbed to death|executed|beheaded|"
         r"assassinated|found dead|died|dead|eliminated)")
_KILL = (r"(?:kill(?:ed|s|ing)?|shot dead|shoots? dead|gunned down|guns? down|lynch(?:ed|es|ing)?|murder(?:ed|s|ing)?|"
         r"hack(?:ed|s|ing)? to death|burnt to death|beat(?:s|ing)? to death|assassinat(?:ed|es|ing)|execut(?:ed|es|ing)|"
         r"behead(?:ed|s|ing))")
# when, said between the verb and 'killed' ('were at the weekend killed')
_WHEN = r"at the weekend|over the weekend|overnight|yesterday|last night|on \w+day"
_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*"
DEATH_PATTERNS = (
    re.compile(rf"\b{_NUM}\s+(?!{_MONTHS}\b)(?:[\w'’-]+\s+){{0,4}}?(?:(?:were|was|are|is|have been|has been|had been|"
               rf"got|reportedly|reported|{_WHEN})\s+)*{_DIED}\b", re.I),
    # "Seven people, among them two children, were killed": the total before an aside
    re.compile(rf"\b{_NUM}\s+(?!{_MONTHS}\b)(?:[\w'’-]+\s+){{0,3}}?[\w'’-]+\s*,\s*(?:among them|including|most of them|"
               rf"many of them|mostly|all of them)\b[^,.;]{{1,120}},\s*(?:(?:were|was|have been|had been|reportedly|also)\s+)+"
               rf"{_DIED}\b", re.I),
    re.compile(rf"\b{_NUM}\s+(?!{_MONTHS}\b)(?:[\w'’-]+\s+){{0,2}}?[\w'’-]+\s+including\s+(?:[\w'’-]+\s+){{1,6}}?"
               rf"(?:were|have been|had been)\s+{_DIED}\b", re.I),
    re.compile(rf"\b{_KILL}\s+(?:at least\s+|about\s+|some\s+|another\s+)?{_NUM}\s+(?!{_MONTHS}\b)[\w'’-]+", re.I),
    re.compile(rf"\b{_NUM}\s+bodies\b", re.I),
    # "killing himself and two others": the others (a suicide bomber is counted by `bombers_dead`)
    re.compile(rf"\b{_KILL}\s+(?:him|her|them)sel(?:f|ves)\s+and\s+(?:at least\s+)?{_NUM}\s+others?\b", re.I),
    # "kills matatu driver", "lynches suspected criminal", "Teenage boy killed"
    re.compile(rf"\b{_KILL}\s+(?P<n>)(?:(?:suspected|alleged|a|an|one|the|his|her)\s+)?(?:[\w'’-]+\s+){{0,3}}?"
               rf"{{_ONE}}\b".replace("{_ONE}", r"(?:man|woman|boy|girl|child|person|driver|officer|soldier|policeman|"
               r"student|farmer|trader|herder|herdsman|teacher|pastor|chief|thief|criminal|suspect|journalist|lawyer|"
               r"employee|villager|resident|civilian|leader|guard|bodyguard|businessman|robber|youth|teenager|baby|raider|"
               r"bandit|reservist|constable|sympathi[sz]er)"), re.I),
    # a named victim is one dead: "shot and killed Emeka Nworie, the party chairman", "Peter Wanyonyi was shot dead"
    re.compile(rf"\b{_KILL}\s+(?P<n>)(?:[A-Z][a-z'’-]+\s+){{1,2}}[A-Z][a-z'’-]+(?=\s*[,.;]|\s+(?:in|on|at|as|while|"
               rf"who|near|outside|inside|after|during)\b)"),
    re.compile(r"(?:^|[.;:]\s+)(?P<n>)(?:[A-Z][\w'’-]*\s+){1,3}[A-Z][\w'’-]+\s+(?:was|has been|had been)\s+"
               r"(?:shot dead|killed|gunned down|assassinated|murdered|stabbed to death|beheaded|hacked to death)\b"),
    re.compile(r"(?:^|[.;:]\s+)(?P<n>)(?:[A-Z][\w-]*\s+){0,3}?(?:man|woman|boy|girl|child|person|driver|officer|soldier|"
               r"policeman|student|farmer|trader|herder|teacher|pastor|chief|thief|suspect|journalist|lawyer|villager|"
               r"resident|civilian|leader|guard|reservist)\s+(?:was\s+|is\s+)?(?:killed|shot dead|lynched|murdered|"
               r"hacked to death|stoned to death|found dead)\b"),
)
# "kill his bodyguard", "lynches a suspect", "Teenage boy killed": one person
ONE_PERSON = frozenset({"a", "an", "his", "her", ""})
# a figure in these contexts reports another incident or a doubted claim, not this event's dead
NOT_THIS_EVENT_RE = re.compile(r"\b(?:after|following|over the|since|previous\w*|earlier|dismiss\w*|den(?:y|ied|ies)|"
                               r"rumou?r\w*|unconfirmed|false|revenge|retaliat\w*|protest\w*|bringing|alleged|"
                               r"decr(?:y|ied|ying)|condemn\w*|honou?r\w*|memorial|commemorat\w*|mourn\w*|"
                               r"(?:killing|death|murder)s? of|of (?:those|them|the dead|the victims)|among (?:them|the dead)|"
                               r"including|who had|coded (?:separately|elsewhere))\b", re.I)
# "ten of those killed", "two of them": part of a total already counted
SUBSET_RE = re.compile(r"^[\w-]+\s+(?:of\s+(?:those|them|the dead|the victims|whom)|among\s+(?:them|the dead))\b", re.I)
# a figure that is somebody's age, not a count: "killed a 76-year-old villager"
AGE_AFTER_RE = re.compile(r"^[\s-]*(?:years?|months?)[\s-]*old", re.I)
# a sentence that gives a source's figure: other reports of the same deaths, not more deaths
ATTRIBUTED_RE = re.compile(r"\b(?:reported|reports?|according to|said|says|claimed|claims|conflicting|toll|estimate\w*|"
                           r"put the number)\b", re.I)
# the event types whose dead ACLED counts (a peaceful protest or an arrest kills no one by definition)
NO_FATALITY_TYPES = frozenset({"Peaceful protest", "Protest with intervention", "Agreement", "Arrests",
                               "Change to group/activity", "Headquarters or base established",
                               "Non-violent transfer of territory", "Other"})
ACCIDENT_RE = re.compile(r"\b(?:accident|crash|collision|drown\w*|disease|illness|natural causes)\b", re.I)
CONSERVATIVE_QUALIFIERS = ("at_least", "over", "exact", "about", "at_most")


def supplement_deaths(sentence: str) -> list[FigureRecord]:
    """Death counts the figure reader misses, offsets relative to `sentence`."""
    out: list[FigureRecord] = []
    for pat in DEATH_PATTERNS:
        for m in pat.finditer(sentence):
            n = count_word(m.group("n"))
            if not n or any(f["start"] < m.end() and m.start() < f["end"] for f in out):
                continue
            out.append({"count": n, "count_high": None, "qualifier": "exact", "category": "killed",
                        "victims": None, "victim_actor": None, "text": m.group(0), "start": m.start(),
                        "end": m.end()})
    return sorted(out, key=lambda f: f["start"])


def figure_counts(sentence: str, start: int) -> bool:
    """Whether a figure at `start` of a sentence reports this event's dead (not a cause, a doubt or an accident)."""
    before = sentence[:start]
    cut = max(before.rfind(";"), before.rfind(":"), before.rfind(","))
    clause = before[cut + 1:]
    return not NOT_THIS_EVENT_RE.search(clause) and not ACCIDENT_RE.search(sentence[start:start + 120]) \
        and not SUBSET_RE.match(sentence[start:start + 40])


def _age_checked(sent: str, f: FigureRecord) -> FigureRecord | None:
    """'a 76-year-old' is one person, '76-year-old' alone no count."""
    m = re.search(rf"{f['count']}(?=[\s-]*(?:years?|months?)[\s-]*old)", sent[f["start"]:f["end"] + 12])
    if not m:
        return f
    return {**f, "count": 1, "count_high": None} if re.search(r"\b(?:an?|one)\s+$", sent[:f["start"] + m.start()]) \
        else None

_N = _NUM.replace("(?P<n>", "(?:")
# "Ten civilians and three army technicians were killed": both conjuncts are this event's dead
COORDINATED_RE = re.compile(rf"\b(?P<a>{_N})\s+(?!{_MONTHS}\b)(?:[\w'’-]+\s+){{0,6}}?and\s+(?P<b>{_N})\s+"
                            rf"(?:[\w'’-]+\s+){{0,3}}?(?:were|have been|had been|are)\s+(?:\w+\s+)?{_DIED}\b", re.I)


def count_word(word: str) -> int | None:
    """The count a death pattern's number stands for: digits, a number word, or one person ('a', 'his')."""
    word = word.lower()
    return int(word) if word.isdigit() else 1 if word in ONE_PERSON else word_value(word)


def coordinated(sentence: str, figs: list[FigureRecord]) -> list[FigureRecord]:
    """Figures with 'N X and M Y were killed' read as N+M (the figure reader takes only the last)."""
    for m in COORDINATED_RE.finditer(sentence):
        if {m.group("a").lower(), m.group("b").lower()} & ONE_PERSON:
            continue  # 'a soldier and his son': the figure reader's own reading stands
        a, b = count_word(m.group("a")), count_word(m.group("b"))
        if not a or not b:
            continue
        figs = [f for f in figs if not (f["start"] < m.end() and m.start() < f["end"])]
        figs.append({"count": a + b, "count_high": None, "qualifier": "exact", "category": "killed", "victims": None,
                     "victim_actor": None, "text": m.group(0), "start": m.start(), "end": m.end()})
    return figs


def _figures_in(text: str, spans: list[tuple[int, int]]) -> list[list[FigureRecord]]:
    """Killed figures per sentence span (doc offsets)."""
    out: list[list[FigureRecord]] = []
    for s, e in spans:
        out.append([{**f, "start": s + f["start"], "end": s + f["end"]} for f in _killed_in(text[s:e])])
    return out


@functools.lru_cache(maxsize=4096)
def _killed_in(sent: str) -> tuple[FigureRecord, ...]:
    """The killed figures of one sentence, offsets in it (cached: every event of a document reads its sentences)."""
    figs = [f for f in find_figures(sent) if f["category"] == "killed"]
    extra = supplement_deaths(sent)
    figs += [f for f in extra if not any(f["start"] < g["end"] and g["start"] < f["end"] for g in figs)]
    figs = coordinated(sent, figs)
    checked = [f for f in (_age_checked(sent, f) for f in figs) if f]  # an age alone is no count
    return tuple(f for f in sorted(checked, key=lambda f: f["start"]) if figure_counts(sent, f["start"]))


def fatalities(text: str, spans: list[tuple[int, int]]) -> tuple[int, int | None, int | None, int | None, list[FigureRecord]]:
    """(fatalities, low, best, high, figures used) by ACLED's rule: the most conservative report.

    Figures of one sentence add up (two soldiers and three civilians) unless the sentence
    quotes several sources; a later sentence adds its dead (a soldier also died) unless it
    restates a total already counted or gives a source's figure ("conflicting reports have
    eight deaths"): such figures are alternatives, and the lowest one is ACLED's count.
    0, with low/best/high None, when no death is reported."""
    per_sentence = _figures_in(text, spans)
    used = [f for figs in per_sentence for f in figs]
    if not used:
        return 0, None, None, None, []
    total = total_high = None
    alternatives: list[tuple[int, int]] = []
    for (s, e), figs in zip(spans, per_sentence):
        if not figs:
            continue
        sentence = text[s:e]
        counts = [f["count"] for f in figs]
        highs = [max(f["count"], f["count_high"] or 0) for f in figs]
        if len(figs) > 1 and len(ATTRIBUTED_RE.findall(sentence)) > 1:
            options = list(zip(counts, highs))  # "VOA reported three, Myanmar Now one"
        else:
            options = [(sum(counts), sum(highs))]
        if total is None:
            (total, total_high), rest = options[0], options[1:]
            alternatives += rest
            continue
        for lo, hi in options:
            if lo == total or any(lo == a for a, _ in alternatives) or ATTRIBUTED_RE.search(sentence) \
                    or len(options) > 1:
                alternatives.append((lo, hi))
            else:
                total, total_high = total + lo, total_high + hi
    lows = [total] + [a for a, _ in alternatives]
    highs = [total_high] + [h for _, h in alternatives]
    low, high = min(lows), max(highs + lows)
    about = [f["count"] for f in used if f["qualifier"] == "about"]
    best = total if not about else about[0]
    return low, low, best, high, used


# ACLED counts the attackers who die: a suicide bomber dies with the bomb, unless the toll already includes
# him or he was caught alive
BOMBERS_RE = re.compile(r"\b(?P<n>two|three|four|five|2|3|4|5)\s+(?:\w+\s+)?(?:suicide\s+)?bombers\b", re.I)
BOMBER_COUNTED_RE = re.compile(r"\b(?:including|includ\w+|among (?:them|the dead))\s+(?:the\s+|a\s+|two\s+)?"
                               r"(?:suicide\s+)?(?:bomber|attacker|assailant)s?\b|\b(?:arrested|captured|detained|caught|"
                               r"overpowered|subdued)\s+(?:the\s+|a\s+)?(?:would-be\s+)?(?:suicide\s+)?bomber|"
                               r"\bbombers?\s+(?:was|were)\s+(?:arrested|captured|detained|caught)|failed to detonate|"
                               r"including\s+(?:the\s+)?perpetrators?", re.I)


def bombers_dead(text: str) -> int:
    """How many suicide bombers died beyond the toll the text reports (0 when it counts them or they lived)."""
    if BOMBER_COUNTED_RE.search(text):
        return 0
    m = BOMBERS_RE.search(text)
    return count_word(m.group("n")) if m else 1
