"""The work behind each endpoint: plain synchronous functions over documents.

Each capability is resolved when it is called, so the server keeps running while the
restore and trace stages are still being built: a missing stage raises
:class:`NotAvailable`, which the app turns into HTTP 501.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from unspin.io import problems
from unspin.io.document import Document
from unspin.results import CheckResult, RestoreResult, TraceResult

__all__ = [
    "Deadline",
    "DeadlineExceeded",
    "NotAvailable",
    "TraceIndex",
    "check_one",
    "chunks",
    "init_worker",
    "open_index",
    "restore_available",
    "restore_function",
    "restore_one",
    "results_body",
    "run_batch",
    "source_text",
    "too_large",
    "trace_available",
    "trace_one",
    "warm_up",
]


class NotAvailable(Exception):
    """A stage that is not built (yet): HTTP 501 ``not_implemented``."""


class DeadlineExceeded(Exception):
    """The request ran out of time between two documents: HTTP 504 ``timeout``."""


class TraceIndex(Protocol):
    """What the server needs of ``unspin.trace.Index``."""

    def trace(self, text: str, *, id: str) -> TraceResult: ...

    def __len__(self) -> int: ...


@dataclass(frozen=True, slots=True)
class Deadline:
    """An absolute ``time.monotonic()`` instant after which work stops."""

    at: float

    @classmethod
    def after(cls, seconds: float) -> Deadline:
        return cls(time.monotonic() + seconds)

    def check(self) -> None:
        if time.monotonic() > self.at:
            raise DeadlineExceeded


def too_large(size: int, limit: int) -> str:
    """The per-document reason used when a text exceeds ``max_text_bytes``."""
    return problems.too_large(size, limit)


def check_one(doc: Document, threshold: float | None = None) -> CheckResult:
    from unspin.detect import check_document

    return check_document(doc, threshold=threshold)


def restore_function() -> Callable[..., RestoreResult]:
    """The restore package's entry point (:func:`unspin.despin.restore_document`), or
    :class:`NotAvailable` if it cannot be loaded."""
    try:
        from unspin.despin import restore_document
    except ImportError as exc:
        raise NotAvailable(f"restore is not available ({exc})") from exc
    return restore_document


def restore_available() -> bool:
    """Whether restore works: resolves it and runs it once on a one-word text."""
    try:
        restore_one(Document("probe", "probe"))
    except NotAvailable:
        return False
    except Exception:  # built, but unhappy with the probe: requests will tell
        return True
    return True


def restore_one(doc: Document, threshold: float | None = None) -> RestoreResult:
    if doc.error is not None:
        return RestoreResult(doc.id, "", reason=doc.error, warnings=list(doc.warnings))
    fn = restore_function()
    try:
        return fn(doc, threshold=threshold)
    except NotImplementedError as exc:
        raise NotAvailable(str(exc) or "restore is not implemented yet") from exc


def trace_one(index: TraceIndex, doc: Document) -> TraceResult:
    if doc.error is not None:
        return TraceResult(doc.id, reason=doc.error, warnings=list(doc.warnings))
    return index.trace(doc.text, id=doc.id)


def trace_available() -> bool:
    """Whether ``unspin.trace.Index`` can be imported."""
    try:
        from unspin.trace import Index  # noqa: F401
    except ImportError:
        return False
    return True


def open_index(db: str | Path) -> TraceIndex:
    """Open an existing trace index; :class:`NotAvailable` if trace is not built yet."""
    path = Path(db)
    if not path.exists():
        raise FileNotFoundError(f"index not found: {path}")
    try:
        from unspin.trace import Index
    except ImportError as exc:
        raise NotAvailable("trace is not implemented yet (trace issue)") from exc
    try:
        return Index(path, readonly=True)  # type: ignore[no-any-return]
    except TypeError:  # an Index without the readonly option
        return Index(path)  # type: ignore[no-any-return]


def source_text(index: Any, source_id: str) -> str | None:
    """The archived text of ``source_id`` if the index can give it, else ``None``."""
    for name in ("text", "get_text", "source_text"):
        fn = getattr(index, name, None)
        if callable(fn):
            try:
                found = fn(source_id)
            except KeyError:
                return None
            return found if isinstance(found, str) else None
    store = getattr(index, "store", None)  # unspin.trace.store.Store (until Index.text exists)
    if store is not None and hasattr(store, "numbers") and hasattr(store, "texts"):
        n = store.numbers([source_id]).get(source_id)
        row = store.texts([n]).get(n) if n is not None else None
        return None if row is None else str(row[1])
    return None


def run_batch(fn: Callable[[Document], Any], docs: Sequence[Document], deadline: Deadline) -> bytes:
    """The JSON objects ``fn(doc).to_dict()``, comma-separated, as UTF-8, checking
    ``deadline`` before each document. Serialised here, in the worker, to keep the event
    loop free; :func:`results_body` wraps the parts of a request."""
    parts: list[str] = []
    for doc in docs:
        deadline.check()
        item = fn(doc).to_dict()
        parts.append(json.dumps(item, ensure_ascii=False, allow_nan=False, separators=(",", ":")))
    return ",".join(parts).encode("utf-8")


def results_body(parts: Sequence[bytes]) -> bytes:
    """``{"results": [...]}`` from the outputs of :func:`run_batch` over consecutive chunks."""
    return b'{"results":[' + b",".join(p for p in parts if p) + b"]}"


def chunks(docs: Sequence[Document], n: int) -> list[Sequence[Document]]:
    """Split ``docs`` into at most ``n`` consecutive, nearly equal chunks (order kept)."""
    n = max(1, min(n, len(docs)))
    size, extra = divmod(len(docs), n)
    out, start = [], 0
    for i in range(n):
        end = start + size + (1 if i < extra else 0)
        out.append(docs[start:end])
        start = end
    return out


WORKER_NICENESS = 5


def init_worker() -> None:
    """Worker processes yield the CPU to the server process, which then keeps answering
    (health, small requests, sending results) while big batches are scored."""
    with contextlib.suppress(OSError):
        os.nice(WORKER_NICENESS)


def warm_up() -> None:
    """Load the scorer's resources in a fresh worker process before the first request."""
    from unspin.detect import check_text

    check_text("warm up " * 50)
