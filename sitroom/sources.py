"""Reading inputs: files, directories, stdin and JSONL lines into `RawDocument`s, or an `InputError` each.

Every problem with one input (missing path, empty directory, binary, empty, bad UTF-8,
bad JSONL line, oversized page) becomes an `InputError` naming that input, yielded
in its place, so the batch goes on.
"""
from __future__ import annotations

import codecs
import email.utils
import io
import json
import math
import os
import re
import stat
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO, Iterator, Literal

from .errors import ConfigError, InputError, UnsupportedInput

InputFormat = Literal["html", "text", "jsonl"]

# Pages beyond this are refused, not parsed: real articles are well under 5 MB of HTML,
# and lxml trees of 50 MB pages take gigabytes.
MAX_BYTES = 20_000_000
# Article text beyond this is refused: news articles are under 50,000 characters, and on a
# sentence repeated to this length the model takes ~10 s and the stages ~6 s of CPU
# (bench/stage_scaling.py); spaCy's own limit is 1,000,000.
MAX_TEXT_CHARS = 200_000
# Wall-clock seconds a document's article layer and stages may take (`--doc-budget`): the
# longest allowed text takes ~10 s on a laptop core, so this leaves room for a busy machine
# and still keeps a 2-core laptop responsive (sitroom.pipeline says what it can interrupt).
DOC_BUDGET_S = 30.0

_SNIFF = 8192
_HTML_SNIFF = re.compile(rb"<\s*(!doctype|html|head|body|p|div|article|span|a|br|h[1-6]|table|meta)\b", re.I)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
# A surrogate left alone in a str (a JSON "\\udcff" escape) cannot be encoded, and spaCy encodes every token
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")
# BOMs that are not UTF-8, longest first (UTF-32-LE's starts with UTF-16-LE's)
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# a directory walk picks these up; other files are skipped silently
DOCUMENT_SUFFIXES = (".html", ".htm", ".txt", ".jsonl")


def check_budget(seconds: float) -> float:
    """A time budget per document that limits something: a positive number of seconds."""
    if not (isinstance(seconds, (int, float)) and math.isfinite(seconds) and seconds > 0):
        raise ConfigError(f"the time budget per document (--doc-budget) must be a positive number of seconds, "
                          f"got {seconds!r}")
    return float(seconds)


@dataclass(frozen=True, slots=True)
class RawDocument:
    """One input document before extraction."""

    id: str
    source: str  # how to name it in messages: path, 'stdin', 'file.jsonl:3'
    format: Literal["html", "text"]
    content: str
    url: str | None = None
    published: str | None = None
    title: str | None = None
    outlet: str | None = None

    def __post_init__(self):
        # every reader (JSONL, feeds, archives) ends here: no lone surrogate gets past it
        for name in ("id", "content", "url", "title", "outlet"):
            value = getattr(self, name)
            if isinstance(value, str) and _SURROGATE.search(value):
                object.__setattr__(self, name, repair_text(value))


def sniff_format(data: bytes, name: str) -> Literal["html", "text", "jsonl"]:
    lower = name.lower()
    if lower.endswith((".jsonl", ".ndjson")):
        return "jsonl"
    if lower.endswith((".html", ".htm", ".xhtml")):
        return "html"
    if lower.endswith((".txt", ".text", ".md")):
        return "text"
    return "html" if _HTML_SNIFF.search(data[:_SNIFF]) else "text"


def repair_text(text: str) -> str:
    """`text` with each lone surrogate replaced by U+FFFD, one character for one, so offsets hold."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def _repair_strings(obj):
    """`obj` (parsed JSON) with `repair_text` applied to every string in it; iterative, for any depth."""
    if isinstance(obj, str):
        return repair_text(obj)
    stack = [obj] if isinstance(obj, (dict, list)) else []
    while stack:
        container = stack.pop()
        for key, value in list(container.items() if isinstance(container, dict) else enumerate(container)):
            if isinstance(value, str):
                container[key] = repair_text(value)
            elif isinstance(value, (dict, list)):
                stack.append(value)
    return obj


def load_json(text: str, source: str):
    """`json.loads`, with every way a JSON text fails as one `InputError` naming `source`; lone surrogates repaired."""
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(source, f"not valid JSON ({err.msg} at column {err.colno})") from None
    except RecursionError:
        raise InputError(source, "JSON nested too deeply to read") from None
    except ValueError:  # Python refuses integers of over 4,300 digits
        raise InputError(source, "a JSON number too long to read (over 4,300 digits)") from None
    return _repair_strings(obj) if _ESCAPED_SURROGATE.search(text) else obj


def bom_encoding(data: bytes) -> str | None:
    """'utf-16' or 'utf-32' when `data` starts with that byte-order mark."""
    return next((enc for bom, enc in _BOMS if data.startswith(bom)), None)


def decode(data: bytes, source: str) -> str:
    """UTF-8 (with or without BOM), UTF-16/32 with a BOM; else the charset the page declares; else a clear error."""
    encoding = bom_encoding(data)
    if encoding:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as err:
            raise InputError(source, f"not valid {encoding.upper()} (at byte {err.start})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        declared = _CHARSET.search(data[:_SNIFF])
        if declared:
            try:
                return data.decode(declared.group(1).decode("ascii"))
            except (LookupError, UnicodeDecodeError):
                pass
        raise InputError(source, f"not valid UTF-8 (byte 0x{data[err.start]:02x} at offset {err.start}); "
                                 "convert it to UTF-8 or declare its charset in a <meta> tag") from None


def check_bytes(data: bytes, source: str, max_bytes: int = MAX_BYTES) -> None:
    if not data.strip():
        raise InputError(source, "empty input")
    if len(data) > max_bytes:
        raise InputError(source, f"{len(data) / 1e6:.1f} MB, over the {max_bytes / 1e6:g} MB limit for one page")
    if b"\x00" in data[:_SNIFF] and not bom_encoding(data):
        raise UnsupportedInput(source, "binary file, not HTML or text")


def open_path(path: str) -> tuple[BinaryIO, str]:
    """A binary stream of a file, a pipe or stdin ('-'), and the name used in messages.

    Devices and sockets are refused before opening (/dev/zero never ends), as are directories.
    """
    if path == "-":
        return sys.stdin.buffer, "stdin"
    try:
        mode = os.stat(path).st_mode
        if stat.S_ISDIR(mode):
            raise UnsupportedInput(path, "is a directory; give its files (e.g. dir/*.html)")
        if not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode)):
            raise UnsupportedInput(path, "not a regular file (a device or socket)")
        return open(path, "rb"), path
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except PermissionError:
        raise InputError(path, "permission denied") from None
    except OSError as err:
        raise InputError(path, err.strerror or str(err)) from None


def read_path(path: str, max_bytes: int = MAX_BYTES) -> tuple[bytes, str]:
    """Bytes of a path or of stdin ('-'), at most `max_bytes` (a larger input is refused unread); its name."""
    stream, source = open_path(path)
    try:
        if path != "-" and stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
            size = os.fstat(stream.fileno()).st_size
            if size > max_bytes:
                raise InputError(source, f"{size / 1e6:.1f} MB, over the {max_bytes / 1e6:g} MB limit for one page")
        data = stream.read(max_bytes + 1)
    except OSError as err:
        raise InputError(source, err.strerror or str(err)) from None
    finally:
        if path != "-":
            stream.close()
    if len(data) > max_bytes:
        raise InputError(source, f"over the {max_bytes / 1e6:g} MB limit for one page")
    return data, source


def iter_lines(stream: BinaryIO, max_bytes: int = MAX_BYTES) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line) of a byte stream split at "\\n" only (a "\\r" before it dropped).

    U+2028, U+0085 and the other characters `str.splitlines` also cuts at are legal inside
    JSON strings, so a JSONL line ends at "\\n" alone.  A line over `max_bytes` is skipped
    without being held in memory and given as None.
    """
    n = 0
    while True:
        line = stream.readline(max_bytes + 2)
        if not line:
            return
        n += 1
        if len(line) == max_bytes + 2 and not line.endswith(b"\n"):
            while True:  # drain the rest of the overlong line
                rest = stream.readline(_SNIFF * 8)
                if not rest or rest.endswith(b"\n"):
                    break
            yield n, None
            continue
        yield n, line[:-1].removesuffix(b"\r") if line.endswith(b"\n") else line


def jsonl_lines(path: str, max_bytes: int = MAX_BYTES) -> Iterator[tuple[str, str, str | InputError]]:
    """(line source 'file.jsonl:3', default id, line text or its error) for each non-blank line of a JSONL input.

    The stream is read line by line: an invalid UTF-8 byte or an overlong line costs that line only.
    An unreadable input is one error.
    """
    try:
        stream, source = open_path(path)
    except InputError as err:
        yield path, path, err
        return
    try:
        yield from stream_jsonl_lines(stream, source, path, max_bytes)
    finally:
        if path != "-":
            stream.close()


def stream_jsonl_lines(stream: BinaryIO, source: str, path: str,
                       max_bytes: int = MAX_BYTES) -> Iterator[tuple[str, str, str | InputError]]:
    """`jsonl_lines` of an open stream; UTF-16/32 input (with a BOM) is decoded whole first."""
    try:
        encoding = bom_encoding(stream.peek(4)[:4] if hasattr(stream, "peek") else b"")
        if encoding:
            data = stream.read(max_bytes + 1)
            if len(data) > max_bytes:
                raise InputError(source, f"a UTF-16/32 JSONL input over {max_bytes / 1e6:g} MB; convert it to UTF-8")
            stream = io.BytesIO(decode(data, source).encode("utf-8"))
        found = False
        for n, raw in iter_lines(stream, max_bytes):
            where = f"{source}:{n}"
            default_id = f"{path}:{n}" if path != "-" else str(n)
            if raw is None:
                found = True
                yield where, default_id, InputError(where, f"a line over the {max_bytes / 1e6:g} MB limit")
                continue
            if n == 1:
                raw = raw.removeprefix(codecs.BOM_UTF8)
            if not raw.strip():
                continue
            found = True
            try:
                yield where, default_id, raw.decode("utf-8")
            except UnicodeDecodeError as err:
                yield where, default_id, InputError(
                    where, f"not valid UTF-8 (byte 0x{raw[err.start]:02x} at column {err.start + 1})")
        if not found:
            yield source, path, InputError(source, "empty input")
    except InputError as err:
        yield source, path, err
    except OSError as err:
        yield source, path, InputError(source, err.strerror or str(err))


def iter_directory(path: str, suffixes: tuple[str, ...] = DOCUMENT_SUFFIXES) -> Iterator[str | InputError]:
    """Files under a directory worth reading, recursively, in a stable order (hidden ones skipped).

    A symlink that leads out of the directory is not followed: it is given as an `InputError`.
    """
    root = Path(path)
    real_root = root.resolve()
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).parts
        if any(part.startswith(".") for part in rel) or not p.name.lower().endswith(suffixes):
            continue
        if p.is_symlink() and not p.resolve().is_relative_to(real_root):
            yield InputError(str(p), "a symlink to outside the directory, not followed")
            continue
        if p.is_file():
            yield str(p)


def directory_files(path: str, suffixes: tuple[str, ...] = DOCUMENT_SUFFIXES) -> list[str | InputError]:
    """`iter_directory`'s files (and refused symlinks); an `InputError` when there are none."""
    files = list(iter_directory(path, suffixes))
    if not any(isinstance(f, str) for f in files):
        raise InputError(path, f"no {', '.join(suffixes)} files in this directory")
    return files


def _text_member(obj: dict, key: str, where: str) -> str | None:
    value = obj.get(key)
    if value is not None and not isinstance(value, str):
        raise InputError(where, f"\"{key}\" must be a string, got {json.dumps(value)[:40]}")
    return value


def parse_published(value: str) -> str | None:
    """YYYY-MM-DD of an ISO 8601 date or datetime ('2024-03-05T10:00:00+02:00') or an RFC 822/2822
    date ('Tue, 05 Mar 2024 10:00:00 GMT'); None when `value` names no real day."""
    value = value.strip()
    if _DATE.match(value):
        try:
            return date.fromisoformat(value[:10]).isoformat()
        except ValueError:
            return None
    try:
        return email.utils.parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _jsonl_document(line: str, source: str, default_id: str) -> RawDocument:
    obj = load_json(line, source)
    if not isinstance(obj, dict):
        raise InputError(source, "a JSONL document must be an object with \"text\" or \"html\"")
    doc_id = obj.get("id") if obj.get("id") is not None else default_id
    if isinstance(doc_id, (dict, list)):
        raise InputError(source, "\"id\" must be a string or a number")
    doc_id = str(doc_id)
    where = f"{source} (id {doc_id})"
    html, text = obj.get("html"), obj.get("text")
    content, fmt = (html, "html") if isinstance(html, str) and html.strip() else (text, "text")
    if not isinstance(content, str) or not content.strip():
        raise InputError(where, "needs a non-empty \"text\" or \"html\" member")
    url, title, outlet = (_text_member(obj, key, where) for key in ("url", "title", "outlet"))
    published = obj.get("published")
    if published is not None:
        day = parse_published(published) if isinstance(published, str) else None
        if day is None:
            raise InputError(where, "\"published\" must be a real date (YYYY-MM-DD, ISO 8601 or RFC 822), "
                                    f"got {json.dumps(published)[:40]}")
        published = day
    if len(content) > MAX_BYTES:
        raise InputError(where, f"{len(content) / 1e6:.1f} MB, over the {MAX_BYTES / 1e6:.0f} MB limit")
    return RawDocument(id=doc_id, source=source, format=fmt, content=content, url=url,
                       published=published, title=title, outlet=outlet)


def iter_documents(paths: list[str], input_format: InputFormat | None = None,
                   published: str | None = None) -> Iterator[tuple[str, RawDocument | InputError]]:
    """(id, document or error) for every input document, in input order; directories give their files."""
    for path in paths or ["-"]:
        if path != "-" and Path(path).is_dir():
            try:
                files = directory_files(path)
            except InputError as err:
                yield path, err
                continue
            for file in files:
                if isinstance(file, InputError):
                    yield file.source, file
                    continue
                yield from path_documents(file, input_format, published)
        else:
            yield from path_documents(path, input_format, published)


def path_documents(path: str, input_format: InputFormat | None = None, published: str | None = None,
                   max_bytes: int = MAX_BYTES) -> Iterator[tuple[str, RawDocument | InputError]]:
    """(id, document or error) for one file or stdin ('-'): one document, or one per JSONL line."""
    if input_format == "jsonl" or (input_format is None and sniff_format(b"", path) == "jsonl"):
        yield from _jsonl_documents(path, published, max_bytes)
        return
    try:
        data, source = read_path(path, max_bytes)
        fmt = input_format or sniff_format(data, path)
        check_bytes(data, source, max_bytes)
        content = decode(data, source)
        yield path, RawDocument(id=path, source=source, format=fmt, content=content, published=published)
    except InputError as err:
        yield path, err


def _jsonl_documents(path: str, published: str | None, max_bytes: int) -> Iterator[tuple[str, RawDocument | InputError]]:
    for where, default_id, line in jsonl_lines(path, max_bytes):
        if isinstance(line, InputError):
            yield default_id, line
            continue
        try:
            doc = _jsonl_document(line, where, default_id)
            if published and not doc.published:
                doc = RawDocument(**{**{f: getattr(doc, f) for f in doc.__slots__}, "published": published})
            yield doc.id, doc
        except InputError as err:
            yield _id_hint(line, default_id), err


def _id_hint(line: str, default: str) -> str:
    try:
        obj = load_json(line, "")
    except InputError:
        return default
    if isinstance(obj, dict) and isinstance(obj.get("id"), (str, int, float)):
        return str(obj["id"])
    return default
