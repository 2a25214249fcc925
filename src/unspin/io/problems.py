"""The wording of every reader problem, and error documents (one place for both)."""

from __future__ import annotations

from unspin.io.document import Document

__all__ = [
    "BINARY",
    "EMPTY",
    "error_document",
    "malformed_json",
    "missing_text_field",
    "too_large",
    "truncated",
    "unreadable",
]

EMPTY = "empty document"
BINARY = "binary file, not text"


def _mb(n: int) -> str:
    return f"{n / 1e6:.3g}"


def too_large(size: int | None, limit: int) -> str:
    """``size`` is ``None`` when only "more than the limit" is known (compressed input)."""
    if size is None:
        return f"document too large (more than the {_mb(limit)} MB limit)"
    return f"document too large ({_mb(size)} MB > limit {_mb(limit)} MB)"


def malformed_json(where: str, msg: str) -> str:
    return f"malformed JSON at {where}: {msg}"


def missing_text_field(field: str, where: str) -> str:
    return f"no string field {field!r} at {where}"


def truncated(kind: str, records: int, detail: str = "") -> str:
    more = f" ({detail})" if detail else ""
    return f"truncated or corrupt {kind} stream after {records} records{more}"


def unreadable(path: str, exc: OSError) -> str:
    return f"cannot read {path}: {exc.strerror or exc}"


def error_document(doc_id: str, error: str, origin: str = "") -> Document:
    """A document that could not be read: empty text, ``error`` set, flows on to the output."""
    return Document(id=doc_id, text="", origin=origin or doc_id, error=error)
