"""``python -m bench.fuzz_targets.adversarial CASE TMP``: one pathological input, in a fresh
process; prints JSON (outcome, seconds, peak RSS in MB)."""

from __future__ import annotations

import gzip
import io
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import peak_rss_mb

PROSE = "The minister said on Tuesday that trade talks would resume next month. "
GB = 1 << 30
MB = 1 << 20


def _docs(path: Path, **kw: Any) -> list[dict[str, Any]]:
    from unspin.io import read_documents

    return [
        {"id": d.id[-40:], "error": d.error, "chars": len(d.text)}
        for d in read_documents(path, **kw)
    ]


def _check(text: str) -> list[dict[str, Any]]:
    from unspin.detect import check_text

    r = check_text(text)
    return [{"label": r.label, "spans": len(r.spans), "reason": r.reason}]


def _warc(payload: bytes, extra: list[tuple[str, str]]) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=False)
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html"), *extra], protocol="HTTP/1.1")
    rec = w.create_warc_record(
        "http://x/", "response", payload=io.BytesIO(payload), http_headers=http
    )
    w.write_record(rec)
    return buf.getvalue()


def big_text(tmp: Path, max_bytes: int = 5_000_000) -> list[dict[str, Any]]:
    p = tmp / "big.txt"
    p.write_bytes(PROSE.encode() * (50_000_000 // len(PROSE)))
    return _docs(p, max_bytes=max_bytes)


def big_jsonl(tmp: Path) -> list[dict[str, Any]]:
    p = tmp / "big.jsonl"
    p.write_text(json.dumps({"id": "x", "text": PROSE * (50_000_000 // len(PROSE))}) + "\n")
    return _docs(p)


def gzip_bomb(tmp: Path) -> list[dict[str, Any]]:
    p = tmp / "bomb.txt.gz"
    with gzip.open(p, "wb", compresslevel=9) as fh:
        for _ in range(GB // MB):
            fh.write(b"A" * MB)
    return _docs(p)


def warc_http_bomb(tmp: Path) -> list[dict[str, Any]]:
    z = gzip.compress(b"<p>" + b"A" * GB, 9)
    p = tmp / "bomb.warc"
    p.write_bytes(_warc(z, [("Content-Encoding", "gzip")]))
    return _docs(p)


def warc_outer_bomb(tmp: Path) -> list[dict[str, Any]]:
    p = tmp / "bomb.warc.gz"
    head = (
        b"WARC/1.0\r\nWARC-Type: resource\r\nWARC-Record-ID: <urn:uuid:1>\r\n"
        b"Content-Type: text/plain\r\nContent-Length: %d\r\n\r\n" % GB
    )
    with gzip.open(p, "wb", compresslevel=9) as fh:
        fh.write(head)
        for _ in range(GB // MB):
            fh.write(b"A" * MB)
        fh.write(b"\r\n\r\n")
    return _docs(p)


def deep_html(tmp: Path) -> list[dict[str, Any]]:
    p = tmp / "deep.html"
    p.write_bytes(b"<html><body>" + b"<div>" * 100_000 + PROSE.encode() * 20 + b"</div>" * 100_000)
    return _docs(p)


def deep_json(tmp: Path) -> list[dict[str, Any]]:
    p = tmp / "deep.json"
    p.write_bytes(b"[" * 100_000 + b"]" * 100_000)
    return _docs(p)


CASES: dict[str, Callable[[Path], list[dict[str, Any]]]] = {
    "50 MB single-line text": big_text,
    "50 MB single-line text, max_bytes 60 MB": lambda t: big_text(t, 60_000_000),
    "50 MB single JSONL line": big_jsonl,
    "250 KB single line -> check_text": lambda t: _check(PROSE * (250_000 // len(PROSE))),
    "1 GB gzip bomb (.txt.gz, 1 MB on disk)": gzip_bomb,
    "1 GB gzip bomb in a WARC HTTP body (Content-Encoding)": warc_http_bomb,
    "1 GB WARC record inside .warc.gz": warc_outer_bomb,
    "HTML nested 100,000 deep": deep_html,
    "JSON nested 100,000 deep": deep_json,
    "200,000 one-char lines -> check_text": lambda t: _check("a\n" * 200_000),
}


def main() -> None:
    case, tmp = sys.argv[1], Path(sys.argv[2])
    t0 = time.monotonic()
    out = CASES[case](tmp)
    rss = peak_rss_mb()
    print(
        json.dumps({"out": out[:3], "n": len(out), "seconds": time.monotonic() - t0, "rss_mb": rss})
    )


if __name__ == "__main__":
    main()
