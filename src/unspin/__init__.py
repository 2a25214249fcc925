"""unspin: find machine-spun copies of news articles, show what was changed, restore the
original wording, and trace copies to their source.

The Python API mirrors the CLI and returns the same result dataclasses the CLI renders::

    import unspin
    result = unspin.check(text)            # CheckResult: spin_probability, label, spans
    result.to_dict()                       # exactly what `unspin check --format jsonl` prints
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from unspin.io.document import Document
from unspin.results import (
    Change,
    CheckResult,
    Match,
    Passage,
    RestoreResult,
    Span,
    TraceResult,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from pathlib import Path

__version__ = "0.1.0"

__all__ = [
    "Change",
    "CheckResult",
    "Document",
    "Index",
    "Match",
    "Passage",
    "RestoreResult",
    "Span",
    "TraceResult",
    "__version__",
    "check",
    "check_many",
    "read_documents",
    "restore",
]


def check(text: str, *, id: str = "text", threshold: float | None = None) -> CheckResult:
    """Spin probability, label and suspected substitutions of one text."""
    from unspin.detect import DEFAULT_THRESHOLD, check_text

    return check_text(text, id=id, threshold=DEFAULT_THRESHOLD if threshold is None else threshold)


def check_many(documents: Iterable[Document]) -> Iterator[CheckResult]:
    """:func:`check` over documents, e.g. from :func:`read_documents`."""
    from unspin.detect import check_document

    return (check_document(d) for d in documents)


def read_documents(paths: str | Path | Iterable[str | Path], **options: Any) -> Iterator[Document]:
    """Stream documents from files, folders, ``-`` (stdin), JSONL, HTML, WARC/WET."""
    from unspin.io import read_documents as _read

    return _read(paths, **options)


def restore(
    text: str,
    *,
    source: str | None = None,
    id: str = "text",
    threshold: float | None = None,
    min_spin: float | None = None,
) -> RestoreResult:
    """The de-spun text and every change (offsets into ``text``); with ``source`` (the
    original it was spun from) aligned parts are restored exactly. ``threshold``: the
    decision probability for changes made without the source (``None``: shipped, 0.45);
    ``min_spin``: without the source, a text whose spin probability is below it is left as
    it is (``None``: 0.5; 0 restores every text)."""
    from unspin.despin import restore_text

    return restore_text(text, source=source, id=id, threshold=threshold, min_spin=min_spin)


def __getattr__(name: str) -> Any:
    if name == "Index":
        try:
            from unspin.trace import Index
        except ImportError as exc:  # pragma: no cover - until the trace issue lands
            raise NotImplementedError("unspin.Index: not implemented yet (trace issue)") from exc
        return Index
    raise AttributeError(f"module 'unspin' has no attribute {name!r}")
