"""Hostile bytes never crash a reader: every input gives documents or error documents."""

from __future__ import annotations

import gzip
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from unspin.io import read_documents

_PREFIXES = [
    b"",
    b"WARC/1.0\r\n",
    b"{",
    b'{"id": 1, "text": "a"}\n',
    b"[",
    b"<html><body><p>",
    b"\x1f\x8b",
]
_NAMES = ["x.txt", "x.jsonl", "x.json", "x.html", "x.warc", "x.wet.gz", "x.bin"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    prefix=st.sampled_from(_PREFIXES),
    body=st.binary(max_size=600),
    name=st.sampled_from(_NAMES),
    zipped=st.booleans(),
)
def test_any_bytes_give_documents_not_exceptions(
    prefix: bytes, body: bytes, name: str, zipped: bool
) -> None:
    data = prefix + body
    if zipped:
        data = (
            gzip.compress(data)[: max(10, len(data) // 2)]
            if body[:1] == b"x"
            else gzip.compress(data)
        )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        docs = list(read_documents(path, max_bytes=400))
    assert docs, "nothing is dropped silently"
    for d in docs:
        assert isinstance(d.id, str) and d.id
        assert (d.error is None) == bool(d.text.strip())
        d.text.encode("utf-8")  # no lone surrogates
