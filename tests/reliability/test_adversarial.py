"""Adversarial inputs: huge lines and documents, deep nesting, decompression bombs, mixed
and right-to-left scripts, invisible characters and look-alike letters, other languages."""

from __future__ import annotations

import gzip
import io
import tracemalloc
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from unspin.detect import check_text
from unspin.io import read_documents
from unspin.text import tokenize

PROSE = (
    "The minister said on Tuesday that trade talks with the United States would resume "
    "next month, after officials agreed a framework for tariffs on steel and cars. "
    "Analysts said the deal could lift shares of exporters, although investors remained "
    "cautious about the outlook for growth in the second half of the year. "
)
# A spun rendering of the same story (typical thesaurus swaps), to reach the scorer.
SPUN = (
    "The minister acknowledged on Tuesday that replace talks with the usa would resume "
    "subsequent month, after officers agreed a framework for tariffs on metal and automobiles. "
    "Analysts acknowledged the deal may elevate stocks of exporters, even though buyers remained "
    "careful concerning the outlook for progress within the second half of the 12 months. "
)
CYRILLIC = str.maketrans(
    {"a": "\u0430", "e": "\u0435", "o": "\u043e", "c": "\u0441", "p": "\u0440"}
)


def _peak_bytes(fn) -> tuple[object, int]:
    tracemalloc.start()
    try:
        out = fn()
        return out, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _warc(records: list[tuple[str, bytes, str, list[tuple[str, str]]]]) -> bytes:
    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=False)
    for url, payload, ctype, extra in records:
        http = StatusAndHeaders("200 OK", [("Content-Type", ctype), *extra], protocol="HTTP/1.1")
        rec = w.create_warc_record(url, "response", payload=io.BytesIO(payload), http_headers=http)
        w.write_record(rec)
    return buf.getvalue()


# -- size ----------------------------------------------------------------------------------
def test_a_50_mb_single_line_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    with path.open("wb") as fh:
        for _ in range(50):
            fh.write(PROSE.encode() * (1_000_000 // len(PROSE)))
    assert path.stat().st_size > 45_000_000
    docs, peak = _peak_bytes(lambda: list(read_documents(path)))
    [d] = docs
    assert d.error is not None and "too large" in d.error
    assert peak < 4 * 5_000_000, f"peak Python allocations {peak:,} bytes"  # not ~50 MB


def test_a_50_mb_json_line_is_refused_and_the_next_line_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    with path.open("w") as fh:
        fh.write('{"id": "big", "text": "' + "word " * 10_000_000 + '"}\n')
        fh.write('{"id": "small", "text": "' + PROSE + '"}\n')
    docs, peak = _peak_bytes(lambda: list(read_documents(path)))
    assert [d.id for d in docs][-1] == "small" and docs[-1].ok
    assert docs[0].error is not None and "too large" in docs[0].error
    assert peak < 4 * 5_000_000, f"peak Python allocations {peak:,} bytes"


def test_a_one_megabyte_line_without_spaces_tokenises() -> None:
    text = "a" * 1_000_000 + " " + PROSE
    toks = tokenize(text)
    assert toks.forms[0] == "a" * 1_000_000 and int(toks.ends[-1]) <= len(text)
    res = check_text(text)
    assert res.label in {"spun", "clean", "not_scored"}


def test_many_tiny_lines_are_not_scored_quietly() -> None:
    res = check_text("a\n" * 50_000)
    assert res.label == "not_scored" and res.reason


# -- nesting -------------------------------------------------------------------------------
def test_html_nested_twenty_thousand_deep(tmp_path: Path) -> None:
    path = tmp_path / "deep.html"
    body = "<div>" * 20_000 + f"<p>{PROSE * 3}</p>" + "</div>" * 20_000
    path.write_text(f"<html><body>{body}</body></html>")
    [d] = read_documents(path)
    assert d.ok or d.error  # a document either way; never an exception
    d.text.encode("utf-8")


def test_json_nested_a_hundred_thousand_deep(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    docs = list(read_documents(path))
    assert docs and all(d.error for d in docs)


# -- decompression bombs -------------------------------------------------------------------
def test_gzip_bomb_in_a_warc_http_body_is_bounded(tmp_path: Path) -> None:
    bomb = gzip.compress(b"<p>" + b"A" * 200_000_000, 9)  # 200 MB in ~200 KB
    ok_page = f"<html><body><article><p>{PROSE * 3}</p></article></body></html>".encode()
    path = tmp_path / "bomb.warc"
    path.write_bytes(
        _warc(
            [
                ("http://x/bomb", bomb, "text/html", [("Content-Encoding", "gzip")]),
                ("http://x/ok", ok_page, "text/html", []),
            ]
        )
    )
    docs, peak = _peak_bytes(lambda: list(read_documents(path)))
    assert [d.meta.get("url") for d in docs] == ["http://x/bomb", "http://x/ok"]
    assert docs[0].error is not None and "too large" in docs[0].error
    assert docs[1].ok
    assert peak < 4 * 5_000_000, f"peak Python allocations {peak:,} bytes"


def test_gzip_bomb_around_a_warc_record_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.warc.gz"
    n = 100_000_000
    head = (
        b"WARC/1.0\r\nWARC-Type: resource\r\nWARC-Record-ID: <urn:uuid:1>\r\n"
        b"Content-Type: text/plain\r\nContent-Length: %d\r\n\r\n" % n
    )
    with gzip.open(path, "wb", compresslevel=9) as fh:
        fh.write(head)
        for _ in range(n // 1_000_000):
            fh.write(b"A" * 1_000_000)
        fh.write(b"\r\n\r\n")
    docs, peak = _peak_bytes(lambda: list(read_documents(path)))
    assert len(docs) == 1 and docs[0].error is not None and "too large" in docs[0].error
    assert peak < 4 * 5_000_000, f"peak Python allocations {peak:,} bytes"


def test_a_warc_cut_inside_a_skipped_record_is_reported(tmp_path: Path) -> None:
    page = f"<html><body><article><p>{PROSE * 3}</p></article></body></html>".encode()
    data = _warc(
        [
            ("http://x/a", page, "text/html", []),
            ("http://x/img", b"\x89PNG" + bytes(3000), "image/png", []),
            ("http://x/c", page, "text/html", []),
        ]
    )
    img = data.index(b"http://x/img")
    cut = data.index(b"\r\n\r\n", data.index(b"HTTP/1.1", img)) + 4  # after its HTTP headers
    path = tmp_path / "cut.warc"
    path.write_bytes(data[:cut])
    docs = list(read_documents(path))
    assert docs[0].ok
    assert len(docs) == 2 and docs[1].error is not None and "truncated" in docs[1].error


# -- scripts, invisible characters, look-alikes, languages ---------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "שלום עולם, זהו מאמר חדשות ארוך מספיק כדי להיבדק על ידי המערכת שלנו. " * 10,
        "مرحبا بالعالم هذا مقال إخباري طويل بما يكفي ليتم فحصه بواسطة النظام. " * 10,
        "Le ministre a déclaré mardi que les négociations commerciales reprendraient "
        "le mois prochain, après un accord sur les droits de douane. " * 5,
        "Der Minister sagte am Dienstag, die Handelsgespräche würden im nächsten Monat "
        "wieder aufgenommen, nachdem man sich auf Zölle geeinigt habe. " * 5,
        "部长周二表示，贸易谈判将于下个月恢复，此前官员们就关税框架达成了一致。" * 10,
        "Министр заявил во вторник, что торговые переговоры возобновятся в следующем месяце. " * 6,
    ],
    ids=["hebrew", "arabic", "french", "german", "chinese", "russian"],
)
def test_other_languages_are_not_scored(text: str) -> None:
    res = check_text(text)
    assert res.label == "not_scored" and res.reason  # "not English", or too few words (CJK)


def test_right_to_left_and_bidi_controls_inside_english() -> None:
    text = "\u202e" + SPUN + " \u05e9\u05dc\u05d5\u05dd \u2067quoted\u2069 " + SPUN
    res = check_text(text)
    assert res.label in {"spun", "clean"}
    for s in res.spans:
        assert text[s.start : s.end] == s.text


def test_zero_width_characters_inside_words_do_not_change_the_verdict() -> None:
    hidden = "".join(c + "\u200b" if c == "e" else c for c in SPUN).replace(" ", " \u2060")
    plain, dodged = check_text(SPUN * 2), check_text(hidden * 2)
    assert dodged.label == plain.label and dodged.spin_probability == plain.spin_probability
    assert [s.text.replace("\u200b", "").replace("\u2060", "") for s in dodged.spans] == [
        s.text for s in plain.spans
    ]


def test_soft_hyphens_and_ligatures_do_not_change_the_verdict() -> None:
    hidden = SPUN.replace("officers", "of\ufb01cers").replace("careful", "care\u00adful")
    assert check_text(hidden * 2).spin_probability == check_text(SPUN * 2).spin_probability


@pytest.mark.parametrize("share", [0.1, 0.3, 1.0])
def test_look_alike_letters_are_read_as_the_latin_ones(share: float) -> None:
    # Cyrillic letters in some or all words: scored as the plain text, with a warning
    # (before they were folded, a clean text with 30% of its words disguised was "spun")
    for text in (SPUN * 2, PROSE * 2):
        words = text.split(" ")
        step = round(1 / share)
        hidden = " ".join(
            w.translate(CYRILLIC) if i % step == 0 else w for i, w in enumerate(words)
        )
        plain, dodged = check_text(text), check_text(hidden)
        assert dodged.label == plain.label
        assert dodged.spin_probability == plain.spin_probability
        assert any("homoglyphs" in w for w in dodged.warnings)


def test_full_width_latin_is_read_as_ascii() -> None:
    wide = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in SPUN * 2)
    assert check_text(wide).spin_probability == check_text(SPUN * 2).spin_probability


@pytest.mark.parametrize("mark", ["“{}”", '"{}"'])
def test_quotation_marks_around_spun_text_do_not_hide_it(mark: str) -> None:
    # detection judges the narration (words outside quotes) only while it is at least half
    # of the text: quoting the spun paragraphs, or all of them, hides nothing
    spun = check_text(SPUN * 2)
    assert spun.label == "spun"
    all_quoted = check_text(mark.format((SPUN * 2).strip()))
    assert all_quoted.label == "spun"
    mostly = check_text(PROSE + "\n\n" + mark.format((SPUN * 2).strip()))
    assert mostly.label == "spun"
