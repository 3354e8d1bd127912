"""The one place that reads sitroom's packaged data files, one validating loader per format.

Domain knowledge (actor names, place tables, cue lists, rule tables) lives in
`sitroom/data/` as TOML, TSV, JSON or plain line lists. Every loader here names the
file and the line when something is wrong, as a `DataFileError`, so a broken edit
to a table says where it is once, instead of failing every document.
"""
from __future__ import annotations

import csv
import json
import re
import tomllib
from pathlib import Path
from typing import Any, Iterator, NamedTuple

from .errors import DataFileError

DATA_DIR = Path(__file__).resolve().parent / "data"


def data_path(*parts: str) -> Path:
    """A packaged data file: `data_path("actors", "named.toml")`."""
    return DATA_DIR.joinpath(*parts)


def _path(path: str | Path) -> Path:
    return path if isinstance(path, Path) else data_path(*Path(path).parts)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataFileError(str(path), "missing") from None
    except UnicodeDecodeError as err:
        line = path.read_bytes()[: err.start].count(b"\n") + 1
        raise DataFileError(str(path), f"not UTF-8 ({err.reason})", line) from None


_TOML_LINE = re.compile(r"\(at line (\d+), column \d+\)")


def read_toml(path: str | Path) -> dict[str, Any]:
    """A TOML table; a syntax error names its line."""
    p = _path(path)
    try:
        return tomllib.loads(_read_text(p))
    except tomllib.TOMLDecodeError as err:
        m = _TOML_LINE.search(str(err))
        raise DataFileError(str(p), _TOML_LINE.sub("", str(err)).strip(), int(m.group(1)) if m else None) from None


def read_json(path: str | Path) -> Any:
    p = _path(path)
    try:
        return json.loads(_read_text(p))
    except json.JSONDecodeError as err:
        raise DataFileError(str(p), f"not valid JSON ({err.msg})", err.lineno) from None


class Row(NamedTuple):
    """One data row with the line it came from, for messages about it."""
    line: int
    cells: list[str]


def read_tsv(path: str | Path, *, min_columns: int = 1, max_columns: int | None = None) -> Iterator[Row]:
    """Tab-separated rows, stripped; blank lines and `#` comments skipped; column counts checked."""
    p = _path(path)
    text = _read_text(p)
    for line_no, row in enumerate(csv.reader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE), 1):
        if not row or row[0].startswith("#") or not any(c.strip() for c in row):
            continue
        cells = [c.strip() for c in row]
        if len(cells) < min_columns:
            raise DataFileError(str(p), f"{len(cells)} columns, at least {min_columns} expected", line_no)
        if max_columns is not None and len(cells) > max_columns:
            raise DataFileError(str(p), f"{len(cells)} columns, at most {max_columns} expected", line_no)
        yield Row(line_no, cells)


def read_lines(path: str | Path) -> Iterator[Row]:
    """Non-blank lines that are not `#` comments, with their line numbers (cells = [line])."""
    p = _path(path)
    for line_no, raw in enumerate(_read_text(p).splitlines(), 1):
        line = raw.strip()
        if line and not line.startswith("#"):
            yield Row(line_no, [line])


def check(condition: bool, path: str | Path, problem: str, line: int | None = None) -> None:
    """Raise `DataFileError` unless `condition`: the schema checks of every loader."""
    if not condition:
        raise DataFileError(str(_path(path)), problem, line)
