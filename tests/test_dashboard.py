"""The dashboard in a real headless Chromium (Debian's `chromium`, driven by Playwright).

Nothing is downloaded: Playwright's Python wheel carries its driver and the browser is the
system's (`.ci/run` installs it). Every request must stay on the loopback server; the page
is filtered by type and by date, the view is reloaded from its URL, an event card is opened,
and an article whose title and text carry `<script>`, `<img onerror>` and `javascript:` links
(ingested through the real pipeline) is shown without anything running. Screenshots go to
tests/artifacts/.
"""
from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

pytest.importorskip("fastapi", reason='the serve extra is not installed: pip install "sitroom[serve]"')
playwright_api = pytest.importorskip("playwright.sync_api", reason='playwright is not installed: pip install "sitroom[dev]"')

from sitroom.serve import create_app  # noqa: E402
from test_serve import build_duckdb, running_server  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
# a headless browser on a closed network: no background traffic, no sandbox as root, no GPU
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

XSS_TITLE = "<script>window.__xss='title'</script><img src=x onerror=\"window.__xss='img-title'\"> Mandera attack"
XSS_HTML = """<html><head><title>ignored</title></head><body><article>
<p>Gunmen killed two police officers in Mandera on Sunday, police said.
&lt;script&gt;window.__xss='text'&lt;/script&gt; Witnesses said &lt;img src=x onerror="window.__xss='img'"&gt;
the attackers fled towards the border. <a href="javascript:window.__xss='link'">Read the police statement</a>.</p>
<p>The county commissioner said security had been increased across Mandera after the attack on the police post.</p>
</article></body></html>"""

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists() and not shutil.which("chromium"),
                                reason=f"no system Chromium at {CHROMIUM}: apt-get install chromium (.ci/run does)")


@pytest.fixture(scope="module")
def site(tmp_path_factory, nlp):
    """The test world plus a hostile article ingested by the real pipeline, served on loopback."""
    import sitroom
    tmp = tmp_path_factory.mktemp("dash")
    db = build_duckdb(tmp / "dash.duckdb")
    docs = tmp / "xss.jsonl"
    docs.write_text(json.dumps({"id": "xss", "html": XSS_HTML, "title": XSS_TITLE, "outlet": "evil.example",
                                "url": "https://evil.example/mandera", "published": "2024-06-03"}) + "\n")
    with sitroom.open(db) as database:
        stats = database.ingest([str(docs)])
    assert stats.new == 1 and not stats.failed
    with running_server(create_app(db)) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Watch:
    """Everything a page does that a test must see: requests off loopback, errors, dialogs."""

    def __init__(self, page, base: str):
        self.base = base
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        page.route("**/*", self._route)
        page.on("console", lambda m: m.type in ("error", "warning") and self.errors.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        page.on("dialog", self._dialog)

    def _route(self, route):
        url = route.request.url
        host = urlsplit(url).hostname
        if url.startswith("data:") or host == "127.0.0.1":
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def check(self):
        assert self.outside == [], f"requests left loopback: {self.outside}"
        assert self.dialogs == [], f"a dialog opened: {self.dialogs}"
        assert self.errors == [], f"console errors: {self.errors}"


@pytest.fixture()
def page(browser, site):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    pg.watch = Watch(pg, site)
    yield pg
    context.close()


def ready(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("body[data-ready='1']", timeout=30_000)


def count(page) -> int:
    return int(page.inner_text("#count").split()[0].replace(",", ""))


def api_total(page, site: str, query: str) -> int:
    return page.request.get(f"{site}/api/events?limit=0&{query}").json()["total"]


def changed(page, action) -> None:
    """Do `action` and wait until the page has fetched and drawn the new view."""
    before = page.get_attribute("body", "data-rendered")
    action()
    page.wait_for_function("b => document.body.dataset.rendered !== b", arg=before, timeout=15_000)


def wait_for_count(page, n: int) -> None:
    page.wait_for_function("n => document.querySelector('#count').textContent.startsWith(n + ' event')", arg=n,
                           timeout=15_000)
    page.wait_for_function("n => document.querySelectorAll('#list tbody tr[data-event-id]').length === n", arg=n,
                           timeout=15_000)


def test_dashboard_loads_offline_with_markers_and_rows(page, site):
    t0 = time.monotonic()
    ready(page, site + "/")
    shown = time.monotonic() - t0
    total = api_total(page, site, "")
    assert count(page) == total == page.locator("#list tbody tr[data-event-id]").count()
    markers = page.locator(".leaflet-marker-pane [data-event-id]")
    assert markers.count() >= 1
    row_ids = set(page.eval_on_selector_all("#list tbody tr[data-event-id]", "rs => rs.map(r => r.dataset.eventId)"))
    assert set(page.eval_on_selector_all(".leaflet-marker-pane [data-event-id]",
                                         "ms => ms.map(m => m.dataset.eventId)")) <= row_ids
    assert page.locator("#timeline canvas").count() >= 1
    assert page.locator(".leaflet-basemap-pane canvas").count() == 1  # the country borders
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"))
    page.watch.check()
    assert shown < 30


def test_filter_by_type_and_date_and_the_url_keeps_the_view(page, site):
    ready(page, site + "/")
    changed(page, lambda: page.check("input[name=event_type][value='Protests']"))
    wait_for_count(page, 2)
    types = page.eval_on_selector_all("#list tbody tr td:nth-child(2)", "tds => tds.map(t => t.textContent)")
    assert types == ["Peaceful protest", "Peaceful protest"]
    assert parse_qs(urlsplit(page.url).query)["event_type"] == ["Protests"]
    assert "event_type=Protests" in page.get_attribute("#export-csv", "href")
    def dates_only():
        page.uncheck("input[name=event_type][value='Protests']")
        page.fill("input[name=since]", "2024-07-01")
        page.fill("input[name=until]", "2024-08-31")
        page.dispatch_event("input[name=until]", "change")
    changed(page, dates_only)
    expected = api_total(page, site, "since=2024-07-01&until=2024-08-31")
    wait_for_count(page, expected)
    dates = page.eval_on_selector_all("#list tbody tr td:first-child", "tds => tds.map(t => t.textContent)")
    assert dates and all("2024-07-01" <= d <= "2024-08-31" for d in dates)
    query = parse_qs(urlsplit(page.url).query)
    assert query["since"] == ["2024-07-01"] and query["until"] == ["2024-08-31"]
    export = page.get_attribute("#export-geojson", "href")
    assert "since=2024-07-01" in export and "until=2024-08-31" in export
    # the link reproduces the view
    link = page.url
    ready(page, link)
    wait_for_count(page, expected)
    assert page.input_value("input[name=since]") == "2024-07-01"
    page.watch.check()


def test_timeline_brush_sets_the_dates(page, site):
    ready(page, site + "/")
    box = page.locator("#timeline .u-over").bounding_box()
    y = box["y"] + box["height"] / 2

    def brush():
        page.mouse.move(box["x"] + box["width"] * 0.30, y)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] * 0.70, y, steps=8)
        page.mouse.up()
    changed(page, brush)
    since, until = page.input_value("input[name=since]"), page.input_value("input[name=until]")
    assert "2024-06-02" < since < until < "2024-11-28"
    shown = page.eval_on_selector_all("#list tbody tr td:first-child", "tds => tds.map(t => t.textContent)")
    assert shown and all(since <= d <= until for d in shown)
    assert count(page) == api_total(page, site, f"since={since}&until={until}") < api_total(page, site, "")
    query = parse_qs(urlsplit(page.url).query)
    assert query["since"] == [since] and query["until"] == [until]
    page.watch.check()


def test_sorting_the_list(page, site):
    ready(page, site + "/")
    changed(page, lambda: page.click("#list th[data-sort='fatalities']"))
    assert "desc" in page.get_attribute("#list th[data-sort='fatalities']", "class")
    first = page.inner_text("#list tbody tr:first-child td:nth-child(4)")
    assert first == "Saraqib"
    assert parse_qs(urlsplit(page.url).query)["sort"] == ["-fatalities"]
    page.watch.check()


def test_event_card_with_ledger_and_highlighted_evidence(page, site):
    ready(page, site + "/")
    saraqib = page.locator("#list tbody tr", has_text="Saraqib")
    event_id = saraqib.get_attribute("data-event-id")
    saraqib.click()
    page.wait_for_selector("#card dl.fields")
    card = page.locator("#card")
    assert card.locator("h2").get_attribute("data-event-id") == event_id
    assert "claims ledger" in card.inner_text().lower() and card.locator("table.ledger tbody tr").count() >= 3
    assert card.locator(".range .tick.conservative").count() == 1
    assert card.locator("details.report").count() == 6
    card.locator("details.report", has_text="reuters.com").locator("summary").click()
    page.wait_for_selector("#card details.report[open] .article-text mark")
    assert card.locator("details.report[open] a[href^='https://www.reuters.com/']").count() == 1
    assert parse_qs(urlsplit(page.url).query)["event"] == [event_id]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard-card.png"))
    page.keyboard.press("Escape")
    assert card.is_hidden()
    page.watch.check()


def test_hostile_article_is_shown_as_text_and_nothing_runs(page, site):
    ready(page, site + "/")
    ev = page.request.get(f"{site}/api/events?outlet=evil.example").json()["events"]
    assert ev, "the hostile article made no event"
    event_id = ev[0]["event_id"]
    ready(page, f"{site}/?event={event_id}")
    page.wait_for_selector("#card dl.fields")
    report = page.locator("#card details.report", has_text="evil.example")
    assert "<script>window.__xss='title'</script>" in report.locator("summary").inner_text()
    report.locator("summary").click()
    page.wait_for_selector("#card details.report[open] .article-text")
    text = report.locator(".article-text").inner_text()
    assert "<script>window.__xss='text'</script>" in text and "onerror=" in text
    claims = page.locator("#card ul.claims").inner_text()
    assert "Gunmen killed two police officers" in claims
    assert page.evaluate("() => window.__xss") is None
    assert page.locator("#card img, #card script").count() == 0
    assert page.locator("a[href^='javascript:']").count() == 0
    link = report.locator("ul.links li", has_text="Read the police statement")
    if link.count():  # where the extractor kept the link, it is plain text
        assert link.locator("a").count() == 0
    scripts = page.eval_on_selector_all("script", "ss => ss.map(s => s.getAttribute('src'))")
    assert all(s and s.startswith("vendor/") or s == "app.js" for s in scripts)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard-xss.png"))
    page.watch.check()


def test_api_docs_page_works_offline(page, site):
    page.goto(site + "/docs")
    page.wait_for_selector("section.op")
    paths = page.eval_on_selector_all("section.op .path", "ps => ps.map(p => p.textContent)")
    assert "/api/events" in paths and "/api/ingest" in paths
    page.watch.check()
