"""Trace copies to their sources in an archive of originals.

``Index(path)`` is a persistent SQLite index (``.add(documents)``, ``.trace(text, id=...)``,
``len()``, context manager). Candidates come from spin-robust fingerprints
(:mod:`unspin.trace.fingerprint`), are verified by token alignment
(:mod:`unspin.trace.align`) and judged derived or related (:mod:`unspin.trace.verdict`).
"""

from unspin.trace.align import AlignParams, Substitutable, align
from unspin.trace.index import AddReport, Index, TraceParams
from unspin.trace.verdict import VerdictParams

__all__ = [
    "AddReport",
    "AlignParams",
    "Index",
    "Substitutable",
    "TraceParams",
    "VerdictParams",
    "align",
]
