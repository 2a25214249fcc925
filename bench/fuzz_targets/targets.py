"""One function per fuzz target: bytes in, documents or results out, invariants checked.

A target raises only when an invariant breaks (an uncaught exception from unspin is a
crash too): every input must give at least one document, each either readable (text) or
an error document (``error`` set, empty text), with text that encodes as UTF-8.
"""

from __future__ import annotations

import gzip
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from unspin.io import read_documents
from unspin.io.document import Document

MAX_BYTES = 20_000  # per document, small so the size limit is exercised too
_TMP = Path(
    tempfile.mkdtemp(prefix="unspin-fuzz-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
)


def check_documents(docs: list[Document], *, may_be_empty: bool = False) -> None:
    """The reader contract: nothing dropped silently, errors are documents.

    A WARC may hold no document records at all (warcinfo, requests, images): ``may_be_empty``.
    """
    assert docs or may_be_empty, "no document and no error document"
    for d in docs:
        assert isinstance(d.id, str) and d.id, f"bad id {d.id!r}"
        assert (d.error is None) == bool(d.text.strip()), f"error/text mismatch in {d.id!r}"
        d.text.encode("utf-8")  # no lone surrogates
        for w in d.warnings:
            assert isinstance(w, str)


def read_bytes(data: bytes, name: str, max_bytes: int = MAX_BYTES) -> list[Document]:
    """Documents of ``data`` saved as ``name`` (the extension picks the reader)."""
    path = _TMP / name
    path.write_bytes(data)
    try:
        return list(read_documents(path, max_bytes=max_bytes))
    finally:
        path.unlink(missing_ok=True)


def _reader(
    name: str, transform: Callable[[bytes], bytes] = lambda b: b
) -> Callable[[bytes], None]:
    def target(data: bytes) -> None:
        docs = read_bytes(transform(data), name)
        check_documents(docs, may_be_empty=".warc" in name or name == "x.bin")

    target.__name__ = f"read_{name}"
    return target


def _gzip_cut(data: bytes) -> bytes:
    """gzip the input; the first byte decides whether to cut the stream short."""
    z = gzip.compress(data[1:], compresslevel=1)
    return z[: max(10, len(z) * data[0] // 256)] if data[:1] and data[0] < 64 else z


def target_text(data: bytes) -> None:
    """normalize -> tokenize -> sentence_bounds on any string (surrogates included)."""
    from unspin.text import normalize, sentence_bounds, tokenize

    text = (
        data.decode("utf-16-le", "surrogatepass")
        if len(data) % 2 == 0
        else data.decode("utf-8", "replace")
    )
    n = normalize(text)
    assert n.source == text
    toks = tokenize(n)
    if len(toks):
        assert (toks.starts < toks.ends).all() and int(toks.ends[-1]) <= len(text)
    flat = [i for a, b in sentence_bounds(toks) for i in range(a, b)]
    assert flat == list(range(len(toks)))


def target_check(data: bytes) -> None:
    """check_text on any string: a result (spun/clean/not_scored), spans inside the text."""
    from unspin.detect import check_text
    from unspin.output import to_json_line

    text = data.decode("utf-8", "replace")
    res = check_text(text, id="fuzz")
    assert res.label in {"spun", "clean", "not_scored"}
    assert (res.spin_probability is None) == (res.label == "not_scored")
    for s in res.spans:
        assert text[s.start : s.end] == s.text
    json.loads(to_json_line(res))


TARGETS: dict[str, Callable[[bytes], None]] = {
    "text": _reader("x.txt"),
    "html": _reader("x.html"),
    "json": _reader("x.json"),
    "jsonl": _reader("x.jsonl"),
    "warc": _reader("x.warc"),
    "warc.gz": _reader("x.warc.gz", _gzip_cut),
    "sniffed": _reader("x.bin"),
    "jsonl.gz": _reader("x.jsonl.gz", _gzip_cut),
    "normalize+tokenize+sentences": target_text,
    "check_text": target_check,
}


def _warc(records: list[tuple[str, bytes, str]]) -> bytes:
    """A small WARC (warcio) of ``(url, payload, content_type)`` responses and a WET record."""
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=False)
    for url, payload, ctype in records:
        http = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        w.write_record(
            w.create_warc_record(url, "response", payload=io.BytesIO(payload), http_headers=http)
        )
    w.write_record(
        w.create_warc_record(
            "http://x/wet", "conversion", payload=io.BytesIO(b"Plain converted text here.")
        )
    )
    return buf.getvalue()


def seeds() -> dict[str, list[bytes]]:
    """Small valid inputs per target, so mutation starts from structure."""
    prose = b"The minister said on Tuesday that trade talks would resume. " * 8
    page = (
        b"<html><head><title>T</title></head><body><nav>Home</nav><article><h1>H</h1>"
        + (b"<p>" + prose + b"</p>") * 3
        + b"</article></body></html>"
    )
    jl = b'{"id": "a", "text": "one"}\n{"id": 2, "text": "two \\ud800", "url": "u"}\n'
    warc = _warc(
        [("http://x/a", page, "text/html; charset=utf-8"), ("http://x/b", prose, "text/plain")]
    )
    gz = [b"\x20" + x for x in (prose, jl, warc)]
    return {
        "text": [prose, "Grüße — «quoted» \u200b".encode(), "x".encode("utf-16")],
        "html": [page, b"<div>" * 50 + prose],
        "json": [b'[{"id": "a", "text": "x y"}]', b'{"id": "a", "text": "x"}', b"[" * 40],
        "jsonl": [jl],
        "warc": [warc],
        "warc.gz": [b"\x20" + warc],
        "sniffed": [warc, jl, page, prose],
        "jsonl.gz": gz,
        "normalize+tokenize+sentences": [prose, "שלום e\u0301 \ufb01 U.S. Mr.".encode("utf-16-le")],
        "check_text": [prose, "\u0430".encode() + prose],
    }
