"""``run_scan``: inputs -> ``results.jsonl`` (resumable) -> Parquet and an HTML report."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from unspin.io.document import Document
from unspin.io.jsonio import Fields
from unspin.scan.inputs import read_scan_inputs
from unspin.scan.local import Counts, Processed, scan_records
from unspin.scan.record import ScanSettings
from unspin.scan.resume import (
    MANIFEST,
    RESULTS,
    Checkpoint,
    ResultsWriter,
    check_manifest,
    recover,
)

__all__ = ["Engine", "InputsChanged", "ScanOutcome", "finish", "run_scan"]

Engine = Literal["local", "spark"]
PARQUET = "results.parquet"
REPORT = "report.html"
_SETTINGS = ScanSettings()
_FIELDS = Fields()


class InputsChanged(ValueError):
    """On resume, the inputs no longer start with the documents already scanned."""


@dataclass(slots=True)
class ScanOutcome:
    """What a run did: documents resumed past, documents scanned now, totals."""

    resumed: int
    counts: Counts
    out: Path

    @property
    def total(self) -> int:
        return self.resumed + self.counts.documents


def manifest(paths: Sequence[str], settings: ScanSettings, fields: Fields) -> dict:
    """What pins a scan: absolute inputs, index, and the settings that change results."""
    return {
        "version": 1,
        "inputs": [p if p == "-" else os.path.abspath(p) for p in paths],
        "db": os.path.abspath(settings.db) if settings.db else None,
        "threshold": settings.threshold,
        "restore": settings.restore,
        "scorer": settings.scorer,
        "fields": {"id_field": fields.id, "text_field": fields.text, "max_bytes": fields.max_bytes},
    }


def _skip_done(docs: Iterator[Document], cp: Checkpoint) -> Iterator[Document]:
    last: Document | None = None
    for _ in range(cp.done):
        last = next(docs, None)
        if last is None:
            raise InputsChanged(f"inputs hold fewer documents than the {cp.done} already scanned")
    if last is not None and last.id != cp.last_id:
        raise InputsChanged(
            f"document {cp.done} of the inputs is {last.id!r}, the scan has {cp.last_id!r}"
        )
    return docs


def run_scan(
    paths: Sequence[str],
    out: Path,
    *,
    settings: ScanSettings = _SETTINGS,
    fields: Fields = _FIELDS,
    workers: int | None = None,
    chunk_size: int | None = None,
    engine: Engine = "local",
    master: str = "local[*]",
    trace_join: bool = False,
    restart: bool = False,
    on_chunk: Callable[[list[Processed], Counts], None] | None = None,
    on_resume: Callable[[int], None] | None = None,
    finalize: bool = True,
) -> ScanOutcome:
    """Scan ``paths`` into ``out``; re-running the same call resumes where it stopped.

    ``workers`` defaults to every core. ``engine="spark"`` runs the per-document step as
    Spark tasks (see :mod:`unspin.scan.spark`); it writes the same files, without resume.
    ``trace_join`` traces on Spark by a join on fingerprint keys instead of opening the
    index in every task (:mod:`unspin.scan.spark_trace`).
    """
    check_manifest(out, manifest(paths, settings, fields), restart=restart or engine == "spark")
    results = out / RESULTS
    cp = recover(results)
    if on_resume is not None and cp.done:
        on_resume(cp.done)
    counts = Counts()
    if engine == "spark":
        from unspin.scan.spark import spark_chunks

        chunks = spark_chunks(
            paths, settings, fields, master=master, workers=workers, trace_join=trace_join
        )
    else:
        docs = _skip_done(read_scan_inputs(paths, fields), cp)
        n = workers if workers is not None else (os.cpu_count() or 1)
        chunks = scan_records(docs, settings, workers=n, chunk_size=chunk_size)
    writer = ResultsWriter(results)
    try:
        for chunk in chunks:
            writer.write_batch([p.line for p in chunk])
            for p in chunk:
                counts.add(p)
            if on_chunk is not None:
                on_chunk(chunk, counts)
    finally:
        writer.close()
    if finalize:
        finish(out)
    return ScanOutcome(cp.done, counts, out)


def finish(out: Path) -> None:
    """Write ``results.parquet`` and ``report.html`` from ``results.jsonl``."""
    from unspin.scan.parquet import jsonl_to_parquet
    from unspin.scan.report import write_report

    jsonl_to_parquet(out / RESULTS, out / PARQUET)
    write_report(out / RESULTS, out / REPORT)


__all__ += ["MANIFEST", "PARQUET", "REPORT", "RESULTS"]
