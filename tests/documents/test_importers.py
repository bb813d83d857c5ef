"""Tests for apps.documents.importers: pure parsing of uploaded files, no database."""

import datetime
import json
import pickle
import re

import pytest
import trafilatura
from hypothesis import given
from hypothesis import strategies as st

from apps.documents.importers import (
    SUPPORTED_EXTENSIONS,
    ImportFileError,
    ParsedDocument,
    check_file_size,
    html_to_document,
    human_size,
    normalize_text,
    parse_file,
)

MAX_FILE_BYTES = 5 * 1024 * 1024

ARTICLE_HTML = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Baghuz falls | Example News</title>
  <meta name="author" content="Jeff Seldin">
  <meta property="article:published_time" content="2019-03-12T10:00:00Z">
  <link rel="canonical" href="https://news.example.org/baghuz">
  <style>.secret-style { color: red; }</style>
  <script>var secretScript = "SCRIPT-TEXT";</script>
</head>
<body>
  <nav><a href="/">NAV-HOME</a> <a href="/world">NAV-WORLD</a></nav>
  <header><div class="logo">HEADER-BRAND</div></header>
  <article>
    <h1>Final Battle Against IS Caliphate as 'Good as Over'</h1>
    <p>About 3,000 people, mostly Islamic State fighters, poured out of the IS enclave of Baghuz
       Tuesday, as U.S.-backed forces targeted the terror group's self-proclaimed caliphate.</p>
    <p>Syrian Democratic Forces and Kurdish officials said hundreds of Islamic State fighters and
       their families surrendered en masse Tuesday, according to several statements.</p>
    <script>document.write("INLINE-SCRIPT-TEXT");</script>
    <p>The SDF have been closing in on the last shred of IS territory in northeastern Syria,
       advancing slowly due to the presence of mines and booby traps.</p>
  </article>
  <aside>ASIDE-RELATED-LINKS</aside>
  <footer>FOOTER-COPYRIGHT</footer>
</body>
</html>
"""

ARTICLE_PARAGRAPHS = [
    "About 3,000 people, mostly Islamic State fighters, poured out of the IS enclave of Baghuz Tuesday, "
    "as U.S.-backed forces targeted the terror group's self-proclaimed caliphate.",
    "Syrian Democratic Forces and Kurdish officials said hundreds of Islamic State fighters and their "
    "families surrendered en masse Tuesday, according to several statements.",
    "The SDF have been closing in on the last shred of IS territory in northeastern Syria, advancing "
    "slowly due to the presence of mines and booby traps.",
]

BOILERPLATE = [
    "SCRIPT-TEXT",
    "INLINE-SCRIPT-TEXT",
    "secret-style",
    "color: red",
    "NAV-HOME",
    "NAV-WORLD",
    "HEADER-BRAND",
    "ASIDE-RELATED-LINKS",
    "FOOTER-COPYRIGHT",
]

UNICODE_SAMPLES = [
    pytest.param("Family 👩\u200d👩\u200d👧\u200d👦 and 🏳\ufe0f\u200d🌈 here", id="emoji-zwj"),
    pytest.param("Flags 🇸🇾🇮🇶 and wave 👋🏽", id="emoji-flags-skin-tone"),
    pytest.param("cafe\u0301 and n\u0303 and A\u030a", id="combining-marks-decomposed"),
    pytest.param("\u1100\u1161\u11a8 vs \uac01", id="hangul-jamo"),
    pytest.param("بِسْمِ ٱللَّٰهِ ٱلرَّحْمَٰنِ ٱلرَّحِيمِ", id="arabic-with-harakat"),
    pytest.param("می\u200cخواهم بروم", id="persian-zwnj"),
    pytest.param("\u200fقال المتحدث\u200e (SDF)", id="bidi-marks"),
    pytest.param("中文字符，日本語のテキスト、한국어", id="cjk"),
    pytest.param("ﬁ ligature, ① circled, Ｆｕｌｌwidth", id="compatibility-chars"),
]


def _error(filename: str, data: bytes) -> ImportFileError:
    with pytest.raises(ImportFileError) as caught:
        parse_file(filename, data)
    return caught.value


def _jsonl(*records: object) -> bytes:
    return "\n".join(json.dumps(record, ensure_ascii=False) for record in records).encode()


def _no_trafilatura(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *args, **kwargs: None)


# --- normalize_text -------------------------------------------------------------------------------


def test_normalize_text_strips_leading_bom():
    assert normalize_text("\ufeffHello") == "Hello"


def test_normalize_text_keeps_a_bom_inside_the_text():
    assert normalize_text("a\ufeffb") == "a\ufeffb"


def test_normalize_text_converts_crlf_and_lone_cr():
    assert normalize_text("one\r\ntwo\rthree\n\r\nfour") == "one\ntwo\nthree\n\nfour"


def test_normalize_text_removes_nul_and_c0_controls_but_keeps_tab_and_newline():
    assert normalize_text("a\x00b\x07c\td\x1be\x0bf\x0cg\nh\x1fi") == "abc\tdefg\nhi"


def test_normalize_text_strips_trailing_whitespace_and_leading_blank_lines():
    assert normalize_text("\n  \n\t\n  indented first line\nsecond  \n\n \t\n") == "  indented first line\nsecond"


def test_normalize_text_keeps_inner_blank_lines_and_inner_spacing():
    text = "para one   with  spaces\n\n\n\tpara two"
    assert normalize_text(text) == text


def test_normalize_text_of_blank_input_is_empty():
    assert normalize_text(" \n\t\r\n\ufeff\x00 ") == ""


@pytest.mark.parametrize("sample", UNICODE_SAMPLES)
def test_normalize_text_keeps_unicode_code_points_exactly(sample):
    normalized = normalize_text(sample)
    assert normalized == sample
    assert [ord(c) for c in normalized] == [ord(c) for c in sample]


# Characters that normalize_text treats specially, mixed into arbitrary Unicode so that they often meet.
messy_text = st.text(alphabet=st.one_of(st.sampled_from("\r\n\t \x00\x0b\x1f\ufeff\u00a0\u2028"), st.characters()))


@given(messy_text)
def test_normalize_text_is_idempotent(text):
    once = normalize_text(text)
    assert normalize_text(once) == once


@given(messy_text)
def test_normalize_text_output_has_no_cr_controls_or_leading_bom(text):
    normalized = normalize_text(text)
    assert "\r" not in normalized
    assert not re.search(r"[\x00-\x08\x0b-\x1f]", normalized)
    assert not normalized.startswith("\ufeff")
    assert normalized == normalized.rstrip()


def _without_leading_blank_lines(text: str) -> str:
    lines = text.split("\n")
    while len(lines) > 1 and not lines[0].strip():
        lines.pop(0)
    return "\n".join(lines)


clean_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\ufeff").filter(
        lambda c: c in "\n\t" or not ("\x00" <= c <= "\x1f")
    )
)


@given(clean_text)
def test_normalize_text_only_trims_clean_text(text):
    assert normalize_text(text) == _without_leading_blank_lines(text).rstrip()


# --- parse_file: dispatch and bad files -----------------------------------------------------------


@pytest.mark.parametrize("filename", ["report.pdf", "archive.tar.gz", "README", "notes.txt.bak", ".txt"])
def test_unsupported_extension_names_the_supported_ones(filename):
    error = _error(filename, b"hello")
    assert error.filename == filename
    for extension in SUPPORTED_EXTENSIONS:
        assert extension in error.reason
    assert "not supported" in error.reason


def test_error_str_is_name_colon_reason_and_survives_pickling():
    error = ImportFileError("a.txt", "is empty")
    assert str(error) == "a.txt: is empty"
    assert (error.filename, error.reason) == ("a.txt", "is empty")
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.filename, copy.reason, str(copy)) == ("a.txt", "is empty", "a.txt: is empty")


@pytest.mark.parametrize("filename", ["UPPER.TXT", "Mixed.Md", "page.HTML", "page.Htm", "data.JSONL"])
def test_extension_is_case_insensitive(filename):
    data = _jsonl({"title": "t", "text": "x"}) if filename.lower().endswith(".jsonl") else b"<p>Some text</p>"
    assert parse_file(filename, data)


def test_file_of_exactly_the_limit_is_accepted():
    check_file_size("big.txt", MAX_FILE_BYTES, MAX_FILE_BYTES)


def test_file_over_the_limit_is_rejected_with_size_and_limit():
    with pytest.raises(ImportFileError) as raised:
        check_file_size("big.txt", MAX_FILE_BYTES + 1, MAX_FILE_BYTES)
    assert str(raised.value) == "big.txt: is 5.1 MB; the limit is 5 MB a file"


@pytest.mark.parametrize(
    ("size", "shown"),
    [(int(7.3 * 1024 * 1024), "7.3 MB"), (5 * 1024 * 1024, "5 MB"), (1500, "1.5 KB"), (2048, "2 KB"), (90, "90 bytes")],
)
def test_sizes_are_shown_rounded_up_in_megabytes_kilobytes_or_bytes(size, shown):
    assert human_size(size) == shown


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"%PDF-1.7\n\x00\x01\x02",
        b"text with a \x00 NUL byte",
    ],
)
def test_nul_bytes_mean_a_binary_file(data):
    assert _error("upload.txt", data).reason == "looks like a binary file"


def test_invalid_utf8_names_the_byte_and_position():
    assert _error("notes.txt", b"hello world!\xff").reason == "is not UTF-8 text: invalid byte 0xff at position 12"


def test_latin1_text_is_rejected_as_not_utf8():
    error = _error("cafe.md", "Café crème".encode("latin-1"))
    assert error.reason == "is not UTF-8 text: invalid byte 0xe9 at position 3"


def test_invalid_byte_position_counts_the_bom():
    error = _error("bom.txt", b"\xef\xbb\xbfab\xe9")
    assert error.reason == "is not UTF-8 text: invalid byte 0xe9 at position 5"


def test_utf16_text_is_rejected_with_a_hint():
    assert _error("wide.txt", "hello".encode("utf-16")).reason == "is UTF-16 text; save it as UTF-8"


@pytest.mark.parametrize("extension", SUPPORTED_EXTENSIONS)
@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  ", b"\xef\xbb\xbf", b"\xef\xbb\xbf\r\n\r\n"])
def test_empty_or_whitespace_only_file_is_empty(extension, data):
    assert _error(f"blank{extension}", data).reason == "is empty"


# --- .txt -----------------------------------------------------------------------------------------


def test_txt_title_is_the_stem_and_text_is_normalized():
    data = b"\xef\xbb\xbf\r\n\r\nFinal Battle\r\n\r\nAbout 3,000 people.\x07  \r\n"
    assert parse_file("baghuz-2019-03-12.txt", data) == [
        ParsedDocument(title="baghuz-2019-03-12", text="Final Battle\n\nAbout 3,000 people.")
    ]


def test_txt_title_uses_only_the_base_name():
    (document,) = parse_file("uploads/2019/report.final.txt", b"x")
    assert document.title == "report.final"


def test_txt_title_is_cut_to_300_characters():
    (document,) = parse_file("a" * 400 + ".txt", b"x")
    assert document.title == "a" * 300


@pytest.mark.parametrize("sample", UNICODE_SAMPLES)
def test_txt_keeps_unicode_exactly(sample):
    (document,) = parse_file("u.txt", sample.encode())
    assert document.text == sample


# --- .md ------------------------------------------------------------------------------------------


def test_md_title_is_first_h1_and_text_is_the_source():
    source = "Intro line\n\n## Not the title\n\n# The *Real* Title #\n\nBody with **bold** and [a link](x).\n"
    (document,) = parse_file("notes.md", source.encode())
    assert document.title == "The *Real* Title"
    assert document.text == source.rstrip()


def test_md_without_h1_uses_the_stem():
    (document,) = parse_file("field-notes.md", b"## Only a second-level heading\n\n#hashtag is not a heading\n")
    assert document.title == "field-notes"


def test_md_heading_inside_code_fence_is_ignored():
    source = "```bash\n# install the tools\n```\n\n# Real Title\n\ntext"
    (document,) = parse_file("howto.md", source.encode())
    assert document.title == "Real Title"


def test_md_title_is_stripped_and_cut():
    (document,) = parse_file("long.md", ("#    " + "x" * 350 + "   \nbody").encode())
    assert document.title == "x" * 300


# --- .html ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def article() -> ParsedDocument:
    (document,) = parse_file("baghuz.html", ARTICLE_HTML.encode())
    return document


def test_html_drops_scripts_styles_and_navigation(article):
    for junk in BOILERPLATE:
        assert junk not in article.text


def test_html_keeps_article_paragraphs_separated_by_blank_lines(article):
    blocks = article.text.split("\n\n")
    for paragraph in ARTICLE_PARAGRAPHS:
        assert paragraph in blocks
    assert "\n\n\n" not in article.text


def test_html_metadata(article):
    assert article.title
    assert len(article.title) <= 300
    assert article.author == "Jeff Seldin"
    assert article.published == datetime.date(2019, 3, 12)
    assert article.source_url == "https://news.example.org/baghuz"


def test_html_text_is_already_normalized(article):
    assert normalize_text(article.text) == article.text


SITE_FURNITURE = (
    "<header><div>SITE-BANNER</div></header>"
    '<nav><a href="/">Home</a> | <a href="/about">About</a> | <a href="/contact">Contact</a></nav>'
    '<div role="navigation"><a href="/a">ROLE-MENU</a></div>'
    "<style>p { color: red }</style><script>var tracker = 'SCRIPT';</script>"
    "<aside>ASIDE-LINKS</aside>"
)
SITE_FOOTER = "<footer>FOOTER-COPYRIGHT</footer><noscript>NOSCRIPT</noscript>"
FURNITURE_WORDS = ("SITE-BANNER", "Home", "About", "ROLE-MENU", "SCRIPT", "color", "ASIDE", "FOOTER", "NOSCRIPT")


@pytest.mark.parametrize("paragraphs", [1, 40], ids=["short-page", "long-page"])
def test_html_never_keeps_navigation_headers_footers_scripts_or_styles(paragraphs):
    article = "".join(
        f"<p>Paragraph {n}: a ceasefire held in Idlib on Monday, officials said.</p>" for n in range(paragraphs)
    )
    body = f"{SITE_FURNITURE}<main>{article}</main>{SITE_FOOTER}"
    html = f"<html><head><title>Ceasefire</title></head><body>{body}</body></html>"
    (document,) = parse_file("page.html", html.encode())
    assert document.text.startswith("Paragraph 0: a ceasefire held in Idlib")
    assert f"Paragraph {paragraphs - 1}:" in document.text
    assert [word for word in FURNITURE_WORDS if word in document.text] == []
    assert document.title == "Ceasefire"


def test_htm_extension_is_html():
    (document,) = parse_file("baghuz.HTM", ARTICLE_HTML.encode())
    assert ARTICLE_PARAGRAPHS[0] in document.text


def test_html_keeps_unicode_that_trafilatura_would_strip():
    paragraph = "Persian می\u200cخواهم, family 👩\u200d👩\u200d👧, decomposed cafe\u0301, \u200fRTL mark."
    html = f"<html><body><article><p>{paragraph}</p><p>{'Filler sentence. ' * 10}</p></article></body></html>"
    (document,) = parse_file("unicode.html", html.encode())
    assert paragraph in document.text.split("\n\n")


def test_html_lists_and_tables_become_lines_within_a_block():
    html = (
        "<html><body><article><p>Intro paragraph that is long enough to be kept as article content.</p>"
        "<ul><li>first point</li><li>second point</li></ul>"
        "<table><tr><th>Town</th><th>Date</th></tr><tr><td>Baghuz</td><td>2019</td></tr></table>"
        "</article></body></html>"
    )
    (document,) = parse_file("lists.html", html.encode())
    blocks = document.text.split("\n\n")
    assert "- first point\n- second point" in blocks
    assert "Town | Date\nBaghuz | 2019" in blocks


def test_html_title_falls_back_to_title_element_then_stem(monkeypatch):
    _no_trafilatura(monkeypatch)
    (titled,) = parse_file("page.html", b"<html><head><title> Short page </title></head><body><p>Hi</p></body></html>")
    (untitled,) = parse_file("my-page.html", b"<p>Hi</p>")
    assert titled.title == "Short page"
    assert untitled.title == "my-page"


def test_tiny_html_fragment_still_yields_text():
    (document,) = parse_file("fragment.html", b"<p>bare fragment</p>")
    assert document.text == "bare fragment"
    assert document.title == "fragment"


def test_lxml_fallback_drops_boilerplate_and_separates_blocks(monkeypatch):
    _no_trafilatura(monkeypatch)
    (document,) = parse_file("baghuz.html", ARTICLE_HTML.encode())
    assert document.title == "Baghuz falls | Example News"
    assert document.text == "\n\n".join(["Final Battle Against IS Caliphate as 'Good as Over'", *ARTICLE_PARAGRAPHS])
    assert (document.author, document.source_url, document.published) == ("", "", None)


def test_lxml_fallback_structure(monkeypatch):
    _no_trafilatura(monkeypatch)
    html = """<body><!-- a comment --><h2>Heading</h2>
      <div>Loose <b>bold</b>   text<br>after break</div>
      <ul><li>one</li><li><p>two</p></li><li>three<ul><li>nested</li></ul></li></ul>
      <pre>code line
    indented</pre>
      <table><tr><td>a</td><td><p>b</p></td></tr></table></body>"""
    document = html_to_document(html, fallback_title="x")
    assert document.text == (
        "Heading\n\nLoose bold text\nafter break\n\n- one\n- two\n- three\n- nested\n\ncode line\n    indented\n\na | b"
    )


def test_trafilatura_failure_falls_back_to_lxml(monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(trafilatura, "bare_extraction", explode)
    document = html_to_document("<p>still readable</p>", fallback_title="x")
    assert document.text == "still readable"


def test_xhtml_with_encoding_declaration(monkeypatch):
    html = (
        '<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml"><body><p>é</p></body></html>'
    )
    assert html_to_document(html, fallback_title="x").text == "é"
    _no_trafilatura(monkeypatch)
    assert html_to_document(html, fallback_title="x").text == "é"


def test_html_without_readable_text_is_rejected():
    html = b"<html><head><title>Nothing</title><script>var x = 1;</script></head><body></body></html>"
    assert _error("empty.html", html).reason == "has no readable text"


def test_html_to_document_uses_fallback_title_and_allows_empty_text():
    document = html_to_document("<html><body></body></html>", fallback_title="  Fallback  ")
    assert document == ParsedDocument(title="Fallback", text="")


# --- .jsonl ---------------------------------------------------------------------------------------


def test_jsonl_one_document_per_line():
    data = (
        _jsonl(
            {
                "title": "  First  ",
                "text": "Line one\r\nLine two\u0000",
                "source_url": "https://a.example/1",
                "author": "A. Writer",
                "published": "2019-03-12",
            },
            {"title": "Second", "text": "Body 👩\u200d👩\u200d👧", "url": "https://b.example/2", "published": None},
        )
        + b"\n\n   \n"
        + _jsonl({"title": "Third", "text": "x", "published": "2019-03-12T23:30:00-05:00", "extra": [1, 2]})
        + b"\n"
    )
    assert parse_file("batch.jsonl", data) == [
        ParsedDocument(
            title="First",
            text="Line one\nLine two",
            source_url="https://a.example/1",
            author="A. Writer",
            published=datetime.date(2019, 3, 12),
        ),
        ParsedDocument(title="Second", text="Body 👩\u200d👩\u200d👧", source_url="https://b.example/2"),
        ParsedDocument(title="Third", text="x", published=datetime.date(2019, 3, 12)),
    ]


def test_jsonl_accepts_crlf_bom_and_utc_z():
    data = b"\xef\xbb\xbf" + _jsonl({"title": "t", "text": "x", "published": "2024-02-29T10:00:00Z"}) + b"\r\n"
    (document,) = parse_file("win.jsonl", data)
    assert document.published == datetime.date(2024, 2, 29)


def test_jsonl_source_url_wins_over_url():
    (document,) = parse_file(
        "u.jsonl", _jsonl({"title": "t", "text": "x", "source_url": "https://a", "url": "https://b"})
    )
    assert document.source_url == "https://a"


def test_jsonl_title_is_cut_to_300_characters():
    (document,) = parse_file("t.jsonl", _jsonl({"title": "y" * 500, "text": "x"}))
    assert document.title == "y" * 300


GOOD = {"title": "ok", "text": "fine"}


@pytest.mark.parametrize(
    ("lines", "reason"),
    [
        ([GOOD, GOOD, {"title": "no text"}], "line 3: missing field 'text'"),
        ([{"text": "no title"}], "line 1: missing field 'title'"),
        ([GOOD, '{"title": "a" "text": "b"}'], "line 2: invalid JSON (Expecting ',' delimiter)"),
        ([GOOD, "not json at all"], "line 2: invalid JSON (Expecting value)"),
        (
            [GOOD, GOOD, GOOD, {"title": "t", "text": "x", "published": "yesterday"}],
            "line 4: 'published' is not an ISO date: 'yesterday'",
        ),
        (
            [{"title": "t", "text": "x", "published": "2019-02-30"}],
            "line 1: 'published' is not an ISO date: '2019-02-30'",
        ),
        ([GOOD, {"title": "t", "text": " \n\t\u0000 "}], "line 2: 'text' is empty"),
        ([{"title": "   ", "text": "x"}], "line 1: 'title' is empty"),
        ([["title", "text"]], "line 1: expected a JSON object, got array"),
        (['"just a string"'], "line 1: expected a JSON object, got string"),
        ([{"title": "t", "text": 42}], "line 1: 'text' must be a string, not number"),
        ([{"title": None, "text": "x"}], "line 1: 'title' must be a string, not null"),
        ([{"title": "t", "text": "x", "author": ["a", "b"]}], "line 1: 'author' must be a string, not array"),
        ([{"title": "t", "text": "x", "published": 2019}], "line 1: 'published' must be a string, not number"),
        (["[" * 100_000], "line 1: invalid JSON (nested too deeply)"),
    ],
)
def test_jsonl_bad_line_fails_the_whole_file(lines, reason):
    data = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines).encode()
    error = _error("batch.jsonl", data)
    assert error.reason == reason
    assert str(error) == f"batch.jsonl: {reason}"


def test_jsonl_line_numbers_count_blank_lines():
    data = _jsonl(GOOD) + b"\n\n\n" + b'{"title": "t"}'
    assert _error("gaps.jsonl", data).reason == "line 4: missing field 'text'"
