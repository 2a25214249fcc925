"""Byte streams for the readers: put-back of sniffed bytes, transparent gzip, bounded reads."""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass
from typing import BinaryIO

__all__ = ["GZIP_MAGIC", "Opened", "Progress", "open_stream", "skip_line"]

GZIP_MAGIC = b"\x1f\x8b"
SNIFF_BYTES = 8192
_BUFFER = 1 << 16


class _Chain(io.RawIOBase):
    """``head`` then the rest of ``rest``; tracks position, the last 4 bytes and EOF.

    A read error from ``rest`` (a truncated gzip member) is deferred: the bytes decoded
    before it are delivered first, the next read raises it. ``error`` keeps it.
    """

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        super().__init__()
        self._head = memoryview(head)
        self._rest = rest
        self._read = getattr(rest, "read1", rest.read)
        self.pos = 0
        self.tail = b""
        self.error: BaseException | None = None

    def readable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.pos

    def readinto(self, b: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._head:
            n = min(len(b), len(self._head))
            b[:n] = self._head[:n]
            self._head = self._head[n:]
        else:
            if self.error is not None:
                raise self.error
            try:
                data = self._read(len(b))
            except (EOFError, OSError, zlib.error) as e:
                self.error = e
                return 0
            n = len(data)
            b[:n] = data
        if n:
            self.pos += n
            self.tail = (self.tail + bytes(b[max(0, n - 4) : n]))[-4:]
        return n


def _read_head(stream: BinaryIO, size: int) -> tuple[bytes, BaseException | None]:
    """Up to ``size`` bytes, and the read error that stopped short of them (if any)."""
    parts: list[bytes] = []
    got = 0
    read = getattr(stream, "read1", stream.read)
    while got < size:
        try:
            chunk = read(size - got)
        except (EOFError, OSError, zlib.error) as e:
            return b"".join(parts), e
        if not chunk:
            break
        parts.append(chunk)
        got += len(chunk)
    return b"".join(parts), None


class _GzipMembers(io.RawIOBase):
    """Gzip decompression (any number of members) straight on zlib.

    ``gzip.GzipFile`` parses every member header in Python, which dominates for WARC/WET
    files with one gzip member per record. Output per read is bounded by the request, so
    a bomb never inflates more than asked for. A stream that ends inside a member raises
    ``EOFError``; bad data raises ``zlib.error``.
    """

    def __init__(self, raw: BinaryIO) -> None:
        super().__init__()
        self._raw = raw
        self._inflate = zlib.decompressobj(31)
        self._pending = b""  # compressed bytes not yet given to zlib
        self._in_member = False
        self._error: zlib.error | None = None  # raised after the bytes decoded before it

    def readable(self) -> bool:
        return True

    def readinto(self, b: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._error is not None:
            raise self._error
        view = memoryview(b).cast("B")
        size, filled = len(view), 0
        while filled < size:  # fill across members: one call per buffer, not per record
            if self._inflate.eof:
                self._pending = self._inflate.unused_data
                self._inflate = zlib.decompressobj(31)
                self._in_member = False
            if not self._in_member:  # between members: zero padding is allowed (as gzip)
                self._pending = self._pending.lstrip(b"\x00")
            if not self._pending:
                self._pending = self._raw.read(_BUFFER)
                if not self._pending:
                    if filled:
                        break
                    if self._in_member:
                        raise EOFError("compressed stream ended inside a gzip member")
                    return 0
                continue
            self._in_member = True
            try:
                out = self._inflate.decompress(self._pending, size - filled)
            except zlib.error as e:
                if not filled:
                    raise
                self._error = e
                break
            # At the end of a member the rest is in unused_data (and, with a max_length,
            # also in unconsumed_tail: take it once).
            self._pending = b"" if self._inflate.eof else self._inflate.unconsumed_tail
            view[filled : filled + len(out)] = out
            filled += len(out)
        return filled


class _Failed(io.RawIOBase):
    """A stream whose next read raises ``error``."""

    def __init__(self, error: BaseException) -> None:
        super().__init__()
        self.error = error

    def readable(self) -> bool:
        return True

    def read1(self, n: int = -1) -> bytes:
        raise self.error

    def readinto(self, b: bytearray | memoryview) -> int:  # type: ignore[override]
        raise self.error


@dataclass(slots=True)
class Progress:
    """How many records a reader has taken from a stream (for truncation messages)."""

    records: int = 0


@dataclass(slots=True)
class Opened:
    """A decompressed, buffered stream, whether it was gzip, and its first bytes."""

    stream: io.BufferedReader
    gzipped: bool
    head: bytes

    @property
    def chain(self) -> _Chain:
        return self.stream.raw  # type: ignore[return-value]


def open_stream(raw: BinaryIO) -> Opened:
    """Wrap ``raw``: gunzip it if it starts with the gzip magic, and sniff its first 8 KB.

    ``head`` is read from the (decompressed) stream and put back, so non-seekable input
    (stdin, pipes) works. Gzip damage surfaces as ``EOFError``/``OSError``/``zlib.error``
    from later reads, after every byte decoded before it.
    """
    magic = raw.read(2)
    stream: BinaryIO = io.BufferedReader(_Chain(magic, raw), _BUFFER)
    gzipped = magic == GZIP_MAGIC
    if gzipped:
        stream = io.BufferedReader(_GzipMembers(stream), _BUFFER)
    head, error = _read_head(stream, SNIFF_BYTES)
    rest: BinaryIO = _Failed(error) if error is not None else stream  # type: ignore[assignment]
    return Opened(io.BufferedReader(_Chain(head, rest), _BUFFER), gzipped, head)


def skip_line(stream: io.BufferedReader) -> int:
    """Discard the rest of the current line without holding it; return its length."""
    n = 0
    while True:
        chunk = stream.readline(_BUFFER)
        n += len(chunk)
        if not chunk or chunk.endswith(b"\n"):
            return n
