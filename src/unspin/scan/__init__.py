"""Scan at scale: detect + restore + trace every document of a crawl.

``run_scan(paths, out, settings=ScanSettings(db=...), workers=N)`` writes, in ``out``,
``results.jsonl`` (one record per input document, in input order; resumable after any
crash by re-running), ``results.parquet`` and ``report.html``. ``Scanner(settings).scan(doc)``
is the per-document step both engines run; ``engine="spark"`` runs it as Spark tasks
(:mod:`unspin.scan.spark`), and :mod:`unspin.scan.spark_index` builds an index on Spark.
"""

from unspin.io.jsonio import Fields
from unspin.scan.inputs import count_documents, read_scan_inputs
from unspin.scan.local import Counts, Processed, scan_records
from unspin.scan.record import RECORD_FIELDS, Scanner, ScanSettings
from unspin.scan.run import InputsChanged, ScanOutcome, finish, run_scan

__all__ = [
    "RECORD_FIELDS",
    "Counts",
    "Fields",
    "InputsChanged",
    "Processed",
    "ScanOutcome",
    "ScanSettings",
    "Scanner",
    "count_documents",
    "finish",
    "read_scan_inputs",
    "run_scan",
    "scan_records",
]
