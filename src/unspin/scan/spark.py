"""The Spark engine: the same per-document step as Spark tasks (extra ``[spark]``).

Work units are input files (Parquet files: row groups), one Spark partition each, in
input order; every partition builds one :class:`~unspin.scan.record.Scanner` (one
detector and index load) and the driver streams the records back in order
(``toLocalIterator``), so the output files are the local engine's, byte for byte.
On a cluster, the index path (``--db``) must be readable by every executor (shared
file system, or shipped with ``--files``; see docs/scale.md).
"""

from __future__ import annotations

import dataclasses
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

from unspin.io import problems
from unspin.io.jsonio import Fields
from unspin.scan.inputs import expand_inputs, is_parquet, parquet_row_groups
from unspin.scan.local import Processed, _processed
from unspin.scan.record import Scanner, ScanSettings

__all__ = ["Unit", "scan_partition", "spark_chunks", "spark_session", "work_units"]

# (path, error, parquet row groups or None)
Unit = tuple[str, str | None, list[tuple[int, int]] | None]
APP_NAME = "unspin scan"


def work_units(paths: Sequence[str], row_groups_per_unit: int = 1) -> list[Unit]:
    """Input files in order; a Parquet file becomes one unit per ``row_groups_per_unit``."""
    units: list[Unit] = []
    for path, error in expand_inputs(paths):
        if path == "-":
            raise ValueError("--engine spark cannot read stdin")
        if error is None and is_parquet(path):
            try:
                groups = parquet_row_groups(path)
            except Exception:
                groups = []  # unreadable: the reader reports it in the task
            for i in range(0, max(len(groups), 1), row_groups_per_unit):
                units.append((path, None, groups[i : i + row_groups_per_unit] or None))
        else:
            units.append((path, error, None))
    return units


def _unit_documents(unit: Unit, fields: Fields) -> Iterator[Any]:
    from unspin.scan.inputs import read_file, read_parquet

    path, error, groups = unit
    if error is not None:
        yield problems.error_document(path, error)
    elif groups is not None:
        yield from read_parquet(path, fields, groups)
    else:
        yield from read_file(path, fields)


def scan_partition(
    units: Iterable[Unit], settings: ScanSettings, fields: Fields
) -> Iterator[tuple[str, str, bool, bool]]:
    """A Spark task: scan the documents of ``units`` with one Scanner."""
    with Scanner(settings) as scanner:
        for unit in units:
            for doc in _unit_documents(unit, fields):
                p = _processed(scanner.scan(doc), doc)
                yield (p.line, p.label, p.derived, p.unreadable)


def spark_session(master: str, cores: int | None = None, shuffle_partitions: int = 8) -> Any:
    """A SparkSession whose Python workers run this interpreter.

    ``shuffle_partitions`` applies unless ``spark.sql.shuffle.partitions`` is configured
    (spark-submit ``--conf``): the default 200 tiny tasks dominate small local runs.
    """
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    builder = (
        SparkSession.builder.master(master)
        .appName(APP_NAME)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.python.worker.reuse", "true")
    )
    if "spark.sql.shuffle.partitions" not in os.environ.get("PYSPARK_SUBMIT_ARGS", ""):
        builder = builder.config("spark.sql.shuffle.partitions", str(shuffle_partitions))
    if cores:
        builder = builder.config("spark.default.parallelism", str(cores))
    return builder.getOrCreate()


def _read_unit(index: int, units: Iterable[Unit], fields: Fields) -> Iterator[tuple]:
    for unit in units:
        for k, doc in enumerate(_unit_documents(unit, fields)):
            yield ((index << 32) | k, doc)


def _scan_joined(
    items: Iterable[tuple[int, tuple[Any, Any]]], settings: ScanSettings
) -> Iterator[tuple[int, tuple[str, str, bool, bool]]]:
    from unspin.scan.spark_trace import verify
    from unspin.trace.index import TraceParams

    with Scanner(settings) as scanner:
        for uid, (doc, found) in items:
            if found is not None:
                traced, sources = found
            else:  # no candidate at all: what Index.trace says then
                traced, sources = verify(doc.id, doc.text, [], TraceParams()), {}
            p = _processed(scanner.scan(doc, traced, sources), doc)
            yield uid, (p.line, p.label, p.derived, p.unreadable)


def _joined_rows(
    spark: Any, units: list[Unit], settings: ScanSettings, fields: Fields, archive: str
) -> Iterator[tuple[str, str, bool, bool]]:
    """Records when trace runs as a Spark join on fingerprint keys (no index per task)."""
    from pyspark import StorageLevel

    from unspin.scan.spark_trace import spark_traces
    from unspin.trace.index import TraceParams

    local = dataclasses.replace(settings, db=None)
    docs = (
        spark.sparkContext.parallelize(units, len(units))
        .mapPartitionsWithIndex(lambda i, it: _read_unit(i, it, fields))
        .persist(StorageLevel.MEMORY_AND_DISK)
    )
    copies = docs.map(lambda x: (x[0], x[1].text, x[1].error))
    traces = spark_traces(spark, copies, archive, TraceParams())
    out = (
        docs.leftOuterJoin(traces)
        .mapPartitions(lambda it: _scan_joined(it, local))
        .sortByKey(numPartitions=len(units))
    )
    for _, row in out.toLocalIterator(prefetchPartitions=True):
        yield row


def spark_chunks(
    paths: Sequence[str],
    settings: ScanSettings,
    fields: Fields,
    *,
    master: str = "local[*]",
    workers: int | None = None,
    chunk_size: int = 64,
    trace_join: bool = False,
    archive: str | None = None,
) -> Iterator[list[Processed]]:
    """Scanned records in input order, computed by Spark tasks, streamed to the driver.

    With ``trace_join`` (and an index), trace runs as a join on fingerprint keys against
    the archive exported as Parquet (``archive``: a folder from
    :func:`unspin.scan.spark_trace.export_archive`, else exported to a temporary folder
    now) instead of every task opening the SQLite index.
    """
    if workers and master == "local[*]":
        master = f"local[{workers}]"
    if settings.db is not None:
        settings = dataclasses.replace(settings, db=os.path.abspath(settings.db))
    units = work_units(paths)
    if not units:
        return
    spark = spark_session(master)
    if trace_join and settings.db is not None:
        if archive is None:
            import tempfile

            from unspin.scan.spark_trace import export_archive

            archive = str(export_archive(settings.db, tempfile.mkdtemp(prefix="unspin-archive-")))
        raw: Iterator[tuple] = _joined_rows(spark, units, settings, fields, archive)
    else:
        rdd = spark.sparkContext.parallelize(units, len(units)).mapPartitions(
            lambda it: scan_partition(it, settings, fields)
        )
        raw = rdd.toLocalIterator(prefetchPartitions=True)
    rows = (Processed(*r) for r in raw)
    while chunk := list(islice(rows, chunk_size)):
        yield chunk
