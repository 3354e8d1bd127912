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
from pathlib import Path
from typing import NamedTuple

from .datafiles import check, data_path, read_toml

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


def _strings(value, path: Path, what: str, line: int | None) -> tuple[str, ...]:
    check(isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value),
          path, f"{what}: a list of non-empty strings expected", line)
    return tuple(value)


def load_wire(path: str | Path = WIRE_FILE) -> Wire:
    """A wire table, validated: every agency a unique key and some credits, every host once.

    A problem names the file and the line of the agency's `[[agency]]` header.
    """
    path = path if isinstance(path, Path) else data_path(*Path(path).parts)
    rows = read_toml(path).get("agency")
    check(isinstance(rows, list) and bool(rows), path, "no [[agency]] tables")
    headers = [i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
               if line.strip() == "[[agency]]"]
    agencies: dict[str, tuple[str, ...]] = {}
    hosts: dict[str, str] = {}
    for row, line in zip(rows, headers + [None] * (len(rows) - len(headers))):
        check(isinstance(row, dict), path, "each agency must be an [[agency]] table", line)
        key = row.get("key")
        check(isinstance(key, str) and bool(key) and key not in agencies, path,
              f"agency key {key!r}: a unique non-empty string expected", line)
        unknown = sorted(set(row) - {"key", "credits", "hosts"})
        check(not unknown, path, f"agency {key!r}: unknown key(s) {', '.join(unknown)}", line)
        agencies[key] = _strings(row.get("credits"), path, f"agency {key!r} credits", line)
        check(bool(agencies[key]), path, f"agency {key!r}: no credits", line)
        for name in agencies[key]:
            other = next((k for k, names in agencies.items() if k != key
                          and name.casefold() in (n.casefold() for n in names)), None)
            check(other is None, path, f"credit {name!r} of agency {key!r} is also {other!r}'s", line)
        for host in _strings(row.get("hosts", []), path, f"agency {key!r} hosts", line):
            check(host.lower() not in hosts, path, f"host {host!r} listed twice", line)
            hosts[host.lower()] = key
    credits = [name for names in agencies.values() for name in names]
    alt = "|".join(sorted((re.escape(n) for n in credits), key=len, reverse=True))
    return Wire(agencies=agencies, hosts=hosts,
                by_credit={name.casefold(): key for key, names in agencies.items() for name in names},
                dateline=re.compile(rf"\((?P<agency>{alt})\)\s*[-–—:]"),
                credit_end=re.compile(
                    rf"(?:[-–—/]\s*|\(|(?:Source|Credit|Via)\s*:\s*)(?P<agency>{alt})\)?\s*\.?\s*$"))


@functools.cache
def wire() -> Wire:
    """The packaged wire table (`data/outlets/wire.toml`), loaded once."""
    return load_wire()


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
