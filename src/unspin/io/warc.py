"""WARC / WET reader (fastwarc): HTML responses -> main text, WET conversions -> text."""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator

from fastwarc.warc import ArchiveIterator, WarcRecord, WarcRecordType

from unspin.io import problems
from unspin.io.decode import decode_html, decode_text
from unspin.io.document import Document
from unspin.io.html import NO_MAIN_TEXT, extract_main_text, looks_like_html
from unspin.io.jsonio import Fields
from unspin.io.streams import Opened, Progress

__all__ = ["iter_warc"]

_RECORD_END = b"\r\n\r\n"
_GZIP_ERRORS = (EOFError, zlib.error, gzip.BadGzipFile)
_DOC_TYPES = WarcRecordType.response | WarcRecordType.conversion | WarcRecordType.resource


def _kind(rec: WarcRecord) -> str | None:
    """``"html"``, ``"text"``, ``"sniff"`` (no content type) or ``None`` (not a document:
    images, PDFs, redirects, errors ...), from the headers alone."""
    if rec.record_type == WarcRecordType.conversion:
        return "text"
    if rec.record_type == WarcRecordType.response:
        if not rec.is_http or not 200 <= rec.http_headers.status_code < 300:
            return None
        ctype = (rec.http_content_type or "").lower()
    else:
        ctype = (rec.headers.get("Content-Type") or "").split(";")[0].strip().lower()
    if "html" in ctype:
        return "html"
    if ctype.startswith("text/plain"):
        return "text"
    return "sniff" if not ctype else None


class _Cut(Exception):
    """A record whose block ends before its Content-Length."""


def _dechunk(data: bytes, limit: int) -> bytes:
    """Undo HTTP chunked transfer coding (lenient: stops at the first malformed chunk)."""
    out = bytearray()
    pos = 0
    while pos < len(data) and len(out) <= limit:
        eol = data.find(b"\r\n", pos)
        try:
            size = int(data[pos:eol].split(b";")[0], 16) if eol >= 0 else -1
        except ValueError:
            size = -1
        if size <= 0:
            break
        out += data[eol + 2 : eol + 2 + size]
        pos = eol + 4 + size
    return bytes(out)


def _decode_content(rec: WarcRecord, payload: bytes, limit: int) -> bytes | str:
    """The HTTP payload without transfer/content coding, inflating at most ``limit + 1``
    bytes; an error message (``str``) for a coding it cannot undo."""
    headers = rec.http_headers
    if "chunked" in (headers.get("Transfer-Encoding") or "").lower():
        payload = _dechunk(payload, limit)
    coding = (headers.get("Content-Encoding") or "identity").strip().lower()
    if coding in {"identity", ""}:
        return payload
    if coding not in {"gzip", "x-gzip", "deflate"}:
        return f"unsupported Content-Encoding: {coding}"
    wbits = 47 if coding != "deflate" or payload[:1] == b"\x78" else -15
    try:
        return zlib.decompressobj(wbits).decompress(payload, limit + 1)
    except zlib.error as e:
        return f"bad {coding} content: {e}"


def _skip(rec: WarcRecord, n: int) -> None:
    """Read past a record that is not a document, checking that all of it is there (a cut
    inside a skipped record must not hide the loss of every record after it)."""
    left = rec.content_length
    while left > 0:
        got = len(rec.reader.read(min(left, 1 << 20)))
        if got == 0:
            raise _Cut(f"record {n} has {rec.content_length - left} of {rec.content_length} bytes")
        left -= got


def _record_document(rec: WarcRecord, n: int, path: str, f: Fields) -> Document | None:
    kind = _kind(rec)
    if kind is None:
        _skip(rec, n)
        return None
    origin = f"{path}#{n}"
    doc_id = rec.record_id or origin
    url = rec.headers.get("WARC-Target-URI")
    meta = {"url": url, "warc_type": str(rec.record_type)}

    def failed(error: str) -> Document:
        return Document(doc_id, "", origin, meta, error=error)

    if rec.content_length > f.max_bytes:
        return failed(problems.too_large(rec.content_length, f.max_bytes))
    payload = rec.reader.read(rec.content_length)
    if len(payload) < rec.content_length:
        raise _Cut(f"record {n} has {len(payload)} of {rec.content_length} bytes")
    if rec.is_http:
        decoded = _decode_content(rec, payload, f.max_bytes)
        if isinstance(decoded, str):
            return failed(decoded)
        payload = decoded
        if len(payload) > f.max_bytes:
            return failed(problems.too_large(None, f.max_bytes))
    if kind == "sniff":
        if not looks_like_html(payload[:2048]):
            return None
        kind = "html"
    if kind == "html":
        declared = rec.http_charset if rec.record_type == WarcRecordType.response else None
        html, warnings = decode_html(payload, declared)
        text = extract_main_text(html, url)
        error = None if text else NO_MAIN_TEXT
    else:
        text, warnings = decode_text(payload)
        error = None if text.strip() else problems.EMPTY
    return Document(doc_id, text if error is None else "", origin, meta, warnings, error)


def _fatal(
    e: BaseException, path: str, records: int, gzip_error: BaseException | None = None
) -> Document:
    """The error document for a stream that broke after ``records`` records."""
    if isinstance(e, KeyboardInterrupt | SystemExit | GeneratorExit | MemoryError):
        raise e
    kind = "gzip" if isinstance(e, _GZIP_ERRORS) or gzip_error is not None else "WARC"
    detail = str(gzip_error or e)
    return problems.error_document(path, problems.truncated(kind, records, detail))


def iter_warc(opened: Opened, path: str, f: Fields, progress: Progress) -> Iterator[Document]:
    """Documents of a (possibly gzipped) WARC/WET stream; damage ends it with an error document.

    Request, metadata and warcinfo records are not documents; neither are non-2xx or
    non-text responses. ``meta["url"]`` is the record's WARC-Target-URI.
    """
    records = iter(
        ArchiveIterator(
            opened.stream,
            record_types=WarcRecordType.any_type,
            parse_http=True,
            auto_decode="none",
            stream_detect=False,
            fsspec_args=False,
        )
    )
    while True:
        try:
            rec = next(records)
        except StopIteration:
            break
        except BaseException as e:  # fastwarc panics are BaseException
            yield _fatal(e, path, progress.records, opened.chain.error)
            return
        progress.records += 1
        if rec.headers.get("Content-Length") is None:  # mandatory: a record cut in its header
            yield _fatal(_Cut("a record header is cut short"), path, progress.records - 1)
            return
        try:
            if not rec.record_type & _DOC_TYPES:
                _skip(rec, progress.records)
                continue
            doc = _record_document(rec, progress.records, path, f)
        except BaseException as e:
            yield _fatal(e, path, progress.records - 1, opened.chain.error)
            return
        if doc is not None:
            yield doc
    if opened.chain.error is not None:
        yield _fatal(opened.chain.error, path, progress.records, opened.chain.error)
    elif opened.stream.read(1):
        yield _fatal(_Cut("unparsable data after the last record"), path, progress.records)
    elif opened.chain.pos and opened.chain.tail != _RECORD_END:
        yield _fatal(_Cut("the last record is cut short"), path, progress.records)
