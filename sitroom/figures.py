"""Casualty and quantity figures in a piece of text.

`find_figures(text)` reads statements such as "at least 400 militants were eliminated",
"killing two soldiers and three civilians", "dozens wounded" or "the death toll rose to
between 10 and 15" and returns one dict per figure:

    {count, count_high, qualifier, category, victims, victim_actor, text, start, end}

with offsets relative to `text`.  It is pure (no model, no document) so the claims
stage runs it on claim contents and the events stage on sentences.

Numbers are read by `sitroom.numbers.read_count`; vague quantities follow ACLED's coding of
reported fatalities there ("tens" 10, "dozens" 12, "hundreds" 100, "thousands" 1000,
"several"/"many" 10) and carry qualifier `at_least` here.
"""
from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Iterable, NamedTuple

from .actordict import resolve_actor

if TYPE_CHECKING:  # the record type only: figures read plain text, not a Doc
    from .document import FigureRecord
from .numbers import read_count

__all__ = ["find_figures", "parse_count"]

# ---------------------------------------------------------------- lexicon

TOKEN_RE = re.compile(r"\d[\d,]*(?:\.\d+)?|[A-Za-z]+(?:['’][A-Za-z]+)?(?:-[A-Za-z]+)*|[^\w\s]")

# qualifier phrases before the number (longest first when matched)
QUALIFIERS: dict[tuple[str, ...], str] = {
    ("at", "least"): "at_least", ("no", "fewer", "than"): "at_least",
    ("no", "less", "than"): "at_least", ("a", "minimum", "of"): "at_least",
    ("not", "less", "than"): "at_least", ("not", "fewer", "than"): "at_least",
    ("more", "than"): "over", ("over",): "over", ("upwards", "of"): "over",
    ("in", "excess", "of"): "over", ("well", "over"): "over", ("above",): "over",
    ("about",): "about", ("around",): "about", ("approximately",): "about",
    ("roughly",): "about", ("some",): "about", ("an", "estimated"): "about",
    ("estimated",): "about", ("approx",): "about", ("circa",): "about",
    ("up", "to"): "at_most", ("as", "many", "as"): "at_most", ("at", "most"): "at_most",
    ("no", "more", "than"): "at_most", ("fewer", "than"): "at_most",
    ("less", "than"): "at_most", ("nearly",): "at_most", ("almost",): "at_most",
    ("close", "to"): "at_most", ("under",): "at_most", ("just", "under"): "at_most",
}
# "400 or more", "400-plus"
POST_QUALIFIERS: dict[tuple[str, ...], str] = {
    ("or", "more"): "at_least", ("plus",): "over", ("-", "plus"): "over",
    ("or", "so"): "about",
}

# category words (lower case); multiword ones are matched as token tuples
CATEGORY_WORDS: dict[str, str] = {
    **dict.fromkeys(
        "killed dead died die dies dying deaths death fatalities fatality eliminated eliminating "
        "neutralised neutralized neutralising neutralizing slain perished executed massacred "
        "murdered liquidated kill kills killing slaughtered beheaded lynched bodies drowned "
        "fatally".split(), "killed"),
    **dict.fromkeys(
        "injured wounded hurt injuries injury injuring wounding wounds maimed".split(), "injured"),
    **dict.fromkeys(
        "captured capturing abducted abducting kidnapped kidnapping hostage hostages prisoner "
        "prisoners seized".split(), "captured"),
    **dict.fromkeys("arrested arresting detained detaining arrests detentions".split(), "arrested"),
    **dict.fromkeys("displaced displacing fled evacuated homeless uprooted".split(), "displaced"),
    **dict.fromkeys("missing disappeared".split(), "missing"),
    "casualties": "casualties", "casualty": "casualties",
    **dict.fromkeys("destroyed destroying downed".split(), "destroyed"),
}
CATEGORY_PHRASES: dict[tuple[str, ...], str] = {
    ("lost", "their", "lives"): "killed", ("lost", "his", "life"): "killed",
    ("lost", "her", "life"): "killed", ("lost", "lives"): "killed",
    ("were", "among", "the", "dead"): "killed", ("shot", "dead"): "killed",
    ("gunned", "down"): "killed", ("taken", "prisoner"): "captured",
    ("taken", "hostage"): "captured", ("taken", "captive"): "captured",
    ("held", "hostage"): "captured", ("shot", "down"): "destroyed",
    ("forced", "from", "their", "homes"): "displaced",
    ("forced", "to", "flee"): "displaced",
}
# phrases before the number that fix the category ("claimed the lives of 12")
LEAD_PHRASES: dict[tuple[str, ...], str] = {
    ("claimed", "the", "lives", "of"): "killed", ("claiming", "the", "lives", "of"): "killed",
    ("took", "the", "lives", "of"): "killed", ("death", "toll", "of"): "killed",
    ("the", "lives", "of"): "killed", ("the", "deaths", "of"): "killed",
    ("the", "death", "of"): "killed", ("the", "killing", "of"): "killed",
    ("the", "killings", "of"): "killed", ("bodies", "of"): "killed",
}
# verbs that take the figure as object ("killing at least five civilians")
ACTIVE_CATEGORY = {w for w, c in CATEGORY_WORDS.items()
                   if c != "casualties" and w not in {"dead", "deaths", "death", "fatalities",
                                                      "fatality", "bodies", "injuries", "injury",
                                                      "wounds", "hostage", "hostages",
                                                      "prisoner", "prisoners", "arrests",
                                                      "detentions", "homeless", "missing",
                                                      "died", "die", "dies", "dying",
                                                      "perished", "fled", "fatally", "drowned",
                                                      "disappeared"}}
# words allowed between the figure and a following category word
LINKERS = {
    "were", "was", "have", "has", "had", "been", "being", "are", "is", "be", "got", "get",
    "reportedly", "allegedly", "also", "later", "subsequently", "confirmed", "believed",
    "thought", "feared", "said", "reported", "to", "now", "all", "either", "had", "already",
    "in", "total", "killed", "fatally", "critically", "seriously", "severely", "badly",
    "slightly", "lightly", "others", "other", "more", "people", "of", "them", "whom", "who",
    "left", "as", "result", "a", "the", "remain", "remained", "remains", "still", "reported",
}
MAX_LINK = 4  # "were reportedly also later killed": more is another clause
# "toll" words: "the death toll rose to 45"
TOLL_WORDS = {"toll", "tally", "count"}
TOLL_GAP = 6  # "the death toll from Tuesday's attack rose to"

# victims: nouns for people / forces (plural and singular) and for materiel
PERSON_NOUNS = frozenset("""
people persons person civilians civilian soldiers soldier troops troop militants militant
fighters fighter insurgents insurgent rebels rebel terrorists terrorist servicemen serviceman
servicemembers policemen policeman police officers officer children child kids women woman men
man boys boy girls girl protesters protester demonstrators demonstrator students student
workers worker villagers villager residents resident members member militiamen militiaman
jihadists jihadist gunmen gunman attackers attacker mercenaries mercenary combatants combatant
personnel marines marine paratroopers paratrooper guards guard refugees refugee migrants
migrant pilgrims pilgrim worshippers worshipper farmers farmer herders herder passengers
passenger journalists journalist advisors advisor advisers adviser commanders commander
officials official recruits recruit prisoners prisoner hostages hostage detainees detainee
bodies body pupils pupil teachers teacher doctors doctor nurses nurse medics medic
infants infant babies baby minors minor elderly inmates inmate suspects suspect
peacekeepers peacekeeper contractors contractor volunteers volunteer troopers trooper
gendarmes gendarme extremists extremist separatists separatist partisans partisan
militia militias others victims victim individuals individual family families
servicemembers sailors sailor airmen airman pilots pilot crew crewmen operatives operative
bandits bandit criminals criminal gang smugglers smuggler loyalists loyalist
fishermen fisherman traders trader miners miner herdsmen herdsman shepherds shepherd
drivers driver truckers vendors vendor shopkeepers shopkeeper patients patient
activists activist supporters supporter opponents opponent voters voter
militiamen cadets cadet conscripts conscript reservists reservist sympathisers sympathizers
""".split())
# a plural the lexicon lacks still counts as victims when a category word follows ("8 porters abducted")
GENERIC_PLURAL_RE = re.compile(r"^[a-z]{3,}(?:s|men)$")
SINGULAR_PERSON_NOUNS = frozenset(w for w in PERSON_NOUNS if not w.endswith("s") or w in ("police",)) - {
    "people", "police", "militia", "crew", "gang", "family", "elderly", "personnel", "children", "women",
    "men", "kids"}
MATERIEL_NOUNS = frozenset("""
tanks tank vehicles vehicle drones drone aircraft helicopters helicopter jets jet planes plane
missiles missile rockets rocket artillery howitzers howitzer launchers launcher boats boat
ships ship trucks truck positions depots depot ammunition weapons
""".split())
FORCE_NOUNS = frozenset("""
troops soldiers fighters militants insurgents rebels terrorists servicemen personnel marines
paratroopers mercenaries combatants militiamen jihadists gunmen police policemen peacekeepers
""".split())
CIVILIAN_NOUNS = frozenset("""
civilians civilian children child kids women woman villagers villager residents resident
pupils pupil students student worshippers worshipper passengers passenger farmers farmer
infants infant babies baby minors minor elderly pilgrims pilgrim refugees refugee
""".split())
# words that may stand between the number and the victims' head noun
VICTIM_MODIFIERS = frozenset("""
other more additional innocent unarmed armed foreign local enemy government opposition rebel
army police security military civilian young old elderly senior junior suspected alleged
female male teenage israeli palestinian pro rival allied hostile killed wounded injured
""".split())
MAX_VICTIM_TOKENS = 4  # "two Ukrainian special forces soldiers"

# the number is not a count of people after/before these
NON_COUNT_AFTER = frozenset("""
percent per cent pc years year months month weeks week days day hours hour minutes minute
seconds km kilometres kilometers kilometre kilometer miles mile metres meters metre meter
feet ft kg tonnes tons a.m p.m am pm o'clock dollars euros pounds rubles roubles usd st nd rd
th times points point degrees votes seats acres hectares
""".split())
NON_COUNT_BEFORE = frozenset({"$", "€", "£", "no", "number", "no.", "page", "article", "resolution",
                              "route", "highway", "brigade", "division", "battalion", "regiment",
                              "rank", "flight", "room"})
NON_COUNT_SYMBOLS = frozenset({"%", ":", "/"})
YEARS = range(1900, 2101)


_PHRASE_TABLES = {"qualifiers": QUALIFIERS, "post_qualifiers": POST_QUALIFIERS,
                  "category_phrases": CATEGORY_PHRASES, "lead_phrases": LEAD_PHRASES}


class Tok(NamedTuple):
    text: str
    low: str
    start: int
    end: int


class Count(NamedTuple):
    count: int
    count_high: int | None
    qualifier: str
    start_i: int  # first token (qualifier included)
    end_i: int    # one past the last token
    vague: bool
    digits: bool


# ---------------------------------------------------------------- tokens and numbers

class Tokens(list):
    """The tokens of a text; `words` holds their lower-case forms for `sitroom.numbers`."""

    def __init__(self, toks: Iterable[Tok]):
        super().__init__(toks)
        self.words = [t.low for t in self]


def _tokens(text: str) -> Tokens:
    return Tokens(Tok(m.group(), m.group().lower(), m.start(), m.end()) for m in TOKEN_RE.finditer(text))


@functools.lru_cache(maxsize=16)
def _phrase_index(name: str) -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """A phrase table indexed by its first word, longest phrases first."""
    table = _PHRASE_TABLES[name]
    index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for words, label in sorted(table.items(), key=lambda kv: -len(kv[0])):
        index.setdefault(words[0], []).append((words, label))
    return index


def _match_phrase(toks: list[Tok], i: int, table: str) -> tuple[str, int] | None:
    """Longest phrase of the named table starting at token i: (label, end index)."""
    if i >= len(toks):
        return None
    for words, label in _phrase_index(table).get(toks[i].low, ()):
        n = len(words)
        if i + n <= len(toks) and all(toks[i + k].low == words[k] for k in range(1, n)):
            return label, i + n
    return None


def _count_at(toks: Tokens, i: int) -> Count | None:
    """A (possibly qualified, possibly ranged) count starting at token i."""
    qual = _match_phrase(toks, i, "qualifiers")
    qualifier, j = ("exact", i) if qual is None else qual
    num = read_count(toks.words, j)
    if num is None:
        return None
    value, k, vague, digits = num
    high = None
    # ranges: "between 10 and 15", "10 to 15", "10-15", "10 or 15"
    if qual is None and i > 0 and toks[i - 1].low == "between" and k < len(toks) and toks[k].low == "and":
        nxt = read_count(toks.words, k + 1)
        if nxt and nxt[0] > value:
            high, k = nxt[0], nxt[1]
    elif k < len(toks) and toks[k].low in ("to", "-", "–", "or") and k + 1 < len(toks):
        nxt = read_count(toks.words, k + 1)
        if nxt and not nxt[2] and nxt[0] > value and nxt[3] == digits:
            high, k = nxt[0], nxt[1]
    if qual is None:
        post = _match_phrase(toks, k, "post_qualifiers")
        if post:
            qualifier, k = post
        elif vague:
            qualifier = "at_least"
    start_i = i - 1 if (high is not None and i > 0 and toks[i - 1].low == "between") else i
    return Count(value, high, qualifier, start_i, k, vague, digits)


# ---------------------------------------------------------------- victims and categories

def _is_demonym(tok: Tok) -> bool:
    """'Ukrainian', 'Syrian', 'Turkish', 'Israeli': a capitalised adjective of nationality."""
    return tok.text[:1].isupper() and tok.low.endswith(("an", "ian", "ish", "i", "ese", "ic"))


def _victims(toks: list[Tok], i: int) -> tuple[str | None, int, int]:
    """The victims' noun phrase at token i: (head class, end index, head index) or (None, i, -1)."""
    j, last_head, cls = i, -1, None
    while j < len(toks) and j - i < MAX_VICTIM_TOKENS:
        t = toks[j]
        if t.low in PERSON_NOUNS or t.low in MATERIEL_NOUNS:
            last_head, cls = j, ("person" if t.low in PERSON_NOUNS else "materiel")
            # "security forces", "special forces": forces is a head only after a modifier
        elif t.low == "forces" and j > i:
            last_head, cls = j, "person"
        elif t.low in VICTIM_MODIFIERS or _is_demonym(t) or (t.text[:1].isupper() and t.low.isalpha()
                                                             and j + 1 < len(toks)
                                                             and toks[j + 1].low in PERSON_NOUNS):
            if last_head >= 0:
                break
        elif t.low == "-" and last_head < 0:
            pass
        else:
            break
        j += 1
        if last_head >= 0 and (j >= len(toks) or toks[j].low not in PERSON_NOUNS | MATERIEL_NOUNS | {"forces"}):
            break
    if last_head < 0:
        if i < len(toks) and GENERIC_PLURAL_RE.match(toks[i].text) and toks[i].low not in NON_COUNT_AFTER \
                and toks[i].low not in CATEGORY_WORDS and _category_after(toks, i + 1):
            return "person", i + 1, i
        return None, i, -1
    end = last_head + 1
    # "members of the security forces", "soldiers of the 3rd brigade"
    if toks[last_head].low in ("members", "member", "personnel") and end + 1 < len(toks) and toks[end].low == "of":
        k = end + 1
        while k < len(toks) and k - end <= 4 and toks[k].low.isalpha() and toks[k].low not in CATEGORY_WORDS \
                and toks[k].low not in LINKERS - {"the", "a"}:
            k += 1
            if toks[k - 1].low in ("forces", "army", "police", "militia", "group", "military"):
                end = k
                break
    return cls, end, last_head


def _category_after(toks: list[Tok], i: int) -> tuple[str, int] | None:
    """A category word after the figure, across a few linking words: (category, end index)."""
    j = i
    while j < len(toks) and j - i <= MAX_LINK:
        ph = _match_phrase(toks, j, "category_phrases")
        if ph:
            return ph
        w = toks[j].low
        if w in CATEGORY_WORDS and w not in ("kill", "kills", "killing"):
            cat, end = CATEGORY_WORDS[w], j + 1
            # "killed and wounded", "dead or injured": the text does not split them
            if end + 1 < len(toks) and toks[end].low in ("and", "or", "/") and toks[end + 1].low in CATEGORY_WORDS \
                    and CATEGORY_WORDS[toks[end + 1].low] != cat:
                other = CATEGORY_WORDS[toks[end + 1].low]
                if {cat, other} <= {"killed", "injured", "casualties"}:
                    cat = "casualties"
                end += 2
            return cat, end
        if w not in LINKERS:
            return None
        j += 1
    return None


def _category_before(toks: list[Tok], i: int) -> tuple[str, int] | None:
    """An active verb or lead phrase just before the figure: (category, start index)."""
    for n in (4, 3, 2):
        if i - n >= 0:
            ph = _match_phrase(toks, i - n, "lead_phrases")
            if ph and ph[1] == i:
                return ph[0], i - n
    j = i - 1
    # "killed at least", "killing an estimated": the qualifier is part of the count already
    while j >= 0 and i - j <= 2 and toks[j].low in ("also", "reportedly", "allegedly", "and", "a", "total", "of"):
        if toks[j].low == "and" and j > 0 and toks[j - 1].low in ACTIVE_CATEGORY:
            break
        j -= 1
    if j >= 0 and toks[j].low in ACTIVE_CATEGORY:
        cat = CATEGORY_WORDS[toks[j].low]
        # "killed or wounded 30"
        if j >= 2 and toks[j - 1].low in ("and", "or") and toks[j - 2].low in ACTIVE_CATEGORY \
                and CATEGORY_WORDS[toks[j - 2].low] != cat:
            return "casualties", j - 2
        return cat, j
    # "the death toll rose to 45", "death toll stands at 12"
    k = i - 1
    while k >= 0 and i - k <= TOLL_GAP and toks[k].low not in (".", ";"):
        if toks[k].low in TOLL_WORDS:
            prev = toks[k - 1].low if k > 0 else ""
            cat = {"injury": "injured", "casualty": "casualties"}.get(prev, "killed")
            return cat, k - 1 if prev in ("death", "casualty", "injury") else k
        k -= 1
    return None


def _non_count(toks: list[Tok], c: Count) -> bool:
    """Years, times, money, percentages, ordinals, units: not a count of people or things."""
    nxt = toks[c.end_i] if c.end_i < len(toks) else None
    prev = toks[c.start_i - 1] if c.start_i > 0 else None
    if nxt is not None and (nxt.low in NON_COUNT_AFTER or nxt.low in NON_COUNT_SYMBOLS
                            or nxt.low.startswith(("year-old", "km", "per"))):
        return True
    if nxt is not None and nxt.low == "-" and c.end_i + 1 < len(toks) and toks[c.end_i + 1].low in NON_COUNT_AFTER:
        return True
    if prev is not None and (prev.low in NON_COUNT_BEFORE or prev.low in NON_COUNT_SYMBOLS):
        return True
    return False


def _victim_actor(victims: str | None, head: str | None) -> str | None:
    """The victims' side: a canonical actor from the actors dictionary, or Civilians."""
    if not victims:
        return None
    resolved = _resolve(victims)
    if resolved:
        return resolved
    if head in CIVILIAN_NOUNS:
        return "Civilians"
    return None


@functools.lru_cache(maxsize=4096)
def actor_entry(phrase: str) -> dict | None:
    """The actor dictionary's entry for a phrase (cached: claims ask for the same phrases often)."""
    return resolve_actor(phrase)


def _resolve(phrase: str) -> str | None:
    hit = actor_entry(phrase)
    if not hit or hit.get("kind") == "generic":
        return None  # "militants" alone names no side; the claims stage may find it in context
    return hit.get("name") or None


# ---------------------------------------------------------------- main

def _figure(text: str, toks: list[Tok], c: Count, start_i: int, end_i: int, category: str | None,
            v_end: int, v_head: int) -> dict:
    victims = text[toks[c.end_i].start:toks[v_end - 1].end] if v_head >= 0 else None
    head = toks[v_head].low if v_head >= 0 else None
    if category == "destroyed" and head in PERSON_NOUNS:
        category = "killed"  # "destroyed up to 50 militants": the Russian MoD's idiom
    start, end = toks[start_i].start, toks[end_i - 1].end
    return {
        "count": c.count, "count_high": c.count_high, "qualifier": c.qualifier,
        "category": category, "victims": victims, "victim_actor": _victim_actor(victims, head),
        "text": text[start:end], "start": start, "end": end,
    }


def _article_count(toks: list[Tok], i: int) -> Count | None:
    """'a soldier was killed', 'killing a civilian': one victim named by the article."""
    if i >= len(toks) or toks[i].low not in ("a", "an"):
        return None
    cls, v_end, v_head = _victims(toks, i + 1)
    if cls != "person" or toks[v_head].low not in SINGULAR_PERSON_NOUNS:
        return None
    if not (_category_after(toks, v_end) or _category_before(toks, i)):
        return None
    return Count(1, None, "exact", i, i + 1, False, False)


def _groups(toks: Tokens, i: int) -> list[tuple[Count, int, int, str | None]]:
    """Coordinated figures from token i: 'two soldiers and three civilians' -> two members."""
    out = []
    j = i
    while True:
        c = _count_at(toks, j) or _article_count(toks, j)
        if c is None or _non_count(toks, c):
            break
        cls, v_end, v_head = _victims(toks, c.end_i)
        out.append((c, v_end, v_head, cls))
        k = v_end
        if k < len(toks) and toks[k].low == "," and k + 1 < len(toks) and toks[k + 1].low == "and":
            k += 1
        if v_head >= 0 and k + 1 < len(toks) and toks[k].low in (",", "and") and _count_at(toks, k + 1):
            j = k + 1
            continue
        break
    return out


def find_figures(text: str) -> list[FigureRecord]:
    """Every casualty / quantity figure in `text`, in order (see the module docstring).

    Fresh records each call (the same sentence is read for its events and its claims: cached)."""
    return [f.copy() for f in _figures_in(text)]


@functools.lru_cache(maxsize=4096)
def _figures_in(text: str) -> tuple[FigureRecord, ...]:
    toks = _tokens(text)
    out: list[FigureRecord] = []
    i = 0
    while i < len(toks):
        group = _groups(toks, i)
        if not group:
            i += 1
            continue
        first = group[0][0]
        last_c, last_v_end, _, _ = group[-1]
        after = _category_after(toks, last_v_end)
        before = _category_before(toks, first.start_i)
        shared = after[0] if after else (before[0] if before else None)
        for n, (c, v_end, v_head, cls) in enumerate(group):
            cat, end_i = shared, v_end
            if n == len(group) - 1 and after:
                end_i = after[1]
            if cat is None and v_head < 0:
                # "400 deaths", "12 dead": the category noun follows the number directly
                direct = _category_after(toks, c.end_i)
                if direct:
                    cat, end_i = direct
            if cat is None and not (cls == "person" and toks[v_head].low in FORCE_NOUNS):
                continue  # a bare number: not a figure
            if cls == "materiel" and cat not in ("destroyed", "captured"):
                continue
            if c.count in YEARS and c.digits and v_head < 0 and c.qualifier == "exact":
                continue
            start_i = before[1] if (n == 0 and before and not after) else c.start_i
            out.append(_figure(text, toks, c, start_i, max(end_i, c.end_i), cat, v_end, v_head))
        i = max(last_v_end, last_c.end_i, i + 1)
    return tuple(out)


def parse_count(phrase: str) -> int | None:
    """The number a short phrase states ('dozens', 'twenty-five', '1,200'), else None."""
    toks = _tokens(phrase)
    for i in range(len(toks)):
        c = _count_at(toks, i)
        if c:
            return c.count
    return None


def total(figures: Iterable[FigureRecord], category: str = "killed") -> int | None:
    """The sum of the figures of one category (None when there is none)."""
    vals = [f["count"] for f in figures if f["category"] == category]
    return sum(vals) if vals else None
