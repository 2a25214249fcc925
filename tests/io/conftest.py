"""Builders for tiny WARC/WET/gzip inputs, written at test time."""

from __future__ import annotations

import gzip
import io
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
ARTICLE_HTML = (FIXTURES / "article.html").read_bytes()


def html_page(body: str) -> bytes:
    paras = "".join(f"<p>{body} Paragraph {i} keeps the extractor happy.</p>" for i in range(4))
    return (
        "<html><head><title>t</title></head><body><nav>Home | News</nav>"
        f"<article><h1>Headline</h1>{paras}</article><footer>Copyright</footer></body></html>"
    ).encode()


def response(
    w: WARCWriter,
    url: str,
    payload: bytes,
    ctype: str = "text/html; charset=utf-8",
    status: str = "200 OK",
    extra: list[tuple[str, str]] | None = None,
):
    headers = [("Content-Type", ctype), *(extra or [])]
    http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
    return w.create_warc_record(url, "response", payload=io.BytesIO(payload), http_headers=http)


WarcBuilder = Callable[..., Path]


@pytest.fixture
def make_warc(tmp_path: Path) -> WarcBuilder:
    """``make_warc(name, [(kind, url, payload, **kw)...], gz=False)`` -> path.

    ``kind`` is response, request, metadata, conversion or raw (a ready warcio record).
    """

    def build(name: str, records: list[tuple], gz: bool = False, warcinfo: bool = True) -> Path:
        buf = io.BytesIO()
        w = WARCWriter(buf, gzip=gz)
        if warcinfo:
            w.write_record(w.create_warcinfo_record(name, {"software": "unspin-tests"}))
        for kind, url, payload, *kw in records:
            opts = kw[0] if kw else {}
            if kind == "response":
                rec = response(w, url, payload, **opts)
            elif kind == "request":
                http = StatusAndHeaders(
                    "GET / HTTP/1.1", [("Host", "ex.com")], is_http_request=True
                )
                rec = w.create_warc_record(
                    url, "request", payload=io.BytesIO(b""), http_headers=http
                )
            elif kind == "conversion":
                rec = w.create_warc_record(
                    url, "conversion", payload=io.BytesIO(payload), warc_content_type="text/plain"
                )
            else:
                rec = w.create_warc_record(
                    url, kind, payload=io.BytesIO(payload), warc_content_type="application/json"
                )
            w.write_record(rec)
        path = tmp_path / name
        path.write_bytes(buf.getvalue())
        return path

    return build


@pytest.fixture
def stdin_bytes(monkeypatch: pytest.MonkeyPatch) -> Callable[[bytes], None]:
    """Replace ``sys.stdin`` by the given bytes."""

    def set_stdin(data: bytes) -> None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))

    return set_stdin


def gz(data: bytes) -> bytes:
    return gzip.compress(data)
