"""The outlet facts: the wire table loads, answers by host and by credit, and a broken edit names its line."""
from __future__ import annotations

import shutil

import pytest

from sitroom.datafiles import data_path
from sitroom.errors import DataFileError
from sitroom.outlets import credited_wire, load_wire, wire, wire_of_host


def test_outlets_wire_table_loads():
    w = wire()
    assert w.agencies["reuters"] == ("Reuters", "Thomson Reuters")
    assert set(w.hosts.values()) <= set(w.agencies) and w.hosts["apnews.com"] == "ap"
    assert w.by_credit["associated press"] == "ap" and w.by_credit["dpa"] == "dpa"


@pytest.mark.parametrize("host, key", [("reuters.com", "reuters"), ("www.reuters.com", "reuters"),
                                       ("uk.news.cn", "xinhua"), ("notreuters.com", None),
                                       ("reuters.com.example", None), (None, None), ("", None)])
def test_outlets_wire_of_host(host, key):
    assert wire_of_host(host) == key


@pytest.mark.parametrize("text, key", [
    ("KYIV, Ukraine (AP) — Drones struck the grid.", "ap"),
    ("Drones struck the grid overnight, officials said. — AFP", "afp"),
    ("Drones struck the grid.\n\nReporting by A in Kyiv; Editing by B", "reuters"),
    ("Drones struck the grid, AP reported.", None),  # a mention is not a credit
    ("", None),
])
def test_outlets_credited_wire(text, key):
    assert credited_wire(text) == key


@pytest.fixture
def wire_copy(tmp_path):
    path = tmp_path / "wire.toml"
    shutil.copy(data_path("outlets", "wire.toml"), path)
    return path


def test_outlets_copy_loads_like_the_packaged_table(wire_copy):
    assert load_wire(wire_copy) == wire()


def test_outlets_broken_toml_names_file_and_line(wire_copy):
    lines = wire_copy.read_text(encoding="utf-8").splitlines()
    lines.insert(10, "this is = = not toml")
    wire_copy.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        load_wire(wire_copy)
    assert err.value.path == str(wire_copy) and err.value.line == 11


@pytest.mark.parametrize("old, new, problem", [
    ('key = "ap"', 'key = "reuters"', "a unique non-empty string"),
    ('credits = ["AFP"', 'credits = ["AP"', "also 'ap''s"),
    ('hosts = ["afp.com"]', 'hosts = ["reuters.com"]', "listed twice"),
    ('credits = ["EFE"]', "credits = []", "no credits"),
    ('hosts = ["upi.com"]', 'hosts = "upi.com"', "a list of non-empty strings"),
    ('hosts = ["tass.com"', 'hostz = ["tass.com"', "unknown key(s) hostz"),
])
def test_outlets_schema_errors_name_the_agency(wire_copy, old, new, problem):
    text = wire_copy.read_text(encoding="utf-8")
    assert old in text
    wire_copy.write_text(text.replace(old, new, 1), encoding="utf-8")
    header = text[:text.index(old)].rsplit("[[agency]]", 1)[0].count("\n") + 1
    with pytest.raises(DataFileError) as err:
        load_wire(wire_copy)
    assert problem in err.value.problem and err.value.line == header
