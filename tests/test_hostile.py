"""Hostile inputs: one bad document is one clear error line, and every other document is extracted or stored.

Each input here once stopped a whole batch (a traceback, every later document lost), split a
document in two, or was stored broken.  The inputs are generated in the tests themselves.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from sitroom.errors import InputError
from sitroom.sources import MAX_TEXT_CHARS, RawDocument, iter_documents, read_path
from sitroom.store import open_store
from test_fetch import _warc

KANO = "Gunmen killed five people in a village near Kano on Monday, police said."


def _docs(items):
    return [(doc_id, type(d).__name__, str(d) if isinstance(d, InputError) else d) for doc_id, d in items]


def _jsonl(tmp_path: Path, lines: list[str | bytes], name: str = "in.jsonl") -> Path:
    path = tmp_path / name
    path.write_bytes(b"\n".join(line if isinstance(line, bytes) else line.encode("utf-8") for line in lines) + b"\n")
    return path


# ---------------------------------------------------------------- batch killers: one line, one error


def test_hostile_jsonl_lines_cost_only_themselves(tmp_path):
    path = _jsonl(tmp_path, [
        '{"id": "deep", "text": ' + "[" * 100_000 + "]" * 100_000 + "}",
        '{"id": "bigint", "text": "x", "n": ' + "9" * 5000 + "}",
        b'{"id": "latin1", "text": "caf\xe9"}',
        json.dumps({"id": "title", "text": KANO, "title": 5}),
        json.dumps({"id": "ok", "text": KANO}),
    ])
    items = _docs(iter_documents([str(path)]))
    assert [kind for _, kind, _ in items] == ["InputError"] * 4 + ["RawDocument"]
    assert items[0][2] == f"{path}:1: JSON nested too deeply to read"
    assert items[1][2] == f"{path}:2: a JSON number too long to read (over 4,300 digits)"
    assert items[2][2] == f"{path}:3: not valid UTF-8 (byte 0xe9 at column 30)"
    assert items[3][2] == f'{path}:4 (id title): "title" must be a string, got 5'
    assert items[4][0] == "ok"


def test_hostile_lone_surrogate_is_repaired_and_the_batch_goes_on(tmp_path, nlp):
    from sitroom.pipeline import process
    path = _jsonl(tmp_path, ['{"id": "s", "text": "Gunmen \\udcff killed five people near Kano.", "title": "\\ud800"}',
                             json.dumps({"id": "ok", "text": KANO})])
    results = list(process(iter_documents([str(path)]), nlp))
    assert [(r.id, r.error) for r in results] == [("s", None), ("ok", None)]
    assert results[0].article.text == "Gunmen \ufffd killed five people near Kano." and results[0].article.title == "\ufffd"


def test_hostile_text_over_the_limit_is_refused_by_name(tmp_path, nlp):
    from sitroom.pipeline import process
    path = _jsonl(tmp_path, [json.dumps({"id": "huge", "text": "word " * (MAX_TEXT_CHARS // 5 + 1)}),
                             json.dumps({"id": "ok", "text": KANO})])
    results = list(process(iter_documents([str(path)]), nlp))
    assert results[0].error == (f"{path}:1: article text of {MAX_TEXT_CHARS + 5:,} characters, over the "
                                f"{MAX_TEXT_CHARS:,}-character limit for one document; split it")
    assert results[1].error is None and results[1].events


# ---------------------------------------------------------------- JSONL lines end at "\n" only


def test_hostile_jsonl_splits_at_newline_only(tmp_path):
    odd = "\u2028\u2029\u0085\u000b\u000c\u001c\u001d\u001e"
    path = _jsonl(tmp_path, [json.dumps({"text": f"one{odd}two"}, ensure_ascii=False),
                             json.dumps({"text": KANO}) + "\r", "", json.dumps({"text": "three"})])
    items = list(iter_documents([str(path)]))
    assert [doc_id for doc_id, _ in items] == [f"{path}:1", f"{path}:2", f"{path}:4"]
    assert items[0][1].content == f"one{odd}two" and items[1][1].content == KANO


def test_hostile_extract_jsonl_round_trips_line_separators(invoke, tmp_path):
    src = _jsonl(tmp_path, [json.dumps({"id": "a", "text": f"{KANO}\u2028Police\u0085said so."}, ensure_ascii=False),
                            json.dumps({"id": "b", "text": KANO})])
    out = invoke("extract", str(src), "--format", "jsonl")
    assert out.exit_code == 0 and "\u2028" not in out.stdout and "\\u2028" in out.stdout
    assert len(out.stdout.splitlines()) == 2
    results = tmp_path / "results.jsonl"
    results.write_text(out.stdout, encoding="utf-8")
    db = str(tmp_path / "r.duckdb")
    stored = invoke("ingest", str(results), "--input-format", "results", "--db", db)
    assert stored.exit_code == 0 and "2 new" in stored.stderr
    with open_store(db) as s:
        assert {a["doc_id"]: a["text"] for a in s.articles(with_text=True)}["a"] == f"{KANO}\u2028Police\u0085said so."


# ---------------------------------------------------------------- dates and numbers


@pytest.mark.parametrize("value,day", [("2024-02-29", "2024-02-29"), ("2024-03-05T23:10:00-05:00", "2024-03-05"),
                                       ("Tue, 05 Mar 2024 10:00:00 GMT", "2024-03-05"),
                                       ("2024-02-30", None), ("0000-00-00", None), ("2024-13-45", None),
                                       ("yesterday", None)])
def test_hostile_published_is_a_real_date(tmp_path, value, day):
    path = _jsonl(tmp_path, [json.dumps({"id": "p", "text": KANO, "published": value})])
    (_, item), = iter_documents([str(path)])
    if day:
        assert item.published == day
    else:
        assert isinstance(item, InputError) and "\"published\" must be a real date" in str(item)


def test_hostile_numbers_too_big_for_a_head_count():
    from sitroom.figures import find_figures
    from sitroom.numbers import parse_number, read_count
    assert read_count(["1" + ",000" * 300, "people"], 0) is None
    assert read_count(["99999999999999999999"], 0) is None
    assert read_count(["1,200"], 0) == (1200, 1, False, True)
    assert parse_number("1" + ",000" * 300) is None
    assert find_figures("Gunmen killed 99999999999999999999 people and 1" + ",000" * 300 + " more.") == []


def test_hostile_one_unstorable_article_is_its_own_error_and_the_merge_runs(invoke, tmp_path):
    from test_merge import cluster_results
    good = [r.to_json_dict() for r in cluster_results()][:2]
    bad = json.loads(json.dumps(good[0]))
    bad["id"], bad["events"][0]["fatalities"] = "toll", 2 ** 70  # no 64-bit integer holds it
    path = _jsonl(tmp_path, [json.dumps(bad)] + [json.dumps(g) for g in good], "results.jsonl")
    db = str(tmp_path / "t.duckdb")
    out = invoke("ingest", str(path), "--input-format", "results", "--db", db)
    assert out.exit_code == 1 and "sitroom: error: toll: not stored:" in out.stderr
    assert "2 new" in out.stderr and "1 failed" in out.stderr and "merged events" in out.stderr
    with open_store(db) as s:
        assert sorted(a["doc_id"] for a in s.articles()) == sorted(g["id"] for g in good)


# ---------------------------------------------------------------- archives and files


def test_hostile_damaged_warcs_are_per_file_errors_and_the_directory_goes_on(invoke, tmp_path):
    corpus = tmp_path / "crawl"
    corpus.mkdir()
    _warc(corpus / "good.warc")
    whole = (corpus / "good.warc").read_bytes()
    (corpus / "header.warc").write_bytes(whole[:30])
    (corpus / "garbage.warc.gz").write_bytes(b"\x1f\x8b\x08\x00" + b"garbage" * 40)
    first = whole.index(b"WARC/1.", 10)  # the second record starts here: cut the first inside its body
    (corpus / "cut.warc").write_bytes(whole[:first - 200])
    db = str(tmp_path / "w.duckdb")
    out = invoke("ingest", str(corpus), "--db", db)
    assert f"{corpus / 'header.warc'}: damaged WARC archive" in out.stderr
    assert f"{corpus / 'garbage.warc.gz'}: not a readable WARC archive" in out.stderr
    assert f"{corpus / 'cut.warc'}: https://news.example/a#top: record cut short" in out.stderr
    assert "2 new" in out.stderr and "Traceback" not in out.stderr
    with open_store(db) as s:
        assert sorted(a["doc_id"] for a in s.articles()) == ["https://news.example/a", "https://news.example/b"]


def test_hostile_files_are_read_with_the_cap_and_devices_refused(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text(KANO * 10)
    with pytest.raises(InputError, match="over the 0.0001 MB limit"):
        read_path(str(big), max_bytes=100)
    if os.path.exists("/dev/zero"):
        (_, err), = iter_documents(["/dev/zero"])
        assert str(err) == "/dev/zero: not a regular file (a device or socket)"


def test_hostile_ingest_max_bytes_holds_for_local_files(invoke, tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(KANO * 10)
    out = invoke("ingest", str(page), "--max-bytes", "100", "--db", str(tmp_path / "m.duckdb"))
    assert out.exit_code == 1 and "over the 0.0001 MB limit" in out.stderr


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="symlinks")
def test_hostile_symlink_out_of_the_directory_is_not_followed(tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("not for ingesting")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(KANO)
    (corpus / "inside.txt").symlink_to(corpus / "a.txt")
    (corpus / "leak.txt").symlink_to(outside)
    items = _docs(iter_documents([str(corpus)]))
    assert [(Path(i).name, kind) for i, kind, _ in items] == [("a.txt", "RawDocument"), ("inside.txt", "RawDocument"),
                                                              ("leak.txt", "InputError")]
    assert items[2][2].endswith("leak.txt: a symlink to outside the directory, not followed")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "utf-16-be"])
def test_hostile_utf16_and_utf32_with_a_bom_are_decoded(tmp_path, encoding):
    path = tmp_path / "page.txt"
    bom = {"utf-16-be": b"\xfe\xff"}.get(encoding, b"")
    path.write_bytes(bom + f"{KANO} Déjà vu.".encode(encoding))
    jsonl = tmp_path / "docs.jsonl"
    jsonl.write_bytes(bom + (json.dumps({"id": "j", "text": KANO}) + "\n").encode(encoding))
    (_, doc), (_, line) = iter_documents([str(path), str(jsonl)])
    assert isinstance(doc, RawDocument) and doc.content == f"{KANO} Déjà vu."
    assert isinstance(line, RawDocument) and line.id == "j"


def test_hostile_deeply_nested_html_still_gives_its_text():
    from sitroom.article import from_html
    html = ("<html><body>" + "<div>" * 300 + f"<p>{KANO}</p><script>var x = 1;</script><p>Residents fled.</p>"
            + "</div>" * 300 + "</body></html>")
    assert from_html(html, source="deep.html").text == f"{KANO}\nResidents fled."


# ---------------------------------------------------------------- bounded work


def test_hostile_clause_context_reads_back_from_the_cue_and_says_the_same():
    """The events stage's clause window reads back from the cue (linear in a sentence's length)
    and gives what scanning the whole text before the cue gave."""
    import random

    from sitroom.stages.events.cues import CLAUSE_BREAK_RE, _clause_before

    def whole_scan(text: str, pos: int, n: int) -> str:
        left = text[:pos]
        breaks = list(CLAUSE_BREAK_RE.finditer(left))
        return " ".join((left[breaks[-1].end():] if breaks else left).split()[-n:])

    rng = random.Random(7)
    pieces = ["but", "butter", "while", "awhile", ",", ", ", ", and", ",\n  when", "as", " ", "   ", "\n", ".",
              "(", ")", "attack", "no", "x" * 300, " " * 400]
    for _ in range(300):
        text = "".join(rng.choice(pieces) + rng.choice(["", " "]) for _ in range(rng.randrange(1, 60)))
        for pos in rng.sample(range(len(text) + 1), min(4, len(text) + 1)):
            for n in (5, 8):
                assert _clause_before(text, pos, n) == whole_scan(text, pos, n), (text, pos, n)


@pytest.mark.parametrize("option,value,message", [
    ("--timeout", "-1", "the fetch timeout (--timeout) must be a positive number of seconds, got -1.0"),
    ("--timeout", "nan", "the fetch timeout (--timeout) must be a positive number of seconds, got nan"),
    ("--max-bytes", "0", "the largest page (--max-bytes) must be a positive number of bytes, got 0"),
    ("--max-redirects", "-2", "the number of redirects (--max-redirects) cannot be negative, got -2")])
def test_hostile_fetch_limits_that_limit_nothing_are_one_line(invoke, tmp_path, option, value, message):
    page = tmp_path / "page.txt"
    page.write_text(KANO)
    out = invoke("ingest", str(page), option, value, "--db", str(tmp_path / "o.duckdb"))
    assert out.exit_code == 1 and out.stderr == f"sitroom: error: {message}\n"


def test_hostile_feed_with_a_surrogate_character_reference_is_its_own_error(tmp_path):
    from sitroom.inputs import iter_inputs
    feed = tmp_path / "wire.rss"
    feed.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>a &#xD800; b'
                    "</title><link>https://x.example/a</link><description>Gunmen killed five.</description></item>"
                    "</channel></rss>")
    page = tmp_path / "page.txt"
    page.write_text(KANO)
    items = _docs(iter_inputs([str(feed), str(page)]))
    assert [kind for _, kind, _ in items] == ["InputError", "RawDocument"]
    assert items[0][2] == f"{feed}: a feed that cannot be read (surrogates not allowed)"


def test_hostile_span_index_says_what_a_scan_says():
    import random

    from sitroom.spans import SpanIndex, holds
    rng = random.Random(11)
    for _ in range(300):
        spans = [(a, a + rng.randrange(0, 30)) for a in (rng.randrange(0, 200) for _ in range(rng.randrange(0, 12)))]
        index = SpanIndex(spans)
        assert list(index) == spans  # the order given is kept (the first span is an event's anchor)
        for _ in range(20):
            s = rng.randrange(-5, 240)
            e = s + rng.randrange(0, 20)
            assert holds(index, s, e) == holds(spans, s, e) == any(a <= s and e <= b for a, b in spans)


def test_hostile_by_start_says_what_a_scan_says():
    import random

    from sitroom.spans import ByStart
    rng = random.Random(12)
    for _ in range(300):
        items = [(a, a + rng.randrange(1, 30)) for a in (rng.randrange(0, 200) for _ in range(rng.randrange(0, 12)))]
        index = ByStart(items, lambda m: m)
        for _ in range(10):
            spans = [(s, s + rng.randrange(0, 40)) for s in (rng.randrange(-5, 240) for _ in range(rng.randrange(1, 4)))]
            s, e = spans[0]
            assert index.within(s, e) == [m for m in items if s <= m[0] and m[1] <= e]
            assert index.starting(s, e) == [m for m in items if s <= m[0] < e]
            assert index.overlapping(s, e) == [m for m in items if m[0] < e and s < m[1]]
            assert index.starting_in(spans) == [m for m in items if any(a <= m[0] < b for a, b in spans)]
            assert index.overlapping_any(spans) == [m for m in items if any(m[0] < b and a < m[1] for a, b in spans)]


def test_serve_ingest_body_splits_jsonl_at_newline_only():
    pytest.importorskip("fastapi")
    from sitroom.serve.ingest import parse_body
    body = ('{"id": "a", "text": "Protesters marched\u2028in Nairobi on Monday."}\n'
            '{"id": "b", "text": "Police fired tear gas\u0085in Kisumu."}\n').encode()
    lines, urls = parse_body(body, "application/x-ndjson")
    assert urls == [] and [json.loads(x)["id"] for x in lines] == ["a", "b"]


def test_hostile_long_runs_without_whitespace_are_tokenized_in_pieces(nlp):
    """spaCy's tokenizer is quadratic in a run of punctuation ('((((…'); sitroom tokenizes such a run
    in pieces, keeps every character, and tokenizes ordinary text exactly as spaCy does."""
    from sitroom.pipeline import LONG_RUN_CHARS, RUN_PIECE_CHARS, RunSafeTokenizer
    assert isinstance(nlp.tokenizer, RunSafeTokenizer)
    plain = f"{KANO}  A URL: https://example.org/{'a' * 200}?q=1 (said\u2028he).\n\nEnd."
    assert [t.text for t in nlp.tokenizer(plain)] == [t.text for t in nlp.tokenizer.tokenizer(plain)]
    hostile = f"{KANO} " + "((" * LONG_RUN_CHARS + f" {KANO}\n" + ",," * LONG_RUN_CHARS
    doc = nlp.tokenizer(hostile)
    assert doc.text == hostile
    assert max(len(t.text) for t in doc) <= RUN_PIECE_CHARS
    [res] = list(process_texts(nlp, [hostile]))
    assert res.error is None and res.article.text.startswith(KANO)


def process_texts(nlp, texts):
    from sitroom.pipeline import process
    return process([(f"t{i}", RawDocument(id=f"t{i}", source=f"t{i}", format="text", content=t))
                    for i, t in enumerate(texts)], nlp=nlp)


def test_hostile_html_page_of_megabytes_is_its_own_error(tmp_path, nlp):
    """A page whose text is over spaCy's 1,000,000-character limit (E088 once stopped the batch)."""
    from sitroom.pipeline import process
    page = tmp_path / "huge.html"
    page.write_text("<html><body><article>" + "".join(f"<p>{KANO} ({i})</p>\n" for i in range(15_000))
                    + "</article></body></html>")
    assert page.stat().st_size > 1_000_000
    (tmp_path / "ok.txt").write_text(KANO)
    results = list(process(iter_documents([str(page), str(tmp_path / "ok.txt")]), nlp))
    assert results[0].error.startswith(f"{page}: article text of ") and "-character limit" in results[0].error
    assert results[1].error is None and results[1].events


def test_hostile_page_site_name_reaches_the_csv_source_cell_as_text(invoke, tmp_path):
    """og:site_name is the page's own word: in the ACLED CSV's source cell it never starts a formula."""
    import csv
    import io
    page = tmp_path / "page.html"
    page.write_text('<html><head><meta property="og:site_name" content="=HYPERLINK(&quot;http://x.invalid&quot;)">'
                    f"</head><body><article><p>{KANO}</p><p>Residents fled the village.</p></article></body></html>")
    out = invoke("extract", str(page), "--format", "acled-csv", "--published", "2024-03-05")
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert rows and all(not row["source"].startswith(("=", "+", "-", "@")) for row in rows)
    assert rows[0]["source"] == "'=HYPERLINK(\"http://x.invalid\")"
