"""Fetching inputs: URLs against a real local HTTP server, feeds, WARC archives, directories.

The server is `http.server` in a thread on 127.0.0.1, so every fetch here needs
`allow_private=True`; the refusal without it is tested too.
"""
from __future__ import annotations

import io
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from sitroom.errors import InputError, UnsupportedInput
from sitroom.fetch import FetchPolicy, Fetcher, is_public_address, normalize_url
from sitroom.inputs import iter_inputs, warc_documents
from sitroom.sources import RawDocument, iter_directory

ARTICLE = ("<html><head><title>Clashes near Saraqib</title></head><body><article><p>Fighting broke out near "
           "Saraqib on Thursday, residents said. At least 12 people were killed.</p></article></body></html>")
ARTICLE2 = ("<html><body><article><p>Protesters marched in Nairobi on Monday against new taxes; police used "
            "tear gas.</p></article></body></html>")
RSS = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Example wire</title><link>http://example.org/</link>
<item><title>Clashes near Saraqib</title><link>{base}/article.html</link><pubDate>Thu, 28 Nov 2024 10:00:00 GMT</pubDate>
<description>Fighting broke out.</description></item>
<item><title>Nairobi protest</title><link>{base}/article2.html</link><pubDate>Mon, 25 Nov 2024 08:00:00 GMT</pubDate>
<description>Protesters marched.</description></item>
</channel></rss>"""
ATOM_WITH_CONTENT = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Monitor</title><id>urn:x</id><updated>2024-11-28T00:00:00Z</updated>
<entry><title>Daily toll</title><id>urn:x:1</id><link href="{base}/missing"/><updated>2024-11-28T12:00:00Z</updated>
<content type="html">&lt;p&gt;{body}&lt;/p&gt;</content></entry></feed>"""
LONG_BODY = "The monitor documented the deaths of 47 people in the battles on the Saraqib front. " * 4
CAP = 4096


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    seen_agents: list[str] = []

    def log_message(self, *args) -> None:  # keep test output clean
        pass

    def _send(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8", length: bool = True,
              headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        if length:
            self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client stopped reading: that is the point
            pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        Handler.seen_agents.append(self.headers.get("User-Agent", ""))
        base = f"http://{self.headers['Host']}"
        path = self.path
        if path == "/article.html":
            self._send(200, ARTICLE.encode())
        elif path == "/article2.html":
            self._send(200, ARTICLE2.encode())
        elif path == "/feed.xml":
            self._send(200, RSS.format(base=base).encode(), "application/rss+xml")
        elif path == "/atom.xml":
            self._send(200, ATOM_WITH_CONTENT.format(base=base, body=LONG_BODY).encode(), "application/atom+xml")
        elif path == "/big-declared":
            self._send(200, b"<p>" + b"x" * (CAP * 2) + b"</p>")
        elif path == "/big-streamed":  # no Content-Length: the cap must hold while reading
            self._send(200, b"<p>" + b"x" * (CAP * 4) + b"</p>", length=False)
        elif path.startswith("/hop/"):
            n = int(path.rsplit("/", 1)[1])
            target = "/article.html" if n == 0 else f"/hop/{n - 1}"
            self._send(302, b"", headers={"Location": target})
        elif path == "/loop":
            self._send(301, b"", headers={"Location": "/loop"})
        elif path == "/to-link-local":
            self._send(302, b"", headers={"Location": "http://169.254.169.254/latest/meta-data/"})
        elif path == "/slow":
            time.sleep(2.0)
            self._send(200, ARTICLE.encode())
        elif path == "/image.png":
            self._send(200, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png")
        elif path == "/binary-as-html":
            self._send(200, b"\x00\x01\x02" * 100)
        else:
            self._send(404, b"not found")


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:  # clients hanging up early are expected
        pass


@pytest.fixture(scope="module")
def server():
    httpd = QuietServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture()
def fetcher():
    with Fetcher(FetchPolicy(allow_private=True, timeout=0.5, max_bytes=CAP, max_redirects=3)) as f:
        yield f


def test_fetch_page_with_user_agent(server, fetcher):
    page = fetcher.fetch(f"{server}/article.html")
    assert page.status == 200 and page.content_type == "text/html" and b"Saraqib" in page.body
    assert Handler.seen_agents[-1].startswith("sitroom/")


def test_fetch_private_address_refused_without_flag(server):
    with Fetcher(FetchPolicy()) as f, pytest.raises(InputError, match="refused.*--allow-private"):
        f.fetch(f"{server}/article.html")
    with Fetcher(FetchPolicy()) as f, pytest.raises(InputError, match="refused"):
        f.fetch(server.replace("127.0.0.1", "localhost") + "/article.html")


def test_fetch_redirect_to_link_local_refused(server):
    # the first hop is allowed to a private address only with the flag; check each hop independently
    with Fetcher(FetchPolicy(allow_private=False)) as f, pytest.raises(InputError, match="refused"):
        f.fetch(f"{server}/to-link-local")


@pytest.mark.parametrize("path, problem", [
    ("/big-declared", "limit"),
    ("/big-streamed", "limit"),
    ("/loop", "more than 3 redirects"),
    ("/hop/4", "more than 3 redirects"),
    ("/slow", "timed out"),
    ("/missing", "HTTP 404"),
])
def test_fetch_limits(server, fetcher, path, problem):
    with pytest.raises(InputError, match=problem) as info:
        fetcher.fetch(server + path)
    assert info.value.source == server + path  # the error names the input


class Dribbler:
    """A raw TCP server on 127.0.0.1 that sends its answer one byte every 0.3 s (for at most 30 s).

    `part` is what dribbles: "headers" (the status line comes, the header block never ends) or
    "body" (the headers come at once, the body a byte at a time); `closed` is set when the
    client has hung up.
    """

    def __init__(self, part: str):
        import socket
        self.part, self.closed = part, threading.Event()
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/article.html"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        conn, _ = self.sock.accept()
        with conn:
            conn.recv(65536)
            head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
            if self.part == "body":
                conn.sendall(head + b"Content-Length: 1000\r\n\r\n")
                head = b"<p>" + b"x" * 997
            else:
                head += b"X-Padding: " + b"a" * 1000
            try:
                for byte in head[:100]:
                    conn.sendall(bytes([byte]))
                    time.sleep(0.3)
            except OSError:  # the client hung up: what a deadline should make it do
                self.closed.set()

    def close(self) -> None:
        self.sock.close()


@pytest.mark.parametrize("part", ["headers", "body"])
def test_fetch_total_deadline_holds_while_bytes_dribble(part):
    """A server sending a byte every 0.3 s resets every read timeout; the total deadline still ends it."""
    slow = Dribbler(part)
    try:
        with Fetcher(FetchPolicy(allow_private=True, timeout=5, total_timeout=1)) as f, \
                pytest.raises(InputError, match=r"timed out: not complete after 1 s") as info:
            f.fetch(slow.url)
        assert info.value.source == slow.url
        assert slow.closed.wait(5)  # the connection was dropped, not left dribbling
    finally:
        slow.close()


def test_fetch_watch_client_deadline_holds_while_headers_dribble():
    from sitroom.watch.client import PoliteClient
    slow = Dribbler("headers")
    try:
        client = PoliteClient(FetchPolicy(allow_private=True, timeout=5, total_timeout=1))
        answer = client.get(slow.url)
        client.close()
        assert answer.status is None and answer.error == "timed out: not complete after 1 s"
    finally:
        slow.close()


@pytest.mark.parametrize("option, value", [("timeout", -1), ("timeout", float("nan")), ("timeout", 0),
                                           ("total_timeout", float("inf")), ("total_timeout", -5)])
def test_fetch_policy_refuses_limits_that_limit_nothing(option, value):
    from sitroom.errors import ConfigError
    with pytest.raises(ConfigError, match="must be a positive number of seconds"):
        FetchPolicy(**{option: value})


def test_fetch_follows_bounded_redirects(server, fetcher):
    page = fetcher.fetch(f"{server}/hop/2")  # three redirects: the limit
    assert page.final_url.endswith("/article.html") and b"Saraqib" in page.body


def test_fetch_refuses_binary_content_type(server, fetcher):
    with pytest.raises(UnsupportedInput, match="image/png"):
        fetcher.fetch(f"{server}/image.png")


@pytest.mark.parametrize("ip, public", [
    ("127.0.0.1", False), ("10.1.2.3", False), ("172.16.0.1", False), ("192.168.1.1", False),
    ("169.254.169.254", False), ("100.64.0.1", False), ("0.0.0.0", False), ("224.0.0.1", False),
    ("::1", False), ("fe80::1", False), ("fc00::1", False), ("::ffff:127.0.0.1", False),
    ("8.8.8.8", True), ("2001:4860:4860::8888", True),
])
def test_fetch_public_address(ip, public):
    assert is_public_address(ip) is public


def test_fetch_url_input_yields_document(server):
    items = list(iter_inputs([f"{server}/article.html#comments"], policy=FetchPolicy(allow_private=True)))
    assert len(items) == 1
    doc_id, doc = items[0]
    assert isinstance(doc, RawDocument) and doc.format == "html" and "Saraqib" in doc.content
    assert doc_id == doc.id == normalize_url(f"{server}/article.html")  # fragment dropped


def test_fetch_url_errors_name_the_input(server):
    items = list(iter_inputs([f"{server}/binary-as-html", f"{server}/article.html"],
                             policy=FetchPolicy(allow_private=True)))
    assert isinstance(items[0][1], InputError) and "binary" in str(items[0][1])
    assert isinstance(items[1][1], RawDocument)  # the batch goes on


def test_fetch_feed_entries_fetch_their_links(server):
    items = list(iter_inputs([f"{server}/feed.xml"], policy=FetchPolicy(allow_private=True)))
    docs = [d for _, d in items]
    assert [d.published for d in docs] == ["2024-11-28", "2024-11-25"]
    assert [d.title for d in docs] == ["Clashes near Saraqib", "Nairobi protest"]
    assert "Saraqib" in docs[0].content and "Nairobi" in docs[1].content
    assert docs[0].id.endswith("/article.html")


def test_fetch_feed_falls_back_to_entry_content(server):
    items = list(iter_inputs([f"{server}/atom.xml"], policy=FetchPolicy(allow_private=True)))
    (doc_id, doc), = items
    assert isinstance(doc, RawDocument) and "47 people" in doc.content and doc.published == "2024-11-28"


def test_fetch_feed_without_following_links(server):
    items = list(iter_inputs([f"{server}/feed.xml"], policy=FetchPolicy(allow_private=True,
                                                                         follow_feed_links=False)))
    # the RSS items carry only one-line descriptions: too short to stand for the articles
    assert all(isinstance(d, InputError) for _, d in items) and len(items) == 2


def test_fetch_local_feed_file(tmp_path, server):
    feed = tmp_path / "wire.rss"
    feed.write_text(RSS.format(base=server))
    items = list(iter_inputs([str(feed)], policy=FetchPolicy(allow_private=True)))
    assert [type(d).__name__ for _, d in items] == ["RawDocument", "RawDocument"]


def _warc(path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=str(path).endswith(".gz"))
        for uri, ctype, body, status in [
            ("https://news.example/a#top", "text/html; charset=utf-8", ARTICLE.encode(), "200 OK"),
            ("https://news.example/logo.png", "image/png", b"\x89PNG....", "200 OK"),
            ("https://news.example/gone", "text/html", b"<p>gone</p>", "404 Not Found"),
            ("https://news.example/b", "text/html", ARTICLE2.encode(), "200 OK"),
        ]:
            headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body),
                                                          http_headers=headers))
        writer.write_record(writer.create_warc_record("https://news.example/a", "request",
                                                      payload=io.BytesIO(b"GET /a HTTP/1.1\r\n\r\n")))


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_fetch_warc_html_responses(tmp_path, name):
    path = tmp_path / name
    _warc(path)
    items = list(warc_documents(str(path)))
    assert [doc_id for doc_id, _ in items] == ["https://news.example/a", "https://news.example/b"]
    assert all(isinstance(d, RawDocument) and d.format == "html" for _, d in items)
    assert items[0][1].url == "https://news.example/a#top"


def test_fetch_warc_not_an_archive(tmp_path):
    path = tmp_path / "broken.warc"
    path.write_text("this is not a WARC file\n" * 10)
    (doc_id, err), = list(warc_documents(str(path)))
    assert isinstance(err, InputError) and err.source == str(path)


def test_fetch_directory_recursive(tmp_path):
    for rel in ["a.html", "b.htm", "sub/c.txt", "sub/deeper/d.jsonl", "e.pdf", ".hidden/f.html", "sub/.g.txt"]:
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("x")
    found = [Path(p).relative_to(tmp_path).as_posix() for p in iter_directory(str(tmp_path))]
    assert found == ["a.html", "b.htm", "sub/c.txt", "sub/deeper/d.jsonl"]


def test_fetch_file_ids_are_absolute_paths(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text("Shelling hit the town overnight, officials said.")
    monkeypatch.chdir(tmp_path)
    (doc_id, doc), = list(iter_inputs(["a.txt"]))
    assert doc_id == doc.id == str(tmp_path / "a.txt")
