"""Facts about news outlets: which names and hosts are wire agencies, and how a story credits one.

Whether two articles are independent sources depends on who wrote them, and a reprint
of a wire story is the wire's story whatever site it is on. The agencies live in
`data/outlets/wire.toml`; this module loads that table once and answers the two
questions the rest of the package asks: is this host an agency's own site, and does
this text carry an agency's credit line.
"""
from __future__ import annotations

import functools
import re
from typing import NamedTuple

from .datafiles import check, read_toml

WIRE_FILE = "outlets/wire.toml"
DATELINE_WINDOW = 400  # characters at the start of a story where a dateline credit sits
CREDIT_WINDOW = 300  # characters at the end where a credit line sits
# Reuters' sign-off: "Reporting by A in B; Editing by C"
REUTERS_SIGNOFF = re.compile(r"\bReporting by [^\n]{2,200}?\b(?:Editing|Writing) by\b")


class Wire(NamedTuple):
    """The wire agencies as loaded: their credits, their hosts and the patterns built from them."""

    agencies: dict[str, tuple[str, ...]]  # key -> how the agency is credited in text
    hosts: dict[str, str]  # the agencies' own sites -> key
    by_credit: dict[str, str]  # casefolded credit -> key
    dateline: re.Pattern  # "DAMASCUS (Reuters) -", "KYIV, Ukraine (AP) —", "(AFP) -" near the top
    credit_end: re.Pattern  # "— Reuters", "(AFP)", "Source: Reuters", "/AFP" at the end


def _strings(value, path: str, what: str) -> tuple[str, ...]:
    check(isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value),
          path, f"{what}: a list of non-empty strings expected")
    return tuple(value)


@functools.cache
def wire() -> Wire:
    """The wire table, validated: every agency a unique key and at least one credit, every host once."""
    table = read_toml(WIRE_FILE)
    rows = table.get("agency")
    check(isinstance(rows, list) and bool(rows), WIRE_FILE, "no [[agency]] tables")
    agencies: dict[str, tuple[str, ...]] = {}
    hosts: dict[str, str] = {}
    for row in rows:
        key = row.get("key")
        check(isinstance(key, str) and bool(key) and key not in agencies, WIRE_FILE,
              f"agency key {key!r}: a unique non-empty string expected")
        check(set(row) <= {"key", "credits", "hosts"}, WIRE_FILE, f"agency {key!r}: unknown fields "
              f"{sorted(set(row) - {'key', 'credits', 'hosts'})}")
        agencies[key] = _strings(row.get("credits"), WIRE_FILE, f"agency {key!r} credits")
        check(bool(agencies[key]), WIRE_FILE, f"agency {key!r}: no credits")
        for host in _strings(row.get("hosts", []), WIRE_FILE, f"agency {key!r} hosts"):
            check(host.lower() not in hosts, WIRE_FILE, f"host {host!r} listed twice")
            hosts[host.lower()] = key
    credits = [name for names in agencies.values() for name in names]
    alt = "|".join(sorted((re.escape(n) for n in credits), key=len, reverse=True))
    return Wire(agencies=agencies, hosts=hosts,
                by_credit={name.casefold(): key for key, names in agencies.items() for name in names},
                dateline=re.compile(rf"\((?P<agency>{alt})\)\s*[-–—:]"),
                credit_end=re.compile(
                    rf"(?:[-–—/]\s*|\(|(?:Source|Credit|Via)\s*:\s*)(?P<agency>{alt})\)?\s*\.?\s*$"))


def wire_of_host(outlet: str | None) -> str | None:
    """The agency whose own site `outlet` (a host name) is, or None."""
    host = (outlet or "").lower()
    for suffix, key in wire().hosts.items():
        if host == suffix or host.endswith("." + suffix):
            return key
    return None


def credited_wire(text: str | None) -> str | None:
    """The agency a story's text credits: a dateline credit, a closing credit line, Reuters' sign-off."""
    if not text:
        return None
    w = wire()
    head, tail = text[:DATELINE_WINDOW], text[-CREDIT_WINDOW:].rstrip()
    for match in (w.dateline.search(head), w.credit_end.search(tail)):
        if match:
            return w.by_credit.get(match.group("agency").casefold())
    if REUTERS_SIGNOFF.search(tail):
        return "reuters"
    return None
