"""Checks for the actor data files: each table of a TOML file as an `Entry` that knows its line.

Every check failure is a `DataFileError` naming the file, the line of the entry's table
header and the entry ("roles.air: inter 'Looters' is not an ACLED inter type"), so a typo
in a data file is reported once, where it is.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from ..acled import INTER_TYPES
from ..datafiles import check, read_lines, read_toml


@dataclass(frozen=True)
class Entry:
    """One table of a data file, with the checks its loader applies to its fields."""
    path: Path
    where: str              # "roles.military", "actor 'Hezbollah'": the entry, for messages
    line: int | None        # the line of its table header (None: top-level keys)
    raw: dict[str, Any]

    def check(self, condition: bool, problem: str) -> None:
        check(condition, self.path, f"{self.where}: {problem}", self.line)

    def text(self, field: str, optional: bool = False) -> str | None:
        """A non-empty string field (None where `optional` and left out)."""
        value = self.raw.get(field)
        self.check(value is None and optional or isinstance(value, str) and bool(value.strip()),
                   f"{field} must be a non-empty text")
        return value

    def strings(self, field: str) -> tuple[str, ...]:
        """A list of non-empty strings (empty where left out)."""
        value = self.raw.get(field, [])
        self.check(isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value),
                   f"{field}: expected a list of non-empty strings")
        return tuple(value)

    def flag(self, field: str) -> bool:
        value = self.raw.get(field, False)
        self.check(isinstance(value, bool), f"{field} must be true or false")
        return value

    def inter(self, field: str = "inter") -> str:
        value = self.raw.get(field)
        self.check(value in INTER_TYPES, f"{field} {value!r} is not an ACLED inter type")
        return value


def _headers(path: Path) -> dict[str, list[int]]:
    """Line numbers of each table header ("[roles.air]", every "[[actor]]")."""
    lines: dict[str, list[int]] = {}
    for row in read_lines(path):
        if row.cells[0].startswith("["):
            lines.setdefault(row.cells[0].split("#")[0].strip(), []).append(row.line)
    return lines


def _entry(path: Path, where: str, line: int | None, raw: Any, keys: set[str]) -> Entry:
    check(isinstance(raw, dict), path, f"{where}: expected a table", line)
    entry = Entry(path, where, line, raw)
    unknown = sorted(set(raw) - keys)  # a typo like `adjectivs` would be silently ignored
    entry.check(not unknown, f"unknown key(s) {', '.join(unknown)}")
    return entry


def top_level(path: Path, keys: set[str]) -> Entry:
    """The file's top-level table (its keys before the first header, and its tables by name)."""
    return _entry(path, path.name, None, read_toml(path), keys)


def named_tables(path: Path, table: str, keys: set[str]) -> Iterator[tuple[str, Entry]]:
    """(name, entry) of each `[table.<name>]`, in file order."""
    found = read_toml(path).get(table)
    check(isinstance(found, dict) and found, path, f"expected [{table}.<name>] tables")
    headers = _headers(path)
    for name, raw in found.items():
        yield name, _entry(path, f"{table}.{name}", headers.get(f"[{table}.{name}]", [None])[0], raw, keys)


def array_tables(path: Path, table: str, keys: set[str], label: str = "name") -> Iterator[Entry]:
    """Each `[[table]]`, in file order, named in messages by its `label` field."""
    found = read_toml(path).get(table)
    check(isinstance(found, list) and found, path, f"expected [[{table}]] tables")
    lines = _headers(path).get(f"[[{table}]]", [])
    for i, raw in enumerate(found):
        name = raw.get(label, i + 1) if isinstance(raw, dict) else i + 1
        yield _entry(path, f"{table} {name!r}", lines[i] if i < len(lines) else None, raw, keys)
