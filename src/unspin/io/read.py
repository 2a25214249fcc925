"""``read_documents``: every supported input as a stream of :class:`Document` objects."""

from __future__ import annotations

import gzip
import json
import os
import sys
import zlib
from collections.abc import Iterable, Iterator
from typing import BinaryIO, Literal

from unspin.io import problems
from unspin.io.decode import decode_html, decode_text, looks_binary
from unspin.io.document import Document
from unspin.io.html import NO_MAIN_TEXT, extract_main_text, looks_like_html
from unspin.io.jsonio import Fields, iter_json, iter_jsonl
from unspin.io.streams import SNIFF_BYTES, Opened, Progress, open_stream
from unspin.io.warc import iter_warc

__all__ = ["FORMATS", "Format", "detect_format", "expand_path", "read_documents"]

Format = Literal["text", "html", "json", "jsonl", "warc"]
FORMATS: tuple[Format, ...] = ("text", "html", "json", "jsonl", "warc")
_EXTENSIONS: dict[str, Format] = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".warc": "warc",
    ".wet": "warc",
}
_ALIASES: dict[str, Format] = {"txt": "text", "md": "text", "htm": "html", "wet": "warc"}
_GZIP_ERRORS = (EOFError, zlib.error, gzip.BadGzipFile)
STDIN_ID = "stdin"
_FOLDER_DOCS = ("README", "LICENSE", "NOTICE")  # a folder's own documentation, not input

Input = str | os.PathLike[str]


def read_documents(
    inputs: Input | Iterable[Input],
    *,
    id_field: str = "id",
    text_field: str = "text",
    max_bytes: int = 5_000_000,
    fmt: str | None = None,
) -> Iterator[Document]:
    """Stream the documents of files, folders (recursive, sorted) and ``"-"`` (stdin).

    The format comes from the extension (``.gz`` allowed on any), else from sniffing the
    content; ``fmt`` forces one of :data:`FORMATS`. Nothing is dropped silently: a
    problem becomes a document with ``error`` set, or a warning on a readable one. At
    most ``max_bytes`` (decompressed) are read per document.
    """
    forced = _canonical_format(fmt)
    fields = Fields(id_field, text_field, max_bytes)
    items = [inputs] if isinstance(inputs, str | os.PathLike) else inputs
    for item in items:
        name = os.fspath(item)
        if name == "-":
            yield from _read_stdin(fields, forced)
            continue
        for path, error in expand_path(name):
            if error is not None:
                yield problems.error_document(path, error)
            else:
                yield from _read_file(path, fields, forced)


def _canonical_format(fmt: str | None) -> Format | None:
    if fmt is None or fmt == "auto":
        return None
    key = fmt.lower().lstrip(".")
    canon = _ALIASES.get(key, key)
    if canon not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return canon  # type: ignore[return-value]


def format_from_name(path: str) -> Format | None:
    """The format an extension promises (``a.jsonl.gz`` -> ``jsonl``), or ``None``."""
    name = path.lower().removesuffix(".gz")
    return _EXTENSIONS.get(os.path.splitext(name)[1])


def detect_format(head: bytes) -> Format:
    """Sniff the first (decompressed) bytes: WARC header, JSON, HTML, else text."""
    start = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if start.startswith(b"WARC/"):
        return "warc"
    if start.startswith(b"["):
        return "json"
    if start.startswith(b"{"):
        return "jsonl" if _first_line_is_object(start) else "json"
    return "html" if looks_like_html(start) else "text"


def _first_line_is_object(data: bytes) -> bool:
    line, newline, _ = data.partition(b"\n")
    if not newline and len(data) >= 8192:
        return False  # first line longer than the sniffed head: cannot tell, say JSON
    try:
        return isinstance(json.loads(line.decode("utf-8", "replace")), dict)
    except (json.JSONDecodeError, RecursionError):
        return False


def expand_path(name: str) -> Iterator[tuple[str, str | None]]:
    """``(path, None)`` for each file under ``name``, ``(path, error)`` for unreadable folders.

    Folders are walked recursively in sorted order; hidden entries (``.name``) and the
    folder's own documentation (``README*``, ``LICENSE*``, ``NOTICE*``) are skipped. A path
    that is not a folder is passed on as is (errors later), even if it is a README.
    """
    if not os.path.isdir(name):
        yield name, None
        return
    errors: list[OSError] = []
    found: list[tuple[tuple[str, ...], str, str | None]] = []
    for root, dirs, files in os.walk(name, onerror=errors.append):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for f in files:
            if not f.startswith(".") and not f.upper().startswith(_FOLDER_DOCS):
                path = os.path.join(root, f)
                found.append((_sort_key(path, name), path, None))
    for e in errors:
        path = os.fspath(e.filename or name)
        found.append((_sort_key(path, name), path, problems.unreadable(path, e)))
    for _, path, error in sorted(found):
        yield path, error


def _sort_key(path: str, top: str) -> tuple[str, ...]:
    return tuple(os.path.relpath(path, top).split(os.sep))


def _read_file(path: str, fields: Fields, forced: Format | None) -> Iterator[Document]:
    try:
        raw = open(path, "rb")  # noqa: SIM115 -- closed below
        size = os.fstat(raw.fileno()).st_size
    except OSError as e:
        yield problems.error_document(path, problems.unreadable(path, e))
        return
    with raw:
        yield from _read_stream(raw, path, forced or format_from_name(path), fields, size)


def _read_stdin(fields: Fields, forced: Format | None) -> Iterator[Document]:
    """stdin: JSONL if its first line is a JSON object (or WARC/gzip), else one text document."""
    stream = sys.stdin.buffer
    if forced is None:
        yield from _read_stream(stream, STDIN_ID, None, fields, None, stdin=True)
    else:
        yield from _read_stream(stream, STDIN_ID, forced, fields, None)


def _read_stream(
    raw: BinaryIO,
    path: str,
    fmt: Format | None,
    fields: Fields,
    size: int | None,
    *,
    stdin: bool = False,
) -> Iterator[Document]:
    progress = Progress()
    try:
        opened = open_stream(raw)
        if not opened.head.strip() and len(opened.head) < SNIFF_BYTES:
            yield problems.error_document(path, problems.EMPTY)
            return
        if fmt is None:
            fmt = detect_format(opened.head)
            if stdin and fmt not in ("warc", "jsonl"):
                fmt = "text"
        if fmt != "warc" and looks_binary(opened.head):
            yield problems.error_document(path, problems.BINARY)
            return
        known_size = None if opened.gzipped else size
        if fmt == "warc":
            yield from iter_warc(opened, path, fields, progress)
        elif fmt in ("jsonl", "json"):
            reader = iter_jsonl if fmt == "jsonl" else iter_json
            yield from reader(opened.stream, path, fields, progress)
            if not progress.records and opened.chain.error is None:
                yield problems.error_document(path, problems.EMPTY)
        else:
            yield _single(opened, path, fmt, fields, known_size)
        if fmt != "warc" and opened.chain.error is not None:
            raise opened.chain.error  # damage after the last complete line or element
    except _GZIP_ERRORS as e:
        yield problems.error_document(path, problems.truncated("gzip", progress.records, str(e)))
    except OSError as e:
        yield problems.error_document(path, problems.unreadable(path, e))
    except (ValueError, UnicodeError, RecursionError, LookupError) as e:
        # Defensive: a reader bug on hostile input must not end a batch of documents.
        yield problems.error_document(path, f"cannot read {path}: {type(e).__name__}: {e}")


def _single(opened: Opened, path: str, fmt: Format, fields: Fields, size: int | None) -> Document:
    """A whole file as one text or HTML document."""
    data = opened.stream.read(fields.max_bytes + 1)
    if opened.chain.error is not None:
        raise opened.chain.error
    if len(data) > fields.max_bytes:
        return problems.error_document(path, problems.too_large(size, fields.max_bytes))
    if fmt == "html":
        html, warnings = decode_html(data)
        text = extract_main_text(html)
        if not text:
            return problems.error_document(path, NO_MAIN_TEXT)
        return Document(path, text, path, warnings=warnings)
    text, warnings = decode_text(data)
    if not text.strip():
        return problems.error_document(path, problems.EMPTY)
    return Document(path, text, path, warnings=warnings)
