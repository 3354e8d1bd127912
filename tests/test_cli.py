"""`sitroom extract`: formats, ordering, exit codes, and every documented bad input."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
import spacy
from spacy.language import Language

from sitroom.datafiles import read_toml
from sitroom.records import DocumentResult

CONTRACT_MEMBERS = set(DocumentResult.model_fields) - {"error"}
STORY = ("Gunmen attacked a police post in the north of the country on Sunday, killing two officers, "
         "a police spokesman said on Monday.")


@pytest.fixture()
def story(tmp_path):
    p = tmp_path / "story.txt"
    p.write_text(STORY)
    return p


def test_cli_json_single_document_has_every_contract_member(invoke, story):
    res = invoke("extract", str(story), "--published", "2024-06-03")
    assert res.exit_code == 0, res.stderr
    doc = json.loads(res.stdout)
    assert CONTRACT_MEMBERS <= set(doc)
    assert "error" not in doc
    assert doc["article"]["text"] == STORY
    assert doc["article"]["published"] == "2024-06-03"
    for member in ("events", "claims", "actors", "places", "relations", "timexes"):
        assert isinstance(doc[member], list)


def test_cli_json_several_documents_is_an_array(invoke, story, tmp_path):
    other = tmp_path / "b.txt"
    other.write_text("Protesters gathered outside parliament on Friday.")
    res = invoke("extract", str(story), str(other))
    assert res.exit_code == 0
    docs = json.loads(res.stdout)
    assert [d["id"] for d in docs] == [str(story), str(other)]


def test_cli_jsonl_keeps_input_order_and_ids(invoke):
    lines = [{"id": f"d{i}", "text": f"Report number {i}: shelling hit the town of Kupiansk."} for i in range(5)]
    lines[2] = {"id": "d2", "html": "<p>Report number 2: <b>shelling</b> hit the town.</p>", "published": "2024-01-02"}
    res = invoke("extract", "-", "--input-format", "jsonl", "--format", "jsonl",
                 input="\n".join(json.dumps(l) for l in lines) + "\n")
    assert res.exit_code == 0, res.stderr
    out = [json.loads(l) for l in res.stdout.splitlines()]
    assert [o["id"] for o in out] == [f"d{i}" for i in range(5)]
    assert out[2]["article"]["text"] == "Report number 2: shelling hit the town."
    assert out[2]["article"]["published"] == "2024-01-02"


def test_cli_jsonl_file_detected_by_extension(invoke, tmp_path):
    p = tmp_path / "docs.jsonl"
    p.write_text(json.dumps({"id": "x", "text": STORY}) + "\n")
    res = invoke("extract", str(p), "--format", "jsonl")
    assert res.exit_code == 0
    assert json.loads(res.stdout)["id"] == "x"


def test_cli_acled_csv_has_acled_columns_and_doc_id(invoke, story):
    from sitroom.export import ACLED_COLUMNS
    res = invoke("extract", str(story), "--format", "acled-csv")
    assert res.exit_code == 0
    header = next(csv.reader(io.StringIO(res.stdout)))
    assert header == list(ACLED_COLUMNS) + ["doc_id"]


def test_cli_bad_published_is_a_usage_error(invoke, story):
    res = invoke("extract", str(story), "--published", "30/11/2024")
    assert res.exit_code == 2
    assert "YYYY-MM-DD" in res.stderr


# ---------------------------------------------------------------- bad inputs
def _bad_inputs(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    (tmp_path / "a_dir").mkdir()
    (tmp_path / "binary.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 attacked in the old town.".encode("latin-1"))
    (tmp_path / "notext.html").write_text("<html><head><script>var a=1;</script></head><body><nav></nav></body></html>")
    big = tmp_path / "huge.html"
    with big.open("wb") as fh:
        fh.write(b"<html><body><p>")
        fh.write(b"word " * (50 * 1024 * 1024 // 5))
        fh.write(b"</p></body></html>")
    return {
        "missing": (tmp_path / "nope.html", "no such file"),
        "empty_directory": (tmp_path / "a_dir", "no .html, .htm, .txt, .jsonl files in this directory"),
        "binary": (tmp_path / "binary.html", "binary file"),
        "empty": (tmp_path / "empty.txt", "empty input"),
        "invalid_utf8": (tmp_path / "latin1.txt", "not valid UTF-8"),
        "html_without_text": (tmp_path / "notext.html", "no article text"),
        "huge_page": (big, "over the 20 MB limit"),
    }


def test_cli_every_bad_input_is_reported_and_the_batch_goes_on(invoke, story, tmp_path):
    bad = _bad_inputs(tmp_path)
    paths = [str(story)] + [str(p) for p, _ in bad.values()] + [str(story)]
    res = invoke("extract", *paths, "--format", "jsonl")
    assert res.exit_code == 1
    out = [json.loads(l) for l in res.stdout.splitlines()]
    assert [o["id"] for o in out] == paths
    assert "error" not in out[0] and "error" not in out[-1]
    assert out[-1]["article"]["text"] == STORY
    err_lines = res.stderr.splitlines()
    for (path, message), o in zip(bad.values(), out[1:-1]):
        assert message in o["error"], (path, o["error"])
        assert str(path) in o["error"]
        assert CONTRACT_MEMBERS <= set(o)
        assert any(str(path) in l and message in l for l in err_lines), (path, res.stderr)
    assert "Traceback" not in res.stderr
    assert f"{len(bad)} of {len(paths)} documents failed" in res.stderr


@pytest.mark.parametrize("line,message", [
    ("this is not json", "not valid JSON"),
    ('{"id": "k1", "title": "no body"}', 'needs a non-empty "text" or "html"'),
    ('{"id": "k2", "text": ""}', 'needs a non-empty "text" or "html"'),
    ('["a", "list"]', "must be an object"),
    ('{"id": "k3", "text": "Shots fired.", "published": "yesterday"}', "must be a real date"),
])
def test_cli_bad_jsonl_line_is_reported_and_others_go_on(invoke, line, message):
    good = json.dumps({"id": "ok", "text": STORY})
    res = invoke("extract", "-", "--input-format", "jsonl", "--format", "jsonl", input=f"{good}\n{line}\n{good}\n")
    assert res.exit_code == 1
    out = [json.loads(l) for l in res.stdout.splitlines()]
    assert len(out) == 3
    assert message in out[1]["error"]
    assert "stdin:2" in out[1]["error"]
    assert out[2]["id"] == "ok" and "error" not in out[2]
    assert "stdin:2" in res.stderr and message in res.stderr


def test_cli_real_process_exit_status_and_no_traceback(tmp_path, story):
    """The installed entry point, as a user runs it."""
    exe = Path(sys.executable).with_name("sitroom")
    proc = subprocess.run([str(exe), "extract", str(story), str(tmp_path / "missing.txt"), "--format", "jsonl"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert "missing.txt: no such file" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert len(proc.stdout.splitlines()) == 2


def test_cli_help_for_every_command(invoke):
    from sitroom.cli import cli
    assert invoke("--help").exit_code == 0
    for name in cli.commands:
        res = invoke(name, "--help")
        assert res.exit_code == 0, name
        assert "Usage:" in res.stdout


# ---------------------------------------------------------------- directories
def test_cli_extract_directory_reads_its_files_like_ingest(invoke, tmp_path):
    """A directory gives its documents recursively, in the order `sitroom ingest` walks them."""
    root = tmp_path / "corpus"
    (root / "sub").mkdir(parents=True)
    (root / "b.txt").write_text(STORY)
    (root / "sub" / "a.html").write_text(f"<html><body><article><p>{STORY}</p></article></body></html>")
    (root / "notes.pdf").write_bytes(b"%PDF-1.4 skipped by directory walks")
    (root / ".hidden.txt").write_text(STORY)
    res = invoke("extract", str(root), "--format", "jsonl")
    assert res.exit_code == 0, res.stderr
    out = [json.loads(line) for line in res.stdout.splitlines()]
    assert [o["id"] for o in out] == [str(root / "b.txt"), str(root / "sub" / "a.html")]
    by_file = invoke("extract", str(root / "b.txt"), str(root / "sub" / "a.html"), "--format", "jsonl")
    assert by_file.stdout == res.stdout


# ---------------------------------------------------------------- the one error path
def _pipeline_with(*components: str):
    nlp = spacy.blank("en")
    for name in components:
        nlp.add_pipe(name)
    return nlp


@pytest.fixture()
def broken_toml(tmp_path):
    path = tmp_path / "named.toml"
    path.write_text('[actors]\nname = "Hayat Tahrir al-Sham"\naliases HTS\n')
    return path


def test_cli_broken_data_file_is_one_error_line(invoke, monkeypatch, broken_toml):
    """A data file that cannot be read when the pipeline loads: one line naming file and line, exit 1."""
    monkeypatch.setattr("sitroom.pipeline.load_pipeline", lambda **_: read_toml(broken_toml))
    res = invoke("extract", "-", "--format", "jsonl", input=STORY)
    assert res.exit_code == 1
    assert res.stdout == ""
    assert res.stderr.startswith(f"sitroom: error: {broken_toml}:3: ") and len(res.stderr.splitlines()) == 1


@Language.component("sitroom_test_reads_broken_file")
def _reads_broken_file(doc):
    read_toml(doc._.test_data_file)
    return doc


def test_cli_data_file_broken_during_a_batch_is_said_once(invoke, monkeypatch, broken_toml):
    """A stage whose data file is broken fails every document: the batch stops with one line, not one per document."""
    from spacy.tokens import Doc
    Doc.set_extension("test_data_file", default=str(broken_toml), force=True)
    nlp = _pipeline_with("sitroom_test_reads_broken_file")
    monkeypatch.setattr("sitroom.pipeline.load_pipeline", lambda **_: nlp)
    lines = "".join(json.dumps({"id": f"d{n}", "text": STORY}) + "\n" for n in range(3))
    res = invoke("extract", "-", "--input-format", "jsonl", "--format", "jsonl", input=lines)
    assert res.exit_code == 1
    assert res.stderr.splitlines() == [res.stderr.splitlines()[0]]
    assert res.stderr.startswith(f"sitroom: error: {broken_toml}:3: ")


@Language.component("sitroom_test_fails_first")
def _fails_first(doc):
    raise RuntimeError("first broke")


@Language.component("sitroom_test_fails_second")
def _fails_second(doc):
    raise KeyError("second")


def test_cli_every_failing_stage_is_reported(invoke, monkeypatch):
    nlp = _pipeline_with("sitroom_test_fails_first", "sitroom_test_fails_second")
    monkeypatch.setattr("sitroom.pipeline.load_pipeline", lambda **_: nlp)
    res = invoke("extract", "-", "--input-format", "jsonl", "--format", "jsonl",
                 input=json.dumps({"id": "k", "text": STORY}) + "\n")
    assert res.exit_code == 1
    error = json.loads(res.stdout)["error"]
    assert error == ("k: stage sitroom_test_fails_first failed: RuntimeError: first broke; "
                     "stage sitroom_test_fails_second failed: KeyError: 'second'")
    assert f"sitroom: error: {error}" in res.stderr.splitlines()


@pytest.mark.parametrize("args,message", [
    (["events", "--db", "mysql://db.example.org/events"], "not a database sitroom can open"),
    (["claims", "--db", "{tmp}/missing.duckdb"], "no such database"),
    (["ingest", "-", "--input-format", "results", "--db", "{tmp}/no/such/dir/x.duckdb"], "failed"),
])
def test_cli_library_errors_are_one_line_and_status_1(invoke, tmp_path, args, message):
    res = invoke(*[a.replace("{tmp}", str(tmp_path)) for a in args], input="")
    assert res.exit_code == 1, res.output
    assert res.stderr.startswith("sitroom: error: ") and message in res.stderr
    assert len(res.stderr.splitlines()) == 1 and "Traceback" not in res.stderr


def test_cli_broken_packaged_data_file_is_one_line_naming_file_and_line(tmp_path):
    """The issue's case: a bad edit to a packaged table. Before, every document failed with
    'stage sitroom_actors failed: TOMLDecodeError'; now the run stops with one line naming file and line."""
    import shutil

    import sitroom.datafiles
    data = tmp_path / "data"
    shutil.copytree(sitroom.datafiles.DATA_DIR, data)
    named = data / "actors" / "named.toml"
    broken_line = len(named.read_text(encoding="utf-8").splitlines()) + 1
    with named.open("a", encoding="utf-8") as fh:
        fh.write("this line is not TOML\n")
    code = ("import sys, pathlib, sitroom.datafiles as d; d.DATA_DIR = pathlib.Path(sys.argv[1]); "
            "from sitroom.cli import cli; cli(sys.argv[2:], prog_name='sitroom')")
    stories = "".join(json.dumps({"id": f"d{n}", "text": STORY}) + "\n" for n in range(3))
    proc = subprocess.run([sys.executable, "-c", code, str(data), "extract", "-", "--input-format", "jsonl",
                           "--format", "jsonl"], input=stories, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("sitroom: error:")]
    assert errors == [line for line in proc.stderr.splitlines() if "named.toml" in line]
    assert len(errors) == 1 and errors[0].startswith(f"sitroom: error: {named}:{broken_line}: ")
    assert "Traceback" not in proc.stderr and proc.stdout == ""
