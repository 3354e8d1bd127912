"""The typer's training corpus: passages the team wrote, expanded from sentence frames.

`data/events/corpus/templates.txt` holds, per ACLED sub-event type and per kind of
report ACLED does not code (`none:accident`, `none:claim`, ...), sentence frames with
inline alternatives; `places.toml` fills places and forces per country, `lexicon.toml`
the rest (numbers, days, crowds, grievances). `passages` draws a fixed-seed sample:
each passage is a frame filled for one country, sometimes wrapped in a register
(a wire dateline, a live-blog timestamp, an ACLED-style "On <date>," note, a monitor's
attribution, translated copy) and followed by a context sentence that reports nothing.
The same seed gives the same corpus, so anyone can rebuild the shipped model.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

from ...acled import SUB_EVENT_TYPES
from ...datafiles import check, data_path, read_lines, read_toml

CORPUS_DIR = data_path("events", "corpus")
NONE = "none"  # the label of a report that ACLED does not code
WRAP, TAIL = "@wrap", "@tail"
COUNTRY_SLOTS = ("TOWN", "TOWN2", "REGION", "COUNTRY", "ARMY", "POLICE", "REBEL", "MILITIA", "AIR")
CHOICE_RE = re.compile(r"\[([^\[\]]*)\]")
ARTICLE_RE = re.compile(r"\b([Aa])n? (?=(\w))")  # 'a' or 'an' as the next word needs
SLOT_RE = re.compile(r"\{([A-Z0-9]+)(\.upper)?\}")
PER_LABEL = 320  # passages drawn per sub-event type
PER_NONE_KIND = 160  # passages drawn per kind of non-event
WRAP_SHARE = 0.45  # passages given a register other than the plain sentence
TAIL_SHARE = 0.25  # passages followed by a sentence that reports no event
PAIR_SHARE = 0.15  # passages that are two frames of the same type (a lead and a detail)


@dataclass(frozen=True)
class Passage:
    text: str
    label: str  # an ACLED sub-event type, or NONE
    kind: str  # the template section: the sub-event type, or e.g. "none:accident"


def read_frames(path: Path | None = None) -> dict[str, list[str]]:
    """Section name → frames (see templates.txt for the syntax)."""
    path = path or CORPUS_DIR / "templates.txt"
    sections: dict[str, list[str]] = {}
    current = None
    for row in read_lines(path):
        line = row.cells[0].rstrip()
        if line.startswith("== "):
            current = line[3:].strip()
            check(current in SUB_EVENT_TYPES or current.startswith(NONE + ":") or current in (WRAP, TAIL),
                  path, f"unknown section {current!r}", row.line)
            sections.setdefault(current, [])
            continue
        check(current is not None, path, "frame before the first section", row.line)
        check(line.count("[") == line.count("]"), path, "unbalanced brackets", row.line)
        sections[current].append(line.strip())
    return sections


def read_fillers() -> tuple[list[dict], dict[str, list[str]]]:
    """(country profiles, shared slot lists)."""
    places = read_toml(CORPUS_DIR / "places.toml")
    lexicon = read_toml(CORPUS_DIR / "lexicon.toml")
    for name, prof in places.items():
        for slot in ("country", "towns", "regions", "army", "police"):
            check(bool(prof.get(slot)), CORPUS_DIR / "places.toml", f"[{name}] has no {slot}")
    return list(places.values()), lexicon


def _choose(frame: str, rng: random.Random) -> str:
    """Resolve [a|b|] alternatives, innermost first."""
    while True:
        new = CHOICE_RE.sub(lambda m: rng.choice(m.group(1).split("|")), frame)
        if new == frame:
            return new
        frame = new


def _country_slots(prof: dict, rng: random.Random) -> dict[str, str]:
    towns = rng.sample(prof["towns"], 2) if len(prof["towns"]) > 1 else prof["towns"] * 2
    pick = {k: rng.choice(prof[k]) if prof.get(k) else "" for k in ("regions", "army", "police", "rebels", "militia", "air")}
    return {"TOWN": towns[0], "TOWN2": towns[1], "REGION": pick["regions"], "COUNTRY": prof["country"],
            "ARMY": pick["army"], "POLICE": pick["police"], "REBEL": pick["rebels"] or "gunmen",
            "MILITIA": pick["militia"] or "armed men", "AIR": pick["air"] or "military aircraft"}


def fill(frame: str, prof: dict, lexicon: dict[str, list[str]], rng: random.Random,
         fixed: dict[str, str] | None = None) -> str:
    """One passage from a frame: alternatives chosen, slots filled, the first letter capitalised."""
    slots = fixed if fixed is not None else _country_slots(prof, rng)
    text = _choose(frame, rng)

    def value(m: re.Match) -> str:
        name = m.group(1)
        v = slots[name] if name in slots else rng.choice(lexicon[name])
        return v.upper() if m.group(2) else v

    text = SLOT_RE.sub(value, text)
    text = re.sub(r"\s+([,.;:])", r"\1", re.sub(r" {2,}", " ", text)).strip()
    text = re.sub(r",\s*,", ",", text)
    text = ARTICLE_RE.sub(lambda m: m.group(1) + ("n " if m.group(2).lower() in "aeiou" else " "), text)
    return text[:1].upper() + text[1:]


def _unknown_slots(sections: dict[str, list[str]], lexicon: dict) -> set[str]:
    names = {m.group(1) for frames in sections.values() for f in frames for m in SLOT_RE.finditer(f)}
    return names - set(COUNTRY_SLOTS) - set(lexicon) - {"S"}


def passages(seed: int = 0, per_label: int = PER_LABEL, per_none: int = PER_NONE_KIND) -> list[Passage]:
    """The corpus: a fixed-seed draw of filled frames for every section."""
    sections = read_frames()
    profiles, lexicon = read_fillers()
    unknown = _unknown_slots(sections, lexicon)
    check(not unknown, CORPUS_DIR / "templates.txt", f"slots filled by no list: {sorted(unknown)}")
    rng = random.Random(seed)
    wraps, tails = sections.get(WRAP, ["{S}"]), sections.get(TAIL, [])
    out: list[Passage] = []
    for kind, frames in sections.items():
        if kind in (WRAP, TAIL) or not frames:
            continue
        label = NONE if kind.startswith(NONE + ":") else kind
        for _ in range(per_none if label == NONE else per_label):
            prof = rng.choice(profiles)
            slots = _country_slots(prof, rng)
            text = fill(rng.choice(frames), prof, lexicon, rng, slots)
            if rng.random() < PAIR_SHARE and len(frames) > 1 and text.endswith("."):
                text += " " + fill(rng.choice(frames), prof, lexicon, rng, slots)
            if rng.random() < WRAP_SHARE:
                wrap = fill(rng.choice(wraps), prof, lexicon, rng, slots | {"S": "\x00"})
                head = wrap.split("\x00", 1)[0]
                if re.search(r"(?:,|\bthat|\bsaid) $", head) and not _proper_start(text):
                    text = text[:1].lower() + text[1:]  # 'According to a monitor, troops ...'
                text = wrap.replace("\x00", text)
            if tails and rng.random() < TAIL_SHARE and text.endswith("."):
                text += " " + fill(rng.choice(tails), prof, lexicon, rng, slots)
            out.append(Passage(text, label, kind))
    return out


def _proper_start(text: str) -> bool:
    """Whether the passage opens with a name (kept capitalised after 'According to X,')."""
    first = text.split(" ", 1)[0]
    return first not in ("A", "An", "The", "Two", "Three", "Police", "Soldiers", "Troops", "Gunmen", "Heavy",
                         "Fighting", "Clashes", "Residents", "Protesters", "Demonstrators", "Rioters") and not first.islower()
