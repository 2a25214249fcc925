"""The local engine: documents -> records on N processes, in input order, bounded memory."""

from __future__ import annotations

import multiprocessing as mp
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from unspin.io.document import Document
from unspin.scan.record import Scanner, ScanSettings, to_line

__all__ = ["Counts", "Processed", "process_chunk", "scan_records"]

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


def _processed(rec: dict[str, Any], doc: Document) -> Processed:
    derived = any(m.get("relation") == "derived" for m in rec.get("matches", ()))
    return Processed(to_line(rec), rec["label"], derived, doc.error is not None)


def _init_worker(settings: ScanSettings) -> None:
    global _scanner
    _scanner = Scanner(settings)


def process_chunk(docs: list[Document]) -> list[Processed]:
    """Scan a chunk in a worker process (after :func:`_init_worker`)."""
    assert _scanner is not None, "worker not initialised"
    return [_processed(_scanner.scan(d), d) for d in docs]


def _chunks(docs: Iterable[Document], size: int) -> Iterator[list[Document]]:
    it = iter(docs)
    while chunk := list(islice(it, size)):
        yield chunk


def scan_records(
    docs: Iterable[Document],
    settings: ScanSettings,
    *,
    workers: int = 1,
    chunk_size: int = 16,
) -> Iterator[list[Processed]]:
    """Scanned chunks in input order.

    ``workers`` > 1 runs that many processes; at most ``4 * workers`` chunks are in
    flight, so memory stays bounded whatever the input size.
    """
    if workers <= 1:
        with Scanner(settings) as scanner:
            for chunk in _chunks(docs, chunk_size):
                yield [_processed(scanner.scan(d), d) for d in chunk]
        return
    ctx = mp.get_context("forkserver")
    with ProcessPoolExecutor(
        workers, mp_context=ctx, initializer=_init_worker, initargs=(settings,)
    ) as pool:
        pending: deque[Future[list[Processed]]] = deque()
        for chunk in _chunks(docs, chunk_size):
            pending.append(pool.submit(process_chunk, chunk))
            if len(pending) >= 4 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
