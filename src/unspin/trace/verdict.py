"""From an alignment to a verdict: derived or related, how rewritten, and a score."""

from __future__ import annotations

from dataclasses import dataclass

from unspin.results import Match, Passage
from unspin.trace.align import Alignment
from unspin.trace.terms import Terms

__all__ = ["VerdictParams", "is_derived", "is_heavily_spun", "rewrite_type", "to_match"]


@dataclass(frozen=True, slots=True)
class VerdictParams:
    derived_coverage: float = 0.25  # share of the copy (or of the source) inside passages
    paraphrase_coverage: float = 0.4  # the same for translated-or-paraphrased alignments
    derived_density: float = 0.5  # matched share of the copy's terms inside passages
    derived_weight: float = 30.0  # weighted aligned terms a derived claim needs, or ...
    derived_weight_share: float = 0.5  # ... this share of a short copy's total weight
    exact_density: float = 0.97  # matched share inside passages for "verbatim" ...
    verbatim_density: float = 0.85  # ... or this much when the gaps are not 1:1 swaps
    spun_density: float = 0.45  # ... and for "spun" (with mostly 1:1 gaps)
    spun_equal_gaps: float = 0.5
    # Heavy spin (most content words swapped; calibrated on the red-team dev split):
    # derived also when loose passages cover this much of either text, the copy's
    # fingerprint keys point at the source this strongly, and the copy keeps this share
    # of its names and numbers in the alignment (spinners leave them alone; a related
    # story or a same-template report on other figures does not share them in order).
    spin_coverage: float = 0.4
    spin_key_score: float = 0.25
    spin_anchor_recall: float = 0.55


def is_derived(al: Alignment, copy_weight: float, p: VerdictParams) -> bool:
    """Copying shows as sustained, dense, in-order alignment covering much of either text.

    A related story on the same event shares names, numbers, a quote or two: short or
    sparse passages that fail one of the tests. ``paraphrase_coverage`` > ``derived_coverage``
    asks more of alignments that look translated or paraphrased (stricter on wire stories
    that reuse each other's edited paragraphs, at some cost in recall on real rewrites).
    """
    coverage = al.coverage
    need = min(p.derived_weight, p.derived_weight_share * copy_weight)
    if coverage < p.derived_coverage or al.density < p.derived_density or al.weight < need:
        return False
    return coverage >= p.paraphrase_coverage or rewrite_type(al, p) != "translated-or-paraphrased"


def is_heavily_spun(al: Alignment, key_score: float, p: VerdictParams) -> bool:
    """A copy with most content words swapped: its exact matches are too sparse for
    :func:`is_derived`, but its loose passages cover much of it, its fingerprint keys point
    here, and its names and numbers come back in order."""
    return (
        al.loosened().coverage >= p.spin_coverage
        and key_score >= p.spin_key_score
        and al.anchor_recall >= p.spin_anchor_recall
    )


def rewrite_type(al: Alignment, p: VerdictParams) -> str:
    """``verbatim``, ``spun`` (1:1 word swaps in the same order) or the rest.

    Inside the passages a verbatim copy differs from its source by insertions and
    deletions (page furniture, cuts), a spun one by same-length swaps.
    """
    if al.density >= p.exact_density or (
        al.density >= p.verbatim_density and al.equal_gaps < p.spun_equal_gaps
    ):
        return "verbatim"
    if al.density >= p.spun_density and al.equal_gaps >= p.spun_equal_gaps:
        return "spun"
    return "translated-or-paraphrased"


def total_weight(copy: Terms, stop_weight: float) -> float:
    """The weight of all of a text's terms (function words count ``stop_weight``)."""
    return float(len(copy)) - (1.0 - stop_weight) * float(copy.stop.sum())


def score(al: Alignment, copy: Terms, stop_weight: float) -> float:
    """Weighted share of the copy explained by the aligned passages (0..1)."""
    total = total_weight(copy, stop_weight)
    return round(min(1.0, al.weight / total), 4) if total > 0 else 0.0


def to_match(
    source_id: str,
    al: Alignment,
    copy: Terms,
    source: Terms,
    p: VerdictParams,
    stop_weight: float,
    key_score: float = 0.0,
) -> Match:
    """The public :class:`~unspin.results.Match` for one aligned candidate.

    ``key_score`` is the candidate's fingerprint score (0..1, from candidate generation);
    0 leaves out the heavy-spin test.
    """
    derived = is_derived(al, total_weight(copy, stop_weight), p)
    kind = rewrite_type(al, p) if derived else None
    if not derived and is_heavily_spun(al, key_score, p):
        derived, kind, al = True, "spun", al.loosened()
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
        rewrite_type=kind,
    )
