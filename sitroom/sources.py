"""Reading inputs: files, directories, stdin and JSONL lines into `RawDocument`s, or an `InputError` each.

Every problem with one input (missing path, empty directory, binary, empty, bad UTF-8,
bad JSONL line, oversized page) becomes an `InputError` naming that input, yielded
in its place, so the batch goes on.
"""
from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Literal

from .errors import InputError, UnsupportedInput

InputFormat = Literal["html", "text", "jsonl"]

# Pages beyond this are refused, not parsed: real articles are well under 5 MB of HTML,
# and lxml trees of 50 MB pages take gigabytes.
MAX_BYTES = 20_000_000
_SNIFF = 8192
_HTML_SNIFF = re.compile(rb"<\s*(!doctype|html|head|body|p|div|article|span|a|br|h[1-6]|table|meta)\b", re.I)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
# a directory walk picks these up; other files are skipped silently
DOCUMENT_SUFFIXES = (".html", ".htm", ".txt", ".jsonl")


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


def sniff_format(data: bytes, name: str) -> Literal["html", "text", "jsonl"]:
    lower = name.lower()
    if lower.endswith((".jsonl", ".ndjson")):
        return "jsonl"
    if lower.endswith((".html", ".htm", ".xhtml")):
        return "html"
    if lower.endswith((".txt", ".text", ".md")):
        return "text"
    return "html" if _HTML_SNIFF.search(data[:_SNIFF]) else "text"


def decode(data: bytes, source: str) -> str:
    """UTF-8 (with or without BOM); else the charset the page declares; else a clear error."""
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


def check_bytes(data: bytes, source: str) -> None:
    if not data.strip():
        raise InputError(source, "empty input")
    if len(data) > MAX_BYTES:
        raise InputError(source, f"{len(data) / 1e6:.1f} MB, over the {MAX_BYTES / 1e6:.0f} MB limit for one page")
    if b"\x00" in data[:_SNIFF]:
        raise UnsupportedInput(source, "binary file, not HTML or text")


def read_path(path: str) -> tuple[bytes, str]:
    """Bytes of a path or of stdin ('-'); the name used in messages."""
    if path == "-":
        return sys.stdin.buffer.read(), "stdin"
    p = Path(path)
    if p.is_dir():
        raise UnsupportedInput(path, "is a directory; give its files (e.g. dir/*.html)")
    try:
        return p.read_bytes(), path
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except PermissionError:
        raise InputError(path, "permission denied") from None
    except OSError as err:
        raise InputError(path, err.strerror or str(err)) from None


def iter_directory(path: str, suffixes: tuple[str, ...] = DOCUMENT_SUFFIXES) -> Iterator[str]:
    """Files under a directory worth reading, recursively, in a stable order (hidden ones skipped)."""
    root = Path(path)
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).parts
        if any(part.startswith(".") for part in rel) or not p.is_file():
            continue
        if p.name.lower().endswith(suffixes):
            yield str(p)


def directory_files(path: str, suffixes: tuple[str, ...] = DOCUMENT_SUFFIXES) -> list[str]:
    """`iter_directory`'s files; an `InputError` when there are none (an empty input is a mistake)."""
    files = list(iter_directory(path, suffixes))
    if not files:
        raise InputError(path, f"no {', '.join(suffixes)} files in this directory")
    return files


def _jsonl_document(line: str, source: str, default_id: str) -> RawDocument:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as err:
        raise InputError(source, f"not valid JSON ({err.msg} at column {err.colno})") from None
    if not isinstance(obj, dict):
        raise InputError(source, "a JSONL document must be an object with \"text\" or \"html\"")
    doc_id = str(obj.get("id") if obj.get("id") is not None else default_id)
    html, text = obj.get("html"), obj.get("text")
    content, fmt = (html, "html") if isinstance(html, str) and html.strip() else (text, "text")
    if not isinstance(content, str) or not content.strip():
        raise InputError(f"{source} (id {doc_id})", "needs a non-empty \"text\" or \"html\" member")
    published = obj.get("published")
    if published is not None and not (isinstance(published, str) and _DATE.match(published)):
        raise InputError(f"{source} (id {doc_id})", f"\"published\" must be YYYY-MM-DD, got {published!r}")
    if len(content) > MAX_BYTES:
        raise InputError(f"{source} (id {doc_id})", f"{len(content) / 1e6:.1f} MB, over the {MAX_BYTES / 1e6:.0f} MB limit")
    return RawDocument(id=doc_id, source=source, format=fmt, content=content, url=obj.get("url"),
                       published=published[:10] if published else None,
                       title=obj.get("title"), outlet=obj.get("outlet"))


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
                yield from path_documents(file, input_format, published)
        else:
            yield from path_documents(path, input_format, published)


def path_documents(path: str, input_format: InputFormat | None = None,
                   published: str | None = None) -> Iterator[tuple[str, RawDocument | InputError]]:
    """(id, document or error) for one file or stdin ('-'): one document, or one per JSONL line."""
    try:
        data, source = read_path(path)
        fmt = input_format or sniff_format(data, path)
        if fmt != "jsonl":
            check_bytes(data, source)
            content = decode(data, source)
            yield path, RawDocument(id=path, source=source, format=fmt, content=content, published=published)
            return
        if not data.strip():
            raise InputError(source, "empty input")
        text = decode(data, source)
    except InputError as err:
        yield path, err
        return
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        default_id = f"{path}:{n}" if path != "-" else str(n)
        try:
            doc = _jsonl_document(line, f"{source}:{n}", default_id)
            if published and not doc.published:
                doc = RawDocument(**{**{f: getattr(doc, f) for f in doc.__slots__}, "published": published})
            yield doc.id, doc
        except InputError as err:
            yield _id_hint(line, default_id), err


def _id_hint(line: str, default: str) -> str:
    try:
        obj = json.loads(line)
        if isinstance(obj, dict) and obj.get("id") is not None:
            return str(obj["id"])
    except json.JSONDecodeError:
        pass
    return default
