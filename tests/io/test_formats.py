"""Every reader on well-formed input: text, Markdown, HTML, JSON, JSONL, gzip, folders, stdin."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.io.conftest import ARTICLE_HTML, FIXTURES, gz
from unspin.io import detect_format, read_documents


def docs(*inputs: str | Path, **kw):
    return list(read_documents(list(inputs), **kw))


def test_text_file_id_is_the_path_as_given(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Hello world.\n", encoding="utf-8")
    given = str(tmp_path / "a.txt")
    [d] = docs(given)
    assert (d.id, d.text, d.origin, d.ok) == (given, "Hello world.\n", given, True)


def test_a_single_string_is_one_input_not_characters(tmp_path: Path) -> None:
    p = tmp_path / "a.md"
    p.write_text("# Title\n\nBody.\n", encoding="utf-8")
    assert [d.text for d in read_documents(str(p))] == ["# Title\n\nBody.\n"]
    assert [d.text for d in read_documents(p)] == ["# Title\n\nBody.\n"]


def test_utf8_bom_is_dropped(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"\xef\xbb\xbfcaf\xc3\xa9")
    [d] = docs(tmp_path / "a.txt")
    assert d.text == "café" and not d.warnings


def test_html_main_text_without_boilerplate() -> None:
    [d] = docs(FIXTURES / "article.html")
    assert d.ok
    assert d.text.startswith("Harbour town opens new ferry terminal")
    assert "Mayor Jane Holloway said" in d.text
    assert "Cookie settings" not in d.text and "Sport" not in d.text
    assert "\n\n" in d.text  # paragraphs are separated by blank lines


def test_html_without_main_text_is_an_error_document() -> None:
    [d] = docs(FIXTURES / "nav_only.html")
    assert (d.error, d.text) == ("no main text found", "")


def test_json_object_and_list(tmp_path: Path) -> None:
    (tmp_path / "one.json").write_text(json.dumps({"id": "x", "text": "One."}))
    (tmp_path / "many.json").write_text(
        json.dumps([{"id": 1, "text": "First.", "lang": "en"}, {"text": "Second."}])
    )
    got = docs(tmp_path / "one.json", tmp_path / "many.json")
    assert [(d.id, d.text) for d in got] == [
        ("x", "One."),
        ("1", "First."),
        (f"{tmp_path / 'many.json'}#2", "Second."),
    ]
    assert got[1].meta == {"lang": "en"}


def test_json_list_spanning_many_read_chunks(tmp_path: Path) -> None:
    items = [{"id": i, "text": "word " * 5000} for i in range(300)]  # ~7.5 MB in total
    (tmp_path / "big.json").write_text(json.dumps(items))
    got = docs(tmp_path / "big.json")
    assert [d.id for d in got] == [str(i) for i in range(300)]
    assert all(d.ok and len(d.text) == 25000 for d in got)


def test_jsonl_default_and_custom_fields(tmp_path: Path) -> None:
    p = tmp_path / "a.jsonl"
    p.write_text('{"id": "a", "text": "Alpha."}\n\n{"text": "No id."}\n', encoding="utf-8")
    got = docs(p)
    assert [(d.id, d.text, d.origin) for d in got] == [
        ("a", "Alpha.", f"{p}:1"),
        (f"{p}:3", "No id.", f"{p}:3"),
    ]
    q = tmp_path / "b.jsonl"
    q.write_text('{"url": "u1", "body": "Beta.", "text": 5}\n', encoding="utf-8")
    [d] = docs(q, id_field="url", text_field="body")
    assert (d.id, d.text, d.meta) == ("u1", "Beta.", {"text": 5})


@pytest.mark.parametrize("name", ["a.jsonl.gz", "a.json.gz", "a.txt.gz"])
def test_gzip_any_format(tmp_path: Path, name: str) -> None:
    body = {
        "a.jsonl.gz": b'{"id": "z", "text": "Zipped."}\n',
        "a.json.gz": b'[{"id": "z", "text": "Zipped."}]',
        "a.txt.gz": b"Zipped.",
    }[name]
    (tmp_path / name).write_bytes(gz(body))
    [d] = docs(tmp_path / name)
    assert d.text == "Zipped." and d.ok


def test_html_gz(tmp_path: Path) -> None:
    (tmp_path / "p.html.gz").write_bytes(gz(ARTICLE_HTML))
    [d] = docs(tmp_path / "p.html.gz")
    assert "Eastmoor" in d.text


def test_folder_recursive_sorted_and_hidden_skipped(tmp_path: Path) -> None:
    for rel in ["b.txt", "a/z.txt", "a/b/c.txt", "A.txt", ".hidden.txt", ".git/x.txt"]:
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(rel, encoding="utf-8")
    got = [d.text for d in read_documents(tmp_path)]
    assert got == ["A.txt", "a/b/c.txt", "a/z.txt", "b.txt"]
    top = str(tmp_path)
    assert next(iter(read_documents(top))).id == os.path.join(top, "A.txt")


@pytest.mark.parametrize(
    ("head", "fmt"),
    [
        (b"WARC/1.0\r\nWARC-Type: warcinfo\r\n", "warc"),
        (b'{"id": 1, "text": "a"}\n{"id": 2', "jsonl"),
        (b'{\n  "id": 1,\n  "text": "a"\n}\n', "json"),
        (b'  [{"text": "a"}]', "json"),
        (b"<!DOCTYPE html><html><body><p>x</p>", "html"),
        (b"<div class='a'><p>Hi</p></div>", "html"),
        (b"Plain words. <b>not</b> a page", "text"),
        (b'\xef\xbb\xbf{"text": "bom"}\n', "jsonl"),
    ],
)
def test_detect_format(head: bytes, fmt: str) -> None:
    assert detect_format(head) == fmt


def test_unknown_extension_is_sniffed(tmp_path: Path) -> None:
    (tmp_path / "a.dat").write_bytes(gz(b'{"id": "s", "text": "Sniffed."}\n'))
    (tmp_path / "b.page").write_bytes(ARTICLE_HTML)
    (tmp_path / "c").write_bytes(b"Just words.")
    got = docs(tmp_path)
    assert (got[0].id, got[0].ok) == ("s", True)
    assert "Eastmoor" in got[1].text
    assert got[2].text == "Just words."


def test_fmt_overrides_the_extension(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text('{"id": "j", "text": "As JSONL."}\n')
    assert [d.id for d in docs(tmp_path / "a.txt", fmt="jsonl")] == ["j"]
    assert [d.id for d in docs(tmp_path / "a.txt", fmt="text")] == [str(tmp_path / "a.txt")]
    with pytest.raises(ValueError, match="unknown format"):
        docs(tmp_path / "a.txt", fmt="pdf")


def test_stdin_jsonl(stdin_bytes) -> None:
    stdin_bytes(b'{"id": "a", "text": "One."}\n{"id": "b", "text": "Two."}\n')
    assert [(d.id, d.text) for d in read_documents("-")] == [("a", "One."), ("b", "Two.")]


def test_stdin_text_is_one_document(stdin_bytes) -> None:
    stdin_bytes(b'Some words.\n{"id": "a", "text": "not JSONL"}\n')
    [d] = read_documents(["-"])
    assert (d.id, d.text) == ("stdin", 'Some words.\n{"id": "a", "text": "not JSONL"}\n')


def test_stdin_gzip_jsonl(stdin_bytes) -> None:
    stdin_bytes(gz(b'{"id": "a", "text": "One."}\n'))
    assert [d.id for d in read_documents("-")] == ["a"]


def test_stdin_html_is_text_unless_forced(stdin_bytes) -> None:
    stdin_bytes(ARTICLE_HTML)
    [d] = read_documents("-")
    assert d.text.startswith("<!DOCTYPE html>")
    stdin_bytes(ARTICLE_HTML)
    [d] = read_documents("-", fmt="html")
    assert d.text.startswith("Harbour town") and d.id == "stdin"
