"""From an alignment to a verdict: derived or related, how rewritten, and a score."""

from __future__ import annotations

from dataclasses import dataclass

from unspin.results import Match, Passage
from unspin.trace.align import Alignment
from unspin.trace.terms import Terms

__all__ = ["VerdictParams", "rewrite_type", "to_match"]


@dataclass(frozen=True, slots=True)
class VerdictParams:
    derived_coverage: float = 0.3  # share of the copy (or of the source) inside passages
    derived_weight: float = 12.0  # weighted aligned terms a derived claim needs at least
    verbatim_density: float = 0.9  # matched share inside passages for "verbatim"
    spun_density: float = 0.45  # ... and for "spun" (with mostly 1:1 gaps)
    spun_equal_gaps: float = 0.5


def is_derived(al: Alignment, p: VerdictParams) -> bool:
    coverage = max(al.copy_fraction, al.source_fraction)
    return coverage >= p.derived_coverage and al.weight >= p.derived_weight


def rewrite_type(al: Alignment, p: VerdictParams) -> str:
    """``verbatim``, ``spun`` (1:1 word swaps in the same order) or the rest."""
    if al.density >= p.verbatim_density:
        return "verbatim"
    if al.density >= p.spun_density and al.equal_gaps >= p.spun_equal_gaps:
        return "spun"
    return "translated-or-paraphrased"


def score(al: Alignment, copy: Terms, stop_weight: float) -> float:
    """Weighted share of the copy explained by the aligned passages (0..1)."""
    total = float(len(copy)) - (1.0 - stop_weight) * float(copy.stop.sum())
    return round(min(1.0, al.weight / total), 4) if total > 0 else 0.0


def to_match(
    source_id: str,
    al: Alignment,
    copy: Terms,
    source: Terms,
    p: VerdictParams,
    stop_weight: float,
) -> Match:
    """The public :class:`~unspin.results.Match` for one aligned candidate."""
    derived = is_derived(al, p)
    passages = [
        Passage(
            int(copy.starts[t.first]),
            int(copy.ends[t.end - 1]),
            int(source.starts[t.sfirst]),
            int(source.ends[t.send - 1]),
        )
        for t in al.passages
    ]
    return Match(
        source_id=source_id,
        score=score(al, copy, stop_weight),
        relation="derived" if derived else "related",
        derived_fraction=round(al.copy_fraction, 4),
        passages=passages,
        rewrite_type=rewrite_type(al, p) if derived else None,
    )
