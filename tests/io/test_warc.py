"""WARC / WET reading with fastwarc: which records are documents, ids, meta, encodings."""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

import pytest

from tests.io.conftest import ARTICLE_HTML, html_page
from unspin.io import read_documents


@pytest.mark.parametrize("gz", [False, True])
def test_html_responses_become_documents(make_warc, gz: bool) -> None:
    path = make_warc(
        "crawl.warc.gz" if gz else "crawl.warc",
        [
            ("request", "http://ex.com/a", b""),
            ("response", "http://ex.com/a", ARTICLE_HTML),
            ("metadata", "http://ex.com/a", b'{"fetchTimeMs": 12}'),
            ("response", "http://ex.com/b", html_page("Second page.")),
        ],
        gz=gz,
    )
    got = list(read_documents(path))
    assert [d.meta["url"] for d in got] == ["http://ex.com/a", "http://ex.com/b"]
    assert all(d.ok and d.id.startswith("<urn:uuid:") for d in got)
    assert got[0].text.startswith("Harbour town opens new ferry terminal")
    assert "Second page." in got[1].text
    assert got[0].origin == f"{path}#3"  # warcinfo and request come first


def test_non_documents_are_skipped(make_warc) -> None:
    path = make_warc(
        "mixed.warc",
        [
            ("response", "http://ex.com/img", b"\x89PNG\r\n\x1a\n\x00\x00", {"ctype": "image/png"}),
            ("response", "http://ex.com/moved", b"", {"status": "301 Moved Permanently"}),
            (
                "response",
                "http://ex.com/gone",
                html_page("Not found."),
                {"status": "404 Not Found"},
            ),
            ("response", "http://ex.com/ok", html_page("Kept.")),
        ],
    )
    assert [d.meta["url"] for d in read_documents(path)] == ["http://ex.com/ok"]


def test_plain_text_response(make_warc) -> None:
    path = make_warc(
        "t.warc", [("response", "http://ex.com/t", b"Plain words.", {"ctype": "text/plain"})]
    )
    [d] = read_documents(path)
    assert d.text == "Plain words."


@pytest.mark.parametrize("gz", [False, True])
def test_wet_conversion_records(make_warc, gz: bool) -> None:
    path = make_warc(
        "crawl.wet.gz" if gz else "crawl.wet",
        [
            ("conversion", "http://ex.com/a", "Caf\u00e9 text of page A.\nSecond line.".encode()),
            ("conversion", "http://ex.com/b", b"Text of page B."),
        ],
        gz=gz,
    )
    got = list(read_documents(path))
    assert [d.text for d in got] == ["Café text of page A.\nSecond line.", "Text of page B."]
    assert [d.meta["url"] for d in got] == ["http://ex.com/a", "http://ex.com/b"]


def test_charset_from_http_header(make_warc) -> None:
    page = html_page("Caf\u00e9 cr\u00e8me in Z\u00fcrich.").decode().encode("cp1252")
    path = make_warc(
        "l1.warc",
        [("response", "http://ex.com/", page, {"ctype": "text/html; charset=iso-8859-1"})],
    )
    [d] = read_documents(path)
    assert "Café crème in Zürich." in d.text and not d.warnings


@pytest.mark.parametrize("coding", ["gzip", "deflate"])
def test_content_encoded_payload_is_decoded(make_warc, coding: str) -> None:
    raw = html_page("Compressed body.")
    body = gzip.compress(raw) if coding == "gzip" else zlib.compress(raw)
    path = make_warc(
        "ce.warc", [("response", "http://ex.com/", body, {"extra": [("Content-Encoding", coding)]})]
    )
    [d] = read_documents(path)
    assert "Compressed body." in d.text


def test_content_encoding_bomb_is_bounded(make_warc) -> None:
    bomb = gzip.compress(b"<p>" + b" " * 3_000_000 + b"</p>")
    path = make_warc(
        "bomb.warc",
        [
            ("response", "http://ex.com/bomb", bomb, {"extra": [("Content-Encoding", "gzip")]}),
            ("response", "http://ex.com/ok", html_page("After the bomb.")),
        ],
    )
    got = list(read_documents(path, max_bytes=100_000))
    assert got[0].error is not None and got[0].error.startswith("document too large")
    assert "After the bomb." in got[1].text


def test_oversized_record_is_an_error_and_reading_goes_on(make_warc) -> None:
    path = make_warc(
        "big.warc",
        [
            ("response", "http://ex.com/big", html_page("x" * 5000)),
            ("response", "http://ex.com/ok", html_page("Small one.")),
        ],
    )
    big, ok = read_documents(path, max_bytes=2000)
    assert big.error is not None and big.error.startswith("document too large (")
    assert big.meta["url"] == "http://ex.com/big" and big.text == ""
    assert "Small one." in ok.text


def test_unsupported_content_encoding(make_warc, tmp_path: Path) -> None:
    path = make_warc(
        "br.warc",
        [("response", "http://ex.com/", b"\x0b\x02", {"extra": [("Content-Encoding", "zz")]})],
    )
    [d] = read_documents(path)
    assert d.error == "unsupported Content-Encoding: zz"
