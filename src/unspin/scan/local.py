"""The local engine: documents -> records on N processes, in input order, bounded memory.

Workers are forkserver processes. Each one watches a pipe from the driver in a daemon
thread and exits as soon as the driver is gone (even after ``kill -9``), so a killed scan
leaves no worker behind; the forkserver then exits too, as its last client is gone.
Chunks are sized to about :data:`CHUNK_SECONDS` of work, from the measured time per
document: one document per chunk for a slow detector (no idle worker at the end of the
input), hundreds for a fast one (little per-chunk overhead in the driver).
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from unspin.io.document import Document
from unspin.scan.record import Scanner, ScanSettings, to_line

__all__ = ["ChunkSizer", "Counts", "Processed", "process_chunk", "scan_records"]

CHUNK_SECONDS = 0.25  # target work per chunk (per worker)
MAX_CHUNK_DOCS = 512
MAX_CHUNK_CHARS = 2_000_000  # bounds memory: at most 4 chunks per worker are in flight

_scanner: Scanner | None = None


@dataclass(frozen=True, slots=True)
class Processed:
    """One scanned document: its JSONL line and what the progress display counts."""

    line: str
    label: str
    derived: bool
    unreadable: bool = False


@dataclass(slots=True)
class Counts:
    """Running totals for the progress bar and the final summary."""

    documents: int = 0
    labels: dict[str, int] = field(default_factory=dict)
    derived: int = 0
    unreadable: int = 0

    def add(self, p: Processed) -> None:
        self.documents += 1
        self.labels[p.label] = self.labels.get(p.label, 0) + 1
        self.derived += p.derived
        self.unreadable += p.unreadable

    def summary(self) -> str:
        parts = [f"{k} {v}" for k, v in sorted(self.labels.items())]
        parts.append(f"copied {self.derived}")
        if self.unreadable:
            parts.append(f"unreadable {self.unreadable}")
        return f"{self.documents} docs: " + ", ".join(parts)


@dataclass(slots=True)
class ChunkSizer:
    """Documents per chunk: ``fixed``, or about ``seconds`` of work at the measured rate."""

    fixed: int | None = None
    seconds: float = CHUNK_SECONDS
    max_docs: int = MAX_CHUNK_DOCS
    per_doc: float | None = None  # smoothed seconds per document in one worker

    @property
    def size(self) -> int:
        if self.fixed is not None:
            return self.fixed
        if self.per_doc is None:
            return 1
        return max(1, min(self.max_docs, int(self.seconds / max(self.per_doc, 1e-9))))

    def observe(self, docs: int, seconds: float) -> None:
        """One worker scanned ``docs`` documents in ``seconds``."""
        if docs <= 0:
            return
        rate = seconds / docs
        self.per_doc = rate if self.per_doc is None else 0.7 * self.per_doc + 0.3 * rate


def _processed(rec: dict[str, Any], doc: Document) -> Processed:
    derived = any(m.get("relation") == "derived" for m in rec.get("matches", ()))
    return Processed(to_line(rec), rec["label"], derived, doc.error is not None)


def _scan_chunk(scanner: Scanner, docs: list[Document]) -> tuple[list[Processed], float]:
    t = time.perf_counter()
    out = [_processed(scanner.scan(d), d) for d in docs]
    return out, time.perf_counter() - t


def _exit_with_parent(alive: Connection) -> None:
    """Block until the driver's end of ``alive`` closes (the driver exited), then exit."""
    with contextlib.suppress(EOFError, OSError):
        alive.recv_bytes()
    os._exit(1)


def _init_worker(settings: ScanSettings, alive: Connection) -> None:
    global _scanner
    threading.Thread(target=_exit_with_parent, args=(alive,), daemon=True).start()
    _scanner = Scanner(settings)


def process_chunk(docs: list[Document]) -> tuple[list[Processed], float]:
    """Scan a chunk in a worker process (after :func:`_init_worker`); also its seconds."""
    assert _scanner is not None, "worker not initialised"
    return _scan_chunk(_scanner, docs)


def _next_chunk(docs: Iterator[Document], size: int) -> list[Document]:
    chunk: list[Document] = []
    chars = 0
    for doc in docs:
        chunk.append(doc)
        chars += len(doc.text)
        if len(chunk) >= size or chars >= MAX_CHUNK_CHARS:
            break
    return chunk


def scan_records(
    docs: Iterable[Document],
    settings: ScanSettings,
    *,
    workers: int = 1,
    chunk_size: int | None = None,
) -> Iterator[list[Processed]]:
    """Scanned chunks in input order.

    ``workers`` > 1 runs that many processes; at most ``4 * workers`` chunks are in
    flight, so memory stays bounded whatever the input size. ``chunk_size`` fixes the
    documents per chunk (default: adaptive, see :class:`ChunkSizer`).
    """
    sizer = ChunkSizer(chunk_size)
    it = iter(docs)
    if workers <= 1:
        with Scanner(settings) as scanner:
            while chunk := _next_chunk(it, sizer.size):
                out, seconds = _scan_chunk(scanner, chunk)
                sizer.observe(len(chunk), seconds)
                yield out
        return
    yield from _pool_records(it, settings, workers, sizer)


def _pool_records(
    docs: Iterator[Document], settings: ScanSettings, workers: int, sizer: ChunkSizer
) -> Iterator[list[Processed]]:
    ctx = mp.get_context("forkserver")
    # The driver holds the only write end of ``alive``: when it dies, however it dies,
    # every worker reads EOF and exits (see _exit_with_parent).
    alive, alive_w = ctx.Pipe(duplex=False)
    pending: deque[tuple[Future[tuple[list[Processed], float]], int]] = deque()

    def take() -> list[Processed]:
        fut, n = pending.popleft()
        out, seconds = fut.result()
        sizer.observe(n, seconds)
        return out

    try:
        with ProcessPoolExecutor(
            workers, mp_context=ctx, initializer=_init_worker, initargs=(settings, alive)
        ) as pool:
            try:
                while chunk := _next_chunk(docs, sizer.size):
                    pending.append((pool.submit(process_chunk, chunk), len(chunk)))
                    if len(pending) >= 4 * workers:
                        yield take()
                while pending:
                    yield take()
            finally:
                for fut, _ in pending:  # on an early exit, do not scan what nobody reads
                    fut.cancel()
    finally:
        alive.close()
        alive_w.close()
