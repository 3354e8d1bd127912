"""Many reports, one event: merge per-article events, count independent sources, spread the figures.

One clash is reported by a wire service, outlets that reprint the wire, a monitoring
group and both belligerents.  Here each per-article event is a *report*; reports of
the same event (date within a day, place within ~25 km or the same admin2, compatible
type and actors) become one merged event that keeps every report's claims.

Independence is decided per article: articles credited to the same wire service
("(Reuters) -", "— AFP", a reuters.com URL), from the same outlet, or with near-identical
text (word-shingle MinHash) form one *source group*; `sources` counts groups.

Fatality figures come from the reports' claims, keyed by *provenance* (who gave the
figure: the claim's speaker_actor, else its speaker, else the article's source group),
so one monitor quoted by five outlets is one figure.  A party to the event counting
the other side's dead is *partisan*; the rest are *credible*.  ACLED's conservative
rule gives `fatalities` = the lowest credible figure; `fatalities_low/high` span every
figure; `contested` is set when figures from different provenances cannot both be true.

Everything here is a pure function of the reports, in a canonical order, so merging
the same set of reports always gives the same events (the store recomputes, never patches).
"""
from __future__ import annotations

import functools
import hashlib
import json
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable, Sequence

import numpy as np
from rapidfuzz import fuzz

from .acled import country_names

# --- thresholds --------------------------------------------------------------------------
MAX_DAYS_APART = 1  # reports of one event differ by a day at most (time zones, next-day write-ups)
MAX_KM = 25.0  # one town and its outskirts: compatible reports closer than this are one event
NEAR_DUP_JACCARD = 0.5  # word 5-shingle Jaccard: reprints score > 0.6, separate write-ups < 0.15
SHINGLE_WORDS = 5  # 5-word shingles: long enough that shared phrases ("killed in an air strike") rarely match
NUM_PERM = 64  # MinHash permutations: standard error of the Jaccard estimate ~0.06
ACTOR_MATCH = 90  # rapidfuzz token_set_ratio above which two actor names are the same party
AGREE_TOLERANCE = 0.15  # figures within 15% of each other agree ("about 40" vs "45")
FIGURE_CATEGORIES = ("killed", "dead", "fatalities", "deaths")  # the categories that count as fatalities

# event types that may describe the same incident from different sides (a clash to one side
# is a shelling of civilians to the other); others must match exactly
_VIOLENCE = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
_DEMONSTRATION = frozenset({"Protests", "Riots"})
TYPE_FAMILIES = (_VIOLENCE, _DEMONSTRATION)
# when reports disagree on the type, the more specific violent reading wins a tie
TYPE_PRIORITY = ("Battles", "Explosions/Remote violence", "Violence against civilians", "Riots",
                 "Protests", "Strategic developments")

# --- wire services -----------------------------------------------------------------------
# canonical key -> how the agency is credited in text
WIRE_AGENCIES: dict[str, tuple[str, ...]] = {
    "reuters": ("Reuters", "Thomson Reuters"),
    "ap": ("AP", "Associated Press", "The Associated Press"),
    "afp": ("AFP", "Agence France-Presse", "Agence France Presse"),
    "xinhua": ("Xinhua",),
    "anadolu": ("Anadolu Agency", "Anadolu", "AA"),
    "dpa": ("dpa", "DPA"),
    "efe": ("EFE",),
    "upi": ("UPI",),
    "tass": ("TASS",),
    "ria": ("RIA Novosti",),
    "interfax": ("Interfax",),
    "ani": ("ANI",),
    "pti": ("PTI",),
    "ians": ("IANS",),
    "kyodo": ("Kyodo",),
    "yonhap": ("Yonhap",),
    "bernama": ("Bernama",),
    "irna": ("IRNA",),
    "sana": ("SANA",),
    "wafa": ("WAFA",),
    "apa": ("APA",),
}
# the agencies' own sites: their stories are the wire itself
WIRE_HOSTS: dict[str, str] = {
    "reuters.com": "reuters", "apnews.com": "ap", "ap.org": "ap", "afp.com": "afp",
    "xinhuanet.com": "xinhua", "news.cn": "xinhua", "aa.com.tr": "anadolu", "dpa.com": "dpa",
    "efe.com": "efe", "upi.com": "upi", "tass.com": "tass", "tass.ru": "tass", "ria.ru": "ria",
    "interfax.com": "interfax", "interfax.ru": "interfax", "aninews.in": "ani", "ptinews.com": "pti",
    "ians.in": "ians", "kyodonews.net": "kyodo", "yna.co.kr": "yonhap", "bernama.com": "bernama",
    "irna.ir": "irna", "sana.sy": "sana", "wafa.ps": "wafa", "apa.az": "apa",
}
_AGENCY_KEY = {name.casefold(): key for key, names in WIRE_AGENCIES.items() for name in names}
_AGENCY_ALT = "|".join(sorted((re.escape(n) for names in WIRE_AGENCIES.values() for n in names),
                              key=len, reverse=True))
# "DAMASCUS (Reuters) -", "KYIV, Ukraine (AP) —", "(AFP) -" near the top of the story
WIRE_DATELINE = re.compile(rf"\((?P<agency>{_AGENCY_ALT})\)\s*[-–—:]")
# credit lines at the end: "— Reuters", "(AFP)", "Source: Reuters", "/AFP"
WIRE_CREDIT_END = re.compile(
    rf"(?:[-–—/]\s*|\(|(?:Source|Credit|Via)\s*:\s*)(?P<agency>{_AGENCY_ALT})\)?\s*\.?\s*$")
# Reuters' sign-off: "Reporting by A in B; Editing by C"
REUTERS_SIGNOFF = re.compile(r"\bReporting by [^\n]{2,200}?\b(?:Editing|Writing) by\b")
DATELINE_WINDOW = 400  # characters at the start of a story where a dateline credit sits
CREDIT_WINDOW = 300  # characters at the end where a credit line sits

_WORD = re.compile(r"\w+", re.UNICODE)
_PARENS = re.compile(r"\s*\([^)]*\)")
_LEADING_THE = re.compile(r"^the\s+", re.I)
# ACLED's state actors: "Military Forces of Russia (2000-)", "Police Forces of Syria", "Government of Syria"
STATE_ACTOR = re.compile(
    r"^(?:military|police|government|security|air|naval|armed|special)\b[\w\s]*?\bof\s+(?:the\s+)?(?P<country>[\w\s'-]+)$",
    re.I)
# victim words that mean "everyone killed", not one group of the dead
GENERIC_VICTIMS = frozenset({"", "people", "persons", "person", "individuals", "dead", "deaths", "killed",
                             "fatalities", "lives", "victims", "casualties"})
# placeholder actors that say nothing about who took part
GENERIC_ACTORS = frozenset({"unidentified armed group", "unidentified military forces", "civilians",
                            "protesters", "rioters", "unknown"})


# --- records -------------------------------------------------------------------------------
@dataclass(frozen=True)
class ArticleInfo:
    """What merging needs to know about the article a report comes from."""

    doc_id: str
    published: str | None = None
    outlet: str | None = None
    source_group: str | None = None  # wire:reuters | outlet:example.com | doc:<id>
    minhash: str = ""  # hex MinHash signature of the text ('' when there is none)
    ingested_at: str | None = None


@dataclass
class Report:
    """One article's account of one event: the contract's EVENT plus its claims' figures."""

    article: ArticleInfo
    event: dict
    figures: list[dict] = field(default_factory=list)  # fatality figures from the event's claims

    @property
    def doc_id(self) -> str:
        return self.article.doc_id

    @property
    def report_id(self) -> str:
        return str(self.event.get("event_id") or "")


@dataclass
class MergedEvent:
    event: dict  # ACLED columns + fatalities spread + sources/reports/contested ...
    members: list[Report]
    groups: dict[str, str]  # doc_id -> independent source group after near-duplicate folding
    claims: list[tuple[str, str]]  # (doc_id, claim_id)


# --- wire credits and source groups -----------------------------------------------------------
def wire_of(text: str | None, outlet: str | None = None) -> str | None:
    """The wire service an article is credited to (its key), or None for the outlet's own story."""
    host = (outlet or "").lower()
    for suffix, key in WIRE_HOSTS.items():
        if host == suffix or host.endswith("." + suffix):
            return key
    if not text:
        return None
    head, tail = text[:DATELINE_WINDOW], text[-CREDIT_WINDOW:].rstrip()
    for match in (WIRE_DATELINE.search(head), WIRE_CREDIT_END.search(tail)):
        if match:
            return _AGENCY_KEY.get(match.group("agency").casefold())
    if REUTERS_SIGNOFF.search(tail):
        return "reuters"
    return None


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


# --- compatibility -------------------------------------------------------------------------
def _day(value: str | None) -> int | None:
    try:
        return date.fromisoformat((value or "")[:10]).toordinal()
    except ValueError:
        return None


def report_day(report: Report) -> int | None:
    return _day(report.event.get("event_date")) or _day(report.article.published)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _norm(name: str | None) -> str:
    return _LEADING_THE.sub("", _PARENS.sub("", name or "")).strip().casefold()


def split_actors(value: str | None) -> list[str]:
    return [a.strip() for a in re.split(r";", value or "") if a.strip()]


def parties(event: dict) -> list[str]:
    """Every named participant of a report, normalised, placeholders left out."""
    names = [event.get("actor1"), event.get("actor2"),
             *split_actors(event.get("assoc_actor_1")), *split_actors(event.get("assoc_actor_2"))]
    out = []
    for n in names:
        key = _norm(n)
        if key and key not in GENERIC_ACTORS and key not in out:
            out.append(key)
    return out


@functools.cache
def side_of(name: str | None) -> str:
    """The side an actor name stands for: a state's forces, its government and its name are one side."""
    key = _norm(name)
    m = STATE_ACTOR.match(key)
    if m:
        return f"state:{m.group('country').strip()}"
    return f"state:{key}" if key in country_names() else key


def same_actor(a: str | None, b: str | None) -> bool:
    ka, kb = side_of(a), side_of(b)
    if not ka or not kb:
        return False
    return ka == kb or fuzz.token_set_ratio(ka, kb) >= ACTOR_MATCH


def _types_compatible(a: str | None, b: str | None) -> bool:
    if not a or not b or a == b:
        return True
    return any(a in fam and b in fam for fam in TYPE_FAMILIES)


def _coarse(e: dict) -> bool:
    """Placed only at province level (or not at all): its point, if any, is a centroid."""
    if (e.get("geo_precision") or 0) >= 3:
        return True
    loc = _norm(e.get("location"))
    return not (_norm(e.get("admin2")) or (loc and loc != _norm(e.get("admin1")))
                or e.get("latitude") is not None)


def _places_compatible(a: dict, b: dict) -> bool:
    ca, cb = (a.get("country") or "").casefold(), (b.get("country") or "").casefold()
    if ca and cb and ca != cb:
        return False
    if None not in (a.get("latitude"), a.get("longitude"), b.get("latitude"), b.get("longitude")):
        if haversine_km(a["latitude"], a["longitude"], b["latitude"], b["longitude"]) <= MAX_KM:
            return True
    a2, b2 = _norm(a.get("admin2")), _norm(b.get("admin2"))
    if a2 and a2 == b2 and _norm(a.get("admin1")) == _norm(b.get("admin1")):
        return True
    la, lb = _norm(a.get("location")), _norm(b.get("location"))
    if la and la == lb:
        return True
    # a report placed only at province level fits a precise one in that province
    if _coarse(a) or _coarse(b):
        a1, b1 = _norm(a.get("admin1")), _norm(b.get("admin1"))
        return not a1 or not b1 or a1 == b1
    return False


def _actors_compatible(a: dict, b: dict) -> bool:
    pa, pb = parties(a), parties(b)
    if not pa or not pb:
        return True
    return any(same_actor(x, y) for x in pa for y in pb)


def compatible(a: Report, b: Report) -> bool:
    """Could these two reports describe the same event?"""
    if a.doc_id == b.doc_id:
        return False  # one article's separate events stay separate
    da, db = report_day(a), report_day(b)
    if da is None or db is None or abs(da - db) > MAX_DAYS_APART:
        return False
    ea, eb = a.event, b.event
    return (_types_compatible(ea.get("event_type"), eb.get("event_type"))
            and _places_compatible(ea, eb) and _actors_compatible(ea, eb))


def similarity(a: Report, b: Report) -> float:
    """How alike two compatible reports are (picks the best cluster when several fit)."""
    ea, eb = a.event, b.event
    score = 0.0
    if None not in (ea.get("latitude"), ea.get("longitude"), eb.get("latitude"), eb.get("longitude")):
        score += max(0.0, 1 - haversine_km(ea["latitude"], ea["longitude"], eb["latitude"], eb["longitude"]) / MAX_KM)
    score += ea.get("event_type") == eb.get("event_type")
    score += ea.get("event_date") == eb.get("event_date")
    pa, pb = parties(ea), parties(eb)
    if pa and pb:
        score += sum(any(same_actor(x, y) for y in pb) for x in pa) / len(pa)
    return score


# --- clustering ------------------------------------------------------------------------------
def report_key(r: Report) -> tuple:
    day = report_day(r)
    return (day if day is not None else 10**9, r.doc_id, r.report_id)


def cluster_reports(reports: Iterable[Report]) -> list[list[Report]]:
    """Group reports into events: a report joins the most similar cluster all of whose members it fits.

    Complete linkage (fit *every* member) keeps chains from drifting across days and
    places; the canonical order makes the result independent of ingest order.
    """
    clusters: list[list[Report]] = []
    by_day: dict[int, list[int]] = defaultdict(list)
    for r in sorted(reports, key=report_key):
        day = report_day(r)
        best: tuple[float, int] | None = None
        if day is not None:
            seen = sorted({ci for d in range(day - MAX_DAYS_APART, day + MAX_DAYS_APART + 1) for ci in by_day[d]})
            for ci in seen:
                members = clusters[ci]
                if all(compatible(r, m) for m in members):
                    score = sum(similarity(r, m) for m in members) / len(members)
                    if best is None or score > best[0]:
                        best = (score, ci)
        if best is None:
            clusters.append([r])
            ci = len(clusters) - 1
        else:
            ci = best[1]
            clusters[ci].append(r)
        if day is not None and ci not in by_day[day]:
            by_day[day].append(ci)
    return clusters


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


# --- fatality figures ---------------------------------------------------------------------------
def figures_from_claims(event: dict, claims: dict[str, dict]) -> list[dict]:
    """Fatality figures of the claims an event cites, each with its speaker."""
    out = []
    for cid in event.get("claims") or []:
        claim = claims.get(cid)
        if not claim:
            continue
        for fig in claim.get("figures") or []:
            if fig.get("count") is None or (fig.get("category") or "killed") not in FIGURE_CATEGORIES:
                continue
            out.append({**{k: fig.get(k) for k in ("count", "count_high", "qualifier", "category", "victims",
                                                    "victim_actor")},
                        "speaker": claim.get("speaker"), "speaker_actor": claim.get("speaker_actor"),
                        "kind": claim.get("kind"), "claim_id": cid})
    return out


def _interval(part: dict) -> tuple[float, float]:
    """The values a reported figure allows ("at least 40" allows 40 and more)."""
    lo, hi = float(part["count"]), float(part.get("high") if part.get("high") is not None else part["count"])
    if part.get("qualifier") in ("at_least", "over"):
        return lo, math.inf
    if part.get("qualifier") == "at_most":
        return 0.0, hi
    return lo, hi


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    tol = 1 + AGREE_TOLERANCE
    return a[0] <= b[1] * tol + 1 and b[0] <= a[1] * tol + 1


def _disagree(a: dict, b: dict) -> bool:
    """Can two provenances' figures not both be true?"""
    if not a["partial"] and not b["partial"]:
        return not _overlap(_interval(a), _interval(b))
    if a["partial"] and b["partial"]:  # only counts of the same victims can contradict each other
        return any(not _overlap(_interval(a["parts"][v]), _interval(b["parts"][v]))
                   for v in a["parts"].keys() & b["parts"].keys())
    part, whole = (a, b) if a["partial"] else (b, a)
    return part["count"] > _interval(whole)[1] * (1 + AGREE_TOLERANCE) + 1  # a part larger than the whole


def _victim_key(fig: dict) -> str:
    """'' for a count of everyone killed; else whose dead it counts (a party, or e.g. 'civilians')."""
    if fig.get("victim_actor"):
        return side_of(fig["victim_actor"])
    victims = _norm(fig.get("victims"))
    return "" if victims in GENERIC_VICTIMS else victims


def provenance_figures(members: Sequence[Report], groups: dict[str, str]) -> list[dict]:
    """One figure per provenance (who gave it), with `partial`, `partisan` and `credible` flags.

    A provenance's figure is its count of everyone killed, or else the sum of its counts
    per victim group (then `partial`: a party's own dead is not the event's toll).  The
    same provenance relayed by several articles keeps its largest figure (tolls rise).
    """
    event_parties = sorted({p for r in members for p in parties(r.event)})
    acc: dict[tuple[str, bool], dict] = {}
    for r in sorted(members, key=report_key):
        figs = list(r.figures)
        if not figs:
            own = r.event.get("fatalities_best") or r.event.get("fatalities")
            if own:
                figs = [{"count": int(own), "count_high": r.event.get("fatalities_high"), "qualifier": None,
                         "speaker": None, "speaker_actor": None, "kind": "assertion", "claim_id": None}]
        for f in figs:
            actor = f.get("speaker_actor")
            if actor:
                prov, label = f"actor:{side_of(actor)}", actor
            elif f.get("speaker"):
                prov, label = f"speaker:{_norm(f['speaker'])}", f["speaker"]
            else:
                prov, label = f"source:{groups.get(r.doc_id, r.doc_id)}", r.article.outlet or r.doc_id
            party = bool(actor) and any(same_actor(actor, p) for p in event_parties)
            own_losses = party and bool(f.get("victim_actor")) and same_actor(f["victim_actor"], actor)
            partisan = party and not own_losses
            rec = acc.setdefault((prov, partisan), {
                "provenance": prov, "speaker": label, "partisan": partisan, "speculative": True,
                "doc_ids": set(), "claims": set(), "parts": {}})
            rec["speculative"] &= f.get("kind") == "speculation"
            rec["doc_ids"].add(r.doc_id)
            if f.get("claim_id"):
                rec["claims"].add(f"{r.doc_id}#{f['claim_id']}")
            vkey = _victim_key(f)
            count = int(f["count"])
            high = f.get("count_high")
            cur = rec["parts"].get(vkey)
            if cur is None or count > cur["count"]:
                rec["parts"][vkey] = {"count": count, "high": int(high) if high is not None else count,
                                      "qualifier": f.get("qualifier"),
                                      "victims": f.get("victim_actor") or f.get("victims")}
    out = []
    for key in sorted(acc):
        rec = acc[key]
        parts = rec["parts"]
        whole = parts.get("")
        specific = [p for k, p in sorted(parts.items()) if k]
        total = sum(p["count"] for p in specific)
        if whole is not None and whole["count"] >= total:
            count, high, qualifier = whole["count"], whole["high"], whole["qualifier"]
        else:
            quals = {p["qualifier"] for p in specific}
            count, high = total, sum(p["high"] for p in specific)
            qualifier = quals.pop() if len(quals) == 1 else "at_least"
        out.append({"provenance": rec["provenance"], "speaker": rec["speaker"], "count": count, "high": high,
                    "qualifier": qualifier, "partial": whole is None, "partisan": rec["partisan"],
                    "credible": not rec["partisan"] and not rec["speculative"],
                    "parts": {k or "all": v for k, v in sorted(parts.items())},
                    "doc_ids": sorted(rec["doc_ids"]), "claims": sorted(rec["claims"])})
    return out


def fatality_spread(figures: Sequence[dict]) -> dict:
    """ACLED's conservative figure and the spread across provenances.

    `fatalities`: the lowest credible toll, but never below what credible partial counts
    add up to (a side admitting 12 dead makes a toll of 10 impossible); 0 when no figure
    is credible (a belligerent's count of its enemy's dead alone), which then shows in `_high`.  `fatalities_low`/`_high`: the lowest
    toll and the highest figure anyone gave; `fatalities_best`: the lower median of the
    credible tolls.  `contested`: two provenances give figures that cannot both be true.
    """
    if not figures:
        return {"fatalities": None, "fatalities_low": None, "fatalities_best": None,
                "fatalities_high": None, "contested": False}
    pool = [f for f in figures if f["credible"]]
    if not pool:  # only partisan or speculative figures: nothing credible to count (the contract's 0 .. high)
        return {"fatalities": 0, "fatalities_low": 0, "fatalities_best": 0,
                "fatalities_high": max(max(f["count"], f["high"]) for f in figures),
                "contested": any(_disagree(a, b) for i, a in enumerate(figures) for b in figures[i + 1:])}
    wholes = sorted(f["count"] for f in pool if not f["partial"])
    by_victim: dict[str, int] = {}
    for f in pool:
        if f["partial"]:
            for v, part in f["parts"].items():
                by_victim[v] = max(by_victim.get(v, 0), part["count"])
    floor = sum(by_victim.values())
    fatalities = max(wholes[0], floor) if wholes else floor
    all_wholes = [f["count"] for f in figures if not f["partial"]]
    contested = any(_disagree(a, b) for i, a in enumerate(figures) for b in figures[i + 1:])
    return {"fatalities": fatalities,
            "fatalities_low": min([fatalities, *all_wholes]),
            "fatalities_best": max(wholes[(len(wholes) - 1) // 2], floor) if wholes else fatalities,
            "fatalities_high": max([fatalities, *(max(f["count"], f["high"]) for f in figures)]),
            "contested": contested}


# --- the merged record ---------------------------------------------------------------------------
def _mode(values: Iterable, order: Sequence | None = None):
    """The most common non-empty value; ties go to the earliest in `order` (or first seen)."""
    vals = [v for v in values if v not in (None, "")]
    if not vals:
        return None
    counts = Counter(vals)
    top = max(counts.values())
    tied = [v for v in dict.fromkeys(vals) if counts[v] == top]
    if order:
        tied.sort(key=lambda v: order.index(v) if v in order else len(order))
    return tied[0]


def event_id_for(members: Sequence[Report]) -> str:
    """Stable while the cluster's lowest-keyed report stays in it."""
    first = min((r.doc_id, r.report_id) for r in members)
    return "ev-" + hashlib.sha1("\x1f".join(first).encode()).hexdigest()[:12]


def build_event(members: list[Report]) -> MergedEvent:
    members = sorted(members, key=report_key)
    groups = independent_groups(members)
    evs = [r.event for r in members]
    # one vote per independent source group for the type, so reprints do not outvote a monitor
    votes: dict[str, str] = {}
    for r in members:
        votes.setdefault(groups[r.doc_id], r.event.get("event_type"))
    event_type = _mode(votes.values(), TYPE_PRIORITY)
    # the representative report: from the most-relayed source (the wire a story spread from), then the earliest
    size = Counter(groups.values())
    ranked = sorted(members, key=lambda r: (-size[groups[r.doc_id]], report_key(r)))
    typed = [r.event for r in ranked if r.event.get("event_type") == event_type] or [r.event for r in ranked]
    # location from the most precise report
    located = [e for e in evs if e.get("latitude") is not None and e.get("longitude") is not None]
    geo_pool = located or evs
    best_prec = min((e.get("geo_precision") or 9) for e in geo_pool)
    precise = [e for e in geo_pool if (e.get("geo_precision") or 9) == best_prec]
    spot = _mode((e.get("location"), e.get("latitude"), e.get("longitude")) for e in precise)
    geo = next((e for e in precise if (e.get("location"), e.get("latitude"), e.get("longitude")) == spot), precise[0])
    # actors: the most reported pair, oriented as its first report has it
    pair = _mode(tuple(sorted(filter(None, (e.get("actor1"), e.get("actor2"))))) or None for e in typed)
    lead = next((e for e in typed if tuple(sorted(filter(None, (e.get("actor1"), e.get("actor2"))))) == pair),
                typed[0])
    assoc1, assoc2 = set(), set()
    for e in evs:  # a report that names the sides the other way round keeps each ally with its side
        swapped = (same_actor(e.get("actor1"), lead.get("actor2")) or same_actor(e.get("actor2"), lead.get("actor1"))) \
            and not same_actor(e.get("actor1"), lead.get("actor1"))
        first, second = ("assoc_actor_2", "assoc_actor_1") if swapped else ("assoc_actor_1", "assoc_actor_2")
        assoc1.update(split_actors(e.get(first)))
        assoc2.update(split_actors(e.get(second)))
    assoc1 = sorted(assoc1 - {lead.get("actor1"), lead.get("actor2")})
    assoc2 = sorted(assoc2 - {lead.get("actor1"), lead.get("actor2")})
    dates = sorted(e.get("event_date") for e in evs if e.get("event_date"))
    figures = provenance_figures(members, groups)
    spread = fatality_spread(figures)
    if spread["fatalities"] is None and any(e.get("fatalities") == 0 for e in evs):
        spread.update(fatalities=0, fatalities_low=0, fatalities_best=0, fatalities_high=0)
    outlets = sorted({r.article.outlet for r in members if r.article.outlet})
    n_sources = len(set(groups.values()))
    claims = sorted({(r.doc_id, c) for r in members for c in (r.event.get("claims") or [])})
    notes = lead.get("notes") or next((e.get("notes") for e in evs if e.get("notes")), None)
    summary = f"{len(members)} report{'s' * (len(members) != 1)} from {n_sources} independent source{'s' * (n_sources != 1)}"
    if spread["contested"]:
        summary += f"; fatality figures contested ({spread['fatalities_low']}-{spread['fatalities_high']})"
    event = {
        "event_id": event_id_for(members),
        "event_date": _mode((e.get("event_date") for e in evs), dates),
        "time_precision": min((e.get("time_precision") for e in evs if e.get("time_precision")), default=None),
        "event_type": event_type,
        "sub_event_type": _mode((e.get("sub_event_type") for e in typed)),
        "actor1": lead.get("actor1"), "assoc_actor_1": "; ".join(assoc1) or None, "inter1": lead.get("inter1"),
        "actor2": lead.get("actor2"), "assoc_actor_2": "; ".join(assoc2) or None, "inter2": lead.get("inter2"),
        "country": geo.get("country") or _mode(e.get("country") for e in evs),
        "iso": geo.get("iso") or _mode(e.get("iso") for e in evs),
        **{k: geo.get(k) for k in ("admin1", "admin2", "location", "latitude", "longitude", "geo_precision")},
        **spread,
        "civilian_targeting": any(bool(e.get("civilian_targeting")) for e in evs),
        "sources": n_sources,
        "reports": len(members),
        "outlets": outlets,
        "doc_ids": sorted({r.doc_id for r in members}),
        "claims": [f"{d}#{c}" for d, c in claims],
        "figures": figures,
        "notes": f"{notes} [{summary}]" if notes else f"[{summary}]",
        "first_published": min((r.article.published for r in members if r.article.published), default=None),
        "last_ingested": max((r.article.ingested_at for r in members if r.article.ingested_at), default=None),
    }
    return MergedEvent(event=event, members=members, groups=groups, claims=claims)


def merge_reports(reports: Iterable[Report]) -> list[MergedEvent]:
    """Every report in exactly one merged event; events in date order."""
    merged = [build_event(c) for c in cluster_reports(reports)]
    merged.sort(key=lambda m: (m.event.get("event_date") or "9999", m.event["event_id"]))
    return merged


def canonical_json(value) -> str:
    """JSON with sorted keys and no whitespace: equal values give equal text (checksums, idempotency)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
