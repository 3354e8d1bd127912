"""`sitroom ingest` end to end: the real pipeline, idempotency, bad inputs, URLs, WARC, kill -9."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sitroom.store import open_store
from test_fetch import _warc, server  # noqa: F401 - the local HTTP server fixture
from test_merge import cluster_results

WIRE = ("DAMASCUS (Reuters) - Syrian government forces backed by Russian jets pounded rebel positions near Saraqib "
        "in Idlib province on Thursday, killing at least 12 fighters, the Syrian Observatory for Human Rights said. "
        "Hayat Tahrir al-Sham said it had repelled the assault and destroyed two tanks.")
REPRINT = WIRE + "\n\nThe town lies on the highway between Damascus and Aleppo."
PROTEST = ("<html><head><title>Nairobi protest</title></head><body><article><p>NAIROBI, Kenya - Hundreds of students "
           "marched through central Nairobi on Monday to protest against higher university fees. Police fired "
           "tear gas to disperse them, witnesses said.</p></article></body></html>")
JSONL = [{"id": "kharkiv-1", "text": "Russian missiles struck an apartment block in Kharkiv overnight, killing three "
                                     "people, regional governor Oleh Syniehubov said.", "published": "2024-05-02",
          "outlet": "kyivpost.example"}]


def stats_line(stderr: str) -> str:
    return next(line for line in reversed(stderr.splitlines()) if "ingested" in line)


@pytest.fixture()
def corpus(tmp_path):
    root = tmp_path / "corpus"
    (root / "syria").mkdir(parents=True)
    (root / "syria" / "wire.txt").write_text(WIRE)
    (root / "syria" / "reprint.txt").write_text(REPRINT)
    (root / "kenya.html").write_text(PROTEST)
    (root / "ukraine.jsonl").write_text("".join(json.dumps(d) + "\n" for d in JSONL))
    (root / "notes.pdf").write_bytes(b"%PDF-1.4 not picked up by directory walks")
    return root


def test_ingest_directory_then_reingest_is_a_noop(invoke, corpus, tmp_path):
    db = str(tmp_path / "a.duckdb")
    first = invoke("ingest", str(corpus), "--db", db, "--published", "2024-11-29")
    assert first.exit_code == 0, first.stderr
    assert stats_line(first.stderr).startswith("sitroom: ingested 4 new, 0 updated, 0 unchanged")
    with open_store(db) as s:
        before, counts = s.checksum(), s.counts()
        arts = {Path(a["doc_id"]).name if a["doc_id"].startswith("/") else a["doc_id"]: a for a in s.articles()}
    assert set(arts) == {"wire.txt", "reprint.txt", "kenya.html", "kharkiv-1"}
    assert arts["wire.txt"]["source_group"] == arts["reprint.txt"]["source_group"] == "wire:reuters"
    assert arts["kharkiv-1"]["published"] == "2024-05-02"  # the JSONL's own date wins over --published
    second = invoke("ingest", str(corpus), "--db", db, "--published", "2024-11-29")
    assert second.exit_code == 0 and "0 new, 0 updated, 4 unchanged" in stats_line(second.stderr)
    with open_store(db) as s:
        assert s.checksum() == before and s.counts() == counts


def test_ingest_stores_what_the_pipeline_extracts(invoke, corpus, tmp_path, nlp):
    """The database holds exactly the pipeline's layers, and a wire story and its reprint count once."""
    from sitroom.inputs import iter_inputs
    from sitroom.pipeline import process
    db = str(tmp_path / "b.duckdb")
    assert invoke("ingest", str(corpus / "syria"), "--db", db, "--published", "2024-11-29").exit_code == 0
    expected = {r.id: r for r in process(iter_inputs([str(corpus / "syria")], published="2024-11-29"), nlp=nlp)}
    with open_store(db) as s:
        for doc_id, result in expected.items():
            assert len(s.claims(doc_id=doc_id)) == len(result.claims)
        counts = s.counts()
        assert counts["reports"] == sum(len(r.events) for r in expected.values())
        assert counts["places"] == sum(len(r.places) for r in expected.values())
        for ev in s.events():
            if len(ev["doc_ids"]) == 2:  # the same event from the wire and its reprint: one source
                assert ev["sources"] == 1 and ev["reports"] == 2


def test_ingest_bad_inputs_are_named_and_the_batch_goes_on(invoke, corpus, tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 50)
    (bad / "empty.html").write_text("")
    (bad / "lines.jsonl").write_text('{"id": "ok", "text": "Police arrested ten protesters in Harare."}\n'
                                     '{"id": "broken", \n{"id": "no-text"}\n')
    empty_dir = tmp_path / "nothing"
    empty_dir.mkdir()
    missing = str(tmp_path / "missing.html")
    db = str(tmp_path / "c.duckdb")
    out = invoke("ingest", str(bad), missing, str(empty_dir), str(corpus / "kenya.html"), "--db", db)
    assert out.exit_code == 1
    errors = [line for line in out.stderr.splitlines() if line.startswith("sitroom: error:")]
    for name, problem in [("binary.txt", "binary"), ("empty.html", "empty"), ("lines.jsonl:2", "not valid JSON"),
                          ("no-text", "non-empty"), ("missing.html", "no such file"), ("nothing", "no ")]:
        assert any(name in e and problem in e for e in errors), (name, errors)
    assert "2 new" in stats_line(out.stderr) and "6 failed" in stats_line(out.stderr)
    with open_store(db) as s:
        assert {Path(a["doc_id"]).name for a in s.articles()} == {"ok", "kenya.html"}


def test_ingest_changed_article_replaces_the_old_version(invoke, tmp_path):
    page = tmp_path / "report.txt"
    page.write_text(WIRE)
    db = str(tmp_path / "d.duckdb")
    assert invoke("ingest", str(page), "--db", db).exit_code == 0
    page.write_text(WIRE.replace("at least 12 fighters", "at least 19 fighters"))
    out = invoke("ingest", str(page), "--db", db)
    assert out.exit_code == 0 and "0 new, 1 updated" in stats_line(out.stderr)
    with open_store(db) as s:
        (art,) = s.articles(with_text=True)
        assert "19 fighters" in art["text"] and s.counts()["articles"] == 1
        assert all("12 fighters" not in c["text"] for c in s.claims())


def test_ingest_same_page_under_another_name_is_a_duplicate(invoke, tmp_path):
    (tmp_path / "one.txt").write_text(WIRE)
    (tmp_path / "two.txt").write_text(WIRE)
    db = str(tmp_path / "e.duckdb")
    out = invoke("ingest", str(tmp_path / "one.txt"), str(tmp_path / "two.txt"), "--db", db)
    assert out.exit_code == 0 and "1 new" in stats_line(out.stderr) and "1 duplicate" in stats_line(out.stderr)


def test_ingest_resumes_where_it_stopped(invoke, corpus, tmp_path):
    db = str(tmp_path / "f.duckdb")
    assert invoke("ingest", str(corpus / "syria" / "wire.txt"), "--db", db).exit_code == 0
    out = invoke("ingest", str(corpus), "--db", db)
    assert "3 new, 0 updated, 1 unchanged" in stats_line(out.stderr)


def test_ingest_urls_and_feeds_from_a_local_server(invoke, server, tmp_path):  # noqa: F811
    db = str(tmp_path / "g.duckdb")
    refused = invoke("ingest", f"{server}/article.html", "--db", db)
    assert refused.exit_code == 1 and "refused" in refused.stderr and "--allow-private" in refused.stderr
    out = invoke("ingest", f"{server}/feed.xml", f"{server}/article2.html", f"{server}/image.png",
                 "--db", db, "--allow-private", "--timeout", "5")
    assert out.exit_code == 1 and "image/png" in out.stderr  # the batch went on past the image
    assert "2 new" in stats_line(out.stderr) and "1 unchanged" not in stats_line(out.stderr)
    with open_store(db) as s:
        arts = {a["doc_id"].rsplit("/", 1)[1]: a for a in s.articles()}
    assert set(arts) == {"article.html", "article2.html"}  # the feed's 2nd link is article2: stored once
    assert arts["article.html"]["published"] == "2024-11-28"  # from the feed entry


@pytest.mark.parametrize("value", ["-1", "nan", "0", "inf"])
def test_ingest_timeout_that_limits_nothing_is_one_clear_error(invoke, tmp_path, value):
    out = invoke("ingest", "http://example.org/a.html", "--db", str(tmp_path / "t.duckdb"), "--timeout", value)
    assert out.exit_code != 0 and "Traceback" not in out.stderr
    assert out.stderr.strip().splitlines()[-1].startswith(
        "sitroom: error: the fetch timeout (--timeout) must be a positive number of seconds, got ")


def test_ingest_warc_archive(invoke, tmp_path):
    warc = tmp_path / "crawl.warc.gz"
    _warc(warc)
    db = str(tmp_path / "h.duckdb")
    out = invoke("ingest", str(warc), "--db", db)
    assert out.exit_code == 0 and "2 new" in stats_line(out.stderr)
    with open_store(db) as s:
        assert sorted(a["doc_id"] for a in s.articles()) == ["https://news.example/a", "https://news.example/b"]


def test_ingest_extracted_results(invoke, tmp_path):
    path = tmp_path / "results.jsonl"
    lines = [json.dumps(r.to_json_dict()) for r in cluster_results()] + ['{"id": "x", "article": 3}']
    path.write_text("\n".join(lines) + "\n")
    db = str(tmp_path / "i.duckdb")
    out = invoke("ingest", str(path), "--input-format", "results", "--db", db)
    assert out.exit_code == 1 and "not a sitroom document result" in out.stderr
    assert "6 new" in stats_line(out.stderr) and "1 merged events" in stats_line(out.stderr)
    events = json.loads(invoke("events", "--db", db, "--format", "json").stdout)
    assert [(e["sources"], e["reports"], e["fatalities"], e["contested"]) for e in events] == [(4, 6, 47, True)]


def _synthetic_results(n_pairs: int, claims_per_doc: int) -> list[dict]:
    """Pairs of reports (two outlets, one event each) with many claims: slow enough to kill mid-way."""
    out = []
    for i in range(n_pairs):
        day = f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}"
        for outlet, template in (("alpha.example", "Statement {k} about clash {i}."),
                                 ("beta.example", "Officials gave account number {k} of the fighting ({i}).")):
            sentences = [template.format(k=k, i=i) for k in range(claims_per_doc)]
            text = f"Report {i} from {outlet}. " + " ".join(sentences)
            claims = [{"claim_id": f"c{k}", "kind": "reported", "text": sentences[k],
                       "start": 0, "end": 10, "figures": [{"count": 3 + k % 2, "category": "killed"}]}
                      for k in range(claims_per_doc)]
            event = {"event_id": "e1", "event_date": day, "event_type": "Battles", "country": "Syria",
                     "latitude": 30 + i * 0.5, "longitude": 40.0, "claims": [c["claim_id"] for c in claims]}
            out.append({"id": f"{outlet}/{i}", "article": {"text": text, "outlet": outlet, "published": day},
                        "events": [event], "claims": claims})
    return out


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_ingest_kill_9_leaves_a_consistent_database_and_resumes(tmp_path):
    n_pairs, per_doc = 150, 25
    path = tmp_path / "many.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in _synthetic_results(n_pairs, per_doc)))
    db = str(tmp_path / "killed.duckdb")
    cmd = [sys.executable, "-m", "sitroom", "-v", "ingest", str(path), "--input-format", "results", "--db", db]
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    stored = 0
    deadline = time.monotonic() + 120
    for line in proc.stderr:  # kill once a good number of articles are committed, mid-run
        stored += "stored" in line
        if stored >= 40 or time.monotonic() > deadline:
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL and stored >= 40
    with open_store(db) as s:
        counts = s.counts()
        assert 40 <= counts["articles"] < 2 * n_pairs, counts
        # whole articles or none: every stored article has all its claims and its report
        assert counts["claims"] == per_doc * counts["articles"] and counts["reports"] == counts["articles"]
        assert s.is_stale()  # killed before the merge: the next command re-merges
    resumed = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert f"{2 * n_pairs - counts['articles']} new" in stats_line(resumed.stderr)
    assert f"{counts['articles']} unchanged" in stats_line(resumed.stderr)
    with open_store(db) as s:
        final = s.counts()
        assert (final["articles"], final["claims"], final["events"]) == (2 * n_pairs, 2 * n_pairs * per_doc, n_pairs)
        assert all(e["sources"] == 2 and e["reports"] == 2 for e in s.events())
        assert not s.is_stale()
