"""Result dataclasses shared by the API, the CLI, the HTTP service and scan.

Their ``to_dict()`` output *is* the CLI contract (``--format jsonl``); change it only
together with docs/cli.md and the contract tests.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

__all__ = [
    "Change",
    "CheckResult",
    "Label",
    "Match",
    "Passage",
    "RestoreResult",
    "Span",
    "TraceResult",
]

Label = Literal["spun", "clean", "not_scored"]
Relation = Literal["derived", "related"]


@dataclass(frozen=True, slots=True)
class Span:
    """A suspected substitution: ``text == document[start:end]``."""

    start: int
    end: int
    text: str
    original: str | None = None
    score: float | None = None
    evidence: str | None = None


@dataclass(slots=True)
class CheckResult:
    id: str
    spin_probability: float | None
    label: Label
    reason: str | None = None
    spans: list[Span] = field(default_factory=list)
    n_words: int = 0
    warnings: list[str] = field(default_factory=list)
    scorer: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Change:
    """One edit made by restore: ``text`` (at ``start:end`` in the input) -> ``original``."""

    start: int
    end: int
    text: str
    original: str
    confidence: float


@dataclass(slots=True)
class RestoreResult:
    id: str
    restored: str
    changes: list[Change] = field(default_factory=list)
    reason: str | None = None
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Passage:
    """Aligned passage: copy ``[start, end)`` <-> source ``[source_start, source_end)``."""

    start: int
    end: int
    source_start: int
    source_end: int


@dataclass(slots=True)
class Match:
    source_id: str
    score: float
    relation: Relation
    derived_fraction: float
    passages: list[Passage] = field(default_factory=list)
    rewrite_type: str | None = None
    confidence: float = 0.0  # the copy model's P(derived from this source), 0..1


@dataclass(slots=True)
class TraceResult:
    id: str
    matches: list[Match] = field(default_factory=list)
    reason: str | None = None
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
