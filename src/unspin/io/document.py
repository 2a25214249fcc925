"""The unit every reader yields and every stage consumes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Document"]


@dataclass(slots=True)
class Document:
    """One input document.

    ``id`` is stable across runs (path, JSON id, or WARC record id). ``origin`` says where
    it was read from (``path``, ``path:line``, ``path#record``). A document that could not
    be read still flows through the pipeline with ``error`` set and empty ``text``, so
    that it is reported, never silently dropped. ``warnings`` carry recoverable problems
    (for instance invalid UTF-8 that was replaced).
    """

    id: str
    text: str
    origin: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None
