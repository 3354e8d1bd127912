"""The article layer on ugly markup: text, links, images, date and outlet."""
from __future__ import annotations

import pytest

from sitroom.article import date_from_urls, from_html, from_text, host_of, normalize_text
from sitroom.errors import ExtractionFailed

BODY = ("Militia fighters attacked an army checkpoint outside the district town at dawn on Monday, "
        "officials said, in the heaviest fighting the area has seen this year. ")

UGLY_PAGES = {
    # scripts, styles and a cookie banner around the story
    "scripts_and_cookies": (
        "<html><head><script>var x = '<p>not text</p>';</script><style>p{color:red}</style></head><body>"
        "<div class='cookie-banner'>We use cookies. Accept all cookies to continue.</div>"
        f"<article><p>{BODY * 2}</p><p>A second paragraph follows with more detail about the clashes.</p></article>"
        "<script>trackPageView();</script></body></html>",
        ["Militia fighters attacked", "A second paragraph follows"],
        ["trackPageView", "not text", "color:red", "Accept all cookies"],
    ),
    # named and numeric entities, non-breaking spaces
    "entities": (
        f"<article><p>{BODY}Casualties&nbsp;were &#8220;heavy&#8221; &amp; rising &mdash; caf&eacute; owners fled.</p></article>",
        ["Casualties were \u201cheavy\u201d & rising \u2014 caf\u00e9 owners fled."],
        ["&nbsp;", "&amp;", "&#8220;", "\u00a0"],
    ),
    # layout tables nested inside a data table
    "nested_tables": (
        "<html><body><table><tr><td><table><tr><td>"
        f"<p>{BODY * 2}</p></td></tr></table></td></tr></table></body></html>",
        ["Militia fighters attacked"],
        ["<td>", "<table>"],
    ),
    # no <html>, no <body>, unclosed paragraphs, a stray closing tag
    "missing_tags": (
        f"<p>{BODY * 2}<p>Residents said the shooting lasted two hours.</div><p>Schools were closed on Tuesday.",
        ["Militia fighters attacked", "Residents said the shooting lasted two hours.", "Schools were closed on Tuesday."],
        ["<p>", "</div>"],
    ),
}


@pytest.mark.parametrize("name", sorted(UGLY_PAGES))
def test_article_ugly_markup_gives_clean_text(name):
    html, must, must_not = UGLY_PAGES[name]
    art = from_html(html, source=name)
    for snippet in must:
        assert snippet in art.text, (name, snippet, art.text)
    for snippet in must_not:
        assert snippet not in art.text, (name, snippet)
    assert "<" not in art.text


def test_article_paragraph_breaks_are_kept():
    art = from_html(f"<p>{BODY}</p><p>Second paragraph about the aftermath of the clashes.</p>", source="t")
    assert "\n\n" in art.text
    first, second = art.text.split("\n\n")
    assert first.startswith("Militia") and second.startswith("Second paragraph")


def test_article_links_and_images_with_attributes():
    html = (f"<p>{BODY} It followed <a href='https://news.example/2023/05/01/earlier'>an earlier raid</a> "
            "and <a href='/local/story'>a local story</a>.</p>"
            "<p><img src='https://news.example/img/2023/05/09/pic.jpg' title='Checkpoint after the attack' alt='A burnt truck'></p>"
            f"<p>{BODY}</p>")
    art = from_html(html, source="t", url="https://news.example/world/attack")
    assert [(l.url, l.text) for l in art.links] == [
        ("https://news.example/2023/05/01/earlier", "an earlier raid"),
        ("https://news.example/local/story", "a local story"),
    ]
    assert len(art.images) == 1
    assert art.images[0].title == "Checkpoint after the attack" and art.images[0].alt == "A burnt truck"


def test_article_date_from_own_image_path_when_page_has_no_date():
    html = (f"<p>{BODY}</p><p><img src='https://outlet.example/m/2022/03/04/photo.png' title='t'></p>"
            f"<p>See <a href='https://outlet.example/a/2021/01/02/older'>older</a>.</p><p>{BODY}</p>")
    art = from_html(html, source="t")
    assert art.published == "2022-03-04"
    assert art.outlet == "outlet.example"


@pytest.mark.parametrize("meta,expected", [
    ('<meta property="article:published_time" content="2021-06-07T10:00:00Z">', "2021-06-07"),
    ('<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2020-02-03"}</script>', "2020-02-03"),
])
def test_article_date_from_page_metadata(meta, expected):
    html = f"<html><head>{meta}</head><body><article><p>{BODY * 3}</p></article></body></html>"
    assert from_html(html, source="t").published == expected


def test_article_given_published_and_url_win():
    html = f"<html><head><meta name='date' content='2020-01-01'></head><body><p>{BODY * 3}</p></body></html>"
    art = from_html(html, source="t", url="https://www.wire.example/x", published="2024-05-05")
    assert art.published == "2024-05-05"
    assert art.outlet == "wire.example"


def test_article_html_without_text_fails_clearly():
    with pytest.raises(ExtractionFailed, match="no article text"):
        from_html("<html><body><script>var a = 1;</script></body></html>", source="page.html")


def test_article_text_date_line():
    art = from_text("Press release\n\nPublished 3 April 2024\n\nGunmen attacked a village on Monday.", source="t")
    assert art.published == "2024-04-03"


@pytest.mark.parametrize("urls,host,expected", [
    (["https://a.example/2024/11/30/x.png"], None, "2024-11-30"),
    (["https://a.example/2024-01-02-title", "https://a.example/2024/03/04/b"], None, "2024-03-04"),
    (["https://b.example/2024/03/04/b", "https://a.example/2023/03/04/b"], "a.example", "2023-03-04"),
    (["https://a.example/2024/13/40/bad"], None, None),
])
def test_article_date_from_urls(urls, host, expected):
    assert date_from_urls(urls, host) == expected


def test_article_normalize_text_collapses_spaces_and_blank_lines():
    assert normalize_text("  a\u00a0 b \r\n\r\n\r\n\r\nc  ") == "a b\n\nc"
    assert host_of("https://www.Example.org/x") == "example.org"


def test_article_plain_text_is_kept_verbatim_so_offsets_match_the_input():
    raw = "\nKYIV  (Wire) - Shelling hit Kharkiv.\r\n\r\nTwo people were hurt.  "
    assert from_text(raw, source="t").text == raw


def test_article_plain_text_of_only_whitespace_fails():
    with pytest.raises(ExtractionFailed, match="no text"):
        from_text(" \n\t ", source="t")


def test_article_soft_hyphens_are_dropped_from_pages():
    from sitroom.article import from_html
    art = from_html("<html><body><article><p>A cy\u00adber\u00adat\u00adtack closed the grocery chain's branches "
                    "on Tues\u00adday, the company said in a statement to customers.</p></article></body></html>",
                    source="t")
    assert "\u00ad" not in art.text and "cyberattack" in art.text
