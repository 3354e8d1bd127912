"""News datelines: "KYIV, March 3 (Reuters) - " at the start of a paragraph.

A dateline says where (and when, and for which agency) a report was filed, not
where or when the event happened or who took part, so several stages need to know
where one is: places reads its city and region as place names, actors does not take
a country named there for its government acting, events ranks a dateline place
below the event's own places and does not date the event by the dateline's date,
and merge reads the agency. Detected once per document by `find_datelines` (the
pipeline stores the result as `doc._.datelines`); merge calls it on stored text.

The forms recognised, at a paragraph start:

* an upper-case city, perhaps several ("TIJUANA & SAN DIEGO"), any case for the
  region after it: "GAZA CITY (AP) —", "NAIROBI, Kenya — ", "MIAMI, FLORIDA - ",
  "BEIRUT: " (a colon only after an upper-case city, and not where several
  paragraphs open that way: that is a transcript's speakers, "SHAPIRO: ...");
* a mixed-case city only with a region, a date or a credit and a dash:
  "Mogadishu, 12 May 2024 -", "Nairobi (AFP) -", "Kyiv, Ukraine — ";
* then an optional date ("March 3", "12 May 2024", "MARCH 29", "Sept. 26") and an
  optional credit in brackets ("(Reuters)", "(NNN-AGENCIES)"), then a dash
  ("-" with a space on each side, "--", "—", "–", "―") or the colon.

Pure text functions, no spaCy: the offsets are character offsets into the text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Optional

MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
         r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
DAY = r"\d{1,2}(?:st|nd|rd|th)?"
DATE = (rf"(?i:(?:{WEEKDAY},?[ \t]+)?(?:{MONTH}[ \t]+{DAY}|{DAY}[ \t]+{MONTH})(?:,?[ \t]+\d{{4}})?\b"
        rf"|{WEEKDAY}\b)")
CAPS_WORD = r"[A-Z](?:[A-Z'’.]|-(?=[A-Z]))+"  # "GAZA", "VILLIERS-LE-BEL", "N.J."
CAPS_NAME = rf"{CAPS_WORD}(?:[ ]{CAPS_WORD}){{0,3}}(?!\w)"
CITY = r"[A-Z][\w'’]*(?:-\w+)*(?:[ ][A-Z][\w'’]*(?:-\w+)*){0,3}(?!\w)"  # "Nairobi", "The Hague"
REGION = r"[A-Z](?:[\w'’]|[.-](?=\w))*\.?(?:[ ][A-Z](?:[\w'’]|[.-](?=\w))*\.?){0,3}(?!\w)"  # "N.Y.", "West Bank"
DATELINE_RE = re.compile(
    rf"""[ \t]*(?:(?P<caps>{CAPS_NAME}(?:[ \t]*[&/][ \t]*{CAPS_NAME})*)|(?P<city>{CITY}))
    (?:,[ \t]*(?P<region>{REGION})(?![ \t]*\d))?      # not "MARCH 29": that is the date
    (?:,{{0,2}}[ \t]*(?P<date>{DATE}))?
    (?:[ \t]*\((?P<agency>[^()\n]{{1,40}})\))?
    (?P<dash>[ \t]+-(?=\s)|[ \t]*(?:--|[—–―_])|[ \t]+\ufffd(?=\s)|:(?=\s)|(?<=\)):|(?(agency)|(?!)))  # "(AP) Mexico's": the credit ends it
    [ \t]*""", re.X)
CAPS_NAME_RE = re.compile(CAPS_NAME)
# what opens a paragraph like a dateline and is not one: labels, "READ MORE: ", "UPDATE - "
LABEL_WORDS = frozenset("""READ MORE ALSO SEE WATCH LISTEN UPDATE UPDATED BREAKING EXCLUSIVE ANALYSIS OPINION
PHOTO PHOTOS VIDEO EDITOR'S NOTE LIVE HOST BYLINE SOURCE SOURCES CREDIT CAPTION FILE CORRECTION
CLARIFICATION""".split())
DATE_RE = re.compile(DATE)


@dataclass(frozen=True)
class Dateline:
    """One dateline: the text it spans and the spans of its parts (character offsets)."""

    start: int  # where the dateline's first word starts
    end: int  # after the dash and the blanks that follow it: where the report's text starts
    place_start: int
    place_end: int  # the city and region: "KHARTOUM, Sudan"
    places: tuple[tuple[int, int], ...]  # each name: "TIJUANA", "SAN DIEGO"; "KHARTOUM", "Sudan"
    date_start: Optional[int] = None
    date_end: Optional[int] = None
    agency: Optional[str] = None  # the credit in brackets, as written: "Reuters", "AP"

    def as_record(self) -> dict:
        """The plain-dict form the pipeline stores (`document.DatelineRecord`)."""
        return {"start": self.start, "end": self.end, "place_start": self.place_start,
                "place_end": self.place_end, "places": [list(p) for p in self.places],
                "date_start": self.date_start, "date_end": self.date_end, "agency": self.agency}


def _paragraph_starts(text: str):
    yield 0
    for m in re.finditer(r"\n", text):
        yield m.end()


def _accept(m: re.Match) -> bool:
    """Whether a dateline-shaped paragraph start is a dateline."""
    if set(re.findall(r"[A-Z'’]+", m.group(0))) & LABEL_WORDS:
        return False
    city = m.group("city")
    if city is None:
        return True
    if DATE_RE.fullmatch(city):
        return False  # "Wednesday 19 February 2020 - 17:45": a date line
    # a mixed-case city needs a credit or a date after a comma, and a dash: "Somalia: ..." is a
    # headline, "However, Al Shabaab — " a sentence, "On 9 May 2024 (or around), " an opening
    dated = m.group("date") and "," in m.string[m.end("city"):m.start("date")]
    return (city.upper() != city and m.group("dash").strip() not in ("", ":")
            and bool(dated or m.group("agency")))


def _dateline(m: re.Match) -> Dateline:
    if m.group("caps"):  # "TIJUANA & SAN DIEGO": each city its own name
        base = m.start("caps")
        places = [(base + p.start(), base + p.end()) for p in CAPS_NAME_RE.finditer(m.group("caps"))]
    else:
        places = [m.span("city")]
    if m.group("region"):
        places.append(m.span("region"))
    date = m.span("date") if m.group("date") else (None, None)
    return Dateline(start=places[0][0], end=m.end(), place_start=places[0][0], place_end=places[-1][1],
                    places=tuple(places), date_start=date[0], date_end=date[1], agency=m.group("agency"))


def find_datelines(text: str) -> list[Dateline]:
    """The datelines of a text, one per paragraph that opens with one, in text order."""
    shaped = [m for m in (DATELINE_RE.match(text, pos) for pos in _paragraph_starts(text)) if m]
    colons = sum(m.group("dash") == ":" and m.group("caps") is not None for m in shaped)
    # "SHAPIRO: ... WALT: ...": paragraphs that open with a name and a colon are speakers, not datelines
    found = [m for m in shaped if _accept(m) and (m.group("dash") != ":" or colons == 1)]
    return [_dateline(m) for m in found]


def dateline_records(text: str) -> list[dict]:
    """`find_datelines` as the plain dicts of the `datelines` layer."""
    return [d.as_record() for d in find_datelines(text)]


def dateline_at(datelines: Iterable[Mapping[str, Any]], pos: int) -> Optional[Mapping[str, Any]]:
    """The dateline record that `pos` lies in, or None."""
    for d in datelines:
        if d["start"] <= pos < d["end"]:
            return d
    return None
