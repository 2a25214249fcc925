"""Bad input never crashes and is never dropped silently: error documents and warnings."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest

from tests.io.conftest import gz, html_page
from unspin.io import read_documents
from unspin.io.decode import looks_binary


def one(path: Path | str, **kw):
    [d] = read_documents(path, **kw)
    return d


def test_empty_file(tmp_path: Path) -> None:
    for name in ["e.txt", "e.jsonl", "e.html", "e.warc", "blank.txt"]:
        (tmp_path / name).write_bytes(b"  \n" if name == "blank.txt" else b"")
        d = one(tmp_path / name)
        assert (d.id, d.error, d.text) == (str(tmp_path / name), "empty document", "")


def test_whitespace_only_jsonl_longer_than_the_sniffed_head(tmp_path: Path) -> None:
    (tmp_path / "w.jsonl").write_bytes(b"\n" * 20_000)
    assert one(tmp_path / "w.jsonl").error == "empty document"


def test_binary_file(tmp_path: Path) -> None:
    (tmp_path / "img.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (tmp_path / "ctl.jsonl").write_bytes(bytes(range(1, 32)) * 20)
    for name in ["img.txt", "ctl.jsonl"]:
        assert one(tmp_path / name).error == "binary file, not text"


def test_binary_sniffing() -> None:
    assert looks_binary(b"abc\x00def")
    assert looks_binary(b"\x01\x02\x03\x04abc")
    assert not looks_binary("Ordinary text, with tabs\tand\nnew lines. Ünïcödé.".encode())
    assert not looks_binary("UTF-16 text".encode("utf-16"))


def test_utf16_with_bom_is_text(tmp_path: Path) -> None:
    (tmp_path / "u.txt").write_bytes("Grüße aus Köln.".encode("utf-16"))
    assert one(tmp_path / "u.txt").text == "Grüße aus Köln."


def test_invalid_utf8_is_replaced_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "bad.txt").write_bytes(b"caf\xe9 and na\xefve \xff\xfe end")
    d = one(tmp_path / "bad.txt")
    assert d.ok and d.warnings == ["invalid UTF-8: 4 bytes replaced"]
    assert d.text == "caf\ufffd and na\ufffdve \ufffd\ufffd end"
    d.text.encode("utf-8")  # no lone surrogates left


def test_invalid_utf8_inside_jsonl(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_bytes(b'{"id": "a", "text": "caf\xe9"}\n')
    d = one(tmp_path / "a.jsonl")
    assert (d.text, d.warnings) == ("caf\ufffd", ["invalid UTF-8: 1 bytes replaced"])


def test_too_large_text_others_go_on(tmp_path: Path) -> None:
    (tmp_path / "a_big.txt").write_bytes(b"word " * 2_400_000)  # 12 MB
    (tmp_path / "b_small.txt").write_bytes(b"Small.")
    big, small = read_documents(tmp_path)
    assert big.error == "document too large (12 MB > limit 5 MB)" and big.text == ""
    assert small.text == "Small."


def test_too_large_limit_is_configurable(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"x" * 2_500)
    assert one(tmp_path / "a.txt", max_bytes=1_000).error == (
        "document too large (0.0025 MB > limit 0.001 MB)"
    )
    assert one(tmp_path / "a.txt", max_bytes=2_500).ok


def test_gzip_bomb_is_not_inflated(tmp_path: Path) -> None:
    # 200 MB of spaces compress to ~200 KB; only limit + 1 bytes may be inflated.
    with gzip.open(tmp_path / "bomb.txt.gz", "wb", compresslevel=9) as fh:
        chunk = b" " * 1_000_000
        for _ in range(200):
            fh.write(chunk)
        fh.write(b"end")
    d = one(tmp_path / "bomb.txt.gz", max_bytes=1_000_000)
    assert d.error == "document too large (more than the 1 MB limit)"


def test_too_large_jsonl_line_others_go_on(tmp_path: Path) -> None:
    p = tmp_path / "a.jsonl"
    p.write_bytes(
        b'{"id": "1", "text": "ok"}\n{"id": "2", "text": "' + b"x" * 3000 + b'"}\n'
        b'{"id": "3", "text": "fine"}\n'
    )
    got = list(read_documents(p, max_bytes=1000))
    assert [(d.id, d.ok) for d in got] == [("1", True), (f"{p}:2", False), ("3", True)]
    assert got[1].error == "document too large (0.00302 MB > limit 0.001 MB)"


def test_malformed_jsonl_line_and_missing_text(tmp_path: Path) -> None:
    p = tmp_path / "a.jsonl"
    p.write_text(
        '{"id": "1", "text": "one"}\n{"id": "2", "text": \n[1, 2]\n{"id": "4"}\n'
        '{"id": "5", "text": "five"}\n',
        encoding="utf-8",
    )
    got = list(read_documents(p))
    assert [d.id for d in got] == ["1", f"{p}:2", f"{p}:3", "4", "5"]
    assert got[1].error.startswith(f"malformed JSON at {p} line 2: Expecting value")
    assert got[2].error == f"malformed JSON at {p} line 3: expected an object"
    assert got[3].error == f"no string field 'text' at {p} line 4"
    assert got[4].text == "five"
    assert all(d.text == "" for d in got[1:4])


def test_malformed_json_file(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text('{"id": "1", "text": ', encoding="utf-8")
    d = one(tmp_path / "a.json")
    assert d.error.startswith(f"malformed JSON at {tmp_path / 'a.json'}: Expecting value")
    (tmp_path / "b.json").write_text('[{"id": "1", "text": "ok"}, {"id": 2, "te', encoding="utf-8")
    ok, bad = read_documents(tmp_path / "b.json")
    assert ok.text == "ok" and bad.error.startswith("malformed JSON at")


def test_missing_path_is_an_error_document(tmp_path: Path) -> None:
    (tmp_path / "ok.txt").write_text("Fine.")
    missing = str(tmp_path / "nope.txt")
    got = list(read_documents([missing, tmp_path / "ok.txt"]))
    assert got[0].id == missing and got[0].error.startswith(f"cannot read {missing}: ")
    assert got[1].text == "Fine."


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can read anything")
def test_permission_denied(tmp_path: Path) -> None:
    p = tmp_path / "secret.txt"
    p.write_text("x")
    p.chmod(0)
    try:
        d = one(p)
    finally:
        p.chmod(0o644)
    assert d.error == f"cannot read {p}: Permission denied"


def test_truncated_gzip_jsonl_keeps_earlier_documents(tmp_path: Path) -> None:
    lines = b"".join(
        b'{"id": "%d", "text": "line %d %s"}\n' % (i, i, os.urandom(40).hex().encode())
        for i in range(2000)
    )
    data = gz(lines)
    (tmp_path / "cut.jsonl.gz").write_bytes(data[: len(data) // 2])
    got = list(read_documents(tmp_path / "cut.jsonl.gz"))
    good = [d for d in got if d.ok]
    assert len(good) > 500 and [d.id for d in good] == [str(i) for i in range(len(good))]
    last = got[-1]
    assert last.id == str(tmp_path / "cut.jsonl.gz")
    assert last.error.startswith("truncated or corrupt gzip stream after ")
    assert sum(1 for d in got if not d.ok) <= 2  # a cut line, then the stream error


def test_truncated_gzip_text(tmp_path: Path) -> None:
    data = gz(b"Some text. " * 1000)
    (tmp_path / "cut.txt.gz").write_bytes(data[:-10])
    assert one(tmp_path / "cut.txt.gz").error.startswith("truncated or corrupt gzip stream after 0")


@pytest.mark.parametrize("gzipped", [False, True])
def test_truncated_warc_keeps_earlier_documents(make_warc, gzipped: bool) -> None:
    records = [("response", f"http://ex.com/{i}", html_page(f"Page number {i}.")) for i in range(6)]
    path = make_warc("c.warc.gz" if gzipped else "c.warc", records, gz=gzipped)
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * 0.7)])
    got = list(read_documents(path))
    assert 2 <= len(got) - 1 < 6
    assert all(d.ok for d in got[:-1])
    assert [d.meta["url"] for d in got[:-1]] == [f"http://ex.com/{i}" for i in range(len(got) - 1)]
    kind = "gzip" if gzipped else "WARC"
    assert got[-1].error.startswith(f"truncated or corrupt {kind} stream after {len(got)} records")


def test_warc_cut_between_records(make_warc) -> None:
    records = [("response", f"http://ex.com/{i}", html_page(f"Page {i}.")) for i in range(3)]
    path = make_warc("c.warc", records)
    data = path.read_bytes()
    cut = data.rindex(b"WARC/1.") + 40  # inside the headers of the last record
    path.write_bytes(data[:cut])
    got = list(read_documents(path))
    assert [d.ok for d in got] == [True, True, False]
    assert got[-1].error.startswith("truncated or corrupt WARC stream after 3 records")


def test_garbage_with_warc_extension(tmp_path: Path) -> None:
    (tmp_path / "x.warc").write_bytes(b"this is not a WARC file at all\n" * 10)
    d = one(tmp_path / "x.warc")
    assert d.error is not None and d.error.startswith("truncated or corrupt WARC stream after 0")


def test_html_page_without_text_in_a_folder_does_not_stop_the_rest(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text("<html><body><nav>Home</nav></body></html>")
    (tmp_path / "b.txt").write_text("Next.")
    got = list(read_documents(tmp_path))
    assert [d.error for d in got] == ["no main text found", None]


def test_multi_member_gzip_with_zero_padding_and_trailing_garbage(tmp_path: Path) -> None:
    members = gz(b'{"id": "a", "text": "One."}\n') + gz(b'{"id": "b", "text": "Two."}\n')
    (tmp_path / "pad.jsonl.gz").write_bytes(members + b"\x00" * 100)
    assert [d.id for d in read_documents(tmp_path / "pad.jsonl.gz")] == ["a", "b"]
    (tmp_path / "junk.jsonl.gz").write_bytes(members + b"not gzip at all")
    got = list(read_documents(tmp_path / "junk.jsonl.gz"))
    assert [d.id for d in got[:2]] == ["a", "b"]
    assert got[2].error.startswith("truncated or corrupt gzip stream after 2 records")
