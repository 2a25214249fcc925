"""The work behind each endpoint: plain synchronous functions over documents.

Each capability is resolved when it is called, so the server keeps running while the
restore and trace stages are still being built: a missing stage raises
:class:`NotAvailable`, which the app turns into HTTP 501.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from unspin.io.document import Document
from unspin.results import CheckResult, RestoreResult, TraceResult

__all__ = [
    "Deadline",
    "DeadlineExceeded",
    "NotAvailable",
    "TraceIndex",
    "check_one",
    "open_index",
    "restore_available",
    "restore_function",
    "restore_one",
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
    try:
        from unspin.io.problems import too_large as wording
    except ImportError:  # pragma: no cover - the io issue provides the shared wording
        return f"document too large ({size / 1e6:.1f} MB > limit {limit / 1e6:.1f} MB)"
    return wording(size, limit)


def check_one(doc: Document) -> CheckResult:
    from unspin.detect import check_document

    return check_document(doc)


def restore_function() -> Callable[[Document], RestoreResult]:
    """``unspin.restore``'s entry point, or :class:`NotAvailable` while it is not built.

    Prefers ``unspin.restore.restore_document(doc)`` (the restore package), then a
    ``restore_text``/``restore`` function there, then the top-level ``unspin.restore()``.
    """
    import unspin

    top = vars(unspin).get("restore")
    spec = importlib.util.find_spec("unspin.restore")
    if spec is not None and spec.origin is not None:  # a regular package, not an empty folder
        mod = importlib.import_module("unspin.restore")
        by_doc = getattr(mod, "restore_document", None)
        if callable(by_doc):
            return by_doc  # type: ignore[no-any-return]
        by_text = getattr(mod, "restore_text", None) or getattr(mod, "restore", None)
        if callable(by_text):
            return lambda doc: by_text(doc.text, id=doc.id)
    if callable(top):
        return lambda doc: top(doc.text, id=doc.id)
    raise NotAvailable("restore is not implemented yet (restore issue)")


def restore_available() -> bool:
    """Whether restore works: resolves it and runs it once on a one-word text."""
    try:
        restore_one(Document("probe", "probe"))
    except NotAvailable:
        return False
    except Exception:  # built, but unhappy with the probe: requests will tell
        return True
    return True


def restore_one(doc: Document) -> RestoreResult:
    if doc.error is not None:
        return RestoreResult(doc.id, "", reason=doc.error, warnings=list(doc.warnings))
    fn = restore_function()
    try:
        return fn(doc)
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
    """``{"results": [fn(doc).to_dict(), ...]}`` as UTF-8 JSON, checking ``deadline`` before
    each document. Serialised here, in the worker, to keep the event loop free."""
    out: list[dict[str, Any]] = []
    for doc in docs:
        deadline.check()
        out.append(fn(doc).to_dict())
    text = json.dumps({"results": out}, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return text.encode("utf-8")


def warm_up() -> None:
    """Load the scorer's resources in a fresh worker process before the first request."""
    from unspin.detect import check_text

    check_text("warm up " * 50)
