"""POST /api/ingest: the same rules as `sitroom ingest`, for JSONL documents or URLs sent over HTTP.

The body is JSONL documents (`{"id", "text"|"html", "published"?, "url"?, "title"?, "outlet"?}`
per line), or a JSON object `{"urls": [...], "documents": [...]}`.  Documents are written to
a temporary JSONL file and read by `sitroom.inputs.iter_inputs`, so every check and every
error message is the command line's; URLs are fetched under the default `FetchPolicy` (no
private or loopback addresses).  A document without an id gets one from its content, so
posting it again is a no-op.  Writes hold the backend's write lock: one ingest at a time,
while readers go on.
"""
from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

MAX_BODY = 50_000_000


class IngestRequestError(ValueError):
    pass


def parse_body(body: bytes, content_type: str) -> tuple[list[str], list[str]]:
    """(JSONL lines, URLs) from a request body."""
    if not body.strip():
        raise IngestRequestError("empty request body: send JSONL documents or {\"urls\": [...]}")
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise IngestRequestError(f"the body is not valid UTF-8 (byte 0x{body[err.start]:02x} at offset {err.start})") \
            from None
    media = content_type.split(";", 1)[0].strip().lower()
    if media == "application/json":
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as err:
            raise IngestRequestError(f"not valid JSON ({err.msg} at line {err.lineno})") from None
        if isinstance(obj, list):
            obj = {"documents": obj}
        if not isinstance(obj, dict) or not set(obj) & {"urls", "documents"}:
            raise IngestRequestError('a JSON body must be {"urls": [...], "documents": [...]} or a list of documents')
        urls, docs = obj.get("urls") or [], obj.get("documents") or []
        if not isinstance(urls, list) or not all(isinstance(u, str) for u in urls):
            raise IngestRequestError('"urls" must be a list of strings')
        if not isinstance(docs, list):
            raise IngestRequestError('"documents" must be a list of objects')
        return [json.dumps(_with_id(d, json.dumps(d, sort_keys=True)), ensure_ascii=False) for d in docs], urls
    lines = []
    for line in text.replace("\r\n", "\n").split("\n"):  # JSONL ends lines at \n only (U+2028 is text)
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            lines.append(line)  # iter_inputs reports it with its line number
            continue
        lines.append(json.dumps(_with_id(obj, line), ensure_ascii=False))
    return lines, []


def _with_id(obj, raw: str):
    if isinstance(obj, dict) and obj.get("id") is None:
        return {**obj, "id": "api:" + hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]}
    return obj


def run_ingest(backend, documents: list[str], urls: list[str]) -> dict:
    """Ingest under the write lock; the run's counts and error lines (naming the body's line as `request:N`)."""
    from ..inputs import iter_inputs
    from ..pipeline import load_pipeline
    from ..store.ingest import ingest

    with tempfile.TemporaryDirectory(prefix="sitroom-ingest-") as tmp:
        specs = list(urls)
        path = Path(tmp) / "request.jsonl"
        if documents:
            path.write_text("\n".join(documents) + "\n", encoding="utf-8")
            specs.insert(0, str(path))
        nlp = load_pipeline()
        with backend.write_lock, backend.writer() as store:
            stats = ingest(store, iter_inputs(specs, "jsonl"), nlp=nlp)
    return {"new": stats.new, "updated": stats.updated, "unchanged": stats.unchanged, "duplicate": stats.duplicate,
            "failed": stats.failed, "events": stats.events,
            "errors": [e.replace(str(path), "request") for e in stats.errors], "summary": stats.summary()}
