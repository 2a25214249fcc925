"""JSON Lines and JSON readers (streaming; one object = one document)."""

from __future__ import annotations

import codecs
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from unspin.io import problems
from unspin.io.decode import clean_surrogates, invalid_utf8_warning
from unspin.io.document import Document
from unspin.io.streams import Progress, skip_line

__all__ = ["Fields", "doc_from_object", "iter_json", "iter_jsonl", "parse_object_line"]

_CHUNK = 1 << 20
_WS = " \t\r\n"


@dataclass(frozen=True, slots=True)
class Fields:
    """Which JSON fields hold the id and the text, and the per-document byte limit."""

    id: str = "id"
    text: str = "text"
    max_bytes: int = 5_000_000


def doc_from_object(obj: Any, fallback_id: str, where: str, origin: str, f: Fields) -> Document:
    """A :class:`Document` from one parsed JSON value (errors become error documents)."""
    if not isinstance(obj, dict):
        return problems.error_document(
            fallback_id, problems.malformed_json(where, "expected an object"), origin
        )
    raw_id = obj.get(f.id)
    doc_id = fallback_id if raw_id is None or raw_id == "" else str(raw_id)
    text = obj.get(f.text)
    if not isinstance(text, str):
        return problems.error_document(doc_id, problems.missing_text_field(f.text, where), origin)
    text, n_bad = clean_surrogates(text)
    meta = {k: v for k, v in obj.items() if k not in (f.id, f.text)}
    if not text.strip():
        return Document(doc_id, "", origin, meta, error=problems.EMPTY)
    warnings = [invalid_utf8_warning(n_bad)] if n_bad else []
    return Document(doc_id, text, origin, meta, warnings)


def parse_object_line(line: bytes, path: str, lineno: int, f: Fields) -> Document:
    """One JSON Lines line (already known to be at most ``f.max_bytes`` long)."""
    where = f"{path} line {lineno}"
    loc = f"{path}:{lineno}"
    text = line.decode("utf-8", "surrogateescape")
    if lineno == 1:
        text = text.removeprefix("\ufeff")
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as e:
        return problems.error_document(loc, problems.malformed_json(where, str(e)), loc)
    except RecursionError:
        return problems.error_document(loc, problems.malformed_json(where, "nested too deep"), loc)
    return doc_from_object(obj, loc, where, loc, f)


def iter_jsonl(
    stream: io.BufferedReader, path: str, f: Fields, progress: Progress
) -> Iterator[Document]:
    """One document per non-blank line; a bad line is an error document, the rest go on."""
    lineno = 0
    while line := stream.readline(f.max_bytes + 1):
        lineno += 1
        if len(line) > f.max_bytes and not line.endswith(b"\n"):
            size = len(line) + skip_line(stream)
            loc = f"{path}:{lineno}"
            yield problems.error_document(loc, problems.too_large(size, f.max_bytes), loc)
        elif line.strip():
            yield parse_object_line(line, path, lineno, f)
        else:
            continue
        progress.records += 1


class _TextBuffer:
    """Incrementally decoded text with a read position (for the JSON array parser)."""

    def __init__(self, stream: io.BufferedReader) -> None:
        self._stream = stream
        self._decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")
        self.text = ""
        self.pos = 0
        self.eof = False

    def fill(self) -> bool:
        """Append one more chunk; ``False`` at end of input."""
        if self.eof:
            return False
        chunk = self._stream.read(_CHUNK)
        self.eof = not chunk
        self.text = self.text[self.pos :] + self._decoder.decode(chunk, final=self.eof)
        self.pos = 0
        return bool(chunk)

    def skip_ws(self) -> str:
        """Skip white space; the next character, or ``""`` at end of input."""
        while True:
            while self.pos < len(self.text) and self.text[self.pos] in _WS:
                self.pos += 1
            if self.pos < len(self.text):
                return self.text[self.pos]
            if not self.fill():
                return ""

    @property
    def pending(self) -> int:
        return len(self.text) - self.pos


def iter_json(
    stream: io.BufferedReader, path: str, f: Fields, progress: Progress
) -> Iterator[Document]:
    """A ``.json`` file: one object, or a list of objects parsed one element at a time."""
    buf = _TextBuffer(stream)
    buf.fill()
    if buf.text.startswith("\ufeff"):
        buf.pos = 1
    first = buf.skip_ws()
    if first != "[":
        data = buf.text[buf.pos :].encode("utf-8", "surrogateescape")
        data += stream.read(f.max_bytes + 1 - len(data))
        if len(data) > f.max_bytes:
            yield problems.error_document(path, problems.too_large(None, f.max_bytes), path)
            return
        yield _whole(data, path, f)
        progress.records += 1
        return
    buf.pos += 1
    decoder = json.JSONDecoder()
    item = 0
    while True:
        c = buf.skip_ws()
        if c == "]" or c == "":
            if c == "":
                yield problems.error_document(
                    path, problems.malformed_json(path, "unterminated list"), path
                )
            return
        if item and c == ",":
            buf.pos += 1
            buf.skip_ws()
        item += 1
        where = f"{path} item {item}"
        loc = f"{path}#{item}"
        while True:
            try:
                obj, end = decoder.raw_decode(buf.text, buf.pos)
                break
            except (json.JSONDecodeError, RecursionError) as e:
                if buf.pending > f.max_bytes:
                    yield problems.error_document(loc, problems.too_large(None, f.max_bytes), loc)
                    return
                if not buf.fill():
                    yield problems.error_document(loc, problems.malformed_json(where, str(e)), loc)
                    return
        buf.pos = end
        yield doc_from_object(obj, loc, where, loc, f)
        progress.records += 1


def _whole(data: bytes, path: str, f: Fields) -> Document:
    try:
        obj = json.loads(data.decode("utf-8", "surrogateescape"))
    except (json.JSONDecodeError, RecursionError) as e:
        return problems.error_document(path, problems.malformed_json(path, str(e)), path)
    return doc_from_object(obj, path, path, path, f)
