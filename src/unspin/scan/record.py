"""The per-document scan step: detect + restore + trace -> one JSON-ready record.

The same function runs in the local engine's worker processes and in Spark tasks.
A :class:`Scanner` holds what a worker loads once (the index, the detector settings).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from unspin.detect import check_document
from unspin.io.document import Document
from unspin.results import CheckResult, TraceResult

__all__ = ["RECORD_FIELDS", "ScanSettings", "Scanner", "to_line"]

# The check contract's fields, then what scan adds.
RECORD_FIELDS: tuple[str, ...] = (
    *CheckResult.__dataclass_fields__,
    "restored",
    "restore_reason",
    "changes",
    "matches",
    "trace_reason",
    "url",
    "origin",
)
NOT_SPUN = "not labelled spun"
NO_INDEX = "no index given (--db)"


@dataclass(frozen=True, slots=True)
class ScanSettings:
    """What every worker needs to process documents identically."""

    db: str | None = None
    threshold: float | None = None  # None: the detector's default
    # "default": the shipped detector; "fast": the triage scorer (``scan --fast``);
    # "screen": triage, then the detector on what it flags (``--fast --confirm``);
    # "baseline": the rare-word share (triage's predecessor, kept as a benchmark baseline)
    scorer: str = "default"
    restore: bool = True


def _restorer() -> tuple[Any, str | None]:
    """``unspin.despin.restore_document`` if it is built yet, else ``(None, reason)``."""
    try:
        from unspin.despin import restore_document  # type: ignore[attr-defined]
    except ImportError:
        return None, "restore not available in this build (unspin.despin)"
    return restore_document, None


def _url(doc: Document) -> str | None:
    for key in ("url", "WARC-Target-URI", "target_uri", "link"):
        v = doc.meta.get(key)
        if isinstance(v, str) and v:
            return v
    return None


class Scanner:
    """Scans documents one by one; opens the index read-only once (one per process)."""

    def __init__(self, settings: ScanSettings) -> None:
        self.settings = settings
        self.index: Any = None
        if settings.db is not None:
            from unspin.trace import Index

            self.index = Index(Path(settings.db), readonly=True)
        self.scorer: Any = None
        if settings.scorer in ("fast", "screen"):
            from unspin.detect.triage import TriageScorer

            self.scorer = TriageScorer()
        elif settings.scorer == "baseline":
            from unspin.detect.baseline import RareWordScorer

            self.scorer = RareWordScorer()
        elif settings.scorer != "default":
            raise ValueError(
                f"unknown scorer {settings.scorer!r}: default, fast, screen or baseline"
            )
        self.restore_fn, self.restore_missing = (
            _restorer() if settings.restore else (None, "restore disabled")
        )
        if self.restore_fn is not None:
            # Load the restorer (decision model; the lexicon with learned pairs, which the
            # detector reads too) before the first document, not while timing it. A
            # document labelled spun is restored from the evidence detection gathered.
            from unspin.despin import load_restorer

            load_restorer()

    def close(self) -> None:
        if self.index is not None:
            self.index.close()
            self.index = None

    def __enter__(self) -> Scanner:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def scan(
        self,
        doc: Document,
        traced: TraceResult | None = None,
        sources: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """The record of one document. Each stage fails alone: an internal error in one
        becomes that stage's reason, and the other stages still run.

        ``traced`` (with the candidate texts in ``sources``) is a trace computed elsewhere
        (the Spark join); without it, the scanner's own index is used.
        """
        try:
            check = self._check(doc)
        except Exception as e:  # one bad document must not stop a crawl-sized scan
            check = CheckResult(doc.id, None, "not_scored", _internal(e), warnings=doc.warnings)
        rec = check.to_dict()
        try:
            trace = self._trace(doc) if traced is None else _trace_fields(doc, traced)
        except Exception as e:
            trace = {"matches": [], "trace_reason": _internal(e)}
        try:
            source = self._source_text(trace["matches"], sources)
            rec.update(self._restore(doc, check, source))
        except Exception as e:
            rec.update(restored=None, restore_reason=_internal(e), changes=[])
        rec.update(trace)
        rec["url"] = _url(doc)
        rec["origin"] = doc.origin
        return rec

    def _check(self, doc: Document) -> CheckResult:
        if self.settings.scorer == "screen":
            from unspin.detect.triage import screen_document

            return screen_document(doc, self.scorer, threshold=self.settings.threshold)
        kw: dict[str, Any] = {}
        if self.scorer is not None:
            kw["scorer"] = self.scorer
        if self.settings.threshold is not None:  # else the detector's own default
            kw["threshold"] = self.settings.threshold
        return check_document(doc, **kw)

    def _source_text(
        self, matches: list[dict[str, Any]], sources: dict[str, str] | None = None
    ) -> str | None:
        """The archived text of the best derived source, for exact restoration."""
        if not matches or matches[0]["relation"] != "derived":
            return None
        if sources is not None:
            return sources.get(matches[0]["source_id"])
        if self.index is None:
            return None
        try:
            return str(self.index.text(matches[0]["source_id"]))
        except KeyError:
            return None

    def _restore(self, doc: Document, check: CheckResult, source: str | None) -> dict[str, Any]:
        if check.label != "spun":
            return {"restored": None, "restore_reason": check.reason or NOT_SPUN, "changes": []}
        if self.restore_fn is None:
            return {"restored": None, "restore_reason": self.restore_missing, "changes": []}
        res = self.restore_fn(doc, source=source)
        return {
            "restored": res.restored,
            "restore_reason": res.reason,
            "changes": [asdict(c) for c in res.changes],
        }

    def _trace(self, doc: Document) -> dict[str, Any]:
        if self.index is None:
            return {"matches": [], "trace_reason": NO_INDEX}
        if doc.error is not None:
            return {"matches": [], "trace_reason": doc.error}
        res = self.index.trace(doc.text, id=doc.id)
        return {"matches": [asdict(m) for m in res.matches], "trace_reason": res.reason}


def _trace_fields(doc: Document, res: TraceResult) -> dict[str, Any]:
    if doc.error is not None:
        return {"matches": [], "trace_reason": doc.error}
    return {"matches": [asdict(m) for m in res.matches], "trace_reason": res.reason}


def _internal(e: Exception) -> str:
    return f"internal error: {type(e).__name__}: {e}"


def to_line(rec: dict[str, Any]) -> str:
    """One JSONL line (no newline), fields in :data:`RECORD_FIELDS` order."""
    return json.dumps(rec, ensure_ascii=False, separators=(",", ":"))
